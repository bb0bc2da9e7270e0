import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { executePlan } from '../../src/api/execute.ts';
import { loadPlans } from '../../src/plans/store.ts';
import {
  ADD_TEST,
  COMMIT,
  correctFix,
  DROP_FLAG,
  type PlannedRepo,
  plannedRepo,
  planText,
  processRunning,
  report,
  script,
  userState,
} from '../helpers/execute-fixture.ts';
import { git } from '../helpers/repo.ts';

const CITED = 'FILE=src/client.js';

const FAST = { criteriaTimeoutSeconds: 30, timeoutSeconds: 30 };

async function run(fixture: PlannedRepo, command: string, extra: Record<string, unknown> = {}) {
  return executePlan('1', { cwd: fixture.dir, executor: 'cmd', cmd: command, ...FAST, ...extra });
}

describe('improve execute with a cmd executor', { concurrency: true }, () => {
  it('approves a correct patch, records DONE with the branch, and leaves the user’s tree alone', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const before = userState(fixture.dir);
    const result = await run(fixture, script(fixture, 'correct', correctFix()));

    assert.equal(result.verdict, 'APPROVE', JSON.stringify(result.review, null, 2));
    assert.equal(result.rounds.length, 1);
    assert.deepEqual(
      result.review?.criteria.map((c) => [c.run, c.passed, c.exitCode]),
      [
        ["! grep -qF -- 'rejectUnauthorized: false,' 'src/client.js'", true, 0],
        ['npm test', true, 0],
      ],
    );
    assert.deepEqual(result.review?.rule, { ruleId: 'security/tls-verification-disabled', still: [] });
    assert.equal(result.status.state, 'DONE');
    assert.equal(result.status.reason, 'approved, not merged yet');
    assert.equal(userState(fixture.dir), before, 'working tree, index and branches are untouched');

    const log = git(fixture.dir, 'log', '--format=%s', `${result.base}..${result.branch}`);
    assert.equal(log.trim(), 'Verify TLS certificates', 'the executor’s commit is on the improve branch');
    assert.match(readFileSync(path.join(fixture.dir, 'src/client.js'), 'utf8'), /rejectUnauthorized: false/);

    const text = planText(fixture, '001');
    assert.match(text, /^status: "?DONE \(approved, not merged yet\)"?$/m);
    assert.match(
      text,
      /^execution:\n {2}branch: improve\/001-tls-certificate-verification-disabled-client\n {2}worktree: \.git\/improve\/worktrees\/001-/m,
    );
    const index = readFileSync(path.join(fixture.plansDir, 'README.md'), 'utf8');
    assert.match(index, /\| 001 \| .* \| DONE \(approved, not merged yet\) · branch `improve\/001-/);
    assert.equal(loadPlans(fixture.plansDir).plans[0]?.execution?.base, result.base);
  });

  it('sends an out-of-scope edit back, then blocks it, and --clean removes the attempt', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const command = script(
      fixture,
      'out-of-scope',
      [CITED, DROP_FLAG, 'echo "more docs" >> README.md', report('DONE', 'src/client.js, README.md')].join(
        '\n',
      ),
    );
    const result = await run(fixture, command, { clean: true });

    assert.equal(result.rounds.length, 3, 'the first attempt and two revisions');
    assert.equal(result.rounds[0]?.review?.verdict, 'REVISE');
    assert.deepEqual(result.rounds[0]?.review?.scope?.outside, [{ path: 'README.md', change: 'modified' }]);
    assert.match(
      result.rounds[0]?.review?.problems.join('\n') ?? '',
      /`README\.md` \(modified\) is not on the in-scope list/,
    );
    assert.equal(result.verdict, 'BLOCK');
    assert.match(
      result.status.reason ?? '',
      /still not approved after 3 rounds: 1 changed path\(s\) out of scope/,
    );
    assert.equal(result.cleaned, true);
    assert.ok(!existsSync(result.worktree), 'the blocked worktree is gone');
    assert.equal(git(fixture.dir, 'branch', '--list', 'improve/*').trim(), '', 'and its branch');
    assert.equal(loadPlans(fixture.plansDir).plans[0]?.status.state, 'BLOCKED');
  });

  it('sends back a change that only lays the flagged code out anew: the rule still reports it', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    // The done check looks for the cited line; spacing it differently passes that check.
    const command = script(
      fixture,
      'respace',
      [
        CITED,
        'sed "s/rejectUnauthorized: false,/rejectUnauthorized:  false,/" "$FILE" > "$FILE.new" && mv "$FILE.new" "$FILE"',
        COMMIT.replace('$1', 'Tidy the options'),
        report('DONE', 'src/client.js, test/client.test.js'),
      ].join('\n'),
    );
    const result = await run(fixture, command, { maxRevisions: 0 });

    const review = result.rounds[0]?.review;
    assert.ok(review?.criteria[0]?.passed, 'the line-based done check is fooled');
    assert.deepEqual(
      review?.rule?.still.map((item) => [item.file, item.line]),
      [['src/client.js', 7]],
    );
    assert.equal(result.verdict, 'BLOCK');
    assert.match(review?.problems.join('\n') ?? '', /still reports .* at `src\/client\.js:7`/);
    assert.match(result.status.reason ?? '', /its rule still reports the problem/);
  });

  it('fails the test audit when the new test asserts nothing', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const command = script(
      fixture,
      'no-assert',
      [
        CITED,
        DROP_FLAG,
        'printf \'\\ntest("clientOptions runs", () => {\\n  clientOptions("example.com");\\n});\\n\' >> test/client.test.js',
        COMMIT.replace('$1', 'Add a test'),
        report('DONE', 'src/client.js, test/client.test.js'),
      ].join('\n'),
    );
    const result = await run(fixture, command, { maxRevisions: 0 });

    const review = result.rounds[0]?.review;
    assert.ok(
      review?.criteria.every((c) => c.passed),
      'the criteria pass; only the test audit fails',
    );
    assert.equal(review?.tests?.passed, false);
    assert.deepEqual(
      review?.tests?.problems.map((p) => [p.file, p.line]),
      [['test/client.test.js', 9]],
    );
    assert.equal(result.verdict, 'BLOCK');
    assert.match(result.status.reason ?? '', /1 test\(s\) assert nothing useful/);
  });

  it('approves in round 2 when the executor fixes what the REVISE feedback names', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const feedbackCopy = path.join(fixture.scripts, 'feedback.txt');
    const command = script(
      fixture,
      'break-then-fix',
      [
        CITED,
        'if [ "$IMPROVE_ROUND" = "1" ]; then',
        '  echo "export const broken = ;" >> "$FILE"',
        `  ${DROP_FLAG}`,
        '  echo "STATUS: DONE"; echo "STEPS COMPLETED: 1-5"; echo "FILES CHANGED: src/client.js"',
        'else',
        `  printf '%s' "$IMPROVE_FEEDBACK" > ${feedbackCopy}`,
        '  grep -v "export const broken" "$FILE" > "$FILE.new" && mv "$FILE.new" "$FILE"',
        '  NAME=client',
        ADD_TEST,
        `  ${COMMIT.replace('$1', 'Verify certificates')}`,
        `  ${report('DONE', 'src/client.js')}`,
        'fi',
      ].join('\n'),
    );
    const result = await run(fixture, command);

    assert.deepEqual(
      result.rounds.map((round) => round.review?.verdict),
      ['REVISE', 'APPROVE'],
    );
    const first = result.rounds[0]?.review;
    assert.deepEqual(
      first?.criteria.map((c) => [c.run, c.passed]),
      [
        ["! grep -qF -- 'rejectUnauthorized: false,' 'src/client.js'", true],
        ['npm test', false],
      ],
    );
    assert.match(first?.criteria[1]?.outputTail ?? '', /ℹ fail 1/, 'the evidence keeps the output tail');
    const feedback = readFileSync(feedbackCopy, 'utf8');
    assert.match(feedback, /Done criterion `npm test` must give "exit 0" but exited 1/);
    const prompt = readFileSync(result.promptFile, 'utf8');
    assert.match(prompt, /## Reviewer feedback \(round 2\)/);
    assert.equal(result.verdict, 'APPROVE');
    assert.equal(result.status.state, 'DONE');
  });

  it('blocks with the executor’s reason when it reports STOPPED, without running the checks', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const command = script(
      fixture,
      'stopped',
      report('STOPPED', 'none', 'the fix seems to need a new dependency (a certificate bundle)'),
    );
    const result = await run(fixture, command);
    assert.equal(result.rounds.length, 1);
    assert.equal(result.verdict, 'BLOCK');
    assert.deepEqual(result.review?.criteria, []);
    assert.equal(
      result.status.reason,
      'the executor reported STOPPED: the fix seems to need a new dependency (a certificate bundle)',
    );
    assert.equal(loadPlans(fixture.plansDir).plans[0]?.status.state, 'BLOCKED');
    assert.ok(existsSync(result.worktree), 'without --clean the attempt is kept for inspection');
  });

  it('ends a hanging executor and everything it started at the timeout, and reports it', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const pidFile = path.join(fixture.scripts, 'child.pid');
    const command = script(fixture, 'hang', `sleep 300 &\necho $! > ${pidFile}\nsleep 300`);
    const started = Date.now();
    const result = await run(fixture, command, { timeoutSeconds: 1 });

    assert.ok(Date.now() - started < 10_000, 'not waited on for long');
    assert.equal(result.rounds[0]?.run.timedOut, true);
    assert.equal(result.verdict, 'BLOCK');
    assert.equal(result.status.reason, 'the executor did not finish within 1 s and was stopped');
    const child = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(processRunning(child), false, 'the background child was ended with the group');
  });
});
