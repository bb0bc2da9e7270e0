/**
 * Direct importers of a set of files: JavaScript/TypeScript (relative imports with extension and
 * index lookup, tsconfig `paths`/`baseUrl`, the repository's own packages by name) and Python
 * (absolute and relative imports). Built for branch scope, so it reads only what the question
 * needs: the tsconfig and package.json files, then only source files of the targets' languages
 * that contain a target's name (a needle), which a caller can find with a faster search first.
 */
import path from 'node:path';
import type { SourceFile } from '../core/types.ts';
import { jsSpecifiers, pythonImports } from './import-specifiers.ts';
import { ProjectConfig, type ReadText } from './project-config.ts';
import { packageSpecifiersOf, resolveJs } from './resolve-js.ts';
import { pythonProjectRoots, resolvePython, rootPackageName } from './resolve-python.ts';

export interface Importer {
  /** The importing file. */
  file: string;
  /** The targets it imports, sorted. */
  imports: string[];
}

const JS_FILE = /\.(?:[cm]?[jt]sx?|json)$/;
const JS_CODE = /\.[cm]?[jt]sx?$/;
const JS_PATTERNS = ['*.js', '*.jsx', '*.ts', '*.tsx', '*.mjs', '*.cjs', '*.mts', '*.cts'];

function stem(file: string): string {
  return path.posix
    .basename(file)
    .replace(/\.d\.[cm]?ts$/, '')
    .replace(/\.[^.]+$/, '');
}

function parentName(file: string): string {
  const dir = path.posix.dirname(file);
  return dir === '.' ? '' : path.posix.basename(dir);
}

/** A quoted specifier exactly, and followed by a query or hash (which resolution drops). */
function quoted(specifier: string): string[] {
  return ["'", '"', '`'].flatMap((quote) => [
    `${quote}${specifier}${quote}`,
    `${quote}${specifier}?`,
    `${quote}${specifier}#`,
  ]);
}

/** Text an import of `target` must contain, so files without any of it need no closer look. */
function needles(target: string, config: ProjectConfig | undefined, files: ReadonlySet<string>): string[] {
  const name = stem(target);
  if (target.endsWith('.py')) return name === '__init__' ? [parentName(target), 'from .'] : [name];
  const module = name === 'index' ? parentName(target) : name;
  // A specifier is quoted, and a path in it puts a slash before the module's name.
  const out =
    module === '' ? ['/index', `'.'`, `"."`] : [`/${module}`, `'${module}`, `"${module}`, `\`${module}`];
  // By the name of a package of the repository: its entry or an exported name, as written (the
  // package name alone would match every import of `webpack` in webpack's own repository).
  for (const entry of config?.packages ?? []) {
    if (entry.dir !== '' && !target.startsWith(`${entry.dir}/`)) continue;
    const specifiers = packageSpecifiersOf(entry, target, files);
    if (specifiers) out.push(...specifiers.flatMap(quoted));
    else out.push(`'${entry.name}`, `"${entry.name}`);
  }
  for (const key of config?.exactAliasKeys() ?? []) out.push(`'${key}`, `"${key}`);
  return out;
}

/** What to look for before reading files: needles, and the project facts resolution needs. */
export interface ImportQuery {
  targets: ReadonlySet<string>;
  /** A file that imports a target contains at least one of these strings. */
  needles: string[];
  /**
   * The search per language: each language's needles in its files, by name pattern (`common`, a
   * Python module's name, would otherwise match every JavaScript file that says "common").
   */
  searches: { needles: string[]; patterns: string[] }[];
  config?: ProjectConfig;
  pythonRoots: string[];
  /** The root folder's own package name, when it is a package (see `rootPackageName`). */
  pythonRootPackage?: string;
}

/** Prepare the search for importers of `targets` (reads only tsconfig and package.json files). */
export function importQuery(
  files: readonly SourceFile[],
  targets: readonly string[],
  read: ReadText,
  root?: string,
): ImportQuery {
  const paths = files.map((file) => file.path);
  const known = new Set(paths);
  const wantsJs = targets.some((target) => JS_FILE.test(target));
  const wantsPython = targets.some((target) => target.endsWith('.py'));
  const config = wantsJs ? new ProjectConfig(paths, read) : undefined;
  const needlesOf = (wanted: readonly string[]) =>
    [...new Set(wanted.flatMap((target) => needles(target, config, known)))].filter(Boolean);
  const searches = [
    ...(wantsJs
      ? [{ needles: needlesOf(targets.filter((target) => !target.endsWith('.py'))), patterns: JS_PATTERNS }]
      : []),
    ...(wantsPython
      ? [{ needles: needlesOf(targets.filter((target) => target.endsWith('.py'))), patterns: ['*.py'] }]
      : []),
  ].filter((search) => search.needles.length > 0);
  const query: ImportQuery = {
    targets: new Set(targets),
    needles: [...new Set(searches.flatMap((search) => search.needles))],
    searches,
    pythonRoots: wantsPython ? pythonProjectRoots(paths) : [],
  };
  if (config) query.config = config;
  const rootPackage = wantsPython && root !== undefined ? rootPackageName(paths, root) : undefined;
  if (rootPackage !== undefined) query.pythonRootPackage = rootPackage;
  return query;
}

/**
 * The files among `files` that import one of the query's targets directly, sorted by path,
 * without the targets themselves. `candidates`, when given, are the only files that contain a
 * needle (found by a faster search); otherwise each source file is read and checked.
 */
export function findImporters(
  files: readonly SourceFile[],
  query: ImportQuery,
  read: ReadText,
  candidates?: ReadonlySet<string>,
): Importer[] {
  const known = new Set(files.map((file) => file.path));
  // A specifier that resolves to a target contains a needle (without its quote): resolve only those.
  const cores = [...new Set(query.needles.map((needle) => needle.replace(/^['"`]|['"`]$/g, '')))].filter(
    (core) => core !== '',
  );
  const importers: Importer[] = [];
  for (const file of files) {
    if (query.targets.has(file.path) || (candidates && !candidates.has(file.path))) continue;
    const isJs = query.config !== undefined && file.language !== undefined && JS_CODE.test(file.path);
    const isPython = query.pythonRoots.length > 0 && file.language === 'python';
    if (!isJs && !isPython) continue;
    const text = read(file.path);
    if (text === undefined || !query.needles.some((needle) => text.includes(needle))) continue;
    const hits = new Set<string>();
    if (isJs && query.config) {
      for (const specifier of jsSpecifiers(text)) {
        if (!cores.some((core) => specifier.includes(core))) continue;
        const resolved = resolveJs(file.path, specifier, known, query.config);
        if (resolved && query.targets.has(resolved)) hits.add(resolved);
      }
    } else {
      for (const statement of pythonImports(text)) {
        for (const resolved of resolvePython(
          file.path,
          statement,
          known,
          query.pythonRoots,
          query.pythonRootPackage,
        )) {
          if (query.targets.has(resolved)) hits.add(resolved);
        }
      }
    }
    if (hits.size > 0) importers.push({ file: file.path, imports: [...hits].sort() });
  }
  return importers.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
