import type { SgNode } from '@ast-grep/napi';
import { forJs, jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { enclosingFunction, isAsyncFunction } from './enclosing-function.ts';
import { findingAt } from './finding-at.ts';
import { ASYNC_CANDIDATES, asyncFunctions } from './floating-promise.ts';

/**
 * Callees whose result is a promise that may reject whatever the code around them: `fetch`,
 * `Promise.all`… Not `Promise.resolve(value)` of a value already awaited (refine's auth
 * handlers), which cannot reject, nor `Promise.reject(error)`, which rejects on purpose.
 */
const PROMISE_CALLEE = /^(?:fetch|(?:globalThis|window)\.fetch|Promise\.(?:all|allSettled|any|race))$/;
/** `x.then(…)`, `x.catch(…)`, `x.finally(…)`: a promise's own methods return one. */
const PROMISE_METHOD = /\.(?:then|catch|finally)$/;

/** The try statement whose block (not its catch or finally) holds `node`, with nothing in between. */
function tryAround(node: SgNode, fn: SgNode): SgNode | undefined {
  for (let child = node, up = node.parent(); up && up.id() !== fn.id(); child = up, up = up.parent()) {
    if (up.kind() === 'try_statement') return up.field('body')?.id() === child.id() ? up : undefined;
  }
  return undefined;
}

/** The statements of the try's catch block; undefined when it has no catch. */
function catchStatements(
  tryStatement: SgNode,
): { name: string | undefined; statements: SgNode[] } | undefined {
  const handler = tryStatement.field('handler');
  if (!handler) return undefined;
  const statements =
    handler
      .field('body')
      ?.children()
      .filter((child) => child.isNamed() && child.kind() !== 'comment') ?? [];
  return { name: handler.field('parameter')?.text(), statements };
}

/**
 * Whether the catch does anything but throw the same error again (`catch (e) { throw e; }`): only
 * then does skipping it change what happens.
 */
function catchActs(caught: { name: string | undefined; statements: SgNode[] }): boolean {
  const [only, ...rest] = caught.statements;
  return !(
    only !== undefined &&
    rest.length === 0 &&
    only.kind() === 'throw_statement' &&
    caught.name !== undefined &&
    only.text().replace(/\s+/g, '') === `throw${caught.name};`
  );
}

/** The names of the file's async functions, listed once per file. */
const ASYNC_NAMES = new WeakMap<FileInput, Set<string>>();

/**
 * Whether the chain's last link handles a rejection itself: `p.then(…).catch((err) => { … })`, or
 * `p.then(onDone, onFailed)`. Node-RED's runtime API returns `runtime.nodes.uninstallModule(m)
 * .then(…).catch((err) => { audit; throw err; })` from a try whose catch handles what is thrown
 * before the promise exists; the rejection has its handler already.
 */
function handlesRejection(call: SgNode, callee: string, catchRethrows: boolean): boolean {
  const args =
    call
      .field('arguments')
      ?.children()
      .filter((child) => child.isNamed() && child.kind() !== 'comment') ?? [];
  const handler = /\.catch$/.test(callee) ? args[0] : /\.then$/.test(callee) ? args[1] : undefined;
  if (!handler) return false;
  // A handler that ends by throwing passes the rejection on: when the try's catch returns a fallback
  // (`.catch((err) => { log(err); throw err; })` inside `try { … } catch { return DEFAULTS; }`), that
  // fallback is still skipped.
  return catchRethrows || !endsByThrowing(handler);
}

/** Whether a function's block body ends with a `throw` statement. */
function endsByThrowing(fn: SgNode): boolean {
  const body = fn.field('body');
  if (body?.kind() !== 'statement_block') return false;
  const statements = body.children().filter((child) => child.isNamed() && child.kind() !== 'comment');
  return statements[statements.length - 1]?.kind() === 'throw_statement';
}

/**
 * The names a call of `fn` itself is written with: `checkRepo` for `async function checkRepo()` or
 * `const checkRepo = async () => …`, `this.load` for a method `async load()`.
 */
function ownCallees(fn: SgNode): string[] {
  const own = fn.field('name')?.text();
  if (own) return fn.kind() === 'method_definition' ? [`this.${own}`] : [own];
  const holder = fn.parent();
  const name = holder?.kind() === 'variable_declarator' ? holder.field('name')?.text() : undefined;
  return name ? [name] : [];
}

/**
 * Whether nothing in `fn`'s body outside `tryStatement` throws or awaits: then every failure of a
 * call of `fn` happens inside its own copy of the try, and its catch handles it.
 */
function onlyTryFails(fn: SgNode, tryStatement: SgNode | undefined): boolean {
  const body = fn.field('body');
  if (!body || !tryStatement) return false;
  return body
    .children()
    .filter((statement) => statement.isNamed() && statement.id() !== tryStatement.id())
    .every(
      (statement) =>
        !/^(?:throw_statement|await_expression)$/.test(String(statement.kind())) &&
        !statement.find({ rule: { any: [{ kind: 'throw_statement' }, { kind: 'await_expression' }] } }),
    );
}

/** What the return gives back, when it is a call certain to be a promise; undefined otherwise. */
function returnedPromise(
  node: SgNode,
  asyncNames: ReadonlySet<string>,
  catchRethrows: boolean,
): SgNode | undefined {
  const value = node.children().find((child) => child.isNamed() && child.kind() !== 'comment');
  if (value?.kind() !== 'call_expression') return undefined;
  const callee = value.field('function')?.text().replace(/\s+/g, '') ?? '';
  if (handlesRejection(value, callee, catchRethrows)) return undefined;
  if (PROMISE_CALLEE.test(callee) || PROMISE_METHOD.test(callee) || asyncNames.has(callee)) return value;
  return undefined;
}

/**
 * `try { return fetch(url); } catch (error) { … }` in an async function (LobeChat's trace helper):
 * the function returns the promise itself, so when it rejects, the rejection passes the `catch`,
 * which only sees what is thrown before the promise is handed back. `return await` makes the catch
 * see it.
 */
function match(node: SgNode, file: FileInput): RawFinding | undefined {
  const fn = enclosingFunction(node);
  if (!fn || !isAsyncFunction(fn)) return undefined;
  const tryStatement = tryAround(node, fn);
  const caught = tryStatement ? catchStatements(tryStatement) : undefined;
  if (!caught || !catchActs(caught)) return undefined;
  let names = ASYNC_NAMES.get(file);
  if (!names) {
    names = new Set(asyncFunctions(file).keys());
    ASYNC_NAMES.set(file, names);
  }
  // A catch that ends by throwing still sends a failure to the caller; skipping it loses only its
  // own handling (a log line, a wrapped error). One that returns a fallback is bypassed entirely.
  const rethrows = caught.statements[caught.statements.length - 1]?.kind() === 'throw_statement';
  const promise = returnedPromise(node, names, rethrows);
  if (!promise) return undefined;
  const callee = promise.field('function')?.text() ?? 'the call';
  // A retry that calls the function itself (fastify's `return checkGitHubRepo(owner, repo,
  // retries - 1)` after a rate limit): the call runs this same try, and its own copy of the catch
  // handles what fails in there. Awaiting it would only run the catch a second time.
  // Only when all that can fail in the function is inside that try: a retry whose function throws
  // before it (`if (retries === 0) throw …`) hands that rejection past this catch.
  if (ownCallees(fn).includes(callee.replace(/\s+/g, '')) && onlyTryFails(fn, tryStatement)) return undefined;
  return findingAt(file, node, {
    endLine: node.range().start.line + 1,
    confidence: rethrows ? 'MED' : 'HIGH',
    ...(rethrows ? { impact: 'LOW' as const } : {}),
    message: `This async function returns \`${callee}(…)\`'s promise from inside a \`try\` without awaiting it, so when that promise rejects, the rejection goes straight to the caller: the \`catch\` below never runs for it. Write \`return await ${callee}(…)\` so that the catch handles the failure it was written for.`,
  });
}

/** A promise returned without `await` from a `try` whose `catch` is meant to handle its failure. */
export const unawaitedReturnInTry: FileDetector = {
  id: 'correctness/unawaited-return-in-try',
  category: 'correctness',
  scope: 'file',
  requires: jsGate([/\breturn\s+(?!await\b)[\w$.]+\s*\(/, /\bcatch\b/, /\basync\b/]),
  languages: ['typescript', 'tsx', 'javascript'],
  title: 'Promise returned from a try without await (its catch never runs)',
  description:
    'Inside an async function, `try { return somethingAsync(); } catch { … }` hands the promise back before it settles: a rejection skips the catch and reaches the caller unhandled by the code written for it.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    "Awaiting the returned promise only lets the catch run for its rejection, as the code intends; callers see the catch's outcome (a fallback value or a wrapped error) instead of the raw rejection.",
  confidence: 'HIGH',
  fixSketch:
    'Write `return await call(…)` inside the `try`, so that its rejection is caught by the `catch` below.',
  steps: [
    'Open the cited line: a `return` of a call inside a `try` block, in an async function, with a `catch` after the block.',
    'Change `return call(…)` to `return await call(…)`. Change nothing else.',
    'Add a test that makes the called function reject (a fake that throws, or a rejecting stub) and asserts what the catch produces: the fallback value it returns, or the error it throws instead.',
  ],
  rule: forJs({ rule: { kind: 'return_statement', inside: { kind: 'try_statement', stopBy: 'end' } } }),
  walks: forJs([ASYNC_CANDIDATES]),
  match,
};
