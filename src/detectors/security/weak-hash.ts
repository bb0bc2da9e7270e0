import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { Confidence } from '../../core/types.ts';
import { jsAndPython } from '../call-rules.ts';
import { callArguments, calleeText, enclosingFunction } from '../correctness/enclosing-function.ts';
import { findingAt } from '../correctness/finding-at.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding, RepoContext } from '../types.ts';
import { hashCall, hashedData, JS_HASH_CALL, PYTHON_HASH_CALL } from './hash-calls.ts';
import { importedHashHelper } from './imported-hash-helper.ts';
import { codeText } from './sink-finding.ts';
import { isPython } from './value-source.ts';

const BROKEN = /^(?:md4|md5|sha1|sha-1|ripemd160|md5-sha1)$/;
const PASSWORD = /pass(?:word|wd|phrase)|\bpwd\b|\bpass\b/i;
const SECRET = /secret|token|api_?key|apikey|credential|\botp\b/i;
/** Protocols that require MD5/SHA-1 of a password (HTTP Digest, PostgreSQL md5 auth, MySQL native). */
const PROTOCOL =
  /digest\s+auth|www-authenticate|postgres|\bpg\b|mysql|scram|\bntlm\b|\brfc\s?\d+|protocol|handshake/i;

/**
 * The enclosing class or function when its name names the algorithm (`SHA1PasswordHasher`,
 * `md5_crypt`): code that implements that algorithm on purpose, such as Django's legacy hashers.
 */
function implementsAlgorithm(node: SgNode, algorithm: string): string | undefined {
  const name = algorithm.replace(/[^a-z0-9]/gi, '').toLowerCase();
  for (let up = node.parent(); up; up = up.parent()) {
    const kind = up.kind();
    if (
      !/^(?:class_definition|class_declaration|class|function_definition|function_declaration|method_definition)$/.test(
        String(kind),
      )
    )
      continue;
    const own = up.field('name')?.text() ?? '';
    if (
      own
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')
        .includes(name)
    )
      return own;
  }
  return undefined;
}

/**
 * The name of the function the hashing call is in, when what it hashes is that function's
 * parameter: `const hashPassword = (p) => createHash('md5').update(p).digest('hex')`, `def
 * make_password_hash(raw): return hashlib.sha1(raw)`. The name says what the parameter holds.
 */
function helperName(node: SgNode, data: string): string {
  const fn = enclosingFunction(node);
  if (!fn) return '';
  const params = (fn.field('parameters') ?? fn.field('parameter'))?.text() ?? '';
  const names: string[] = params.match(/[A-Za-z_$][\w$]*/g) ?? [];
  // The parameter itself, maybe encoded (`raw.encode()`, `String(p)`), not a part of it (`user.id`).
  const item = data
    .trim()
    .replace(/^(?:str|String|Buffer\.from)\((.*)\)$/, '$1')
    .replace(/\.(?:encode\([^()]*\)|toString\(\))$/, '');
  if (!names.includes(item)) return '';
  const own = fn.field('name')?.text();
  if (own) return own;
  // `const hashPassword = (p) => …`, `hashPassword: function (p) { … }`.
  const holder = fn.parent();
  return (holder?.field('name') ?? holder?.field('key') ?? holder?.field('left'))?.text() ?? '';
}

/** A password handed to a hashing helper of another module that uses MD5/SHA-1 (Juice Shop's `security.hash`). */
function matchHelperCall(node: SgNode, file: FileInput, context: RepoContext): RawFinding | undefined {
  const data = callArguments(node)
    .map((arg) => arg.text())
    .join(' ');
  if (!PASSWORD.test(data)) return undefined;
  const helper = importedHashHelper(node, file, context);
  if (!helper) return undefined;
  const callee = calleeText(node).replace(/\s+/g, '');
  return findingAt(file, node, {
    endLine: node.range().start.line + 1,
    related: [{ file: helper.file, startLine: helper.line, endLine: helper.line }],
    ...(helper.doneCheck ? { doneCheck: helper.doneCheck } : {}),
    message: `\`${callee}()\` hashes a password (\`${codeText(callArguments(node)[0] ?? node)}\`) with ${helper.algorithm.toUpperCase()}: the helper is defined at ${helper.file}:${helper.line}. MD5 and SHA-1 are fast and unsalted, so a leaked hash is cracked in seconds with a GPU or a lookup table. Fix the helper (and every place that compares its output), not this call.`,
  });
}

function matchHash(node: SgNode, file: FileInput, context: RepoContext): RawFinding | undefined {
  const python = isPython(file.language);
  const call = hashCall(node, file);
  if (!call && !python) return matchHelperCall(node, file, context);
  if (!call || !BROKEN.test(call.algorithm)) return undefined;
  const { algorithm } = call;
  const hashed = hashedData(node, python, call.takesData);
  const data = `${hashed} ${helperName(node, hashed)}`;
  const password = PASSWORD.test(data);
  if (!password && !SECRET.test(data)) return undefined;
  const protocol = PROTOCOL.test(file.text);
  const legacy = implementsAlgorithm(node, algorithm);
  const confidence: Confidence = password && !protocol && !legacy ? 'MED' : 'LOW';
  const what = password ? 'a password' : 'a secret or token';
  // buildbot's `sha1(salt + password)`: a salt stops lookup tables, not a GPU trying guesses.
  const salted = /\bsalt/i.test(enclosingFunction(node)?.text() ?? '');
  const weakness = salted
    ? 'MD5 and SHA-1 are fast: the salt here stops lookup tables, but a GPU still tries billions of guesses a second against a leaked hash'
    : 'MD5 and SHA-1 are fast and unsalted here, so a leaked hash is cracked in seconds with a GPU or a lookup table';
  return findingAt(file, node, {
    confidence,
    endLine: node.range().start.line + 1,
    message: password
      ? `${algorithm.toUpperCase()} is applied to ${what}. ${weakness}.${legacy ? ` (It sits in \`${legacy}\`, which is named after the algorithm: likely a legacy hasher kept to verify old hashes; check that nothing new is hashed with it.)` : protocol ? ' (This file looks like it implements a protocol that requires this hash; if so, suppress with that reason.)' : ''}`
      : `${algorithm.toUpperCase()} is applied to ${what}. Prefer SHA-256 (or HMAC-SHA-256 with a server key) for anything security-related; MD5 and SHA-1 have practical collisions.`,
  });
}

/** Hashing calls, and calls that hand a password to something else (a helper of another module). */
const JS_RULE: NapiConfig = {
  rule: {
    any: [
      JS_HASH_CALL.rule,
      {
        kind: 'call_expression',
        has: { field: 'arguments', regex: '(?i)pass(?:word|wd|phrase)?\\b|\\bpwd\\b' },
      },
    ],
  },
};

/** MD5/SHA-1 applied to passwords, tokens or secrets. */
export const weakHash: FileDetector = {
  id: 'security/weak-hash',
  category: 'security',
  scope: 'file',
  requires: {
    ...jsGate(/createHash|md5|sha1|MD5|SHA1|pass(?:word|wd|phrase)?\b|\bpwd\b/i),
    python: /md5|sha1|\bnew\b/,
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Password or secret hashed with MD5/SHA-1',
  description:
    'A password (or other secret) is hashed with MD5 or SHA-1. These are fast general-purpose hashes: a stolen table of them is cracked at billions of guesses per second, and without a per-user salt identical passwords share a hash. Passwords need a slow, salted key-derivation function.',
  impact: 'HIGH',
  effort: 'M',
  risk: 'MED',
  riskReason:
    'Existing stored hashes must keep verifying: the new scheme has to accept old hashes once and re-hash them on the next successful login.',
  confidence: 'MED',
  fixSketch:
    'Hash passwords with a password KDF: argon2id (`argon2`), bcrypt, or scrypt/PBKDF2 from the standard library (`crypto.scrypt`, `hashlib.scrypt`, `hashlib.pbkdf2_hmac`) with a random per-user salt; compare in constant time. For tokens, store SHA-256 (or HMAC-SHA-256) of a random token instead.',
  steps: [
    'Open the cited line and find where the resulting hash is stored and where it is compared on login or lookup.',
    'Add a password-hash helper using the strongest KDF available without new dependencies (`crypto.scrypt` in Node, `hashlib.scrypt` or `hashlib.pbkdf2_hmac` in Python) with a random 16-byte salt stored alongside the hash, or the argon2/bcrypt library the project already uses.',
    'Replace the cited hashing with the helper, and make verification accept the old MD5/SHA-1 format once, re-hashing with the new scheme after a successful check.',
    'Add tests: a new password verifies, a wrong one fails, two users with the same password get different hashes, and an old-format hash still verifies once and is upgraded.',
  ],
  python: {
    fixSketch:
      'Hash passwords with a password KDF: argon2id (`argon2-cffi`), bcrypt, or scrypt/PBKDF2 from the standard library (`hashlib.scrypt`, `hashlib.pbkdf2_hmac`) with a random per-user salt (`os.urandom(16)`), or Django’s `make_password`/`check_password`; compare with `hmac.compare_digest`. For tokens, store SHA-256 (or HMAC-SHA-256) of a random token instead.',
    steps: [
      'Open the cited line and find where the resulting hash is stored and where it is compared on login or lookup.',
      'Add a password-hash helper using the strongest KDF available without new dependencies (`hashlib.scrypt` or `hashlib.pbkdf2_hmac`, or Django’s `make_password`) with a random 16-byte salt (`os.urandom(16)`) stored alongside the hash, or the argon2/bcrypt library the project already uses.',
      'Replace the cited hashing with the helper, and make verification (with `hmac.compare_digest`) accept the old MD5/SHA-1 format once, re-hashing with the new scheme after a successful check.',
      'Add tests: a new password verifies, a wrong one fails, two users with the same password get different hashes, and an old-format hash still verifies once and is upgraded.',
    ],
  },
  rule: jsAndPython(JS_RULE, PYTHON_HASH_CALL),
  match: matchHash,
};
