/**
 * Scripted planner answers for the TLS fixture's plan (test/helpers/execute-fixture.ts): a good
 * rewrite or fix draft, a critique, and the secrets planted in the repository and the plan, which
 * must never reach a model.
 */
import type { Plan } from '../../src/plans/plan.ts';
import { clientFile } from '../helpers/execute-fixture.ts';
import type { FakeRequest } from '../helpers/fake-llm.ts';

/** In the in-scope source file (after the cited lines, so nothing moves). */
export const SOURCE_SECRET = 'ghp_Q7XZ3LMN4PRS5TUVa1b2c3d4e5f6g7h8i9j0';
/** In a committed .env the planner may try to read. */
export const ENV_SECRET = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc9Xk2';
/** Planted in a plan file's text by hand. */
export const PLAN_SECRET = 'AKIAQ7XZ3LMN4PRS5TUV';

export const SECRET_FILES = {
  'src/client.js': `${clientFile('client')}export const STATUS_TOKEN = '${SOURCE_SECRET}';\n`,
  '.env': `STRIPE_KEY=${ENV_SECRET}\n`,
};

export const FLAG_LINE = '    rejectUnauthorized: false,';

/** A good draft for the fixture's plan: its own checks, a test, and the criterion that proves the fix. */
export function goodDraft(
  plan: Plan,
  why = 'clientOptions() turns certificate checks off, so anyone on the network path can impersonate the status server.',
) {
  const confirm = plan.steps[0]?.verify ?? { run: 'npm test', expect: 'exit 0' };
  const proving = plan.doneCriteria.find((criterion) => criterion.run.startsWith('!'));
  if (!proving) throw new Error('the fixture plan has no proving criterion');
  return {
    title: 'Turn certificate verification back on in src/client.js',
    why,
    currentState: [{ file: 'src/client.js', startLine: 7, endLine: 7, excerpt: FLAG_LINE }],
    scopeIn: [
      { path: 'src/client.js', reason: 'the flag to remove' },
      { path: 'test/client.test.js', reason: 'a test that keeps verification on' },
    ],
    scopeOut: [{ path: 'package.json', reason: 'no new dependency or script' }],
    steps: [
      {
        title: 'Confirm the current state',
        detail: 'Open `src/client.js` line 7: it must read `rejectUnauthorized: false,`. If not, STOP.',
        verify: confirm,
      },
      {
        title: 'Remove the flag',
        detail: 'Delete line 7 of `src/client.js` (`rejectUnauthorized: false,`) and nothing else.',
        verify: { run: proving.run, expect: 'exit 0' },
      },
      {
        title: 'Pin it with a test',
        detail:
          "In `test/client.test.js` add a test: `clientOptions('example.com').rejectUnauthorized` is `undefined`.",
        verify: { run: 'npm test', expect: 'exit 0' },
      },
    ],
    testCases: ["clientOptions('example.com').rejectUnauthorized is undefined"],
    doneCriteria: [
      { run: proving.run, expect: 'exit 0' },
      { run: 'npm test', expect: 'exit 0' },
    ],
    stopConditions: [
      'The drift check prints anything or fails: the code changed since this plan was written.',
      'A change outside the In scope list seems necessary.',
    ],
    maintenance: ['Keep certificate verification on for every new HTTPS request.'],
  };
}

/** The same draft with nothing that proves the fix: its only criterion already passes. */
export function weakDraft(plan: Plan) {
  return { ...goodDraft(plan), doneCriteria: [{ run: 'npm test', expect: 'exit 0' }] };
}

/** 1-based line of the first line of `text` that contains `needle`. */
export function lineWith(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

/** The planner's first turn: read the in-scope file and the .env (which must be refused). */
export function readsFirst(request: FakeRequest) {
  return request.turn === 0
    ? {
        toolCalls: [
          { name: 'read_lines', input: { path: 'src/client.js', start: 1, end: 20 } },
          { name: 'read_lines', input: { path: '.env', start: 1, end: 5 } },
        ],
      }
    : undefined;
}
