import type { SgNode } from '@ast-grep/napi';
import { jsAndPython, jsCall, pythonCall } from '../call-rules.ts';
import { callArguments, calleeText } from '../correctness/enclosing-function.ts';
import { findingAt, lineOf } from '../correctness/finding-at.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { enclosingRepetition } from './enclosing-loop.ts';
import { identifiersIn, inColdPath, mutatedIn, namesBoundIn } from './loop-bindings.ts';

const JS_CLONE = /^(?:structuredClone|(?:_|lodash|R|rambda)\.(?:cloneDeep|clone)|cloneDeep|klona)$/;
const PY_CLONE = /^(?:copy\.)?deepcopy$/;

/** The value cloned: the argument, or for `JSON.parse(JSON.stringify(x))` the inner `x`. */
function clonedValue(node: SgNode, python: boolean): { value: SgNode; how: string } | undefined {
  const callee = calleeText(node);
  const [first] = callArguments(node);
  if (!first) return undefined;
  if (python) return PY_CLONE.test(callee) ? { value: first, how: `${callee}()` } : undefined;
  if (JS_CLONE.test(callee)) return { value: first, how: `${callee}()` };
  if (
    callee === 'JSON.parse' &&
    first.kind() === 'call_expression' &&
    calleeText(first) === 'JSON.stringify'
  ) {
    const [inner] = callArguments(first);
    return inner ? { value: inner, how: 'JSON.parse(JSON.stringify(…))' } : undefined;
  }
  return undefined;
}

function matchClone(node: SgNode, file: FileInput): RawFinding | undefined {
  const python = file.language === 'python';
  const clone = clonedValue(node, python);
  if (!clone) return undefined;
  if (inColdPath(node)) return undefined;
  const loop = enclosingRepetition(node);
  if (!loop) return undefined;
  // Cloning each item is the point of the loop; cloning the same outer object again and again is not.
  const bound = namesBoundIn(loop.node, python);
  const read = identifiersIn(clone.value);
  if (read.some((name) => bound.has(name))) return undefined;
  // A copy of something the loop keeps changing is a snapshot per iteration, which is the point.
  if (read.some((name) => mutatedIn(loop.node, name))) return undefined;
  const loopLine = lineOf(loop.node);
  const line = lineOf(node);
  const value = clone.value.text().slice(0, 40);
  const where =
    loop.kind === 'callback'
      ? `the \`.${loop.method}()\` callback on line ${loopLine}`
      : `the loop on line ${loopLine}`;
  return findingAt(file, node, {
    endLine: line,
    related: line === loopLine ? [] : [{ file: file.path, startLine: loopLine, endLine: loopLine }],
    message: `\`${clone.how}\` copies all of \`${value}\` on every iteration of ${where}, although \`${value}\` is defined outside it. The work is the size of that object times the number of iterations; if each iteration only reads it, or changes a few fields, a single copy (or a shallow one) does the same job.`,
  });
}

const JS_RULE = jsCall(
  '^(structuredClone|JSON\\.parse|(_|lodash|R|rambda)\\.(cloneDeep|clone)|cloneDeep|klona)$',
);

/** A deep copy of the same outer object made on every iteration of a loop. */
export const deepCloneInLoop: FileDetector = {
  id: 'performance/deep-clone-in-loop',
  category: 'performance',
  scope: 'file',
  // The rule's callees (three.js's `vector.clone()` is not one of them).
  requires: {
    ...jsGate([
      /clone|Clone|JSON\.parse|klona/,
      /\bstructuredClone\b|\bJSON\.parse\b|\b(?:_|lodash|R|rambda)\.clone|\bcloneDeep\b|\bklona\b/,
    ]),
    python: /deepcopy/,
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Deep copy of the same object inside a loop',
  description:
    'A loop or per-item callback deep-copies an object defined outside it on every iteration (`structuredClone`, `JSON.parse(JSON.stringify(x))`, `cloneDeep`, `copy.deepcopy`). Deep copies walk the whole object, so the cost is its size times the number of items, and it shows in profiles as allocation and garbage-collection time.',
  impact: 'LOW',
  effort: 'S',
  risk: 'MED',
  riskReason:
    'If the loop body mutates its copy, each iteration needs a fresh one: replacing the deep copy with a shared object or a shallow copy would leak changes between iterations.',
  confidence: 'LOW',
  fixSketch:
    'Check what the loop does with the copy. If it only reads it, copy once before the loop (or not at all). If it changes a few top-level fields, use a shallow copy (`{ ...base, field }`, `dict(base, field=...)`). Keep the deep copy only when nested data is mutated.',
  steps: [
    'Open the cited line and list every write the loop body makes to the copy (assignments to its fields, pushes into its arrays).',
    'If there are none, move the copy before the loop (or drop it) and use the single copy inside.',
    'If only top-level fields change, replace the deep copy with a shallow one (`{ ...value }`, `Object.assign({}, value)`, `dict(value)` / `copy.copy(value)`).',
    'Run the tests that cover this code; add one with two or more items that checks each item’s result is independent of the others.',
  ],
  python: {
    fixSketch:
      'Check what the loop does with the copy. If it only reads it, copy once before the loop (or not at all). If it changes a few top-level keys, use a shallow copy (`dict(base, field=value)`, `{**base, "field": value}`, `copy.copy(base)`). Keep `copy.deepcopy` only when nested data is mutated.',
    steps: [
      'Open the cited line and list every write the loop body makes to the copy (assignments to its keys or attributes, appends to its lists).',
      'If there are none, move the copy before the loop (or drop it) and use the single copy inside.',
      'If only top-level keys change, replace the deep copy with a shallow one (`dict(value)`, `{**value}` or `copy.copy(value)`).',
      'Run the tests that cover this code; add one with two or more items that checks each item’s result is independent of the others.',
    ],
  },
  rule: jsAndPython(JS_RULE, pythonCall('^(copy\\.)?deepcopy$')),
  match: matchClone,
};
