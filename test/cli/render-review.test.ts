import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderReview } from '../../src/cli/render-review.ts';
import type { CriterionResult, Review } from '../../src/execute/types.ts';

function review(...runs: string[]): Review {
  const criteria: CriterionResult[] = runs.map((run) => ({
    run,
    expect: 'exit 0',
    passed: true,
    exitCode: 0,
    timedOut: false,
    outputTail: '',
  }));
  return { verdict: 'APPROVE', reason: 'all pass', criteria, problems: [], diffStat: '' };
}

describe('the review evidence', () => {
  it('shows each done criterion it ran, and a very long one by its start and length', () => {
    const one = "python3 -c 'import ast' 'app/mod1.py'";
    const eight = Array.from(
      { length: 8 },
      (_, n) => `${one.replace('mod1', `mod${n + 1}`)} 'requests.get'`,
    ).join(' && ');
    const lines = renderReview(review(one, eight), { color: false });
    assert.equal(lines[0], `  ✓ \`${one}\` → exit 0   (got exit 0)`);
    assert.ok((lines[1]?.length ?? 0) < 320, lines[1]);
    assert.match(
      lines[1] ?? '',
      /^ {2}✓ `python3 -c 'import ast' 'app\/mod1\.py' 'requests\.get' && python3/,
    );
    assert.match(
      lines[1] ?? '',
      new RegExp(`… \\(${eight.length} characters: the plan's done criteria have it in full\\)\` → exit 0`),
    );
  });
});
