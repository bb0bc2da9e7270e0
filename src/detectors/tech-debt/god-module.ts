import { baseName } from '../dx/find-line.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import type { RawFinding, RepoContext, RepoDetector } from '../types.ts';
import { scanJs, scanPython } from './code-scan.ts';
import { publicModules } from './entry-points.ts';
import { importGraph } from './import-graph.ts';
import { wholeRepository } from './scoped-graph.ts';

const MIN_MODULES = 10;
const MIN_LINES = 500;
const LINES_FACTOR = 5;
const MIN_IMPORTERS = 5;
const MAX_FINDINGS = 3;
/** Files that are big by nature (declarations, data tables, generated clients), not by accretion. */
const DATA_NAME =
  /(?:^|[._-])(?:types?|constants?|consts|schema|schemas|messages|locales?|i18n|translations?|generated|gen|data|fixtures?|enums?|icons?|models?)\.[^.]+$|\.d\.[cm]?ts$/i;

/** Lines that branch or loop: what distinguishes logic from declarations, data and one-line facades. */
const LOGIC = /^.*\b(?:if|for|while|switch|case|catch|elif|except)\b.*$/gm;
const MIN_FAN_OUT = 5;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** A source file far larger than the repository's typical file that many others import. */
export const godModule: RepoDetector = {
  id: 'tech-debt/god-module',
  category: 'tech-debt',
  scope: 'repo',
  title: 'Oversized module that many files depend on',
  description:
    'This module is many times larger than the typical source file here, and a large share of the code base imports it. Every change to it risks breaking many callers, it is hard to review and to test in isolation, and merge conflicts concentrate in it.',
  impact: 'MED',
  effort: 'L',
  risk: 'MED',
  riskReason:
    'Splitting a widely imported module changes import paths across the code base; behaviour must stay identical.',
  confidence: 'MED',
  fixSketch:
    'Group its exports by what callers use them for, move each group to its own module (keep the old module re-exporting them at first so no caller breaks), then move callers to the new modules one folder at a time.',
  steps: [
    'List the module’s exports and, for each, which files import it (search the repository for the module path).',
    'Group exports that are used together or share private helpers; each group becomes one new module in the same folder, named after what it does.',
    'Move one group at a time: create the new module, move the code and its private helpers, and re-export the moved names from the old module so existing imports keep working. Run the tests after each move.',
    'Keep the re-exports: pointing the callers at the new modules changes files outside this plan, so it is a later change. Run the typecheck and tests; then the done check.',
  ],
  quick: false,
  check(context) {
    const changed = context.scope?.changed;
    // Branch mode: only a changed file that is big and widely imported can be reported, and only
    // then are the repository-wide statistics (the whole graph) worth computing.
    if (changed) {
      if (!changedMayQualify(context, changed)) return [];
      return godModule.check(wholeRepository(context)).filter((f) => f.file && changed.has(f.file));
    }
    const graph = importGraph(context);
    const sources = [...graph.index.modules.values()].filter((module) => module.role === 'source');
    if (sources.length < MIN_MODULES) return [];
    const lineCounts = sources.map((module) => module.lineCount).sort((a, b) => a - b);
    const lineLimit = Math.max(MIN_LINES, LINES_FACTOR * quantile(lineCounts, 0.5));
    const importerCount = (path: string) =>
      new Set(
        (graph.importers.get(path) ?? [])
          .filter((edge) => graph.index.modules.get(edge.from)?.role === 'source')
          .map((edge) => edge.from),
      ).size;
    const counts = sources
      .map((module) => importerCount(module.path))
      .filter((count) => count > 0)
      .sort((a, b) => a - b);
    const importerLimit = Math.max(MIN_IMPORTERS, quantile(counts, 0.9), 3 * quantile(counts, 0.5));
    const candidates = sources
      .filter((module) => module.lineCount >= lineLimit && !DATA_NAME.test(baseName(module.path)))
      .map((module) => ({ module, importers: importerCount(module.path) }))
      .filter(({ module, importers }) => {
        if (importers < importerLimit) return false;
        // A hub depends on many modules too; a big cohesive type (a vector, an Option) does not.
        const fanOut = new Set(
          (graph.edges.get(module.path) ?? [])
            .filter((edge) => edge.target && !edge.ref.typeOnly)
            .map((edge) => edge.target),
        ).size;
        if (fanOut < MIN_FAN_OUT) return false;
        // Mostly declarations, data tables or one-line wrappers: little branching for its size.
        const text = context.read(module.path) ?? '';
        const code = (module.language === 'python' ? scanPython(text) : scanJs(text)).code;
        const codeLines = code.split('\n').filter((line) => line.trim() !== '').length;
        // Big only with its comments (mongoose's schemaType.js: 1,783 lines, 709 of code and the
        // rest JSDoc): as much code as a typical file's share of it, no more.
        if (codeLines < lineLimit) return false;
        const logic = code.match(LOGIC) ?? [];
        return logic.length >= codeLines / 20;
      })
      .sort(
        (a, b) =>
          b.module.lineCount * b.importers - a.module.lineCount * a.importers ||
          a.module.path.localeCompare(b.module.path),
      );
    const median = quantile(lineCounts, 0.5);
    const published = publicModules(context);
    const out: RawFinding[] = [];
    for (const { module, importers } of candidates.slice(0, MAX_FINDINGS)) {
      const exported = module.facts.definitions.filter((d) => d.exported).length;
      const topLevel = module.facts.definitions.filter((d) => d.kind === 'class' || d.kind === 'function');
      // One big class is a large class, often cohesive (a vector type, a base class): a weaker lead.
      const singleClass = topLevel.length === 1 && topLevel[0]?.kind === 'class';
      const note = published.has(module.path)
        ? ' It is part of the package’s public API (an entry point re-exports it), so any split must keep that API.'
        : singleClass
          ? ' It is one class; check whether its methods serve several unrelated jobs before splitting it.'
          : '';
      out.push({
        file: module.path,
        startLine: 1,
        endLine: 1,
        title: `${module.path} is ${module.lineCount} lines and imported by ${importers} files`,
        message: `${module.path} has ${module.lineCount} lines (the median source file here has ${median}), ${importers} source files import it${exported > 1 ? `, it defines ${exported} exported functions or classes` : ''} and it depends on many modules itself. A change here can break any of those callers, and the file is too big to review or test as one unit.${note}`,
        key: `god-module:${module.path}`,
        // Published API (its shape is the API's shape) or one class: leads, not verdicts.
        ...(published.has(module.path) || singleClass ? { confidence: 'LOW' as const } : {}),
        doneCheck: `test "$(wc -l < ${shellQuote(module.path)})" -lt ${Math.ceil(lineLimit)}`,
      });
    }
    return out;
  },
};

/** Whether a changed file meets the thresholds that do not depend on the rest of the repository. */
function changedMayQualify(context: RepoContext, changed: ReadonlySet<string>): boolean {
  const graph = importGraph(context);
  return [...changed].some((file) => {
    const module = graph.index.modules.get(file);
    if (module?.role !== 'source' || module.lineCount < MIN_LINES || DATA_NAME.test(baseName(file)))
      return false;
    const importers = new Set((graph.importers.get(file) ?? []).map((edge) => edge.from));
    const fanOut = new Set(
      (graph.edges.get(file) ?? []).filter((edge) => edge.target && !edge.ref.typeOnly).map((e) => e.target),
    );
    return importers.size >= MIN_IMPORTERS && fanOut.size >= MIN_FAN_OUT;
  });
}
