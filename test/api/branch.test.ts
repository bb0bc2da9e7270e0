import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { auditBranch, type BranchAuditResult, gateFailures } from '../../src/api/branch.ts';
import { defaultSelection } from '../../src/api/select.ts';
import { writeAuditPlans } from '../../src/api/write-plans.ts';
import { readBranch } from '../../src/audit/branch-base.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { UsageError } from '../../src/core/errors.ts';
import { openGit } from '../../src/git/git.ts';
import { makeBranchRepo } from '../helpers/branch-fixture.ts';
import { git, tempDir } from '../helpers/repo.ts';

async function audited(dir: string, options: { base?: string; includeUncommitted?: boolean } = {}) {
  const outcome = await auditBranch({ path: dir, clock: fixedClock('2026-11-25'), ...options });
  assert.equal(outcome.kind, 'audited');
  return (outcome as { result: BranchAuditResult }).result;
}

function where(result: BranchAuditResult, ruleId = 'correctness/empty-catch') {
  return result.findings
    .filter((f) => f.ruleId === ruleId)
    .map(
      (f) =>
        `${f.evidence[0]?.file}:${f.evidence[0]?.startLine} ${f.introduced ? 'introduced' : 'pre-existing'}`,
    );
}

describe('auditBranch', { concurrency: true }, () => {
  it('tags the problem the branch added as introduced and the one next to it as pre-existing', async (t) => {
    const repo = makeBranchRepo('high');
    t.after(repo.dispose);
    const result = await audited(repo.dir);
    assert.deepEqual(where(result), [
      'src/db.js:12 introduced',
      'src/api.js:6 pre-existing',
      'src/db.js:6 pre-existing',
    ]);
    assert.equal(result.branch.name, 'feature');
    assert.equal(result.branch.base.ref, 'main');
    assert.equal(result.branch.commitsAhead, 1);
    assert.deepEqual(result.branch.changed, ['src/db.js']);
  });

  it('pulls the direct importers of a changed module into scope, and nothing else', async (t) => {
    const repo = makeBranchRepo('high');
    t.after(repo.dispose);
    const result = await audited(repo.dir);
    assert.deepEqual(
      result.branch.importers.map((i) => i.file),
      ['src/api.js', 'test/db.test.js'],
    );
    const files = new Set(result.findings.map((f) => f.evidence[0]?.file));
    assert.ok(files.has('src/api.js'), 'the importer was audited');
    assert.ok(!files.has('src/report.js'), 'a file outside the scope was not');
    assert.equal(result.filesAudited, 3);
  });

  it('fails --fail-on levels only on introduced findings that reach them', async (t) => {
    const expected = { high: [1, 1, 1], medium: [0, 1, 1], low: [0, 0, 1] } as const;
    for (const addition of ['high', 'medium', 'low'] as const) {
      const repo = makeBranchRepo(addition);
      t.after(repo.dispose);
      const result = await audited(repo.dir);
      const counts = (['high', 'medium', 'low'] as const).map((level) => gateFailures(result, level).length);
      assert.deepEqual(counts, expected[addition], `branch adding a ${addition}-confidence problem`);
      // The pre-existing HIGH findings are there, and never count.
      assert.ok(result.findings.some((f) => !f.introduced && f.confidence === 'HIGH'));
    }
  });

  it('says so on the default branch and when the branch has no commits of its own', async (t) => {
    const repo = makeBranchRepo('high');
    t.after(repo.dispose);
    git(repo.dir, 'switch', '-q', 'main');
    const onMain = await auditBranch({ path: repo.dir });
    assert.deepEqual(onMain, {
      kind: 'skipped',
      reason: 'default-branch',
      branch: 'main',
      base: { ref: 'main', name: 'main', source: 'fallback' },
      commitsAhead: 0,
      outside: [],
      repositoryRoot: '.',
    });
    git(repo.dir, 'switch', '-q', '-c', 'empty');
    const empty = await auditBranch({ path: repo.dir });
    assert.equal(empty.kind === 'skipped' && empty.reason, 'not-ahead');
  });

  it('starts the work a comparison needs only once the branch is not its own base', async (t) => {
    const repo = makeBranchRepo('high');
    t.after(repo.dispose);
    const gitRepo = await openGit(repo.dir);
    assert.ok(gitRepo);
    let calls = 0;
    const feature = await readBranch(gitRepo, { onCompare: () => (calls += 1) });
    assert.equal(feature.kind, 'ahead');
    assert.equal(calls, 1);
    git(repo.dir, 'switch', '-q', 'main');
    const onMain = await readBranch(gitRepo, { onCompare: () => (calls += 1) });
    assert.equal(onMain.kind, 'default-branch');
    assert.equal(calls, 1, 'on the base branch there is nothing to compare, so nothing is started');
  });

  it('audits uncommitted work only with includeUncommitted, as introduced', async (t) => {
    const repo = makeBranchRepo('high');
    t.after(repo.dispose);
    git(repo.dir, 'switch', '-q', '-c', 'wip', 'main');
    writeFileSync(
      path.join(repo.dir, 'src/cache.js'),
      'export async function put(store, v) {\n  try {\n    await store.write(v);\n  } catch (error) {}\n}\n',
    );
    const committedOnly = await auditBranch({ path: repo.dir });
    assert.equal(committedOnly.kind === 'skipped' && committedOnly.reason, 'not-ahead');
    const result = await audited(repo.dir, { includeUncommitted: true });
    assert.deepEqual(where(result), ['src/cache.js:4 introduced']);
  });

  it("compares with the remote's default branch in a clone, and with --base when given", async (t) => {
    const origin = makeBranchRepo('high');
    t.after(origin.dispose);
    git(origin.dir, 'switch', '-q', 'main');
    const clone = tempDir();
    t.after(clone.dispose);
    git(clone.dir, 'clone', '-q', origin.dir, 'work');
    const work = path.join(clone.dir, 'work');
    git(work, 'switch', '-q', '-c', 'topic', 'origin/feature');
    const result = await audited(work);
    assert.deepEqual(result.branch.base, { ref: 'origin/main', name: 'main', source: 'origin-head' });
    assert.deepEqual(where(result)[0], 'src/db.js:12 introduced');

    const againstFeature = await auditBranch({ path: work, base: 'origin/feature' });
    assert.equal(againstFeature.kind === 'skipped' && againstFeature.reason, 'not-ahead');
    await assert.rejects(auditBranch({ path: work, base: 'no-such-branch' }), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /--base no-such-branch: no such branch or commit/);
      return true;
    });
  });

  it('writes plans that say whether the branch introduced the problem', async (t) => {
    const repo = makeBranchRepo('high');
    t.after(repo.dispose);
    const result = await audited(repo.dir);
    const written = writeAuditPlans(
      result,
      defaultSelection(result.findings.filter((f) => f.ruleId === 'correctness/empty-catch')),
    );
    const texts = written.plans.map((plan) =>
      readFileSync(path.join(result.plans.dir, `${plan.id}-${plan.slug}.md`), 'utf8'),
    );
    assert.equal(texts.filter((text) => text.includes('Introduced by the branch under review')).length, 1);
    assert.equal(texts.filter((text) => text.includes('Pre-existing: it was already there')).length, 2);
  });
});
