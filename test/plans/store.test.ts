import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import lockfile from 'proper-lockfile';
import { EnvironmentError, UsageError } from '../../src/core/errors.ts';
import { buildPlan } from '../../src/plans/build-plan.ts';
import { parsePlan } from '../../src/plans/parse-plan.ts';
import type { Plan } from '../../src/plans/plan.ts';
import { renderPlan } from '../../src/plans/render-plan.ts';
import { choosePlansDir, LOCK_FILE, loadPlans, updatePlanStatus, writePlans } from '../../src/plans/store.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';
import { DATE, SHA, sampleFinding, sampleProfile } from './fixtures.ts';

function plan(number: number, title = `Problem number ${number}`): Plan {
  return buildPlan({
    finding: sampleFinding({ id: `F-0000000${number}`, title }),
    profile: sampleProfile(),
    number,
    date: DATE,
  });
}

const RUN = { date: DATE, sha: SHA, findings: 3, planned: 2, rejected: 1 };

function files(dir: string): string[] {
  return readdirSync(dir).sort();
}

describe('plan store', () => {
  it('writes plan files and the index, numbering monotonically across runs and deletions', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    const dir = path.join(temp.dir, 'plans');
    assert.equal(loadPlans(dir).nextNumber, 1);

    const first = writePlans(dir, { plans: [plan(1), plan(2)], runSummary: RUN, selectionNote: 'chosen' });
    assert.deepEqual(first.written, [
      '001-problem-number-1-save.md',
      '002-problem-number-2-save.md',
      'README.md',
    ]);
    assert.deepEqual(files(dir), [
      '001-problem-number-1-save.md',
      '002-problem-number-2-save.md',
      'README.md',
    ]);
    const loaded = loadPlans(dir);
    assert.equal(loaded.nextNumber, 3);
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.plans[0], plan(1), 'what was written parses back to the same plan');
    assert.ok(loaded.plannedFindings.has('F-00000001'));

    rmSync(path.join(dir, '002-problem-number-2-save.md'));
    assert.equal(loadPlans(dir).nextNumber, 3, 'a deleted plan file does not free its number');
    assert.throws(() => writePlans(dir, { plans: [plan(2, 'Reuse')] }), UsageError);

    const second = writePlans(dir, { plans: [plan(3)] });
    assert.deepEqual(second.written, ['003-problem-number-3-save.md', 'README.md']);
    assert.equal(second.nextNumber, 4);
    const index = readFileSync(path.join(dir, 'README.md'), 'utf8');
    assert.match(index, /next number: 4/);
    assert.match(index, /\| 001 \|.*\n\| 003 \|/);
    assert.doesNotMatch(index, /\| 002 \|/);
    assert.match(index, /chosen/, 'the previous selection note is kept');
  });

  it('never overwrites an existing plan file, but accepts an identical rewrite', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writePlans(temp.dir, { plans: [plan(1)] });
    const again = writePlans(temp.dir, { plans: [plan(1)] });
    assert.deepEqual(again.written, []);
    assert.deepEqual(again.unchanged, ['001-problem-number-1-save.md']);
    assert.throws(
      () => writePlans(temp.dir, { plans: [plan(1, 'Something else')] }),
      (error: unknown) =>
        error instanceof UsageError && /already exists as 001-problem-number-1-save\.md/.test(error.message),
    );
    assert.deepEqual(files(temp.dir), ['001-problem-number-1-save.md', 'README.md']);
  });

  it('keeps rejections and user notes across writes', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    const rejected = [{ findingId: 'F-aaaa0000', ruleId: 'security/eval', title: 'eval', reason: 'fixture' }];
    writePlans(temp.dir, { plans: [plan(1)], rejected, runSummary: RUN });
    const readme = path.join(temp.dir, 'README.md');
    writeFileSync(readme, `${readFileSync(readme, 'utf8')}\nOur note: ask Dana before 001.\n`);
    writePlans(temp.dir, {
      plans: [plan(2)],
      rejected: [{ findingId: 'F-bbbb0000', ruleId: 'perf/x', title: 'loop', reason: 'cold path' }],
    });
    const text = readFileSync(readme, 'utf8');
    assert.ok(text.includes('Our note: ask Dana before 001.'));
    assert.match(
      text,
      /- `F-aaaa0000` \(security\/eval\) eval — fixture\n- `F-bbbb0000` \(perf\/x\) loop — cold path/,
    );
  });

  it('backs up an index with broken markers before writing a fresh one', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writePlans(temp.dir, { plans: [plan(1)], runSummary: RUN });
    const readme = path.join(temp.dir, 'README.md');
    const broken = readFileSync(readme, 'utf8').replace('<!-- improve:end status -->', '');
    writeFileSync(readme, broken);
    writeFileSync(path.join(temp.dir, 'README.md.bak'), 'an older backup');
    const result = writePlans(temp.dir, { plans: [plan(2)] });
    assert.equal(result.backup, 'README.md.bak.1');
    assert.match(result.notes.join('\n'), /broken markers .* saved as README\.md\.bak\.1/);
    assert.equal(readFileSync(path.join(temp.dir, 'README.md.bak.1'), 'utf8'), broken);
    assert.equal(readFileSync(path.join(temp.dir, 'README.md.bak'), 'utf8'), 'an older backup');
    const fresh = readFileSync(readme, 'utf8');
    assert.match(fresh, /<!-- improve:end status -->/);
    assert.match(fresh, /\| 001 \|.*\n\| 002 \|/);
    assert.match(fresh, /next number: 3/);
  });

  it('refuses to overwrite a README that improve did not write, and leaves the folder untouched', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writeTree(temp.dir, { 'README.md': '# Our roadmap\n\nQ3 goals.\n' });
    assert.throws(
      () => writePlans(temp.dir, { plans: [plan(1)] }),
      (error: unknown) => error instanceof UsageError && /not written by improve/.test(error.message),
    );
    assert.equal(readFileSync(path.join(temp.dir, 'README.md'), 'utf8'), '# Our roadmap\n\nQ3 goals.\n');
    assert.deepEqual(files(temp.dir), ['README.md']);
  });

  it('says clearly when another run holds the lock', async (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    const release = await lockfile.lock(temp.dir, {
      lockfilePath: path.join(temp.dir, LOCK_FILE),
      realpath: false,
    });
    try {
      assert.throws(
        () => writePlans(temp.dir, { plans: [plan(1)] }),
        (error: unknown) =>
          error instanceof EnvironmentError && /locked by another improve run/.test(error.message),
      );
      assert.deepEqual(files(temp.dir), [LOCK_FILE]);
    } finally {
      await release();
    }
    writePlans(temp.dir, { plans: [plan(1)] });
    assert.ok(!existsSync(path.join(temp.dir, LOCK_FILE)), 'the lock is released after a write');
  });

  it('reports an unreadable plan file as a problem, not a failure', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writePlans(temp.dir, { plans: [plan(1)] });
    writeFileSync(path.join(temp.dir, '007-broken.md'), 'no front matter here\n');
    const loaded = loadPlans(temp.dir);
    assert.equal(loaded.plans.length, 1);
    assert.deepEqual(loaded.problems, [
      '007-broken.md: no front matter (the file must start with a "---" line, then YAML).',
    ]);
    assert.equal(loaded.nextNumber, 8);
  });

  it('updates a plan’s status in its file and in the index', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writePlans(temp.dir, { plans: [plan(1)] });
    const result = updatePlanStatus(temp.dir, '1', { state: 'BLOCKED', reason: 'needs an API decision' });
    assert.deepEqual(result.written, ['001-problem-number-1-save.md', 'README.md']);
    const file = readFileSync(path.join(temp.dir, '001-problem-number-1-save.md'), 'utf8');
    assert.deepEqual(parsePlan(file).status, { state: 'BLOCKED', reason: 'needs an API decision' });
    assert.equal(
      file
        .replace('BLOCKED (needs an API decision)', 'TODO')
        .replace('**BLOCKED** — needs an API decision', '**TODO**'),
      renderPlan(plan(1)),
    );
    assert.match(
      readFileSync(path.join(temp.dir, 'README.md'), 'utf8'),
      /\| BLOCKED \(needs an API decision\) \|/,
    );
  });
});

describe('choosePlansDir', () => {
  it('uses plans/ when it is missing, empty or already ours', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    assert.deepEqual(choosePlansDir(temp.dir), { dir: path.join(temp.dir, 'plans'), relative: 'plans' });
    mkdirSync(path.join(temp.dir, 'plans'));
    assert.equal(choosePlansDir(temp.dir).relative, 'plans');
    writeTree(temp.dir, { 'plans/001-old.md': renderPlan(plan(1)) });
    assert.equal(choosePlansDir(temp.dir).relative, 'plans');
  });

  it('picks advisor-plans/ with a reason when plans/ holds something else', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writeTree(temp.dir, { 'plans/roadmap.md': '# Roadmap\n', 'plans/README.md': '# Plans\n' });
    const choice = choosePlansDir(temp.dir);
    assert.equal(choice.dir, path.join(temp.dir, 'advisor-plans'));
    assert.equal(choice.relative, 'advisor-plans');
    assert.match(choice.reason ?? '', /plans\/ already exists for something else/);
  });

  it('honours an explicit --plans-dir relative to the root', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writeTree(temp.dir, { 'plans/roadmap.md': '# Roadmap\n' });
    assert.deepEqual(choosePlansDir(temp.dir, 'docs/improve'), {
      dir: path.join(temp.dir, 'docs/improve'),
      relative: 'docs/improve',
    });
  });
});
