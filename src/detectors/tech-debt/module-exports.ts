import { dirOf, joinPath } from '../dx/find-line.ts';
import type { ImportGraph } from './import-graph.ts';

const MAX_DEPTH = 12;

/**
 * Every name a module makes public, following `export * from` (and Python `from .x import *`, plus
 * a package's submodules) through the repository. Undefined when that cannot be known statically:
 * a star re-export of another package, or exports built at run time.
 */
export function publicNames(graph: ImportGraph, file: string, depth = 0): Set<string> | undefined {
  const module = graph.index.modules.get(file);
  if (!module || depth > MAX_DEPTH) return undefined;
  const { exports } = module.facts;
  if (exports.dynamic) return undefined;
  const out = new Set(exports.names.keys());
  const python = module.language === 'python';
  if (python && file.endsWith('__init__.py')) {
    const dir = dirOf(file);
    for (const other of graph.index.modules.keys()) {
      if (dirOf(other) === dir && other !== file) out.add(other.slice(dir.length + 1).replace(/\.py$/, ''));
      if (dirOf(dirOf(other)) === dir && other.endsWith('/__init__.py'))
        out.add(dirOf(other).slice(dir.length + 1));
    }
  }
  const edges = graph.edges.get(file) ?? [];
  for (const star of exports.starFrom) {
    const edge = python
      ? edges.find((e) => e.ref.names === '*' && '.'.repeat(e.ref.level ?? 0) + e.ref.specifier === star)
      : edges.find((e) => e.ref.reexport && e.ref.specifier === star);
    if (!edge?.target) return undefined;
    const inner = publicNames(graph, edge.target, depth + 1);
    if (!inner) return undefined;
    for (const name of inner) if (name !== 'default' && !(python && name.startsWith('_'))) out.add(name);
  }
  return out;
}

/** `pkg/__init__.py` or `pkg.py` for a dotted Python module under one of `roots`. */
export function pythonModuleFile(
  graph: ImportGraph,
  dotted: string,
  roots: readonly string[],
): string | undefined {
  const path = dotted.replaceAll('.', '/');
  for (const root of roots) {
    for (const candidate of [joinPath(joinPath(root, path), '__init__.py'), joinPath(root, `${path}.py`)]) {
      if (graph.index.modules.has(candidate)) return candidate;
    }
  }
  return undefined;
}
