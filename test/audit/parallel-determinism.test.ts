import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import workerThreads, { type WorkerOptions } from 'node:worker_threads';
import { audit } from '../../src/api/audit.ts';
import { detectorCacheFile } from '../../src/audit/cache-location.ts';
import type { FileTask } from '../../src/audit/file-pass.ts';
import { runFileTasks, startWorkers, type WarmWorkers } from '../../src/audit/file-scheduler.ts';
import { runDetectors } from '../../src/audit/run-detectors.ts';
import {
  defaultWorkers,
  runDetectorsParallel,
  startWarmWorkers,
} from '../../src/audit/run-detectors-parallel.ts';
import { DETECTORS } from '../../src/detectors/index.ts';
import { recon } from '../../src/recon/recon.ts';
import { PLANTED_APP } from '../e2e/fixture-app.ts';
import { profileFor } from '../helpers/detector.ts';
import { type FileTree, makeRepo } from '../helpers/repo.ts';

/** The planted app plus enough similar files that two workers each get several. */
function app(): FileTree {
  const files: FileTree = { ...PLANTED_APP };
  for (let i = 0; i < 12; i += 1) {
    files[`src/routes/route-${i}.js`] = [
      "import { pool } from '../db.js';",
      `export async function handler${i}(req, res) {`,
      `  const rows = await pool.query("SELECT * FROM t${i} WHERE id = " + req.params.id);`,
      '  try {',
      '    await pool.query("UPDATE t SET seen = true");',
      '  } catch (error) {}',
      '  res.json(rows);',
      '}',
      '',
    ].join('\n');
  }
  return files;
}

describe('parallel and cached runs', () => {
  it('give byte-identical findings with 0, 1 and 2 workers, cold or cached, and match the one-thread engine', async (t) => {
    const repo = makeRepo(app());
    t.after(repo.dispose);
    const profile = await recon(repo.dir);
    const options = { level: 'standard' as const, focus: [] };
    const reference = runDetectors(profile, DETECTORS, options);
    const expected = JSON.stringify({ findings: reference.findings, errors: reference.errors });
    assert.ok(reference.findings.filter((f) => f.ruleId === 'security/sql-injection').length >= 12);

    const runs: string[] = [];
    for (const workers of [2, 1, 0]) {
      for (const cache of [false, true, true]) {
        const run = await runDetectorsParallel(profile, DETECTORS, { ...options, workers, cache });
        if (!cache) assert.equal(run.workers, workers, 'the files ran on worker threads');
        else assert.equal(run.workers, run.cache.fileHits === run.cache.files ? 0 : workers);
        runs.push(JSON.stringify({ findings: run.findings, errors: run.errors }));
      }
    }
    for (const run of runs) assert.equal(run, expected);
  });
});

describe('workers started ahead', () => {
  it('run the files when handed the setup, with the same findings as workers started for the run', async (t) => {
    const repo = makeRepo(app());
    t.after(repo.dispose);
    const profile = await recon(repo.dir);
    const options = { level: 'standard' as const, focus: [], cache: false };
    const fresh = await runDetectorsParallel(profile, DETECTORS, { ...options, workers: 2 });
    // Three started, two wanted: the third is stopped, and the run still ends.
    const warm = startWorkers(3);
    const ahead = await runDetectorsParallel(profile, DETECTORS, { ...options, workers: 2, warm });
    assert.equal(ahead.workers, 2);
    assert.deepEqual(ahead.workerFailures, []);
    assert.ok(ahead.findings.some((f) => f.ruleId === 'security/sql-injection'));
    assert.equal(
      JSON.stringify({ findings: ahead.findings, errors: ahead.errors }),
      JSON.stringify({ findings: fresh.findings, errors: fresh.errors }),
    );
    assert.deepEqual(warm.take(1), [], 'nothing is left to take once the run has begun');
  });

  it('serve a first audit of a large repository through the API, with the findings of a run on one thread', {
    timeout: 120_000,
  }, async (t) => {
    const files = app();
    for (let i = 0; i < 300; i += 1) files[`src/util/u${i}.js`] = `export const u${i} = (x) => x + ${i};\n`;
    const repo = makeRepo(files);
    t.after(repo.dispose);
    // No result cache yet and 300 code files: the workers start while recon reads. Record what
    // each thread is started with (the scheduler's `Worker` is the builtin's live binding).
    const started: unknown[] = [];
    const original = workerThreads.Worker;
    workerThreads.Worker = class extends original {
      constructor(file: string | URL, options?: WorkerOptions) {
        super(file, options);
        started.push(options?.workerData);
      }
    };
    syncBuiltinESMExports();
    let first: Awaited<ReturnType<typeof audit>>;
    try {
      first = await audit({ path: repo.dir, workers: 1 });
    } finally {
      workerThreads.Worker = original;
      syncBuiltinESMExports();
    }
    assert.deepEqual(
      started,
      [{ waitForSetup: true }],
      'one worker, started ahead and then handed its setup',
    );
    assert.deepEqual(
      first.notAudited.filter((note) => note.includes('worker thread failed')),
      [],
    );
    const alone = await audit({ path: repo.dir, workers: 0, cache: false });
    const keys = (result: typeof first) => result.findings.map((f) => `${f.ruleId} ${f.id}`);
    assert.ok(keys(first).some((key) => key.startsWith('security/sql-injection')));
    assert.deepEqual(keys(first), keys(alone));
  });

  it('are started only for a first audit of a repository with many code files', (t) => {
    const repo = makeRepo({ 'README.md': '# x\n' });
    t.after(repo.dispose);
    const many = Array.from({ length: 300 }, (_, i) => `src/m${i}.ts`);
    const few = [...many.slice(0, 299), ...Array.from({ length: 500 }, (_, i) => `docs/p${i}.md`)];
    const env = {};
    const taken = (warm: WarmWorkers | undefined) => {
      const workers = warm?.take(8) ?? [];
      for (const { worker } of workers) void worker.terminate();
      return workers.length;
    };
    const started = startWarmWorkers(repo.dir, many, {}, env);
    assert.ok(started, '300 code files and no result cache: start them');
    assert.equal(taken(started), Math.max(1, Math.min(availableParallelism(), 4)), 'one per core');
    assert.equal(startWarmWorkers(repo.dir, few, {}, env), undefined, '299 code files: maybe not needed');
    assert.equal(startWarmWorkers(repo.dir, many, { workers: 0 }, env), undefined);
    assert.equal(startWarmWorkers(repo.dir, many, {}, { IMPROVE_WORKERS: '0' }), undefined);
    assert.equal(taken(startWarmWorkers(repo.dir, many, { workers: 1 }, env)), 1);
    // A result cache means most files may come from it: the run decides then.
    mkdirSync(path.dirname(detectorCacheFile(repo.dir, env)), { recursive: true });
    writeFileSync(detectorCacheFile(repo.dir, env), '{}');
    assert.equal(startWarmWorkers(repo.dir, many, {}, env), undefined);
    assert.equal(
      taken(startWarmWorkers(repo.dir, many, { cache: false, workers: 1 }, env)),
      1,
      'unless the run ignores it',
    );
  });
});

describe('the default number of worker threads', () => {
  const MB = 1024 * 1024;
  const all = Math.max(1, Math.min(availableParallelism(), 4));

  it('is one per core for a large file pass, and none for a small one in a small repository', () => {
    assert.equal(defaultWorkers(2 * MB, 0, {}), all);
    assert.equal(defaultWorkers(MB, MB, {}), 0);
  });

  it('is one beside the repository-level detectors of a large repository, unless the pass is tiny', () => {
    // improve branch on a few files of a large repository: a worker's start-up would cost more
    // than the files it parses (a one-file branch of the benchmark corpus: 1.09 s without, 1.14 s with).
    assert.equal(defaultWorkers(MB, 8 * MB, {}), 1);
    assert.equal(defaultWorkers(256 * 1024, 8 * MB, {}), 1);
    assert.equal(defaultWorkers(256 * 1024 - 1, 8 * MB, {}), 0);
    assert.equal(defaultWorkers(0, 8 * MB, {}), 0);
  });

  it('is what IMPROVE_WORKERS says', () => {
    assert.equal(defaultWorkers(100, 8 * MB, { IMPROVE_WORKERS: '2' }), 2);
    assert.equal(defaultWorkers(8 * MB, 8 * MB, { IMPROVE_WORKERS: '0' }), 0);
  });
});

describe('a failing worker', () => {
  it('leaves its files to the main thread, which finishes the run', async () => {
    const tasks: FileTask[] = [0, 1, 2, 3].map((i) => ({
      path: `f${i}.js`,
      language: 'javascript',
      role: 'source',
    }));
    const done: number[] = [];
    const run = await runFileTasks({
      tasks,
      workers: 2,
      // An unknown detector makes each worker throw while it starts.
      setup: {
        root: '/nonexistent',
        profile: profileFor('/nonexistent', {}),
        detectors: [{ builtin: 'no/such' }],
      },
      runLocal: (index) => ({ index, outcomes: [] }),
      onResult: (result) => done.push(result.index),
    });
    assert.equal(run.workers, 2);
    assert.deepEqual(done.sort(), [0, 1, 2, 3]);
  });
});
