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

const FIXTURE = /(^|\/)(fixtures?|__fixtures__|testdata|__mocks__)\//;
/** `test/`, `__tests__/`, and test suites named by kind: `e2e-tests/`, `stress-test/`, `integration_tests/`. */
const TEST_DIRECTORY = /(^|\/)(tests?|__tests__|[\w.]+[-_]tests?)\//;
const TEST_NAME = /\.(test|spec)\.[^/.]+$|(^|\/)test_[^/]*\.py$|_test\.(py|go)$|(^|\/)conftest\.py$/;
const EXAMPLE = /(^|\/)(examples?|demos?|samples?)\//;
/** A documentation folder at the top (or under a package): `docs/`, `packages/x/docs/`, not `src/detectors/docs/`. */
const DOCS_DIRECTORY = /^(?:(?:packages|apps|libs)\/[^/]+\/)?docs?\//;
const CONFIG_NAME =
  /\.config\.[cm]?[jt]s$|^requirements[^/]*\.txt$|^(Pipfile|Gemfile|Makefile|GNUmakefile|Dockerfile|Jenkinsfile)$/;

/** Where a file sits: test, example, fixture, docs, config or ordinary source. */
export function roleOf(file: string): FileRole {
  const name = baseName(file);
  const extension = extensionOf(file);
  if (DOCS_EXTENSIONS.has(extension)) return 'docs';
  if (FIXTURE.test(file)) return 'fixture';
  if (TEST_DIRECTORY.test(file) || TEST_NAME.test(file)) return 'test';
  if (EXAMPLE.test(file)) return 'example';
  if (DOCS_DIRECTORY.test(file)) return 'docs';
  if (CONFIG_EXTENSIONS.has(extension) || name.startsWith('.') || CONFIG_NAME.test(name)) return 'config';
  if (/(^|\/)\.[^/]+\//.test(file)) return 'config';
  return 'source';
}

const PY_TEST_FILE = /(^|\/)(test_[^/]*|[^/]*_test|tests|conftest)\.py$/;

/**
 * A Python package named `test` inside another package, with no test modules in it, is library
 * code: Django's `django/test/` (the test client and runner users import). Its files are
 * relabelled `source`. Changes `files` in place.
 */
export function relabelLibraryTestPackages(files: SourceFile[]): void {
  const paths = new Set(files.map((file) => file.path));
  const candidates = new Map<string, boolean>();
  for (const file of files) {
    const match = /^(.*\/)?(tests?)\//.exec(file.path);
    if (!match || file.role !== 'test') continue;
    const dir = `${match[1] ?? ''}${match[2]}/`;
    if (!candidates.has(dir)) {
      const parent = match[1] ?? '';
      candidates.set(
        dir,
        parent !== '' && paths.has(`${dir}__init__.py`) && paths.has(`${parent}__init__.py`),
      );
    }
    if (PY_TEST_FILE.test(file.path) || TEST_NAME.test(file.path)) candidates.set(dir, false);
  }
  for (const file of files) {
    const match = /^(.*\/)?(tests?)\//.exec(file.path);
    if (match && file.role === 'test' && candidates.get(`${match[1] ?? ''}${match[2]}/`))
      file.role = 'source';
  }
}
