import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { executePlan } from '../../src/api/execute.ts';
import { UsageError } from '../../src/core/errors.ts';
import { correctFix, plannedRepo, planText, script, userState } from '../helpers/execute-fixture.ts';
import { git, tempDir, writeTree } from '../helpers/repo.ts';

/** A refusal: exit 2, the message and the hint say what and what to do. */
function refusal(message: RegExp, hint?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof UsageError, String(error));
    assert.equal(error.exitCode, 2);
    assert.match(error.message, message);
    if (hint) assert.match(error.hint ?? '', hint);
    return true;
  };
}

describe('improve execute refuses with exit 2, says what to do, and writes nothing', {
  concurrency: true,
}, () => {
  it('outside a git repository', async (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writeTree(temp.dir, { 'plans/README.md': '# notes\n' });
    await assert.rejects(
      executePlan('1', { cwd: temp.dir }),
      refusal(/is not inside a git repository: improve execute needs one/, /git init/),
    );
  });

  it('for an unknown plan or a PLAN that is neither a number nor a plan file', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    await assert.rejects(
      executePlan('7', { cwd: fixture.dir }),
      refusal(/no plan 007 in plans\//, /Plans here: 001/),
    );
    await assert.rejects(
      executePlan('plans/nothing.md', { cwd: fixture.dir }),
      refusal(/PLAN must be a plan number \(3 or 003\) or an existing plan file/),
    );
  });

  it('while a dependency is not DONE', async (t) => {
    const fixture = await plannedRepo(['admin', 'client'], { 2: ['001'] });
    t.after(fixture.dispose);
    const before = userState(fixture.dir);
    const plan = planText(fixture, '002');
    await assert.rejects(
      executePlan('2', { cwd: fixture.dir }),
      refusal(/plan 002 depends on plan 001, which is TODO, not DONE/, /improve execute 1/),
    );
    assert.equal(userState(fixture.dir), before);
    assert.equal(planText(fixture, '002'), plan, 'the plan is untouched');
    assert.equal(git(fixture.dir, 'branch', '--list', 'improve/*'), '', 'no branch was created');
  });

  it('when the in-scope files drifted since the plan was written, unless --force', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const file = path.join(fixture.dir, 'src/client.js');
    writeFileSync(file, `// status client\n${readFileSync(file, 'utf8')}`);
    git(fixture.dir, 'commit', '-qam', 'docs: header');
    await assert.rejects(
      executePlan('1', { cwd: fixture.dir }),
      refusal(
        /plan 001 has drifted: src\/client\.js changed since [0-9a-f]{12}/,
        /improve reconcile.*--force/,
      ),
    );
    const forced = await executePlan('1', { cwd: fixture.dir, force: true });
    assert.equal(forced.handedOff, true);
    assert.equal(forced.drift.drifted, true, 'the result says the drift was overridden');
  });

  it('for the builtin executor when no model is configured', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    await assert.rejects(
      executePlan('1', { cwd: fixture.dir, executor: 'builtin' }),
      refusal(/the builtin executor runs on a model, and no executor model is configured/, /handoff, cmd/),
    );
    await assert.rejects(
      executePlan('1', { cwd: fixture.dir, executor: 'cmd' }),
      refusal(/the cmd executor needs a command: pass --cmd "COMMAND"/),
    );
    await assert.rejects(
      executePlan('1', { cwd: fixture.dir, executor: 'handoff', cmd: 'true' }),
      refusal(/--cmd only goes with --executor cmd/),
    );
    assert.equal(git(fixture.dir, 'branch', '--list', 'improve/*'), '');
  });

  it('when an earlier attempt exists (until --clean), and when the plan is already DONE', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    await executePlan('1', { cwd: fixture.dir });
    await assert.rejects(
      executePlan('1', { cwd: fixture.dir }),
      refusal(
        /plan 001 \(IN PROGRESS\) already has an attempt: worktree \.git\/improve\/worktrees\/001-/,
        /improve review 1.*improve execute 1 --clean/,
      ),
    );
    const fixed = await executePlan('1', {
      cwd: fixture.dir,
      clean: true,
      executor: 'cmd',
      cmd: script(fixture, 'fix', correctFix()),
    });
    assert.equal(fixed.verdict, 'APPROVE');
    await assert.rejects(executePlan('1', { cwd: fixture.dir }), refusal(/plan 001 is already DONE/));
  });
});
