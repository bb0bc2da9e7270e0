import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { next } from '../../src/api/next.ts';
import { planOne } from '../../src/api/plan-one.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { UsageError } from '../../src/core/errors.ts';
import { createModelSession } from '../../src/llm/model-session.ts';
import { parsePlan } from '../../src/plans/parse-plan.ts';
import { type FakeReply, type FakeRequest, startFakeLlm } from '../helpers/fake-llm.ts';
import { agentOf, json } from '../helpers/llm-script.ts';
import { makeRepo } from '../helpers/repo.ts';
import { OFF_BY_ONE_LINE, SHOP } from './fixture-shop.ts';
import { planDraft } from './shop-planner.ts';

const ROADMAP = '# Roadmap\n\n- [ ] Discount codes at checkout\n- [ ] CSV export of orders\n';

async function setup(t: TestContext, responder: (r: FakeRequest) => FakeReply) {
  const repo = makeRepo({ ...SHOP, 'ROADMAP.md': ROADMAP });
  t.after(repo.dispose);
  const server = await startFakeLlm(responder);
  t.after(() => server.close());
  const session = createModelSession({
    roles: { planner: 'anthropic:claude-sonnet-4-5' },
    env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url },
    command: 'plan',
  });
  return { repo, server, session };
}

describe('improve plan and improve next with a planner', { concurrency: true }, () => {
  it('plan: investigates, takes the recommended answers without a terminal, records them, and writes one checked plan', async (t) => {
    const { repo, session } = await setup(t, (request) => {
      if (agentOf(request) === 'plan-request')
        return json({
          title: 'Make total() count every item',
          category: 'correctness',
          summary: 'total() starts its loop at 1; start it at 0 and pin it with a test.',
          impact: 'HIGH',
          effort: 'S',
          risk: 'LOW',
          riskReason: 'A one-character change.',
          locations: [{ file: 'src/cart.js', startLine: 3, endLine: 3, quote: OFF_BY_ONE_LINE.trim() }],
          questions: [
            {
              question: 'Should an empty cart total 0 or throw?',
              recommended: '0',
              why: 'callers sum totals without checks',
            },
          ],
        });
      if (agentOf(request) === 'plan') return json(planDraft(OFF_BY_ONE_LINE));
      return { text: 'unexpected' };
    });
    const result = await planOne({
      description: 'fix the cart total',
      path: repo.dir,
      model: session,
      clock: fixedClock('2026-11-25'),
    });
    assert.equal(result.fallback, false);
    assert.deepEqual(
      result.decisions.map((d) => [d.answer, d.asked]),
      [['0', false]],
    );
    const text = readFileSync(
      path.join(result.root, result.plansRelative, `${result.plan.id}-${result.plan.slug}.md`),
      'utf8',
    );
    const plan = parsePlan(text, 'plan.md');
    assert.equal(plan.title, 'Count the first item in total()');
    assert.match(
      plan.why,
      /Should an empty cart total 0 or throw\? — \*\*0\*\* \(the recommended answer, taken without asking\)/,
    );
    assert.deepEqual(
      plan.currentState.map((c) => c.excerpt),
      [OFF_BY_ONE_LINE],
    );
    const index = readFileSync(path.join(result.root, result.plansRelative, 'README.md'), 'utf8');
    assert.match(index, /requested with improve plan: "fix the cart total"/);
    assert.match(index, /- cost: \$\d+\.\d{4} in 2 model calls/);
  });

  it('plan without a planner is exit 2 with one message saying how to configure one', async () => {
    await assert.rejects(planOne({ description: 'anything', model: undefined }), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.match(error.message, /improve plan needs a planner model, and none is configured/);
      assert.match(
        error.hint ?? '',
        /--planner anthropic:claude-sonnet-4-5[\s\S]*ollama[\s\S]*IMPROVE_PLANNER/,
      );
      // Each example is a command that runs as written: plan's description is required.
      assert.match(error.hint ?? '', /improve plan "DESCRIPTION" --planner anthropic:claude-sonnet-4-5/);
      return true;
    });
  });

  it('next: the signals always, and grounded suggestions; a suggestion citing lines that are not there is sent back', async (t) => {
    let asked = 0;
    const grounded = {
      title: 'Ship discount codes',
      kind: 'unfinished-intent',
      rationale: 'The roadmap lists it first and total() is the one place prices are summed.',
      evidence: [
        { file: 'ROADMAP.md', startLine: 3, endLine: 3, quote: '- [ ] Discount codes at checkout' },
        { file: 'src/cart.js', startLine: 1, endLine: 5, quote: 'export function total(items) {' },
      ],
      tradeoffs: 'Touches every total; needs tests first.',
      effort: 'M',
    };
    const invented = {
      ...grounded,
      title: 'Finish the GraphQL API',
      evidence: [
        { file: 'src/graphql.js', startLine: 1, endLine: 2, quote: 'export const schema = buildSchema(`' },
      ],
    };
    const { repo, session } = await setup(t, (request) => {
      if (agentOf(request) !== 'direction') return { text: 'unexpected' };
      asked += 1;
      return json({ suggestions: asked === 1 ? [grounded, invented] : [grounded] });
    });
    const result = await next({ path: repo.dir, model: session });
    assert.ok(result.signals.some((s) => s.title === '2 unchecked items in ROADMAP.md'));
    assert.equal(asked, 2, 'the ungrounded answer was sent back once');
    assert.deepEqual(
      result.suggestions.map((s) => [s.title, s.evidence.map((e) => `${e.file}:${e.startLine}`)]),
      [['Ship discount codes', ['ROADMAP.md:3', 'src/cart.js:1']]],
    );
    assert.equal(result.suggestions[0]?.evidence[0]?.excerpt, '- [ ] Discount codes at checkout');
  });
});
