import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCliAsync } from '../helpers/cli-async.ts';
import { startFakeGitHub } from '../helpers/fake-github.ts';
import { makePublishRepo, PLAN_ARGS } from '../helpers/publish-fixture.ts';
import { tempDir } from '../helpers/repo.ts';

function planFile(dir: string, id: string): string {
  const name = readdirSync(path.join(dir, 'plans')).find((file) => file.startsWith(`${id}-`));
  assert.ok(name, `plan ${id} was written`);
  return readFileSync(path.join(dir, 'plans', name), 'utf8');
}

function env(url: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { GITHUB_TOKEN: 'test-token', GH_TOKEN: '', GITHUB_API_URL: url, ...extra };
}

describe('--issues against a local GitHub API (built binary)', { concurrency: true }, () => {
  it('publishes every plan of a private repository with labels, records the URLs, and never duplicates', async (t) => {
    const github = await startFakeGitHub({ visibility: 'private' });
    t.after(github.close);
    const repo = makePublishRepo();
    t.after(repo.dispose);

    const first = await runCliAsync([repo.dir, ...PLAN_ARGS, '--issues'], { env: env(github.url) });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Published 2 plans as issues of acme\/shop:/);
    assert.match(first.stdout, /001 {2}created {4}https:\/\/github\.com\/acme\/shop\/issues\/1/);
    assert.deepEqual(
      github.issues.map((issue) => [issue.number, issue.labels.sort()]),
      [
        [1, ['improve', 'security']],
        [2, ['correctness', 'improve']],
      ],
    );
    assert.match(
      github.issues[0]!.body,
      /^<!-- improve:plan-id 001 -->\n<!-- improve:finding F-[0-9a-f]{8} -->/,
    );
    assert.match(github.issues[0]!.body, /## Why this matters/);
    assert.match(planFile(repo.dir, '001'), /^issue: https:\/\/github\.com\/acme\/shop\/issues\/1$/m);
    assert.match(
      readFileSync(path.join(repo.dir, 'plans/README.md'), 'utf8'),
      /\[#2\]\(https:\/\/github\.com\/acme\/shop\/issues\/2\)/,
    );

    // A fresh checkout (as in CI) plans the same findings again: the issues are found by their
    // markers and left alone.
    rmSync(path.join(repo.dir, 'plans'), { recursive: true });
    const again = await runCliAsync([repo.dir, ...PLAN_ARGS, '--issues'], { env: env(github.url) });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /001 {2}unchanged {2}https:\/\/github\.com\/acme\/shop\/issues\/1/);
    assert.equal(github.issues.length, 2);
    assert.match(planFile(repo.dir, '002'), /^issue: https:\/\/github\.com\/acme\/shop\/issues\/2$/m);

    // The code moved: the plan's excerpts changed, so the same issue is updated, not duplicated.
    const db = path.join(repo.dir, 'src/api.js');
    const text = readFileSync(db, 'utf8');
    rmSync(path.join(repo.dir, 'plans'), { recursive: true });
    execFileSync('sh', ['-c', `printf '\\n\\n' > "${db}" && cat >> "${db}"`], { input: text });
    const moved = await runCliAsync([repo.dir, ...PLAN_ARGS, '--issues'], { env: env(github.url) });
    assert.equal(moved.code, 0, moved.stderr);
    assert.match(moved.stdout, /002 {2}updated {4}https:\/\/github\.com\/acme\/shop\/issues\/2/);
    assert.equal(github.issues.length, 2);
    assert.match(github.issues[1]!.body, /src\/api\.js:8/);
  });

  it('holds back security plans on a public repository unless --yes-public is given', async (t) => {
    const github = await startFakeGitHub({ visibility: 'public' });
    t.after(github.close);
    const repo = makePublishRepo();
    t.after(repo.dispose);
    const run = await runCliAsync([repo.dir, ...PLAN_ARGS, '--issues'], { env: env(github.url) });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      github.issues.map((issue) => issue.labels.includes('correctness')),
      [true],
    );
    assert.match(run.stderr, /1 plan was not published as issues \(the plan files are written\)/);
    assert.match(
      run.stderr,
      /001 {2}held-back: acme\/shop is public and this plan is about a security finding/,
    );
    assert.match(run.stderr, /pass --yes-public/);
    assert.doesNotMatch(planFile(repo.dir, '001'), /^issue:/m);

    const repo2 = makePublishRepo();
    t.after(repo2.dispose);
    const yes = await runCliAsync([repo2.dir, ...PLAN_ARGS, '--issues', '--yes-public'], {
      env: env(github.url),
    });
    assert.equal(yes.code, 0, yes.stderr);
    assert.ok(github.issues.some((issue) => issue.labels.includes('security')));
  });

  it('still publishes when labels cannot be created, and says so', async (t) => {
    const github = await startFakeGitHub({ denyLabelCreate: true });
    t.after(github.close);
    const repo = makePublishRepo();
    t.after(repo.dispose);
    const run = await runCliAsync([repo.dir, ...PLAN_ARGS, '--issues'], { env: env(github.url) });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(github.issues.length, 2);
    assert.ok(github.issues.every((issue) => issue.labels.length === 0));
    assert.match(
      run.stderr,
      /label "improve" could not be created \(not allowed \(403: Resource not accessible by integration\)\)/,
    );
  });

  it('waits out a short rate limit and goes on', async (t) => {
    const github = await startFakeGitHub({
      limits: [{ match: /^POST \/repos\/acme\/shop\/issues$/, times: 1, status: 403, retryAfter: 1 }],
    });
    t.after(github.close);
    const repo = makePublishRepo();
    t.after(repo.dispose);
    const run = await runCliAsync([repo.dir, ...PLAN_ARGS, '--issues'], { env: env(github.url) });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(github.issues.length, 2);
    assert.equal(github.requests.filter((r) => r === 'POST /repos/acme/shop/issues').length, 3);
  });

  it('exits 3 when nothing can be published, with the plans written and the reason given', async (t) => {
    const repo = makePublishRepo();
    t.after(repo.dispose);
    const bin = tempDir();
    t.after(bin.dispose);
    // No token anywhere: no variables, and no `gh` on PATH (only git).
    symlinkSync(
      execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim(),
      path.join(bin.dir, 'git'),
    );
    const run = await runCliAsync([repo.dir, ...PLAN_ARGS, '--issues'], {
      env: { GITHUB_TOKEN: '', GH_TOKEN: '', GITHUB_API_URL: 'http://127.0.0.1:9/api/v3', PATH: bin.dir },
    });
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stdout, /Wrote 2 plans to plans\//);
    assert.match(run.stderr, /2 plans were not published as issues \(the plan files are written\)/);
    assert.match(
      run.stderr,
      /001 {2}failed: no GitHub token: set GITHUB_TOKEN or GH_TOKEN, or log in with `gh auth login`/,
    );
    planFile(repo.dir, '001');
    planFile(repo.dir, '002');
  });
});
