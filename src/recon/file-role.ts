import type { FileRole, SourceFile } from '../core/types.ts';
import { baseName, extensionOf } from './languages.ts';

const DOCS_EXTENSIONS = new Set(['.md', '.mdx', '.markdown', '.rst', '.adoc']);
const CONFIG_EXTENSIONS = new Set([
  '.json',
  '.jsonc',
  '.json5',
  '.yml',
  '.yaml',
  '.toml',
  '.cfg',
  '.ini',
  '.lock',
]);

const FIXTURE = /(^|\/)(fixtures?|__fixtures__|__testfixtures__|test[-_]?fixtures|testdata|__mocks__)\//;
/**
 * `test/`, `__tests__/`, test suites named by kind (`e2e-tests/`, `stress-test/`,
 * `integration_tests/`), environments made for tests (Signal K's `tools/oidc-test-env/`), the
 * Django apps and projects a reusable app's tests run in (django-guardian's `guardian/testapp/`),
 * and the snapshots Jest and Vitest write beside a test (`__snapshots__/settings.test.ts.snap`).
 */
const TEST_DIRECTORY =
  /(^|\/)(tests?|__tests__|__snapshots__|[\w.]+[-_]tests?|(?:[\w.]+[-_])?tests?[-_]env(?:ironment)?|tests?[-_]?(?:apps?|project|proj|site))\//;
/**
 * Test files by name; `tests.py` is Django's test module inside each app (django-allauth), and
 * `x_test.js` / `x_tests.js` the Closure-style name (Etherpad's `easysync_tests.js`).
 */
const TEST_NAME =
  /\.(test|spec)\.[^/.]+$|(^|\/)test_[^/]*\.py$|_test\.(py|go)$|_tests?\.[cm]?[jt]sx?$|(^|\/)(conftest|tests)\.py$/;
/** A Python module named like a pytest file, outside any test folder: a test by its name alone. */
const PY_TEST_NAME = /(^|\/)test_[^/]*\.py$/;
/**
 * What a Python test module holds: a test function or case, a test framework, or a test class
 * built on another one (translate's `class TestMoz2POCommand(test_convert.TestConvertCommand)`
 * inherits its tests). buildbot's `class TestResultSubmitter:` and
 * `class TestResultsConnectorComponent(base.DBConnectorComponent)` are none of these.
 */
const PY_TEST_CODE =
  /^\s*(?:async\s+)?def\s+test|\bTestCase\b|^\s*(?:import|from)\s+(?:pytest|unittest|nose|hypothesis|twisted\.trial)\b|@pytest\.|^\s*class\s+Test\w*\s*\([^)]*\bTest\w*[^)]*\)\s*:/m;

/**
 * Whether a file taken for a test by its name alone holds no test (buildbot's `db/test_results.py`
 * stores test results; `util/test_result_submitter.py` sends them): it is source code.
 */
export function namedLikeTestOnly(file: string, text: string): boolean {
  return PY_TEST_NAME.test(file) && !TEST_DIRECTORY.test(file) && !PY_TEST_CODE.test(text);
}
/**
 * Examples, demos, and benchmarks (code run by hand to measure, not shipped): `falcon/bench/`;
 * and Storybook stories (`useDelete.stories.tsx`), which demonstrate components.
 */
const EXAMPLE = /(^|\/)(examples?|demos?|samples?|bench|benchmarks?)\/|\.stories?\.[cm]?[jt]sx?$/;
/** The package description a Python build writes (`PyJWT.egg-info/PKG-INFO`): the README again. */
const PACKAGE_DESCRIPTION = /(?:^|\/)[^/]+\.(?:egg|dist)-info\/(?:PKG-INFO|METADATA)$/;
/** A documentation folder at the top (or under a package): `docs/`, `packages/x/docs/`, not `src/detectors/docs/`. */
const DOCS_DIRECTORY = /^(?:(?:packages|apps|libs)\/[^/]+\/)?docs?\//;
const CONFIG_NAME =
  /\.config\.[cm]?[jt]s$|^requirements[^/]*\.txt$|^(Pipfile|Gemfile|Makefile|GNUmakefile|Dockerfile|Jenkinsfile)$/;

/** Where a file sits: test, example, fixture, docs, config or ordinary source. */
export function roleOf(file: string): FileRole {
  const name = baseName(file);
  const extension = extensionOf(file);
  if (DOCS_EXTENSIONS.has(extension) || PACKAGE_DESCRIPTION.test(file)) return 'docs';
  if (FIXTURE.test(file)) return 'fixture';
  if (TEST_DIRECTORY.test(file) || TEST_NAME.test(file)) return 'test';
  if (EXAMPLE.test(file)) return 'example';
  if (DOCS_DIRECTORY.test(file)) return 'docs';
  if (CONFIG_EXTENSIONS.has(extension) || name.startsWith('.') || CONFIG_NAME.test(name)) return 'config';
  if (/(^|\/)\.[^/]+\//.test(file)) return 'config';
  return 'source';
}

/** Python files pytest collects by default: `test_*.py` and `*_test.py`. */
export const PYTEST_FILE = /(?:^|\/)(?:test_[^/]*|[^/]*_test)\.py$/;
/** Python modules that make a folder a test suite: pytest's files, `tests.py`, `conftest.py`. */
const PY_TEST_MODULE = /(?:^|\/)(?:tests|conftest)\.py$/;

/** The innermost `test/` or `tests/` folder a path is in (with its trailing slash), and its parent. */
function testFolderOf(path: string): { dir: string; parent: string } | undefined {
  const match = /^(.*\/)?(tests?)\//.exec(path);
  return match ? { dir: `${match[1] ?? ''}${match[2]}/`, parent: match[1] ?? '' } : undefined;
}

/**
 * A Python package named `test` inside another package, with no test modules in it, is library
 * code: Django's `django/test/` (the test client and runner users import). Its files are
 * relabelled `source`. A `tests/` package stays tests whatever its modules are called: calibre's
 * `calibre/db/tests/fts.py` are unittest cases its own runner collects. Changes `files` in place.
 */
export function relabelLibraryTestPackages(files: SourceFile[]): void {
  const paths = new Set(files.map((file) => file.path));
  const library = new Map<string, boolean>();
  const inFolder = files.flatMap((file) => {
    const folder = file.role === 'test' ? testFolderOf(file.path) : undefined;
    return folder?.dir.endsWith('/test/') || folder?.dir === 'test/'
      ? [{ file, dir: folder.dir, parent: folder.parent }]
      : [];
  });
  for (const { file, dir, parent } of inFolder) {
    if (!library.has(dir))
      library.set(dir, parent !== '' && paths.has(`${dir}__init__.py`) && paths.has(`${parent}__init__.py`));
    const testModule =
      PYTEST_FILE.test(file.path) || PY_TEST_MODULE.test(file.path) || TEST_NAME.test(file.path);
    if (testModule) library.set(dir, false);
  }
  for (const { file, dir } of inFolder) if (library.get(dir)) file.role = 'source';
}
