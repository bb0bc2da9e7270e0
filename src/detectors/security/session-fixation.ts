import path from 'node:path';
import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { enclosingFunction } from '../correctness/enclosing-function.ts';
import { findingAt } from '../correctness/finding-at.ts';
import { scanJs } from '../tech-debt/code-scan.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding, RepoContext } from '../types.ts';

/** Session fields that say who is signed in: `req.session.userId`, `req.session.user`, `req.session.isAdmin`. */
const IDENTITY_FIELD =
  /^(?:req|request)\.session\.(?:user(?:_?id|_?name)?|uid|account(?:_?id)?|logged_?in|is_?logged_?in|authenticated|is_?authenticated|is_?admin|admin|role|member(?:_?id)?|customer(?:_?id)?|current_?user)$/i;
/** What a login handler does before it records the user: check a password or a credential. */
const CHECKS_CREDENTIALS =
  /password|passwd|bcrypt|argon2|scrypt|\bcompare\w*\(|verify\w*\(|authenticat\w*\(|validateLogin/i;
/** Values that sign someone out rather than in. */
const SIGN_OUT = /^(?:null|undefined|false|0|''|""|void 0)$/;

/** Calls that issue a new session id, or Passport's login (which does since 0.6). */
const RENEWS = /\.session\.regenerate$|^req\.log[iI]n$/;

/**
 * Whether the assignment runs with a new session id: inside the callback of
 * `req.session.regenerate(…)`/`req.login(…)`, or in a function whose code (not its comments:
 * NodeGoat keeps the fix as a comment) calls one.
 */
function renewed(node: SgNode): boolean {
  for (let up = node.parent(); up; up = up.parent()) {
    if (
      up.kind() === 'call_expression' &&
      RENEWS.test((up.field('function')?.text() ?? '').replace(/\s+/g, ''))
    )
      return true;
  }
  const fn = enclosingFunction(node);
  return fn !== undefined && /\.session\.regenerate\s*\(|\breq\.log[iI]n\s*\(/.test(scanJs(fn.text()).code);
}

/**
 * Whether the app keeps its sessions in the cookie itself (`cookie-session`): a new cookie is
 * written when the user is recorded, so there is no server-side id to fix in advance.
 */
function cookieSessions(file: FileInput, context: RepoContext): boolean {
  if (/\bcookie-session\b|\bcookieSession\b/.test(file.text)) return true;
  for (let dir = path.posix.dirname(file.path); ; dir = path.posix.dirname(dir)) {
    const manifest = context.read(dir === '.' ? 'package.json' : `${dir}/package.json`);
    if (manifest !== undefined)
      return /"cookie-session"\s*:/.test(manifest) && !/"express-session"\s*:/.test(manifest);
    if (dir === '.' || dir === '/' || dir === '') return false;
  }
}

/**
 * Whether the assignment sits in a login: its function, or one it is a callback of (NodeGoat's
 * `userDAO.validateLogin(userName, password, (err, user) => { … })`), checks a credential.
 */
function inLogin(node: SgNode): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return false;
  if (CHECKS_CREDENTIALS.test(fn.text())) return true;
  // A callback handed to the call that checks the credential: that call's own text (callee and
  // other arguments) says so. A route registered in a module-wide wrapper that mentions a password
  // elsewhere does not.
  const args = fn.parent();
  const call = args?.kind() === 'arguments' ? args.parent() : undefined;
  if (!call) return false;
  const callee = call.field('function')?.text() ?? '';
  const others = args?.children().filter((arg) => arg.isNamed() && arg.id() !== fn.id()) ?? [];
  return CHECKS_CREDENTIALS.test([callee, ...others.map((arg) => arg.text())].join(' '));
}

function match(node: SgNode, file: FileInput, context: RepoContext): RawFinding | undefined {
  const left = node.field('left')?.text().replace(/\s+/g, '') ?? '';
  const value = node.field('right')?.text().trim() ?? '';
  if (!IDENTITY_FIELD.test(left) || SIGN_OUT.test(value)) return undefined;
  if (!inLogin(node) || renewed(node) || cookieSessions(file, context)) return undefined;
  return findingAt(file, node, {
    message: `\`${left} = …\` signs the user in on the session they arrived with: the session id is not renewed (no \`req.session.regenerate()\` around it), so an attacker who planted a session cookie in the victim's browser before login (session fixation) is signed in as the victim once they log in.`,
  });
}

const RULE: NapiConfig = {
  rule: {
    kind: 'assignment_expression',
    has: { field: 'left', regex: '^(req|request)\\s*\\.\\s*session\\s*\\.' },
  },
};

/** A login that records the user on the existing session without issuing a new session id. */
export const sessionFixation: FileDetector = {
  id: 'security/session-fixation',
  category: 'security',
  scope: 'file',
  requires: jsGate([/\b(?:req|request)\.session\.\w+\s*=[^=]/, CHECKS_CREDENTIALS]),
  languages: ['typescript', 'tsx', 'javascript'],
  title: 'Login keeps the session id (session fixation)',
  description:
    'A login handler stores the signed-in user on the session the browser already had, without issuing a new session id. express-session does not rotate the id on its own: anyone who could set the victim’s session cookie beforehand (a shared computer, a cookie injected through a sibling subdomain or an XSS elsewhere) holds a valid signed-in session once the victim logs in.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Regenerating drops what the anonymous session held (a cart, a redirect target); copy what must survive into the new session.',
  confidence: 'MED',
  fixSketch:
    'On a successful login call `req.session.regenerate((err) => { if (err) return next(err); req.session.userId = user.id; req.session.save(…) })` and record the user only inside the callback; on logout call `req.session.destroy()`. With Passport ≥ 0.6, `req.login()` does this.',
  steps: [
    'Open the cited line and find the login handler around it (where the password or credential is checked).',
    'Wrap the lines that record the user on the session in `req.session.regenerate((err) => { … })`, handling `err`, and move the response into the callback; copy any anonymous-session values that must survive (a return URL) into the new session.',
    'Make logout call `req.session.destroy()` (or regenerate) instead of only clearing fields.',
    'Add a test: log in with a session cookie obtained before login and assert the response sets a different session id, and that the old cookie is no longer signed in.',
  ],
  rule: { typescript: RULE, tsx: RULE, javascript: RULE },
  match,
};
