/** What the plan builder needs to know about a repository: its own commands, test file paths, fence languages. */
import path from 'node:path';
import { COMMAND_KINDS, type CommandKind, type RepoCommand, type RepoProfile } from '../core/types.ts';
import { unrunTests } from '../execute/test-reach.ts';
import { medianBySize, testNamePattern } from '../recon/test-pattern.ts';

/** Quote one shell word: always single quotes, embedded single quotes escaped. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command of each kind the repository defines, in COMMAND_KINDS order. For a plan about code
 * in one language, the one for that language, else one that may cover any (a Makefile target);
 * never one of the other language's tools: `npm run lint` running eslint over `frontend/` proves
 * nothing about a change to `shop/views.py`. Without a language, the first of each kind.
 */
export function repoCommands(
  profile: RepoProfile,
  language?: RepoCommand['language'],
): Partial<Record<CommandKind, RepoCommand>> {
  const found: Partial<Record<CommandKind, RepoCommand>> = {};
  for (const kind of COMMAND_KINDS) {
    const candidates = profile.commands.filter((item) => item.kind === kind && item.run.trim() !== '');
    const command =
      language === undefined
        ? candidates[0]
        : (candidates.find((item) => item.language === language) ??
          candidates.find((item) => item.language === undefined));
    if (command) found[kind] = command;
  }
  return found;
}

/**
 * The language of the code a plan changes, for choosing its commands: the cited file's, when it
 * is Python or JavaScript/TypeScript code. Undefined for a manifest, a config file or no file: a
 * finding about the repository as a whole (no CI, cited at the setup.cfg that defines pytest)
 * concerns every command.
 */
export function planLanguage(profile: RepoProfile, file: string | undefined): RepoCommand['language'] {
  if (file === undefined) return undefined;
  const language = profile.files.find((item) => item.path === file)?.language;
  if (language === undefined) return undefined;
  return language === 'python' ? 'python' : 'javascript';
}

const FENCE_LANGUAGES: Record<string, string> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
  '.py': 'python',
  '.json': 'json',
  '.yml': 'yaml',
  '.yaml': 'yaml',
  '.toml': 'toml',
  '.md': 'markdown',
  '.sh': 'sh',
  '.go': 'go',
  '.rs': 'rust',
  '.rb': 'ruby',
  '.java': 'java',
  '.html': 'html',
  '.css': 'css',
  '.sql': 'sql',
};

/** The code-fence language for a file, `text` when unknown. */
export function fenceLanguage(file: string): string {
  const base = path.posix.basename(file);
  if (base === 'Makefile') return 'make';
  if (base === 'Dockerfile') return 'dockerfile';
  return FENCE_LANGUAGES[path.posix.extname(file).toLowerCase()] ?? 'text';
}

/** A test folder in a test's path, and the folders before it (`packages/web/` + `test`). */
const TEST_DIR_AT = /^((?:[^/]+\/)*?)(tests?|spec|__tests__)\//;
const JS_SOURCE = /\.(?:[mc]?[jt]sx?)$/;

/** A source path without its leading `src/` or `lib/` folder, for mirroring under a test folder. */
function mirrored(dir: string): string {
  return dir === '.' ? '' : dir.replace(/^(?:src|lib)(?:\/|$)/, '');
}

function join(...parts: string[]): string {
  return parts.filter((part) => part !== '' && part !== '.').join('/');
}

/** Python, or JavaScript and TypeScript (tested alike): what a test must share with the code it tests. */
function testFamily(file: string): 'python' | 'js' | undefined {
  if (file.endsWith('.py')) return 'python';
  return JS_SOURCE.test(file) ? 'js' : undefined;
}

/** How many leading folders two repo paths share. */
function sharedFolders(a: string, b: string): number {
  const left = a.split('/').slice(0, -1);
  const right = b.split('/').slice(0, -1);
  let shared = 0;
  while (shared < left.length && left[shared] === right[shared]) shared += 1;
  return shared;
}

/**
 * The name a test of `source` carries: its file's stem, or for a package's `__init__.py` the
 * package's folder name (`impl_sqlalchemy/__init__.py` is tested by `test_impl_sqlalchemy.py`).
 */
function testedName(source: string): string {
  const base = path.posix.basename(source, path.posix.extname(source));
  if (base !== '__init__') return base;
  const dir = path.posix.dirname(source);
  return dir === '.' ? base : path.posix.basename(dir);
}

/** Whether `test` is named as a test of `name`: `test_name.py`, `name_test.py`, `name.test.ts`, `name.spec.js`. */
function namedTestOf(test: string, name: string, family: 'python' | 'js'): boolean {
  const base = path.posix.basename(test);
  if (family === 'python') return base === `test_${name}.py` || base === `${name}_test.py`;
  return base.startsWith(`${name}.`) && /^\.(?:test|spec)\.[mc]?[jt]sx?$/.test(base.slice(name.length));
}

/**
 * The repository's existing test file of `source`, found by name (`test_query.py` for
 * `query.py`) in a folder that mirrors the source's (`aodh/tests/functional/api/v2/` for
 * `aodh/api/controllers/v2/`): the one whose folders share the most names with the source's.
 * When another source file has the same name, the test's folders must name the source's own
 * folder. Undefined when there is none, or two fit equally well.
 */
export function existingTestFor(profile: RepoProfile, source: string): string | undefined {
  const family = testFamily(source);
  if (!family) return undefined;
  const name = testedName(source);
  if (name === '__init__') return undefined;
  const folders = path.posix
    .dirname(source)
    .split('/')
    .filter((part) => part !== '.' && !/^(?:src|lib)$/.test(part));
  const own = folders.at(-1);
  const namesake = profile.files.some(
    (file) =>
      file.path !== source &&
      file.role !== 'test' &&
      testFamily(file.path) === family &&
      testedName(file.path) === name,
  );
  const testFolders = (test: string) => path.posix.dirname(test).split('/');
  const candidates = profile.files.filter(
    (file) =>
      file.role === 'test' &&
      testFamily(file.path) === family &&
      namedTestOf(file.path, name, family) &&
      (!namesake || own === undefined || testFolders(file.path).includes(own)),
  );
  const score = (test: string) => {
    const names = new Set(testFolders(test));
    return folders.filter((part) => names.has(part)).length;
  };
  const best = Math.max(...candidates.map((file) => score(file.path)));
  const top = candidates.filter((file) => score(file.path) === best);
  return top.length === 1 ? top[0]?.path : undefined;
}

/**
 * The test a plan about `source` should imitate. A test in the same language (a TypeScript fix is
 * not tested like the repository's Python) and, of those, the nearest by shared folders (a
 * monorepo package's own tests); named tests (`*.test.ts`, `test_*.py`) before other files in test
 * folders; among equally near ones the repository's exemplar, else the median by size. Undefined
 * when no test is in that language. For a file that is not code, the repository's exemplar.
 */
export function exemplarFor(profile: RepoProfile, source: string): string | undefined {
  const family = testFamily(source);
  const repoExemplar = profile.conventions.exemplarTest;
  if (!family) return repoExemplar;
  // The source's own tests, when it has them and the test command runs them: the plan extends them.
  const unrun = unrunTestFiles(profile);
  const existing = existingTestFor(profile, source);
  if (existing && !unrun.has(existing)) return existing;
  const all = profile.files.flatMap((file) => {
    const pattern =
      file.role === 'test' && testFamily(file.path) === family ? testNamePattern(file) : undefined;
    return pattern === undefined ? [] : [{ ...file, named: /test|spec/.test(pattern) }];
  });
  // A test the test command never runs (Etherpad's `node/easysync_tests.js` beside
  // `mocha --recursive tests/backend/specs`) is no pattern for one that must run.
  const run = all.filter((file) => !unrun.has(file.path));
  const tests = run.length > 0 ? run : all;
  const named = tests.filter((file) => file.named);
  const candidates = named.length > 0 ? named : tests;
  if (candidates.length === 0) {
    // Conventions read elsewhere than this file list: kept when in the same language.
    return repoExemplar && testFamily(repoExemplar) === family ? repoExemplar : undefined;
  }
  const depth = Math.max(...candidates.map((file) => sharedFolders(source, file.path)));
  const nearest = candidates.filter((file) => sharedFolders(source, file.path) === depth);
  if (repoExemplar && nearest.some((file) => file.path === repoExemplar)) return repoExemplar;
  return medianBySize(nearest)?.path;
}

/**
 * The test folder where the repository keeps its tests of one language (`pkg/tests/` for a package
 * that carries its tests, `test/`): the one holding the most of them, the shallowest of equals.
 * Undefined when none of its tests sits in a test folder (Django's `shop/tests.py`, colocated
 * `src/a.test.ts`) or it has none.
 */
export function existingTestFolder(profile: RepoProfile, family: 'python' | 'js'): string | undefined {
  const counts = new Map<string, number>();
  for (const file of profile.files) {
    if (file.role !== 'test' || testFamily(file.path) !== family) continue;
    const at = TEST_DIR_AT.exec(file.path);
    if (!at) continue;
    const folder = `${at[1] ?? ''}${at[2]}/`;
    counts.set(folder, (counts.get(folder) ?? 0) + 1);
  }
  const depth = (folder: string) => folder.split('/').length;
  return [...counts.entries()].sort(
    ([a, m], [b, n]) => n - m || depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0),
  )[0]?.[0];
}

/** The folder of the package (the deepest folder with a manifest) that holds `file`; '' for the root. */
function packageDir(profile: RepoProfile, file: string): string {
  let best = '';
  for (const manifest of profile.manifests) {
    const dir = path.posix.dirname(manifest.path);
    if (dir !== '.' && file.startsWith(`${dir}/`) && dir.length > best.length) best = dir;
  }
  return best;
}

/**
 * The source's own package folder when the exemplar's test folder sits right under another
 * package's folder (`packages/api/` + `test/`) and the source is in a package of its own;
 * undefined otherwise.
 */
function siblingTestDir(profile: RepoProfile, source: string, testParent: string): string | undefined {
  const own = packageDir(profile, source);
  if (own === '' || source.startsWith(testParent)) return undefined;
  const theirs = packageDir(profile, `${testParent}x`);
  return theirs !== '' && `${theirs}/` === testParent ? own : undefined;
}

/**
 * Where a test for `source` belongs, following the test it should imitate (`exemplarFor`) and the
 * repository's test file pattern when it is in the same language:
 * `src/foo.ts` → `test/foo.test.ts` or `src/foo.test.ts`; `app/foo.py` → `tests/test_foo.py`.
 * Undefined for files that are not code a test can import.
 */
export function testFileFor(profile: RepoProfile, source: string): string | undefined {
  // Asked more than once per plan, and it may read the packages' test configuration.
  let known = testFiles.get(profile);
  if (!known) {
    known = new Map();
    testFiles.set(profile, known);
  }
  if (!known.has(source)) known.set(source, findTestFile(profile, source));
  return known.get(source);
}

const testFiles = new WeakMap<RepoProfile, Map<string, string | undefined>>();

function findTestFile(profile: RepoProfile, source: string): string | undefined {
  const placed = placedTestFile(profile, source);
  if (placed === undefined || !JS_SOURCE.test(placed) || placed === source) return placed;
  if (profile.files.some((file) => file.path === placed) || runsTest(profile, placed)) return placed;
  return runTestFor(profile, source, placed) ?? placed;
}

/** Test files of the repository that the nearest package.json test script does not run, when that can be told. */
const unrunCache = new WeakMap<RepoProfile, Set<string>>();

function unrunTestFiles(profile: RepoProfile): Set<string> {
  let unrun = unrunCache.get(profile);
  if (!unrun) {
    const tests = profile.files.filter((file) => file.role === 'test').map((file) => file.path);
    unrun = new Set(unrunTests(profile.root, tests).map((test) => test.file));
    unrunCache.set(profile, unrun);
  }
  return unrun;
}

function runsTest(profile: RepoProfile, file: string): boolean {
  return unrunTests(profile.root, [file]).length === 0;
}

/** `webaccess` for `webaccess.js`, `webaccess.test.ts` and `webaccess.spec.js`, lower-cased. */
function testStem(file: string): string {
  return path.posix
    .basename(file)
    .replace(/(?:\.(?:test|spec))?\.[mc]?[jt]sx?$/, '')
    .toLowerCase();
}

/**
 * Where a test for `source` runs, when the place `placedTestFile` chose is one the test script
 * never runs (Etherpad: `node/hooks/express/webaccess.test.js` beside `mocha --recursive
 * tests/backend/specs`): the one test the script runs that is named like `source` (its
 * `tests/backend/specs/webaccess.js`), else a new file of that name in the folder of the test to
 * imitate, when the script runs it there. Undefined when neither is known to run.
 */
function runTestFor(profile: RepoProfile, source: string, placed: string): string | undefined {
  const stem = testStem(source);
  const unrun = unrunTestFiles(profile);
  const family = testFamily(source);
  // Only in the source's own package: another package's tests run by another script, and could
  // not import the code the way its own tests do.
  const own = packageDir(profile, source);
  const runTests = profile.files.filter(
    (file) =>
      file.role === 'test' &&
      testFamily(file.path) === family &&
      !unrun.has(file.path) &&
      packageDir(profile, file.path) === own,
  );
  const namesake = runTests.filter((file) => testStem(file.path) === stem);
  if (stem !== 'index' && namesake.length === 1) return namesake[0]?.path;
  const exemplar = exemplarFor(profile, source);
  if (!exemplar || unrun.has(exemplar) || !runTests.some((file) => file.path === exemplar)) return undefined;
  const candidate = join(path.posix.dirname(exemplar), path.posix.basename(placed));
  if (profile.files.some((file) => file.path === candidate)) return undefined;
  return runsTest(profile, candidate) ? candidate : undefined;
}

function placedTestFile(profile: RepoProfile, source: string): string | undefined {
  // A finding in a test file (a test that asserts nothing) is fixed in that file, and its tests
  // are the ones the plan extends: `test/decorator.test.js`, not a new `test/test/decorator.test.test.js`.
  const role = profile.files.find((file) => file.path === source)?.role;
  if (role === 'test' && (JS_SOURCE.test(source) || source.endsWith('.py'))) return source;
  const existing = existingTestFor(profile, source);
  if (existing && !unrunTestFiles(profile).has(existing)) return existing;
  const exemplar = exemplarFor(profile, source);
  const { testFilePattern } = profile.conventions;
  const pattern =
    testFilePattern && testFamily(testFilePattern) === testFamily(source) ? testFilePattern : undefined;
  const ext = path.posix.extname(source);
  const dir = path.posix.dirname(source);
  const base = ext === '.py' ? testedName(source) : path.posix.basename(source, ext);
  const hint = exemplar ?? pattern ?? '';
  // The test folder of the exemplar, under the same folders when they hold `source` too (a
  // monorepo package's `packages/api/tests/`); else one at the root. An exemplar in a sibling
  // package (`packages/api/test/`, for a package with no tests yet) is followed in the source's
  // own package (`packages/web/test/`): its test command runs from there.
  const at = TEST_DIR_AT.exec(hint);
  const sibling = at ? siblingTestDir(profile, source, at[1] ?? '') : undefined;
  const prefix =
    sibling ?? (at && source.startsWith(at[1] ?? '') ? (at[1] ?? '').replace(/\/$/, '') : undefined);
  if (ext === '.py') {
    // A Django app's test module (`shop/tests.py`) holds the tests of the app's code, and another
    // app gets its own beside its code: a new `tests/test_views.py` at the root, without an
    // `__init__.py`, is never found by `manage.py test`.
    const module = /^(?:(.*)\/)?tests\.py$/.exec(hint);
    if (module) {
      if (module[1] === undefined || source.startsWith(`${module[1]}/`)) return hint;
      return join(dir, 'tests.py');
    }
    const folder =
      at && /^tests?$/.test(at[2] ?? '') && prefix !== undefined ? join(prefix, at[2] ?? '') : 'tests';
    return join(folder, /_test\.py$/.test(hint) ? `${base}_test.py` : `test_${base}.py`);
  }
  if (!JS_SOURCE.test(source)) return undefined;
  const kind = /\.spec\./.test(hint) ? 'spec' : 'test';
  const hintExt = /\.(?:test|spec)\.([mc]?[jt]sx?)$/.exec(hint)?.[1];
  // The tests' own extension: a component (`.tsx`) gets a `.test.tsx` only where the repository
  // has such tests, since a runner given `test/*.test.ts` never runs one.
  const jsxTests =
    ext.endsWith('x') && profile.files.some((file) => /\.(?:test|spec)\.[mc]?[jt]sx$/.test(file.path));
  const testExt = !hintExt || hintExt.endsWith('x') || jsxTests ? ext.slice(1) : hintExt;
  const name = `${base}.${kind}.${testExt}`;
  if (/(^|\/)__tests__\//.test(hint) && !hint.startsWith('__tests__/')) {
    return join(dir, '__tests__', name);
  }
  if (at && at[2] !== '__tests__' && prefix !== undefined) {
    const inside = prefix === '' ? dir : dir.slice(prefix.length + 1);
    return join(prefix, at[2] ?? 'test', mirrored(inside), name);
  }
  if (hint === '') return join('test', mirrored(dir), name);
  return join(dir, name);
}

const NAMED_FILE =
  /(?<![\w./-])((?:\.?[\w-]+\/)*\.?[\w-]+\.(?:ya?ml|md|json|toml|cfg|ini|txt|ts|tsx|js|mjs|cjs|py|sh|example|sample|template))(?![\w/-])/g;

/**
 * Files a fix says to create: path-like words in the fix sketch and steps (`.github/workflows/ci.yml`,
 * `README.md`, `.env.example`) that the repository does not have yet. Bare names count only when
 * written like `README.md` (capitals) or a dotfile (`.env.example`), so prose such as "Node.js" is
 * not taken for a file.
 */
export function filesToCreate(profile: RepoProfile, texts: readonly string[]): string[] {
  const existing = new Set([
    ...profile.files.map((file) => file.path),
    ...profile.lockfiles,
    ...profile.manifests.map((manifest) => manifest.path),
  ]);
  const found: string[] = [];
  for (const text of texts) {
    for (const match of text.matchAll(NAMED_FILE)) {
      const file = match[1] ?? '';
      const named =
        file.includes('/') || /^[A-Z][A-Z0-9_-]*\.md$/.test(file) || /^\.[\w-]+\.[\w.-]+$/.test(file);
      if (named && !existing.has(file) && !found.includes(file)) found.push(file);
    }
  }
  return found;
}

/** Root files a fix names by their bare name (`.nvmrc`, `Dockerfile`, `.gitignore`, "the README"). */
const BARE_NAMES: readonly [RegExp, RegExp][] = [
  [/\bREADME\b/, /^README(?:\.(?:md|rst|txt|markdown))?$/i],
  [/(?<![\w.-])\.nvmrc\b/, /^\.nvmrc$/],
  [/(?<![\w.-])\.node-version\b/, /^\.node-version$/],
  [/(?<![\w.-])\.python-version\b/, /^\.python-version$/],
  [/(?<![\w.-])\.tool-versions\b/, /^\.tool-versions$/],
  [/\bDockerfile\b/, /(?:^|\/)Dockerfile$/],
  [/(?<![\w.-])\.gitignore\b/, /^\.gitignore$/],
];

/**
 * Existing files a fix says to change without a path: the README ("add a short table of the
 * variables to the README"), `.nvmrc` and the Dockerfile (a runtime upgrade), and the CI workflows
 * when the steps name them. The plan must let the executor edit them.
 */
export function filesToEdit(profile: RepoProfile, texts: readonly string[]): string[] {
  const paths = profile.files.map((file) => file.path);
  const found: string[] = [];
  for (const [named, file] of BARE_NAMES) {
    if (!texts.some((text) => named.test(text))) continue;
    for (const path of paths) if (file.test(path) && !found.includes(path)) found.push(path);
  }
  if (texts.some((text) => /\bCI (?:workflow|configuration|matrix)/i.test(text))) {
    for (const path of profile.ciFiles) if (!found.includes(path)) found.push(path);
  }
  return found;
}
