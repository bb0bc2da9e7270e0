import { baseName, dirOf } from '../dx/find-line.ts';
import { escapeEre, shellQuote } from '../dx/shell-quote.ts';
import { importGraph } from '../tech-debt/import-graph.ts';
import { ensureImporters } from '../tech-debt/scoped-graph.ts';
import type { RawFinding, RepoContext, RepoDetector } from '../types.ts';
import { spawnedCliModules } from './cli-entry-coverage.ts';
import { TEST_PATH_ERE } from './no-verification-baseline.ts';

const MAX_FINDINGS = 3;
const MIN_COMMITS = 3;
const MAX_TEST_FILES = 3000;
const REFERENCE_LINE = /\b(?:import|from|require|mock)\b/;
const CODE_EXTENSION = /\.(?:[cm]?[jt]sx?|py)$/;

/** Module names a test line refers to: path segments of quoted specifiers, dotted Python modules. */
function referencedNames(line: string, names: Set<string>): void {
  for (const match of line.matchAll(/["'`]([^"'`]+)["'`]/g)) {
    for (const segment of (match[1] ?? '').split('/')) names.add(segment.replace(CODE_EXTENSION, ''));
  }
  const python =
    /^\s*from\s+([\w.]+)\s+import\s+([\w\s,()]+)/.exec(line) ?? /^\s*import\s+([\w.,\s]+)/.exec(line);
  if (python) {
    for (const part of [python[1], python[2]]) {
      for (const name of (part ?? '').split(/[\s,.()]+/)) if (name) names.add(name);
    }
  }
}

/** Path-like strings anywhere in a test (`'src/cli/program.ts'`, `'../dist/cli/main.js'`), without extension. */
function mentionedPaths(line: string, paths: Set<string>): void {
  for (const match of line.matchAll(/["'`]([^"'`\s]+)["'`]/g)) {
    const value = (match[1] ?? '').replace(/\\/g, '/');
    if (value.includes('/') || CODE_EXTENSION.test(value)) paths.add(value.replace(CODE_EXTENSION, ''));
  }
}

/** Whether a test names the file: its path, its last two path segments, or (unless generic) its file name. */
function isMentioned(file: string, paths: ReadonlySet<string>): boolean {
  const stem = file.replace(CODE_EXTENSION, '');
  const segments = stem.split('/');
  const tail = segments.slice(-2).join('/');
  const name = segments.at(-1) ?? '';
  const generic = /^(?:index|__init__|mod|main|app|cli|utils?|types|config|constants)$/.test(name);
  for (const mention of paths) {
    const clean = mention.replace(/^(?:\.{1,2}\/)+/, '');
    if (!clean.includes('/')) {
      if (!generic && clean === name) return true;
    } else if (clean === stem || stem.endsWith(`/${clean}`) || clean === tail || clean.endsWith(`/${tail}`)) {
      return true;
    }
  }
  return false;
}

/** The name a test would import the module by: its file name, or its folder for index files. */
function moduleName(file: string): string | undefined {
  const stem = baseName(file).replace(/\.[^.]+$/, '');
  if (stem === 'index' || stem === '__init__' || stem === 'mod' || stem === 'main') {
    const parent = baseName(dirOf(file));
    return parent === '' ? undefined : parent;
  }
  return stem;
}

/** How many import steps up from a hotspot a tested module still counts as testing it indirectly. */
const MAX_DEPTH = 3;

/**
 * A module that imports `file` (directly or up to `MAX_DEPTH` steps away) and that a test imports:
 * Improve's own recon tests exercise `skip-rules.ts` through `recon.ts`. Undefined when none does.
 */
function testedImporter(
  context: RepoContext,
  file: string,
  tested: (candidate: string) => boolean,
): string | undefined {
  const graph = importGraph(context);
  let level = [file];
  const seen = new Set(level);
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0; depth += 1) {
    // Branch mode: the graph knows every importer of a changed file, not of its importers.
    ensureImporters(context, level);
    const next: string[] = [];
    for (const current of level) {
      for (const edge of graph.importers.get(current) ?? []) {
        if (seen.has(edge.from)) continue;
        seen.add(edge.from);
        if (tested(edge.from)) return `\`${edge.from}\``;
        next.push(edge.from);
      }
    }
    level = next.sort();
  }
  return undefined;
}

/** The most-changed source files that no test file imports: where regressions are likeliest. */
export const untestedHotspot: RepoDetector = {
  id: 'tests/untested-hotspot',
  category: 'tests',
  scope: 'repo',
  repoHygiene: true,
  title: 'Frequently changed file has no tests',
  description:
    'This file changes more often than almost any other, yet no test imports it, names it, or runs the command it belongs to. Frequent edits without tests are where regressions come from.',
  impact: 'MED',
  effort: 'M',
  risk: 'LOW',
  riskReason: 'Only test files are added; the module itself is not changed.',
  confidence: 'MED',
  fixSketch:
    "Add a test file next to the existing tests that imports this module and pins the behaviour of its exported functions, following the repository's exemplar test.",
  steps: [
    'Open the module and list its exported functions or classes and what each one returns for ordinary inputs.',
    "Create a test file that follows the naming and style of the repository's existing tests and imports this module by its path.",
    'Write one test per exported function for the ordinary case and one for an edge case (empty input, missing value, error path). Do not change the module.',
    'Run the test command; all new tests must pass against the unchanged module.',
  ],
  quick: false,
  check(context) {
    const { profile } = context;
    const byPath = new Map(profile.files.map((file) => [file.path, file]));
    const testFiles = profile.files.filter((file) => file.role === 'test').slice(0, MAX_TEST_FILES);
    if (testFiles.length === 0) return []; // tests/no-verification-baseline covers a repo with no tests
    const referenced = new Set<string>();
    const mentioned = new Set<string>();
    const texts: string[] = [];
    for (const file of testFiles) {
      const text = context.read(file.path);
      if (text === undefined) continue;
      texts.push(text);
      for (const line of text.split(/\r?\n/)) {
        if (REFERENCE_LINE.test(line)) referencedNames(line, referenced);
        mentionedPaths(line, mentioned);
      }
    }
    let spawned: Set<string> | undefined;
    const runByCli = (file: string) => {
      spawned ??= spawnedCliModules(context, texts);
      return spawned.has(file);
    };
    const hotspots = [...profile.git.hotspots]
      .filter((spot) => spot.commits >= MIN_COMMITS)
      .sort((a, b) => b.commits - a.commits || a.path.localeCompare(b.path));
    const out: RawFinding[] = [];
    // The untested hotspots the full audit reports, most changed first; branch mode reports those
    // in its scope among them (a hotspot further down the list is not "among the most").
    let untested = 0;
    for (const spot of hotspots) {
      if (untested >= MAX_FINDINGS) break;
      const file = byPath.get(spot.path);
      if (file?.role !== 'source' || !file.language) continue;
      const name = moduleName(spot.path);
      if (!name) continue;
      if (referenced.has(name) || isMentioned(spot.path, mentioned) || runByCli(spot.path)) continue;
      if (context.read(spot.path) === undefined) continue;
      untested += 1;
      if (context.scope && !context.scope.files.has(spot.path)) continue; // branch mode: out of scope
      const through = testedImporter(context, spot.path, (candidate) => {
        const candidateName = moduleName(candidate);
        return (
          (candidateName !== undefined && referenced.has(candidateName)) || isMentioned(candidate, mentioned)
        );
      });
      const importsIt = `(import|from|require|mock).*([^A-Za-z0-9_-]|^)${escapeEre(name)}([^A-Za-z0-9_-]|$)`;
      out.push({
        file: spot.path,
        startLine: 1,
        endLine: 1,
        title: `Churn hotspot ${spot.path} has no test that imports it`,
        message: through
          ? `${spot.path} was changed in ${spot.commits} commits, among the most in the repository, but no test file imports \`${name}\` directly: tests reach it only through ${through}, so a regression in it shows up, if at all, as a failure far from its cause.`
          : `${spot.path} was changed in ${spot.commits} commits, among the most in the repository, but no test file imports \`${name}\`. Every one of those edits went out without a test exercising this module.`,
        ...(through ? { confidence: 'LOW' as const } : {}),
        doneCheck: `git ls-files --cached --others --exclude-standard | grep -E ${shellQuote(TEST_PATH_ERE)} | xargs -r grep -lE ${shellQuote(importsIt)} | grep -q .`,
      });
    }
    return out;
  },
};
