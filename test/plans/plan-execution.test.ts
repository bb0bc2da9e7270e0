import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildPlan } from '../../src/plans/build-plan.ts';
import { parsePlan } from '../../src/plans/parse-plan.ts';
import type { Plan, PlanExecution } from '../../src/plans/plan.ts';
import { setPlanStatus } from '../../src/plans/plan-status.ts';
import { refreshPlanText } from '../../src/plans/refresh-plan.ts';
import { renderPlan } from '../../src/plans/render-plan.ts';
import { loadPlans, rewritePlan, updatePlanStatus, writePlans } from '../../src/plans/store.ts';
import { tempDir } from '../helpers/repo.ts';
import { DATE, SHA, sampleFinding, sampleProfile } from './fixtures.ts';

const EXECUTION: PlanExecution = {
  branch: 'improve/001-error-swallowed-by-an-empty-or-log-only-catch-save',
  worktree: '.git/improve/worktrees/001-error-swallowed-by-an-empty-or-log-only-catch-save',
  base: SHA,
  executor: 'cmd',
};

function plan(): Plan {
  return buildPlan({ finding: sampleFinding(), profile: sampleProfile(), number: 1, date: DATE });
}

describe('the execution record in a plan’s front matter', () => {
  it('round-trips through render and parse, and is absent from plans never executed', () => {
    const executed: Plan = { ...plan(), execution: { ...EXECUTION, startedFrom: 'improve/000-base' } };
    assert.deepEqual(parsePlan(renderPlan(executed)), executed);
    assert.ok(!renderPlan(plan()).includes('execution:'));
    assert.deepEqual(parsePlan(renderPlan(plan())), plan());
  });

  it('is set and removed with the status, keeping hand edits and other fields', () => {
    const edited = renderPlan(plan()).replace('## Why this matters\n', '## Why this matters\n\nMy note.\n');
    const started = setPlanStatus(edited, { state: 'IN PROGRESS' }, 'plan', EXECUTION);
    assert.match(started, /My note\./);
    assert.deepEqual(parsePlan(started).execution, EXECUTION);
    const kept = setPlanStatus(started, { state: 'DONE', reason: 'approved' }, 'plan');
    assert.deepEqual(parsePlan(kept).execution, EXECUTION, 'undefined keeps the record');
    const removed = setPlanStatus(kept, { state: 'BLOCKED', reason: 'cleaned' }, 'plan', null);
    assert.equal(parsePlan(removed).execution, undefined);
    assert.deepEqual({ ...parsePlan(removed), status: plan().status }, parsePlan(edited));
  });

  it('ignores a damaged record instead of making the plan unreadable', () => {
    const text = renderPlan(plan()).replace('findings:\n', 'execution: broken\nfindings:\n');
    assert.equal(parsePlan(text).execution, undefined);
  });

  it('shows the branch in the index status table', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writePlans(temp.dir, { plans: [plan()] });
    updatePlanStatus(temp.dir, '001', { state: 'IN PROGRESS' }, { execution: EXECUTION });
    const index = readFileSync(path.join(temp.dir, 'README.md'), 'utf8');
    assert.match(
      index,
      /\| IN PROGRESS · branch `improve\/001-error-swallowed-by-an-empty-or-log-only-catch-save` \|/,
    );
    assert.deepEqual(loadPlans(temp.dir).plans[0]?.execution, EXECUTION);
  });
});

describe('refreshing a plan whose code moved', () => {
  it('re-points the commit and every citation of the moved excerpt, and nothing else', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writePlans(temp.dir, { plans: [plan()] });
    const name = '001-error-swallowed-by-an-empty-or-log-only-catch-save.md';
    const file = path.join(temp.dir, name);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '## Why this matters\n',
        '## Why this matters\n\nMy note about line 2.\n',
      ),
    );
    const NEW = 'f'.repeat(40);
    rewritePlan(temp.dir, '001', (text, fileName) =>
      refreshPlanText(
        text,
        SHA,
        NEW,
        [{ file: 'src/save.ts', from: { startLine: 2, endLine: 4 }, to: { startLine: 12, endLine: 14 } }],
        fileName,
      ),
    );
    const text = readFileSync(file, 'utf8');
    const refreshed = parsePlan(text);
    assert.equal(refreshed.plannedAt.sha, NEW);
    assert.deepEqual(
      refreshed.currentState.map((excerpt) => [excerpt.file, excerpt.startLine, excerpt.endLine]),
      [['src/save.ts', 12, 14]],
    );
    assert.equal(refreshed.driftCheck.command, `git diff --stat ${NEW} -- 'src/save.ts' 'test/save.test.ts'`);
    assert.match(text, /Open `src\/save\.ts` lines 12-14\./);
    assert.equal(refreshed.steps[0]?.verify.expect, 'stdout contains "12:"');
    assert.match(text, /My note about line 2\./, 'hand edits stay');
    assert.ok(!text.includes(SHA));
  });

  it('follows a renamed file: every whole mention of its path, not longer paths that contain it', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writePlans(temp.dir, { plans: [plan()] });
    const file = path.join(temp.dir, '001-error-swallowed-by-an-empty-or-log-only-catch-save.md');
    const note = 'See also lib/src/save.ts, src/save.tsx and src/save.ts.bak; src/save.ts.';
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('## Why this matters\n', `## Why this matters\n\n${note}\n`),
    );
    const NEW = 'f'.repeat(40);
    rewritePlan(temp.dir, '001', (text, fileName) =>
      refreshPlanText(
        text,
        SHA,
        NEW,
        [
          {
            file: 'src/save.ts',
            toFile: 'src/store/save.ts',
            from: { startLine: 2, endLine: 4 },
            to: { startLine: 2, endLine: 4 },
          },
        ],
        fileName,
        ['F-0000beef'],
      ),
    );
    const text = readFileSync(file, 'utf8');
    const refreshed = parsePlan(text);
    assert.deepEqual(
      refreshed.currentState.map((excerpt) => [excerpt.file, excerpt.startLine]),
      [['src/store/save.ts', 2]],
    );
    assert.ok(refreshed.scope.in.some((entry) => entry.path === 'src/store/save.ts'));
    assert.ok(!refreshed.scope.in.some((entry) => entry.path === 'src/save.ts'));
    assert.equal(
      refreshed.driftCheck.command,
      `git diff --stat ${NEW} -- 'src/store/save.ts' 'test/save.test.ts'`,
    );
    assert.match(text, /Open `src\/store\/save\.ts` lines 2-4\./);
    assert.ok(
      text.includes('See also lib/src/save.ts, src/save.tsx and src/save.ts.bak; src/store/save.ts.'),
      'only whole mentions of the path change',
    );
    assert.deepEqual(refreshed.findings, [...plan().findings, 'F-0000beef']);
  });
});
