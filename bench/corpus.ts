import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One pinned package of the corpus; `include`/`exclude` are path prefixes inside the package. */
export interface CorpusPackage {
  name: string;
  version: string;
  include?: string[];
  exclude?: string[];
}

const BENCH = path.dirname(fileURLToPath(import.meta.url));
/** Git-ignored: tarballs, extracted packages and the repository built from them. */
export const CORPUS_DIR = path.join(BENCH, 'corpus');
const TARBALLS = path.join(CORPUS_DIR, 'tarballs');
const PACKAGES = path.join(CORPUS_DIR, 'packages');
/** A real repository (one commit) laid out as src/<package>/…, with no node_modules segment. */
export const CORPUS_REPO = path.join(CORPUS_DIR, 'repo');

export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Corpus',
  GIT_AUTHOR_EMAIL: 'corpus@example.com',
  GIT_COMMITTER_NAME: 'Corpus',
  GIT_COMMITTER_EMAIL: 'corpus@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function parsePackage(entry: unknown, index: number): CorpusPackage {
  if (typeof entry !== 'object' || entry === null)
    throw new Error(`corpus.json packages[${index}]: not an object`);
  const record = entry as Record<string, unknown>;
  const { name, version, include, exclude } = record;
  if (typeof name !== 'string' || typeof version !== 'string' || !/^\d+\.\d+\.\d+/.test(version)) {
    throw new Error(`corpus.json packages[${index}]: needs "name" and an exact "version"`);
  }
  const result: CorpusPackage = { name, version };
  if (include !== undefined) {
    if (!isStringList(include)) throw new Error(`corpus.json ${name}: "include" must list path prefixes`);
    result.include = include;
  }
  if (exclude !== undefined) {
    if (!isStringList(exclude)) throw new Error(`corpus.json ${name}: "exclude" must list path prefixes`);
    result.exclude = exclude;
  }
  return result;
}

export function readCorpusList(): CorpusPackage[] {
  const data: unknown = JSON.parse(readFileSync(path.join(BENCH, 'corpus.json'), 'utf8'));
  const packages =
    typeof data === 'object' && data !== null ? (data as { packages?: unknown }).packages : undefined;
  if (!Array.isArray(packages)) throw new Error('bench/corpus.json: expected { "packages": [...] }');
  return packages.map(parsePackage);
}

/** `@pybee/ouroboros` → `pybee-ouroboros`. */
function folderName(name: string): string {
  return name.replace(/^@/, '').replace(/\//g, '-');
}

/** Download (npm pack, exact version) and extract one package, unless it is already there. */
function ensurePackage(pkg: CorpusPackage, log: (line: string) => void): string {
  const target = path.join(PACKAGES, `${folderName(pkg.name)}@${pkg.version}`);
  if (existsSync(path.join(target, '.corpus-complete'))) return target;
  mkdirSync(TARBALLS, { recursive: true });
  mkdirSync(PACKAGES, { recursive: true });
  const tarball = path.join(TARBALLS, `${folderName(pkg.name)}-${pkg.version}.tgz`);
  if (!existsSync(tarball)) {
    log(`  fetching ${pkg.name}@${pkg.version} (npm pack)`);
    const output = execFileSync(
      'npm',
      ['pack', `${pkg.name}@${pkg.version}`, '--json', '--pack-destination', TARBALLS],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const parsed: unknown = JSON.parse(output);
    const filename = Array.isArray(parsed) ? (parsed[0] as { filename?: unknown }).filename : undefined;
    if (typeof filename !== 'string') throw new Error(`npm pack ${pkg.name}: unexpected output`);
    renameSync(path.join(TARBALLS, filename), tarball);
  }
  const staging = mkdtempSync(path.join(PACKAGES, '.staging-'));
  execFileSync('tar', ['xzf', tarball, '-C', staging, '--strip-components=1', '--no-same-owner']);
  writeFileSync(path.join(staging, '.corpus-complete'), `${pkg.name}@${pkg.version}\n`);
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return target;
}

function listFiles(root: string, relative = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
    const file = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) out.push(...listFiles(root, file));
    else if (entry.isFile() && entry.name !== '.corpus-complete') out.push(file);
  }
  return out;
}

function wanted(pkg: CorpusPackage, file: string): boolean {
  if (pkg.include && !pkg.include.some((prefix) => file.startsWith(prefix))) return false;
  return !pkg.exclude?.some((prefix) => file.startsWith(prefix));
}

/**
 * Make sure the corpus repository exists and matches bench/corpus.json: packages are fetched with
 * `npm pack` (exact versions, no install scripts, nothing else from the network) and copied into
 * a one-commit git repository. Idempotent: an up-to-date corpus is reused as it is.
 */
export function prepareCorpus(log: (line: string) => void = () => {}): string {
  const list = readCorpusList();
  const stamp = createHash('sha256').update(JSON.stringify(list)).digest('hex');
  const stampFile = path.join(CORPUS_REPO, '.git', 'corpus-stamp');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp) return CORPUS_REPO;

  log('preparing the corpus in bench/corpus/ (once)');
  const sources = list.map((pkg) => ({ pkg, dir: ensurePackage(pkg, log) }));
  rmSync(CORPUS_REPO, { recursive: true, force: true });
  for (const { pkg, dir } of sources) {
    const destination = path.join(CORPUS_REPO, 'src', folderName(pkg.name));
    for (const file of listFiles(dir).filter((f) => wanted(pkg, f))) {
      mkdirSync(path.dirname(path.join(destination, file)), { recursive: true });
      cpSync(path.join(dir, file), path.join(destination, file));
    }
  }
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: CORPUS_REPO, env: { ...process.env, ...GIT_ENV }, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A', '-f');
  git('commit', '-q', '-m', 'corpus: pinned npm packages from bench/corpus.json');
  writeFileSync(stampFile, `${stamp}\n`);
  return CORPUS_REPO;
}
