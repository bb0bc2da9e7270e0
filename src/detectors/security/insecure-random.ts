import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { enclosingFunction, kindOf } from '../correctness/enclosing-function.ts';
import { findingAt } from '../correctness/finding-at.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { isPython } from './value-source.ts';

const SECRET_WORDS = new Set([
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'nonce',
  'otp',
  'csrf',
  'xsrf',
  'session',
  'sessionid',
  'apikey',
  'credential',
  'credentials',
  'verifier',
  'pin',
]);
const SECRET_PAIRS =
  /\b(?:api|secret|private|access|signing|encryption) key\b|\b(?:reset|verification|verify|invite|auth|confirmation|activation|otp|one time) code\b/;
const ID_WORDS = new Set(['id', 'uuid', 'guid']);
const SCOPE_END = new Set(['statement_block', 'block', 'program', 'module', 'class_body']);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

type Purpose = 'secret' | 'salt' | 'id' | undefined;

function purposeOf(name: string): Purpose {
  const list = words(name.replace(/^(?:this|self)\./, ''));
  if (list.some((w) => SECRET_WORDS.has(w)) || SECRET_PAIRS.test(list.join(' '))) return 'secret';
  // A password hash's salt is stored in clear beside it (Jupyter's `passwd()`): it must be unique,
  // not secret.
  if (list.includes('salt')) return 'salt';
  return list.some((w) => ID_WORDS.has(w)) ? 'id' : undefined;
}

function functionName(fn: SgNode | undefined): string | undefined {
  if (!fn) return undefined;
  const own = fn.field('name')?.text();
  if (own) return own;
  const holder = fn.parent();
  if (holder?.kind() === 'variable_declarator') return holder.field('name')?.text();
  if (holder?.kind() === 'pair') return holder.field('key')?.text();
  return undefined;
}

/** The name the random value is stored under (variable, property, key), or undefined. */
function bindingOf(node: SgNode): string | undefined {
  let current: SgNode | null = node.parent();
  while (current && !SCOPE_END.has(kindOf(current))) {
    switch (kindOf(current)) {
      case 'variable_declarator':
        return current.field('name')?.text();
      case 'assignment_expression':
      case 'augmented_assignment_expression':
      case 'assignment':
      case 'augmented_assignment':
        return current.field('left')?.text();
      case 'pair':
        return current.field('key')?.text();
      case 'keyword_argument':
        return current.field('name')?.text();
      case 'jsx_attribute':
        return current.child(0)?.text();
      default:
        if (enclosingFunction(node) && current.id() === enclosingFunction(node)?.id()) return undefined;
    }
    current = current.parent();
  }
  return undefined;
}

/** The name that says what the random value is for: where it is stored, or the function that returns it. */
function purposeName(node: SgNode): string | undefined {
  const binding = bindingOf(node);
  const fn = enclosingFunction(node);
  const name = functionName(fn);
  if (!binding) return name;
  if (purposeOf(binding) === 'secret' || !name || !fn) return binding;
  // `let result = ''; … return result;`: the function's name says what the value is for.
  const returned = fn.findAll({ rule: { kind: 'return_statement' } }).map((r) => r.text());
  const local = binding.replace(/\W.*$/, '');
  const returnsLocal = new RegExp(`^return\\s+${local}\\b(?!\\s*[,:])`);
  return returned.some((r) => returnsLocal.test(r)) ? name : binding;
}

/** Function names that say the random value is not a secret (multipart boundaries, colours, jitter, fakes). */
const NEUTRAL_FUNCTION =
  /boundary|colou?r|jitter|delay|backoff|sample|shuffle|mock|fake|dummy|demo|example|placeholder/i;

const TIMESTAMP =
  /\bDate\.now\(\)|\bperformance\.now\(\)|\bnew Date\(|\.getTime\(\)|\btime\.time(?:_ns)?\(\)/;

/** The statement around `node` (the whole declaration or assignment the value is part of). */
function statementOf(node: SgNode): SgNode {
  let current = node;
  for (let parent = node.parent(); parent && !SCOPE_END.has(kindOf(parent)); parent = parent.parent()) {
    current = parent;
  }
  return current;
}

/**
 * Whether the random number is compared (`Math.random() < 0.7`, `random.random() > p`): a weighted
 * coin flip that picks a branch, not a value anybody receives. Ghost's analytics fixture generator
 * decides this way, inside a function named `generateSession`.
 */
function isCoinFlip(node: SgNode): boolean {
  let operand = node;
  for (let up = node.parent(); up?.kind() === 'parenthesized_expression'; up = up.parent()) operand = up;
  const comparison = operand.parent();
  if (!comparison) return false;
  if (comparison.kind() === 'comparison_operator') return true;
  return (
    comparison.kind() === 'binary_expression' && /^[<>]=?$/.test(comparison.field('operator')?.text() ?? '')
  );
}

/**
 * Whether the random number only sizes what a secure generator makes: calibre's
 * `os.urandom(random.randint(20, 30))`, `crypto.randomBytes(16 + Math.floor(Math.random() * 8))`.
 */
function sizesSecureRandom(node: SgNode): boolean {
  for (let up = node.parent(); up && !SCOPE_END.has(kindOf(up)); up = up.parent()) {
    const kind = kindOf(up);
    if (kind !== 'call' && kind !== 'call_expression') continue;
    if (SECURE_GENERATOR.test(up.field('function')?.text() ?? '')) return true;
  }
  return false;
}

const SECURE_GENERATOR =
  /^(?:os\.urandom|secrets\.token_\w+|secrets\.randbits|(?:crypto\.)?(?:randomBytes|getRandomValues|randomInt))$/;

function matchRandom(node: SgNode, file: FileInput): RawFinding | undefined {
  const python = isPython(file.language);
  if (isCoinFlip(node) || sizesSecureRandom(node)) return undefined;
  if (
    python &&
    !/^random\./.test(node.field('function')?.text() ?? '') &&
    !/from\s+random\s+import/.test(file.text)
  )
    return undefined;
  // Heat's password generator: `import random as random_module`, then
  // `random = random_module.SystemRandom()`, so `random.choice` is the OS's CSPRNG.
  if (python && /^random[ \t]*=[ \t]*[\w.]*SystemRandom\(/m.test(file.text)) return undefined;
  const name = purposeName(node);
  const purpose = name ? purposeOf(name) : undefined;
  if (!name || !purpose || NEUTRAL_FUNCTION.test(functionName(enclosingFunction(node)) ?? ''))
    return undefined;
  // `${type}_${Date.now()}_${Math.random()}`: an id made unique with a timestamp, not a secret.
  if (purpose === 'id' && TIMESTAMP.test(statementOf(node).text())) return undefined;
  const generator = python ? 'the `random` module' : '`Math.random()`';
  // Cinder's password generator draws every character with `os.urandom`, then `shuffle(password)`:
  // the order is predictable, the characters are not.
  if (python && /(?:^|\.)shuffle$/.test(node.field('function')?.text() ?? '')) {
    return findingAt(file, node, {
      confidence: 'LOW',
      impact: 'LOW',
      endLine: node.range().start.line + 1,
      message: `\`${name}\` is only reordered with ${generator}; where its items come from a CSPRNG the order is all an attacker can predict. \`secrets.SystemRandom().shuffle\` would remove even that.`,
    });
  }
  return findingAt(file, node, {
    confidence: purpose === 'secret' ? 'MED' : 'LOW',
    // An id or a salt is only harmful if something relies on it being unguessable: a lead.
    ...(purpose === 'secret' ? {} : { impact: 'LOW' as const }),
    endLine: node.range().start.line + 1,
    message:
      purpose === 'secret'
        ? `\`${name}\` is generated with ${generator}, which is not cryptographically secure: its output can be predicted from a few observed values, so an attacker can guess tokens, reset codes or keys issued to other users.`
        : purpose === 'salt'
          ? `\`${name}\` is generated with ${generator}. A salt is stored in clear beside its hash and need not be secret, only unique; a predictable one lets an attacker compute hashes for the salts it will get before they are used. Use the CSPRNG all the same (\`secrets.token_hex\`, \`crypto.randomBytes\`).`
          : `\`${name}\` is generated with ${generator}. If these identifiers must be unguessable (links, invitations, session ids), use a CSPRNG; if they only need to be unique, a counter or \`crypto.randomUUID()\` is clearer.`,
  });
}

/** `Math.random()` / `random.*` used for something named like a token, password, salt or id. */
export const insecureRandom: FileDetector = {
  id: 'security/insecure-random',
  category: 'security',
  scope: 'file',
  requires: {
    ...jsGate(/Math\.random/),
    python: /random|randint|choice|sample|getrandbits|randrange|shuffle|uniform/,
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Secret value generated with a non-cryptographic random generator',
  description:
    'A token, password, salt, code or session value is generated with `Math.random()` or Python’s `random` module. These generators are predictable: after observing some outputs an attacker can compute the rest, and guess values issued to other users.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'LOW',
  riskReason: 'A CSPRNG produces values of the same shape; only their predictability changes.',
  confidence: 'MED',
  fixSketch:
    'Use the platform CSPRNG: `crypto.randomBytes(32).toString("base64url")`, `crypto.randomUUID()`, `crypto.randomInt(n)` in Node, `crypto.getRandomValues` in browsers, and `secrets.token_urlsafe()` / `secrets.choice()` in Python.',
  steps: [
    'Open the cited line and note what shape the generated value must have (length, alphabet, numeric range).',
    'Replace the generator with the CSPRNG equivalent of that shape: `crypto.randomBytes(n).toString("hex"|"base64url")` or `crypto.randomInt(min, max)` in Node, `crypto.getRandomValues` in the browser, `secrets.token_urlsafe(n)` / `secrets.choice(alphabet)` / `secrets.randbelow(n)` in Python.',
    'Keep the value’s format identical so stored values and clients keep working.',
    'Add a test that generates many values and asserts their format and that they are all distinct.',
  ],
  python: {
    fixSketch:
      'Use the `secrets` module for anything secret or guessable: `secrets.token_urlsafe(32)`, `secrets.token_hex(16)`, `secrets.choice(alphabet)`, `secrets.randbelow(n)` (or `random.SystemRandom()`), never the `random` module’s functions.',
    steps: [
      'Open the cited line and note what shape the generated value must have (length, alphabet, numeric range).',
      'Replace the generator with the `secrets` equivalent of that shape: `secrets.token_hex(n)` or `secrets.token_urlsafe(n)` for a token, `"".join(secrets.choice(alphabet) for _ in range(length))` for a code from an alphabet, `secrets.randbelow(n)` for a number.',
      'Keep the value’s format identical so stored values and clients keep working.',
      'Add a test that generates many values and asserts their format and that they are all distinct.',
    ],
  },
  rule: {
    typescript: { rule: { kind: 'call_expression', has: { field: 'function', regex: '^Math\\.random$' } } },
    tsx: { rule: { kind: 'call_expression', has: { field: 'function', regex: '^Math\\.random$' } } },
    javascript: { rule: { kind: 'call_expression', has: { field: 'function', regex: '^Math\\.random$' } } },
    python: {
      rule: {
        kind: 'call',
        has: {
          field: 'function',
          regex: '^(random\\.)?(random|randint|choice|choices|sample|getrandbits|randrange|shuffle|uniform)$',
        },
      },
    },
  } satisfies Record<string, NapiConfig>,
  match: matchRandom,
};
