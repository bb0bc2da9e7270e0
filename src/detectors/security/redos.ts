import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { jsAndPython, jsMethodCall, pythonMethodCall } from '../call-rules.ts';
import { callArguments, calleeText } from '../correctness/enclosing-function.ts';
import { findingAt } from '../correctness/finding-at.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { moduleValues } from './local-bindings.ts';
import { nestedRepetition } from './nested-repetition.ts';
import { requestFlow } from './request-flow.ts';
import { codeText } from './sink-finding.ts';
import { assignedValues, isPython, JS_REQUEST_GATE, PY_REQUEST_GATE, unwrap } from './value-source.ts';

/** String methods that take the regex as their first argument: `text.match(re)`. */
const STRING_METHOD = /^(?:match|matchAll|replace|replaceAll|split|search)$/;
/** RegExp methods that take the text: `re.test(text)`. */
const REGEX_METHOD = /^(?:test|exec)$/;
/** Python `re` functions (pattern first, then the text) and compiled patterns' methods (the text first). */
const PY_FUNCTION = /^re\.(?:match|search|fullmatch|findall|finditer|sub|subn|split)$/;
const PY_METHOD = /^(?:match|search|fullmatch|findall|finditer|sub|subn|split)$/;

/** The text between a string literal's quotes, with `\\` and escaped quotes read as the characters. */
function stringPattern(node: SgNode, python: boolean): string | undefined {
  const text = node.text();
  const match = python
    ? /^[rRbBuU]{0,2}('''|"""|'|")([\s\S]*)\1$/.exec(text)
    : /^(['"`])([\s\S]*)\1$/.exec(text);
  if (!match || (!python && text.includes('${'))) return undefined;
  const raw = match[2] ?? '';
  return python && /^[rR]|^[bB][rR]/.test(text) ? raw : raw.replace(/\\([\\'"`])/g, '$1');
}

interface Pattern {
  source: string;
  flags: string;
}

/** The pattern a regex expression holds: a literal, `new RegExp('…')`, `re.compile(r'…')`, or a local or module constant of one. */
function patternOf(node: SgNode, python: boolean, depth = 0): Pattern | undefined {
  const expr = unwrap(node);
  const kind = expr.kind();
  if (!python && kind === 'regex') {
    const source = expr
      .children()
      .find((c) => c.kind() === 'regex_pattern')
      ?.text();
    const flags =
      expr
        .children()
        .find((c) => c.kind() === 'regex_flags')
        ?.text() ?? '';
    return source === undefined ? undefined : { source, flags };
  }
  const literal = (arg: SgNode | undefined, flags = '') => {
    const source = arg?.kind() === 'string' ? stringPattern(arg, python) : undefined;
    return source === undefined ? undefined : { source, flags };
  };
  if (kind === 'string') return literal(expr);
  if (!python && kind === 'new_expression' && expr.field('constructor')?.text() === 'RegExp') {
    const [first, flags] = callArguments(expr);
    return literal(first, flags?.kind() === 'string' ? (stringPattern(flags, false) ?? '') : '');
  }
  if (python && kind === 'call' && calleeText(expr) === 're.compile') {
    const [first, flags] = callArguments(expr);
    return literal(first, /IGNORECASE|\bre\.I\b/.test(flags?.text() ?? '') ? 'i' : '');
  }
  if (kind !== 'identifier' || depth > 2) return undefined;
  const values = assignedValues(expr.text(), expr, python);
  if (values.length === 0) values.push(...moduleValues(expr, python));
  const [value] = values;
  return values.length === 1 && value ? patternOf(value, python, depth + 1) : undefined;
}

/** The regex and the text a call matches it against. */
function operands(node: SgNode, python: boolean): { regex: SgNode; text: SgNode } | undefined {
  const callee = calleeText(node).replace(/\s+/g, '');
  const args = callArguments(node).filter((a) => a.kind() !== 'keyword_argument');
  const fn = node.field('function');
  const object = fn?.field('object');
  const method = fn?.field(python ? 'attribute' : 'property')?.text() ?? '';
  if (python) {
    if (PY_FUNCTION.test(callee)) {
      const [regex, a, b] = args;
      const text = /\.subn?$/.test(callee) ? b : a;
      return regex && text ? { regex, text } : undefined;
    }
    if (!object || !PY_METHOD.test(method)) return undefined;
    const text = /^subn?$/.test(method) ? args[1] : args[0];
    return text ? { regex: object, text } : undefined;
  }
  if (!object) return undefined;
  if (REGEX_METHOD.test(method) && args[0]) return { regex: object, text: args[0] };
  if (STRING_METHOD.test(method) && args[0]) return { regex: args[0], text: object };
  return undefined;
}

function matchRegex(node: SgNode, file: FileInput): RawFinding | undefined {
  const python = isPython(file.language);
  const found = operands(node, python);
  if (!found) return undefined;
  const pattern = patternOf(found.regex, python);
  // Only nested repetition can backtrack exponentially; most patterns are fine.
  if (pattern === undefined || !/\)[*+{]/.test(pattern.source)) return undefined;
  const group = nestedRepetition(pattern.source, pattern.flags, python);
  if (group === undefined) return undefined;
  const source = requestFlow(found.text, { python });
  if (!source) return undefined;
  const shown = pattern.source.length > 50 ? `${pattern.source.slice(0, 49)}…` : pattern.source;
  const part = group.length > 30 ? `${group.slice(0, 29)}…` : group;
  return findingAt(file, node, {
    message: `The regular expression \`${shown}\` repeats a group that itself repeats (\`${part}\`), and it is matched against request data (\`${codeText(source)}\`): an input that almost matches makes the engine try exponentially many ways to split it, and one request of a few dozen characters keeps ${python ? 'a worker' : 'the event loop, and so every other request,'} busy for seconds or minutes (ReDoS).`,
  });
}

const JS_RULE: NapiConfig = {
  rule: jsMethodCall('^(test|exec|match|matchAll|replace|replaceAll|split|search)$'),
};

const PY_RULE: NapiConfig = {
  rule: pythonMethodCall('^(match|search|fullmatch|findall|finditer|sub|subn|split)$'),
};

/** A regular expression with nested repetition matched against request data (ReDoS). */
export const redos: FileDetector = {
  id: 'security/redos',
  category: 'security',
  scope: 'file',
  // Nested repetition needs a group followed by a quantifier somewhere in the file.
  requires: { ...jsGate([JS_REQUEST_GATE, /\)[*+{]/]), python: [PY_REQUEST_GATE, /\)[*+{]/] },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Regular expression with nested repetition on request data (ReDoS)',
  description:
    'A regular expression that repeats a group which itself repeats (`(\\d+)+`, `(\\w+\\s?)*`) is matched against data from the request. Backtracking engines (JavaScript’s, Python’s) try every way to split an input that almost matches, which takes exponential time: one short crafted request pins a CPU, and in Node it blocks every other request.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'An equivalent pattern without the nested repetition accepts the same inputs; tests of valid and invalid inputs show it does.',
  confidence: 'MED',
  fixSketch:
    'Rewrite the pattern so no repeated group contains a repetition that can match the same text (`([0-9]+)+#` → `[0-9]+#`, `(\\w+\\s?)*` → `[\\w\\s]*`), cap the input’s length before matching, or use a linear-time engine (RE2: the `re2` package, Python’s `google-re2`).',
  steps: [
    'Open the cited line and write down which inputs the regular expression must accept and reject (read its callers and tests).',
    'Rewrite the pattern without nested repetition, so each character can be matched only one way, and limit the length of the input before matching when the format allows.',
    'Add a test that matches the old pattern’s worst case (for `([0-9]+)+#`: 40 digits and no `#`) and asserts it finishes within a few milliseconds, plus tests for the valid and invalid inputs written down in step 1.',
  ],
  rule: jsAndPython(JS_RULE, PY_RULE),
  match: matchRegex,
};
