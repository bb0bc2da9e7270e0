/** What the plan builder needs to know about a repository: its own commands, test file paths, fence languages. */
import path from 'node:path';
import { COMMAND_KINDS, type CommandKind, type RepoCommand, type RepoProfile } from '../core/types.ts';

/** Quote one shell word: always single quotes, embedded single quotes escaped. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The first command of each kind the repository defines, in COMMAND_KINDS order. */
export function repoCommands(profile: RepoProfile): Partial<Record<CommandKind, RepoCommand>> {
  const found: Partial<Record<CommandKind, RepoCommand>> = {};
  for (const kind of COMMAND_KINDS) {
    const command = profile.commands.find((item) => item.kind === kind && item.run.trim() !== '');
    if (command) found[kind] = command;
  }
  return found;
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

const TEST_DIRS = /^(tests?|spec|__tests__)\//;
const JS_SOURCE = /\.(?:[mc]?[jt]sx?)$/;

/** A source path without its leading `src/` or `lib/` folder, for mirroring under a test folder. */
function mirrored(dir: string): string {
  return dir === '.' ? '' : dir.replace(/^(?:src|lib)(?:\/|$)/, '');
}

function join(...parts: string[]): string {
  return parts.filter((part) => part !== '' && part !== '.').join('/');
}

/**
 * Where a test for `source` belongs, following the repo's test file pattern and exemplar test:
 * `src/foo.ts` → `test/foo.test.ts` or `src/foo.test.ts`; `app/foo.py` → `tests/test_foo.py`.
 * Undefined for files that are not code a test can import.
 */
export function testFileFor(profile: RepoProfile, source: string): string | undefined {
  const { testFilePattern, exemplarTest } = profile.conventions;
  const ext = path.posix.extname(source);
  const dir = path.posix.dirname(source);
  const base = path.posix.basename(source, ext);
  const nameHint = testFilePattern ?? exemplarTest ?? '';
  const placeHint = exemplarTest ?? testFilePattern ?? '';
  if (ext === '.py') {
    const folder = /^(tests?)\//.exec(placeHint)?.[1] ?? 'tests';
    return join(folder, /_test\.py$/.test(nameHint) ? `${base}_test.py` : `test_${base}.py`);
  }
  if (!JS_SOURCE.test(source)) return undefined;
  const kind = /\.spec\./.test(nameHint) ? 'spec' : 'test';
  const hintExt = /\.(?:test|spec)\.([mc]?[jt]sx?)$/.exec(nameHint)?.[1];
  const testExt = ext.endsWith('x') || !hintExt || hintExt.endsWith('x') ? ext.slice(1) : hintExt;
  const name = `${base}.${kind}.${testExt}`;
  if (/(^|\/)__tests__\//.test(placeHint) && !placeHint.startsWith('__tests__/')) {
    return join(dir, '__tests__', name);
  }
  const top = TEST_DIRS.exec(placeHint)?.[1];
  if (top) return join(top, mirrored(dir), name);
  if (placeHint === '') return join('test', mirrored(dir), name);
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
