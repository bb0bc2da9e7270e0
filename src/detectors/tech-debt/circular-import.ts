import type { NapiConfig } from '@ast-grep/napi';
import { parseSource } from '../../audit/parse.ts';
import { redactLine } from '../../core/redact.ts';
import type { FileRole } from '../../core/types.ts';
import { JS_FUNCTION_KINDS } from '../correctness/enclosing-function.ts';
import { baseName } from '../dx/find-line.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import type { RawFinding, RepoContext, RepoDetector } from '../types.ts';
import { type ImportEdge, importGraph } from './import-graph.ts';

const MAX_FINDINGS = 8;
const MAX_LISTED = 6;
const GRAPH_ROLES: ReadonlySet<FileRole> = new Set(['source']);

const TS_FILE = /\.[cm]?tsx?$/;
const VALUE_IDENTIFIERS: NapiConfig = {
  rule: {
    any: [{ kind: 'identifier' }, { kind: 'shorthand_property_identifier' }],
    not: {
      any: [
        { inside: { kind: 'import_statement', stopBy: 'end' } },
        { inside: { kind: 'nested_type_identifier' } },
        { inside: { kind: 'type_query', stopBy: 'end' } },
        // `export { type PageCursor }`, `export type { A, B }`: re-exported as types only.
        { inside: { kind: 'export_specifier', regex: '^type\\s' } },
        { inside: { kind: 'export_statement', regex: '^export\\s+type\\s*\\{', stopBy: 'end' } },
      ],
    },
  },
};

/**
 * Functions, whose bodies run when called, not while the module loads. (The JavaScript grammar's
 * kinds only: an ast-grep rule may name only kinds of the grammar it runs on.)
 */
const DEFERRED = JS_FUNCTION_KINDS.map((kind) => ({ kind }));
/** JavaScript has no type positions (`nested_type_identifier`, `type_query` are TypeScript kinds). */
const JS_VALUE_IDENTIFIERS: NapiConfig = {
  rule: {
    any: [{ kind: 'identifier' }, { kind: 'shorthand_property_identifier' }],
    not: { inside: { kind: 'import_statement', stopBy: 'end' } },
  },
};
/** Instance fields run when an object is made (`#url = get_current_url();`); static ones at load. */
const instanceField = (kind: string): NapiConfig['rule'] => ({
  kind,
  not: { regex: '^(?:(?:public|private|protected|readonly|declare|override|accessor)\\s+)*static\\b' },
});
const later = (field: string): NapiConfig['rule'] => ({
  any: [
    { inside: { any: [...DEFERRED, instanceField(field)], stopBy: 'end' } },
    { inside: { kind: 'export_clause', stopBy: 'end' } },
  ],
});
const atLoad = (values: NapiConfig, field: string): NapiConfig => ({
  rule: { all: [values.rule, { not: later(field) }] },
});
const TS_AT_LOAD = atLoad(VALUE_IDENTIFIERS, 'public_field_definition');
const JS_AT_LOAD = atLoad(JS_VALUE_IDENTIFIERS, 'field_definition');

/** Identifiers a JavaScript/TypeScript file uses as values, and those it uses while it loads. */
interface IdentifierUses {
  values: Set<string>;
  atLoad: Set<string>;
}

function identifierUses(
  context: RepoContext,
  file: string,
  cache: Map<string, IdentifierUses>,
): IdentifierUses {
  const cached = cache.get(file);
  if (cached) return cached;
  const text = context.read(file) ?? '';
  const typescript = TS_FILE.test(file);
  const root = parseSource(
    typescript ? (file.endsWith('x') ? 'tsx' : 'typescript') : 'javascript',
    text,
  )?.root();
  const uses: IdentifierUses = {
    values: new Set(
      root
        ? root.findAll(typescript ? VALUE_IDENTIFIERS : JS_VALUE_IDENTIFIERS).map((node) => node.text())
        : [],
    ),
    atLoad: new Set(
      root ? root.findAll(typescript ? TS_AT_LOAD : JS_AT_LOAD).map((node) => node.text()) : [],
    ),
  };
  cache.set(file, uses);
  return uses;
}

/**
 * TypeScript drops an import whose names are only used as types, so it creates no load-time
 * dependency even without `import type`. Checked only for edges inside candidate cycles.
 */
function elided(edge: ImportEdge, context: RepoContext, cache: Map<string, IdentifierUses>): boolean {
  if (!TS_FILE.test(edge.from) || edge.ref.reexport) return false;
  const locals = edge.ref.locals ?? [];
  if (locals.length === 0) return false;
  const { values } = identifierUses(context, edge.from, cache);
  return !locals.some((name) => values.has(name));
}

/**
 * A static ES import whose names are used only inside functions: ES modules bind imports live,
 * so nothing is read from the other module until a function runs, after both have loaded.
 */
function usedOnlyLater(edge: ImportEdge, context: RepoContext, cache: Map<string, IdentifierUses>): boolean {
  // `const { a } = require('./a')` and `__exportStar(require('./a'))` copy while loading.
  if (!edge.ref.live) return false;
  // `export { push, pop } from './context.js'` links names; nothing is read while loading.
  if (edge.ref.reexport) return true;
  const locals = edge.ref.locals ?? [];
  if (locals.length === 0) return false;
  const { atLoad } = identifierUses(context, edge.from, cache);
  return !locals.some((name) => atLoad.has(name));
}

/** Edges that make a module need another while it loads: not type-only, not lazy. */
function loadEdges(context: RepoContext): Map<string, ImportEdge[]> {
  const graph = importGraph(context);
  const out = new Map<string, ImportEdge[]>();
  for (const [from, edges] of graph.edges) {
    const module = graph.index.modules.get(from);
    if (!module || !GRAPH_ROLES.has(module.role)) continue;
    const kept = edges.filter((edge) => {
      if (!edge.target || edge.ref.typeOnly || edge.ref.lazy) return false;
      const target = graph.index.modules.get(edge.target);
      return target !== undefined && GRAPH_ROLES.has(target.role) && !edge.target.endsWith('.d.ts');
    });
    if (kept.length > 0) out.set(from, kept);
  }
  return out;
}

/** Strongly connected components with more than one file (Tarjan, iterative), each sorted. */
export function cycles(edges: Map<string, ImportEdge[]>): string[][] {
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const successors = (node: string) => [...new Set((edges.get(node) ?? []).map((e) => e.target ?? ''))];
  for (const start of [...edges.keys()].sort()) {
    if (indexOf.has(start)) continue;
    const work: { node: string; next: string[]; position: number }[] = [];
    const visit = (node: string) => {
      indexOf.set(node, counter);
      low.set(node, counter);
      counter += 1;
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: successors(node), position: 0 });
    };
    visit(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (!frame) break;
      if (frame.position < frame.next.length) {
        const next = frame.next[frame.position] ?? '';
        frame.position += 1;
        if (!indexOf.has(next)) visit(next);
        else if (onStack.has(next))
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, indexOf.get(next) ?? 0));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) === indexOf.get(frame.node)) {
        const component: string[] = [];
        for (;;) {
          const member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
          if (member === frame.node) break;
        }
        if (component.length > 1) components.push(component.sort());
      }
    }
  }
  return components;
}

/** The shortest cycle through `start` inside one component, as the edges that form it. */
function shortestCycle(start: string, members: Set<string>, edges: Map<string, ImportEdge[]>): ImportEdge[] {
  const previous = new Map<string, ImportEdge>();
  const queue = [start];
  for (let head = 0; head < queue.length; head += 1) {
    const node = queue[head] ?? '';
    for (const edge of edges.get(node) ?? []) {
      const target = edge.target ?? '';
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [edge];
        for (let at = node; at !== start; ) {
          const back = previous.get(at);
          if (!back) break;
          path.unshift(back);
          at = back.from;
        }
        return path;
      }
      if (!previous.has(target)) {
        previous.set(target, edge);
        queue.push(target);
      }
    }
  }
  return [];
}

/**
 * One cycle per shape: built copies of one cycle (`core.ts`, `core.js`, `core.cjs`) are reported
 * once, the TypeScript sources first; smallest cycles first.
 */
function distinctCycles(components: string[][]): string[][] {
  const shapeOf = (component: string[]) =>
    component
      .map((file) => baseName(file).replace(/\.[^.]+$/, ''))
      .sort()
      .join('|');
  const hasSource = (component: string[]) => component.some((file) => TS_FILE.test(file));
  const ordered = [...components].sort((a, b) => Number(hasSource(b)) - Number(hasSource(a)));
  const byShape = new Map<string, string[]>();
  for (const component of ordered)
    if (!byShape.has(shapeOf(component))) byShape.set(shapeOf(component), component);
  return [...byShape.values()].sort((a, b) => a.length - b.length || (a[0] ?? '').localeCompare(b[0] ?? ''));
}

/**
 * Whether loading the cycle can read a binding before its module has run: some import inside it
 * is used while its module loads. (One such edge is enough: entering the cycle at the module it
 * points to runs the importer first.) ES imports used only inside functions never are.
 */
function readsWhileLoading(
  component: readonly string[],
  edges: ReadonlyMap<string, ImportEdge[]>,
  context: RepoContext,
  cache: Map<string, IdentifierUses>,
): boolean {
  const members = new Set(component);
  return component.some((file) =>
    (edges.get(file) ?? []).some(
      (edge) => members.has(edge.target ?? '') && !usedOnlyLater(edge, context, cache),
    ),
  );
}

/** Whether a Python import stands at the module's top level after every class and function it defines. */
function importedAtBottom(edge: ImportEdge, context: RepoContext): boolean {
  if (!edge.from.endsWith('.py')) return false;
  const line = context.read(edge.from)?.split(/\r?\n/)[edge.ref.line - 1] ?? '';
  if (!/^(?:from|import)\s/.test(line)) return false;
  const definitions = importGraph(context).index.modules.get(edge.from)?.facts.definitions ?? [];
  const top = definitions.filter(
    (definition) => definition.kind === 'class' || definition.kind === 'function',
  );
  return top.length > 0 && top.every((definition) => definition.line < edge.ref.line);
}

/** Modules that import each other, directly or through others: each cycle reported once. */
export const circularImport: RepoDetector = {
  id: 'tech-debt/circular-import',
  category: 'tech-debt',
  scope: 'repo',
  title: 'Circular import',
  description:
    'These modules import each other, directly or through a chain. Each one needs the others while it loads, so which one runs first decides whether a value is still undefined (in JavaScript, a `ReferenceError` or an `undefined` import; in Python, an `ImportError` on a partially initialised module). The cycle also means none of them can be understood, tested or reused alone.',
  impact: 'MED',
  effort: 'M',
  risk: 'MED',
  riskReason:
    'Moving code between modules changes import paths for every caller; a missed caller fails at import time.',
  confidence: 'MED',
  fixSketch:
    'Find what each module takes from the other. Move the shared part (types, constants, a helper) into a new module that both import and that imports neither, or invert one dependency by passing a function or value in as a parameter. A type-only import (`import type`, `if TYPE_CHECKING:`) does not count.',
  steps: [
    'List the imports that close the cycle (cited lines) and, for each, which names it takes.',
    'Pick the edge whose names are the smallest self-contained piece (often types, constants or one helper). Move those names into a new module next to the others that imports none of the modules in the cycle.',
    'Point the imports of the moved names in the cited files at the new module; where other files import them from the old module, re-export them there so those files need no change. For names only used as types, an `import type` (TypeScript) or an `if TYPE_CHECKING:` import (Python) is enough.',
    'Run the typecheck (if any) and the test command; both must pass. Run the done check: the cited import lines are gone.',
  ],
  python: {
    steps: [
      'List the imports that close the cycle (cited lines) and, for each, which names it takes.',
      'Pick the edge whose names are the smallest self-contained piece (often constants, exceptions or one helper). Move those names into a new module next to the others that imports none of the modules in the cycle.',
      'Point the imports of the moved names in the cited files at the new module; where other files import them from the old module, import them there from the new one too so those files need no change. For names used only in type annotations, an import under `if TYPE_CHECKING:` (with `from __future__ import annotations`) is enough.',
      'Run the type checker (if the repository has one) and the test command; both must pass. Run the done check: the cited import lines are gone.',
    ],
  },
  quick: false,
  check(context) {
    const all = loadEdges(context);
    // Re-check the edges inside candidate cycles for imports TypeScript elides, then recompute.
    const members = new Set(cycles(all).flat());
    const values = new Map<string, IdentifierUses>();
    const edges = new Map<string, ImportEdge[]>();
    for (const [from, list] of all) {
      const kept = members.has(from)
        ? list.filter((edge) => !members.has(edge.target ?? '') || !elided(edge, context, values))
        : list;
      if (kept.length > 0) edges.set(from, kept);
    }
    const out: RawFinding[] = [];
    // Branch mode: the graph holds every cycle through a changed file (and parts of others).
    const changed = context.scope?.changed;
    const found = cycles(edges).filter(
      (component) => !changed || component.some((file) => changed.has(file)),
    );
    const unique = distinctCycles(found);
    for (const component of unique.slice(0, MAX_FINDINGS)) {
      const start = component[0] ?? '';
      const path = shortestCycle(start, new Set(component), edges);
      const first = path[0];
      if (!first) continue;
      const chain = [...path.map((edge) => edge.from), start].join(' → ');
      const others =
        component.length > path.length
          ? ` They belong to a tangle of ${component.length} modules that all reach each other (${component
              .slice(0, MAX_LISTED)
              .join(', ')}${component.length > MAX_LISTED ? ', …' : ''}).`
          : '';
      const checks = path.flatMap((edge) => {
        const line = context.read(edge.from)?.split(/\r?\n/)[edge.ref.line - 1]?.trim() ?? '';
        if (line.length < 6 || redactLine(line) !== line) return [];
        return [`! grep -qF -- ${shellQuote(line)} ${shellQuote(edge.from)}`];
      });
      // A package's own `__init__.py` re-exporting its modules, which import the package back, is
      // how many Python packages are laid out; it breaks only when a name is used while loading.
      const packageInit = component.some(
        (file) =>
          file.endsWith('/__init__.py') &&
          component.every((other) => other.startsWith(file.slice(0, -'__init__.py'.length))),
      );
      out.push({
        file: first.from,
        startLine: first.ref.line,
        endLine: first.ref.line,
        related: path
          .slice(1)
          .map((edge) => ({ file: edge.from, startLine: edge.ref.line, endLine: edge.ref.line })),
        title:
          path.length === 2
            ? `Circular import between ${first.from} and ${first.target ?? ''}`
            : `Circular import through ${path.length} modules starting at ${first.from}`,
        message: `${chain}: each of these imports the next while it loads.${others}`,
        key: `cycle:${component.join('|')}`,
      });
      const finding = out[out.length - 1];
      if (finding && packageInit) finding.confidence = 'LOW';
      // Paramiko's `from paramiko.sftp_server import SFTPServer` as the last line of sftp_handle.py:
      // an import placed after every definition of its module is how Python code breaks a cycle on
      // purpose; by the time it runs, what the other module takes from this one exists.
      const bottom = path.find((edge) => importedAtBottom(edge, context));
      if (finding && bottom) {
        finding.confidence = 'LOW';
        finding.message = `${chain}: each of these imports the next while it loads, but ${bottom.from} imports ${bottom.target ?? ''} at its end, after all its definitions, so the cycle loads: the usual way to break one on purpose.${others} The modules still cannot be understood, tested or reused apart.`;
      }
      // ES modules that use each other only inside functions load in either order.
      if (finding && !readsWhileLoading(component, edges, context, values)) {
        finding.confidence = 'LOW';
        finding.message = `${chain}: these modules import each other, but use what they import only inside functions, so they load in either order.${others} They still cannot be understood, tested or reused apart.`;
      }
      if (finding && checks.length > 0)
        finding.doneCheck =
          checks.length === 1 ? checks[0] : checks.map((check) => `{ ${check}; }`).join(' || ');
    }
    return out;
  },
};
