import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { calleeText, callReceiving, FUNCTION_KINDS, kindOf } from '../correctness/enclosing-function.ts';
import { findingAt } from '../correctness/finding-at.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';

const FS_SYNC =
  'readFileSync|writeFileSync|appendFileSync|existsSync|readdirSync|statSync|lstatSync|mkdirSync|unlinkSync|rmSync|copyFileSync|renameSync|accessSync|openSync|readSync|writeSync';
const CPU_SYNC = /(?:^|\.)(?:pbkdf2Sync|scryptSync|generateKeyPairSync|hashSync|compareSync|genSaltSync)$/;
const FS_IMPORT = /['"](?:node:)?fs['"]/;
const ROUTE =
  /^(?:app|router|\w*[rR]outer|server|fastify|api|routes?)\.(?:get|post|put|delete|patch|use|all|head|options)$/;

/** The route registration (`app.get(...)`) whose handler contains `node`, if any. */
function routeAround(node: SgNode): SgNode | undefined {
  for (const ancestor of node.ancestors()) {
    if (!FUNCTION_KINDS.has(kindOf(ancestor))) continue;
    const call = callReceiving(ancestor);
    if (call && ROUTE.test(calleeText(call))) return call;
  }
  return undefined;
}

function matchSyncIo(node: SgNode, file: FileInput): RawFinding | undefined {
  const callee = calleeText(node);
  const cpu = CPU_SYNC.test(callee);
  if (!cpu) {
    const bare = !callee.includes('.');
    if (bare && !FS_IMPORT.test(file.text)) return undefined;
    if (!bare && !/^(?:fs|fsSync|nodeFs)\./.test(callee)) return undefined;
  } else if (!/^(?:crypto|bcrypt|bcryptjs)\.|^(?:pbkdf2Sync|scryptSync|hashSync|compareSync)$/.test(callee)) {
    return undefined;
  }
  const route = routeAround(node);
  if (!route) return undefined;
  const line = node.range().start.line + 1;
  const routeText = calleeText(route);
  return findingAt(file, node, {
    endLine: line,
    confidence: cpu ? 'HIGH' : 'MED',
    message: cpu
      ? `\`${callee}()\` burns CPU synchronously inside the \`${routeText}()\` handler: while one request hashes, every other request on this process waits (tens to hundreds of milliseconds each).`
      : `\`${callee}()\` blocks the event loop inside the \`${routeText}()\` handler: every other request on this process waits for the disk on each call.`,
  });
}

const JS_RULE: NapiConfig = {
  rule: {
    kind: 'call_expression',
    has: {
      field: 'function',
      regex: `(^|\\.)(${FS_SYNC}|pbkdf2Sync|scryptSync|generateKeyPairSync|hashSync|compareSync|genSaltSync)$`,
    },
  },
};

/** Blocking file or CPU-heavy crypto calls inside an HTTP route handler. */
export const syncIoInHandler: FileDetector = {
  id: 'performance/sync-io-in-handler',
  category: 'performance',
  scope: 'file',
  // A blocking call, and a route registration (ROUTE) whose handler it can be in.
  requires: [
    /Sync/,
    // ROUTE somewhere in the text; `[rR]outer` stands for `\w*[rR]outer` (the same files, without
    // retrying a run of word characters at each position).
    /(?:\b(?:app|server|fastify|api|routes?)|[rR]outer)\.(?:get|post|put|delete|patch|use|all|head|options)\b/,
  ],
  languages: ['typescript', 'tsx', 'javascript'],
  title: 'Blocking call inside a request handler',
  description:
    'A synchronous file-system or CPU-heavy crypto call runs inside an HTTP handler. Node serves every request on one thread, so while this call runs no other request makes progress: latency for all users rises with load, and a slow disk or many concurrent logins stall the whole server.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'The async variants return the same data; the handler must await them, and errors arrive as rejections instead of throws (both already handled by an async handler).',
  confidence: 'MED',
  fixSketch:
    'Use the async API and await it (`await fs.promises.readFile(...)`, `await util.promisify(crypto.scrypt)(...)`, `await bcrypt.hash(...)`), or read static files once at startup and keep them in memory.',
  steps: [
    'Open the cited handler and make sure the handler function is `async` (add the keyword if not).',
    'Replace the synchronous call with its promise-based equivalent and `await` it: `fs.promises.readFile` / `writeFile` / `access` / `stat`, `util.promisify(crypto.pbkdf2)` or `crypto.scrypt` via promisify, `bcrypt.hash` / `bcrypt.compare`.',
    'If the file never changes at runtime (a template, a key), move the read to module load or server startup instead and reuse the value.',
    'Run the route’s tests (or add one with supertest/inject) to confirm the response is unchanged.',
  ],
  rule: { typescript: JS_RULE, tsx: JS_RULE, javascript: JS_RULE },
  match: matchSyncIo,
};
