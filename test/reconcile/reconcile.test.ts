import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { audit } from '../../src/api/audit.ts';
import { executePlan } from '../../src/api/execute.ts';
import { reconcile } from '../../src/api/reconcile.ts';
import { UsageError } from '../../src/core/errors.ts';
import { loadPlans, updatePlanStatus } from '../../src/plans/store.ts';
import {
  correctFix,
  plannedRepo,
  planText,
  script,
  TLS_RULE,
  userState,
} from '../helpers/execute-fixture.ts';
import { git } from '../helpers/repo.ts';

function edit(dir: string, file: string, change: (text: string) => string, message: string): string {
  const target = path.join(dir, file);
  writeFileSync(target, change(readFileSync(target, 'utf8')));
  git(dir, 'commit', '-qam', message);
  return git(dir, 'rev-parse', 'HEAD').trim();
}

describe('improve reconcile', { concurrency: true }, () => {
  it('refreshes a plan whose code moved but is intact: new commit, new line numbers, executable again', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const old = fixture.plans[0]?.plannedAt.sha ?? '';
    const head = edit(
      fixture.dir,
      'src/client.js',
      (text) => `// Status client.\n// Talks HTTPS.\n\n${text}`,
      'docs: header',
    );
    const before = userState(fixture.dir);

    const result = await reconcile(undefined, { cwd: fixture.dir });
    assert.equal(result.entries[0]?.action, 'refreshed');
    assert.match(result.entries[0]?.detail ?? '', /moved: src\/client\.js:7→10/);
    const text = planText(fixture, '001');
    assert.ok(!text.includes(old), 'the old commit is gone from the plan');
    assert.match(text, new RegExp(`sha: ${head}`));
    assert.match(text, new RegExp(`\\*\\*Drift check\\*\\*: \`git diff --stat ${head} -- `));
    assert.match(text, /^`src\/client\.js:10-10`$/m);
    assert.match(text, /Open `src\/client\.js` line 10\./);
    assert.match(text, /'src\/client\.js'` → stdout contains "10:"/);
    assert.match(text, /^status: TODO$/m);
    assert.equal(userState(fixture.dir), before, 'only the plans folder changed');
    assert.equal(
      git(fixture.dir, 'worktree', 'list').trim().split('\n').length,
      1,
      'no checkout is left behind',
    );

    const run = await executePlan('1', { cwd: fixture.dir });
    assert.equal(run.handedOff, true, 'the drift check passes now');
  });

  it('retires a plan whose problem was fixed independently', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const head = edit(
      fixture.dir,
      'src/client.js',
      (text) => text.replace('    rejectUnauthorized: false,\n', ''),
      'fix: verify certificates',
    );
    const result = await reconcile(undefined, { cwd: fixture.dir });
    assert.equal(result.entries[0]?.action, 'rejected');
    assert.deepEqual(loadPlans(fixture.plansDir).plans[0]?.status, {
      state: 'REJECTED',
      reason: `fixed independently: rule no longer reports it at ${head.slice(0, 12)}`,
    });
  });

  it('follows a cited file moved but not fixed: the plan cites the new path and still holds its finding', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    git(fixture.dir, 'mv', 'src', 'lib');
    const head = edit(
      fixture.dir,
      'test/client.test.js',
      (text) => text.replace("'../src/client.js'", "'../lib/client.js'"),
      'refactor: src/ is lib/ now',
    );
    const result = await reconcile(undefined, { cwd: fixture.dir });
    assert.equal(result.entries[0]?.action, 'refreshed', 'the problem moved with its file: not fixed');
    assert.match(result.entries[0]?.detail ?? '', /moved: src\/client\.js:7→lib\/client\.js:7/);
    const text = planText(fixture, '001');
    assert.ok(!/\bsrc\/client\.js/.test(text), 'no citation of the old path is left');
    assert.match(text, /^`lib\/client\.js:7-7`$/m);
    assert.match(text, /^ {4}- path: lib\/client\.js$/m);
    assert.match(text, new RegExp(`sha: ${head}`));
    assert.equal(loadPlans(fixture.plansDir).plans[0]?.status.state, 'TODO');

    const again = await audit({ path: fixture.dir, focus: ['security'] });
    assert.ok(!again.findings.some((finding) => finding.ruleId === TLS_RULE), 'not planned twice');
    assert.deepEqual(
      again.alreadyPlanned.map((entry) => entry.planId),
      ['001'],
    );
    const run = await executePlan('1', { cwd: fixture.dir });
    assert.equal(run.handedOff, true, 'the drift check passes on the new path');
  });

  it('marks a plan stale when its file was moved and the quoted lines changed, and says where it went', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    git(fixture.dir, 'mv', 'src', 'lib');
    edit(
      fixture.dir,
      'lib/client.js',
      (text) =>
        text.replace(
          '    rejectUnauthorized: false,',
          '    rejectUnauthorized: false, // the proxy re-signs',
        ),
      'refactor: src/ is lib/ now',
    );
    const result = await reconcile(undefined, { cwd: fixture.dir });
    assert.equal(result.entries[0]?.action, 'stale', 'the problem moved with its file: not fixed');
    assert.match(
      loadPlans(fixture.plansDir).plans[0]?.status.reason ?? '',
      /^stale: src\/client\.js was moved to lib\/client\.js, and src\/client\.js:7-7 is no longer in it as quoted/,
    );
  });

  it('retires a plan whose cited file was deleted with its problem', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    git(fixture.dir, 'rm', '-q', 'src/client.js', 'test/client.test.js');
    git(fixture.dir, 'commit', '-qm', 'drop the status client');
    const result = await reconcile(undefined, { cwd: fixture.dir });
    assert.equal(result.entries[0]?.action, 'rejected');
  });

  it('leaves a plan written on another branch alone, and a retired plan hides nothing once its finding is back', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    // A history without the planned-at commit: the plan's code is on another branch.
    git(fixture.dir, 'checkout', '-q', '--orphan', 'other');
    git(fixture.dir, 'commit', '-qm', 'elsewhere');
    const elsewhere = await reconcile(undefined, { cwd: fixture.dir });
    assert.equal(elsewhere.entries[0]?.action, 'elsewhere');
    assert.match(elsewhere.entries[0]?.detail ?? '', /which HEAD does not contain \(another branch\)/);
    assert.deepEqual(loadPlans(fixture.plansDir).plans[0]?.status, { state: 'TODO' }, 'status untouched');

    // Retired as fixed, but the code is back: the audit reports the finding again.
    const id = fixture.plans[0]?.id ?? '';
    updatePlanStatus(fixture.plansDir, id, {
      state: 'REJECTED',
      reason: 'fixed independently: rule no longer reports it at 0123456789ab',
    });
    const again = await audit({ path: fixture.dir, focus: ['security'] });
    assert.ok(again.findings.some((finding) => finding.ruleId === TLS_RULE));
    assert.equal(again.alreadyPlanned.length, 0);
    // So with a plan verified as merged: its finding is back, the fix was undone.
    updatePlanStatus(fixture.plansDir, id, { state: 'DONE', reason: 'verified on 0123456789ab' });
    const undone = await audit({ path: fixture.dir, focus: ['security'] });
    assert.ok(undone.findings.some((finding) => finding.ruleId === TLS_RULE));
    // A plan rejected for another reason still stands for its finding.
    updatePlanStatus(fixture.plansDir, id, { state: 'REJECTED', reason: 'not worth it here' });
    const rejected = await audit({ path: fixture.dir, focus: ['security'] });
    assert.ok(!rejected.findings.some((finding) => finding.ruleId === TLS_RULE));
    assert.equal(rejected.alreadyPlanned.length, 1);
  });

  it('says which criteria a DONE plan has when none is cheap to re-run', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const file = path.join(
      fixture.plansDir,
      readdirSync(fixture.plansDir).find((name) => name.startsWith('001-')) ?? '',
    );
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        `  - run: "! grep -qF -- 'rejectUnauthorized: false,' 'src/client.js'"\n    expect: exit 0\n`,
        '',
      ),
    );
    updatePlanStatus(fixture.plansDir, fixture.plans[0]?.id ?? '', { state: 'DONE' });
    const result = await reconcile(undefined, { cwd: fixture.dir });
    assert.equal(result.entries[0]?.action, 'unverifiable');
    assert.equal(
      result.entries[0]?.detail,
      "no cheap done criterion to re-run: `npm test` is the repository's own check, not run here",
    );
  });

  it('marks a plan stale when its lines changed but the problem is still there', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    edit(
      fixture.dir,
      'src/client.js',
      (text) =>
        text.replace(
          '    rejectUnauthorized: false,',
          '    rejectUnauthorized: false, // the proxy re-signs',
        ),
      'chore: note',
    );
    const result = await reconcile(undefined, { cwd: fixture.dir });
    assert.equal(result.entries[0]?.action, 'stale');
    const plan = loadPlans(fixture.plansDir).plans[0];
    assert.equal(plan?.status.state, 'TODO');
    assert.match(plan?.status.reason ?? '', /^stale: src\/client\.js:7-7 is no longer in the file as quoted/);
    await assert.rejects(executePlan('1', { cwd: fixture.dir }), UsageError, 'a stale plan still drifts');
    const again = await reconcile(undefined, { cwd: fixture.dir });
    assert.equal(again.entries[0]?.action, 'stale', 'a second run says the same and changes nothing');
    assert.equal(again.entries[0]?.changedTo, undefined, 'and does not report a change of status');
    assert.deepEqual(
      readdirSync(path.join(fixture.dir, '.git/improve/tmp')),
      [],
      'the HEAD checkout is gone',
    );
  });

  it('verifies a DONE plan once its branch is merged, and catches a regression', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const done = await executePlan('1', {
      cwd: fixture.dir,
      executor: 'cmd',
      cmd: script(fixture, 'fix', correctFix()),
    });
    assert.equal(done.verdict, 'APPROVE');
    const waiting = await reconcile(undefined, { cwd: fixture.dir });
    assert.equal(waiting.entries[0]?.action, 'not-merged');
    assert.match(waiting.entries[0]?.detail ?? '', /approved, not merged yet: improve\/001-/);

    git(fixture.dir, 'merge', '-q', '--ff-only', done.branch);
    const verified = await reconcile(undefined, { cwd: fixture.dir });
    assert.equal(verified.entries[0]?.action, 'verified');
    assert.match(loadPlans(fixture.plansDir).plans[0]?.status.reason ?? '', /^verified on [0-9a-f]{12}$/);

    edit(
      fixture.dir,
      'src/client.js',
      (text) => text.replace("    path: '/status',", "    path: '/status',\n    rejectUnauthorized: false,"),
      'revert',
    );
    const regressed = await reconcile(undefined, { cwd: fixture.dir });
    assert.equal(regressed.entries[0]?.action, 'regressed');
    const plan = loadPlans(fixture.plansDir).plans[0];
    assert.equal(plan?.status.state, 'BLOCKED');
    assert.match(
      plan?.status.reason ?? '',
      /^regressed on [0-9a-f]{12}: `! grep -qF -- 'rejectUnauthorized: false,' 'src\/client\.js'`/,
    );
  });

  it('shows blocked reasons, and which TODO plans can run now or wait on a dependency', async (t) => {
    const fixture = await plannedRepo(['admin', 'client', 'report'], { 2: ['001'] });
    t.after(fixture.dispose);
    updatePlanStatus(fixture.plansDir, '003', { state: 'BLOCKED', reason: 'needs the CA bundle from ops' });
    const result = await reconcile(undefined, { cwd: fixture.dir });
    assert.deepEqual(
      result.entries.map((entry) => [entry.plan.id, entry.action, entry.detail]),
      [
        ['001', 'ready', 'executable now: `improve execute 1`'],
        ['002', 'waiting', 'plan 002 depends on plan 001, which is TODO, not DONE'],
        ['003', 'blocked', 'needs the CA bundle from ops'],
      ],
    );
  });
});
