import type { SgNode } from '@ast-grep/napi';
import { jsCall } from '../call-rules.ts';
import { forJs, jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { callArguments, enclosingFunction, FUNCTION_KINDS, isAsyncFunction } from './enclosing-function.ts';
import { findingAt } from './finding-at.ts';

/**
 * `records.forEach(async (key) => { await db.set(key, …) })` (Etherpad's ImportEtherpad): forEach
 * calls the callback and drops the promise it returns, so the writes run after the caller has
 * moved on and a rejection is unhandled.
 */
function matchForEach(node: SgNode, file: FileInput): RawFinding | undefined {
  const [callback] = callArguments(node);
  if (!callback || !FUNCTION_KINDS.has(String(callback.kind())) || !isAsyncFunction(callback))
    return undefined;
  // An async callback that awaits nothing runs to its end inside forEach: only its errors escape.
  const awaits = callback
    .findAll({ rule: { kind: 'await_expression' } })
    .some((expr) => enclosingFunction(expr)?.id() === callback.id());
  if (!awaits)
    return findingAt(file, node, {
      endLine: node.range().start.line + 1,
      confidence: 'LOW',
      impact: 'LOW',
      message:
        '`forEach` is given an async callback that awaits nothing, so each call runs to its end before the next, as if it were not async. Only its errors go astray: they become unhandled rejections instead of reaching the caller. Drop `async` from the callback.',
    });
  const outer = enclosingFunction(node);
  // In an async function the author awaits elsewhere and expects this to be done when it goes on.
  const sequenced = outer !== undefined && isAsyncFunction(outer);
  return findingAt(file, node, {
    endLine: node.range().start.line + 1,
    confidence: sequenced ? 'HIGH' : 'MED',
    message: `\`forEach\` calls this async callback for each item and drops the promise it returns: the work runs after ${sequenced ? 'the enclosing async function has gone on (and may have returned)' : 'the call returns'}, all items at once, and a rejection is unhandled. Use \`for (const x of items) { await … }\` to go one by one, or \`await Promise.all(items.map(async (x) => …))\` to go all at once.`,
  });
}

/** An async function passed to `Array.prototype.forEach`, whose promises nobody waits for. */
export const asyncForEach: FileDetector = {
  id: 'correctness/async-foreach',
  category: 'correctness',
  scope: 'file',
  requires: jsGate(/\.forEach\(\s*async\b/),
  languages: ['typescript', 'tsx', 'javascript'],
  title: 'Async callback passed to forEach (promises dropped)',
  description:
    '`forEach` ignores what its callback returns, so the promises of an async callback are dropped: the loop "finishes" before any item is processed, the items run concurrently, and their errors become unhandled rejections instead of reaching the caller.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Awaiting the work makes the caller wait for it and see its errors; code that relied on it running in the background gets slower, which the tests show.',
  confidence: 'MED',
  fixSketch:
    'Replace `items.forEach(async (x) => { … })` with `for (const x of items) { … }` inside an async function when order matters, or `await Promise.all(items.map(async (x) => { … }))` when the items may run at once.',
  steps: [
    'Open the cited line and decide whether the items must be processed one after another (shared state, ordering, rate limits) or may run at once.',
    'One after another: turn the `forEach` into `for (const item of items) { … }` with the callback body inside, keeping its `await`s; make the enclosing function async if it is not, and await its callers.',
    'At once: replace `forEach` with `map` and `await Promise.all(…)` the result.',
    'Add a test that makes one item fail and asserts that the caller sees the error (it rejects or throws) and that the work is done when the caller returns.',
  ],
  rule: forJs(jsCall('\\.forEach$')),
  match: matchForEach,
};
