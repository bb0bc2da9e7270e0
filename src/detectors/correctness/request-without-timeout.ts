import type { SgNode } from '@ast-grep/napi';
import { escapeRegExp } from '../../core/regex-literal.ts';
import { pythonCall, pythonMethodCall } from '../call-rules.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import { programWithArguments } from '../merge-checks.ts';
import { assignedValues } from '../security/value-source.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { callArguments, enclosingFunction, keywordValue } from './enclosing-function.ts';
import { findingAt } from './finding-at.ts';

/** The HTTP methods of `requests` and of a `requests.Session`. */
const VERBS = 'get|post|put|patch|delete|head|options|request';
/** `requests`' module-level calls, and the standard library's `urlopen`. */
const CALLEE = `^(?:requests\\.(?:${VERBS})|(?:urllib\\.request\\.|urllib2\\.)?urlopen)$`;
const MODULE_CALL = new RegExp(CALLEE);
const SESSION_METHOD = new RegExp(`^(?:${VERBS})$`);
/** `import requests` (alone or in a list): what makes `requests.get` the library's. */
const IMPORTS_REQUESTS = /^[ \t]*import[ \t]+(?:[\w.]+[ \t]*,[ \t]*)*requests\b(?![ \t]+as\b)/m;
/** A bare `urlopen` imported from the standard library (Python 3 or 2, or six's alias). */
const IMPORTS_URLOPEN =
  /^[ \t]*from[ \t]+(?:urllib\.request|urllib2|six\.moves\.urllib\.request)[ \t]+import[^\n]*\burlopen\b/m;
/** `import urllib.request` or `import urllib2` (alone or in a list), for `urllib.request.urlopen`. */
const IMPORTS_URLLIB = /^[ \t]*import[ \t]+(?:[\w.]+[ \t]*,[ \t]*)*urllib2?\b/m;
/**
 * Names the file gives the standard library's `urllib.request` (buildbot's `from urllib import
 * request as urllib_request`, `import urllib.request as ur`): `NAME.urlopen(…)` is its `urlopen`.
 */
const URLLIB_ALIAS =
  /^[ \t]*(?:from[ \t]+(?:six\.moves\.)?urllib[ \t]+import[ \t]+request(?:[ \t]+as[ \t]+(\w+))?|import[ \t]+urllib\.request[ \t]+as[ \t]+(\w+))/gm;

function urllibAliases(text: string): Set<string> {
  return new Set([...text.matchAll(URLLIB_ALIAS)].map((match) => match[1] ?? match[2] ?? 'request'));
}

/** A process-wide default timeout, which both libraries fall back on. */
const DEFAULT_TIMEOUT = /\bsetdefaulttimeout\s*\(/;
const NEW_SESSION = /^requests\.[Ss]ession\(\)$/;
/**
 * A session given a default timeout another way: a transport adapter mounted on it (the usual
 * `TimeoutHTTPAdapter`), or its `request` method replaced (`s.request = functools.partial(…)`).
 */
const SESSION_DEFAULTS = /\.mount\(|\.request\s*=(?!=)|partial\([^)]*\.request\b/;

/**
 * The done check, one line: exits 1 while a call of `callee` whose first line reads `text` has no
 * timeout, or while the file holds more calls of `callee` without one than it did less the places
 * the check covers (a call laid out anew, with no timeout still, is no fix); 0 otherwise. Python's
 * own parser reads the calls, so a timeout added on a later line of a call counts. It takes any
 * number of (file, text, callee, count) quadruples, so that a plan covering several calls has one
 * check (mergeDoneChecks).
 */
const CHECK_PROGRAM = [
  'import ast,sys,collections',
  'a=sys.argv[1:];Q=list(zip(a[::4],a[1::4],a[2::4],a[3::4]))',
  'C=lambda f,c:[(n,L) for s in [open(f,"rb").read()] for L in [s.decode(errors="replace").split("\\n")] for n in ast.walk(ast.parse(s)) if isinstance(n,ast.Call) and ast.unparse(n.func)==c and len(n.args)<3 and not any(isinstance(x,ast.Starred) for x in n.args) and not any(k.arg in("timeout",None) for k in n.keywords)]',
  'K=collections.Counter((f,c) for f,t,c,n in Q);N={(f,c):int(n) for f,t,c,n in Q}',
  'sys.exit(any(L[n.lineno-1].strip()==t for f,t,c,_ in Q for n,L in C(f,c)) or any(len(C(f,c))>N[f,c]-K[f,c] for f,c in K))',
].join(';');
const CHECK_PREFIX = `python3 -c ${shellQuote(CHECK_PROGRAM)} `;

/**
 * Calls of `callee` in the file without a timeout, as the done check counts them (it skips any
 * call with three positional arguments). Only calls of `callee` cross into JavaScript.
 */
function untimedCalls(node: SgNode, callee: string): number {
  const parts = callee.split('.').map(escapeRegExp).join('\\s*\\.\\s*');
  return node
    .getRoot()
    .root()
    .findAll(pythonCall(`^${parts}$`))
    .filter(
      (call) =>
        call.field('arguments')?.kind() === 'argument_list' &&
        !mayHaveTimeout(call, callee) &&
        callArguments(call).filter((arg) => arg.kind() !== 'keyword_argument').length < 3,
    ).length;
}

function doneCheck(file: FileInput, node: SgNode, line: number, callee: string): string | undefined {
  const text = file.lines[line - 1]?.trim();
  if (!text) return undefined;
  const compact = callee.replace(/\s+/g, '');
  const count = String(Math.max(1, untimedCalls(node, compact)));
  return `${CHECK_PREFIX}${[file.path, text, compact, count].map(shellQuote).join(' ')}`;
}

/** Whether the call sets a timeout, or may (`**options`, `*args`): `urlopen(url, data, 10)` is positional. */
function mayHaveTimeout(call: SgNode, callee: string): boolean {
  const args = callArguments(call);
  if (args.some((arg) => arg.kind() === 'dictionary_splat' || arg.kind() === 'list_splat')) return true;
  if (keywordValue(args, 'timeout')) return true;
  // `urlopen(url, data, timeout)`; requests' functions take at most two arguments by position.
  const positional = args.filter((arg) => arg.kind() !== 'keyword_argument');
  return callee.endsWith('urlopen') && positional.length >= 3;
}

/**
 * Whether the receiver of `session.get(…)` is a `requests.Session()` this file creates as it is:
 * a local assigned one (`s = requests.Session()`, `with requests.Session() as s:`) or an attribute
 * the class sets to one (`self.session = requests.Session()`).
 */
function plainSession(receiver: SgNode, file: FileInput): boolean {
  if (SESSION_DEFAULTS.test(file.text)) return false;
  const name = receiver.text();
  if (receiver.kind() === 'identifier') {
    const values = assignedValues(name, receiver, true);
    if (values.length > 0) return values.every((value) => NEW_SESSION.test(value.text()));
    const scope = enclosingFunction(receiver)?.text() ?? file.text;
    return new RegExp(`\\bwith\\s+requests\\.[Ss]ession\\(\\)\\s+as\\s+${escapeRegExp(name)}\\s*:`).test(
      scope,
    );
  }
  const attribute = /^self\.(\w+)$/.exec(name)?.[1];
  if (!attribute) return false;
  const assigned = [
    ...file.text.matchAll(new RegExp(`\\bself\\.${attribute}\\s*=(?!=)[ \\t]*([^\\n]+)`, 'g')),
  ];
  return assigned.length > 0 && assigned.every((match) => NEW_SESSION.test((match[1] ?? '').trim()));
}

/** Whether the file imports the library the call belongs to (a session's is `requests`). */
function libraryImported(callee: string, session: boolean, text: string): boolean {
  if (session || callee.startsWith('requests.')) return IMPORTS_REQUESTS.test(text);
  return callee === 'urlopen' ? IMPORTS_URLOPEN.test(text) : IMPORTS_URLLIB.test(text);
}

function matchCall(node: SgNode, file: FileInput): RawFinding | undefined {
  const callee = node.field('function')?.text() ?? '';
  if (node.field('arguments')?.kind() !== 'argument_list') return undefined;
  const receiver = node.field('function')?.field('object') ?? undefined;
  const aliased =
    /\.urlopen$/.test(callee) &&
    receiver?.kind() === 'identifier' &&
    urllibAliases(file.text).has(receiver.text());
  const session = !MODULE_CALL.test(callee) && !aliased;
  if (!aliased && !libraryImported(callee, session, file.text)) return undefined;
  if (session) {
    const method = node.field('function')?.field('attribute')?.text() ?? '';
    if (!SESSION_METHOD.test(method) || !receiver || !plainSession(receiver, file)) return undefined;
  }
  if (DEFAULT_TIMEOUT.test(file.text) || mayHaveTimeout(node, callee)) return undefined;
  const line = node.range().start.line + 1;
  const check = doneCheck(file, node, line, callee);
  const why = session
    ? `\`${receiver?.text()}\` is a plain \`requests.Session()\`, and a session has no default timeout either`
    : callee.startsWith('requests.')
      ? 'requests never times out by default'
      : '`urlopen` waits as long as the socket does, which by default is forever';
  return findingAt(file, node, {
    endLine: line,
    ...(check ? { doneCheck: check } : {}),
    message: `\`${callee}(…)\` has no timeout. ${why}: if the server accepts the connection and then stops answering (overloaded, a dropped packet, a proxy that hangs), this call waits forever and holds its thread, a web worker or a job, with it.`,
  });
}

/** Python HTTP calls made without a timeout (`requests.get(url)`, `urlopen(url)`), which can hang forever. */
export const requestWithoutTimeout: FileDetector = {
  id: 'correctness/request-without-timeout',
  category: 'correctness',
  scope: 'file',
  requires: { python: /\brequests\.\w+\(|\burlopen\(/ },
  languages: ['python'],
  title: 'HTTP request without a timeout',
  description:
    'An HTTP call is made without a timeout. `requests` has none by default and `urlopen` falls back on the socket default, which is none: when the other side accepts the connection and never answers, the call blocks forever. In a web app that is a worker gone until restart; in a job or a CLI, a run that never ends and holds whatever it locked.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'A timeout only turns a hang into an exception at the call; callers that already handle connection errors handle it too (`requests.exceptions.Timeout` is a `RequestException`).',
  confidence: 'MED',
  fixSketch:
    'Pass `timeout=` to every call: a (connect, read) pair such as `timeout=(3.05, 30)` for requests, `timeout=30` for `urlopen`, from one module-level constant so that it is chosen in one place; in a library, take a `timeout` parameter with a finite default instead. Where the code already catches `requests.RequestException` or `URLError`, a timeout lands there; otherwise decide what the caller should do on `Timeout` (retry, report, fail the job).',
  steps: [
    'Open each cited call and note what it talks to and how long a normal answer takes (a file download may need a longer read timeout than an API call).',
    'Add one constant for the timeout near the top of the module (or reuse the project’s own, if it has one), e.g. `HTTP_TIMEOUT = (3.05, 30)`, and pass `timeout=HTTP_TIMEOUT` to each cited call.',
    'Check what happens when the timeout fires: the call raises `requests.exceptions.Timeout` (or `socket.timeout`/`URLError` for urlopen). Make sure the surrounding code catches it where it already catches connection errors, or let it propagate where failing is right.',
    'Add or update a test that makes the call against a server that never answers (or mocks the call to raise the timeout exception) and asserts the code fails fast the way you chose.',
    'Run the done check and the test command; both must pass.',
  ],
  rule: {
    python: {
      rule: {
        any: [
          pythonCall(CALLEE).rule,
          pythonMethodCall(SESSION_METHOD.source),
          pythonMethodCall('^urlopen$'),
        ],
      },
    },
  },
  match: matchCall,
  mergeDoneChecks: programWithArguments(CHECK_PREFIX),
};
