/**
 * The import graph in branch mode (`improve branch`). There, a finding counts only when it cites a
 * file in the branch's scope, and the detectors that conclude from absence elsewhere (nothing
 * imports this file, nothing uses this export, this module is in a cycle) conclude about the
 * changed files only. So instead of every file, the graph indexes what those conclusions need:
 *
 * - the scope's files (the changed files and their direct importers);
 * - every file that may import a changed file, so a changed file's `importers` are complete;
 * - the load-time imports reachable from a changed file, so every import cycle through one is in
 *   the graph.
 *
 * and, when a detector asks (it calls these before it concludes; outside branch mode they do
 * nothing):
 *
 * - `ensureWords`: every code file that may contain the given names, so `index.words` and
 *   `index.strings` counts of them are exact;
 * - `ensureNamed`: every file that may name a file (its stem) and its re-export chain up to the
 *   top, so entry points, mentions and `publicModules` answer for it;
 * - `ensureLoaders`: every file that may load a changed file's folder by computed name, and the
 *   alias imports that may stand for a changed file, so `loadedDirs` and `unresolved` answer for it;
 * - `ensureImporters`: every file that may import the given files, so their `importers` are complete;
 * - `folderImported`: whether any file imports a file of a folder.
 *
 * A search (`git grep`) finds the files that contain the text such an import or mention must
 * contain; each one that does is indexed exactly as the whole-repository graph indexes it, so
 * every fact about a changed file is the one the whole graph gives. Adding files only adds facts
 * about other files. Without a search (or when it fails) the whole-repository graph is used.
 */

import { dirOf } from '../dx/find-line.ts';
import type { RepoContext } from '../types.ts';
import { emptyCodeIndex, type IndexedModule, isIndexable } from './code-index.ts';
import { emptyGraph } from './graph-edges.ts';
import type { ImportGraph } from './import-graph.ts';
import { ModuleResolver } from './module-resolver.ts';
import { memoized, profileMemo } from './profile-memo.ts';
import {
  add,
  addAnyAlias,
  addChain,
  addFound,
  addLoadClosure,
  addLoadersAndAliases,
  type ScopedState,
} from './scoped-finders.ts';

export { aliasTail } from './scoped-finders.ts';

const memo = profileMemo<ScopedState | undefined>();

function build(context: RepoContext): ScopedState | undefined {
  const scope = context.scope;
  const search = scope?.search;
  if (!scope || !search) return undefined;
  const files = new Map(context.profile.files.map((file) => [file.path, file]));
  const state: ScopedState = {
    graph: emptyGraph(emptyCodeIndex(), new ModuleResolver(context)),
    context,
    search,
    changed: [...scope.changed]
      .filter((file) => {
        const source = files.get(file);
        return source !== undefined && isIndexable(source);
      })
      .sort(),
    files,
    tried: new Set(),
    mentions: new Set(),
    words: new Set(),
    chains: new Set(),
    targets: new Set(),
    aliases: false,
    anyAlias: false,
  };
  try {
    for (const file of [...scope.files].sort()) add(state, file);
    addLoadClosure(state);
    addFound(state, state.changed, []);
  } catch {
    return undefined; // the search failed: the whole-repository graph answers instead
  }
  return state;
}

function scopedState(context: RepoContext): ScopedState | undefined {
  return context.scope?.search ? memoized(memo, context, build) : undefined;
}

/** The branch-mode graph (see the top of this file); undefined outside branch mode or without a search. */
export function scopedGraph(context: RepoContext): ImportGraph | undefined {
  return scopedState(context)?.graph;
}

/**
 * Branch mode: files that are not code but may name a changed file (found by searching for its
 * name); undefined outside branch mode. Configuration that names a changed file is among them.
 */
export function scopeMentions(context: RepoContext): ReadonlySet<string> | undefined {
  return scopedState(context)?.mentions;
}

/** Branch mode: make `index.words` and `index.strings` exact for these names too. */
export function ensureWords(context: RepoContext, names: readonly string[]): void {
  const state = scopedState(context);
  if (state) addFound(state, [], names);
}

/**
 * Branch mode: index what entry points and mentions of `file` need (every file that may name it),
 * and its re-export chain (so `publicModules` answers for it). Call before asking about it.
 */
export function ensureNamed(context: RepoContext, file: string): void {
  const state = scopedState(context);
  if (state) addChain(state, file);
}

/**
 * Branch mode: index every file that loads a folder by a computed path, and the alias imports that
 * may stand for a changed file (so `loadedDirs` and `unresolved` answer for changed files).
 */
export function ensureLoaders(context: RepoContext): void {
  const state = scopedState(context);
  if (state) addLoadersAndAliases(state);
}

/** Branch mode: index enough alias imports to know whether the repository has an unresolved one. */
export function ensureAnyAlias(context: RepoContext): void {
  const state = scopedState(context);
  if (state) addAnyAlias(state);
}

/**
 * Branch mode: index every file that may import one of `files`, so the graph's `importers` of each
 * are complete (they are for the changed files already).
 */
export function ensureImporters(context: RepoContext, files: readonly string[]): void {
  const state = scopedState(context);
  if (state) addFound(state, files, []);
}

/** Branch mode: index `file` (to follow its imports), when it is a code file. */
export function ensureModule(context: RepoContext, file: string): IndexedModule | undefined {
  const state = scopedState(context);
  return state ? add(state, file) : undefined;
}

/**
 * Whether some file imports a file of folder `dir` (the graph's `importers` then has one there).
 * Outside branch mode the graph has every importer already.
 */
export function folderImported(context: RepoContext, graph: ImportGraph, dir: string): boolean {
  const inFolder = (file: string) => dirOf(file) === dir;
  if ([...graph.importers.keys()].some(inFolder)) return true;
  const state = scopedState(context);
  if (!state || state.graph !== graph) return false;
  const siblings = [...state.files.values()].filter((file) => inFolder(file.path) && isIndexable(file));
  addFound(
    state,
    siblings.map((file) => file.path),
    [],
  );
  return [...graph.importers.keys()].some(inFolder);
}

/**
 * The same view without the branch scope: for a detector whose conclusion about a changed file
 * needs the whole repository (every file is then read, as in a full audit).
 */
export function wholeRepository(context: RepoContext): RepoContext {
  return { profile: context.profile, read: (file) => context.read(file) };
}

/**
 * The modules a detector that concludes from absence elsewhere may report: every module, or in
 * branch mode the changed ones (the graph knows enough about those alone).
 */
export function concludableModules(context: RepoContext, graph: ImportGraph): IndexedModule[] {
  const changed = context.scope?.changed;
  if (!changed) return [...graph.index.modules.values()];
  return [...changed].sort().flatMap((file) => graph.index.modules.get(file) ?? []);
}
