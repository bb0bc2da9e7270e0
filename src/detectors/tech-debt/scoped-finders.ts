/**
 * How the branch-mode import graph (scoped-graph.ts) finds the files a conclusion about the changed
 * files needs: a search for text such a file must contain, then a closer look at each file found.
 */
import { importQuery } from '../../audit/import-graph.ts';
import type { Language, SourceFile } from '../../core/types.ts';
import { baseName, dirOf } from '../dx/find-line.ts';
import type { RepoContext, RepoSearch } from '../types.ts';
import { addToIndex, type IndexedModule, isIndexable } from './code-index.ts';
import { scanPython } from './code-scan.ts';
import { addModuleEdges } from './graph-edges.ts';
import type { ImportGraph } from './import-graph.ts';

export interface ScopedState {
  graph: ImportGraph;
  context: RepoContext;
  search: RepoSearch;
  changed: string[];
  files: Map<string, SourceFile>;
  /** Files tried already (indexed, or not indexable). */
  tried: Set<string>;
  /** Files that are not code but name a changed file or one of its exports: config may name it. */
  mentions: Set<string>;
  /** Words searched already. */
  words: Set<string>;
  /** Files whose re-export chain is indexed already. */
  chains: Set<string>;
  /** Files whose possible importers were searched for already. */
  targets: Set<string>;
  /** Whether folder loaders by prefix and alias imports are indexed already. */
  aliases: boolean;
  /** Whether a search for any unresolved alias was made already. */
  anyAlias: boolean;
}

/** A folder loaded by computed name from anywhere: `require.context(…)`, `import.meta.glob(…)`. */
const GLOB_LOADER = /require\.context|import\.meta\.glob/;
/** Loading the file's own folder by computed name (js-module-facts.ts, python-module-facts.ts). */
const FOLDER_LOADER =
  /\b(?:readdir(?:Sync)?|glob|globSync|fg)\s*\(|\bimportlib\.import_module\s*\(|\b__import__\s*\(|\bimport_module\s*\(|\bpkgutil\.(?:iter_modules|walk_packages)\b/;
/** Words such a file contains. */
const OWN_FOLDER_LOADERS = ['readdir', 'glob', 'fg', 'import_module', '__import__', 'pkgutil'];
/**
 * A `require`/`import()` of a relative path known only up to a prefix (`./locales/${x}`,
 * `'./x/' + y`), in the raw text. Not looked for: a comment between the call and the string, a
 * template that starts with a line break, an escaped quote in the path (no formatter writes them).
 */
const PREFIX_LOAD =
  /(?:require|import|resolve|URL|Worker)\s*\(\s*(?:`\s*\.[^`]*?\$\{|(['"])\s*\.[^'"\n]*\1\s*\+)/;
/** Prefixes of specifiers the resolver treats as aliases (see module-resolver.ts). */
const ALIAS_PREFIXES = ['~', '#', '@/', '@@/', 'src/', 'app/'];
const JS_GLOBS = ['*.js', '*.jsx', '*.ts', '*.tsx', '*.mjs', '*.cjs', '*.mts', '*.cts'];
const CODE_GLOBS = [...JS_GLOBS, '*.py'];
const QUOTE = /^['"`]$/;

function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** `name` for a pattern both POSIX and Perl regexes read literally; undefined when that is not simple. */
function patternLiteral(name: string): string | undefined {
  return /^[\w@/.~#-]+$/.test(name) ? name.replace(/[.]/g, '[.]') : undefined;
}

/** A file's name without folder and code extension: what a mention or import of it contains. */
function fileStem(file: string): string {
  return baseName(file)
    .replace(/\.d\.[cm]?ts$/, '')
    .replace(/\.[^.]+$/, '');
}

/** The alias tail the unused-file detector compares with a file (last two segments, no prefix). */
export function aliasTail(specifier: string): string {
  return specifier
    .replace(/^[~#@]*\/?/, '')
    .split('/')
    .slice(-2)
    .join('/');
}

/** Whether an unresolved alias import with this tail may stand for `file` (unused-file's test). */
export function aliasMayName(tail: string, file: string): boolean {
  const stem = file.replace(/\.(?:d\.)?[cm]?[jt]sx?$|\.py$/, '');
  const fileTail = stem.split('/').slice(-2).join('/');
  return fileTail.endsWith(tail) || tail.endsWith(fileStem(file));
}

/**
 * `file` when `add` can index it: an audited code file. The search also finds files recon left out
 * (build output, files over 1 MB): reading those would only cost time.
 */
function indexable(state: ScopedState, file: string): (SourceFile & { language: Language }) | undefined {
  const source = state.files.get(file);
  return source && isIndexable(source) ? source : undefined;
}

export function add(state: ScopedState, file: string): IndexedModule | undefined {
  const known = state.graph.index.modules.get(file);
  if (known || state.tried.has(file)) return known;
  state.tried.add(file);
  const source = indexable(state, file);
  if (!source) return undefined;
  const module = addToIndex(state.graph.index, source, state.context);
  if (module) addModuleEdges(state.graph, module);
  return module;
}

/** Whole-word matches of any of the words, as a search with `words: true` finds them. */
function wordPattern(words: readonly string[]): RegExp {
  return new RegExp(`(?<![A-Za-z0-9_])(?:${words.map(regexLiteral).join('|')})(?![A-Za-z0-9_])`);
}

/**
 * One search for the files that may import one of `targets`, mention one of `words` (whole
 * words), or (with `folders`) load one of those folders by computed name; then each found file is
 * read and indexed when it does.
 */
export function addFound(
  state: ScopedState,
  wantedTargets: readonly string[],
  words: readonly string[],
): void {
  const targets = wantedTargets.filter((target) => !state.targets.has(target));
  for (const target of targets) state.targets.add(target);
  const read = (file: string) => state.context.read(file);
  const all = [...state.files.values()];
  const query = (wanted: string[]) =>
    wanted.length > 0 ? importQuery(all, wanted, read, state.context.profile.root) : undefined;
  // Python and JavaScript imports look different: each language's files need only its needles.
  const python = query(targets.filter((target) => target.endsWith('.py')));
  const js = query(targets.filter((target) => !target.endsWith('.py')));
  const pythonNeedles = python && python.pythonRoots.length > 0 ? python.needles : [];
  const jsNeedles = js?.config ? js.needles : [];
  const wanted = [...new Set(words)].filter((word) => word !== '' && !state.words.has(word));
  for (const word of wanted) state.words.add(word);
  const needles = [...pythonNeedles, ...jsNeedles, ...wanted];
  if (needles.length === 0) return;
  const named = wanted.length > 0 ? wordPattern(wanted) : undefined;
  const importsPython = pythonImportTest(pythonNeedles);
  const found =
    wanted.length > 0 ? state.search.files(needles) : importerSearch(state, pythonNeedles, jsNeedles);
  for (const file of found) {
    const source = state.files.get(file);
    if (!source || state.graph.index.modules.has(file)) continue;
    const code = isIndexable(source);
    const python = source.language === 'python';
    if (!named && (!code || (python ? pythonNeedles : jsNeedles).length === 0)) continue;
    const text = read(file);
    if (text === undefined) continue;
    const keep =
      (named?.test(text) ?? false) ||
      (code && (python ? importsPython(text) : importsOne(state, file, text, jsNeedles, targets)));
    if (!keep) continue;
    if (!add(state, file)) state.mentions.add(file);
  }
}

/**
 * Whether a Python file may import a target, from its needles: the graph reads Python imports from
 * the code outside strings and comments only (python-module-facts.ts), where a module name is a
 * whole word. Cheaper than indexing a file that only mentions one (`os.path.commonprefix`, a
 * docstring), with the same answer.
 */
function pythonImportTest(needles: readonly string[]): (text: string) => boolean {
  const words = needles.filter((needle) => /^\w+$/.test(needle));
  const others = needles.filter((needle) => !/^\w+$/.test(needle));
  const word = words.length > 0 ? wordPattern(words) : undefined;
  return (text) => {
    if (!needles.some((needle) => text.includes(needle))) return false;
    const code = scanPython(text).code;
    return (word?.test(code) ?? false) || others.some((needle) => code.includes(needle));
  };
}

/**
 * Files that may import the targets (containing one of the needles): a search the scope made
 * already answers when it looked for all these needles in all these languages' files.
 */
function importerSearch(
  state: ScopedState,
  python: readonly string[],
  js: readonly string[],
): Iterable<string> {
  const found = state.context.scope?.found;
  // Each needle was looked for in its language's files (the search below looks in both, and the
  // caller reads each file for its own language's needles only).
  const searched = (needle: string, globs: readonly string[]) =>
    found?.groups.some((group) => group.needles.has(needle) && globs.every((glob) => group.globs.has(glob)));
  const covered =
    found !== undefined &&
    python.every((needle) => searched(needle, ['*.py'])) &&
    js.every((needle) => searched(needle, JS_GLOBS));
  return covered ? found.files : state.search.files([...python, ...js], { globs: CODE_GLOBS });
}

/**
 * Files that load a changed file's folder (or one above it) by listing their own folder and
 * feeding the names to `require` or `importlib`.
 */
function addFolderLoaders(state: ScopedState): void {
  const folders = ancestorFolders(state.changed);
  const own = [...folders].map((dir) => `:(glob)${dir === '' ? '' : `${dir}/`}*`);
  for (const file of state.search.files(OWN_FOLDER_LOADERS, { globs: own })) {
    if (!indexable(state, file) || !folders.has(dirOf(file))) continue;
    if (FOLDER_LOADER.test(state.context.read(file) ?? '')) add(state, file);
  }
}

/**
 * Whether a JavaScript/TypeScript file imports one of `targets`: every quoted string around an
 * occurrence of a needle (a superset of the file's import specifiers that contain one) resolved
 * the way the graph resolves imports. Cheaper than indexing the file, with the same answer.
 */
function importsOne(
  state: ScopedState,
  file: string,
  text: string,
  needles: readonly string[],
  targets: readonly string[],
): boolean {
  const tried = new Set<string>();
  for (const needle of needles) {
    // A needle that starts with a quote starts the specifier; another one sits inside it.
    const quoted = QUOTE.test(needle.charAt(0));
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
      const lineStart = text.lastIndexOf('\n', at) + 1;
      const lineEnd = text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at);
      for (const quote of quoted ? [needle.charAt(0)] : ['"', "'", '`']) {
        const open = quoted ? at : text.lastIndexOf(quote, at);
        const close = text.indexOf(quote, quoted ? at + 1 : at + needle.length);
        if (open < lineStart || close === -1 || close > lineEnd) continue;
        const specifier = text.slice(open + 1, close).trim();
        if (tried.has(specifier)) continue;
        tried.add(specifier);
        const resolution = state.graph.resolver.resolveJs(file, specifier);
        if (resolution.kind === 'file' && targets.includes(resolution.target)) return true;
      }
    }
  }
  return false;
}

/** The load-time imports reachable from the changed files (the edges an import cycle is made of). */
export function addLoadClosure(state: ScopedState): void {
  const queue = [...state.changed];
  const seen = new Set(queue);
  for (let head = 0; head < queue.length; head += 1) {
    const module = add(state, queue[head] ?? '');
    if (module?.role !== 'source') continue;
    for (const edge of state.graph.edges.get(module.path) ?? []) {
      const target = edge.target;
      if (!target || edge.ref.typeOnly || edge.ref.lazy || seen.has(target)) continue;
      if (state.files.get(target)?.role !== 'source') continue;
      seen.add(target);
      queue.push(target);
    }
  }
}

/** Folders a changed file sits in, directly or not ('' for the root). */
function ancestorFolders(files: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const file of files) {
    for (let dir = dirOf(file); ; dir = dirOf(dir)) {
      out.add(dir);
      if (dir === '') break;
    }
  }
  return out;
}

/**
 * The re-export chain above `file`: whatever re-exports it, whatever re-exports those, up to the
 * top; with the importers and mentions of each (so entry points that name one are known).
 */
export function addChain(state: ScopedState, file: string): void {
  if (state.chains.has(file)) return;
  state.chains.add(file);
  addFound(state, state.changed.includes(file) ? [] : [file], [fileStem(file)]);
  let targets = [file];
  for (;;) {
    const next: string[] = [];
    for (const target of targets) {
      for (const edge of state.graph.importers.get(target) ?? []) {
        if (!edge.ref.reexport || state.chains.has(edge.from)) continue;
        state.chains.add(edge.from);
        next.push(edge.from);
      }
    }
    if (next.length === 0) return;
    targets = next.sort();
    addFound(state, targets, targets.map(fileStem));
  }
}

/** The patterns of quoted specifiers whose alias tail (aliasTail) may stand for `file`. */
function aliasTailPatterns(state: ScopedState, file: string): string[] {
  const stem = fileStem(file);
  const literal = patternLiteral(stem);
  if (literal === undefined) return ['[\'"`]']; // an unusual name: every quoted string may
  // The tail ends with the name (`~/lib/format`), or is one segment the name ends with (`#mat`,
  // `~`, a package of the repository named like the end of it).
  const suffixes = Array.from({ length: stem.length }, (_, i) => patternLiteral(stem.slice(i)) ?? '').filter(
    (suffix) => suffix !== '',
  );
  const own = state.graph.resolver.ownPackages.filter((name) => stem.endsWith(name));
  return [
    `${literal}['"\`]`,
    `['"\`][~#@]+/?(${suffixes.join('|')})?['"\`]`,
    ...own.flatMap((name) => patternLiteral(name) ?? []).map((name) => `['"\`]${name}['"\`]`),
  ];
}

/** The words before the quote of a specifier the import graph reads (js-module-facts.ts). */
const IMPORT_WORD = '(from|import|require|resolve|URL|Worker)';

/**
 * Files that load a folder by a computed path (`require(\`./x/${y}\`)`, `require.context`,
 * `import.meta.glob`, a directory listing), and files with an alias import that may stand for a
 * changed file: what `loadedDirs` and `unresolved` need to answer for the changed files.
 */
export function addLoadersAndAliases(state: ScopedState): void {
  if (state.aliases) return;
  state.aliases = true;
  addFolderLoaders(state);
  const found = state.search.files(
    [
      'require[.]context|import[.]meta[.]glob',
      `${IMPORT_WORD}[[:space:]]*[(][[:space:]]*(\`[[:space:]]*[.]|['"][[:space:]]*[.][^'"]*['"][[:space:]]*([+]|$))`,
      `${IMPORT_WORD}[[:space:]]*[(][[:space:]]*$`,
      ...state.changed.flatMap((file) => aliasTailPatterns(state, file)),
    ],
    { globs: JS_GLOBS, regex: true },
  );
  const aliasImport = aliasImports(state);
  for (const file of found) {
    if (!indexable(state, file) || state.graph.index.modules.has(file)) continue;
    const text = state.context.read(file);
    if (text === undefined) continue;
    const loads = PREFIX_LOAD.test(text) || GLOB_LOADER.test(text);
    if (loads || [...text.matchAll(aliasImport)].some((match) => mayName(state, match[2] ?? '')))
      add(state, file);
  }
}

function mayName(state: ScopedState, specifier: string): boolean {
  const tail = aliasTail(specifier.trim());
  return state.changed.some((changed) => aliasMayName(tail, changed));
}

/** Quoted specifiers after an import word that start like an alias (or a package of the repository). */
function aliasImports(state: ScopedState): RegExp {
  const prefixes = [...ALIAS_PREFIXES, ...state.graph.resolver.ownPackages].map(regexLiteral);
  return new RegExp(
    `(?:from|import|require|resolve|URL|Worker)\\s*\\(?\\s*(['"\`])\\s*((?:${prefixes.join('|')})[^'"\`\\n]*)\\1`,
    'g',
  );
}

/**
 * Whether the repository has any unresolved alias import: index alias importers until one shows.
 * (An import whose specifier starts on the line after `from` is not looked for: no formatter
 * writes one.)
 */
export function addAnyAlias(state: ScopedState): void {
  if (state.graph.unresolved.length > 0 || state.anyAlias) return;
  state.anyAlias = true;
  const own = state.graph.resolver.ownPackages.flatMap((name) => patternLiteral(name) ?? []);
  const prefixes = [...ALIAS_PREFIXES.map((prefix) => patternLiteral(prefix) ?? ''), ...own];
  const found = state.search.files(
    [`${IMPORT_WORD}[[:space:]]*[(]?[[:space:]]*['"\`](${prefixes.join('|')})`],
    { globs: JS_GLOBS, regex: true },
  );
  for (const file of found) {
    if (state.graph.unresolved.length > 0) return;
    add(state, file);
  }
}
