import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { UsageError } from '../../src/core/errors.ts';
import { buildPlan } from '../../src/plans/build-plan.ts';
import { splitSections } from '../../src/plans/markdown.ts';
import { parsePlan } from '../../src/plans/parse-plan.ts';
import type { Plan } from '../../src/plans/plan.ts';
import { setPlanStatus } from '../../src/plans/plan-status.ts';
import { PLAN_SECTIONS, renderPlan } from '../../src/plans/render-plan.ts';
import { DATE, sampleFinding, sampleProfile } from './fixtures.ts';

const STEPS = [
  'Read the function around the catch block and find every caller of it.',
  'Replace the empty catch body with explicit handling: re-throw with context.',
  'Add a test that makes the guarded call fail.',
];

function basePlan(): Plan {
  return buildPlan({
    finding: sampleFinding(),
    profile: sampleProfile(),
    number: 3,
    date: DATE,
    steps: STEPS,
  });
}

/** A plan whose text is hostile to markdown: backticks, pipes, headings and fences in content. */
function awkwardPlan(): Plan {
  const plan = basePlan();
  plan.status = { state: 'BLOCKED', reason: 'waiting on (the) API decision' };
  plan.issue = 'https://github.com/acme/app/issues/7';
  plan.dependsOn = ['001', '002'];
  plan.currentState.push({
    file: 'docs/odd name.md',
    startLine: 10,
    endLine: 14,
    excerpt: '## Not a heading\n```js\ncode()\n```\n- not a bullet',
    language: 'markdown',
  });
  plan.commands.push({ purpose: 'Count | pipes', command: "grep -c 'a\\|b' `ls`", expected: 'exit 0' });
  plan.steps.push({
    title: 'A step with a code block',
    detail: 'Run this:\n\n```sh\n## still detail\nmake x\n```\n\nthen carry on.',
    verify: { run: 'echo `date` | grep -q .', expect: 'exit 0 and stdout empty' },
  });
  plan.stopConditions.push('A multi-line stop\nthat continues here.');
  plan.testPlan.note = 'A note about tests.';
  return plan;
}

function headings(markdown: string): string[] {
  return splitSections(markdown.split('\n'), 2)
    .slice(1)
    .map((section) => section.heading);
}

describe('plan render and parse', () => {
  it('round-trips a built plan', () => {
    const plan = basePlan();
    assert.deepEqual(parsePlan(renderPlan(plan), '003-x.md'), plan);
  });

  it('round-trips text that is hostile to markdown', () => {
    const plan = awkwardPlan();
    const markdown = renderPlan(plan);
    assert.deepEqual(parsePlan(markdown, '003-x.md'), plan);
    assert.ok(
      markdown.includes("| `` grep -c 'a\\\\|b' `ls` `` |"),
      'backticks get a longer code span, pipes are escaped',
    );
    assert.ok(
      markdown.includes('````markdown\n## Not a heading\n```js'),
      'the excerpt fence is longer than its content',
    );
  });

  it('round-trips a plan written without git', () => {
    const profile = sampleProfile({
      git: { available: false, reason: 'not a git repository', hotspots: [] },
    });
    const plan = buildPlan({ finding: sampleFinding(), profile, number: 1, date: DATE });
    assert.deepEqual(plan.driftCheck, { command: null, reason: 'not a git repository' });
    const markdown = renderPlan(plan);
    assert.match(markdown, /\*\*Drift check\*\*: unavailable — not a git repository/);
    assert.match(markdown, /compare the quoted lines with the file by eye/);
    assert.deepEqual(parsePlan(markdown), plan);
  });

  it('has every CONTRACT section, in order, once', () => {
    assert.deepEqual(headings(renderPlan(awkwardPlan())), [...PLAN_SECTIONS]);
  });

  it('writes the CONTRACT front matter fields', () => {
    const markdown = renderPlan(awkwardPlan());
    const yamlText = markdown.split('---\n')[1] ?? '';
    const data = parse(yamlText) as Record<string, unknown>;
    assert.deepEqual(Object.keys(data), [
      'id',
      'slug',
      'title',
      'status',
      'priority',
      'effort',
      'risk',
      'category',
      'depends_on',
      'planned_at',
      'scope',
      'done_criteria',
      'findings',
      'issue',
    ]);
    assert.equal(data.id, '003');
    assert.equal(data.status, 'BLOCKED (waiting on (the) API decision)');
    assert.deepEqual(data.depends_on, ['001', '002']);
    assert.deepEqual(data.planned_at, { sha: '0123456789abcdef0123456789abcdef01234567', date: DATE });
    assert.deepEqual(data.findings, ['F-1a2b3c4d']);
    assert.ok(!('issue' in (parse(renderPlan(basePlan()).split('---\n')[1] ?? '') as object)));
  });

  it('renders the drift check, Verify lines and the done checklist for an executor', () => {
    const markdown = renderPlan(basePlan());
    assert.match(
      markdown,
      /\*\*Drift check\*\*: `git diff --stat 0123456789abcdef0123456789abcdef01234567 -- 'src\/save\.ts' 'test\/save\.test\.ts'` → exit 0 and stdout empty/,
    );
    assert.match(markdown, /### Step 1: Confirm the current state\n/);
    assert.match(markdown, /\*\*Verify\*\*: `grep -n -F -- 'try \{' 'src\/save\.ts'` → stdout contains "2:"/);
    assert.match(markdown, /- \[ \] `npm test` → exit 0/);
    assert.match(markdown, /\| purpose \| command \| expected \|/);
    assert.match(markdown, /`src\/save\.ts:2-4`\n\n```ts\n {2}try \{/);
  });

  it('reports malformed files as UsageErrors naming the file and the problem', () => {
    const good = renderPlan(basePlan());
    const cases: [string, RegExp][] = [
      ['# just a heading\n', /003-bad\.md: no front matter/],
      ['---\nid: "003"\n', /003-bad\.md: front matter is not closed/],
      [good.replace('slug: ', 'slug: [unclosed\nx: '), /003-bad\.md: bad YAML in front matter at line \d+/],
      [good.replace(/^title: .*\n/m, ''), /003-bad\.md: front matter field "title" is missing/],
      [good.replace('status: TODO', 'status: SOMEDAY'), /003-bad\.md: front matter field "status" must be/],
      [good.replace('priority: P2', 'priority: P9'), /"priority" must be one of P1, P2, P3/],
      [
        good.replace('expect: exit 0', 'expect: it works'),
        /"done_criteria\[0\]\.expect" is not machine-checkable/,
      ],
      [
        good.replace(/\*\*Verify\*\*: .*\n/, ''),
        /003-bad\.md: step "Step 1: Confirm the current state" has no \*\*Verify\*\*/,
      ],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => parsePlan(text, '003-bad.md'),
        (error: unknown) => error instanceof UsageError && message.test(error.message),
        message.source,
      );
    }
  });

  it('names the YAML line of a syntax error as a line of the file', () => {
    const text = '---\nid: "003"\nslug: a\ntitle: "unterminated\n---\n';
    assert.throws(() => parsePlan(text, 'p.md'), /p\.md: bad YAML in front matter at line [2-5]/);
  });

  it('sets a status in place and keeps hand edits', () => {
    const edited = renderPlan(basePlan()).replace('## STOP conditions', 'My own note.\n\n## STOP conditions');
    const updated = setPlanStatus(edited, { state: 'DONE' }, '003-x.md');
    const plan = parsePlan(updated, '003-x.md');
    assert.deepEqual(plan.status, { state: 'DONE' });
    assert.match(updated, /## Status\n\n\*\*DONE\*\*\n\n## Why this matters/);
    assert.ok(updated.includes('My own note.'));
    assert.equal(updated.replace('status: DONE', 'status: TODO').replace('**DONE**', '**TODO**'), edited);
  });
});
