import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { executeAll } from '../../src/api/execute-all.ts';
import { reconcile } from '../../src/api/reconcile.ts';
import { status } from '../../src/api/status.ts';
import { renderExecuteAll } from '../../src/cli/render-execute.ts';
import { loadPlans } from '../../src/plans/store.ts';
import { BIN } from '../helpers/cli.ts';
import { runCliAsync } from '../helpers/cli-async.ts';
import {
  correctFix,
  plannedRepo,
  processRunning,
  report,
  script,
  userState,
} from '../helpers/execute-fixture.ts';
import { git } from '../helpers/repo.ts';

function startCli(args: string[], cwd: string): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, IMPROVE_DATE: '2026-11-25', NO_COLOR: '1', CI: 'true' },
    stdio: 'ignore',
  });
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, done };
}

/** Wait until the attempt's executor is running (its script wrote its pid). */
async function waitForFile(file: string): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 50) {
    if (existsSync(file) && readFileSync(file, 'utf8').trim() !== '') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${file}`);
}

/**
 * Wait for the hanging executor to start and return its pid. It `exec`s into `sleep`, so the pid
 * is the sleeping process itself; it is killed after the test, whatever improve did to it.
 */
async function executorPid(t: TestContext, pidFile: string): Promise<number> {
  await waitForFile(pidFile);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  t.after(() => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  });
  return pid;
}

describe('execute reliability', { concurrency: true }, () => {
  it('two executes at once both record their status: no row is lost', async (t) => {
    const fixture = await plannedRepo(['admin', 'client']);
    t.after(fixture.dispose);
    const command = script(fixture, 'fix', correctFix());
    const [first, second] = await Promise.all([
      runCliAsync(['execute', '1', '--cmd', command], { cwd: fixture.dir }),
      runCliAsync(['execute', '2', '--cmd', command], { cwd: fixture.dir }),
    ]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(second.code, 0, second.stdout + second.stderr);
    const loaded = loadPlans(fixture.plansDir);
    assert.deepEqual(
      loaded.plans.map((plan) => [plan.id, plan.status.state, plan.execution?.branch.slice(0, 12)]),
      [
        ['001', 'DONE', 'improve/001-'],
        ['002', 'DONE', 'improve/002-'],
      ],
    );
    const index = readFileSync(path.join(fixture.plansDir, 'README.md'), 'utf8');
    assert.match(index, /\| 001 \| .* \| DONE \(approved/);
    assert.match(index, /\| 002 \| .* \| DONE \(approved/);
  });

  it('Ctrl-C leaves the plan IN PROGRESS with its worktree recorded, and reconcile flags it', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const pidFile = path.join(fixture.scripts, 'executor.pid');
    const before = userState(fixture.dir);
    const run = startCli(
      ['execute', '1', '--cmd', script(fixture, 'hang', `echo $$ > ${pidFile}\nexec sleep 300`)],
      fixture.dir,
    );
    const pid = await executorPid(t, pidFile);
    run.child.kill('SIGINT');
    assert.equal(await run.done, 130);

    const plan = loadPlans(fixture.plansDir).plans[0];
    assert.equal(plan?.status.state, 'IN PROGRESS');
    assert.match(plan?.status.reason ?? '', /^interrupted; worktree \.git\/improve\/worktrees\/001-/);
    assert.ok(plan?.execution && existsSync(path.join(fixture.dir, plan.execution.worktree)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(processRunning(pid), false, 'the executor was ended');

    const reconciled = await reconcile(undefined, { cwd: fixture.dir });
    assert.equal(reconciled.entries[0]?.action, 'abandoned');
    assert.match(
      reconciled.entries[0]?.detail ?? '',
      /IN PROGRESS with no live process \(worktree \.git\/improve\/worktrees\/001-.*improve review 1/,
    );
    assert.equal(userState(fixture.dir), before);
  });

  it('a crash (kill -9) also leaves a state reconcile and status understand', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const pidFile = path.join(fixture.scripts, 'executor.pid');
    const run = startCli(
      ['execute', '1', '--cmd', script(fixture, 'hang', `echo $$ > ${pidFile}\nexec sleep 300`)],
      fixture.dir,
    );
    await executorPid(t, pidFile);
    const live = await status(undefined, { cwd: fixture.dir });
    assert.equal(live.rows[0]?.attempt?.live, true, 'while it runs, status sees a live attempt');
    run.child.kill('SIGKILL');
    await run.done;

    assert.equal(loadPlans(fixture.plansDir).plans[0]?.status.state, 'IN PROGRESS');
    const after = await status(undefined, { cwd: fixture.dir });
    assert.equal(after.rows[0]?.attempt?.live, false);
    assert.equal(after.rows[0]?.attempt?.worktreeExists, true);
    const reconciled = await reconcile(undefined, { cwd: fixture.dir });
    assert.equal(reconciled.entries[0]?.action, 'abandoned');
  });
});

describe('execute --all', { concurrency: true }, () => {
  it('runs plans in dependency order; a dependent starts from the approved, unmerged branch', async (t) => {
    const fixture = await plannedRepo(['admin', 'client', 'report'], { 2: ['001'] });
    t.after(fixture.dispose);
    const before = userState(fixture.dir);
    const result = await executeAll({
      cwd: fixture.dir,
      executor: 'cmd',
      cmd: script(fixture, 'fix', correctFix()),
      jobs: 2,
      criteriaTimeoutSeconds: 30,
    });
    assert.deepEqual(
      result.results.map((item) => [item.plan.id, item.verdict, item.startedFrom ?? null]),
      [
        ['001', 'APPROVE', null],
        ['002', 'APPROVE', 'improve/001-tls-certificate-verification-disabled-admin'],
        ['003', 'APPROVE', null],
      ],
    );
    assert.deepEqual(result.skipped, []);
    const [first, second] = result.results;
    assert.equal(second?.base, git(fixture.dir, 'rev-parse', first?.branch ?? '').trim());
    assert.match(
      renderExecuteAll(result, { color: false }),
      /002 {2}APPROVE {2}DONE .*\(started from improve\/001-[a-z-]+, plan 001 not merged yet\)/,
    );
    assert.equal(userState(fixture.dir), before);
  });

  it('skips the plans whose dependency was blocked, and says why', async (t) => {
    const fixture = await plannedRepo(['admin', 'client'], { 2: ['001'] });
    t.after(fixture.dispose);
    const result = await executeAll({
      cwd: fixture.dir,
      executor: 'cmd',
      cmd: script(fixture, 'stop', report('STOPPED', 'none', 'the quoted lines differ')),
    });
    assert.deepEqual(
      result.results.map((item) => [item.plan.id, item.verdict]),
      [['001', 'BLOCK']],
    );
    assert.equal(result.skipped[0]?.plan.id, '002');
    assert.match(
      result.skipped[0]?.reason ?? '',
      /^depends on plan 001, which is BLOCKED \(the executor reported STOPPED/,
    );
    assert.deepEqual(readdirSync(path.join(fixture.dir, '.git/improve/worktrees')).length, 1);
  });
});
