import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SHOP } from '../agents/fixture-shop.ts';
import { shopPlanner } from '../agents/shop-planner.ts';
import { modelEnv, serverFor } from '../helpers/model-env.ts';
import { git, makeRepo } from '../helpers/repo.ts';
import { runCliAsync } from '../helpers/run-cli-async.ts';

describe('improve --planner (the built binary against a local model server)', { concurrency: true }, () => {
  it('audits with the model, writes the vetted plan, prints and records the cost, and appends the ledger', async (t) => {
    const repo = makeRepo(SHOP);
    t.after(repo.dispose);
    const server = await serverFor(t);
    server.setResponder(shopPlanner());
    const first = server.requests.length;
    const run = await runCliAsync([repo.dir, '--planner', 'anthropic:claude-sonnet-4-5', '--top', '1'], {
      env: modelEnv(server),
    });
    assert.equal(run.code, 0, run.stderr);
    const calls = server.requests.length - first;
    assert.match(run.stdout, /total\(\) skips the first item/);
    assert.match(
      run.stdout,
      /Model audit \(planner anthropic:claude-sonnet-4-5\): 5 of 5 auditors answered; 1 finding confirmed by the planner, 1 rejected by it, 2 dropped/,
    );
    assert.match(run.stdout, /Model cost\n/);
    assert.match(run.stdout, /planner\s+anthropic:claude-sonnet-4-5\s+\d+\s+[\d,]+/);
    assert.match(run.stdout, /Had the planner done the executor's share too: \$/);
    assert.match(run.stdout, /Wrote 1 plan to plans\//);

    // The ledger: one line per call, with the scripted usage, priced from the built-in table.
    const ledgerFile = path.join(repo.dir, '.git', 'improve', 'ledger.jsonl');
    const entries = readFileSync(ledgerFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(entries.length, calls);
    const sum = (key: string) => entries.reduce((total, entry) => total + Number(entry[key]), 0);
    assert.equal(sum('inputTokens'), 1000 * calls);
    assert.equal(sum('outputTokens'), 200 * calls);
    assert.equal(sum('cacheReadTokens'), 3000 * calls);
    assert.equal(sum('cacheWriteTokens'), 500 * calls);
    // Sonnet: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million tokens.
    const perCall = (1000 * 3 + 200 * 15 + 3000 * 0.3 + 500 * 3.75) / 1_000_000;
    assert.ok(Math.abs(sum('costUsd') - perCall * calls) < 1e-9);
    assert.ok(
      entries.every((e) => e.role === 'planner' && e.model === 'claude-sonnet-4-5' && e.command === 'audit'),
    );
    const index = readFileSync(path.join(repo.dir, 'plans', 'README.md'), 'utf8');
    assert.ok(index.includes(`- cost: $${(perCall * calls).toFixed(4)} in ${calls} model calls`), index);
    assert.ok(!readFileSync(ledgerFile, 'utf8').includes('test-key'), 'the key is never logged');
    assert.deepEqual(git(repo.dir, 'status', '--porcelain').trim().split('\n'), ['?? plans/']);
  });

  it('--dry-run estimates the cost, calls nothing and writes nothing', async (t) => {
    const repo = makeRepo(SHOP);
    t.after(repo.dispose);
    const server = await serverFor(t);
    const first = server.requests.length;
    const run = await runCliAsync([repo.dir, '--planner', 'anthropic:claude-sonnet-4-5', '--dry-run'], {
      env: modelEnv(server, { ANTHROPIC_API_KEY: '' }),
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(server.requests.length, first, 'no request reached the model server');
    assert.match(run.stdout, /Dry run: nothing was sent to a model and nothing was written/);
    assert.match(run.stdout, /auditor correctness\+tests\s+anthropic:claude-sonnet-4-5\s+~6/);
    assert.match(run.stdout, /total\s+~\$\d+\.\d{4}/);
    assert.equal(existsSync(path.join(repo.dir, 'plans')), false);
    assert.equal(existsSync(path.join(repo.dir, '.git', 'improve')), false);
  });

  it('an authentication failure ends with exit 3 naming the role, the provider and what to set', async (t) => {
    const repo = makeRepo(SHOP);
    t.after(repo.dispose);
    const server = await serverFor(t);
    server.setResponder(() => ({ status: 401, error: 'invalid x-api-key' }));
    const run = await runCliAsync([repo.dir, '--planner', 'anthropic:claude-sonnet-4-5'], {
      env: modelEnv(server),
    });
    assert.equal(run.code, 3, run.stderr);
    assert.match(
      run.stderr,
      /planner anthropic:claude-sonnet-4-5 \(from --planner\): the provider refused the credentials \(HTTP 401: invalid x-api-key\)/,
    );
    assert.match(run.stderr, /hint: Set ANTHROPIC_API_KEY to a valid key for anthropic/);
    assert.ok(!run.stderr.includes('test-key'));
    assert.equal(existsSync(path.join(repo.dir, 'plans')), false);
  });

  it('a budget below the first call ends with exit 3, sends nothing and writes no plan', async (t) => {
    const repo = makeRepo(SHOP);
    t.after(repo.dispose);
    const server = await serverFor(t);
    server.setResponder(shopPlanner());
    const first = server.requests.length;
    const run = await runCliAsync(
      [repo.dir, '--planner', 'anthropic:claude-sonnet-4-5', '--max-cost', '0.001'],
      {
        env: modelEnv(server),
      },
    );
    assert.equal(run.code, 3, run.stderr);
    assert.equal(server.requests.length, first);
    assert.match(
      run.stderr,
      /--max-cost \$0\.0010 is below the estimated cost of the first model call: nothing was sent to a model/,
    );
    assert.equal(existsSync(path.join(repo.dir, 'plans')), false);
  });

  it('plan without a model is exit 2 with how to configure one; next prints the signals and the same advice', async (t) => {
    const repo = makeRepo({ ...SHOP, 'ROADMAP.md': '# Roadmap\n\n- [ ] Discount codes\n' });
    t.after(repo.dispose);
    const env = { ANTHROPIC_API_KEY: '', IMPROVE_PLANNER: '' };
    const [plan, nextRun] = await Promise.all([
      runCliAsync(['plan', 'add discount codes', repo.dir], { env }),
      runCliAsync(['next', repo.dir], { env }),
    ]);
    assert.equal(plan.code, 2);
    assert.match(plan.stderr, /improve plan needs a planner model, and none is configured/);
    assert.match(plan.stderr, /improve plan "DESCRIPTION" --planner anthropic:claude-sonnet-4-5/);
    assert.equal(nextRun.code, 0, nextRun.stderr);
    assert.match(
      nextRun.stdout,
      /Direction signals \(from the repository itself\):\n {2}• 1 unchecked item in ROADMAP\.md \(ROADMAP\.md:3\)/,
    );
    assert.match(nextRun.stderr, /For grounded suggestions of where to go next, configure a model/);
    assert.equal(existsSync(path.join(repo.dir, 'plans')), false);
  });
});
