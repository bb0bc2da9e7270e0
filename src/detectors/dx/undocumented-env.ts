import { escapeRegExp } from '../../core/regex-literal.ts';
import type { FileRole } from '../../core/types.ts';
import { codeIndex } from '../tech-debt/code-index.ts';
import { lineAt, lineStarts, scanJs, scanPython } from '../tech-debt/code-scan.ts';
import { importGraph } from '../tech-debt/import-graph.ts';
import { ensureWords } from '../tech-debt/scoped-graph.ts';
import type { RawFinding, RepoContext, RepoDetector } from '../types.ts';
import { shellQuote } from './shell-quote.ts';

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const JS_READS = [
  new RegExp(`\\bprocess\\.env\\.(${NAME})`, 'g'),
  new RegExp(`\\bprocess\\.env\\[\\s*['"\`](${NAME})['"\`]\\s*\\]`, 'g'),
  new RegExp(`\\bimport\\.meta\\.env\\.(${NAME})`, 'g'),
  new RegExp(`\\b(?:Deno\\.env\\.get|Bun\\.env\\.get)\\(\\s*['"](${NAME})['"]`, 'g'),
  new RegExp(`\\bBun\\.env\\.(${NAME})`, 'g'),
];
const JS_DESTRUCTURE = /\b(?:const|let|var)\s*\{([^}]*)\}\s*=\s*process\.env\b/g;
const PY_READS = [
  new RegExp(`\\bos\\.environ\\[\\s*['"](${NAME})['"]\\s*\\]`, 'g'),
  // `os.environ.get`, or `environ.get` imported from os; not a WSGI request's `request.environ`.
  new RegExp(`(?:\\bos\\.|(?<![\\w.]))environ\\.(?:get|pop)\\(\\s*['"](${NAME})['"]`, 'g'),
  new RegExp(`\\b(?:os\\.)?getenv\\(\\s*['"](${NAME})['"]`, 'g'),
  new RegExp(`(?<![\\w.])environ\\[\\s*['"](${NAME})['"]\\s*\\]`, 'g'),
];
/** Sphinx's markup for an environment variable: `.. envvar:: NAME`, :envvar:`NAME`. */
const SPHINX_ENVVAR = /(?:\.\.\s+envvar::\s*|:envvar:`)([A-Za-z_][A-Za-z0-9_]*)/g;
/** `from os import environ` (alone or among other names, possibly in parentheses). */
const PY_ENVIRON_IMPORT = /^[ \t]*from[ \t]+os[ \t]+import[ \t]+(?:\([^)]*|[^\n]*)\benviron\b/m;
/** A constant value: a quoted string without interpolation, a number or a keyword constant. */
const LITERAL = `(?:'[^'\\n{}$]*'|"[^"\\n{}$]*"|\\d+(?:\\.\\d+)?|True|False|None|true|false)`;
/**
 * Variables the program sets to a constant for itself or its children, with Python's
 * `os.environ.setdefault('X', '1')` and `os.putenv('X', '1')`; assignments (`process.env.X = '1'`,
 * `os.environ['X'] = '1'`) are found by the read patterns, `os.environ.update(…)` apart.
 */
const PY_SETS = [
  new RegExp(
    `(?:\\bos\\.|(?<![\\w.]))environ\\.setdefault\\(\\s*['"](${NAME})['"]\\s*,\\s*${LITERAL}\\s*\\)`,
    'g',
  ),
  new RegExp(`\\b(?:os\\.)?putenv\\(\\s*['"](${NAME})['"]\\s*,\\s*${LITERAL}\\s*\\)`, 'g'),
];
/** What follows a variable's `=` when the program assigns it a constant. */
const ASSIGNED_LITERAL = new RegExp(`^[ \\t]*=[ \\t]*${LITERAL}[ \\t\\r]*(?:[;,)]|$)`);
const PY_ENV_UPDATE = /(?:\bos\.|(?<![\w.]))environ\.update\(/g;
/**
 * A name for the environment or a copy of it, for a child process: `const childEnv = process.env`
 * (Express Gateway), `Object.assign({}, process.env)`, `{ ...process.env }`.
 */
const JS_ENV_COPY = new RegExp(
  `\\b(${NAME})\\s*=\\s*(?:process\\.env\\b(?!\\s*\\.)|Object\\.assign\\(\\s*\\{\\s*\\}\\s*,\\s*process\\.env\\b|\\{\\s*\\.\\.\\.process\\.env\\b)`,
  'g',
);
/**
 * Python's copy of the environment for a child process: `environ = os.environ.copy()` (Bottle's
 * reloader), `env = dict(os.environ)`, `environ = self.cfg.env_orig.copy()` (Gunicorn's re-exec,
 * `GUNICORN_PID`, `GUNICORN_FD`). Whatever it sets in the copy is the parent talking to its
 * child (`environ['BOTTLE_LOCKFILE'] = lockfile`), not configuration anyone sets by hand.
 */
const PY_ENV_COPY = new RegExp(
  `^[ \\t]*(${NAME})[ \\t]*=[ \\t]*(?:(?:os\\.)?environ\\.copy\\(\\s*\\)|dict\\(\\s*(?:os\\.)?environ\\s*\\)|[\\w.]*\\benv\\w*\\.copy\\(\\s*\\))`,
  'gm',
);
/** `{**os.environ, 'X': …}`: the keys a child's environment adds to a copy of this one. */
const PY_ENV_MERGE = /\{\s*\*\*\s*(?:os\.)?environ\s*,([^{}]*)\}/g;
const PY_MERGE_KEY = new RegExp(`['"](${NAME})['"]\\s*:`, 'g');
/** `{ ...process.env, X: '1' }` handed to a child process: the keys set to a constant after the spread. */
const JS_ENV_SPREAD = /\.\.\.process\.env\s*,([^{}]*)\}/g;
const OBJECT_KEY = new RegExp(`(?:^|[\\s,])['"]?(${NAME})['"]?\\s*:\\s*${LITERAL}\\s*(?=[,}]|$)`, 'g');
/** In `os.environ.update(…)`: `X='1'` and `{'X': '1'}`. */
const UPDATE_KEYWORD = new RegExp(`(?:^|[(,{\\s])(${NAME})\\s*=\\s*${LITERAL}\\s*(?=[,)]|$)`, 'g');
const UPDATE_KEY = new RegExp(`['"](${NAME})['"]\\s*:\\s*${LITERAL}\\s*(?=[,}]|$)`, 'g');
/** Methods every object has: `process.env.hasOwnProperty(key)` asks about a key, it reads no variable. */
const OBJECT_METHODS: ReadonlySet<string> = new Set([
  'hasOwnProperty',
  'propertyIsEnumerable',
  'isPrototypeOf',
  'toString',
  'toLocaleString',
  'valueOf',
]);
/** Set by the OS, the shell, CI, a runtime or a tool: nobody needs them documented. */
const WELL_KNOWN = new Set(
  (
    'NODE_ENV CI HOME PATH USER USERNAME SHELL TERM PWD OLDPWD TMPDIR TEMP TMP LANG LANGUAGE LC_ALL LC_CTYPE ' +
    'LC_MESSAGES TZ DEBUG NO_COLOR FORCE_COLOR COLORTERM TERM_PROGRAM HOSTNAME PORT NODE_OPTIONS NODE_DEBUG ' +
    'NODE_PATH NODE_V8_COVERAGE NODE_EXTRA_CA_CERTS NODE_TLS_REJECT_UNAUTHORIZED APPDATA LOCALAPPDATA USERPROFILE ' +
    'EDITOR VISUAL PAGER BROWSER DISPLAY OSTYPE HOSTTYPE MACHTYPE NVM_DIR NVM_HOME NVM_BIN ' +
    'JEST_WORKER_ID VITEST PYTHONPATH PYTHONUNBUFFERED PYTHONDONTWRITEBYTECODE VIRTUAL_ENV LOGNAME SUDO_USER ' +
    'HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy ALL_PROXY COLUMNS LINES MODE DEV PROD SSR ' +
    'BASE_URL GITLAB_CI BUILD_NUMBER JENKINS_URL TRAVIS CIRCLECI NETLIFY VERCEL TERM_SESSION_ID WT_SESSION ' +
    'SHLVL INIT_CWD PKG_EXECPATH ' +
    // compilers and build tools read these by convention
    'CC CXX CPP LD AR AS NM RANLIB STRIP CFLAGS CXXFLAGS CPPFLAGS LDFLAGS LDSHARED ARCHFLAGS MAKE MAKEFLAGS ' +
    'MACOSX_DEPLOYMENT_TARGET SDKROOT DEVELOPER_DIR JAVA_HOME GOPATH GOROOT CARGO_HOME RUSTUP_HOME ' +
    // the CGI and WSGI request environment
    'REQUEST_METHOD CONTENT_TYPE CONTENT_LENGTH QUERY_STRING PATH_INFO SCRIPT_NAME SERVER_NAME SERVER_PORT ' +
    'SERVER_PROTOCOL SERVER_SOFTWARE GATEWAY_INTERFACE REMOTE_ADDR REMOTE_HOST REMOTE_USER AUTH_TYPE ' +
    // shell completion, reproducible builds, terminals
    'COMP_LINE COMP_POINT COMP_WORDS COMP_CWORD COMP_TYPE COMP_KEY SOURCE_DATE_EPOCH TERMINFO COLORFGBG ' +
    'CLICOLOR CLICOLOR_FORCE UV_THREADPOOL_SIZE ' +
    // sudo's record of who ran it, and Cloud Foundry's service bindings
    'SUDO_UID SUDO_GID SUDO_COMMAND VCAP_SERVICES VCAP_APPLICATION ' +
    // OpenSSL's, curl's and requests' certificate settings, the TLS key log, and ~/.netrc's location
    'SSL_CERT_FILE SSL_CERT_DIR SSLKEYLOGFILE REQUESTS_CA_BUNDLE CURL_CA_BUNDLE NETRC ' +
    // systemd's socket activation and service protocol (CherryPy reads LISTEN_PID)
    'LISTEN_PID LISTEN_FDS LISTEN_FDNAMES NOTIFY_SOCKET WATCHDOG_USEC WATCHDOG_PID INVOCATION_ID JOURNAL_STREAM'
  ).split(' '),
);
/** Windows' own variables, whose names Windows matches in any case (nodemon reads `comspec`). */
const WINDOWS = new Set(
  (
    'APPDATA LOCALAPPDATA USERPROFILE PROGRAMFILES PROGRAMFILES(X86) PROGRAMW6432 COMMONPROGRAMFILES PROGRAMDATA ' +
    'SYSTEMROOT SYSTEMDRIVE WINDIR COMSPEC PATHEXT HOMEDRIVE HOMEPATH USERDOMAIN COMPUTERNAME ' +
    'PROCESSOR_ARCHITECTURE PROCESSOR_ARCHITEW6432 NUMBER_OF_PROCESSORS PATH TEMP TMP USERNAME'
  ).split(' '),
);
const WELL_KNOWN_PREFIX =
  /^(?:npm_|NODE_|GITHUB_|RUNNER_|XDG_|CONDA_|SSH_|VERCEL_|NETLIFY_|CI_|VITEST_|BROWSERSLIST|PYTHON|HTTP_|LC_|KUBERNETES_|_)|_(?:host|target)$/;
const CODE_ROLES: ReadonlySet<FileRole> = new Set(['source', 'config']);
/** Non-code files where a variable counts as documented. */
const DOC_FILE =
  /\.(?:md|mdx|markdown|rst|adoc|txt|ya?ml|toml|ini|cfg|json|conf|env|example|sample|template|dist)$|(?:^|\/)(?:\.env[^/]*|[^/]*\.env|Dockerfile[^/]*|Procfile|Makefile|Containerfile)$/i;
const COMMENT_LINE = /^\s*(?:\/\/|#|\*|\/\*)/;
const CODE_EXTENSIONS = ['js', 'jsx', 'ts', 'tsx', 'mjs', 'cjs', 'mts', 'cts', 'py'];
/** Pathspecs for every file but code: docs are never code, and code is most of the bytes to search. */
const NOT_CODE = CODE_EXTENSIONS.map((ext) => `:(exclude)*.${ext}`);
const CODE = CODE_EXTENSIONS.map((ext) => `*.${ext}`);
const MAX_LISTED = 15;
const MAX_RELATED = 5;

interface EnvRead {
  name: string;
  file: string;
  line: number;
}

/** The text inside the parentheses that open at `open` (strings are not told apart: a bound). */
function parenthesized(text: string, open: number): string {
  let depth = 0;
  const end = Math.min(text.length, open + 2000);
  for (let i = open; i < end; i += 1) {
    if (text[i] === '(') depth += 1;
    else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return '';
}

/** Python's `os.environ.update(X='1')` and `os.environ.update({'X': '1'})`: the names it sets to constants. */
function pythonUpdates(text: string, sets: Set<string>): void {
  for (const match of text.matchAll(PY_ENV_UPDATE)) {
    const inside = parenthesized(text, match.index + match[0].length - 1);
    for (const found of inside.matchAll(UPDATE_KEYWORD)) sets.add(found[1] ?? '');
    for (const found of inside.matchAll(UPDATE_KEY)) sets.add(found[1] ?? '');
  }
}

/**
 * The variables `text` reads, and into `sets` the ones it sets to a constant: a variable the
 * program sets itself (a flag for a child process, a default) is its own signal, not configuration
 * someone must know. One set from a value (`os.environ['CELERY_BROKER_URL'] = broker`, from a
 * command-line option) is configuration that also has another way in: it still counts.
 */
/**
 * Variables a JavaScript program sets to a constant in the environment it hands a child process
 * (usually itself again: Express Gateway's `childEnv.EG_LOCAL_EXEC = true` guards against
 * re-running the local copy). Nobody sets them by hand.
 */
function childEnvironments(text: string, sets: Set<string>): void {
  if (!text.includes('process.env')) return;
  for (const copy of text.matchAll(JS_ENV_COPY)) {
    const name = copy[1] ?? '';
    const assigned = new RegExp(
      `\\b${name}(?:\\.(${NAME})|\\[\\s*['"](${NAME})['"]\\s*\\])\\s*=\\s*${LITERAL}[ \\t\\r]*(?:[;,)]|$)`,
      'gm',
    );
    for (const set of text.matchAll(assigned)) sets.add(set[1] ?? set[2] ?? '');
  }
  for (const spread of text.matchAll(JS_ENV_SPREAD))
    for (const key of (spread[1] ?? '').matchAll(OBJECT_KEY)) sets.add(key[1] ?? '');
}

/** The keys a Python program sets in a copy of its environment (see PY_ENV_COPY). */
function pythonChildEnvironments(text: string, sets: Set<string>): void {
  if (!text.includes('environ')) return;
  for (const copy of text.matchAll(PY_ENV_COPY)) {
    const assigned = new RegExp(`\\b${copy[1] ?? ''}\\[\\s*['"](${NAME})['"]\\s*\\]\\s*=(?!=)`, 'g');
    for (const set of text.matchAll(assigned)) sets.add(set[1] ?? '');
  }
  for (const merge of text.matchAll(PY_ENV_MERGE))
    for (const key of (merge[1] ?? '').matchAll(PY_MERGE_KEY)) sets.add(key[1] ?? '');
}

function readsIn(file: string, text: string, python: boolean, sets: Set<string>): EnvRead[] {
  const out: EnvRead[] = [];
  if (python) {
    for (const pattern of PY_SETS) for (const match of text.matchAll(pattern)) sets.add(match[1] ?? '');
    pythonUpdates(text, sets);
    pythonChildEnvironments(text, sets);
  }
  // Strings and comments blanked, to tell a read from text that names one (Eleventy's
  // `debug("Setting process.env.ELEVENTY_ROOT: %o", root)`) or a doc comment's example (Auth.js's
  // provider JSDoc holds whole `NextAuth({ … process.env.AUTH_FUSIONAUTH_ISSUER … })` examples on
  // lines that do not start with `*`; Quart's docstring shows `os.environ['CONFIG']`).
  let blanked: string | undefined;
  const inText = (at: number) => {
    const code = blanked ?? (python ? scanPython(text) : scanJs(text)).code;
    blanked = code;
    return code[at] !== text[at];
  };
  if (!python) childEnvironments(text, sets);
  const starts = lineStarts(text);
  const lineText = (line: number) => text.slice(starts[line - 1] ?? 0, starts[line] ?? text.length);
  // A bare `environ` is the process environment only when imported from os: in WSGI code it is
  // the request's (aodh's middleware: `environ.get('translatable_error')`).
  const osEnviron = python && PY_ENVIRON_IMPORT.test(text);
  for (const pattern of python ? PY_READS : JS_READS) {
    for (const match of text.matchAll(pattern)) {
      if (python && !osEnviron && /^environ\b/.test(match[0])) continue;
      const line = lineAt(starts, match.index);
      if (COMMENT_LINE.test(lineText(line))) continue;
      if (inText(match.index)) continue;
      // `process.env.X = …` / `os.environ['X'] = …` sets the variable for a child; it reads nothing.
      const after = text.slice(match.index + match[0].length, match.index + match[0].length + 8);
      if (/^[ \t]*=(?!=)/.test(after)) {
        const lineEnd = text.indexOf('\n', match.index);
        const rest = text.slice(match.index + match[0].length, lineEnd === -1 ? undefined : lineEnd);
        if (ASSIGNED_LITERAL.test(rest)) sets.add(match[1] ?? '');
        continue;
      }
      // `process.env.hasOwnProperty(name)`: a method of the object, not a variable (NodeBB).
      if (/^\s*\(/.test(after) && OBJECT_METHODS.has(match[1] ?? '')) continue;
      out.push({ name: match[1] ?? '', file, line });
    }
  }
  if (!python) {
    for (const match of text.matchAll(JS_DESTRUCTURE)) {
      const line = lineAt(starts, match.index);
      for (const part of (match[1] ?? '').split(',')) {
        const name = /^\s*(?:\.\.\.)?([A-Za-z_][A-Za-z0-9_]*)/.exec(part)?.[1];
        if (name && !part.trimStart().startsWith('...')) out.push({ name, file, line });
      }
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

/**
 * Every variable name-like word in the repository's docs, examples and deployment files. Branch
 * mode reads only the files a search finds the `names` in: the words that matter.
 */
function documentedWords(context: RepoContext, names: readonly string[]): Set<string> {
  const words = new Set<string>();
  const found = context.scope?.search
    ? new Set(context.scope.search.files(names, { words: true, globs: NOT_CODE }))
    : undefined;
  const paths = new Set(
    context.profile.files
      .filter((file) => !file.language && DOC_FILE.test(file.path) && file.size <= 1_000_000)
      .filter((file) => !found || found.has(file.path))
      .filter(
        (file) => !/(?:^|\/)(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|[\w.-]+\.lock)$/.test(file.path),
      )
      .map((file) => file.path),
  );
  for (const name of [
    '.env.example',
    '.env.sample',
    '.env.template',
    '.env.dist',
    '.env.defaults',
    'example.env',
    '.env',
  ])
    paths.add(name);
  for (const path of paths) {
    const text = context.read(path);
    if (text === undefined) continue;
    for (const word of text.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) words.add(word);
  }
  return words;
}

/**
 * Whether a sentence in a string literal of the code names the variable: mongoose's warning
 * "Set the SUPPRESS_JEST_WARNINGS to true to hide this warning." tells the user about it exactly
 * when it matters, as does an option's help text in a Python triple-quoted string. A quoted name alone (`process.env['NAME']`, `getenv("NAME")`) is a read, not a
 * message: the string must hold words around the name.
 */
function namedInMessage(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Words, a space, then the name, possibly inside `env[…]`, `$…`, `${…}` (and the mirror image).
  const inWords = `(?:[A-Za-z][ \\t]+[^\\s"'\`;]*\\b${escaped}\\b|\\b${escaped}\\b[^\\s"'\`;]*[ \\t]+[A-Za-z])`;
  if (new RegExp(`["'\`][^"'\`\n]*${inWords}[^"'\`\n]*["'\`]`).test(text)) return true;
  // A Python option's help over several lines (jupyter_server's `help="""The time allowed for
  // HTTP connection establishment … (JUPYTER_GATEWAY_CONNECT_TIMEOUT env var)"""`).
  if (!text.includes(name)) return false;
  const words = new RegExp(inWords);
  for (const block of text.matchAll(/("""|''')([\s\S]*?)\1/g)) if (words.test(block[2] ?? '')) return true;
  return false;
}

/** Doc comments: JSDoc/TSDoc blocks, and Python's triple-quoted strings (docstrings and help texts). */
const JS_DOC_BLOCK = /\/\*\*[\s\S]*?\*\//g;
const PY_DOC_BLOCK = /("""|''')[\s\S]*?\1/g;

/** Which of `names` a doc comment of `text` mentions as a word. */
function docCommentNames(text: string, python: boolean, names: ReadonlySet<string>): Set<string> {
  const found = new Set<string>();
  for (const block of text.matchAll(python ? PY_DOC_BLOCK : JS_DOC_BLOCK)) {
    for (const word of block[0].match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) if (names.has(word)) found.add(word);
    if (found.size === names.size) break;
  }
  return found;
}

/** Environment variables the code reads that no README, doc, example env file or deployment file names. */
export const undocumentedEnv: RepoDetector = {
  id: 'dx/undocumented-env',
  category: 'dx',
  scope: 'repo',
  // An installed package ships without most of its docs; its variables are documented upstream.
  repoHygiene: true,
  // Branch mode: the variables read in the scope's code, checked against every doc, and against
  // the code anywhere that may set them (found by a search for their names).
  branchReads: 'repo',
  title: 'Environment variables read but documented nowhere',
  description:
    'The code reads these environment variables, but no README, doc, `.env.example` or deployment file mentions them. A newcomer or an operator learns they exist only when something misbehaves, and cannot tell which ones are required or what values they take.',
  impact: 'LOW',
  effort: 'S',
  risk: 'LOW',
  riskReason: 'Only documentation (or an example env file) is added.',
  confidence: 'MED',
  fixSketch:
    'Add a `.env.example` (names with safe placeholder values, never real secrets) or a "Configuration" section in the README listing each variable, whether it is required, its default and what it does.',
  steps: [
    'For each listed variable, open the cited line and note what it controls, its default (the fallback in code, if any) and whether the program fails without it.',
    'Create `.env.example` at the repository root (or extend it) with one line per variable: `NAME=` followed by a safe placeholder, and a comment with what it does. Never copy a real secret value.',
    'If the README has a set-up or configuration section, add a short table of the variables there too, pointing at `.env.example`.',
    'Run the done check; it must pass.',
  ],
  check(context) {
    const reads: EnvRead[] = [];
    const sets = new Set<string>();
    const scope = context.scope;
    const code = context.profile.files
      .filter((file) => file.language && CODE_ROLES.has(file.role) && file.size <= 1_000_000)
      .sort((a, b) => a.path.localeCompare(b.path));
    const scan = (file: (typeof code)[number]): EnvRead[] => {
      const text = context.read(file.path);
      if (text === undefined || !(text.includes('env') || text.includes('ENV'))) return [];
      return readsIn(file.path, text, file.language === 'python', sets);
    };
    for (const file of code) if (!scope || scope.files.has(file.path)) reads.push(...scan(file));
    const named = reads.filter(
      (read) =>
        !WELL_KNOWN.has(read.name) &&
        // Botkit's `process.env.port || process.env.PORT`: the lower-case spelling of a standard one.
        !(read.name === read.name.toLowerCase() && WELL_KNOWN.has(read.name.toUpperCase())) &&
        !WINDOWS.has(read.name.toUpperCase()) &&
        !WELL_KNOWN_PREFIX.test(read.name),
    );
    // Branch mode with a search: the code files that name a variable the scope reads (as a word).
    let found: Set<string> | undefined;
    if (scope && named.length > 0) {
      // Branch mode reads the scope's code; code anywhere may set what it reads.
      const names = [...new Set(named.map((read) => read.name))];
      found = scope.search ? new Set(scope.search.files(names, { words: true, globs: CODE })) : undefined;
      for (const file of code)
        if (!scope.files.has(file.path) && (!found || found.has(file.path))) scan(file);
    }
    const relevant = named.filter((read) => !sets.has(read.name));
    if (relevant.length === 0) return [];
    const documented = documentedWords(
      context,
      relevant.map((read) => read.name),
    );
    const firstRead = new Map<string, EnvRead>();
    for (const read of relevant)
      if (!documented.has(read.name) && !firstRead.has(read.name)) firstRead.set(read.name, read);
    // A message of the program's own that names the variable documents it where it matters.
    for (const [name, read] of firstRead) {
      if (namedInMessage(context.read(read.file) ?? '', name)) firstRead.delete(name);
    }
    // So does a doc comment in the file that reads it: the API docs built from the code (openai's
    // TSDoc `@param [opts.endpoint=process.env['AZURE_OPENAI_ENDPOINT']]`, Auth.js's "Environment
    // Variables" section in a provider's JSDoc).
    for (const [name, read] of firstRead) {
      const text = context.read(read.file) ?? '';
      if (docCommentNames(text, read.file.endsWith('.py'), new Set([name])).size > 0) firstRead.delete(name);
    }
    // So does the help text of an option elsewhere that defaults to it (Glance's
    // `help='Defaults to env[OS_USERNAME].'` beside the client that reads it). The full audit has
    // every short string of the code indexed already; branch mode indexes the code files that
    // contain one of the names, which hold every string that can name one.
    if (firstRead.size > 0) {
      if (scope) ensureWords(context, [...firstRead.keys()]);
      const strings = [...(scope ? importGraph(context).index : codeIndex(context)).strings.keys()];
      for (const name of firstRead.keys())
        if (strings.some((value) => value.includes(name) && namedInMessage(`"${value}"`, name)))
          firstRead.delete(name);
      // A docstring anywhere in the Python code (passlib's exc.py: "should set the
      // ``PASSLIB_MAX_PASSWORD_SIZE`` environmental variable"), which Sphinx's autodoc turns into
      // the API docs; one pass over the Python files for the names. (JSDoc documents the function
      // it stands on, in the file that reads the variable: that was looked at above.)
      const wanted = new RegExp([...firstRead.keys()].map(escapeRegExp).join('|'));
      // Branch mode reads only the Python files that may name one: a docstring or Sphinx markup
      // that does contains it as a word (a Python file without the `.py` the search looks in is
      // read anyway).
      const python = context.profile.files.filter(
        (file) =>
          file.language === 'python' && (!found || found.has(file.path) || !file.path.endsWith('.py')),
      );
      for (const file of python) {
        if (firstRead.size === 0) break;
        if (!CODE_ROLES.has(file.role)) continue;
        const text = context.read(file.path) ?? '';
        if (!wanted.test(text)) continue;
        const names = docCommentNames(text, true, new Set(firstRead.keys()));
        for (const name of names) firstRead.delete(name);
      }
      // Sphinx's `.. envvar:: CELERY_RDB_HOST` and :envvar:`CELERY_TRACE_APP` in docstrings
      // document a variable for the API docs built from the code.
      for (const file of python) {
        if (firstRead.size === 0) break;
        const text = context.read(file.path) ?? '';
        if (!text.includes('envvar')) continue;
        for (const match of text.matchAll(SPHINX_ENVVAR)) firstRead.delete(match[1] ?? '');
      }
    }
    const missing = [...firstRead.values()];
    if (missing.length === 0) return [];
    const listed = missing.slice(0, MAX_LISTED);
    const [first, ...rest] = listed;
    if (!first) return [];
    const names = listed.map((read) => `\`${read.name}\` (${read.file}:${read.line})`).join(', ');
    const more = missing.length > MAX_LISTED ? `, and ${missing.length - MAX_LISTED} more` : '';
    const variables = missing.map((read) => shellQuote(read.name)).join(' ');
    const finding: RawFinding = {
      file: first.file,
      startLine: first.line,
      endLine: first.line,
      related: [...new Map(rest.map((read) => [`${read.file}:${read.line}`, read])).values()]
        .filter((read) => read.file !== first.file || read.line !== first.line)
        .slice(0, MAX_RELATED)
        .map((read) => ({ file: read.file, startLine: read.line, endLine: read.line })),
      title:
        missing.length === 1
          ? `Environment variable ${first.name} is read but documented nowhere`
          : `${missing.length} environment variables are read but documented nowhere`,
      message: `The code reads ${names}${more}, and no README, doc, example env file or deployment file mentions ${missing.length === 1 ? 'it' : 'them'}. Whoever runs this has to read the code to find out what to set.`,
      impact: missing.length >= 3 ? 'MED' : 'LOW',
      key: 'undocumented-env',
      doneCheck: `( for v in ${variables}; do grep -rqsFw --exclude-dir=node_modules --exclude-dir=.git --include='*.md' --include='*.mdx' --include='*.rst' --include='*.txt' --include='.env*' --include='*.env' --include='*.example' --include='*.sample' --include='*.yml' --include='*.yaml' --include='*.toml' --include='Dockerfile*' -- "$v" . || exit 1; done )`,
    };
    return [finding];
  },
};
