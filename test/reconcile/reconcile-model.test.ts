import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { reconcile } from '../../src/api/reconcile.ts';
import { reviewPlanFile } from '../../src/api/review-plan.ts';
import { createModelSession } from '../../src/llm/model-session.ts';
import { loadPlans, updatePlanStatus } from '../../src/plans/store.ts';
import { runCliAsync } from '../helpers/cli-async.ts';
import { type PlannedRepo, plannedRepo, userState } from '../helpers/execute-fixture.ts';
import { type Responder, startFakeLlm } from '../helpers/fake-llm.ts';
import { agentOf, json } from '../helpers/llm-script.ts';
import { git } from '../helpers/repo.ts';
import { ENV_SECRET, goodDraft, readsFirst, SECRET_FILES, SOURCE_SECRET } from './plan-model-script.ts';

const REASON = 'still not approved after 2 rounds: the new test asserts nothing';
const PLANNER = ['--planner', 'anthropic:claude-sonnet-4-5'];

/** The user's repository seen from outside, except the plans folder (reconcile's to write). */
function outsidePlans(dir: string): string {
  return userState(dir)
    .split('\n')
    .filter((line) => !line.includes('plans/'))
    .join('\n');
}

async function blockedRepo(t: TestContext): Promise<PlannedRepo & { planFile: string }> {
  const fixture = await plannedRepo(['client'], {}, SECRET_FILES);
  t.after(fixture.dispose);
  updatePlanStatus(fixture.plansDir, '001', { state: 'BLOCKED', reason: REASON });
  const name = readdirSync(fixture.plansDir).find((file) => file.startsWith('001-')) ?? '';
  return { ...fixture, planFile: path.join(fixture.plansDir, name) };
}

async function fakePlanner(t: TestContext, responder: Responder) {
  const server = await startFakeLlm(responder);
  t.after(() => server.close());
  const env = { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url, IMPROVE_PLANNER: '' };
  return { server, env };
}

const ledgerOf = (dir: string) => path.join(dir, '.git/improve/ledger.jsonl');

describe('improve reconcile with a planner: proposed rewrites of blocked plans', {
  concurrency: true,
}, () => {
  it('writes a proposal that passes the quality bar next to the plan, touches nothing else, records the cost, and is adopted by moving it', async (t) => {
    const fixture = await blockedRepo(t);
    const plan = fixture.plans[0];
    assert.ok(plan);
    const { server, env } = await fakePlanner(t, (request) =>
      agentOf(request) === 'plan-rewrite'
        ? (readsFirst(request) ?? json(goodDraft(plan)))
        : { text: 'unexpected' },
    );
    const original = readFileSync(fixture.planFile, 'utf8');
    const before = outsidePlans(fixture.dir);

    const run = await runCliAsync(['reconcile', ...PLANNER], { cwd: fixture.dir, env });
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    const proposal = `plans/${plan.id}-${plan.slug}.proposed.md`;
    assert.match(
      run.stdout,
      new RegExp(
        `blocked \\(1\\):\\n  001 .*\\n      ${REASON}\\n      proposed rewrite: ${proposal.replaceAll('.', '\\.')}\\n`,
      ),
    );
    assert.match(run.stdout, /1 rewrite\(s\) of blocked plans proposed\./);
    assert.ok(run.stdout.includes(`mv ${proposal} plans/${plan.id}-${plan.slug}.md`), run.stdout);
    assert.match(run.stdout, /Model cost/);

    const review = await reviewPlanFile(proposal, { cwd: fixture.dir });
    assert.deepEqual(review.problems, [], 'the proposal meets the quality bar, done criteria included');
    assert.equal(review.plan?.id, '001');
    assert.deepEqual(review.plan?.status, { state: 'TODO' });
    assert.equal(review.plan?.plannedAt.sha, git(fixture.dir, 'rev-parse', 'HEAD').trim());
    assert.equal(review.plan?.execution, undefined);
    const text = readFileSync(path.join(fixture.dir, proposal), 'utf8');
    assert.ok(text.includes(`because plan 001 was BLOCKED: ${REASON}`), 'the proposal says why it exists');

    assert.equal(readFileSync(fixture.planFile, 'utf8'), original, 'the blocked plan is untouched');
    assert.deepEqual(
      loadPlans(fixture.plansDir).plans.map((item) => [item.id, item.status.state]),
      [['001', 'BLOCKED']],
      'a proposal is not a plan',
    );
    assert.equal(outsidePlans(fixture.dir), before, "the user's tree, index and branches are untouched");

    const ledger = readFileSync(ledgerOf(fixture.dir), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { command: string; role: string; task: string });
    assert.equal(ledger.length, 2, 'one tool round, one answer');
    assert.ok(
      ledger.every(
        (row) => row.command === 'reconcile' && row.role === 'planner' && row.task === 'rewrite:001',
      ),
    );
    const bodies = server.bodies.join('\n');
    assert.ok(bodies.includes(REASON), 'the planner got the block reason');
    assert.ok(bodies.includes('may hold credentials'), 'the .env read was refused');
    assert.ok(!bodies.includes(SOURCE_SECRET) && !bodies.includes(ENV_SECRET), 'no planted secret was sent');

    const calls = server.requests.length;
    const again = await runCliAsync(['reconcile', ...PLANNER], { cwd: fixture.dir, env });
    assert.match(again.stdout, /proposed rewrite: .*\(from an earlier run\)/);
    assert.equal(server.requests.length, calls, 'an existing proposal is not asked for again');

    renameSync(path.join(fixture.dir, proposal), fixture.planFile);
    const adopted = await runCliAsync(['reconcile'], { cwd: fixture.dir, env: { IMPROVE_PLANNER: '' } });
    assert.match(adopted.stdout, /executable now \(1\):\n {2}001 Turn certificate verification back on/);
    const index = readFileSync(path.join(fixture.plansDir, 'README.md'), 'utf8');
    assert.match(
      index,
      /\| 001 \| \[Turn certificate verification back on in src\/client\.js\]\(001-[a-z0-9-]+\.md\) \| TODO \|/,
    );
  });

  it('without a model behaves as before, and says in one line that a planner would propose a rewrite', async (t) => {
    const fixture = await blockedRepo(t);
    const original = readFileSync(fixture.planFile, 'utf8');
    const run = await runCliAsync(['reconcile'], { cwd: fixture.dir, env: { IMPROVE_PLANNER: '' } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`blocked \\(1\\):\\n  001 .*\\n      ${REASON}\\n\\nSummary:`));
    const hint = run.stdout.split('\n').filter((line) => /planner/i.test(line));
    assert.deepEqual(hint, [
      'With a planner model (--planner provider:model, or IMPROVE_PLANNER), reconcile would also propose a rewrite of each blocked plan.',
    ]);
    assert.ok(!/Model cost/.test(run.stdout));
    assert.equal(readFileSync(fixture.planFile, 'utf8'), original);
    assert.deepEqual(
      readdirSync(fixture.plansDir).filter((name) => name.includes('.proposed.')),
      [],
    );
    assert.equal(existsSync(ledgerOf(fixture.dir)), false, 'no ledger without a model');
  });

  it('--dry-run estimates the rewrite and calls nothing; --max-cost below one call sends nothing and writes no proposal', async (t) => {
    const fixture = await blockedRepo(t);
    const { server, env } = await fakePlanner(t, () => ({ text: 'unexpected' }));
    const dry = await runCliAsync(['reconcile', ...PLANNER, '--dry-run'], { cwd: fixture.dir, env });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /would propose a rewrite of blocked plan\(s\) 001\./);
    assert.match(
      dry.stdout,
      /Dry run: nothing was sent to a model and nothing was written\.\n[\s\S]*rewrite of plan 001/,
    );

    const broke = await runCliAsync(['reconcile', ...PLANNER, '--max-cost', '0.000001'], {
      cwd: fixture.dir,
      env,
    });
    assert.equal(broke.code, 0, broke.stderr);
    assert.match(
      broke.stdout,
      /no rewrite proposed: the --max-cost budget was reached before the planner answered/,
    );
    assert.match(broke.stderr, /--max-cost budget of \$0\.0000 was reached: 1 model call\(s\) did not start/);
    assert.equal(server.requests.length, 0);
    assert.deepEqual(
      readdirSync(fixture.plansDir).filter((name) => name.includes('.proposed.')),
      [],
    );
  });

  it('a rewrite that fails the code checks twice is not written, and the report says why', async (t) => {
    const fixture = await blockedRepo(t);
    const plan = fixture.plans[0];
    assert.ok(plan);
    let asked = 0;
    const { env } = await fakePlanner(t, (request) => {
      if (agentOf(request) !== 'plan-rewrite') return { text: 'unexpected' };
      asked += 1;
      const invented = goodDraft(plan);
      invented.currentState = [
        { file: 'src/client.js', startLine: 7, endLine: 7, excerpt: '    verify: false,' },
      ];
      return json(invented);
    });
    const session = createModelSession({
      roles: { planner: 'anthropic:claude-sonnet-4-5' },
      env: { ANTHROPIC_API_KEY: env.ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL: env.ANTHROPIC_BASE_URL },
      command: 'reconcile',
    });
    const result = await reconcile(undefined, { cwd: fixture.dir, model: session });
    const entry = result.entries[0];
    assert.equal(entry?.action, 'blocked');
    assert.equal(entry?.proposal, undefined);
    assert.match(
      entry?.proposalNote ?? '',
      /did not pass improve's checks .*currentState\[0\]: the excerpt is not the text of src\/client\.js/,
    );
    assert.equal(asked, 2, 'sent back once with the reasons');
    assert.deepEqual(
      readdirSync(fixture.plansDir).filter((name) => name.includes('.proposed.')),
      [],
    );
  });
});
