import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { OFF_BY_ONE_LINE, SHOP } from '../agents/fixture-shop.ts';
import { OFF_BY_ONE, shopPlanner } from '../agents/shop-planner.ts';
import type { FakeReply, FakeRequest } from '../helpers/fake-llm.ts';
import { agentOf, json } from '../helpers/llm-script.ts';
import { modelEnv, serverFor } from '../helpers/model-env.ts';
import { git, makeRepo } from '../helpers/repo.ts';
import { runCliAsync } from '../helpers/run-cli-async.ts';

/** The shop on `main` with a correct loop; the branch `feature/cart` brings the off-by-one in. */
function shopBranch(t: TestContext): string {
  const repo = makeRepo({
    ...SHOP,
    'src/cart.js': (SHOP['src/cart.js'] as string).replace('let i = 1', 'let i = 0'),
  });
  t.after(repo.dispose);
  git(repo.dir, 'checkout', '-q', '-b', 'feature/cart');
  writeFileSync(path.join(repo.dir, 'src/cart.js'), SHOP['src/cart.js'] as string);
  git(repo.dir, 'commit', '-qam', 'cart: count from the second item');
  return repo.dir;
}

/** A finding about a file the branch does not touch (real line, so only the scope can drop it). */
const OUTSIDE_SCOPE = {
  ...OFF_BY_ONE,
  title: 'The region is hard-coded',
  file: 'src/config.js',
  startLine: 2,
  endLine: 2,
  quote: 'export const region = "eu-west-1";',
  message: 'The region cannot be changed without a release.',
};

/** The shop planner, whose correctness auditor also reports on a file outside the branch. */
function branchPlanner(seen: FakeRequest[]): (request: FakeRequest) => FakeReply {
  const shop = shopPlanner();
  return (request) => {
    if (agentOf(request) !== 'auditor') return shop(request);
    seen.push(request);
    const reply = shop(request);
    if (!('text' in reply) || !reply.text.includes(OFF_BY_ONE.title)) return reply;
    const answer = JSON.parse(reply.text) as { findings: unknown[] };
    return json({ ...answer, findings: [...answer.findings, OUTSIDE_SCOPE] }, reply.usage);
  };
}

describe('improve branch --planner (the built binary against a local model server)', {
  concurrency: true,
}, () => {
  it('audits what the branch changed with the model, tags its finding introduced, plans it and counts the cost', async (t) => {
    const dir = shopBranch(t);
    const server = await serverFor(t);
    const auditors: FakeRequest[] = [];
    server.setResponder(branchPlanner(auditors));
    const run = await runCliAsync(
      [
        'branch',
        dir,
        '--base',
        'main',
        '--planner',
        'anthropic:claude-sonnet-4-5',
        '--top',
        '1',
        '--fail-on',
        'high',
        '--json',
        path.join(dir, '.git', 'report.json'),
      ],
      { env: modelEnv(server) },
    );
    // The model's finding is on the line the branch changed, at HIGH confidence: the gate fails.
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /gate failed: 1 finding introduced by this branch with HIGH confidence/);
    assert.match(run.stderr, /HIGH {2}total\(\) skips the first item {2}\(src\/cart\.js:3\)/);
    assert.match(run.stdout, /Introduced by this branch \(1\)/);
    assert.match(run.stdout, /Model audit \(planner anthropic:claude-sonnet-4-5\)/);
    assert.match(run.stdout, /Model cost\n/);
    assert.match(run.stdout, /Wrote 1 plan to plans\//);
    // What the planner rejected and improve's checks dropped is told with the model audit, not
    // counted again as vetting's drops (suppressions, accepted findings).
    assert.match(run.stdout, /1 finding confirmed by the planner, 1 rejected by it, 3 dropped/);
    assert.doesNotMatch(run.stdout, /dropped by vetting/);
    // The finding about a file the branch did not touch is dropped before the planner vets it.
    assert.match(run.stdout, /1 finding about files outside the branch's scope dropped before vetting/);
    const vetting = server.requests.filter((request) => agentOf(request) === 'vet');
    assert.ok(vetting.length > 0);
    assert.ok(vetting.every((request) => !request.all.includes(OUTSIDE_SCOPE.title)));

    // Every auditor was told what the branch changed, down to the line, and to stay there.
    assert.ok(auditors.length > 0);
    for (const request of auditors) {
      assert.match(request.all, /## The branch under review/);
      assert.match(request.all, /src\/cart\.js \(lines 3\)/);
      assert.match(request.all, /test\/cart\.test\.js/, 'the importer is in scope');
      assert.match(request.all, /Audit what this branch changes/);
    }

    const report = JSON.parse(readFileSync(path.join(dir, '.git', 'report.json'), 'utf8')) as {
      findings: { title: string; introduced: boolean; evidence: { file: string }[] }[];
    };
    const model = report.findings.find((finding) => finding.title === OFF_BY_ONE.title);
    assert.equal(model?.introduced, true);
    assert.equal(
      report.findings.some((finding) => finding.title === OUTSIDE_SCOPE.title),
      false,
      'a model finding outside the branch scope is dropped',
    );

    // The plan is the planner's draft, and the index carries the run's cost.
    const plans = readdirSync(path.join(dir, 'plans')).filter((file) => /^\d{3}-/.test(file));
    assert.equal(plans.length, 1);
    const plan = readFileSync(path.join(dir, 'plans', plans[0] ?? ''), 'utf8');
    assert.match(plan, /Count the first item in total\(\)/);
    assert.ok(plan.includes(OFF_BY_ONE_LINE.trim()));
    assert.match(
      readFileSync(path.join(dir, 'plans', 'README.md'), 'utf8'),
      /- cost: \$\d+\.\d{4} in \d+ model calls/,
    );
    const ledger = readFileSync(path.join(dir, '.git', 'improve', 'ledger.jsonl'), 'utf8');
    assert.ok(
      ledger
        .split('\n')
        .filter(Boolean)
        .every((line) => JSON.parse(line).command === 'branch'),
    );
  });

  it('--dry-run estimates the cost, calls nothing and writes nothing', async (t) => {
    const dir = shopBranch(t);
    const server = await serverFor(t);
    const first = server.requests.length;
    const run = await runCliAsync(
      ['branch', dir, '--base', 'main', '--planner', 'anthropic:claude-sonnet-4-5', '--dry-run'],
      { env: modelEnv(server, { ANTHROPIC_API_KEY: '' }) },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(server.requests.length, first, 'no request reached the model server');
    assert.match(run.stdout, /Dry run: nothing was sent to a model and nothing was written/);
    assert.equal(existsSync(path.join(dir, 'plans')), false);
    assert.equal(existsSync(path.join(dir, '.git', 'improve')), false);
  });
});
