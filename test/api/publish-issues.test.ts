import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { audit } from '../../src/api/audit.ts';
import { publishIssues } from '../../src/api/publish-issues.ts';
import { selectTop } from '../../src/api/select.ts';
import { writeAuditPlans } from '../../src/api/write-plans.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { startFakeGitHub } from '../helpers/fake-github.ts';
import { makePublishRepo } from '../helpers/publish-fixture.ts';
import { git } from '../helpers/repo.ts';

async function planned(t: { after: (fn: () => void) => void }) {
  const repo = makePublishRepo();
  t.after(repo.dispose);
  const result = await audit({
    path: repo.dir,
    focus: ['correctness', 'security'],
    clock: fixedClock('2026-11-25'),
  });
  const written = writeAuditPlans(result, selectTop(result.findings, 2));
  return { repo, result, plans: written.plans };
}

describe('publishIssues', { concurrency: true }, () => {
  it('waits out 429 and primary 403 rate limits (x-ratelimit-reset), then publishes', async (t) => {
    const github = await startFakeGitHub({
      limits: [
        { match: /^GET \/repos\/acme\/shop$/, times: 1, status: 429, retryAfter: 2 },
        { match: /^POST \/repos\/acme\/shop\/issues$/, times: 1, status: 403 },
      ],
    });
    t.after(github.close);
    const { result, plans } = await planned(t);
    const waits: number[] = [];
    const published = await publishIssues({
      root: result.root,
      plansDir: result.plans,
      plans,
      env: { GITHUB_TOKEN: 'test-token', GITHUB_API_URL: github.url },
      client: { sleep: async (ms) => void waits.push(ms) },
    });
    assert.deepEqual(
      published.outcomes.map((o) => o.status),
      ['created', 'created'],
    );
    assert.equal(waits[0], 2000);
    assert.ok(waits[1]! > 0 && waits[1]! <= 3000, `waited ${waits[1]} ms for the reset`);
    assert.equal(published.nothingPublished, false);
  });

  it('stops at a rate limit too long to wait: every plan is listed as not published, nothing duplicated', async (t) => {
    const github = await startFakeGitHub({
      limits: [{ match: /^POST \/repos\/acme\/shop\/issues$/, times: 5, status: 403, retryAfter: 3600 }],
    });
    t.after(github.close);
    const { result, plans } = await planned(t);
    const published = await publishIssues({
      root: result.root,
      plansDir: result.plans,
      plans,
      env: { GITHUB_TOKEN: 'test-token', GITHUB_API_URL: github.url },
      client: { sleep: async () => assert.fail('must not wait an hour') },
    });
    assert.deepEqual(
      published.outcomes.map((o) => (o.status === 'failed' ? o.reason : o.status)),
      [
        'rate limited by GitHub (403: You have exceeded a secondary rate limit. Please wait a few minutes before you try again.); try again in 3600 s',
        'rate limited by GitHub (403: You have exceeded a secondary rate limit. Please wait a few minutes before you try again.); try again in 3600 s',
      ],
    );
    assert.equal(github.requests.filter((r) => r === 'POST /repos/acme/shop/issues').length, 1);
    assert.equal(published.nothingPublished, true);
  });

  it('reports a refused token, a network failure and a missing remote as values', async (t) => {
    const github = await startFakeGitHub({ token: 'the-right-one' });
    t.after(github.close);
    const { repo, result, plans } = await planned(t);
    const base = { root: result.root, plansDir: result.plans, plans };
    const refused = await publishIssues({
      ...base,
      env: { GITHUB_TOKEN: 'wrong', GITHUB_API_URL: github.url },
    });
    assert.equal(
      refused.outcomes[0]?.status === 'failed' && refused.outcomes[0].reason,
      'could not read acme/shop: the token was refused (401: Bad credentials)',
    );
    const down = await publishIssues({
      ...base,
      env: { GITHUB_TOKEN: 'x', GITHUB_API_URL: 'http://127.0.0.1:9/api/v3' },
    });
    assert.match(
      down.outcomes[0]?.status === 'failed' ? down.outcomes[0].reason : '',
      /could not reach http:\/\/127\.0\.0\.1:9\/api\/v3/,
    );
    assert.equal(down.nothingPublished, true);
    git(repo.dir, 'remote', 'set-url', 'origin', 'https://user:hunter2@example.com/a/b/c.git');
    const foreign = await publishIssues({ ...base, env: { GITHUB_TOKEN: 'x', GITHUB_API_URL: github.url } });
    const reason = foreign.outcomes[0]?.status === 'failed' ? foreign.outcomes[0].reason : '';
    assert.equal(reason, 'the origin remote (https://example.com/a/b/c.git) is not a GitHub repository URL');
  });

  it('finds an issue through the URL in the plan even when its markers were edited away', async (t) => {
    const github = await startFakeGitHub();
    t.after(github.close);
    const { result, plans } = await planned(t);
    const options = {
      root: result.root,
      plansDir: result.plans,
      env: { GITHUB_TOKEN: 'test-token', GITHUB_API_URL: github.url },
    };
    const first = await publishIssues({ ...options, plans });
    assert.deepEqual(
      first.recorded.sort(),
      [
        '001-sql-built-from-interpolated-values-sql-search.md',
        '002-error-swallowed-by-an-empty-or-log-only-3-files.md',
        'README.md',
      ].sort(),
    );
    for (const issue of github.issues) issue.body = 'edited by a person';
    const reread = plans.map((plan) => ({
      ...plan,
      issue: `https://github.com/acme/shop/issues/${plan.number}`,
    }));
    const second = await publishIssues({ ...options, plans: reread });
    assert.deepEqual(
      second.outcomes.map((o) => o.status),
      ['updated', 'updated'],
    );
    assert.equal(github.issues.length, 2);
    assert.deepEqual(second.recorded, []);
    const file = path.join(result.plans.dir, '001-sql-built-from-interpolated-values-sql-search.md');
    assert.match(readFileSync(file, 'utf8'), /^issue: https:\/\/github\.com\/acme\/shop\/issues\/1$/m);
  });

  it('finds issues published without the label once the label exists, instead of duplicating them', async (t) => {
    const github = await startFakeGitHub({ denyLabelCreate: true });
    t.after(github.close);
    const { result, plans } = await planned(t);
    const options = {
      root: result.root,
      plansDir: result.plans,
      env: { GITHUB_TOKEN: 'test-token', GITHUB_API_URL: github.url },
    };
    await publishIssues({ ...options, plans });
    assert.ok(github.issues.every((issue) => issue.labels.length === 0));
    for (const label of ['improve', 'security', 'correctness']) github.labels.add(label);
    const again = await publishIssues({ ...options, plans });
    assert.deepEqual(
      again.outcomes.map((o) => o.status),
      ['unchanged', 'unchanged'],
    );
    assert.equal(github.issues.length, 2);
  });
});
