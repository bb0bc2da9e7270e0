import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { reviewPlanFile } from '../../src/api/review-plan.ts';
import { reviewPlanExitCode } from '../../src/cli/review-plan-command.ts';
import { createModelSession } from '../../src/llm/model-session.ts';
import { updatePlanStatus } from '../../src/plans/store.ts';
import { runCliAsync } from '../helpers/cli-async.ts';
import { type PlannedRepo, plannedRepo, planText } from '../helpers/execute-fixture.ts';
import { type FakeReply, type FakeRequest, startFakeLlm } from '../helpers/fake-llm.ts';
import { agentOf, json } from '../helpers/llm-script.ts';
import {
  ENV_SECRET,
  goodDraft,
  lineWith,
  PLAN_SECRET,
  readsFirst,
  SECRET_FILES,
  SOURCE_SECRET,
  weakDraft,
} from './plan-model-script.ts';

const PLANNER = ['--planner', 'anthropic:claude-sonnet-4-5'];

async function setup(t: TestContext, responder: (request: FakeRequest) => FakeReply) {
  const fixture = await plannedRepo(['client'], {}, SECRET_FILES);
  t.after(fixture.dispose);
  const server = await startFakeLlm(responder);
  t.after(() => server.close());
  const name = readdirSync(fixture.plansDir).find((file) => file.startsWith('001-')) ?? '';
  const env = { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: server.url, IMPROVE_PLANNER: '' };
  return { fixture, server, env, file: `plans/${name}`, absolute: path.join(fixture.plansDir, name) };
}

function noSecretSent(bodies: readonly string[]): void {
  const all = bodies.join('\n');
  for (const secret of [SOURCE_SECRET, ENV_SECRET, PLAN_SECRET])
    assert.ok(!all.includes(secret), `${secret.slice(0, 6)}… was sent to the model`);
}

const ledgerTasks = (fixture: PlannedRepo) =>
  readFileSync(path.join(fixture.dir, '.git/improve/ledger.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { task: string }).task);

describe('improve review-plan with a planner', { concurrency: true }, () => {
  it('prints the critique after the checks; only a concrete problem (its quote on a plan line) makes it exit 1', async (t) => {
    let round = 0;
    let text = '';
    const { fixture, server, env, file } = await setup(t, (request) => {
      if (agentOf(request) !== 'plan-critique') return { text: 'unexpected' };
      round += 1;
      const suggestion = {
        line: 2,
        quote: 'Test plan',
        kind: 'suggestion',
        problem: 'The test case could name the exact assertion.',
        fix: "Say: assert.equal(clientOptions('example.com').rejectUnauthorized, undefined).",
      };
      const unplaced = {
        line: 3,
        quote: 'Restart the status server before testing',
        kind: 'problem',
        problem: 'The server must be restarted.',
        fix: 'Add a restart step.',
      };
      const concrete = {
        line: lineWith(text, '### Step 3'),
        quote: 'Check the code that uses it',
        kind: 'problem',
        problem: 'The step does not say which names to search for, so a weak executor guesses.',
        fix: 'Name clientOptions and clientFetch, and say that clientFetch passes the options on unchanged.',
      };
      return json({ problems: round === 1 ? [concrete, unplaced, suggestion] : [unplaced, suggestion] });
    });
    text = planText(fixture, '001');

    const first = await runCliAsync(['review-plan', file, ...PLANNER], { cwd: fixture.dir, env });
    assert.equal(first.code, 1, `${first.stdout}\n${first.stderr}`);
    const step3 = lineWith(text, '### Step 3');
    const testPlan = lineWith(text, '## Test plan');
    assert.ok(
      first.stdout.startsWith(
        [
          `${file}: meets the quality bar.`,
          '',
          'Critique by the planner (anthropic:claude-sonnet-4-5), reading only the plan and its in-scope code:',
          `${file}:3: (quote not found in the plan) The server must be restarted. Fix: Add a restart step.`,
          `${file}:${step3}: The step does not say which names to search for, so a weak executor guesses. Fix: Name clientOptions and clientFetch, and say that clientFetch passes the options on unchanged.`,
          `${file}:${testPlan}: suggestion: The test case could name the exact assertion. Fix: Say: assert.equal(clientOptions('example.com').rejectUnauthorized, undefined).`,
          '1 concrete problem from the critique (suggestions, and problems whose quote is not in the plan, do not count).',
        ].join('\n'),
      ),
      first.stdout,
    );
    const second = await runCliAsync(['review-plan', file, ...PLANNER], { cwd: fixture.dir, env });
    assert.equal(second.code, 0, second.stdout);
    assert.match(second.stdout, /^0 concrete problems from the critique/m);

    const request = server.requests[0];
    assert.ok(request);
    assert.deepEqual(request.toolNames, [], 'the critic has no tools');
    assert.equal(request.messages.length, 1, 'a fresh conversation: one message');
    assert.ok(!request.all.includes('Repository brief'), 'no repository brief, only the plan and its code');
    assert.ok(request.all.includes('[REDACTED:github-token]'), 'the in-scope code was shown, redacted');
    noSecretSent(server.bodies);
    assert.deepEqual(ledgerTasks(fixture), ['critique:001', 'critique:001']);
    assert.equal(planText(fixture, '001'), text, 'review-plan without --fix writes nothing');
  });

  it('--fix writes a tightened plan with fewer problems, keeping id, status, front matter and the user’s notes', async (t) => {
    let plan = undefined as Parameters<typeof goodDraft>[0] | undefined;
    const { fixture, server, env, file, absolute } = await setup(t, (request) => {
      if (agentOf(request) === 'plan-critique') return json({ problems: [] });
      if (agentOf(request) === 'plan-fix' && plan) return readsFirst(request) ?? json(goodDraft(plan));
      return { text: 'unexpected' };
    });
    plan = fixture.plans[0];
    updatePlanStatus(fixture.plansDir, '001', { state: 'BLOCKED', reason: 'needs the CA bundle from ops' });
    const edited = planText(fixture, '001')
      .replace(/^status: /m, '# reviewed by Dana\nowner: dana\nstatus: ')
      .replace('## Why this matters\n\n', '## Why this matters\n\nAs discussed above, this is urgent.\n\n')
      .replace('- A change outside the', `- The deploy key ${PLAN_SECRET} stays in CI. A change outside the`)
      .concat('\n## Notes\n\nDana owns the CA bundle; ask her before merging.\n');
    writeFileSync(absolute, edited);
    const before = await reviewPlanFile(file, { cwd: fixture.dir });
    assert.equal(before.problems.length, 2, before.problems.map((p) => p.message).join('\n'));

    const run = await runCliAsync(['review-plan', file, '--fix', ...PLANNER], { cwd: fixture.dir, env });
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(
      run.stdout,
      new RegExp(
        `Fixed ${file.replaceAll('.', '\\.')}: problems from improve's checks 2 → 0; changed .*Why this matters.*STOP conditions`,
      ),
    );
    const fixed = readFileSync(absolute, 'utf8');
    assert.match(fixed, /^id: "001"$/m);
    assert.match(
      fixed,
      /^# reviewed by Dana\nowner: dana\nstatus: BLOCKED \(needs the CA bundle from ops\)$/m,
    );
    assert.match(fixed, /## Status\n\n\*\*BLOCKED\*\* — needs the CA bundle from ops\n/);
    assert.match(fixed, /^title: Turn certificate verification back on in src\/client\.js$/m);
    assert.ok(
      fixed.endsWith('## Notes\n\nDana owns the CA bundle; ask her before merging.\n'),
      'the user’s section is kept',
    );
    assert.ok(!fixed.includes('As discussed above') && !fixed.includes(PLAN_SECRET));
    assert.match(fixed, new RegExp(`sha: ${plan?.plannedAt.sha}`), 'the planned-at commit is kept');
    const index = readFileSync(path.join(fixture.plansDir, 'README.md'), 'utf8');
    assert.match(index, /\| 001 \| \[Turn certificate verification back on in src\/client\.js\]/);

    const after = await reviewPlanFile(file, { cwd: fixture.dir });
    assert.deepEqual(after.problems, []);
    assert.deepEqual(after.plan?.status, { state: 'BLOCKED', reason: 'needs the CA bundle from ops' });
    assert.ok(server.bodies.join('\n').includes('may hold credentials'), 'the .env read was refused');
    noSecretSent(server.bodies);
    assert.deepEqual(ledgerTasks(fixture), ['critique:001', 'fix:001', 'fix:001']);
  });

  it('--fix does not write a reply that is worse than the plan (a done criterion that proves nothing)', async (t) => {
    let plan = undefined as Parameters<typeof goodDraft>[0] | undefined;
    let text = '';
    const { fixture, env, file, absolute } = await setup(t, (request) => {
      if (agentOf(request) === 'plan-critique')
        return json({
          problems: [
            {
              line: lineWith(text, '### Step 3'),
              quote: 'Check the code that uses it',
              kind: 'problem',
              problem: 'Vague step.',
              fix: 'Name the functions.',
            },
          ],
        });
      if (agentOf(request) === 'plan-fix' && plan) return json(weakDraft(plan));
      return { text: 'unexpected' };
    });
    plan = fixture.plans[0];
    text = readFileSync(absolute, 'utf8');
    const session = createModelSession({
      roles: { planner: 'anthropic:claude-sonnet-4-5' },
      env: { ANTHROPIC_API_KEY: env.ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL: env.ANTHROPIC_BASE_URL },
      command: 'review-plan',
    });
    const result = await reviewPlanFile(file, { cwd: fixture.dir, model: session, fix: true });
    assert.deepEqual(result.problems, []);
    assert.equal(result.fix?.written, false);
    assert.equal(result.fix?.after, 1);
    assert.match(
      result.fix?.reason ?? '',
      /has 1 problem\(s\) from improve's checks and the original 0, so it was not written/,
    );
    assert.match(
      result.fix?.remaining[0]?.message ?? '',
      /every done criterion already passes on the planned-at code/,
    );
    assert.equal(readFileSync(absolute, 'utf8'), text, 'the plan file is untouched');
    assert.equal(reviewPlanExitCode(result), 1, 'the concrete critique problem still fails the review');
  });

  it('--fix without a model is exit 2, says how to configure one, and writes nothing; --dry-run estimates and calls nothing', async (t) => {
    const { fixture, server, env, file, absolute } = await setup(t, () => ({ text: 'unexpected' }));
    const text = readFileSync(absolute, 'utf8');
    const run = await runCliAsync(['review-plan', file, '--fix'], {
      cwd: fixture.dir,
      env: { IMPROVE_PLANNER: '' },
    });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /review-plan --fix needs a planner model, and none is configured/);
    assert.match(run.stderr, /--planner anthropic:claude-sonnet-4-5[\s\S]*IMPROVE_PLANNER/);
    assert.equal(readFileSync(absolute, 'utf8'), text);
    assert.equal(existsSync(path.join(fixture.dir, '.git/improve/ledger.jsonl')), false);

    const dry = await runCliAsync(['review-plan', file, '--fix', '--dry-run', ...PLANNER], {
      cwd: fixture.dir,
      env,
    });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      /Dry run: nothing was sent to a model and nothing was written\.[\s\S]*critique[\s\S]*fix \(only when a problem is found\)/,
    );
    assert.equal(server.requests.length, 0);
    assert.equal(readFileSync(absolute, 'utf8'), text);
  });
});
