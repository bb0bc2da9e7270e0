import type { SgNode } from '@ast-grep/napi';
import { redactLine } from '../../core/redact.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import type { FileDetector, FileInput } from '../types.ts';
import { enclosingFunction, kindOf } from './enclosing-function.ts';

/** A statement that only logs: `console.error(e);`, `logger.warn("…", e);`. */
const LOG_CALL = /^(?:console|logger|log|this\.logger)\.(?:log|error|warn|info|debug|trace)\([\s\S]*\);?$/;
/**
 * A try block whose only statement releases, closes or cancels something, or removes a file
 * (`await unlink(path)` imported from `fs/promises`, Budibase's temp-file `unlinkSafe`).
 */
const CLEANUP_ONLY =
  /^\{\s*(?:await\s+)?(?:[\w.?]*\.(?:releaseLock|release|close|cancel|abort|destroy|disconnect|unref|kill|end|removeListener|off|unlink\w*|rm\w*)|(?:unlink\w*|rm|rmSync))\??\.?\([^;]*\);?\s*\}$/;
/**
 * A try block that only makes sure a directory exists (`await fs.promises.mkdir(tmpDir, {
 * recursive: true })` in nocobase, `mkdirp(dir)`, fs-extra's `ensureDir`, or a plain
 * `fs.mkdirSync(dir)` whose EEXIST is the error expected, as for Actionhero's pid folder): the
 * write into it that follows reports the failure that matters.
 */
const ENSURE_DIR_ONLY =
  /^\{\s*(?:await\s+)?[\w$.]*?\b(?:mkdir(?:Sync)?\s*\([^;]*\)|mkdirp(?:\.sync)?\s*\([^;]*\)|ensureDir(?:Sync)?\s*\([^;]*\))\s*;?\s*\}$/;
/**
 * A try block that only sends a message on a connection (`try { ws.send(JSON.stringify(m)); }
 * catch (ex) { }`, all over MeshCentral) or answers a request (`res.sendStatus(404)`): the
 * connection may have closed meanwhile, and its close and error events are where that is handled.
 * Best effort by design; only a lead.
 */
/**
 * The call's arguments (an inline callback may hold statements: `function () { ps.resume(); }`),
 * then the end of the block, or a `return` that ends the handler (`ws.send(…); return;`).
 */
const ARGUMENTS = String.raw`\((?!\s*new\b)(?:[^;{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\);?\s*(?:return;?\s*)?\}$`;
const SOCKET_SEND_ONLY = new RegExp(
  String.raw`^\{\s*(?:[\w$]+\.)*(?:\w*(?:ws|Ws|WS|socket|Socket|sock|conn|Conn|connection|Connection|peer|Peer|agent|Agent|channel|Channel|tunnel|Tunnel|relay|Relay)\w*\.(?:send|write)|res\.(?:send\w*|json|end))` +
    ARGUMENTS,
);
/**
 * The same with a message written out in the call (`sessions[i].send(JSON.stringify(m))`,
 * `x.send('{"a":1}')`, MeshCentral's `obj.sendCtrlMsg(JSON.stringify(offer))`).
 */
const MESSAGE_SEND_ONLY = new RegExp(
  String.raw`^\{\s*[\w$]+(?:\.[\w$]+|\[[\w$]+\])*\.send\w*(?=\(\s*(?:JSON\.stringify\(|['"\`]))` + ARGUMENTS,
);
/** Calls that change state somewhere (with the receiver of a method): a failure there must not look like success. */
const WRITE_ANYWHERE =
  /(?:[\w$]+\s*)?\.\s*(?:insert\w*|update\w*|upsert|save|create\w*|delete\w*|destroy|remove|write\w*|append\w*|put|post|patch|send\w*|commit|publish|emit|set)\s*\(|\b(?:fetch|writeFile\w*|appendFile\w*|unlink\w*|rename\w*|mkdir\w*)\s*\(/g;

/** A method that removes a stored file, object or folder: `deleteFile(`, `removeObjects(`, `deleteBlob(`. */
const STORED_FILE_REMOVAL = /\.\s*(?:delete|remove)(?:File|Object|Blob|Folder|Dir|Directory)s?\s*\($/;

/** Words naming a file kept beside the work: pid and lock files, backups, logs. */
const AUXILIARY_WORDS: ReadonlySet<string> = new Set([
  'pid',
  'pidfile',
  'lock',
  'lockfile',
  'backup',
  'bak',
  'log',
]);

/** Words of a log message that says the failure is expected and the run goes on on purpose. */
const SAYS_CONTINUING =
  /continu|ignor|skipp|proceed|falling back|not fatal|non-fatal|best[- ]effort|already exists|exists,/i;

/** Metric instruments: recording a measurement is not a write whose failure leaves work half-done. */
const METRIC_DECLARATION =
  /\b(?:const|let|var)\s+([\w$]+)\s*=\s*(?:new\s+(?:[\w$.]*\.)?(?:Gauge|Counter|Histogram|Summary|UpDownCounter)\b|[\w$.]*\.create(?:Counter|Gauge|Histogram|UpDownCounter|ObservableGauge)\s*\()/g;
const METRIC_NAME = /(?:metric|gauge|counter|histogram)s?$/i;
/** A cache (`caches.delete(…)`, `this.cache.set(…)`, `pageCache.put(…)`): rebuilt when it is lost. */
const CACHE_NAME = /(?:^|_|[a-z])(?:c|C)aches?$/;

/** The last file's metric instruments: a file's catches ask in turn, and each would rescan it. */
let lastMetrics: { text: string; names: Set<string> } | undefined;

/** The file's metric instruments by name (`const monitorStatus = new PrometheusClient.Gauge(…)`). */
function metricNames(text: string): Set<string> {
  if (lastMetrics?.text === text) return lastMetrics.names;
  const names = new Set<string>();
  if (/Gauge|Counter|Histogram|Summary/.test(text))
    for (const match of text.matchAll(METRIC_DECLARATION)) if (match[1]) names.add(match[1]);
  lastMetrics = { text, names };
  return names;
}

/** The top-level arguments of the call whose argument list starts at `start`, as text. */
function callArguments(text: string, start: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote = '';
  let from = start;
  for (let at = start; at < text.length; at += 1) {
    const char = text[at] ?? '';
    if (quote) {
      if (char === '\\') at += 1;
      else if (char === quote) quote = '';
    } else if (char === '"' || char === "'" || char === '`') quote = char;
    else if (char === '(' || char === '{' || char === '[') depth += 1;
    else if ((char === ')' || char === '}' || char === ']') && depth > 0) depth -= 1;
    else if (char === ',' && depth === 0) {
      args.push(text.slice(from, at).trim());
      from = at + 1;
    } else if (char === ')') {
      args.push(text.slice(from, at).trim());
      return args.filter((arg) => arg !== '');
    }
  }
  return [];
}

/**
 * Whether the `fetch(` call whose arguments start at `start` is a GET: no options, or options
 * written out with no method or with GET/HEAD. Options from elsewhere may say anything.
 */
function fetchOnlyReads(tryBlock: string, start: number): boolean {
  const args = callArguments(tryBlock, start);
  if (args.length === 0) return false;
  const options = args[1];
  if (options === undefined) return true;
  if (!options.startsWith('{')) return false;
  const method = /\bmethod\s*:\s*(\S+?)\s*[,}\n]/.exec(options)?.[1];
  return method === undefined ? !/\bmethod\b|\.\.\./.test(options) : /^['"`](?:GET|HEAD)['"`]$/i.test(method);
}

/**
 * Whether the try block changes state somewhere, other than recording a metric (Uptime Kuma's
 * Prometheus exporter logs a failed `monitorStatus.set(…)` so that monitoring goes on) or filling
 * a cache (SvelteKit opens its prerender cache and deletes old versions; without one it fetches).
 */
function writesIn(tryBlock: string, text: string): boolean {
  let metrics: Set<string> | undefined;
  for (const match of tryBlock.matchAll(WRITE_ANYWHERE)) {
    // A `fetch` that only reads (Budibase's SharePoint callback looks up the account's profile
    // and keeps "unknown" when that fails).
    if (/^fetch\s*\($/.test(match[0]) && fetchOnlyReads(tryBlock, (match.index ?? 0) + match[0].length))
      continue;
    // Removing a file (jsreport's recursive `deleteFiles`): a failure leaves a stray file behind,
    // never half-written state.
    if (/^unlink\w*\s*\($/.test(match[0])) continue;
    // So does removing a stored file or object (Budibase's `objectStore.deleteFile(bucket, key)`
    // before it removes the record that named it, `s3.deleteObject(…)`).
    if (STORED_FILE_REMOVAL.test(match[0])) continue;
    // A pid file, a lock file, a backup copy or a log line (pm2's `fs.writeFileSync(this.pid_path,
    // …)`, `PM2_RELOAD_LOCKFILE`, `DUMP_BACKUP_FILE_PATH`): bookkeeping beside the real work, whose
    // failure is logged on purpose.
    if (/writeFile\w*\s*\($/.test(match[0])) {
      const target = /^\s*([^,()]+)/.exec(tryBlock.slice((match.index ?? 0) + match[0].length))?.[1] ?? '';
      const words = target.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).map((word) => word.toLowerCase());
      if (words.some((word) => AUXILIARY_WORDS.has(word))) continue;
    }
    const receiver = /([\w$]+)\s*\.\s*[\w$]+\s*\($/.exec(match[0])?.[1];
    if (receiver === undefined) return true;
    metrics ??= metricNames(text);
    if (!metrics.has(receiver) && !METRIC_NAME.test(receiver) && !CACHE_NAME.test(receiver)) return true;
  }
  return false;
}

/**
 * Functions whose job is best-effort housekeeping, or reporting an error (pm2's `logError` writing
 * to each std stream), or keeping a cache (Budibase's `clearCachedConversationId` deleting a Redis
 * entry): a failure there is logged or dropped, not propagated.
 */
const BEST_EFFORT_FUNCTION =
  /clean_?up|prune|purge|sweep|tidy|garbage|(?:^|_)gc|dispose|teardown|shutdown|cach(?:e|ed|ing)/i;
const LOGGING_FUNCTION = /(?:^|_)log(?:[A-Z_]|$)|[a-z]Log$/;

const LOOP_KINDS: ReadonlySet<string> = new Set([
  'for_statement',
  'for_in_statement',
  'while_statement',
  'do_statement',
]);
/** Array methods whose callback runs once per item. */
const PER_ITEM_CALL = /\.(?:forEach|each|map|flatMap)$/;

/**
 * Whether nothing else happens in the iteration after `statement`: it ends the body of a loop or
 * of a per-item callback (`workers.forEach(w => { … })`), directly or as the last statement of an
 * `if` that does. A logged failure there skips one item and goes on with the next, on purpose
 * (NodeBB's loader notifying each worker process).
 */
function endsIteration(statement: SgNode): boolean {
  let current = statement;
  for (let level = 0; level < 6; level += 1) {
    const block = current.parent();
    if (!block) return false;
    const named = block.children().filter((child) => child.isNamed() && child.kind() !== 'comment');
    if (block.kind() === 'statement_block' && named[named.length - 1]?.id() !== current.id()) return false;
    const holder = block.kind() === 'statement_block' ? block.parent() : block;
    if (!holder) return false;
    if (LOOP_KINDS.has(String(holder.kind()))) return true;
    if (holder.kind() === 'arrow_function' || holder.kind() === 'function_expression') {
      const call = holder.parent()?.parent();
      const callee = call?.kind() === 'call_expression' ? (call.field('function')?.text() ?? '') : '';
      return PER_ITEM_CALL.test(callee);
    }
    if (holder.kind() !== 'if_statement' && holder.kind() !== 'else_clause') return false;
    current = holder.kind() === 'else_clause' ? (holder.parent() ?? holder) : holder;
  }
  return false;
}

/**
 * Whether `node` runs in a script's outermost code: at module level, or in the body of a function
 * the module calls at once (`(function () { … })()`, `(async () => { … })()`). A failure logged
 * there has no caller to report to; Ghost's member-attribution script logs and goes on so that
 * the page keeps working.
 */
function inOutermostCode(node: SgNode): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return true;
  if (fn.kind() !== 'function_expression' && fn.kind() !== 'arrow_function') return false;
  let callee: SgNode = fn;
  while (callee.parent()?.kind() === 'parenthesized_expression') callee = callee.parent() ?? callee;
  const call = callee.parent();
  if (call?.kind() !== 'call_expression' || call.field('function')?.id() !== callee.id()) return false;
  let statement = call.parent();
  while (
    statement &&
    /^(?:parenthesized_expression|await_expression|unary_expression)$/.test(kindOf(statement))
  )
    statement = statement.parent();
  return statement?.kind() === 'expression_statement' && statement.parent()?.kind() === 'program';
}

/**
 * Calls that run a callback later, from an event, a timer or a schedule (Directus's daily
 * telemetry `scheduleSynchronizedJob('…', '0 0 * * *', async () => …)`), not for the code that
 * made them.
 */
const DETACHING_CALL =
  /(?:^|\.)(?:on|once|addListener|prependListener|setInterval|setTimeout|setImmediate|nextTick|schedule\w*|cron\w*)$/i;

/**
 * Whether the catch is in a function handed straight to an event emitter or a timer
 * (`emitter.on('x', (s) => { try { res.write(…) } catch … })`, `setInterval(() => …)`): a throw
 * there reaches the emitter's caller or the event loop, never the code that wrote the callback.
 */
function detachedCallback(node: SgNode): boolean {
  const fn = enclosingFunction(node);
  if (!fn || (fn.kind() !== 'function_expression' && fn.kind() !== 'arrow_function')) return false;
  const args = fn.parent();
  const call = args?.kind() === 'arguments' ? args.parent() : undefined;
  return call?.kind() === 'call_expression' && DETACHING_CALL.test(call.field('function')?.text() ?? '');
}

/** Whether the function around `node` is written as an argument of a call: a callback. */
function passedAsCallback(node: SgNode): boolean {
  const fn = enclosingFunction(node);
  if (!fn || (fn.kind() !== 'function_expression' && fn.kind() !== 'arrow_function')) return false;
  return fn.parent()?.kind() === 'arguments';
}

/** Whether the catch's try statement sits in the body of another catch that throws. */
function insideRethrowingCatch(node: SgNode): boolean {
  const outer = node.parent()?.parent()?.parent();
  if (outer?.kind() !== 'catch_clause') return false;
  return (outer.field('body')?.children() ?? []).some((statement) => statement.kind() === 'throw_statement');
}

/**
 * Whether the catch's try statement runs while another error is being handled: inside the body of
 * a catch of the same function (LobeChat's static file server writes a 500 response in its catch,
 * and logs if even that fails). The first error is the one that matters; a failure of the
 * recovery can only be logged beside it.
 */
function inRecoveryOfAnotherError(node: SgNode): boolean {
  const tryStatement = node.parent();
  const fn = enclosingFunction(node);
  for (let up = tryStatement?.parent(); up && up.id() !== fn?.id(); up = up.parent())
    if (up.kind() === 'catch_clause') return true;
  return false;
}

/**
 * The done check's program: the file, whitespace collapsed, holds fewer copies of the catch block
 * (also collapsed) than it did. A fix changes the block's body, whatever happens to its first line.
 */
const FEWER_COPIES =
  "const t=require('fs').readFileSync(process.argv[1],'utf8').replace(/\\s+/g,' ');process.exit(t.split(process.argv[2]).length-1<Number(process.argv[3])?0:1)";

/**
 * A check that fails while the catch block reads as it does (`catch (e) { console.error(e); }`,
 * however it is laid out) and passes once it changed; undefined when its text holds a secret.
 */
/** Each file's text with whitespace collapsed, made once for all its catches. */
const collapsedTexts = new WeakMap<FileInput, string>();

function blockChangedCheck(node: SgNode, file: FileInput): string | undefined {
  const block = node.text().replace(/\s+/g, ' ').trim();
  if (redactLine(block) !== block) return undefined;
  let collapsed = collapsedTexts.get(file);
  if (collapsed === undefined) {
    collapsed = file.text.replace(/\s+/g, ' ');
    collapsedTexts.set(file, collapsed);
  }
  const copies = collapsed.split(block).length - 1;
  return `node -e ${shellQuote(FEWER_COPIES)} ${shellQuote(file.path)} ${shellQuote(block)} ${Math.max(1, copies)}`;
}

/**
 * `{ if (dispatcher && typeof dispatcher.destroy === 'function') await dispatcher.destroy(); }`
 * (LobeChat's proxy dispatcher): the one statement under the only `if` of a block (no else), as a
 * block of its own; undefined for any other block.
 */
function guardedStatement(block: SgNode | null | undefined): string | undefined {
  const statements = block?.children().filter((child) => child.isNamed() && child.kind() !== 'comment') ?? [];
  const [only] = statements;
  if (statements.length !== 1 || only?.kind() !== 'if_statement' || only.field('alternative'))
    return undefined;
  const consequence = only.field('consequence');
  if (!consequence) return undefined;
  return consequence.kind() === 'statement_block' ? consequence.text() : `{ ${consequence.text()} }`;
}

/** A function named for the event it handles: `onlogin`, `onSubmit`, `handleClick`. */
const EVENT_HANDLER = /^on[A-Za-z]|^handle[A-Z]/;
/** Code that runs in a browser page. */
const BROWSER_CODE = /\bdocument\.|\bwindow\.|\.addEventListener\(/;

/** The name of the nearest named function around `node` (declaration, method, or `const f = () => …`). */
function enclosingName(node: SgNode): string | undefined {
  let fn = enclosingFunction(node);
  for (let level = 0; fn && level < 4; level += 1) {
    const holder = fn.parent();
    const name =
      fn.field('name')?.text() ??
      (holder?.kind() === 'variable_declarator' || holder?.kind() === 'pair'
        ? (holder.field('name') ?? holder.field('key'))?.text()
        : undefined);
    if (name) return name;
    fn = enclosingFunction(fn);
  }
  return undefined;
}

/** A catch block that is empty or only logs: the error is swallowed and the caller never knows. */
export const emptyCatch: FileDetector = {
  id: 'correctness/empty-catch',
  category: 'correctness',
  scope: 'file',
  requires: /\bcatch\b/,
  languages: ['typescript', 'tsx', 'javascript'],
  title: 'Error swallowed by an empty or log-only catch',
  description:
    'This catch block discards the error (it is empty or only logs it), so a failed operation looks like a successful one to every caller and the failure surfaces later, far from its cause.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Re-throwing or returning an error changes only the failure path; the success path is untouched.',
  confidence: 'HIGH',
  fixSketch:
    'Decide what the caller should see: re-throw (wrapped with context), return a typed error value, or handle the failure explicitly. If ignoring is truly intended, say why in a comment inside the block.',
  steps: [
    'Read the function around the catch block and find every caller of it, to learn what they expect on failure.',
    'Replace the empty or log-only catch body with explicit handling: re-throw with context (`throw new Error("…", { cause: error })`) or return the error to the caller, following how the rest of the file reports failures. If the callers show that carrying on after this failure is intended (best-effort work that must not stop them), keep the block and the code it guards, and write a comment inside the block that says why instead.',
    'Add a test that makes the guarded call fail and asserts that the failure reaches the caller.',
  ],
  rule: { rule: { kind: 'catch_clause' } },
  match(node, file) {
    const body = node.field('body');
    if (!body) return undefined;
    const inside = body.children().filter((child) => child.isNamed());
    // A comment says the swallowing is deliberate; that is a decision, not an accident. So does
    // silencing the linter's rule against it: `} catch (e) {} // eslint-disable-line no-empty`.
    if (inside.some((child) => child.kind() === 'comment')) return undefined;
    const end = node.range().end.line;
    const around = `${file.lines[node.range().start.line - 1] ?? ''}\n${file.lines[end] ?? ''}`;
    if (/eslint-disable(?:-next)?-line\b[^\n]*\bno-empty\b/.test(around)) return undefined;
    const logOnly = inside.length > 0 && inside.every((statement) => LOG_CALL.test(statement.text()));
    if (inside.length > 0 && !logOnly) return undefined;
    // `catch (_ignored) {}` names the decision; a try that only releases or closes something is
    // best-effort cleanup. Neither is an accident.
    const parameter = node.field('parameter')?.text() ?? '';
    if (/^_|^ignored?$/i.test(parameter)) return undefined;
    const tryBody = node.parent()?.field('body');
    const tryBlock = tryBody?.text() ?? '';
    if (CLEANUP_ONLY.test(tryBlock) || CLEANUP_ONLY.test(guardedStatement(tryBody) ?? '')) return undefined;
    // Cleanup in a catch that re-throws (Directus's upload: delete the half-written file, then
    // `throw err`): the error that matters reaches the caller; this one would only replace it.
    if (insideRethrowingCatch(node)) return undefined;
    // Writes inside a cleanup routine (`_cleanupUnusedFiles`, `prune`, `dispose`): a failure is
    // logged on purpose so housekeeping never breaks the real work; only a lead.
    const tryStatement = node.parent();
    const functionName = enclosingName(node) ?? '';
    const writes =
      writesIn(tryBlock, file.text) &&
      !ENSURE_DIR_ONLY.test(tryBlock) &&
      !SOCKET_SEND_ONLY.test(tryBlock) &&
      !MESSAGE_SEND_ONLY.test(tryBlock) &&
      // The log says the failure is expected and the run goes on (`"… exists, continuing"`).
      !(logOnly && inside.some((statement) => SAYS_CONTINUING.test(statement.text()))) &&
      !BEST_EFFORT_FUNCTION.test(functionName) &&
      !LOGGING_FUNCTION.test(functionName) &&
      // A logged failure that ends a loop's iteration skips that item on purpose: only a lead.
      !(logOnly && tryStatement && endsIteration(tryStatement)) &&
      // Logged where nobody called: a script's outermost code, or a browser event handler
      // (Radicale's `onlogin`), can only log; the browser would log an uncaught error anyway.
      !(
        logOnly &&
        (inOutermostCode(node) || (EVENT_HANDLER.test(functionName) && BROWSER_CODE.test(file.text)))
      ) &&
      // A failure while recovering from another error (the error response, marking the tasks
      // failed): the error being handled is what the caller learns about.
      !inRecoveryOfAnotherError(node) &&
      // An event listener or a timer's callback has no caller to tell either: whatever it throws
      // goes to the emitter or the event loop (Node Media Server's SSE writes and keep-alive ping).
      !detachedCallback(node) &&
      // Nor has a callback in a browser page (Node-RED's debug window: `$(function () {
      // RED.i18n.init(opts, function () { try { … } catch (err) { console.error(err) } }) })`).
      !(logOnly && BROWSER_CODE.test(file.text) && passedAsCallback(node));
    const range = node.range();
    const doneCheck = blockChangedCheck(node, file);
    return {
      file: file.path,
      ...(doneCheck ? { doneCheck } : {}),
      startLine: range.start.line + 1,
      endLine: range.end.line + 1,
      confidence: writes ? (logOnly ? 'MED' : 'HIGH') : 'LOW',
      // Away from writes nothing is left half-done: a lead to read, not a likely failure.
      ...(writes ? {} : { impact: 'LOW' as const }),
      ...(logOnly ? { title: 'Error only logged by a catch, then execution goes on' } : {}),
    };
  },
};
