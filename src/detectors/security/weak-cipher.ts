import type { SgNode } from '@ast-grep/napi';
import { jsAndPython, jsCall, pythonCall } from '../call-rules.ts';
import { callArguments, calleeText } from '../correctness/enclosing-function.ts';
import { findingAt } from '../correctness/finding-at.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { moduleValues } from './local-bindings.ts';
import { moduleFunction } from './module-bindings.ts';
import { assignedValues, isPython, unwrap } from './value-source.ts';

const WEAK_ALGORITHM =
  /^['"`](?:[\w-]*-ecb|des|des-\w+|des3|rc2[\w-]*|rc4[\w-]*|bf[\w-]*|blowfish[\w-]*|cast[\w-]*|idea[\w-]*)['"`]$/i;
/** `Buffer.alloc(16)`, `Buffer.alloc(16, 0)`, `Buffer.from("…")`, a string literal. */
const FIXED_BYTES =
  /^(?:Buffer\.alloc\(\s*\d+\s*(?:,\s*\d+\s*)?\)|Buffer\.from\(\s*['"`][^'"`]*['"`]\s*(?:,\s*['"]\w+['"]\s*)?\)|new Uint8Array\(\s*\d+\s*\)|['"`][^'"`${}]*['"`])$/;

const SPEC_CONSTRUCTION = /key_?wrap|keywrap|rfc\s?(?:3394|5649|4493)|\bcmac\b|\bsiv\b/i;

function isFixed(node: SgNode, python: boolean, depth = 0): boolean {
  const expr = unwrap(node);
  if (FIXED_BYTES.test(expr.text())) return true;
  if (expr.kind() !== 'identifier' || depth > 3) return false;
  const values = assignedValues(expr.text(), expr, python);
  if (values.length === 0) values.push(...moduleValues(expr, python));
  return values.length > 0 && values.every((v) => isFixed(v, python, depth + 1));
}

const CRYPTO = `['"](?:node:)?crypto['"]`;

/**
 * Only Node's `crypto` functions count: other libraries' functions of the same name differ
 * (node-forge's `forge.cipher.createCipher(alg, key)` takes the key itself and its IV in
 * `start({ iv })`, as CyberChef's AES and DES operations use it).
 */
function matchJs(node: SgNode, file: FileInput): RawFinding | undefined {
  const callee = calleeText(node);
  const args = callArguments(node);
  const method = moduleFunction(callee, file.text, CRYPTO);
  if (!method) return undefined;
  if (method === 'createCipher' || method === 'createDecipher') {
    return findingAt(file, node, {
      confidence: 'HIGH',
      endLine: node.range().start.line + 1,
      message: `\`${method}()\` derives the key from a password with a single unsalted MD5 round and uses no IV, so equal plaintexts encrypt to equal ciphertexts and CTR/GCM modes reuse their nonce. It is deprecated and removed in Node 22.`,
    });
  }
  const [algorithm, , iv] = args;
  if (algorithm && WEAK_ALGORITHM.test(algorithm.text())) {
    const spec = /ecb/i.test(algorithm.text()) && SPEC_CONSTRUCTION.test(`${file.path}\n${file.text}`);
    return findingAt(file, node, {
      confidence: spec ? 'LOW' : 'MED',
      endLine: node.range().start.line + 1,
      message: `\`${method}(${algorithm.text()}, …)\` uses ${/ecb/i.test(algorithm.text()) ? 'ECB mode, which encrypts equal blocks to equal ciphertext and leaks the structure of the data' : 'a cipher with a 64-bit block or known weaknesses (DES/3DES, RC4, Blowfish)'}.`,
    });
  }
  if (iv && isFixed(iv, false)) {
    return findingAt(file, node, {
      confidence: 'MED',
      endLine: node.range().start.line + 1,
      message: `\`${method}()\` is given a fixed IV (\`${iv.text().slice(0, 40)}\`): every message encrypted with this key starts from the same state, so equal prefixes produce equal ciphertext, and with CTR or GCM the keystream repeats (breaking confidentiality and, for GCM, authenticity).`,
    });
  }
  return undefined;
}

function matchPython(node: SgNode, file: FileInput): RawFinding | undefined {
  const callee = calleeText(node);
  const text = callArguments(node)
    .map((a) => a.text())
    .join(',');
  const ecb = /MODE_ECB\b/.test(text) || /(?:^|\.)ECB$/.test(callee);
  const weak =
    /^(?:DES|DES3|ARC4|ARC2|Blowfish|CAST)\.new$|(?:^|\.)(?:TripleDES|ARC4|Blowfish|CAST5|IDEA)$/.test(
      callee,
    );
  if (!ecb && !weak) return undefined;
  return findingAt(file, node, {
    // Key wrap (RFC 3394), CMAC and hand-built modes encrypt single blocks with ECB by design.
    confidence: ecb && SPEC_CONSTRUCTION.test(`${file.path}\n${file.text}`) ? 'LOW' : 'MED',
    endLine: node.range().start.line + 1,
    message: ecb
      ? 'ECB mode encrypts equal blocks to equal ciphertext, leaking the structure of the data (and allowing blocks to be cut and pasted).'
      : `\`${callee}\` is a cipher with a 64-bit block or known weaknesses (DES/3DES, RC4, Blowfish).`,
  });
}

const JS_RULE = jsCall('(^|\\.)(createCipher|createDecipher|createCipheriv|createDecipheriv)$');

/** Broken symmetric encryption: `createCipher` (no IV, MD5 key), ECB mode, DES/RC4, fixed IVs. */
export const weakCipher: FileDetector = {
  id: 'security/weak-cipher',
  category: 'security',
  scope: 'file',
  requires: { ...jsGate(/createCipher|createDecipher/), python: /AES|DES|ARC[24]|Blowfish|CAST|ECB|IDEA/ },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Weak or misused encryption (no IV, ECB, DES/RC4)',
  description:
    'Data is encrypted in a way that leaks it: `crypto.createCipher` (key from one MD5 round, no IV), ECB mode, obsolete ciphers (DES, 3DES, RC4, Blowfish) or a fixed IV. Patterns in the plaintext show through, and some modes become decryptable or forgeable.',
  impact: 'HIGH',
  effort: 'M',
  risk: 'MED',
  riskReason:
    'Data already encrypted the old way must still be decrypted: the change needs a format version and a migration path.',
  confidence: 'MED',
  fixSketch:
    'Use authenticated encryption with a random IV per message: `crypto.createCipheriv("aes-256-gcm", key, crypto.randomBytes(12))`, store IV and auth tag with the ciphertext; derive keys with `crypto.scryptSync`/HKDF, never from a bare password. In Python use `cryptography`’s `AESGCM` or `Fernet`.',
  steps: [
    'Open the cited line and find where the ciphertext is stored or sent and where it is decrypted.',
    'Encrypt with AES-256-GCM and a fresh random 12-byte IV per message (`crypto.randomBytes(12)` / `os.urandom(12)`); prepend a version byte, the IV and the auth tag to the ciphertext.',
    'Derive the key once from configuration with a KDF (`crypto.scryptSync(secret, salt, 32)` / HKDF) instead of passing a password to the cipher.',
    'Make decryption read the version byte and keep decrypting the old format until stored data is re-encrypted; add a test that round-trips a message, a test that two encryptions of the same text differ, and one that decrypts a sample of the old format.',
  ],
  rule: jsAndPython(
    JS_RULE,
    pythonCall(
      '(^|\\.)(AES|DES|DES3|ARC4|ARC2|Blowfish|CAST)\\.new$|(^|\\.)(ECB|TripleDES|ARC4|Blowfish|CAST5|IDEA)$',
    ),
  ),
  match: (node, file) => (isPython(file.language) ? matchPython(node, file) : matchJs(node, file)),
};
