import path from 'node:path';
import { dirOf } from '../dx/find-line.ts';
import type { CodeIndex, IndexedModule } from './code-index.ts';
import type { ImportEdge, ImportGraph } from './import-graph.ts';
import type { ModuleResolver } from './module-resolver.ts';

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** A graph with no edges yet, over `index` (which may already hold modules; add their edges). */
export function emptyGraph(index: CodeIndex, resolver: ModuleResolver): ImportGraph {
  return {
    index,
    edges: new Map(),
    importers: new Map(),
    unresolved: [],
    packages: new Map(),
    loadedDirs: new Set(),
    resolver,
  };
}

/** Add what one indexed module imports and loads to the graph. */
export function addModuleEdges(graph: ImportGraph, module: IndexedModule): void {
  const addPackage = (name: string, from: string) => {
    const set = graph.packages.get(name) ?? new Set<string>();
    set.add(from);
    graph.packages.set(name, set);
  };
  const dir = dirOf(module.path);
  for (const load of module.facts.loads)
    graph.loadedDirs.add(path.posix.normalize(path.posix.join(dir, load)).replace(/\/$/, '') || '.');
  for (const ref of module.facts.imports) {
    if (ref.prefixOnly) {
      if (ref.specifier.startsWith('.')) {
        const prefix = path.posix.join(dir, ref.specifier);
        const folder = ref.specifier.endsWith('/') ? path.posix.normalize(prefix) : dirOf(prefix);
        graph.loadedDirs.add(folder.replace(/\/$/, '') || '.');
      } else if (!ref.specifier.startsWith('/')) addPackage(ref.specifier.replace(/\/$/, ''), module.path);
      continue;
    }
    const resolutions =
      module.language === 'python'
        ? graph.resolver.resolvePython(module.path, ref)
        : [graph.resolver.resolveJs(module.path, ref.specifier)];
    for (const resolution of resolutions) {
      const edge: ImportEdge = { from: module.path, ref };
      if (resolution.kind === 'file') {
        if (resolution.target === module.path) continue;
        edge.target = resolution.target;
        push(graph.importers, resolution.target, edge);
      } else if (resolution.kind === 'package') {
        edge.package = resolution.name;
        addPackage(resolution.name, module.path);
      } else if (resolution.kind === 'alias') graph.unresolved.push(edge);
      push(graph.edges, module.path, edge);
    }
  }
}
