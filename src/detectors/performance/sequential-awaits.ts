import type { NapiConfig, SgNode } from '@ast-grep/napi';

import { calleeText } from '../correctness/enclosing-function.ts';
import { findingAt, lineOf } from '../correctness/finding-at.ts';
import { forJs } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { walkFile } from '../walk.ts';
import { identifiersIn } from './loop-bindings.ts';

/** Calls that read: safe to run side by side with another read. */
const READ =
  /^(?:get|fetch|find|load|read|list|query|count|select|search|lookup|retrieve|describe|scan|stat|aggregate|collect|download|request)(?:[A-Z_]|$)/;
const READ_CALLEE = /^(?:fetch|axios|got|ky|superagent)$/;
/** Receivers that do one thing at a time (a transaction, a connection, a browser page, a prompt). */
const SEQUENTIAL_RECEIVER =
  /^(?:tx|trx|transaction|t|conn|connection|client|session|cursor|cur|page|browser|frame|stream|reader|socket|ws|rl|prompt|inquirer|this)$/;

const JS_AWAITS: NapiConfig = { rule: { kind: 'await_expression' } };
const PY_AWAITS: NapiConfig = { rule: { kind: 'await' } };
/** Nodes whose children are statements. */
const JS_BLOCK_KINDS: ReadonlySet<string> = new Set(['statement_block', 'program']);
const PY_BLOCK_KINDS: ReadonlySet<string> = new Set(['block', 'module']);

interface AwaitedStatement {
  statement: SgNode;
  call: SgNode;
  /** Names the statement declares. */
  names: string[];
}

function awaitedCall(value: SgNode | null | undefined): SgNode | undefined {
  if (!value || (value.kind() !== 'await_expression' && value.kind() !== 'await')) return undefined;
  const inner = value.children().find((child) => child.isNamed());
  return inner && (inner.kind() === 'call_expression' || inner.kind() === 'call') ? inner : undefined;
}

function awaitedStatement(statement: SgNode): AwaitedStatement | undefined {
  const kind = statement.kind();
  if (kind === 'lexical_declaration' || kind === 'variable_declaration') {
    const declarators = statement.children().filter((child) => child.kind() === 'variable_declarator');
    const only = declarators.length === 1 ? declarators[0] : undefined;
    const call = awaitedCall(only?.field('value'));
    const name = only?.field('name');
    return call && name ? { statement, call, names: identifiersIn(name) } : undefined;
  }
  if (kind === 'expression_statement') {
    const assignment = statement.children().find((child) => child.isNamed());
    if (assignment?.kind() !== 'assignment') return undefined;
    const call = awaitedCall(assignment.field('right'));
    const left = assignment.field('left');
    return call && left ? { statement, call, names: identifiersIn(left) } : undefined;
  }
  return undefined;
}

/**
 * Testing Library's waiting queries (`screen.findByText`, `within(row).findAllByRole`): each polls
 * the one rendered document until an element shows, an assertion about the UI rather than a read
 * that waits on I/O, so awaiting them side by side saves nothing.
 */
const DOM_WAIT = /^find(?:All)?By[A-Z]/;

function isRead(call: SgNode): boolean {
  const callee = calleeText(call);
  const method = callee.split('.').at(-1) ?? '';
  if (DOM_WAIT.test(method)) return false;
  return READ_CALLEE.test(callee.split('.')[0] ?? '') || READ.test(method);
}

function receiver(call: SgNode): string | undefined {
  const callee = calleeText(call);
  return callee.includes('.') ? callee.split('.')[0] : undefined;
}

/** Whether `next` can run alongside the statements of `run`: a read that uses none of their results. */
function independent(run: AwaitedStatement[], next: AwaitedStatement): boolean {
  if (!isRead(next.call)) return false;
  const bound = new Set(run.flatMap((entry) => entry.names));
  const args = next.call.field('arguments');
  if (
    [...identifiersIn(next.call.field('function') ?? next.call), ...(args ? identifiersIn(args) : [])].some(
      (name) => bound.has(name),
    )
  )
    return false;
  const shared = receiver(next.call);
  return !(
    shared &&
    SEQUENTIAL_RECEIVER.test(shared) &&
    run.some((entry) => receiver(entry.call) === shared)
  );
}

function matchBlock(node: SgNode, file: FileInput): RawFinding[] {
  const python = file.language === 'python';
  const out: RawFinding[] = [];
  const statements = node.children().filter((child) => child.isNamed() && child.kind() !== 'comment');
  let run: AwaitedStatement[] = [];
  const flush = () => {
    if (run.length >= 2) {
      const [first, ...rest] = run;
      if (first) {
        const names = [...new Set(run.map((entry) => `\`${calleeText(entry.call)}()\``))].join(', ');
        out.push(
          findingAt(file, first.statement, {
            endLine: lineOf(first.statement),
            related: rest.map((entry) => ({
              file: file.path,
              startLine: lineOf(entry.statement),
              endLine: lineOf(entry.statement),
            })),
            message: `${names} are awaited one after another, but none of them uses another's result, so the total wait is the sum of all of them. Started together (${python ? '`asyncio.gather(...)`' : '`Promise.all([...])`'}), the wait is the slowest one.`,
          }),
        );
      }
    }
    run = [];
  };
  for (const statement of statements) {
    const awaited = awaitedStatement(statement);
    if (!awaited) {
      flush();
      continue;
    }
    if (run.length > 0 && !independent(run, awaited)) flush();
    if (run.length === 0 && !isRead(awaited.call)) continue;
    run.push(awaited);
  }
  flush();
  return out;
}

/** Two or more awaited reads in a row where none uses another's result. */
export const sequentialAwaits: FileDetector = {
  id: 'performance/sequential-awaits',
  category: 'performance',
  scope: 'file',
  requires: /\bawait\b/,
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  walks: { ...forJs([JS_AWAITS]), python: [PY_AWAITS] },
  title: 'Independent awaits run one after another',
  description:
    'Consecutive `await`ed reads do not depend on each other, yet each waits for the previous one to finish. The latencies add up (three 100 ms calls take 300 ms) where running them together would take about as long as the slowest.',
  impact: 'LOW',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Running reads concurrently changes their order and error behaviour: with `Promise.all` the first rejection wins while the others keep running; the calls must not rely on running in sequence (rate limits, one shared connection).',
  confidence: 'LOW',
  fixSketch:
    'Start the independent calls together and await them at once: `const [a, b] = await Promise.all([f(), g()])` in JavaScript, `a, b = await asyncio.gather(f(), g())` in Python. Keep calls sequential when one needs the other, shares a transaction or connection, or the API rate-limits.',
  steps: [
    'Open the cited lines and confirm that no call uses the result of an earlier one and that they do not share a transaction, a single connection or a rate-limited client. Read each called function too: if one waits for another or reads what it leaves behind (methods of one object, where the second uses what the first computed), STOP and report that the calls depend on each other.',
    'Replace the consecutive awaits with one `Promise.all([...])` (JavaScript) or `asyncio.gather(...)` (Python) and destructure the results into the same names.',
    'Keep error handling equivalent: if the old code caught errors per call, use `Promise.allSettled` or wrap each call.',
    'Run the tests that cover this code; they must pass unchanged.',
  ],
  python: {
    fixSketch:
      'Start the independent calls together and await them at once: `a, b = await asyncio.gather(f(), g())`. Keep calls sequential when one needs the other, shares a transaction or connection, or the API rate-limits.',
    riskReason:
      'Running reads concurrently changes their order and error behaviour: with `asyncio.gather` the first exception propagates while the other calls keep running; the calls must not rely on running in sequence (rate limits, one shared connection or session).',
    steps: [
      'Open the cited lines and confirm that no call uses the result of an earlier one and that they do not share a transaction, a single connection or session, or a rate-limited client. Read each called function too: if one waits for another or reads what it leaves behind (methods of one object, where the second uses what the first computed), STOP and report that the calls depend on each other.',
      'Replace the consecutive awaits with one `asyncio.gather(...)` and unpack the results into the same names (`user, orders = await asyncio.gather(get_user(uid), get_orders(uid))`).',
      'Keep error handling equivalent: if the old code caught errors per call, pass `return_exceptions=True` and check each result, or wrap each call.',
      'Run the tests that cover this code; they must pass unchanged.',
    ],
  },
  check(file) {
    const root = file.ast()?.root();
    if (!root || !/\bawait\b/.test(file.text)) return [];
    // Only blocks holding an `await` can hold a run of awaited statements: find them from the
    // awaits up instead of reading every statement of every block.
    const python = file.language === 'python';
    const blockKinds = python ? PY_BLOCK_KINDS : JS_BLOCK_KINDS;
    const blocks = new Map<number, SgNode>();
    for (const awaited of walkFile(file, python ? PY_AWAITS : JS_AWAITS)) {
      let parent = awaited.parent();
      while (parent && !blockKinds.has(String(parent.kind()))) parent = parent.parent();
      if (parent && !blocks.has(parent.id())) blocks.set(parent.id(), parent);
    }
    return [...blocks.values()]
      .sort((a, b) => a.range().start.index - b.range().start.index || (a.id() === root.id() ? -1 : 1))
      .flatMap((block) => matchBlock(block, file));
  },
};
