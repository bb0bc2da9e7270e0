import path from 'node:path';
import { isPythonProjectFile } from '../../audit/resolve-python.ts';
import { isRecord, packageManifests, scripts } from '../dependencies/package-manifests.ts';
import { baseName } from '../dx/find-line.ts';
import type { RepoContext } from '../types.ts';
import { isIndexable } from './code-index.ts';
import { importGraph } from './import-graph.ts';
import { memoized, profileMemo } from './profile-memo.ts';
import { scopedGraph, scopeMentions } from './scoped-graph.ts';

/** What makes a file reachable without anyone importing it. */
export interface EntryPoints {
  /** Repo-relative paths without extension that a manifest, script or config names. */
  stems: Set<string>;
  /** Last path segments (without extension) of every path-like string in the repository. */
  mentionedNames: Set<string>;
  /** Whether consumers may import any file of the package (a library without an `exports` map). */
  deepImportable: (file: string) => boolean;
  /**
   * False when package.json names entry files (`main`, `exports`…) but none of them, nor a source
   * twin, is in the repository (built by a tool from elsewhere): the public surface is unknown.
   */
  entriesFound: boolean;
  /**
   * Whether a Python file's plugin entry points are out of sight: the code loads plugins by
   * entry-point name (stevedore, `importlib.metadata.entry_points`, `pkg_resources`), and no
   * packaging metadata that would list them is in the repository (an installed package's sources).
   */
  unseenPlugins: (file: string) => boolean;
}

const CODE_EXTENSION = /\.(?:d\.)?[cm]?[jt]sx?$|\.py$/;
const BUILD_DIR =
  /^(?:dist|lib|build|out|es|esm|cjs|umd)\/(?:(?:esm|cjs|es|umd|mjs|dts|types|node|browser)\/)?/;
const PATH_TOKEN =
  /(?:^|[\s'"`=:(,[])((?:\.{1,2}\/)?[\w@.-]+(?:\/[\w@.[\]-]+)*\.(?:[cm]?[jt]sx?|py))(?=$|[\s'"`),;\]])/g;
const DOTTED_MODULE = /^([A-Za-z_]\w*(?:\.\w+)+)(?::\w+)?$/;
/**
 * Non-code files that name entry files: build, CI, container and task-runner configuration, and
 * the `entry_points.txt` of a Python distribution's metadata.
 */
const CONFIG_TEXT =
  /(?:^|\/)(?:Dockerfile[^/]*|Procfile|Makefile|entry_points\.txt|[^/]+\.(?:ya?ml|toml|cfg|ini|json|jsonc|html?|sh|conf)|\.[^/]*rc|vercel\.json|netlify\.toml)$/i;
/**
 * A Python entry point, `module.path:function`: console scripts in setup.py, setup.cfg,
 * `[project.scripts]` and entry_points.txt (`patroni_raft_controller = patroni.raft_controller:main`),
 * and `uvicorn app.main:app` in a Procfile or Dockerfile.
 */
const ENTRY_REFERENCE = /(?<![\w.:/-])([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*):[A-Za-z_][\w.]*/g;

function addEntryReferences(stems: Set<string>, names: Set<string>, text: string): void {
  for (const match of text.matchAll(ENTRY_REFERENCE)) {
    const parts = (match[1] ?? '').split('.');
    stems.add(parts.join('/'));
    names.add(parts.at(-1) ?? '');
  }
}

/** Path without its code extension, normalised, relative to the repository root. */
export function stemOf(file: string): string {
  return path.posix.normalize(file).replace(/^\.\//, '').replace(CODE_EXTENSION, '');
}

function addPathVariants(stems: Set<string>, dir: string, target: string): void {
  const joined = stemOf(path.posix.join(dir, target));
  if (joined.startsWith('..')) return;
  stems.add(joined);
  stems.add(`${joined}/index`);
  const inside = dir === '' ? joined : joined.slice(dir.length + 1);
  if (BUILD_DIR.test(inside)) {
    for (const sourceDir of ['src/', 'lib/', 'source/']) {
      const source = inside.replace(BUILD_DIR, sourceDir);
      const rooted = dir === '' ? source : `${dir}/${source}`;
      stems.add(rooted);
      stems.add(`${rooted}/index`);
    }
    const flat = inside.replace(BUILD_DIR, '');
    stems.add(dir === '' ? flat : `${dir}/${flat}`);
  }
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (isRecord(value)) return Object.entries(value).flatMap(([key, inner]) => [key, ...strings(inner)]);
  return [];
}

function addTokens(stems: Set<string>, names: Set<string>, dir: string, text: string): void {
  for (const match of text.matchAll(PATH_TOKEN)) {
    const token = match[1] ?? '';
    addPathVariants(stems, dir, token);
    names.add(baseName(stemOf(token)));
  }
}

const cache = profileMemo<EntryPoints>();

/**
 * Entry points of the repository: what package.json (`main`, `module`, `bin`, `exports`,
 * `browser`, scripts) and configuration files name, with built paths mapped back to `src/`; plus
 * every path-like or dotted-module string in code, which a loader may use. In branch mode, right
 * about the files `ensureNamed` was called for.
 */
export function entryPoints(context: RepoContext): EntryPoints {
  // Branch mode indexes more as detectors ask (`ensureNamed`): build afresh each time.
  return scopedGraph(context) ? buildEntryPoints(context) : memoized(cache, context, buildEntryPoints);
}

/** Words of code that loads plugins by their entry-point names. */
const PLUGIN_LOADERS = [
  'stevedore',
  'iter_entry_points',
  'entry_points',
  'ExtensionManager',
  'DriverManager',
];

/** A pyproject.toml that builds a distribution (PEP 621 or Poetry), not just tool settings. */
const DISTRIBUTION_TABLE = /^\[(?:project|tool\.poetry)\]\s*$/m;

/**
 * Folders holding Python packaging metadata (setup.py, setup.cfg, a pyproject.toml with a
 * `[project]`/`[tool.poetry]` table, or an installed distribution's metadata): their packages are
 * installed, and users import any module.
 */
function pythonDistributions(context: RepoContext): string[] {
  const dirs: string[] = [];
  const listed = new Set(context.profile.files.map((file) => file.path));
  for (const file of context.profile.files) {
    const name = baseName(file.path);
    // An installed distribution (site-packages, a distribution's files unpacked): its metadata
    // folder `name.dist-info/METADATA` or `name.egg-info/PKG-INFO` sits beside its packages.
    const installed = /^(?:(.*)\/)?[^/]+\.(?:dist-info\/METADATA|egg-info\/PKG-INFO)$/.exec(file.path);
    if (installed) {
      dirs.push(installed[1] ?? '');
      continue;
    }
    if (!isPythonProjectFile(file.path, listed)) continue;
    if (name === 'pyproject.toml' && !DISTRIBUTION_TABLE.test(context.read(file.path) ?? '')) continue;
    const dir = path.posix.dirname(file.path);
    dirs.push(dir === '.' ? '' : dir);
  }
  return dirs;
}

/** A module of an installed distribution that its users may import: no `_private` part in its path. */
function isPublicPythonModule(file: string, distributions: readonly string[]): boolean {
  const dir = distributions.find((d) => d === '' || file.startsWith(`${d}/`));
  if (dir === undefined) return false;
  const parts = (dir === '' ? file : file.slice(dir.length + 1)).replace(/\.py$/, '').split('/');
  return parts.every((part) => !part.startsWith('_') || /^__\w+__$/.test(part));
}

function buildEntryPoints(context: RepoContext): EntryPoints {
  const stems = new Set<string>();
  const mentionedNames = new Set<string>();
  const libraries: { dir: string; deep: boolean }[] = [];
  const wildcards: string[] = [];
  const declared = new Set<string>();
  for (const manifest of packageManifests(context)) {
    const { json, dir } = manifest;
    for (const field of ['main', 'module', 'browser', 'exports', 'source']) {
      for (const value of strings(json[field])) if (/[./]/.test(value)) addPathVariants(declared, dir, value);
    }
    for (const field of ['main', 'module', 'browser', 'types', 'typings', 'bin', 'exports', 'source']) {
      for (const value of strings(json[field])) if (/[./]/.test(value)) addPathVariants(stems, dir, value);
    }
    if (json.main === undefined && json.exports === undefined) addPathVariants(stems, dir, 'index.js');
    for (const command of Object.values(scripts(manifest))) addTokens(stems, mentionedNames, dir, command);
    libraries.push({ dir, deep: json.private !== true && json.exports === undefined });
    // `"./src/*": "./src/*"` in `exports` makes every file under src/ importable by consumers. A
    // compiled folder (`"./providers/*": "./providers/*.js"` in @auth/core, `./dist/x/*`) publishes
    // the sources it is built from: `src/providers/`, `src/x/`.
    for (const target of strings(json.exports)) {
      const star = target.indexOf('*');
      if (star === -1) continue;
      const prefix = path.posix.normalize(target.slice(0, star)).replace(/^\.\/?/, '');
      for (const variant of new Set([prefix, prefix.replace(BUILD_DIR, 'src/'), `src/${prefix}`]))
        wildcards.push(path.posix.join(dir, variant).replace(/^\.\//, '').replace(/^\.$/, ''));
    }
  }
  // Branch mode: only configuration that may name a changed file (the others name other files).
  const mentions = scopeMentions(context);
  for (const file of context.profile.files) {
    if (!CONFIG_TEXT.test(file.path) || file.path.includes('node_modules/') || file.size > 500_000) continue;
    if (mentions && !mentions.has(file.path)) continue;
    const text = context.read(file.path);
    if (text === undefined) continue;
    addTokens(stems, mentionedNames, '', text);
    addEntryReferences(stems, mentionedNames, text);
  }
  const graph = importGraph(context);
  for (const value of graph.index.strings.keys()) {
    if (/\/|\.[cm]?[jt]sx?$|\.py$/.test(value) && !/\s/.test(value)) {
      const clean = value.replace(/^\.{0,2}\//, '').replace(/[?#].*$/, '');
      mentionedNames.add(baseName(stemOf(clean)));
      // `./x` and `../x` are relative to the file that wrote them (import specifiers); the graph has those.
      if (clean.includes('/') && !value.startsWith('.')) stems.add(stemOf(clean));
    }
    // setup.py's `"pkg_raft = pkg.raft_controller:main"`.
    if (value.includes(':')) addEntryReferences(stems, mentionedNames, value);
    const dotted = DOTTED_MODULE.exec(value)?.[1];
    if (dotted) {
      const parts = dotted.split('.');
      stems.add(parts.join('/'));
      stems.add(parts.slice(0, -1).join('/'));
      mentionedNames.add(parts.at(-1) ?? '');
      mentionedNames.add(parts.at(-2) ?? '');
    }
  }
  libraries.sort((a, b) => b.dir.length - a.dir.length);
  const pythonLibraries = pythonDistributions(context);
  // An empty prefix is a root package's `"./*": "./*.js"` (@nestjs/core): every file is public.
  const deepImportable = (file: string) =>
    wildcards.some((prefix) => file.startsWith(prefix)) ||
    (file.endsWith('.py') && isPublicPythonModule(file, pythonLibraries)) ||
    (libraries.find((library) => library.dir === '' || file.startsWith(`${library.dir}/`))?.deep ?? false);
  // Branch mode indexes only some files; whether an entry file exists needs only the file list.
  const codeFiles = mentions
    ? context.profile.files.filter(isIndexable).map((file) => file.path)
    : [...graph.index.modules.keys()];
  const entriesFound =
    declared.size === 0 || codeFiles.some((file) => isNamedEntry({ stems: declared }, file));
  const loadsPlugins = PLUGIN_LOADERS.some((word) => graph.index.words.has(word));
  const unseenPlugins = (file: string) =>
    loadsPlugins &&
    file.endsWith('.py') &&
    !pythonLibraries.some((dir) => dir === '' || file.startsWith(`${dir}/`));
  const result: EntryPoints = { stems, mentionedNames, deepImportable, entriesFound, unseenPlugins };
  return result;
}

/** Whether some entry stem names `file`, exactly or as a path suffix (`src/cli` for `pkg/src/cli.ts`). */
export function isNamedEntry(entries: Pick<EntryPoints, 'stems'>, file: string): boolean {
  const stem = stemOf(file);
  const parts = stem.split('/');
  for (let start = 0; start < parts.length - 1; start += 1) {
    if (entries.stems.has(parts.slice(start).join('/'))) return true;
  }
  return entries.stems.has(stem);
}

const publicCache = profileMemo<Set<string>>();

/**
 * Modules whose exports leave the repository: entry points and everything they re-export. In
 * branch mode, right for the files `ensureNamed` was called for.
 */
export function publicModules(context: RepoContext): Set<string> {
  return scopedGraph(context)
    ? buildPublicModules(context)
    : memoized(publicCache, context, buildPublicModules);
}

function buildPublicModules(context: RepoContext): Set<string> {
  const graph = importGraph(context);
  const entries = entryPoints(context);
  const queue = [...graph.index.modules.keys()].filter((file) => isNamedEntry(entries, file));
  const seen = new Set(queue);
  for (let head = 0; head < queue.length; head += 1) {
    for (const edge of graph.edges.get(queue[head] ?? '') ?? []) {
      if (edge.ref.reexport && edge.target && !seen.has(edge.target)) {
        seen.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  return seen;
}
