/**
 * Resolve a JavaScript/TypeScript module specifier to a file of the repository, the way TypeScript
 * and bundlers do: relative paths with extension and index-file lookup (including `./a.js` naming
 * `a.ts`), tsconfig `paths` and `baseUrl`, and imports of the repository's own packages by name.
 */
import path from 'node:path';
import { isRecord } from './jsonc.ts';
import type { PackageEntry, ProjectConfig } from './project-config.ts';

const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];
const SOURCE_TWINS: Record<string, readonly string[]> = {
  '.js': ['.ts', '.tsx', '.d.ts'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};
/** Build folders whose files have their sources under `src/` in a workspace package. */
const BUILD_PREFIX = /^(?:dist|lib|build|out)\/(?:esm\/|cjs\/)?/;

function normalise(file: string): string {
  const joined = path.posix.normalize(file);
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

function resolveFile(base: string, files: ReadonlySet<string>): string | undefined {
  const extension = path.posix.extname(base);
  const stem = base.slice(0, base.length - extension.length);
  const candidates = [
    base,
    ...(SOURCE_TWINS[extension] ?? []).map((twin) => stem + twin),
    ...EXTENSIONS.map((ext) => base + ext),
    ...EXTENSIONS.map((ext) => (base === '' ? `index${ext}` : `${base}/index${ext}`)),
  ];
  return candidates.find((candidate) => candidate !== '' && files.has(candidate));
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

/** Targets of `exports` for a subpath (`.` or `./x`), all conditions; undefined without `exports`. */
function exportTargets(exports: unknown, subpath: string): string[] | undefined {
  if (exports === undefined || exports === null) return undefined;
  const map: Record<string, unknown> =
    isRecord(exports) && Object.keys(exports).some((key) => key.startsWith('.')) ? exports : { '.': exports };
  if (Object.hasOwn(map, subpath)) return strings(map[subpath]);
  for (const [key, value] of Object.entries(map)) {
    const star = key.indexOf('*');
    if (star === -1) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix) && subpath.length >= key.length - 1) {
      const middle = subpath.slice(prefix.length, subpath.length - suffix.length);
      return strings(value).map((target) => target.replaceAll('*', middle));
    }
  }
  return [];
}

function resolveInPackage(
  entry: PackageEntry,
  subpath: string,
  files: ReadonlySet<string>,
): string | undefined {
  const { manifest } = entry;
  const fields = ['module', 'main', 'types', 'typings']
    .map((field) => manifest[field])
    .filter((value): value is string => typeof value === 'string');
  const targets =
    exportTargets(manifest.exports, subpath) ?? (subpath === '.' ? [...fields, './index'] : [subpath]);
  for (const target of targets) {
    const relative = normalise(target);
    for (const candidate of [relative, relative.replace(BUILD_PREFIX, 'src/').replace(/\.d\.ts$/, '')]) {
      const found = resolveFile(normalise(path.posix.join(entry.dir, candidate)), files);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The specifiers of the repository's own package `entry` that name `target` without a path that
 * ends in the target's name: its main entry (`pkg`) and exact `exports` keys (`pkg/feature`).
 * Any other specifier of the package that names it holds the file's path under the package, so
 * `/name` (or `/folder` for an index file) is in it. Undefined when a wildcard export may map
 * specifiers onto it in ways that are not worth predicting: search for the package name then.
 */
export function packageSpecifiersOf(
  entry: PackageEntry,
  target: string,
  files: ReadonlySet<string>,
): string[] | undefined {
  const exports = entry.manifest.exports;
  const keyed = isRecord(exports) && Object.keys(exports).some((key) => key.startsWith('.'));
  const subpaths = keyed ? Object.keys(exports) : ['.'];
  if (subpaths.some((subpath) => subpath.includes('*'))) return undefined;
  return subpaths
    .filter((subpath) => resolveInPackage(entry, subpath, files) === target)
    .map((subpath) => (subpath === '.' ? entry.name : `${entry.name}/${subpath.replace(/^\.\//, '')}`));
}

function resolveBare(
  importer: string,
  specifier: string,
  files: ReadonlySet<string>,
  config: ProjectConfig,
): string | undefined {
  const aliases = config.aliasesFor(importer);
  for (const pattern of aliases?.patterns ?? []) {
    const star = pattern.key.indexOf('*');
    const prefix = star === -1 ? pattern.key : pattern.key.slice(0, star);
    const suffix = star === -1 ? '' : pattern.key.slice(star + 1);
    const matches =
      star === -1
        ? specifier === pattern.key
        : specifier.startsWith(prefix) && specifier.endsWith(suffix) && specifier.length >= prefix.length;
    if (!matches) continue;
    const middle = star === -1 ? '' : specifier.slice(prefix.length, specifier.length - suffix.length);
    for (const target of pattern.targets) {
      const found = resolveFile(target.replace('*', middle), files);
      if (found) return found;
    }
  }
  if (aliases?.baseUrl !== undefined) {
    const found = resolveFile(normalise(path.posix.join(aliases.baseUrl, specifier)), files);
    if (found) return found;
  }
  for (const entry of config.packages) {
    if (specifier !== entry.name && !specifier.startsWith(`${entry.name}/`)) continue;
    const subpath = specifier === entry.name ? '.' : `./${specifier.slice(entry.name.length + 1)}`;
    const found = resolveInPackage(entry, subpath, files);
    if (found) return found;
  }
  return undefined;
}

/** The repository file a relative specifier (`./x`, `../lib/y.js`) names; undefined for any other. */
export function resolveRelativeJs(
  importer: string,
  specifier: string,
  files: ReadonlySet<string>,
): string | undefined {
  const clean = specifier.replace(/[?#].*$/, '');
  if (!(clean === '.' || clean === '..' || clean.startsWith('./') || clean.startsWith('../')))
    return undefined;
  const base = normalise(path.posix.join(path.posix.dirname(importer), clean));
  return base.startsWith('..') ? undefined : resolveFile(base, files);
}

/** The repository file `specifier` names when imported from `importer`; undefined for other packages. */
export function resolveJs(
  importer: string,
  specifier: string,
  files: ReadonlySet<string>,
  config: ProjectConfig,
): string | undefined {
  const clean = specifier.replace(/[?#].*$/, '');
  if (clean === '.' || clean === '..' || clean.startsWith('./') || clean.startsWith('../'))
    return resolveRelativeJs(importer, clean, files);
  if (clean.startsWith('/') || /^[a-z][\w+.-]*:/i.test(clean)) return undefined;
  return resolveBare(importer, clean, files, config);
}
