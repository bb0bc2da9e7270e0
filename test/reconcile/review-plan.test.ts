import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { reviewPlanFile } from '../../src/api/review-plan.ts';
import { runCliAsync } from '../helpers/cli-async.ts';
import { type PlannedRepo, plannedRepo, planText } from '../helpers/execute-fixture.ts';

function planPath(fixture: PlannedRepo): string {
  const name = readdirSync(fixture.plansDir).find((file) => file.startsWith('001-'));
  return path.join('plans', name ?? '');
}

/** 1-based line of the first line containing `text`. */
function lineWith(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

describe('improve review-plan', { concurrency: true }, () => {
  it('passes a plan written by the audit, and shows its done criterion failing on the planned-at code', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const result = await reviewPlanFile(planPath(fixture), { cwd: fixture.dir });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.baseline.map((criterion) => [criterion.run, criterion.passed]),
      [
        ["! grep -qF -- 'rejectUnauthorized: false,' 'src/client.js'", false],
        ['npm test', true],
      ],
    );
    const cli = await runCliAsync(['review-plan', planPath(fixture)], { cwd: fixture.dir });
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /meets the quality bar/);
    // By its number, as `execute 1` and `review 1` take it.
    const byNumber = await runCliAsync(['review-plan', '1'], { cwd: fixture.dir });
    assert.equal(byNumber.code, 0, byNumber.stderr);
    assert.match(byNumber.stdout, /^plans\/001-[\w-]+\.md: meets the quality bar\./m);
    const unknown = await runCliAsync(['review-plan', '7'], { cwd: fixture.dir });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no plan 007 in plans\//);
  });

  it('lists each problem of a bad plan with its line, and exits 1', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const file = planPath(fixture);
    let text = planText(fixture, '001')
      .replace('## Why this matters\n\n', '## Why this matters\n\nAs discussed above, this is urgent.\n\n')
      .replace(
        " 'src/client.js' 'test/client.test.js'` → exit 0 and stdout empty",
        " 'src/client.js'` → exit 0 and stdout empty",
      )
      .replace('```js\n    rejectUnauthorized: false,\n```', '```js\n    rejectUnauthorized: true,\n```')
      .replace(
        '**Verify**: `npm test` → exit 0\n\n### Step 4',
        '**Verify**: `npm test` → it works\n\n### Step 4',
      )
      .replace(
        '- A change outside the',
        '- The deploy key AKIAQ7XZ3LMN4PRS5TUV stays in CI. A change outside the',
      );
    text = text.slice(0, text.indexOf('## Maintenance notes'));
    writeFileSync(path.join(fixture.dir, file), text);

    const result = await reviewPlanFile(file, { cwd: fixture.dir });
    const problems = result.problems.map((problem) => `${problem.line}: ${problem.message}`);
    const expected = [
      `${lineWith(text, '# Plan 001')}: the section "## Maintenance notes" is missing`,
      `${lineWith(text, '**Drift check**')}: the drift check covers src/client.js but the in-scope list is src/client.js, test/client.test.js`,
      `${lineWith(text, 'As discussed above')}: "As discussed above" refers to context the executor does not have: say it in the plan`,
      `${lineWith(text, '`src/client.js:7-7`')}: the excerpt of src/client.js:7-7 is not the code at ${fixture.plans[0]?.plannedAt.sha?.slice(0, 12)}`,
      `${lineWith(text, '### Step 3')}: the Verify line of "Step 3: Check the code that uses it" has an expected result that is not machine-checkable`,
      `${lineWith(text, 'AKIAQ7XZ3LMN4PRS5TUV')}: a credential value (aws-access-key-id) appears in the plan: redact it`,
    ];
    for (const line of expected) {
      assert.ok(
        problems.some((problem) => problem.startsWith(line)),
        `expected "${line}" among:\n${problems.join('\n')}`,
      );
    }
    const cli = await runCliAsync(['review-plan', file], { cwd: fixture.dir });
    assert.equal(cli.code, 1);
    assert.match(
      cli.stdout,
      new RegExp(
        `^${file.replace(/[.]/g, '\\.')}:${lineWith(text, 'As discussed above')}: "As discussed above"`,
        'm',
      ),
    );
    assert.match(cli.stdout, /^6 problems\.$/m);
    assert.ok(!cli.stdout.includes('AKIAQ7XZ3LMN4PRS5TUV'), 'the secret is not echoed');
  });

  it('fails a plan whose done criteria already pass on the planned-at code', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const file = planPath(fixture);
    const weak = planText(fixture, '001')
      .replaceAll("! grep -qF -- 'rejectUnauthorized: false,' 'src/client.js'", 'test -f src/client.js')
      .replaceAll('"test -f src/client.js"', 'test -f src/client.js');
    writeFileSync(path.join(fixture.dir, file), weak);
    const result = await reviewPlanFile(file, { cwd: fixture.dir });
    assert.deepEqual(
      result.problems.map((problem) => [problem.line, problem.message.slice(0, 60)]),
      [[lineWith(weak, '## Done criteria'), 'every done criterion already passes on the planned-at code (']],
    );
  });

  it('reports a file that is not a plan at line 1', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    writeFileSync(path.join(fixture.dir, 'notes.md'), '# Notes\n\nNothing here.\n');
    const result = await reviewPlanFile('notes.md', { cwd: fixture.dir });
    assert.ok(
      result.problems.some((problem) => problem.line === 1 && /no front matter/.test(problem.message)),
    );
    assert.ok(result.problems.some((problem) => /"## Steps" is missing/.test(problem.message)));
  });
});
