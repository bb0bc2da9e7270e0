import path from 'node:path';
import { dirOf } from '../dx/find-line.ts';
import type { RepoContext } from '../types.ts';
import { type CodeIndex, codeIndex } from './code-index.ts';
import type { ImportRef } from './module-facts.ts';
import { ModuleResolver } from './module-resolver.ts';
import { memoized, profileMemo } from './profile-memo.ts';

/** One import of one file, with where it leads. */
export interface ImportEdge {
  from: string;
  ref: ImportRef;
  /** The repository file it resolves to. */
  target?: string;
  /** The installed package it names (or, for Python, the top-level module). */
  package?: string;
}

/** The repository's import graph: who imports whom, and which packages each file uses. */
export interface ImportGraph {
  index: CodeIndex;
  /** Outgoing edges per importing file (files with no imports have no entry). */
  edges: Map<string, ImportEdge[]>;
  /** Incoming edges per imported file. */
  importers: Map<string, ImportEdge[]>;
  /** Alias-looking specifiers (`@/x`, `~/x`) that did not resolve to a file. */
  unresolved: ImportEdge[];
  /** Package name → the files that import it. */
  packages: Map<string, Set<string>>;
  /** Folders (repo-relative) some file loads modules from by computed name. */
  loadedDirs: Set<string>;
  /** The resolver the graph was built with, for resolving other specifiers the same way. */
  resolver: ModuleResolver;
}

const cache = profileMemo<ImportGraph>();

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Build (once per profile) the import graph of the repository's JS/TS and Python files. Relative
 * imports, tsconfig `paths`/`baseUrl`, workspace packages and Python package layouts are resolved;
 * everything else is a package.
 */
export function importGraph(context: RepoContext): ImportGraph {
  return memoized(cache, context, buildImportGraph);
}

function buildImportGraph(context: RepoContext): ImportGraph {
  const index = codeIndex(context);
  const resolver = new ModuleResolver(context);
  const edges = new Map<string, ImportEdge[]>();
  const importers = new Map<string, ImportEdge[]>();
  const unresolved: ImportEdge[] = [];
  const packages = new Map<string, Set<string>>();
  const loadedDirs = new Set<string>();
  const addPackage = (name: string, from: string) => {
    const set = packages.get(name) ?? new Set<string>();
    set.add(from);
    packages.set(name, set);
  };
  for (const module of index.modules.values()) {
    const dir = dirOf(module.path);
    for (const load of module.facts.loads)
      loadedDirs.add(path.posix.normalize(path.posix.join(dir, load)).replace(/\/$/, '') || '.');
    for (const ref of module.facts.imports) {
      if (ref.prefixOnly) {
        if (ref.specifier.startsWith('.')) {
          const prefix = path.posix.join(dir, ref.specifier);
          const folder = ref.specifier.endsWith('/') ? path.posix.normalize(prefix) : dirOf(prefix);
          loadedDirs.add(folder.replace(/\/$/, '') || '.');
        } else if (!ref.specifier.startsWith('/')) addPackage(ref.specifier.replace(/\/$/, ''), module.path);
        continue;
      }
      const resolutions =
        module.language === 'python'
          ? resolver.resolvePython(module.path, ref)
          : [resolver.resolveJs(module.path, ref.specifier)];
      for (const resolution of resolutions) {
        const edge: ImportEdge = { from: module.path, ref };
        if (resolution.kind === 'file') {
          if (resolution.target === module.path) continue;
          edge.target = resolution.target;
          push(importers, resolution.target, edge);
        } else if (resolution.kind === 'package') {
          edge.package = resolution.name;
          addPackage(resolution.name, module.path);
        } else if (resolution.kind === 'alias') unresolved.push(edge);
        push(edges, module.path, edge);
      }
    }
  }
  const graph: ImportGraph = { index, edges, importers, unresolved, packages, loadedDirs, resolver };
  return graph;
}

/** Whether `file` sits in a folder that some file loads modules from by computed name. */
export function isDynamicallyLoaded(graph: ImportGraph, file: string): boolean {
  for (let dir = dirOf(file); ; dir = dirOf(dir)) {
    if (graph.loadedDirs.has(dir === '' ? '.' : dir)) return true;
    if (dir === '') return false;
  }
}
