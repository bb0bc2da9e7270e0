import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { builtinExecutor } from '../../src/agents/builtin-executor.ts';
import { planOnceExecuteMany } from '../../src/agents/plan-once-execute-many.ts';
import { modelReviewer } from '../../src/agents/reviewer-agent.ts';
import { createModelSession } from '../../src/llm/model-session.ts';
import { buildPlan } from '../../src/plans/build-plan.ts';
import { type FakeReply, type FakeRequest, startFakeLlm } from '../helpers/fake-llm.ts';
import { agentOf, json } from '../helpers/llm-script.ts';
import { makeRepo } from '../helpers/repo.ts';
import { sampleFinding, sampleProfile } from '../plans/fixtures.ts';
import { PLANTED, SHOP } from './fixture-shop.ts';

const REPORT = [
  'STATUS: DONE',
  'STEPS COMPLETED: 1, 2',
  'VERIFY RESULTS: npm test → exit 0',
  'FILES CHANGED: src/cart.js',
  'STOP REASON: none',
  'NOTES: none',
].join('\n');

/** An executor that reads, tries to leave the worktree, edits, runs a command, and reports. */
function scriptedExecutor(request: FakeRequest): FakeReply {
  if (agentOf(request) !== 'executor') return { text: 'unexpected' };
  switch (request.turn) {
    case 0:
      return {
        toolCalls: [
          { name: 'read_file', input: { path: 'src/cart.js' } },
          { name: 'read_file', input: { path: '.env' } },
          { name: 'write_file', input: { path: '../escaped.txt', content: 'out' } },
          { name: 'edit_file', input: { path: '.git/config', old: 'x', new: 'y' } },
        ],
      };
    case 1:
      return {
        toolCalls: [
          { name: 'edit_file', input: { path: 'src/cart.js', old: 'let i = 1', new: 'let i = 0' } },
        ],
      };
    case 2:
      return {
        toolCalls: [
          {
            name: 'run_command',
            input: { command: 'node -e "console.log(process.env.OPENAI_API_KEY ?? \'no key here\')"' },
          },
        ],
      };
    default:
      return { text: REPORT, usage: { input: 500, output: 100 } };
  }
}

async function serverFor(t: TestContext, responder: (r: FakeRequest) => FakeReply) {
  const server = await startFakeLlm(responder);
  t.after(() => server.close());
  return server;
}

describe('the builtin executor, the reviewer model and plan-once-execute-many', { concurrency: true }, () => {
  it('carries out a plan with tools confined to the worktree and returns its report', async (t) => {
    const repo = makeRepo(SHOP);
    t.after(repo.dispose);
    const server = await serverFor(t, scriptedExecutor);
    const previous = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = `sk-${'proj'}-plantedKeyThatMustNotReachCommands000000`;
    t.after(() => {
      if (previous === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = previous;
    });
    const session = createModelSession({
      roles: { executor: 'anthropic:claude-haiku-4-5' },
      env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url },
    });
    const adapter = builtinExecutor(session);
    assert.deepEqual(await adapter.available(), { ok: true });
    const run = await adapter.run({
      worktree: repo.dir,
      planFile: '/nonexistent/plan.md',
      promptFile: '/nonexistent/prompt.md',
      prompt: 'Carry out this plan: make total() count the first item.',
      round: 1,
      files: ['src/cart.js'],
      timeoutMs: 60_000,
    });
    assert.equal(run.report?.status, 'DONE');
    assert.deepEqual(run.report?.filesChanged, ['src/cart.js']);
    assert.equal(run.exitCode, 0);
    assert.ok(readFileSync(path.join(repo.dir, 'src/cart.js'), 'utf8').includes('let i = 0'));
    assert.ok(!existsSync(path.join(repo.dir, '..', 'escaped.txt')));
    const all = server.requests.map((r) => r.all).join('\n');
    assert.match(all, /refused: \.env may hold credentials/);
    assert.match(all, /refused: \.\.\/escaped\.txt is outside the worktree/);
    assert.match(all, /refused: \.git is not yours/);
    assert.match(all, /exit 0\nno key here/, 'commands do not inherit provider keys');
    for (const value of Object.values(PLANTED)) assert.ok(!server.bodies.join('\n').includes(value));
    assert.deepEqual(
      session.ledger.entries().map((e) => e.role),
      ['executor', 'executor', 'executor', 'executor'],
    );
  });

  it('the reviewer model judges the diff against the plan', async (t) => {
    const server = await serverFor(t, (request) =>
      agentOf(request) === 'reviewer' && request.all.includes('catch (e) {}')
        ? json({ verdict: 'REVISE', notes: 'The error is still swallowed on line 3.' })
        : { text: 'unexpected' },
    );
    const session = createModelSession({
      roles: { planner: 'anthropic:claude-sonnet-4-5' },
      env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url },
    });
    const plan = buildPlan({
      finding: sampleFinding(),
      profile: sampleProfile(),
      number: 1,
      date: '2026-11-25',
    });
    const review = modelReviewer(session);
    const answer = await review({
      plan,
      diff: '--- a/src/save.ts\n+++ b/src/save.ts\n-  } catch (e) {}\n+  } catch (e) {} // TODO',
      criteria: [
        { run: 'npm test', expect: 'exit 0', passed: true, exitCode: 0, timedOut: false, outputTail: '' },
      ],
      scope: { passed: true, changed: [], outside: [] },
      tests: { passed: true, files: [], problems: [] },
    });
    assert.deepEqual(answer, { verdict: 'REVISE', notes: 'The error is still swallowed on line 3.' });
    assert.equal(session.ledger.entries()[0]?.role, 'reviewer', 'the reviewer defaults to the planner model');
  });

  it('plans once on the capable model, executes per item on the cheap one, and compares the cost', async (t) => {
    const server = await serverFor(t, (request) => {
      if (request.system.startsWith('You are the planner'))
        return json(
          { specs: [0, 1, 2].map((index) => ({ index, spec: 'Answer with the item in capital letters.' })) },
          { input: 3000, output: 600 },
        );
      const item = /Item:\n"(.*)"/.exec(request.all)?.[1] ?? '';
      return { text: item.toUpperCase(), usage: { input: 200, output: 20 } };
    });
    const session = createModelSession({
      roles: { planner: 'anthropic:claude-sonnet-4-5', executor: 'anthropic:claude-haiku-4-5' },
      env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url },
    });
    const result = await planOnceExecuteMany({
      session,
      items: ['alpha', 'beta', 'gamma'],
      instructions: 'For each word, write a spec for shouting it.',
    });
    assert.deepEqual(
      result.outcomes.map((o) => (o.ok ? o.value : o.problem)),
      ['ALPHA', 'BETA', 'GAMMA'],
    );
    const sonnet = (3000 * 3 + 600 * 15) / 1e6;
    const haiku = (200 * 1 + 20 * 5) / 1e6;
    assert.ok(Math.abs(result.cost.totalUsd - (sonnet + 3 * haiku)) < 1e-12);
    const alone = sonnet + 3 * ((200 * 3 + 20 * 15) / 1e6);
    assert.ok(Math.abs((result.cost.plannerOnlyUsd ?? 0) - alone) < 1e-12);
    assert.ok((result.cost.plannerOnlyUsd ?? 0) > result.cost.totalUsd);
  });
});
