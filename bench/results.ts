import type { Measurement } from './measure.ts';

export interface Row {
  name: string;
  files: number;
  bytes: number;
  run: Measurement;
}

export interface Results {
  rows: Row[];
  lines: number;
  packages: string[];
  rules: number;
  rulesCopied: number;
  /** Whether the cold and warm runs wrote byte-identical JSON. */
  identical: boolean;
  machine: string;
  /** 1-minute load average before and after the measurements. */
  load: number[];
  runs: number;
  branch: BranchCase;
}

/** `improve branch` on a clone of the corpus with a small feature branch, and the full audit of that clone. */
export interface BranchCase {
  branch: Measurement;
  full: Measurement;
  edited: number;
  added: number;
  /** Files the branch audit looked at: changed files and their importers. */
  scope: number;
  /** Findings the branch introduced. */
  introduced: number;
  /** The gate's exit code (`--fail-on high`): 1 when it failed on an introduced finding. */
  gateExit: number;
  addedFile: string;
  /** `improve branch` on a branch that adds one small file nothing imports: the fixed cost. */
  leaf: Measurement;
  leafFile: string;
}

function branchSection(results: Results): string[] {
  const { branch, full, edited, added, scope, introduced, gateExit, addedFile, leaf, leafFile } =
    results.branch;
  const ratio = branch.wallSeconds / full.wallSeconds;
  const leafRatio = leaf.wallSeconds / full.wallSeconds;
  const cpuRatio = branch.cpuSeconds / full.cpuSeconds;
  return [
    '## `improve branch` against the full audit',
    '',
    `A clone of the corpus with a feature branch that edits ${edited} files and adds ${added} (\`${addedFile}\`, a request parameter in a SQL string). Both runs are cold (no result cache), like a CI job on a fresh clone.`,
    '',
    '| run | wall s | CPU s | peak RSS MiB |',
    '| --- | ---: | ---: | ---: |',
    `| improve branch --base main --fail-on high | ${fixed(branch.wallSeconds, 2)} | ${fixed(branch.cpuSeconds)} | ${fixed(branch.peakRssMiB, 0)} |`,
    `| improve audit (full, standard) | ${fixed(full.wallSeconds, 2)} | ${fixed(full.cpuSeconds)} | ${fixed(full.peakRssMiB, 0)} |`,
    `| improve branch on a branch that only adds \`${leafFile}\` (fixed cost) | ${fixed(leaf.wallSeconds, 2)} | ${fixed(leaf.cpuSeconds)} | ${fixed(leaf.peakRssMiB, 0)} |`,
    '',
    '| target | measured | verdict |',
    '| --- | --- | --- |',
    `| branch audit < 10% of the full audit's time | ${fixed(ratio * 100)}% wall (${fixed(cpuRatio * 100)}% CPU) | ${verdict(ratio < 0.1)} |`,
    '',
    `- The branch audit looked at ${scope} files (the changed ones and their direct importers), reported ${introduced} introduced finding${introduced === 1 ? '' : 's'}, and its gate exited ${gateExit}${gateExit === 1 ? ' (failed on the introduced injection, as it should)' : ''}.`,
    '- In branch mode, checks that conclude from absence elsewhere (unused files and exports, import cycles, god modules) judge the changed files only and read what they need through `git grep`. What remains is mostly fixed cost: recon lists and classifies every file of the repository, the CLI and its detectors load, and the file detectors parse the scope.',
    `- The one-file branch measures that fixed cost: ${fixed(leafRatio * 100)}% of the full audit's time for a branch with nothing to parse but one small file. The main case's own scope (its changed files and every file that imports one) adds the rest.`,
  ];
}

const MB = 1024 * 1024;

function fixed(value: number | undefined, digits = 1): string {
  return value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
}

function throughput(row: Row): number {
  return row.bytes / MB / row.run.wallSeconds;
}

function verdict(pass: boolean): string {
  return pass ? '**PASS**' : '**MISS**';
}

/** The benchmark's markdown: what was measured, the table, the ratios and each target's verdict. */
export function renderResults(results: Results): string {
  const [floor, astGrep, cold, warm, eslint] = results.rows;
  if (!floor || !astGrep || !cold || !warm || !eslint) throw new Error('renderResults: expected five rows');
  const table = [
    '| run | files | MB | wall s | MB/s | CPU s | peak RSS MiB |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.rows.map(
      (row) =>
        `| ${row.name} | ${row.files} | ${fixed(row.bytes / MB)} | ${fixed(row.run.wallSeconds, 2)} | ${fixed(throughput(row))} | ${fixed(row.run.cpuSeconds)} | ${fixed(row.run.peakRssMiB, 0)} |`,
    ),
  ];
  const coldVsFloor = cold.run.wallSeconds / astGrep.run.wallSeconds;
  const vsEslint = throughput(cold) / throughput(eslint);
  const warmShare = warm.run.wallSeconds / cold.run.wallSeconds;
  const peak = Math.max(cold.run.peakRssMiB ?? Number.NaN, warm.run.peakRssMiB ?? Number.NaN);
  const targets = [
    '| target | measured | verdict |',
    '| --- | --- | --- |',
    `| cold audit ≤ 2× the one-pass ast-grep floor | ${fixed(coldVsFloor, 2)}× | ${verdict(coldVsFloor <= 2)} |`,
    `| ≥ 4× faster than ESLint + security plugin (MB/s) | ${fixed(vsEslint, 2)}× | ${verdict(vsEslint >= 4)} |`,
    `| warm re-run ≤ 10% of cold | ${fixed(warmShare * 100)}% | ${verdict(warmShare <= 0.1)} |`,
    `| peak RSS ≤ 600 MiB | ${fixed(peak, 0)} MiB | ${Number.isNaN(peak) ? 'n/a' : verdict(peak <= 600)} |`,
  ];
  return `${[
    '# Benchmark results',
    '',
    `Command: \`npm run bench\`${results.runs > 1 ? ` (\`--runs ${results.runs}\`, fastest of ${results.runs}, taken in turns so that a slow spell of the machine falls on every row alike)` : ''}. Machine: ${results.machine}; 1-minute load average ${results.load.map((l) => l.toFixed(1)).join(' → ')}.`,
    '',
    `Corpus: ${results.packages.join(', ')} from npm (bench/corpus.json), laid out as one git repository. ` +
      `The files are the ones improve audits (JavaScript, TypeScript and Python that are not minified, generated, vendored or over 1 MB): ` +
      `${floor.files} files, ${fixed(floor.bytes / MB)} MB, ${results.lines.toLocaleString('en-US')} lines.`,
    '',
    ...table,
    '',
    ...targets,
    '',
    `- ast-grep runs ${results.rules} rules, one per improve detector and language (${results.rulesCopied === results.rules ? 'all' : results.rulesCopied} copied from improve's own rules${results.rulesCopied === results.rules ? '' : ', the rest simple stand-ins of the same count'}), in one pass with \`--format github\` into a file.`,
    '- improve runs `improve audit CORPUS standard --no-plans --json FILE`: recon, every detector (file and repository level), evidence re-reading, ranking and the report. Cold = no result cache; warm = the same command again.',
    `- Cold and warm JSON reports are ${results.identical ? 'byte-identical' : '**different**'}.`,
    "- ESLint runs over the JavaScript and TypeScript files (TypeScript through @typescript-eslint/parser without type information, installed apart in bench/peer/); the Python files are improve's alone, so the comparison is by throughput (MB/s).",
    '- Wall time is from start to exit of each child process; CPU is user + system of the process and its threads; peak RSS is the largest resident set (GNU time).',
    '',
    ...branchSection(results),
    '',
  ].join('\n')}`;
}
