/**
 * `npm run bench`: improve against the floors and a peer on a corpus nobody here wrote.
 *
 * Prepares the pinned corpus (bench/corpus.json → bench/corpus/, git-ignored), builds improve, then
 * measures in child processes, one after the other: reading every audited file; one `ast-grep scan`
 * with as many rules as improve's pattern rules; improve's standard audit cold (no cache) and warm
 * (cache from the cold run); ESLint with eslint-plugin-security over the same JavaScript and
 * TypeScript files (Python is improve's alone). Then `improve branch` on two branches of a clone
 * against the full audit of that clone.
 * Prints a markdown table with PASS/MISS per target and writes it to bench/results.md.
 *
 * Options: --runs N  run each measurement N times, in rounds (every measurement once per round),
 * and keep the fastest (default 1).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectorCacheFile, reconCacheFile } from '../src/audit/cache-location.ts';
import { CODE_DETECTORS } from '../src/detectors/code-detectors.ts';
import { recon } from '../src/recon/recon.ts';
import { writeAstGrepRules } from './ast-grep-rules.ts';
import {
  BRANCH_ADDS,
  BRANCH_EDITS,
  LEAF_ADDS,
  makeBranchCase,
  makeOneFileBranchCase,
} from './branch-case.ts';
import { prepareCorpus, readCorpusList } from './corpus.ts';
import { type Measurement, measure } from './measure.ts';
import { type Row, renderResults } from './results.ts';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, '..');
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag === -1 ? 1 : Math.max(1, Number(process.argv[runsFlag + 1]) || 1);

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A cold run starts without improve's caches: what recon learned of each file, and detector results. */
function clearCaches(root: string): void {
  rmSync(detectorCacheFile(root), { force: true });
  rmSync(reconCacheFile(root), { force: true });
}

interface Task {
  label: string;
  once: () => Promise<Measurement>;
  /** Exit codes that mean the run worked (default: 0). */
  exitCodes?: readonly number[];
}

/**
 * Run each task `RUNS` times and keep its fastest run. The tasks take turns (every task's first
 * run, then every task's second…), so that a slow spell of the machine, which on a shared host
 * can last minutes, falls on all of them alike instead of on whichever ran during it: the ratios
 * compare runs made under the same conditions.
 */
async function inRounds<const T extends readonly Task[]>(tasks: T): Promise<{ [K in keyof T]: Measurement }> {
  const fastest: (Measurement | undefined)[] = tasks.map(() => undefined);
  for (let run = 1; run <= RUNS; run += 1) {
    for (const [index, task] of tasks.entries()) {
      log(`  ${task.label}${RUNS > 1 ? ` (run ${run}/${RUNS})` : ''}…`);
      const result = await task.once();
      if (!(task.exitCodes ?? [0]).includes(result.exitCode))
        throw new Error(`${task.label} exited with ${result.exitCode}`);
      const best = fastest[index];
      if (!best || result.wallSeconds < best.wallSeconds) fastest[index] = result;
    }
  }
  return fastest as { [K in keyof T]: Measurement };
}

const corpus = prepareCorpus(log);
const PEER = path.join(BENCH, 'peer');
if (!existsSync(path.join(PEER, 'node_modules/@typescript-eslint/parser'))) {
  log("installing the ESLint peer's TypeScript parser (bench/peer, npm ci)");
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: PEER, stdio: 'inherit' });
}
log('building improve (npm run build)');
execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });

const profile = await recon(corpus);
const audited = profile.files.filter((file) => file.language !== undefined).map((file) => file.path);
const linted = audited.filter((file) => /\.(?:[cm]?[jt]sx?)$/.test(file));
const scratch = mkdtempSync(path.join(tmpdir(), 'improve-bench-'));
const node = process.execPath;
const load = [loadavg()[0] ?? 0];
try {
  const list = path.join(scratch, 'files.txt');
  const lintList = path.join(scratch, 'linted-files.txt');
  writeFileSync(list, `${audited.join('\n')}\n`);
  writeFileSync(lintList, `${linted.join('\n')}\n`);
  const rules = writeAstGrepRules(path.join(scratch, 'ast-grep'), CODE_DETECTORS);
  const cli = path.join(ROOT, 'dist/cli/main.js');
  const auditArgs = (json: string) => [
    cli,
    'audit',
    corpus,
    'standard',
    '--no-plans',
    '--quiet',
    '--json',
    json,
  ];
  const env = { IMPROVE_DATE: '2026-01-01', NO_COLOR: '1', CI: 'true' };

  log('the branch cases: clones of the corpus with a small feature branch, and with a one-file one');
  const clone = makeBranchCase(corpus, path.join(scratch, 'branch-repo'));
  // The fixed part of every branch audit: a branch that adds one small file nothing imports.
  const leafClone = makeOneFileBranchCase(corpus, path.join(scratch, 'leaf-repo'));
  const branchJson = path.join(scratch, 'branch.json');
  const branchArgs = (repo: string) => [
    cli,
    'branch',
    repo,
    '--base',
    'main',
    '--fail-on',
    'high',
    '--no-plans',
    '--quiet',
  ];
  const fullArgs = [cli, 'audit', clone, 'standard', '--no-plans', '--quiet', '--no-cache'];

  log('measuring');
  const [floor, astGrep, cold, warm, eslint] = await inRounds([
    {
      label: 'read every file',
      once: () => measure(node, [path.join(BENCH, 'read-floor.ts'), corpus, list], { scratch, node: true }),
    },
    {
      label: `ast-grep scan (${rules.count} rules)`,
      once: () =>
        measure(
          path.join(ROOT, 'node_modules/.bin/ast-grep'),
          [
            'scan',
            '-c',
            rules.config,
            '--format',
            'github',
            ...audited.map((file) => path.join(corpus, file)),
          ],
          { scratch },
        ),
    },
    {
      label: 'improve cold',
      once: () => {
        clearCaches(corpus);
        return measure(node, auditArgs(path.join(scratch, 'cold.json')), { env, scratch, node: true });
      },
    },
    {
      // Right after the cold run of the same round: its cache is the one this run reads.
      label: 'improve warm',
      once: () => measure(node, auditArgs(path.join(scratch, 'warm.json')), { env, scratch, node: true }),
    },
    {
      label: 'ESLint + eslint-plugin-security (JavaScript and TypeScript)',
      once: () =>
        measure(node, [path.join(BENCH, 'eslint-peer.ts'), corpus, lintList], { scratch, node: true }),
    },
  ]);
  const size = JSON.parse(floor.stdout) as { files: number; bytes: number; lines: number };
  const lintedBytes = linted.reduce(
    (sum, file) => sum + (profile.files.find((f) => f.path === file)?.size ?? 0),
    0,
  );
  const identical =
    readFileSync(path.join(scratch, 'cold.json'), 'utf8') ===
    readFileSync(path.join(scratch, 'warm.json'), 'utf8');
  const [branch, leaf, full] = await inRounds([
    {
      // Cold, like a CI job on a fresh clone: the clone has no result cache yet. The gate exits 1
      // when it fails on the introduced injection, which is what it should do.
      label: 'improve branch (cold)',
      once: () => {
        clearCaches(clone);
        return measure(node, [...branchArgs(clone), '--json', branchJson], { env, scratch, node: true });
      },
      exitCodes: [0, 1],
    },
    {
      label: 'improve branch, one small new file (cold)',
      once: () => {
        clearCaches(leafClone);
        return measure(node, [...branchArgs(leafClone), '--json', path.join(scratch, 'leaf.json')], {
          env,
          scratch,
          node: true,
        });
      },
    },
    {
      label: 'improve full audit of the same clone (cold)',
      once: () =>
        measure(node, [...fullArgs, '--json', path.join(scratch, 'full.json')], { env, scratch, node: true }),
    },
  ]);
  const gate = JSON.parse(readFileSync(branchJson, 'utf8')) as {
    branch?: { changed?: string[]; importers?: unknown[]; introduced?: number };
  };
  load.push(loadavg()[0] ?? 0);

  const rows: Row[] = [
    { name: 'read every file (floor)', files: size.files, bytes: size.bytes, run: floor },
    {
      name: `ast-grep scan, ${rules.count} rules, one pass`,
      files: size.files,
      bytes: size.bytes,
      run: astGrep,
    },
    { name: 'improve standard audit, cold', files: size.files, bytes: size.bytes, run: cold },
    { name: 'improve standard audit, warm (cached)', files: size.files, bytes: size.bytes, run: warm },
    {
      name: 'ESLint 10 + eslint-plugin-security (JS and TS)',
      files: linted.length,
      bytes: lintedBytes,
      run: eslint,
    },
  ];
  const markdown = renderResults({
    rows,
    lines: size.lines,
    packages: readCorpusList().map((p) => `${p.name}@${p.version}`),
    rulesCopied: rules.copied,
    rules: rules.count,
    identical,
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`,
    load,
    runs: RUNS,
    branch: {
      branch,
      full,
      edited: BRANCH_EDITS.length,
      added: 1,
      scope: (gate.branch?.changed?.length ?? 0) + (gate.branch?.importers?.length ?? 0),
      introduced: gate.branch?.introduced ?? 0,
      gateExit: branch.exitCode,
      addedFile: BRANCH_ADDS,
      leaf,
      leafFile: LEAF_ADDS,
    },
  });
  writeFileSync(path.join(BENCH, 'results.md'), markdown);
  process.stdout.write(markdown);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
