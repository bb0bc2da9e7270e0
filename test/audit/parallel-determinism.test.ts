import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileTask } from '../../src/audit/file-pass.ts';
import { runFileTasks } from '../../src/audit/file-scheduler.ts';
import { runDetectors } from '../../src/audit/run-detectors.ts';
import { runDetectorsParallel } from '../../src/audit/run-detectors-parallel.ts';
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
