import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPlan } from '../../src/plans/build-plan.ts';
import { INDEX_MARKER, type IndexInput, parseIndex, renderIndex } from '../../src/plans/index-file.ts';
import { DATE, SHA, sampleFinding, sampleProfile } from './fixtures.ts';

function input(overrides: Partial<IndexInput> = {}): IndexInput {
  const first = buildPlan({ finding: sampleFinding(), profile: sampleProfile(), number: 1, date: DATE });
  const second = buildPlan({
    finding: sampleFinding({ id: 'F-99999999', title: 'SQL built from | user [input]', impact: 'HIGH' }),
    profile: sampleProfile(),
    number: 2,
    date: DATE,
    dependsOn: ['001'],
  });
  return {
    plans: [first, second],
    rejected: [
      {
        findingId: 'F-0000aaaa',
        ruleId: 'security/eval',
        title: 'eval of input',
        reason: 'test fixture only',
      },
    ],
    runSummary: { date: DATE, sha: SHA, findings: 7, planned: 2, rejected: 1, level: 'standard' },
    selectionNote:
      'No TTY: the top 5 findings by leverage were planned by default (--select/--top to choose)',
    nextNumber: 3,
    ...overrides,
  };
}

describe('plans index', () => {
  it('renders the marker, status table, order, selection, rejections, run summary and next number', () => {
    const text = renderIndex(input());
    assert.ok(text.includes(INDEX_MARKER));
    assert.match(text, /\| # \| plan \| status \| priority \| effort \| risk \| category \| depends on \|/);
    assert.match(
      text,
      /\| 001 \| \[Error swallowed .*\]\(001-error-swallowed-.*-save\.md\) \| TODO \| P2 \| S \| LOW \| correctness \| — \|/,
    );
    assert.match(
      text,
      /\| 002 \| \[SQL built from \\\| user \\\[input\\\] in src\/save\.ts\]\(002-[a-z0-9-]+\.md\) \| TODO \| P1 .* \| 001 \|/,
    );
    assert.match(text, /Suggested order: 001 → 002\./);
    assert.match(text, /- 002 depends on 001: finish 001 first\./);
    assert.match(text, /No TTY: the top 5 findings by leverage were planned by default/);
    assert.match(text, /- `F-0000aaaa` \(security\/eval\) eval of input — test fixture only/);
    assert.match(text, /- commit: 0123456789abcdef/);
    assert.match(text, /- cost: no model used: \$0\.00/);
    assert.match(text, /next number: 3/);
    assert.deepEqual(parseIndex(text), {
      ours: true,
      rejected: [
        {
          findingId: 'F-0000aaaa',
          ruleId: 'security/eval',
          title: 'eval of input',
          reason: 'test fixture only',
        },
      ],
      nextNumber: 3,
      problems: [],
    });
  });

  it('keeps a user’s notes and reads hand-added rejections from anywhere', () => {
    const original = renderIndex(input());
    const edited = original
      .replace('# Improvement plans', '# Improvement plans\n\nMy team note: do 002 before Friday.')
      .concat('\n## Our own rejections\n\n- `F-bbbb1111` (perf/n-plus-one) Loop query — batch job, fine\n');
    const parsed = parseIndex(edited);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.rejected.map((r) => [r.findingId, r.ruleId, r.title, r.reason]),
      [
        ['F-0000aaaa', 'security/eval', 'eval of input', 'test fixture only'],
        ['F-bbbb1111', 'perf/n-plus-one', 'Loop query', 'batch job, fine'],
      ],
    );
    const rewritten = renderIndex(input({ nextNumber: 9, selectionNote: null, runSummary: null }), edited);
    assert.ok(rewritten.includes('My team note: do 002 before Friday.'));
    assert.ok(rewritten.includes('- `F-bbbb1111` (perf/n-plus-one) Loop query — batch job, fine'));
    assert.match(rewritten, /next number: 9/);
    assert.match(rewritten, /No TTY: the top 5/, 'a null selection note keeps the previous one');
    assert.match(
      rewritten,
      /- findings: 7 \(planned 2, rejected 1\)/,
      'a null run summary keeps the previous one',
    );
    assert.equal(renderIndex(input(), rewritten.replace('next number: 9', 'next number: 3')), edited);
  });

  it('reports broken markers as problems and never guesses around them', () => {
    const text = renderIndex(input());
    const cases: [string, RegExp][] = [
      [text.replace('<!-- improve:end status -->', ''), /region "selection" begins inside region "status"/],
      [text.replace('<!-- improve:begin rejected -->', ''), /region "rejected" ends but never began/],
      [text.replace(INDEX_MARKER, ''), /marker <!-- improve:index v1 --> is missing/],
      [
        text.replace('<!-- improve:end run -->', '<!-- improve:end order -->'),
        /region "run" is closed by "order"/,
      ],
    ];
    for (const [broken, problem] of cases) {
      const parsed = parseIndex(broken);
      assert.equal(parsed.ours, true);
      assert.ok(
        parsed.problems.some((p) => problem.test(p)),
        `${problem.source}: ${parsed.problems.join('; ')}`,
      );
      assert.equal(parsed.nextNumber, 3, 'the next number is still read');
    }
  });

  it('says a README without any improve marker is not ours', () => {
    const parsed = parseIndex('# Project plans\n\nQuarterly roadmap.\n');
    assert.deepEqual(parsed, { ours: false, rejected: [], problems: [] });
  });
});
