import type { SkippedFile, SourceFile } from '../core/types.ts';

/**
 * Folders that packages build their sources into, or keep their sources in, ranked: when two
 * sibling folders hold the same modules, the one ranked higher is the copy (a `lib/` compiled from
 * `src/`, a `cjs/` build beside an `esm/` one).
 */
const RANK: Readonly<Record<string, number>> = {
  src: 0,
  source: 0,
  esm: 1,
  es: 1,
  module: 1,
  mjs: 1,
  lib: 2,
  cjs: 3,
  commonjs: 3,
  node: 3,
  umd: 3,
  browser: 3,
};

const CODE = /\.(?:d\.ts|[cm]?[jt]sx?)$/;
const TYPESCRIPT = /\.(?:[cm]?tsx?)$/;
/** A folder counts as a copy when this share of its modules exists in its sibling too. */
const MIRRORED_SHARE = 0.8;
const MIN_FILES = 3;

/** A JavaScript/TypeScript module (declaration files included): what a build mirrors. */
function isJsModule(file: SourceFile): boolean {
  return file.language !== undefined && file.language !== 'python' && CODE.test(file.path);
}

/** Count `file` under its module path `stem` (the path inside a folder, without extension). */
function addStem(stems: Map<string, number>, stem: string, size: number): void {
  const key = stem.replace(CODE, '');
  stems.set(key, (stems.get(key) ?? 0) + size);
}

interface Folder {
  dir: string;
  name: string;
  /** Module paths inside the folder, without extension, with their size in bytes. */
  stems: Map<string, number>;
  typescript: boolean;
}

/**
 * JavaScript/TypeScript folders that mirror a sibling folder module for module, keeping the
 * original: docusaurus ships `lib/` compiled from its `src/`, react-bootstrap both `cjs/` and
 * `esm/`. Auditing both reports every finding twice and the copy as a duplicated block of its
 * source. Returns the copies, each as a skipped build-output folder.
 */
export function mirroredBuilds(files: readonly SourceFile[]): SkippedFile[] {
  const folders = new Map<string, Folder>();
  for (const file of files) {
    if (!isJsModule(file)) continue;
    const segments = file.path.split('/');
    for (let depth = 0; depth < segments.length - 1; depth += 1) {
      const name = segments[depth] ?? '';
      if (RANK[name] === undefined) continue;
      const dir = segments.slice(0, depth + 1).join('/');
      let folder = folders.get(dir);
      if (!folder) {
        folder = { dir, name, stems: new Map(), typescript: false };
        folders.set(dir, folder);
      }
      addStem(folder.stems, segments.slice(depth + 1).join('/'), file.size);
      if (TYPESCRIPT.test(file.path) && !file.path.endsWith('.d.ts')) folder.typescript = true;
    }
  }
  const byParent = new Map<string, Folder[]>();
  for (const folder of folders.values()) {
    if (folder.stems.size < MIN_FILES) continue;
    const parent = folder.dir.slice(0, Math.max(0, folder.dir.length - folder.name.length - 1));
    byParent.set(parent, [...(byParent.get(parent) ?? []), folder]);
  }
  const copies = new Set<string>();
  // typeorm ships its CommonJS build at the package root and an ES build in browser/: a build
  // folder that mirrors the rest of its parent folder is the copy.
  const rest = restOfParents(files, byParent);
  for (const [parent, siblings] of byParent) {
    const others = rest.get(parent);
    if (!others) continue;
    for (const folder of siblings) {
      // `lib/` is often the source itself, `es/` a Spanish locale beside the default one.
      if (RANK[folder.name] === 0 || folder.name === 'lib' || folder.name === 'es' || folder.typescript)
        continue;
      if (mirrors(folder, others) && similarSize(folder, others)) copies.add(folder.dir);
    }
  }
  for (const siblings of byParent.values()) {
    for (const a of siblings) {
      for (const b of siblings) {
        if (a === b || copies.has(b.dir) || !mirrors(a, b)) continue;
        const copy = copyOf(a, b);
        if (copy) copies.add(copy.dir);
      }
    }
  }
  return [...copies].sort().map((dir) => ({ path: dir, reason: 'build-output' }));
}

function mirrors(a: Folder, b: Folder): boolean {
  let shared = 0;
  for (const stem of a.stems.keys()) if (b.stems.has(stem)) shared += 1;
  return shared >= MIRRORED_SHARE * Math.min(a.stems.size, b.stems.size) && shared >= MIN_FILES;
}

/**
 * Whether the shared modules are about as large on both sides, as two builds of one source are;
 * platform folders (`node/index.js` overriding `index.js`) hold different code under the same names.
 */
function similarSize(a: Folder, b: Folder): boolean {
  let sizeA = 0;
  let sizeB = 0;
  for (const [stem, size] of a.stems) {
    const other = b.stems.get(stem);
    if (other === undefined) continue;
    sizeA += size;
    sizeB += other;
  }
  return sizeA > 0 && sizeB > 0 && sizeA <= 2 * sizeB && sizeB <= 2 * sizeA;
}

/** Which of two mirrored folders is the copy: the JavaScript one beside TypeScript, else the lower-ranked name. */
function copyOf(a: Folder, b: Folder): Folder | undefined {
  if (a.typescript !== b.typescript) return a.typescript ? b : a;
  const rankA = RANK[a.name] ?? 0;
  const rankB = RANK[b.name] ?? 0;
  if (rankA === rankB) return undefined;
  return rankA > rankB ? a : b;
}

/** Per parent folder, its code outside the ranked child folders, as one folder-like set of modules. */
function restOfParents(
  files: readonly SourceFile[],
  byParent: ReadonlyMap<string, Folder[]>,
): Map<string, Folder> {
  const ranked = new Set([...byParent.values()].flat().map((folder) => folder.dir));
  const stemsOf = new Map<string, Map<string, number>>();
  // One pass: each code file counts for every parent folder above it, unless it sits in one of
  // that parent's ranked child folders.
  for (const file of files) {
    if (!isJsModule(file)) continue;
    const segments = file.path.split('/');
    for (let depth = 0; depth < segments.length; depth += 1) {
      const parent = segments.slice(0, depth).join('/');
      if (!byParent.has(parent)) continue;
      const child = segments.slice(0, depth + 1).join('/');
      if (depth < segments.length - 1 && ranked.has(child)) continue;
      let stems = stemsOf.get(parent);
      if (!stems) {
        stems = new Map();
        stemsOf.set(parent, stems);
      }
      addStem(stems, segments.slice(depth).join('/'), file.size);
    }
  }
  const rest = new Map<string, Folder>();
  for (const [parent, stems] of stemsOf)
    if (stems.size >= MIN_FILES) rest.set(parent, { dir: parent, name: '', stems, typescript: false });
  return rest;
}

const TS_TWIN: Record<string, readonly string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

/**
 * JavaScript files compiled in place beside their TypeScript source (Ghost's
 * `RecommendationService.js` next to `RecommendationService.ts`, tsc without an `outDir`): each
 * is a copy of its twin, and auditing both reports every finding twice. Returns the copies, each
 * as a skipped build-output file.
 */
export function compiledTwins(files: readonly SourceFile[]): SkippedFile[] {
  const paths = new Set(files.map((file) => file.path));
  const out: SkippedFile[] = [];
  for (const file of files) {
    const dot = file.path.lastIndexOf('.');
    const twins = dot === -1 ? undefined : TS_TWIN[file.path.slice(dot)];
    if (!twins) continue;
    const stem = file.path.slice(0, dot);
    if (twins.some((ext) => paths.has(stem + ext))) out.push({ path: file.path, reason: 'build-output' });
  }
  return out;
}

/**
 * The name a bundler gives one module's build for each format, next to each other:
 * `index.js` / `index.mjs` / `index.es.js` (node-fetch's `lib/`), `x.cjs.js` / `x.esm.js`. Not
 * `x.node.js` / `x.browser.js`: those are usually two implementations, written by hand.
 */
const FORMAT_BUILD = /^(.+?)(?:\.(?:es|esm|cjs|umd|module|common|commonjs))?\.(?:js|mjs|cjs)$/;
/** Builds of one module differ by their wrappers only: within this share of the largest one's size. */
const SAME_SIZE = 0.8;

/**
 * One module built into several formats side by side (node-fetch ships `lib/index.js`,
 * `lib/index.mjs` and `lib/index.es.js`, 45 KB each): every finding would be reported once per
 * format, and the copies as duplicated blocks of each other. Keeps the plain `.js` file (or the
 * first by name) and returns the others, each as a skipped build-output file. Files whose sizes
 * differ more (an `index.mjs` wrapper that re-exports `index.js`) are different code: both stay.
 */
export function formatTwins(files: readonly SourceFile[]): SkippedFile[] {
  const groups = new Map<string, SourceFile[]>();
  for (const file of files) {
    if (file.language !== 'javascript') continue;
    const stem = FORMAT_BUILD.exec(file.path)?.[1];
    if (!stem) continue;
    const group = groups.get(stem);
    if (group) group.push(file);
    else groups.set(stem, [file]);
  }
  const out: SkippedFile[] = [];
  for (const [stem, group] of groups) {
    if (group.length < 2) continue;
    const largest = Math.max(...group.map((file) => file.size));
    if (group.some((file) => file.size < largest * SAME_SIZE)) continue;
    const kept =
      group.find((file) => file.path === `${stem}.js`) ??
      [...group].sort((a, b) => (a.path < b.path ? -1 : 1))[0];
    for (const file of group) if (file !== kept) out.push({ path: file.path, reason: 'build-output' });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
