import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { audit } from '../../src/api/audit.ts';
import { executePlan } from '../../src/api/execute.ts';
import { reviewPlan } from '../../src/api/review.ts';
import { writeAuditPlans } from '../../src/api/write-plans.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { UsageError } from '../../src/core/errors.ts';
import type { ReviewModelInput } from '../../src/execute/types.ts';
import { loadPlans } from '../../src/plans/store.ts';
import { addTestByHand, plannedRepo } from '../helpers/execute-fixture.ts';
import { git, makeRepo } from '../helpers/repo.ts';

function fixByHand(workdir: string): void {
  const file = path.join(workdir, 'src/client.js');
  writeFileSync(file, readFileSync(file, 'utf8').replace('    rejectUnauthorized: false,\n', ''));
  addTestByHand(workdir);
}

describe('improve review', { concurrency: true }, () => {
  it('refuses a plan that has no attempt yet', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    await assert.rejects(reviewPlan('1', { cwd: fixture.dir }), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(
        error.message,
        /plan 001 has no attempt to review: no worktree and no branch improve\/001-/,
      );
      assert.match(error.hint ?? '', /improve execute 1/);
      return true;
    });
  });

  it('reviews the branch in a temporary checkout when the worktree was removed', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const handoff = await executePlan('1', { cwd: fixture.dir });
    fixByHand(handoff.workdir);
    git(handoff.workdir, 'commit', '-qam', 'fix: verify certificates');
    git(fixture.dir, 'worktree', 'remove', handoff.worktree);

    const result = await reviewPlan('1', { cwd: fixture.dir });
    assert.equal(result.fromBranch, true);
    assert.equal(result.verdict, 'APPROVE', JSON.stringify(result.review.problems));
    assert.equal(result.reviewedIn, `a temporary checkout of ${handoff.branch}`);
    assert.equal(loadPlans(fixture.plansDir).plans[0]?.status.state, 'DONE');
    assert.deepEqual(readdirSync(path.join(fixture.dir, '.git/improve/tmp')), [], 'the checkout is removed');
    assert.equal(git(fixture.dir, 'worktree', 'list').trim().split('\n').length, 1);
  });

  it('ignores the Python bytecode cache running the tests leaves untracked, but not a committed one', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const handoff = await executePlan('1', { cwd: fixture.dir });
    fixByHand(handoff.workdir);
    git(handoff.workdir, 'commit', '-qam', 'fix: verify certificates');
    // What `pytest` leaves in a repository with no .gitignore (designate, extracted from its package).
    mkdirSync(path.join(handoff.workdir, 'src/__pycache__'), { recursive: true });
    writeFileSync(path.join(handoff.workdir, 'src/__pycache__/client.cpython-311.pyc'), 'x');
    writeFileSync(path.join(handoff.workdir, 'src/helper.pyc'), 'x');
    writeFileSync(path.join(handoff.workdir, 'src/extra.js'), 'module.exports = 1;\n');
    const outOfScope = await reviewPlan('1', { cwd: fixture.dir });
    assert.equal(outOfScope.verdict, 'REVISE');
    assert.deepEqual(
      outOfScope.review.scope?.outside.map((change) => change.path),
      ['src/extra.js'],
    );
    rmSync(path.join(handoff.workdir, 'src/extra.js'));
    const clean = await reviewPlan('1', { cwd: fixture.dir });
    assert.equal(clean.verdict, 'APPROVE', JSON.stringify(clean.review.problems));
    assert.doesNotMatch(
      git(handoff.workdir, 'show', '--stat', 'HEAD'),
      /pyc/,
      'improve commits no cache either',
    );
    git(handoff.workdir, 'add', '-A');
    git(handoff.workdir, 'commit', '-qm', 'add caches');
    const committed = await reviewPlan('1', { cwd: fixture.dir });
    assert.equal(committed.verdict, 'REVISE');
    assert.match(
      committed.review.problems.join('\n'),
      /src\/__pycache__\/client\.cpython-311\.pyc. \(added\) is not on the in-scope list/,
    );
  });

  it('asks an optional reviewer model once the gates pass, and follows its REVISE', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const handoff = await executePlan('1', { cwd: fixture.dir });
    fixByHand(handoff.workdir);
    const seen: ReviewModelInput[] = [];
    const result = await reviewPlan('1', {
      cwd: fixture.dir,
      reviewModel: async (input) => {
        seen.push(input);
        return { verdict: 'REVISE', notes: 'Explain in a comment how a private CA is configured instead.' };
      },
    });
    assert.equal(seen.length, 1);
    assert.match(seen[0]?.diff ?? '', /^- {4}rejectUnauthorized: false,$/m);
    assert.equal(
      seen[0]?.criteria.every((criterion) => criterion.passed),
      true,
    );
    assert.equal(result.verdict, 'REVISE');
    assert.deepEqual(result.review.problems, [
      'Explain in a comment how a private CA is configured instead.',
    ]);
    assert.equal(loadPlans(fixture.plansDir).plans[0]?.status.state, 'IN PROGRESS');

    const approved = await reviewPlan('1', {
      cwd: fixture.dir,
      reviewModel: async () => ({ verdict: 'APPROVE', notes: 'Fine.' }),
    });
    assert.equal(approved.verdict, 'APPROVE');
    assert.ok(approved.committed, 'the uncommitted fix was committed on the improve branch');
    assert.equal(
      git(fixture.dir, 'log', '-1', '--format=%s', handoff.branch).trim().startsWith('improve plan 001:'),
      true,
    );
    assert.equal(git(handoff.workdir, 'status', '--porcelain'), '');
  });
});

describe('improve review: what the plan’s own commands leave behind', () => {
  it('does not count an install’s node_modules or Python caches in a repository that ignores nothing', async (t) => {
    // A published package has no .gitignore: `npm install` (the plan's install command) and a test
    // run leave these untracked; they are not the attempt's changes, nor its tests.
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const handoff = await executePlan('1', { cwd: fixture.dir });
    fixByHand(handoff.workdir);
    const installed = path.join(handoff.workdir, 'node_modules/left-pad');
    mkdirSync(path.join(installed, 'test'), { recursive: true });
    writeFileSync(path.join(installed, 'index.js'), 'module.exports = (s) => s;\n');
    writeFileSync(
      path.join(installed, 'test/index.js'),
      "const test = require('node:test');\ntest('pads', () => { require('..')('a'); });\n",
    );
    mkdirSync(path.join(handoff.workdir, 'src/__pycache__'));
    writeFileSync(path.join(handoff.workdir, 'src/__pycache__/client.cpython-312.pyc'), 'x');

    const result = await reviewPlan('1', { cwd: fixture.dir });
    assert.equal(result.verdict, 'APPROVE', JSON.stringify(result.review.problems));
    assert.deepEqual(
      result.review.scope?.outside.map((change) => change.path),
      [],
    );
  });
});

describe('improve review: a fix that deletes the flagged code', () => {
  const SETTINGS = [
    "import { writeFileSync } from 'node:fs';",
    '',
    'export function setState(settings, state) {',
    '  try {',
    '    writeFileSync(settings.file, JSON.stringify({ state }));',
    '  } catch (err) {}',
    '  settings.state = state;',
    '  return settings.state;',
    '}',
    '',
  ].join('\n');
  const TEST = [
    "import assert from 'node:assert/strict';",
    "import { test } from 'node:test';",
    "import { setState } from '../src/settings.js';",
    '',
    "test('setState keeps the state', () => {",
    "  assert.equal(setState({ file: '/tmp/improve-settings-test.json' }, 'start'), 'start');",
    '});',
    '',
  ].join('\n');

  it('sends back an attempt that deletes the guarded call instead of handling its error', async (t) => {
    // Node-RED's flows.js: `try { runtime.settings.set(…) } catch(err) {}`. Deleting the whole try
    // passes the done check and the rule, and the state is never saved.
    const repo = makeRepo({
      'package.json': `${JSON.stringify({ name: 'flows', type: 'module', scripts: { test: 'node --test' } })}\n`,
      'src/settings.js': SETTINGS,
      'test/settings.test.js': TEST,
    });
    t.after(repo.dispose);
    const result = await audit({ path: repo.dir, clock: fixedClock('2026-01-02'), focus: ['correctness'] });
    const findings = result.findings.filter((finding) => finding.ruleId === 'correctness/empty-catch');
    assert.equal(findings.length, 1, JSON.stringify(result.findings.map((finding) => finding.ruleId)));
    const [plan] = writeAuditPlans(result, { findings, note: 'test' }).plans;
    assert.ok(plan);
    const handoff = await executePlan(String(plan.number), { cwd: repo.dir });
    const file = path.join(handoff.workdir, 'src/settings.js');
    const gutted = SETTINGS.replace(
      '  try {\n    writeFileSync(settings.file, JSON.stringify({ state }));\n  } catch (err) {}\n',
      '',
    );
    writeFileSync(file, gutted);
    const wrong = await reviewPlan(String(plan.number), { cwd: repo.dir });
    assert.equal(wrong.verdict, 'REVISE');
    assert.ok(
      wrong.review.problems.some((problem) =>
        /^`src\/settings\.js` only loses lines \(3 deleted, none added\), but this plan's fix changes the code rather than removing it/.test(
          problem,
        ),
      ),
      JSON.stringify(wrong.review.problems),
    );
    assert.match(wrong.review.reason, /1 cited file\(s\) only lose lines/);

    // Handling the error instead: nothing is said about deletions.
    writeFileSync(
      file,
      SETTINGS.replace(
        '} catch (err) {}',
        "} catch (err) {\n    throw new Error('could not save the state', { cause: err });\n  }",
      ),
    );
    const right = await reviewPlan(String(plan.number), { cwd: repo.dir });
    assert.ok(!right.review.problems.some((problem) => /only loses lines/.test(problem)));
  });
});
