import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { executePlan } from '../../src/api/execute.ts';
import { status } from '../../src/api/status.ts';
import { renderStatus } from '../../src/cli/render-status.ts';
import { runCliAsync } from '../helpers/cli-async.ts';
import { plannedRepo, tlsApp } from '../helpers/execute-fixture.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';

function ledgerLine(role: string, costUsd: number | null): string {
  return JSON.stringify({
    time: '2026-11-25T10:00:00.000Z',
    run: 'r1',
    command: 'audit',
    role,
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    task: 'vet',
    inputTokens: 1000,
    outputTokens: 200,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    latencyMs: 900,
    costUsd,
  });
}

describe('improve status', { concurrency: true }, () => {
  it('lists the plans, the attempt’s branch and worktree, and says no model call was recorded', async (t) => {
    const fixture = await plannedRepo(['admin', 'client']);
    t.after(fixture.dispose);
    await executePlan('2', { cwd: fixture.dir });
    const result = await status(undefined, { cwd: fixture.dir });
    assert.deepEqual(
      result.rows.map((row) => [row.plan.id, row.plan.status.state, row.attempt?.branch ?? null]),
      [
        ['001', 'TODO', null],
        ['002', 'IN PROGRESS', 'improve/002-tls-certificate-verification-disabled-client'],
      ],
    );
    assert.equal(result.rows[1]?.attempt?.worktreeExists, true);
    assert.equal(result.rows[1]?.attempt?.live, false, 'a handed-off attempt has no live process');
    assert.deepEqual(result.worktrees, [
      {
        path: '.git/improve/worktrees/002-tls-certificate-verification-disabled-client',
        branch: 'improve/002-tls-certificate-verification-disabled-client',
        plan: '002',
        live: false,
      },
    ]);
    assert.equal(result.costs, undefined);

    const cli = await runCliAsync(['status'], { cwd: fixture.dir });
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /^Plans in plans\/ \(2\):/);
    assert.match(
      cli.stdout,
      /^002 {2}IN PROGRESS {2}TLS certificate verification disabled in src\/\S+ {2}improve\/002-/m,
    );
    assert.match(cli.stdout, /^1 TODO · 1 IN PROGRESS$/m);
    assert.match(cli.stdout, /^ {2}\.git\/improve\/worktrees\/002-\S+ {2}improve\/002-\S+ plan 002$/m);
    assert.match(cli.stdout, /^Costs: no model calls recorded\.$/m);
  });

  it('totals the cost ledger when model calls were recorded', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    mkdirSync(path.join(fixture.dir, '.git/improve'), { recursive: true });
    writeFileSync(
      path.join(fixture.dir, '.git/improve/ledger.jsonl'),
      `${ledgerLine('planner', 0.006)}\n${ledgerLine('reviewer', 0.004)}\nnot json\n`,
    );
    const result = await status(undefined, { cwd: fixture.dir });
    assert.equal(result.costs?.summary.calls, 2);
    assert.ok(Math.abs((result.costs?.summary.totalUsd ?? 0) - 0.01) < 1e-9);
    assert.match(renderStatus(result, 120), /^Costs: \$0\.0100 in 2 model calls/m);
    assert.deepEqual(result.problems, ['the cost ledger has 1 unreadable line(s)']);
  });

  it('shows a status by its label and keeps the plan titles readable; the reasons follow, one line each', () => {
    const row = (id: string, title: string, state: string, reason?: string) => ({
      plan: { id, title, status: reason ? { state, reason } : { state } },
    });
    const result = {
      plansRelative: 'plans',
      rows: [
        row('002', 'No README', 'REJECTED', 'fixed independently: rule no longer reports it at 98fa078b5380'),
        row(
          '007',
          'Duplicated block (9 lines of code) twice in werkzeug/urls.py',
          'TODO',
          'stale: werkzeug/urls.py was moved to werkzeug/_urls.py; the plan still cites werkzeug/urls.py:104-115',
        ),
        row('009', 'Pin the runtime', 'BLOCKED', 'the CI image has no Node 22'),
      ],
      worktrees: [],
      problems: [],
    } as unknown as Parameters<typeof renderStatus>[0];
    const text = renderStatus(result, 140);
    assert.match(text, /^002 {2}REJECTED \(fixed independently\) +No README/m);
    assert.match(
      text,
      /^007 {2}TODO \(stale\) +Duplicated block \(9 lines of code\) twice in werkzeug\/urls\.py/m,
    );
    // A reason without a label is short: it stays in the table, and is not repeated below.
    assert.match(text, /^009 {2}BLOCKED \(the CI image has no Node 22\)/m);
    assert.match(
      text,
      /^Why:\n {2}002 {2}rule no longer reports it at 98fa078b5380\n {2}007 {2}werkzeug\/urls\.py was moved/m,
    );
    assert.doesNotMatch(text, /^ {2}009 /m);
  });

  it('still lists the plans of a folder that is not a git repository', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const plain = tempDir();
    t.after(plain.dispose);
    writeTree(plain.dir, tlsApp());
    mkdirSync(path.join(plain.dir, 'plans'));
    writeFileSync(path.join(plain.dir, 'plans/README.md'), '<!-- improve:index v1 -->\n');
    const result = await status(plain.dir);
    assert.deepEqual(result.rows, []);
    assert.match(result.noGit ?? '', /is not inside a git repository/);
    assert.match(renderStatus(result, 120), /No plans in plans\/ yet/);
  });
});
