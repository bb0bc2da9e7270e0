/** A scripted planner for the shop fixture: audits, vets and plans it the way a good model would. */
import type { FakeReply, FakeRequest } from '../helpers/fake-llm.ts';
import { agentOf, candidateAbout, candidateIds, clusterOf, json } from '../helpers/llm-script.ts';
import { OFF_BY_ONE_LINE } from './fixture-shop.ts';

export const OFF_BY_ONE = {
  title: 'total() skips the first item',
  category: 'correctness',
  file: 'src/cart.js',
  startLine: 3,
  endLine: 3,
  quote: OFF_BY_ONE_LINE.trim(),
  message: 'The loop starts at index 1, so the first item is never added to the total.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'LOW',
  riskReason: 'A one-character change covered by a new test.',
  confidence: 'HIGH',
  fixSketch: 'Start the loop at 0.',
};
export const STYLE_NIT = {
  ...OFF_BY_ONE,
  title: 'count() could be inlined',
  startLine: 7,
  endLine: 9,
  quote: 'export function count(items) {',
  message: 'count() only wraps items.length.',
  impact: 'LOW',
  confidence: 'LOW',
};
const HALLUCINATED_FILE = {
  ...OFF_BY_ONE,
  title: 'Payment retries are unbounded',
  file: 'src/payments.js',
  quote: 'while (true) retry();',
};
const HALLUCINATED_LINE = {
  ...OFF_BY_ONE,
  title: 'Discounts are applied twice',
  quote: 'sum = applyDiscount(applyDiscount(sum));',
};

export function planDraft(excerpt: string) {
  return {
    title: 'Count the first item in total()',
    why: 'Every order total is short by the price of its first item: customers are undercharged.',
    currentState: [{ file: 'src/cart.js', startLine: 3, endLine: 3, excerpt }],
    scopeIn: [
      { path: 'src/cart.js', reason: 'the loop to fix' },
      { path: 'test/cart.test.js', reason: 'a test for total()' },
    ],
    steps: [
      {
        title: 'Start the loop at 0',
        detail: 'In `total`, change `let i = 1` to `let i = 0`.',
        verify: { run: 'npm test', expect: 'exit 0' },
      },
      {
        title: 'Test total()',
        detail: 'Add a test: total of two items with prices 1 and 2 is 3.',
        verify: { run: 'npm test', expect: 'exit 0' },
      },
    ],
    testCases: ['total([{price: 1}, {price: 2}]) is 3'],
    doneCriteria: [{ run: 'npm test', expect: 'exit 0' }],
    stopConditions: ['total() is used somewhere that relies on skipping the first item.'],
    maintenance: ['Keep the test for total().'],
  };
}

/** A planner that audits, vets and plans the shop the way a good model would. */
export function shopPlanner(
  options: { inventExcerptOnce?: boolean } = {},
): (request: FakeRequest) => FakeReply {
  let invented = false;
  return (request) => {
    const usage = { input: 1000, output: 200, cacheRead: 3000, cacheWrite: 500 };
    switch (agentOf(request)) {
      case 'auditor': {
        if (!clusterOf(request).startsWith('correctness')) return json({ findings: [] }, usage);
        if (request.turn === 0)
          return {
            toolCalls: [
              { name: 'read_lines', input: { path: 'src/cart.js', start: 1, end: 20 } },
              { name: 'read_lines', input: { path: '.env', start: 1, end: 5 } },
              { name: 'search_text', input: { text: 'AWS_ACCESS' } },
            ],
            usage,
          };
        return json({ findings: [OFF_BY_ONE, STYLE_NIT, HALLUCINATED_FILE, HALLUCINATED_LINE] }, usage);
      }
      case 'vet': {
        const nit = candidateAbout(request, 'count() could be inlined');
        return json(
          {
            verdicts: candidateIds(request).map((id) =>
              id === nit
                ? { id, verdict: 'reject', reason: 'A one-line wrapper is fine; not worth a plan.' }
                : { id, verdict: 'confirm', reason: 'The loop really starts at 1.' },
            ),
          },
          usage,
        );
      }
      case 'plan': {
        if (!request.all.includes(OFF_BY_ONE.title)) return json({ title: 'nothing to say' }, usage);
        if (options.inventExcerptOnce && !invented) {
          invented = true;
          return json(planDraft('  for (const item of items) sum += item.price;'), usage);
        }
        return json(planDraft(OFF_BY_ONE_LINE), usage);
      }
      default:
        return { text: 'unexpected request' };
    }
  };
}
