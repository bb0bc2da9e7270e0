/**
 * `npm run bench`: improve against the floors and a peer on a corpus nobody here wrote.
 *
 * Prepares the pinned corpus (bench/corpus.json → bench/corpus/, git-ignored), builds improve, then
 * measures in child processes, one after the other: reading every audited file; one `ast-grep scan`
 * with as many rules as improve's pattern rules; improve's standard audit cold (no cache) and warm
 * (cache from the cold run); ESLint with eslint-plugin-security over the same JavaScript and
 * TypeScript files (Python is improve's alone).
 * Prints a markdown table with PASS/MISS per target and writes it to bench/results.md.
 *
 * Options: --runs N  run each measurement N times and keep the fastest (default 1).
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

async function best(
  label: string,
  once: () => Promise<Measurement>,
  exitCodes: readonly number[] = [0],
): Promise<Measurement> {
  let fastest: Measurement | undefined;
  for (let run = 1; run <= RUNS; run += 1) {
    log(`  ${label}${RUNS > 1 ? ` (run ${run}/${RUNS})` : ''}…`);
    const result = await once();
    if (!exitCodes.includes(result.exitCode)) throw new Error(`${label} exited with ${result.exitCode}`);
    if (!fastest || result.wallSeconds < fastest.wallSeconds) fastest = result;
  }
  return fastest as Measurement;
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

  log('measuring');
  const floor = await best('read every file', () =>
    measure(node, [path.join(BENCH, 'read-floor.ts'), corpus, list], { scratch, node: true }),
  );
  const size = JSON.parse(floor.stdout) as { files: number; bytes: number; lines: number };
  const lintedBytes = linted.reduce(
    (sum, file) => sum + (profile.files.find((f) => f.path === file)?.size ?? 0),
    0,
  );
  const astGrep = await best(`ast-grep scan (${rules.count} rules)`, () =>
    measure(
      path.join(ROOT, 'node_modules/.bin/ast-grep'),
      ['scan', '-c', rules.config, '--format', 'github', ...audited.map((file) => path.join(corpus, file))],
      { scratch },
    ),
  );
  const cold = await best('improve cold', () => {
    clearCaches(corpus);
    return measure(node, auditArgs(path.join(scratch, 'cold.json')), { env, scratch, node: true });
  });
  const warm = await best('improve warm', () =>
    measure(node, auditArgs(path.join(scratch, 'warm.json')), { env, scratch, node: true }),
  );
  const identical =
    readFileSync(path.join(scratch, 'cold.json'), 'utf8') ===
    readFileSync(path.join(scratch, 'warm.json'), 'utf8');
  const eslint = await best('ESLint + eslint-plugin-security (JavaScript and TypeScript)', () =>
    measure(node, [path.join(BENCH, 'eslint-peer.ts'), corpus, lintList], { scratch, node: true }),
  );
  log('the branch case: a clone of the corpus with a small feature branch');
  const clone = makeBranchCase(corpus, path.join(scratch, 'branch-repo'));
  const branchJson = path.join(scratch, 'branch.json');
  // Cold, like a CI job on a fresh clone: the clone has no result cache yet.
  // The gate exits 1 when it fails on the introduced injection, which is what it should do.
  const branchArgs = [cli, 'branch', clone, '--base', 'main', '--fail-on', 'high', '--no-plans', '--quiet'];
  const branch = await best('improve branch (cold)', () => {
    clearCaches(clone);
    return measure(node, [...branchArgs, '--json', branchJson], { env, scratch, node: true });
  }, [0, 1]);
  const gate = JSON.parse(readFileSync(branchJson, 'utf8')) as {
    branch?: { changed?: string[]; importers?: unknown[]; introduced?: number };
  };
  // The fixed part of every branch audit: a branch that adds one small file nothing imports.
  const leafClone = makeOneFileBranchCase(corpus, path.join(scratch, 'leaf-repo'));
  const leafArgs = [cli, 'branch', leafClone, '--base', 'main', '--fail-on', 'high', '--no-plans', '--quiet'];
  const leaf = await best('improve branch, one small new file (cold)', () => {
    clearCaches(leafClone);
    return measure(node, [...leafArgs, '--json', path.join(scratch, 'leaf.json')], {
      env,
      scratch,
      node: true,
    });
  });
  const fullArgs = [cli, 'audit', clone, 'standard', '--no-plans', '--quiet', '--no-cache'];
  const full = await best('improve full audit of the same clone (cold)', () =>
    measure(node, [...fullArgs, '--json', path.join(scratch, 'full.json')], { env, scratch, node: true }),
  );
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
