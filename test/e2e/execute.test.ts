import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCliAsync } from '../helpers/cli-async.ts';
import {
  addTestByHand,
  correctFix,
  plannedRepo,
  planText,
  script,
  userState,
} from '../helpers/execute-fixture.ts';
import { GIT_ENV, git } from '../helpers/repo.ts';

function worktreeOf(dir: string): string {
  const root = path.join(dir, '.git/improve/worktrees');
  const [name] = readdirSync(root);
  assert.ok(name, 'a worktree exists');
  return path.join(root, name);
}

describe('improve execute from the command line', { concurrency: true }, () => {
  it('refuses with exit 2 and a hint: unknown plan, builtin without a model, missing agent CLI', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const [unknown, builtin, claude, bogus] = await Promise.all([
      runCliAsync(['execute', '7'], { cwd: fixture.dir }),
      runCliAsync(['execute', '1', '--executor', 'builtin'], { cwd: fixture.dir }),
      runCliAsync(['execute', '1', '--executor', 'claude'], {
        cwd: fixture.dir,
        env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` },
      }),
      runCliAsync(['execute', '1', '--executor', 'bogus'], { cwd: fixture.dir }),
    ]);
    assert.equal(bogus.code, 2, bogus.stderr);
    assert.match(bogus.stderr, /unknown executor "bogus"; choose one of: .*cmd.*, builtin \(on a model\)/);
    assert.equal(unknown.code, 2, unknown.stderr);
    assert.match(unknown.stderr, /error: no plan 007 in plans\/\nhint: Plans here: 001/);
    assert.equal(builtin.code, 2, builtin.stderr);
    assert.match(builtin.stderr, /the builtin executor runs on a model, and no executor model is configured/);
    assert.equal(claude.code, 2, claude.stderr);
    assert.match(
      claude.stderr,
      /claude is not installed \(not found on PATH\)\. Install it with `npm install -g/,
    );
    assert.equal(git(fixture.dir, 'branch', '--list', 'improve/*'), '', 'nothing was started');
  });
  it('hands off by default, then `review` approves work done by hand and explains how to merge', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    writeFileSync(path.join(fixture.dir, 'test/client.test.js'), '// work in progress\n', { flag: 'a' });
    const before = userState(fixture.dir);
    const handoff = await runCliAsync(['execute', '001'], { cwd: fixture.dir });
    assert.equal(handoff.code, 0, handoff.stderr);
    assert.match(handoff.stderr, /your uncommitted changes to test\/client\.test\.js are not in the attempt/);
    assert.match(handoff.stdout, /Plan 001 is ready for you \(status: IN PROGRESS\)/);
    assert.match(handoff.stdout, /prompt: {3}.*\.git\/improve\/runs\/001-.*\.prompt\.md/);
    assert.match(handoff.stdout, /improve review 1$/m);
    const worktree = worktreeOf(fixture.dir);
    const prompt = readFileSync(
      path.join(fixture.dir, '.git/improve/runs', `${path.basename(worktree)}.prompt.md`),
      'utf8',
    );
    assert.match(prompt, /=== PLAN 001 BEGIN ===\n---\nid: "001"/);
    assert.match(prompt, /STATUS: DONE \| STOPPED \| BLOCKED/);
    // The plan inside tells a person to switch to a branch and run the drift check first; the
    // rules above it say that improve has done both.
    assert.match(
      prompt,
      /^Rules \(where the plan itself says to create or switch a branch, or to run its drift check first, these rules replace it/m,
    );
    assert.match(prompt, /git switch -c improve\/001-/);
    assert.match(planText(fixture, '001'), /^status: IN PROGRESS$/m);

    const notYet = await runCliAsync(['review', '1'], { cwd: fixture.dir });
    assert.equal(notYet.code, 1);
    assert.match(
      notYet.stdout,
      /✗ `! grep -qF -- 'rejectUnauthorized: false,' 'src\/client\.js'` → exit 0 {3}\(got exit 1\)/,
    );
    assert.match(notYet.stdout, /Verdict: REVISE/);
    assert.match(notYet.stdout, /stays IN PROGRESS/);

    const file = path.join(worktree, 'src/client.js');
    writeFileSync(file, readFileSync(file, 'utf8').replace('    rejectUnauthorized: false,\n', ''));
    // The fix alone is sent back: the plan asks for a test too.
    const untested = await runCliAsync(['review', '1'], { cwd: fixture.dir, env: GIT_ENV });
    assert.equal(untested.code, 1);
    assert.match(
      untested.stdout,
      /No test changed, though the plan asks for one in `test\/client\.test\.js`/,
    );
    addTestByHand(worktree);
    const review = await runCliAsync(['review', '1'], { cwd: fixture.dir, env: GIT_ENV });
    assert.equal(review.code, 0, review.stdout + review.stderr);
    assert.match(review.stdout, /Verdict: APPROVE/);
    assert.match(review.stdout, /improve committed the uncommitted work in the worktree/);
    assert.match(review.stdout, /git merge improve\/001-tls-certificate-verification-disabled-client/);
    assert.match(review.stdout, /improve never merges/);
    assert.match(planText(fixture, '001'), /^status: "?DONE \(approved, not merged yet\)"?$/m);
    assert.equal(userState(fixture.dir), before, 'the user’s tree, index and branches are untouched');
  });

  it('reviews with the dependencies installed in the checkout: the worktree resolves them from there', async (t) => {
    const fixture = await plannedRepo(
      ['client'],
      {},
      {
        '.gitignore': 'node_modules/\n',
        'test/format.test.js': [
          "import assert from 'node:assert/strict';",
          "import { test } from 'node:test';",
          "import { shout } from 'shout-lib';",
          "test('shouts', () => assert.equal(shout('a'), 'A!'));",
          '',
        ].join('\n'),
      },
    );
    t.after(fixture.dispose);
    // Installed in the user's checkout, ignored by git: never copied into the worktree.
    const lib = path.join(fixture.dir, 'node_modules/shout-lib');
    mkdirSync(lib, { recursive: true });
    writeFileSync(
      path.join(lib, 'package.json'),
      '{ "name": "shout-lib", "type": "module", "main": "index.js" }\n',
    );
    writeFileSync(path.join(lib, 'index.js'), 'export const shout = (s) => `${s.toUpperCase()}!`;\n');
    assert.equal((await runCliAsync(['execute', '1'], { cwd: fixture.dir })).code, 0);
    const worktree = worktreeOf(fixture.dir);
    assert.ok(!readdirSync(worktree).includes('node_modules'));
    const file = path.join(worktree, 'src/client.js');
    writeFileSync(file, readFileSync(file, 'utf8').replace('    rejectUnauthorized: false,\n', ''));
    addTestByHand(worktree);
    const review = await runCliAsync(['review', '1'], { cwd: fixture.dir, env: GIT_ENV });
    assert.match(review.stdout, /✓ `npm test` → exit 0/);
    assert.equal(review.code, 0, review.stdout + review.stderr);
  });

  it('reviews against the worktree’s own workspace packages, not the copies in the user’s checkout', async (t) => {
    const fixture = await plannedRepo(
      ['client'],
      {},
      {
        '.gitignore': 'node_modules/\n',
        'package.json': `${JSON.stringify(
          {
            name: 'status-client',
            version: '1.0.0',
            type: 'module',
            workspaces: ['packages/*'],
            scripts: { test: 'node --test' },
          },
          null,
          2,
        )}\n`,
        'packages/format/package.json':
          '{ "name": "@acme/format", "type": "module", "exports": "./index.js" }\n',
        'packages/format/index.js': 'export const shout = (s) => `${s.toUpperCase()}!`;\n',
        'test/format.test.js': [
          "import assert from 'node:assert/strict';",
          "import { test } from 'node:test';",
          "import { shout } from '@acme/format';",
          "test('shouts', () => assert.equal(shout('a'), 'A!'));",
          '',
        ].join('\n'),
      },
    );
    t.after(fixture.dispose);
    // `npm install` links the workspace package into node_modules; the user is halfway through
    // changing it in their checkout.
    mkdirSync(path.join(fixture.dir, 'node_modules/@acme'), { recursive: true });
    symlinkSync('../../packages/format', path.join(fixture.dir, 'node_modules/@acme/format'));
    writeFileSync(path.join(fixture.dir, 'packages/format/index.js'), 'export const shout = (s) => s;\n');
    assert.equal((await runCliAsync(['execute', '1'], { cwd: fixture.dir })).code, 0);
    const worktree = worktreeOf(fixture.dir);
    const file = path.join(worktree, 'src/client.js');
    writeFileSync(file, readFileSync(file, 'utf8').replace('    rejectUnauthorized: false,\n', ''));
    addTestByHand(worktree);
    const review = await runCliAsync(['review', '1'], { cwd: fixture.dir, env: GIT_ENV });
    assert.match(review.stdout, /✓ `npm test` → exit 0/);
    assert.match(review.stdout, /✓ scope: \d+ changed path\(s\), all in scope/);
    assert.equal(review.code, 0, review.stdout + review.stderr);
  });

  it('blocks at once, without sending the executor back, when a done criterion’s tool is not installed', async (t) => {
    // `pnpm` missing, or a devDependency's binary when nobody ran the install: the shell's 127.
    const fixture = await plannedRepo(
      ['client'],
      {},
      {
        'package.json': `${JSON.stringify(
          {
            name: 'status-client',
            version: '1.0.0',
            type: 'module',
            scripts: { test: 'node --test && improve-test-missing-tool --check' },
          },
          null,
          2,
        )}\n`,
      },
    );
    t.after(fixture.dispose);
    const fix = script(fixture, 'fix', correctFix());
    const run = await runCliAsync(['execute', '1', '--executor', 'cmd', '--cmd', fix], {
      cwd: fixture.dir,
      env: GIT_ENV,
    });
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.doesNotMatch(run.stdout, /Round 2/);
    assert.match(run.stdout, /✗ `npm test` → exit 0 {3}\(got exit 127\)/);
    assert.match(
      run.stdout,
      /Verdict: BLOCK — `npm test` could not run here \(exit 127, command not found: .*improve-test-missing-tool.*not found\): a tool or the dependencies are not installed/,
    );
    assert.match(run.stdout, /review the attempt again with `improve review 1`/);
  });

  it('runs a cmd executor with --cmd alone and exits 1 when the verdict is not APPROVE', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const run = await runCliAsync(
      ['execute', '1', '--cmd', 'echo "STATUS: BLOCKED"; echo "STOP REASON: no access"'],
      {
        cwd: fixture.dir,
      },
    );
    assert.equal(run.code, 1);
    assert.match(run.stdout, /executor report: STATUS BLOCKED/);
    assert.match(run.stdout, /Plan 001 is BLOCKED \(the executor reported BLOCKED: no access\)/);
    assert.match(run.stdout, /improve execute 1 --clean` discards it/);
    assert.doesNotMatch(run.stdout, /checked the vendor portal/, 'its other output only under --verbose');
  });

  it('shows what a reporting executor printed under --verbose', async (t) => {
    const fixture = await plannedRepo();
    t.after(fixture.dispose);
    const script = 'echo "checked the vendor portal"; echo "STATUS: BLOCKED"; echo "STOP REASON: no access"';
    const quiet = await runCliAsync(['execute', '1', '--cmd', script], { cwd: fixture.dir });
    assert.doesNotMatch(quiet.stdout, /checked the vendor portal/);
    const run = await runCliAsync(['execute', '1', '--clean', '--verbose', '--cmd', script], {
      cwd: fixture.dir,
    });
    assert.equal(run.code, 1);
    assert.match(run.stdout, /executor output \(its end\):\n\s+\| checked the vendor portal/);
  });
});
