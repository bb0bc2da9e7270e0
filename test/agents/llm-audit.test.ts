import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { audit } from '../../src/api/audit.ts';
import { draftPlans } from '../../src/api/draft-plans.ts';
import { writeAuditPlans } from '../../src/api/write-plans.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { createModelSession } from '../../src/llm/model-session.ts';
import { parsePlan } from '../../src/plans/parse-plan.ts';
import { type FakeServer, startFakeLlm } from '../helpers/fake-llm.ts';
import { git, makeRepo } from '../helpers/repo.ts';
import { OFF_BY_ONE_LINE, PLANTED, SHOP } from './fixture-shop.ts';
import { OFF_BY_ONE, STYLE_NIT, shopPlanner } from './shop-planner.ts';

describe('LLM audit with a planner (real SDK clients against local servers)', () => {
  let server: FakeServer;
  before(async () => {
    server = await startFakeLlm();
  });
  after(() => server.close());

  for (const planner of [
    'anthropic:claude-sonnet-4-5',
    'openai:gpt-5-mini',
    'openai-compatible:qwen2.5-coder',
  ]) {
    it(`${planner}: finds the bug, vets it, writes a checked plan, and keeps secrets out of every request`, async (t) => {
      const repo = makeRepo(SHOP);
      t.after(repo.dispose);
      server.setResponder(shopPlanner());
      const before = server.bodies.length;
      const session = createModelSession({
        roles: { planner },
        env: {
          ANTHROPIC_API_KEY: 'test-key',
          ANTHROPIC_BASE_URL: server.url,
          OPENAI_API_KEY: 'test-key',
          OPENAI_BASE_URL: server.url,
        },
        baseUrl: server.url,
      });
      const result = await audit({ path: repo.dir, clock: fixedClock('2026-11-25'), model: session });

      const bug = result.findings.find((f) => f.title === OFF_BY_ONE.title);
      assert.ok(
        bug,
        `the model's finding is in the table: ${result.findings.map((f) => f.title).join('; ')}`,
      );
      assert.equal(bug.ruleId, 'llm/correctness');
      assert.deepEqual(bug.evidence, [
        { file: 'src/cart.js', startLine: 3, endLine: 3, excerpt: OFF_BY_ONE_LINE },
      ]);
      assert.ok(!result.findings.some((f) => f.title === STYLE_NIT.title), 'the planner rejected the nit');
      const llm = result.llm;
      assert.ok(llm);
      assert.deepEqual(
        llm.rejected.map((r) => r.title),
        [STYLE_NIT.title],
      );
      assert.match(llm.rejected[0]?.reason ?? '', /^planner: A one-line wrapper/);
      const dropped = llm.dropped.map((d) => `${d.title}: ${d.reason}`).join('\n');
      assert.match(dropped, /Payment retries are unbounded: src\/payments\.js does not exist/);
      assert.match(dropped, /Discounts are applied twice: hallucinated location/);
      assert.equal(llm.auditors, 5);
      assert.equal(llm.auditorsCompleted, 5);

      const selection = { findings: [bug], note: 'Selected in a test.' };
      const drafts = await draftPlans(result, selection, session);
      assert.deepEqual(drafts.notes, []);
      const written = writeAuditPlans(result, selection, { drafts, model: session });
      const planFile = path.join(result.plans.dir, `${written.plans[0]?.id}-${written.plans[0]?.slug}.md`);
      const plan = parsePlan(readFileSync(planFile, 'utf8'), planFile);
      assert.equal(plan.title, 'Count the first item in total()');
      assert.deepEqual(
        plan.currentState.map((c) => c.excerpt),
        [OFF_BY_ONE_LINE],
      );
      assert.ok(plan.steps.some((s) => s.title === 'Start the loop at 0'));
      assert.ok(plan.steps.every((s) => s.verify.run !== ''));
      const index = readFileSync(path.join(result.plans.dir, 'README.md'), 'utf8');
      assert.match(
        index,
        new RegExp(
          `\`${llm.rejected[0]?.findingId}\` \\(llm/correctness\\) count\\(\\) could be inlined — planner: A one-line wrapper`,
        ),
      );
      assert.match(index, /- cost: (\$\d+\.\d{4}|unpriced) in \d+ model calls.*: planner /);
      assert.match(index, /had the planner done the executor's share too: (\$|unknown)/);

      // Nothing but plans/ changed, and no request carried a secret or the .env file's content.
      assert.deepEqual(git(repo.dir, 'status', '--porcelain').trim().split('\n'), ['?? plans/']);
      const bodies = server.bodies.slice(before).join('\n');
      for (const value of Object.values(PLANTED))
        assert.ok(!bodies.includes(value), `a request carried ${value}`);
      assert.ok(!bodies.includes('STRIPE_SECRET_KEY'), 'the .env file was sent');
      assert.match(bodies, /refused: \.env may hold credentials/);
      assert.match(bodies, /\[REDACTED:aws-access-key-id\]/);
      assert.match(bodies, /<repository-data source=\\"src\/cart\.js\\"/);
    });
  }

  it('drafts one plan for the findings of one rule in one file', async (t) => {
    const repo = makeRepo({
      ...SHOP,
      'src/admin.js': [
        'export function run(req, res) {',
        '  res.send(eval(req.query.expression));',
        '}',
        'export function check(req, res) {',
        '  res.send(eval(req.body.rule));',
        '}',
        '',
      ].join('\n'),
    });
    t.after(repo.dispose);
    server.setResponder(shopPlanner());
    const session = createModelSession({
      roles: { planner: 'anthropic:claude-sonnet-4-5' },
      env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url },
    });
    const result = await audit({ path: repo.dir, clock: fixedClock('2026-11-25'), level: 'quick' });
    const evals = result.findings.filter((f) => f.evidence[0]?.file === 'src/admin.js');
    assert.equal(evals.length, 2);
    assert.equal(evals[0]?.ruleId, evals[1]?.ruleId);
    const drafts = await draftPlans(result, { findings: evals, note: 'test' }, session);
    // The planner has nothing for them, so improve's own plan is used: once, for the one plan.
    assert.equal(drafts.notes.length, 1, drafts.notes.join('\n'));
    const written = writeAuditPlans(result, { findings: evals, note: 'test' }, { drafts });
    assert.equal(written.plans.length, 1);
    assert.deepEqual([...(written.plans[0]?.findings ?? [])].sort(), evals.map((f) => f.id).sort());
  });

  it('asks again when a plan quotes an excerpt that is not in the file, and writes the real text', async (t) => {
    const repo = makeRepo(SHOP);
    t.after(repo.dispose);
    server.setResponder(shopPlanner({ inventExcerptOnce: true }));
    const session = createModelSession({
      roles: { planner: 'anthropic:claude-sonnet-4-5' },
      env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url },
    });
    const result = await audit({
      path: repo.dir,
      clock: fixedClock('2026-11-25'),
      model: session,
      level: 'quick',
    });
    const bug = result.findings.find((f) => f.title === OFF_BY_ONE.title);
    assert.ok(bug);
    const start = server.requests.length;
    const drafts = await draftPlans(result, { findings: [bug], note: 'test' }, session);
    const planRequests = server.requests.slice(start);
    assert.equal(planRequests.length, 2, 'one draft, one ask-again');
    assert.match(planRequests[1]?.last ?? '', /the excerpt is not the text of src\/cart\.js/);
    assert.equal(drafts.drafts.get(bug.id)?.currentState[0]?.excerpt, OFF_BY_ONE_LINE);
  });
});
