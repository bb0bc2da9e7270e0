import type { SgNode } from '@ast-grep/napi';
import { jsAndPython, jsCall, pythonCall } from '../call-rules.ts';
import { callArguments, calleeText } from '../correctness/enclosing-function.ts';
import { findingAt } from '../correctness/finding-at.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding, RepoContext } from '../types.ts';
import { moduleFunction } from './module-bindings.ts';
import { surroundingText } from './request-flow.ts';
import { assignedValues, isPython, unwrap } from './value-source.ts';

/** The major version of `jsonwebtoken` the repository declares, when it declares one. */
function declaredMajor(context: RepoContext): number | undefined {
  const manifest = context.read('package.json');
  const range = manifest ? /"jsonwebtoken"\s*:\s*"[^\d"]*(\d+)/.exec(manifest)?.[1] : undefined;
  return range === undefined ? undefined : Number(range);
}

/** The options object of a verify call, following one local assignment; null when there is none. */
function optionsObject(arg: SgNode | undefined, python: boolean): SgNode | null | undefined {
  if (!arg || /function|arrow_function/.test(String(arg.kind()))) return null;
  const expr = unwrap(arg);
  if (expr.kind() === 'object') return expr;
  if (expr.kind() === 'identifier') {
    const values = assignedValues(expr.text(), expr, python);
    return values.length === 1 && values[0]?.kind() === 'object' ? values[0] : undefined;
  }
  return undefined;
}

/**
 * A verification key named as a shared secret (`process.env.JWT_SECRET`, Ghost's
 * `this.tinybirdConfig.adminToken`), and names that say it is a public key or certificate.
 */
const SHARED_SECRET = /secret|token|hmac|passphrase|password/i;
const PUBLIC_KEY = /public|pub_?key|pem|cert|rsa|ecdsa|jwks|getKey|key_?pair|\bkeys?\b/i;

const NONE_ALGORITHM = /algorithms['"]?\s*[:=]\s*\[[^\]]*['"]none['"]/i;
const AUTH_CONTEXT =
  /\breq\b|\bctx\b|\brequest\b|authori[sz]ation|bearer|current_?user|\.user\s*=|get_user|authenticate/i;

/** A call that issues a token: `jwt.sign(…)`, `createAccessToken(…)`, `generateToken(…)`. */
const ISSUES_TOKEN = /(?:^|\.)(?:sign|(?:create|generate|issue|make|mint)\w*Token)$/i;

/**
 * Whether the decoded token is one this function just issued (Feathers' `create()` decodes the
 * access token it signed to return its payload): nothing forged can come in that way.
 */
function issuedHere(token: SgNode): boolean {
  const expr = unwrap(token);
  if (expr.kind() !== 'identifier') return false;
  const values = assignedValues(expr.text(), expr, false).map(unwrap);
  return (
    values.length > 0 &&
    values.every((value) => value.kind() === 'call_expression' && ISSUES_TOKEN.test(calleeText(value)))
  );
}

/** Claims that say who the caller is. */
const IDENTITY_CLAIM =
  /^(?:e_?mail|user_?name|userName|sub|user_?id|userId|uid|login|preferred_username|cognito:username)$/;

/**
 * How the function takes the caller's identity from the decoded claims, or undefined: the claims
 * become the user (`req.user = claims`), or an identity claim is read from them (Strapi's Cognito
 * login, `username: tokenPayload['cognito:username'], email: tokenPayload.email`).
 */
function decidesIdentity(decode: SgNode, scope: string): string | undefined {
  const declarator = decode.parent();
  const name = declarator?.kind() === 'variable_declarator' ? declarator.field('name') : undefined;
  if (name?.kind() !== 'identifier') return undefined;
  const claims = name.text();
  const user = new RegExp(`\\.user\\s*=\\s*${claims}\\b`).exec(scope);
  if (user) return user[0];
  for (const read of scope.matchAll(
    new RegExp(`\\b${claims}(?:\\.(\\w+)|\\[\\s*['"]([\\w:]+)['"]\\s*\\])`, 'g'),
  ))
    if (IDENTITY_CLAIM.test(read[1] ?? read[2] ?? '')) return read[0];
  return undefined;
}

function matchJs(node: SgNode, file: FileInput, context: RepoContext): RawFinding | undefined {
  const callee = calleeText(node);
  const method = moduleFunction(callee, file.text, `['"]jsonwebtoken['"]`);
  const args = callArguments(node);
  if (method === 'verify') {
    const options = optionsObject(args[2], false);
    if (options === undefined) return undefined;
    const text = options?.text() ?? '';
    if (NONE_ALGORITHM.test(text)) {
      return findingAt(file, node, {
        confidence: 'HIGH',
        message:
          'The allowed algorithms include `none`: a token with no signature at all is accepted as valid.',
      });
    }
    if (/\balgorithms\s*:/.test(text)) return undefined;
    const major = declaredMajor(context);
    if (major !== undefined && major >= 9) {
      return findingAt(file, node, {
        confidence: 'LOW',
        message:
          '`jwt.verify()` is called without `algorithms`. jsonwebtoken 9 limits the algorithms by key type, but pinning the one you issue keeps key-confusion attacks out if the key handling changes.',
      });
    }
    if (args[1] && SHARED_SECRET.test(args[1].text()) && !PUBLIC_KEY.test(args[1].text())) {
      return findingAt(file, node, {
        confidence: 'LOW',
        message: `\`jwt.verify()\` is called without \`algorithms\`, with a shared secret (\`${args[1].text().slice(0, 40)}\`). For a key that is no PEM, jsonwebtoken accepts only HMAC algorithms, so the RSA key-confusion attack does not apply; but before v9 a missing secret (an unset variable) lets an unsigned \`alg: none\` token through. Pin \`algorithms: ['HS256']\` and fail at start-up when the secret is not set.`,
      });
    }
    return findingAt(file, node, {
      confidence: 'MED',
      message:
        '`jwt.verify()` is called without `algorithms`, so the token’s own header chooses how it is checked. With jsonwebtoken before v9, a token signed with HS256 using the public RSA key (or with `alg: none` and an empty secret) passes verification.',
    });
  }
  if (method === 'decode') {
    const scope = surroundingText(node);
    if (/\.verify\(|\bverify\(|jwtVerify\(/.test(scope) || !AUTH_CONTEXT.test(scope)) return undefined;
    if (args[0] && issuedHere(args[0])) return undefined;
    const identity = decidesIdentity(node, scope);
    return findingAt(file, node, {
      confidence: identity ? 'HIGH' : 'MED',
      message: `\`jwt.decode()\` only base64-decodes the token; it checks no signature and no expiry. This function handles a request and never calls \`jwt.verify()\`, so anyone can forge the claims it reads${identity ? `, and it takes who the caller is from them (\`${identity}\`): a token written by hand logs in as anyone` : ''}.`,
    });
  }
  return undefined;
}

function keyword(args: readonly SgNode[], name: string): SgNode | undefined {
  return args.find((a) => a.kind() === 'keyword_argument' && a.field('name')?.text() === name);
}

function matchPython(node: SgNode, file: FileInput): RawFinding | undefined {
  if (!/^\s*(?:import\s+jwt\b|from\s+jose\s+import\s+[^\n]*\bjwt\b)/m.test(file.text)) return undefined;
  const args = callArguments(node);
  const options = keyword(args, 'options')?.text() ?? '';
  const unverified =
    /['"]verify_signature['"]\s*:\s*False/.test(options) ||
    /^verify\s*=\s*False$/.test(keyword(args, 'verify')?.text() ?? '');
  const algorithms = keyword(args, 'algorithms');
  if (algorithms && /['"]none['"]/i.test(algorithms.text())) {
    return findingAt(file, node, {
      confidence: 'HIGH',
      message:
        'The allowed algorithms include `none`: a token with no signature at all is accepted as valid.',
    });
  }
  if (unverified) {
    const scope = surroundingText(node);
    if (/jwt\.decode\([^)]*algorithms\s*=/.test(scope)) return undefined;
    return findingAt(file, node, {
      confidence: AUTH_CONTEXT.test(scope) ? 'MED' : 'LOW',
      message:
        '`jwt.decode()` runs with signature verification turned off, so anyone can forge the claims it returns. Use it only to read a header before verifying, never to decide who the caller is.',
    });
  }
  if (algorithms) return undefined;
  return findingAt(file, node, {
    confidence: 'MED',
    message:
      '`jwt.decode()` is called without `algorithms=[…]`. PyJWT 1.x and python-jose then accept whatever algorithm the token names, which enables key-confusion forgeries (HS256 signed with the public key); PyJWT 2 refuses the call at runtime.',
  });
}

const JS_RULE = jsCall('(^|\\.)(verify|decode)$');

/** JWT verification that lets the token choose its algorithm, or decoding used in place of verifying. */
export const jwtVerification: FileDetector = {
  id: 'security/jwt-verification',
  category: 'security',
  scope: 'file',
  requires: { ...jsGate(/\b(?:verify|decode)\b/), python: /jwt/ },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'JWT checked without a fixed algorithm (or not verified)',
  description:
    'A JSON Web Token is verified without pinning the accepted algorithms, or is decoded without verifying it at all. The token’s header then decides how (or whether) its signature is checked, so forged tokens — signed with the public key as an HMAC secret, or with `alg: none` — are accepted as genuine.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'LOW',
  riskReason: 'Tokens this service issues use one algorithm; pinning it rejects only tokens it never issued.',
  confidence: 'MED',
  fixSketch:
    'Pass the algorithm you issue explicitly: `jwt.verify(token, key, { algorithms: ["RS256"] })`, `jwt.decode(token, key, algorithms=["HS256"])`. Use `jwt.verify` (not `decode`) wherever the claims decide access.',
  steps: [
    'Find where this service signs its tokens (or the identity provider’s documentation) and note the algorithm it uses.',
    'At the cited line pass exactly that algorithm: `{ algorithms: ["HS256"] }` as the options of `jwt.verify` (JS) or `algorithms=["HS256"]` in `jwt.decode` (Python); replace `jwt.decode` with `jwt.verify` where the result decides who the caller is.',
    'Remove any `none` from allowed algorithms and any `verify_signature: False` outside code that only peeks at the header before verifying.',
    'Add tests that a token signed with another algorithm (or with `alg: none`) is rejected and a genuine token is accepted.',
  ],
  rule: jsAndPython(JS_RULE, pythonCall('^jwt\\.decode$')),
  match: (node, file, context) =>
    isPython(file.language) ? matchPython(node, file) : matchJs(node, file, context),
};
