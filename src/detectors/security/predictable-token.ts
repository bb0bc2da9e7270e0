import type { SgNode } from '@ast-grep/napi';
import { jsAndPython } from '../call-rules.ts';
import { findingAt } from '../correctness/finding-at.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { chainTop, hashCall, hashedData, JS_HASH_CALL, PYTHON_HASH_CALL } from './hash-calls.ts';
import { assignedValues, isPython } from './value-source.ts';

/** Names of values that grant access when presented: a reset or verification token, a one-time code. */
const TOKEN =
  /token|\breset|\botp\b|nonce|session_?id|\bsid\b|(?:verif\w*|confirm\w*|activation|invite)_?(?:code|key|hash)/i;
/** Randomness an attacker can reproduce: `Math.random()` and Python's `random` module are not for secrets. */
const WEAK_RANDOM = /Math\.random\(\)|\brandom\.(?:random|randint|randrange|choice|getrandbits)\([^()]*\)/g;
/** Values anyone can know or guess: a login, a user name, an e-mail address, an id, the time. */
const PUBLIC =
  /login|user_?name|\buser\b|e_?mail|\bname\b|\bid\b|_id\b|Id\b|phone|Date\.now|getTime|time\(\)|now\(\)/;
/** What makes a hash unguessable: a server secret, a salt, or randomness. */
const UNGUESSABLE =
  /secret|salt|\bkey\b|_key\b|Key\b|pepper|uuid|nanoid|randomBytes|randomUUID|getRandomValues|urandom|SystemRandom|random_bytes|token_(?:hex|bytes|urlsafe)|crypto\.|secrets\.|password|passwd|\bpass\b/i;

/** What the hash is compared with or stored in, when that names a token: `req.query.token == md5(login)`, `user.resetToken = …`. */
function tokenTarget(top: SgNode): string | undefined {
  const parent = top.parent();
  if (!parent) return undefined;
  const kind = parent.kind();
  if (kind === 'binary_expression' || kind === 'comparison_operator') {
    const operator =
      parent
        .children()
        .find((child) => !child.isNamed())
        ?.text() ?? '';
    if (!/^(?:===?|!==?)$/.test(operator)) return undefined;
    const other = parent.children().find((child) => child.isNamed() && child.id() !== top.id());
    return other && TOKEN.test(other.text()) ? other.text() : undefined;
  }
  const target =
    kind === 'variable_declarator'
      ? parent.field('name')
      : kind === 'assignment' || kind === 'assignment_expression'
        ? parent.field('left')
        : kind === 'pair' || kind === 'keyword_argument'
          ? (parent.field('key') ?? parent.field('name'))
          : undefined;
  return target && TOKEN.test(target.text()) ? target.text() : undefined;
}

/**
 * The hashed text with the local variables it names replaced by what they were assigned
 * (NodeGoat: `update(current_date + random)` after `random = Math.random().toString()`).
 */
function expanded(data: string, node: SgNode, python: boolean): string {
  const names = new Set(data.match(/(?<![\w$.])[A-Za-z_$][\w$]*(?![\w$]*\s*\()/g) ?? []);
  const values = [...names].flatMap((name) =>
    assignedValues(name, node, python).map((value) => value.text()),
  );
  return [data, ...values].join(' ');
}

function match(node: SgNode, file: FileInput): RawFinding | undefined {
  const call = hashCall(node, file);
  if (!call) return undefined;
  const python = isPython(file.language);
  const data = hashedData(node, python, call.takesData).trim();
  if (!data) return undefined;
  const text = expanded(data, node, python);
  const weakRandom = text.match(WEAK_RANDOM)?.[0];
  const rest = text.replace(WEAK_RANDOM, ' ');
  if ((!PUBLIC.test(text) && !weakRandom) || UNGUESSABLE.test(rest)) return undefined;
  const top = chainTop(node);
  const target = tokenTarget(top);
  if (!target) return undefined;
  const compared =
    top.parent()?.kind() === 'binary_expression' || top.parent()?.kind() === 'comparison_operator';
  return findingAt(file, node, {
    message: weakRandom
      ? `\`${target}\` is ${compared ? 'checked against' : 'set to'} the ${call.algorithm.toUpperCase()} of \`${data}\`, made with \`${weakRandom}\` and no secret: that generator is not for secrets (its state can be recovered from a few of its outputs), so the token can be guessed. Hashing does not make it unguessable.`
      : `\`${target}\` is ${compared ? 'checked against' : 'set to'} the ${call.algorithm.toUpperCase()} of \`${data}\` alone: no secret and nothing random goes into it, so anyone who knows that value (a login, an e-mail address, an id) computes the same token and uses it for any account, e.g. to reset its password.`,
  });
}

/** Tokens computed by hashing public values: `token == md5(login)`, `user.resetToken = sha1(email)`. */
export const predictableToken: FileDetector = {
  id: 'security/predictable-token',
  category: 'security',
  scope: 'file',
  requires: {
    ...jsGate(/createHash|md5|sha1|sha256|MD5|SHA1|SHA256/),
    python: /md5|sha\d|blake2|\bnew\b/,
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Token computed from public values (predictable reset or verification token)',
  description:
    'A reset, verification or session token is a hash of values anyone can know (a login, an e-mail address, an id, the time) with no server secret and no randomness. Hashing hides nothing: an attacker computes the same hash for any account and takes it over.',
  impact: 'HIGH',
  effort: 'M',
  risk: 'LOW',
  riskReason: 'Tokens already sent out stop working once the scheme changes; users request a new link.',
  confidence: 'MED',
  fixSketch:
    'Issue a random token (`crypto.randomBytes(32).toString("hex")`, `secrets.token_urlsafe(32)`), store its SHA-256 with the user and an expiry, and compare what is presented with the stored hash in constant time; or sign the user id and expiry with a server secret (HMAC) if nothing may be stored.',
  steps: [
    'Open the cited line and find where the token is issued (the e-mail or link that carries it) and where it is checked.',
    'At issue time generate a random token (`crypto.randomBytes(32)`, `secrets.token_urlsafe(32)`), store its SHA-256 and an expiry on the user record, and send the token itself.',
    'At check time hash the presented token, compare it with the stored one in constant time (`crypto.timingSafeEqual`, `hmac.compare_digest`), refuse expired tokens, and clear the token once it is used.',
    'Add tests: the issued token works once; a token computed from the login (the old scheme) is refused; an expired token is refused.',
  ],
  rule: jsAndPython(JS_HASH_CALL, PYTHON_HASH_CALL),
  match,
};
