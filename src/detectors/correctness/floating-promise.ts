import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { escapeRegExp } from '../../core/regex-literal.ts';
import { scanJs } from '../tech-debt/code-scan.ts';
import { forJs } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { walkFile } from '../walk.ts';
import { enclosingFunction, isAsyncFunction } from './enclosing-function.ts';
import { findingAt, lineGoneCheck } from './finding-at.ts';

/**
 * Functions whose text mentions `async` (a superset of the async ones): the exact check reads a
 * few functions instead of all of them. One query for every language the detector reads, so the
 * file pass can fold it into its own walk of the tree (`walks`).
 */
export const ASYNC_CANDIDATES: NapiConfig = {
  rule: {
    any: [
      { kind: 'function_declaration' },
      { kind: 'method_definition' },
      { kind: 'arrow_function' },
      { kind: 'function_expression' },
    ],
    regex: '\\basync\\b',
  },
};

/**
 * Functions declared `async` in this file, by name: `name` for functions, `this.name` for methods
 * (several when a name is declared more than once).
 */
export function asyncFunctions(file: FileInput): Map<string, SgNode[]> {
  const byName = new Map<string, SgNode[]>();
  const add = (name: string, fn: SgNode) => byName.set(name, [...(byName.get(name) ?? []), fn]);
  const fns = walkFile(file, ASYNC_CANDIDATES);
  for (const fn of fns) {
    if (!isAsyncFunction(fn)) continue;
    if (fn.kind() === 'function_declaration') {
      const name = fn.field('name')?.text();
      if (name) add(name, fn);
    } else if (fn.kind() === 'method_definition') {
      const name = fn.field('name')?.text();
      if (name) add(`this.${name}`, fn);
    } else {
      const declarator = fn.parent();
      const name = declarator?.kind() === 'variable_declarator' ? declarator.field('name') : null;
      if (name?.kind() === 'identifier') add(name.text(), fn);
    }
  }
  return byName;
}

/** Whether `node` belongs to `fn` itself, not to a function nested in it. */
function ownedBy(node: SgNode, fn: SgNode): boolean {
  return enclosingFunction(node)?.id() === fn.id();
}

/**
 * Whether an async function handles its own failures: it awaits, every await of its own sits in
 * the body of a `try` whose `catch` throws nothing, and it returns no call's promise (a returned
 * promise rejects past the `try`). Parse Server's `renewSessionIfNeeded`: called without `await`
 * on purpose, and it cannot reject from the work it awaits.
 */
function catchesOwnErrors(fn: SgNode): boolean {
  const body = fn.field('body');
  if (body?.kind() !== 'statement_block') return false;
  const awaits = body.findAll({ rule: { kind: 'await_expression' } }).filter((node) => ownedBy(node, fn));
  if (awaits.length === 0) return false;
  const returnsCall = body
    .findAll({ rule: { kind: 'return_statement', has: { kind: 'call_expression', stopBy: 'end' } } })
    .some(
      (node) =>
        ownedBy(node, fn) &&
        !node
          .text()
          .replace(/^return\s*/, '')
          .startsWith('await'),
    );
  if (returnsCall) return false;
  return awaits.every((node) => {
    for (let child = node, up = node.parent(); up && up.id() !== fn.id(); child = up, up = up.parent()) {
      if (up.kind() !== 'try_statement' || up.field('body')?.id() !== child.id()) continue;
      const handler = up.field('handler');
      if (!handler) continue;
      const rethrows = handler
        .findAll({ rule: { kind: 'throw_statement' } })
        .some((thrown) => ownedBy(thrown, fn));
      if (!rethrows) return true;
    }
    return false;
  });
}

/** A value a `return` may give that is no promise: nothing, or a literal. */
const PLAIN_RETURN = /^return\s*(?:;|$|(?:true|false|null|undefined|-?\d[\w.]*|'[^']*'|"[^"]*")\s*;?$)/;

/** A function whose errors are its result: throwing on bad input is what it is for. */
const CHECKING_NAME = /(?:^|\.)(?:validate|assert|check|verify|ensure|require)\w*$/i;

/**
 * Whether an async function does all its work before the call returns: it awaits nothing of its own
 * (no `await`, no `for await`) and returns no promise (only nothing or a literal). Dropping its
 * promise then loses only a thrown error, so one that throws on purpose (`throw`, or a checking
 * name like Uptime Kuma's `validateCron`) does not count. Apostrophe's `normalizeTypes`, which
 * edits a set in place, does.
 */
function runsSynchronously(fn: SgNode, calleeText: string): boolean {
  const body = fn.field('body');
  if (body?.kind() !== 'statement_block' || CHECKING_NAME.test(calleeText)) return false;
  const own = (rule: Record<string, unknown>) => body.findAll({ rule }).some((node) => ownedBy(node, fn));
  if (
    own({ kind: 'await_expression' }) ||
    own({ kind: 'for_in_statement', regex: '^for\\s+await\\b' }) ||
    own({ kind: 'throw_statement' })
  )
    return false;
  return body
    .findAll({ rule: { kind: 'return_statement' } })
    .every((node) => !ownedBy(node, fn) || PLAIN_RETURN.test(node.text().trim()));
}

/** Whether `node` is or holds an `await` of `fn` itself. */
function ownAwait(node: SgNode, fn: SgNode): boolean {
  if (node.kind() === 'await_expression') return ownedBy(node, fn);
  return node.findAll({ rule: { kind: 'await_expression' } }).some((awaited) => ownedBy(awaited, fn));
}

const LOOPS: ReadonlySet<string> = new Set([
  'for_statement',
  'for_in_statement',
  'while_statement',
  'do_statement',
]);

/** Whether `up` is a `try` whose `finally` (not the one `current` is in) awaits: it runs after a `return` too. */
function finalizerAwaits(current: SgNode, up: SgNode, fn: SgNode): boolean {
  const finalizer = up.kind() === 'try_statement' ? up.field('finalizer') : null;
  return !!finalizer && current.id() !== finalizer.id() && ownAwait(finalizer, fn);
}

/** Whether a `finally` around `node` (within `fn`) awaits. */
function finallyAwaits(node: SgNode, fn: SgNode): boolean {
  for (let current = node, up = node.parent(); up && up.id() !== fn.id(); current = up, up = up.parent()) {
    if (finalizerAwaits(current, up, fn)) return true;
  }
  return false;
}

/**
 * Whether `fn` itself may await anything after `node` runs: in the statements that follow it, then
 * those that follow each enclosing statement. A `return` or `throw` among them ends the path (but
 * for a `finally` around it), so what comes later in the text runs on another one: Parse Server
 * returns right after dropping the renewal, before the awaits of its other branch. In a loop, the
 * whole body runs again.
 */
function awaitsAfter(node: SgNode, fn: SgNode): boolean {
  for (let current = node, up = node.parent(); up && up.id() !== fn.id(); current = up, up = up.parent()) {
    if (LOOPS.has(String(up.kind())) && ownAwait(up, fn)) return true;
    if (finalizerAwaits(current, up, fn)) return true;
    if (up.kind() !== 'statement_block' && up.kind() !== 'switch_body' && up.kind() !== 'switch_case')
      continue;
    for (let next = current.next(); next; next = next.next()) {
      if (!next.isNamed()) continue;
      if (ownAwait(next, fn)) return true;
      if (next.kind() === 'return_statement' || next.kind() === 'throw_statement')
        return finallyAwaits(next, fn);
    }
  }
  return false;
}

/**
 * A comment that says not waiting is the point (`// Runs after response is already sent` over
 * Apostrophe's job runner, `// fire and forget`, `// in the background`).
 */
const DELIBERATE =
  /\/\/.*\b(?:background|fire[- ]and[- ]forget|(?:do not|don't|no need to|without) (?:wait|await)\w*|intentional\w*|deliberate\w*|after (?:the )?response|not awaited|no await)\b/i;

/** Whether the statement's line, or a comment line right above it, says the promise is dropped on purpose. */
function saysDeliberate(node: SgNode, file: FileInput): boolean {
  const line = node.range().start.line;
  if (DELIBERATE.test(file.lines[line] ?? '')) return true;
  for (let above = line - 1; above >= 0 && above >= line - 3; above -= 1) {
    const text = (file.lines[above] ?? '').trim();
    if (!text.startsWith('//')) return false;
    if (DELIBERATE.test(text)) return true;
  }
  return false;
}

/** Promise-valued properties that signal a later event (WebGPU, Streams, Web Animations, fonts). */
const SIGNAL_PROPERTY = /^(?:lost|ready|closed|finished|loaded|exited|done)$/;

/**
 * Code that runs in a browser page, not in Node: it touches the page, or it is a React component
 * or hook (ra-core's `useConfigureAdminRouterFromChildren.tsx`), and never the process.
 */
const BROWSER_CODE =
  /\bdocument\.|\bwindow\.|\.addEventListener\(|\buse(?:Effect|State|Callback|Memo|Ref)\(|\bthis\.\$(?:emit|refs|nextTick|el)\b|\bemits\s*:\s*\[|\bdefineComponent\(/;
/** Imports of browser-only libraries: React, Vue, DOM positioning (apostrophe's Vue input mixins). */
const BROWSER_IMPORT = /\bfrom\s+['"](?:react|react-dom|vue|@floating-ui\/dom)['"]/;
const NODE_CODE = /\bprocess\./;
const NODE_IMPORT = /\brequire\(\s*['"](?:node:|fs|path|child_process|http)/;

/**
 * What an unhandled rejection does where this file runs. Code signals are read outside comments
 * and strings: a comment about "the job document." is not the page's `document`.
 */
function unhandledOutcome(file: FileInput): string {
  const known = outcomes.get(file);
  if (known) return known;
  const { code } = scanJs(file.text);
  const browser = BROWSER_CODE.test(code) || BROWSER_IMPORT.test(file.text) || /\.[jt]sx$/.test(file.path);
  const outcome =
    browser && !NODE_CODE.test(code) && !NODE_IMPORT.test(file.text)
      ? 'the browser only reports it in the console'
      : 'Node exits by default, unless the app installs an `unhandledRejection` handler';
  outcomes.set(file, outcome);
  return outcome;
}

const outcomes = new WeakMap<FileInput, string>();

/** Whether `fn` is an async function expression called at once as a statement of the file's top level. */
function droppedScript(fn: SgNode): boolean {
  let callee = fn;
  while (callee.parent()?.kind() === 'parenthesized_expression') callee = callee.parent() as SgNode;
  const call = callee.parent();
  if (call?.kind() !== 'call_expression' || call.field('function')?.id() !== callee.id()) return false;
  const statement = call.parent();
  return statement?.kind() === 'expression_statement' && statement.parent()?.kind() === 'program';
}

function matchFloating(
  node: SgNode,
  file: FileInput,
  functions: Map<string, SgNode[]>,
): RawFinding | undefined {
  const call = node.child(0);
  if (call?.kind() !== 'call_expression') return undefined;
  const callee = call.field('function');
  if (!callee) return undefined;
  const calleeText = callee.text();
  // Cheap checks on the call first; walking up to the enclosing function costs more.
  const then = callee.kind() === 'member_expression' && callee.field('property')?.text() === 'then';
  let declared: SgNode[] | undefined;
  if (then) {
    const args =
      call
        .field('arguments')
        ?.children()
        .filter((c) => c.isNamed()) ?? [];
    if (args.length !== 1 || /\.catch\s*\(/.test(call.text())) return undefined;
    // `device.lost.then(…)`, `writer.closed.then(…)`, `document.fonts.ready.then(…)`: a listener
    // on a promise that settles when something happens later; waiting for it would hang the caller.
    const receiver = callee.field('object');
    if (
      receiver?.kind() === 'member_expression' &&
      SIGNAL_PROPERTY.test(receiver.field('property')?.text() ?? '')
    )
      return undefined;
  } else {
    declared = functions.get(calleeText);
    if (!declared) return undefined;
  }
  const fn = enclosingFunction(node);
  if (!fn || !isAsyncFunction(fn)) return undefined;
  // The fix keeps the call and puts `await`, `return` or `void` before it: the line stops
  // starting with it, though its text stays.
  const doneCheck = lineGoneCheck(file, node.range().start.line + 1, true);
  const checked = doneCheck === undefined ? {} : { doneCheck };
  if (then) {
    return findingAt(file, node, {
      ...checked,
      message: `This \`.then()\` chain is neither awaited nor returned and has no \`.catch()\`, so a rejection becomes an unhandled rejection (${unhandledOutcome(file)}) and the enclosing async function finishes before the work does.`,
    });
  }
  // `(async function () { … compute(); })()` at the top of a script (Ghost's comment counts):
  // awaiting inside would hand the rejection to the outer promise, which is dropped too.
  if (droppedScript(fn)) {
    return findingAt(file, node, {
      ...checked,
      confidence: 'LOW',
      message: `\`${then ? `${calleeText}(…)` : `${calleeText}()`}\` drops its promise inside an async function that is itself called and dropped at the top of the file, so awaiting it here only moves the rejection to that outer promise, which nothing handles either. Add \`.catch(…)\` to the outer call (or here) to handle a failure.`,
    });
  }
  if (saysDeliberate(node, file)) {
    return findingAt(file, node, {
      ...checked,
      confidence: 'LOW',
      message: `\`${calleeText}()\` is async and its promise is dropped here on purpose, as the comment says; if it rejects, nothing handles the error. \`void ${calleeText}().catch(…)\` would keep the intent and handle it.`,
    });
  }
  if (declared?.every((declaration) => runsSynchronously(declaration, calleeText))) {
    return findingAt(file, node, {
      ...checked,
      confidence: 'LOW',
      message: `\`${calleeText}()\` is declared async but awaits nothing, so its promise settles as soon as the call returns: awaiting it would wait for nothing, and only an unexpected error escapes, as an unhandled rejection instead of an exception here. Drop \`async\` from it, or \`await\` the call.`,
    });
  }
  // It cannot reject, and the caller waits for nothing after it: background work. When the caller
  // goes on to await more (Ghost saves the recommendation the dropped call was still updating),
  // the order is what matters, and it stays a finding.
  if (declared?.every(catchesOwnErrors) && !awaitsAfter(node, fn)) {
    return findingAt(file, node, {
      ...checked,
      confidence: 'LOW',
      message: `\`${calleeText}()\` is async and its promise is dropped here, but it catches the errors of what it awaits, so nothing goes unhandled; the caller only continues before it finishes. If that order matters, \`await\` it.`,
    });
  }
  return findingAt(file, node, {
    ...checked,
    message: `\`${calleeText}()\` is async (declared in this file) but its promise is dropped here: the caller continues before it finishes, and if it rejects the error is unhandled (${unhandledOutcome(file)}) instead of reaching this function’s caller.`,
  });
}

/**
 * The statements that may drop a promise: a call as a whole statement, to a function this file
 * declares async (its callee's text is that name) or to `.then`. The callee test runs natively,
 * so the file's other statements, usually thousands, never cross into JavaScript.
 */
function candidateStatements(root: SgNode, functions: Map<string, SgNode[]>, text: string): SgNode[] {
  const callees = [...functions.keys()].map((name) => `^${escapeRegExp(name)}$`);
  // `then` is the callee's last word in any `.then(…)` call.
  if (/\bthen\b/.test(text)) callees.push('then$');
  if (callees.length === 0) return [];
  const statement = { kind: 'expression_statement' };
  try {
    return root.findAll({
      rule: {
        ...statement,
        has: { kind: 'call_expression', has: { field: 'function', regex: callees.join('|') } },
      },
    });
  } catch {
    // A regex over thousands of names can pass ast-grep's size limit: every call statement then.
    return root.findAll({ rule: { ...statement, has: { kind: 'call_expression' } } });
  }
}

/** A same-file async function called without await/return/void inside an async function. */
export const floatingPromise: FileDetector = {
  id: 'correctness/floating-promise',
  category: 'correctness',
  scope: 'file',
  requires: /\basync\b/,
  languages: ['typescript', 'tsx', 'javascript'],
  walks: forJs([ASYNC_CANDIDATES]),
  title: 'Promise neither awaited nor handled (floating promise)',
  description:
    'An async call is made as a bare statement inside an async function: nothing waits for it and nothing handles its rejection. The function reports success before the work is done (races, partial writes, responses sent too early), and a failure becomes an unhandled rejection that crashes the process or is lost.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Adding `await` makes the function wait for work it already started; it can make the function slower by the duration of that call, and errors now propagate to callers.',
  confidence: 'MED',
  fixSketch:
    'Add `await` (or `return` the promise). If fire-and-forget is intended, make it explicit with `void task().catch((error) => log(error))` so failures are handled.',
  steps: [
    'Open the cited line and decide whether the caller must wait for this call (it usually must: later code or the response depends on it).',
    'If yes, put `await` in front of the call (or `return` it when it is the last statement). If it is intentionally background work, write `void call().catch((error) => logger.error(error))` instead.',
    'Run the tests; add one that makes the called function reject and asserts the rejection reaches the caller (or is logged, for background work).',
  ],
  check(file) {
    // Only an async function can drop a promise this way; without the word there is none.
    if (!file.text.includes('async')) return [];
    const root = file.ast()?.root();
    if (!root) return [];
    const functions = asyncFunctions(file);
    return candidateStatements(root, functions, file.text).flatMap(
      (statement) => matchFloating(statement, file, functions) ?? [],
    );
  },
};
