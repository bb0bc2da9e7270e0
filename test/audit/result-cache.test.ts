import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { detectorCacheFile } from '../../src/audit/cache-location.ts';
import { contentHash, ResultCache } from '../../src/audit/result-cache.ts';
import { type ParallelRunOptions, runDetectorsParallel } from '../../src/audit/run-detectors-parallel.ts';
import { DETECTORS } from '../../src/detectors/index.ts';
import { recon } from '../../src/recon/recon.ts';
import { PLANTED_APP } from '../e2e/fixture-app.ts';
import { git, makeRepo, tempDir } from '../helpers/repo.ts';

const OPTIONS: ParallelRunOptions = { level: 'standard', focus: [], workers: 0 };

async function auditOnce(root: string, options: Partial<ParallelRunOptions> = {}, env = process.env) {
  const run = await runDetectorsParallel(await recon(root), DETECTORS, { ...OPTIONS, ...options }, env);
  return { ...run, report: JSON.stringify({ findings: run.findings, errors: run.errors }) };
}

describe('detector result cache', () => {
  it('lives in .git/improve/cache, and a re-run of an unchanged repository takes every result from it', async (t) => {
    const repo = makeRepo(PLANTED_APP);
    t.after(repo.dispose);
    const cold = await auditOnce(repo.dir);
    assert.equal(cold.cache.fileHits, 0);
    assert.ok(cold.findings.length > 3);
    assert.equal(cold.cache.file, detectorCacheFile(repo.dir));
    assert.ok(cold.cache.file?.startsWith(path.join(repo.dir, '.git', 'improve', 'cache')));
    assert.ok(existsSync(cold.cache.file ?? ''));

    const warm = await auditOnce(repo.dir);
    assert.equal(warm.cache.fileHits, warm.cache.files);
    assert.ok(warm.cache.repoHits > 0);
    assert.equal(warm.report, cold.report);
    assert.equal(git(repo.dir, 'status', '--porcelain'), '', 'the working tree is untouched');
  });

  it('reruns a changed file, keeps files whose results depend on nothing else, and matches a fresh run', async (t) => {
    const repo = makeRepo(PLANTED_APP);
    t.after(repo.dispose);
    await auditOnce(repo.dir);
    const server = path.join(repo.dir, 'src/server.js');
    writeFileSync(
      server,
      readFileSync(server, 'utf8').replace('} catch (error) {}', '} catch (error) { throw error; }'),
    );
    const after = await auditOnce(repo.dir);
    // The Python file's detectors looked only at the file; some JavaScript detectors consult the
    // repository's file list, which changed with the edit, so those files run again.
    assert.ok(after.cache.fileHits >= 1 && after.cache.fileHits < after.cache.files);
    assert.ok(!after.findings.some((f) => f.ruleId === 'correctness/empty-catch'), 'the fixed catch is gone');
    const fresh = await auditOnce(repo.dir, { cache: false });
    assert.equal(after.report, fresh.report);
  });

  it('starts over when the rules change', async (t) => {
    const repo = makeRepo(PLANTED_APP);
    t.after(repo.dispose);
    await auditOnce(repo.dir);
    const other = await auditOnce(repo.dir, { ruleSources: ['.improve/rules/new.yml\nid: x'] });
    assert.equal(other.cache.fileHits, 0);
    assert.equal(other.cache.repoHits, 0);
  });

  it('ignores a corrupt cache file and writes a good one', async (t) => {
    const repo = makeRepo(PLANTED_APP);
    t.after(repo.dispose);
    const cold = await auditOnce(repo.dir);
    const file = cold.cache.file ?? '';
    for (const garbage of ['{ not json', '{"format":1,"ruleVersion":7}', '[]']) {
      writeFileSync(file, garbage);
      const run = await auditOnce(repo.dir);
      assert.equal(run.cache.fileHits, 0);
      assert.equal(run.report, cold.report);
      assert.doesNotThrow(() => JSON.parse(readFileSync(file, 'utf8')));
    }
    const healed = await auditOnce(repo.dir);
    assert.equal(healed.cache.fileHits, healed.cache.files);
    // A path list that points past the path table: the whole file is distrusted.
    const pack = JSON.parse(readFileSync(file, 'utf8'));
    const [key] = Object.keys(pack.lists);
    assert.ok(key, 'repo-level results keep a list of the files they read');
    pack.lists[key] = [pack.paths.length];
    writeFileSync(file, JSON.stringify(pack));
    const distrusted = await auditOnce(repo.dir);
    assert.equal(distrusted.cache.fileHits, 0);
    assert.equal(distrusted.report, cold.report);
  });

  it('without git, caches under XDG_CACHE_HOME; with cache: false, reads and writes none', async (t) => {
    const repo = makeRepo(PLANTED_APP, { git: false });
    const home = tempDir('improve-xdg-');
    t.after(repo.dispose);
    t.after(home.dispose);
    const env = { ...process.env, XDG_CACHE_HOME: home.dir };
    const off = await auditOnce(repo.dir, { cache: false }, env);
    assert.equal(off.cache.file, undefined);
    assert.ok(!existsSync(path.join(home.dir, 'improve')));
    const on = await auditOnce(repo.dir, {}, env);
    assert.ok(on.cache.file?.startsWith(path.join(home.dir, 'improve', 'cache')));
    assert.ok(existsSync(on.cache.file ?? ''));
    assert.ok(!existsSync(path.join(repo.dir, '.git')));
    assert.equal((await auditOnce(repo.dir, {}, env)).cache.fileHits, on.cache.files);
  });

  it('keeps the stat of every file a result read, so the next run checks those reads without reading them', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    const readme = path.join(temp.dir, 'README.md');
    writeFileSync(readme, 'Set API_TOKEN first.\n');
    const { size, ino } = statSync(readme);
    // Recon's stats, from long enough ago to be trusted (a file changed within two seconds is not).
    const stats = new Map([['README.md', { size, ino, mtimeMs: 1e12, ctimeMs: 1e12 }]]);
    const cacheFile = path.join(temp.dir, 'cache.json');
    const first = new ResultCache(cacheFile, temp.dir, 'rules', 'profile', stats);
    const finding = { key: 'k', title: 'API_TOKEN is undocumented', message: 'm' };
    first.storeRepo(
      'dx/undocumented-env',
      { profile: false, reads: { 'README.md': contentHash('Set API_TOKEN first.\n') } },
      [finding],
    );
    first.save(new Set(['README.md']));
    // Same stat, other text: a run that reads the file would see the change; one that trusts the
    // recorded stat (as for audited files) does not read it at all.
    writeFileSync(readme, 'Set API_TOKEN first!\n');
    const second = new ResultCache(cacheFile, temp.dir, 'rules', 'profile', stats);
    assert.deepEqual(second.repoFindings('dx/undocumented-env'), [finding]);
    const written = readFileSync(cacheFile, 'utf8');
    second.save(new Set(['README.md']));
    assert.equal(readFileSync(cacheFile, 'utf8'), written, 'nothing new to write');
  });
});
