import { dirOf } from '../dx/find-line.ts';
import type { RepoContext } from '../types.ts';
import { type CodeIndex, codeIndex } from './code-index.ts';
import { addModuleEdges, emptyGraph } from './graph-edges.ts';
import type { ImportRef } from './module-facts.ts';
import { ModuleResolver } from './module-resolver.ts';
import { memoized, profileMemo } from './profile-memo.ts';
import { scopedGraph } from './scoped-graph.ts';

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

/**
 * Build (once per profile) the import graph of the repository's JS/TS and Python files. Relative
 * imports, tsconfig `paths`/`baseUrl`, workspace packages and Python package layouts are resolved;
 * everything else is a package. In branch mode (`context.scope` with a search) the graph covers
 * only what conclusions about the changed files need; see scoped-graph.ts.
 */
export function importGraph(context: RepoContext): ImportGraph {
  return (context.scope && scopedGraph(context)) ?? memoized(cache, context, buildImportGraph);
}

function buildImportGraph(context: RepoContext): ImportGraph {
  const graph = emptyGraph(codeIndex(context), new ModuleResolver(context));
  for (const module of graph.index.modules.values()) addModuleEdges(graph, module);
  return graph;
}

/** Whether `file` sits in a folder that some file loads modules from by computed name. */
export function isDynamicallyLoaded(graph: ImportGraph, file: string): boolean {
  for (let dir = dirOf(file); ; dir = dirOf(dir)) {
    if (graph.loadedDirs.has(dir === '' ? '.' : dir)) return true;
    if (dir === '') return false;
  }
}
