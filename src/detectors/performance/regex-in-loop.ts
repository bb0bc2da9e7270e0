import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { jsAndPython, pythonCall } from '../call-rules.ts';
import { callArguments, calleeText } from '../correctness/enclosing-function.ts';
import { findingAt, lineOf } from '../correctness/finding-at.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { enclosingRepetition, type Repetition } from './enclosing-loop.ts';
import { identifiersIn, inColdPath, namesBoundIn, namesDeclaredIn } from './loop-bindings.ts';

const LITERAL_KINDS = new Set([
  'string',
  'template_string',
  'regex',
  'number',
  'true',
  'false',
  'concatenated_string',
]);

/** `cache = new RegExp(…)` into a variable or property that outlives the iteration: built once, on demand. */
function cachedOutside(node: SgNode, loop: SgNode, python: boolean): boolean {
  const parent = node.parent();
  if (!parent || (parent.kind() !== 'assignment_expression' && parent.kind() !== 'assignment')) return false;
  const target = parent.field('left');
  if (!target) return false;
  if (target.kind() !== 'identifier') return true; // this.re = …, cache[key] = …
  return !namesDeclaredIn(loop, python).has(target.text());
}

/** Up to this many items in a list written out in the code, rebuilding a pattern per item costs nothing to notice. */
const SHORT_LIST = 20;
const LIST_KINDS = new Set(['array', 'list', 'tuple', 'set']);

/** `['a', 'b', 'c'].forEach(…)` (Directus's image metadata): a short list written out, no spread. */
function shortWrittenList(loop: Repetition): boolean {
  const list = loop.iterated;
  if (!list || !LIST_KINDS.has(String(list.kind()))) return false;
  const items = list.children().filter((child) => child.isNamed() && child.kind() !== 'comment');
  return items.length <= SHORT_LIST && !items.some((item) => /spread|splat/.test(String(item.kind())));
}

function matchRegex(node: SgNode, file: FileInput): RawFinding | undefined {
  const python = file.language === 'python';
  const callee = python
    ? calleeText(node)
    : node.kind() === 'new_expression'
      ? node.field('constructor')?.text()
      : calleeText(node);
  if (python ? !/^(?:re|regex)\.compile$/.test(callee ?? '') : callee !== 'RegExp') return undefined;
  const args = callArguments(node);
  const pattern = args[0];
  if (!pattern) return undefined;
  if (inColdPath(node)) return undefined;
  const loop = enclosingRepetition(node);
  if (!loop || cachedOutside(node, loop.node, python) || shortWrittenList(loop)) return undefined;
  // A template with substitutions is built per iteration only if a substitution changes.
  const bound = namesBoundIn(loop.node, python);
  const read = args.flatMap(identifiersIn);
  if (read.some((name) => bound.has(name))) return undefined;
  const constant = args.every(
    (arg) =>
      LITERAL_KINDS.has(String(arg.kind())) &&
      (python
        ? !arg.find({ rule: { kind: 'interpolation' } })
        : !arg.find({ rule: { kind: 'template_substitution' } })),
  );
  const loopLine = lineOf(loop.node);
  const line = lineOf(node);
  const where =
    loop.kind === 'callback'
      ? `the \`.${loop.method}()\` callback on line ${loopLine}`
      : `the loop on line ${loopLine}`;
  return findingAt(file, node, {
    endLine: line,
    // Python caches compiled patterns, so a repeated `re.compile` costs a dictionary lookup, not a compile.
    confidence: python ? 'LOW' : 'MED',
    related: line === loopLine ? [] : [{ file: file.path, startLine: loopLine, endLine: loopLine }],
    message: python
      ? `\`${node.text().slice(0, 60)}\` runs on every iteration of ${where}, but its pattern ${constant ? 'is a constant' : 'does not change inside the loop'}. Python caches compiled patterns, so this costs a cache lookup per item rather than a compile; compiling once at module level states the intent and removes even that.`
      : `\`${node.text().slice(0, 60)}\` builds a new regular expression object on every iteration of ${where}, although its ${constant ? 'pattern is a constant' : 'pattern does not change inside the loop'}. Build it once before the loop (or at module level) and reuse it.`,
  });
}

const JS_RULE: NapiConfig = {
  rule: {
    any: [
      { kind: 'new_expression', has: { field: 'constructor', regex: '^RegExp$' } },
      { kind: 'call_expression', has: { field: 'function', regex: '^RegExp$' } },
    ],
  },
};

/** A regular expression compiled inside a loop although its pattern is the same on every iteration. */
export const regexInLoop: FileDetector = {
  id: 'performance/regex-in-loop',
  category: 'performance',
  scope: 'file',
  requires: { ...jsGate(/RegExp/), python: /compile/ },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Regular expression rebuilt inside a loop',
  description:
    'A regular expression with a pattern that does not change is constructed on every iteration of a loop or per-item callback. Each construction allocates (and, past the engine cache, compiles) a new object, which adds up on large inputs in hot paths.',
  impact: 'LOW',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'A hoisted pattern matches exactly the same strings; only a global (`g`/`y`) JavaScript regex keeps `lastIndex` between uses, so reset it or use a non-global one.',
  confidence: 'MED',
  fixSketch:
    'Move the construction out of the loop into a constant (module level for a literal pattern, just before the loop for one built from outer values) and use that constant inside the loop.',
  steps: [
    'Open the cited line and check that every value the pattern is built from is defined outside the loop.',
    'Create a constant with the regular expression before the loop (or at module level when the pattern is a literal), with a descriptive name.',
    'Replace the construction inside the loop with the constant. In JavaScript, if the flags include `g` or `y`, reset `lastIndex = 0` before each use or drop the flag when only `test`/`match` of one value is needed.',
    'Run the tests that cover this code; they must pass unchanged.',
  ],
  python: {
    riskReason:
      'A pattern compiled once matches exactly the same strings as one compiled on every iteration.',
    steps: [
      'Open the cited line and check that every value the pattern is built from is defined outside the loop.',
      'Compile the pattern once before the loop (or at module level when the pattern is a literal) into a constant with a descriptive name: `WORD_RE = re.compile(r"…", flags)`.',
      'Replace the compilation inside the loop with the constant (`WORD_RE.search(text)`), keeping the same flags.',
      'Run the tests that cover this code; they must pass unchanged.',
    ],
  },
  rule: jsAndPython(JS_RULE, pythonCall('^(re|regex)\\.compile$')),
  match: matchRegex,
};
