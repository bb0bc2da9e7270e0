import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MAIN_TREE, makeBranchRepo } from '../helpers/branch-fixture.ts';
import { runCliAsync } from '../helpers/cli-async.ts';
import { git, makeRepo, tempDir, writeTree } from '../helpers/repo.ts';
import { validateSarif } from '../publish/sarif.test.ts';

interface SarifResult {
  ruleId: string;
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  properties: { introduced?: boolean };
}

describe('improve branch (built binary)', { concurrency: true }, () => {
  it('fails the gate on a problem the branch introduced, with SARIF, JSON and a PR summary', async (t) => {
    const repo = makeBranchRepo('high');
    t.after(repo.dispose);
    const out = tempDir();
    t.after(out.dispose);
    const [sarif, json, summary] = ['report.sarif', 'report.json', 'summary.md'].map((f) =>
      path.join(out.dir, f),
    );
    const run = await runCliAsync(
      [
        'branch',
        '--fail-on',
        'high',
        '--no-plans',
        '--sarif',
        sarif!,
        '--json',
        json!,
        '--markdown-summary',
        summary!,
      ],
      { cwd: repo.dir },
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /improve branch: feature is 1 commit ahead of main/);
    assert.match(
      run.stdout,
      /Introduced by this branch \(1\)[\s\S]*src\/db\.js:12[\s\S]*Pre-existing[\s\S]*src\/db\.js:6/,
    );
    assert.match(
      run.stderr,
      /gate failed: 1 finding introduced by this branch with HIGH confidence \(--fail-on high\)/,
    );
    assert.match(run.stderr, /HIGH {2}Error swallowed by an empty or log-only catch {2}\(src\/db\.js:12\)/);

    const log = JSON.parse(readFileSync(sarif!, 'utf8'));
    assert.deepEqual(validateSarif(log), []);
    const results: SarifResult[] = log.runs[0].results;
    const tagged = results
      .filter((r) => r.ruleId === 'correctness/empty-catch')
      .map((r) => {
        const location = r.locations[0]!.physicalLocation;
        return `${location.artifactLocation.uri}:${location.region.startLine} ${r.properties.introduced}`;
      });
    assert.deepEqual(tagged, ['src/db.js:12 true', 'src/api.js:6 false', 'src/db.js:6 false']);

    const report = JSON.parse(readFileSync(json!, 'utf8'));
    assert.equal(report.branch.base, 'main');
    assert.deepEqual(report.branch.changed, ['src/db.js']);
    assert.deepEqual(
      report.branch.importers.map((i: { file: string }) => i.file),
      ['src/api.js', 'test/db.test.js'],
    );
    assert.equal(report.gate.failOn, 'high');
    assert.equal(report.gate.failed, true);

    const markdown = readFileSync(summary!, 'utf8');
    assert.match(markdown, /^## improve: 1 finding introduced by this branch, \d+ pre-existing/);
    assert.match(markdown, /Gate `--fail-on high`: \*\*failed\*\*/);
    assert.match(
      markdown,
      /### Introduced by this branch\n\n\| finding \| category \| confidence \| impact \| where \|/,
    );
    assert.match(markdown, /```js\n {2}\} catch \(error\) \{\}\n```/);
    assert.match(markdown, /### Pre-existing in touched files[\s\S]*`src\/api\.js:6`/);
    assert.equal(git(repo.dir, 'status', '--porcelain'), '', 'nothing written in the tree');
  });

  it('passes --fail-on high on a LOW-confidence introduction next to pre-existing HIGH ones; fails low', async (t) => {
    const repo = makeBranchRepo('low');
    t.after(repo.dispose);
    // --no-cache, as for `improve`: a CI job that must not leave caches behind writes none.
    const high = await runCliAsync(['branch', repo.dir, '--fail-on', 'high', '--no-plans', '--no-cache']);
    assert.equal(high.code, 0, high.stderr);
    assert.match(high.stderr, /gate passed: no finding introduced by this branch has HIGH confidence/);
    assert.equal(existsSync(path.join(repo.dir, '.git', 'improve')), false, 'no cache written');
    const low = await runCliAsync(['branch', repo.dir, '--fail-on', 'low', '--no-plans']);
    assert.equal(low.code, 1, low.stderr);
    assert.match(low.stderr, /LOW {2}Error swallowed by an empty or log-only catch {2}\(src\/db\.js:12\)/);
  });

  it('on the default branch says so, suggests the full audit, exits 0 and still writes empty SARIF', async (t) => {
    const repo = makeBranchRepo('high');
    t.after(repo.dispose);
    git(repo.dir, 'switch', '-q', 'main');
    const out = tempDir();
    t.after(out.dispose);
    const sarif = path.join(out.dir, 'r.sarif');
    const run = await runCliAsync(['branch', repo.dir, '--fail-on', 'low', '--sarif', sarif]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /You are on main, the default branch/);
    assert.match(run.stdout, /Run `improve` for a full audit/);
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    assert.deepEqual(validateSarif(log), []);
    assert.deepEqual(log.runs[0].results, []);
  });

  it('writes plans whose Why section says the branch introduced the problem', async (t) => {
    const repo = makeBranchRepo('high');
    t.after(repo.dispose);
    const run = await runCliAsync(['branch', repo.dir, '--select', '1']);
    assert.equal(run.code, 0, run.stderr);
    const plans = readdirSync(path.join(repo.dir, 'plans')).filter((name) => /^\d{3}-/.test(name));
    assert.equal(plans.length, 1);
    const plan = readFileSync(path.join(repo.dir, 'plans', plans[0]!), 'utf8');
    assert.match(plan, /src\/db\.js/);
    assert.match(plan, /Introduced by the branch under review/);
    // The planned finding is still the branch's: the gate counts it, and so do the reports.
    const out = tempDir();
    t.after(out.dispose);
    const summary = path.join(out.dir, 'summary.md');
    const again = await runCliAsync([
      'branch',
      repo.dir,
      '--fail-on',
      'high',
      '--no-plans',
      '--markdown-summary',
      summary,
    ]);
    assert.equal(again.code, 1, again.stderr);
    assert.match(
      again.stdout,
      /Introduced by this branch \(1\)\n {2}HIGH {2}Error swallowed by an empty or log-only catch \(src\/db\.js:12\): already planned \(plan 001\)/,
    );
    const markdown = readFileSync(summary, 'utf8');
    assert.match(markdown, /^## improve: 1 finding introduced by this branch/);
    assert.match(
      markdown,
      /\| Error swallowed by an empty or log-only catch \(plan 001\) \| correctness \| HIGH \|/,
    );
  });

  it('does not blame a branch for the problems of a file it only moved', async (t) => {
    const repo = makeRepo(MAIN_TREE);
    t.after(repo.dispose);
    git(repo.dir, 'switch', '-q', '-c', 'reorganise');
    mkdirSync(path.join(repo.dir, 'src/jobs'));
    git(repo.dir, 'mv', 'src/report.js', 'src/jobs/report.js');
    git(repo.dir, 'commit', '-q', '-m', 'move the report job');
    const out = tempDir();
    t.after(out.dispose);
    const json = path.join(out.dir, 'report.json');
    const run = await runCliAsync(['branch', repo.dir, '--fail-on', 'low', '--no-plans', '--json', json]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /gate passed: this branch introduces no finding \(--fail-on low\)/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    assert.deepEqual(report.branch.changed, ['src/jobs/report.js']);
    const moved = report.findings.filter((f: { ruleId: string }) => f.ruleId === 'correctness/empty-catch');
    assert.deepEqual(
      moved.map((f: { evidence: { file: string }[]; introduced: boolean }) => [
        f.evidence[0]?.file,
        f.introduced,
      ]),
      [['src/jobs/report.js', false]],
    );
  });

  it('in a shallow CI clone, says to fetch the history, and audits once it is fetched', async (t) => {
    const repo = makeBranchRepo('high');
    t.after(repo.dispose);
    const out = tempDir();
    t.after(out.dispose);
    // Like actions/checkout's default: the branch tip alone, then the base tip alone.
    const clone = path.join(out.dir, 'clone');
    git(out.dir, 'clone', '-q', '--depth', '1', '--branch', 'feature', `file://${repo.dir}`, clone);
    git(clone, 'fetch', '-q', '--depth', '1', 'origin', 'main:refs/remotes/origin/main');
    const shallow = await runCliAsync(['branch', clone, '--base', 'origin/main', '--no-plans']);
    assert.equal(shallow.code, 2, shallow.stderr);
    assert.match(shallow.stderr, /share no history in this shallow clone/);
    assert.match(shallow.stderr, /git fetch --unshallow/);
    git(clone, 'fetch', '-q', '--unshallow', 'origin');
    const full = await runCliAsync([
      'branch',
      clone,
      '--base',
      'origin/main',
      '--no-plans',
      '--fail-on',
      'high',
    ]);
    assert.equal(full.code, 1, full.stderr);
    assert.match(full.stdout, /Introduced by this branch \(1\)/);
  });

  it('rejects a bad --fail-on level, an unknown --base and --issues without plans with exit 2', async (t) => {
    const repo = makeBranchRepo('high');
    t.after(repo.dispose);
    const level = await runCliAsync(['branch', repo.dir, '--fail-on', 'critical']);
    assert.equal(level.code, 2);
    assert.match(level.stderr, /Allowed choices are high, medium, low/);
    const base = await runCliAsync(['branch', repo.dir, '--base', 'nope']);
    assert.equal(base.code, 2);
    assert.match(base.stderr, /--base nope: no such branch or commit/);
    const issues = await runCliAsync(['branch', repo.dir, '--issues', '--no-plans']);
    assert.equal(issues.code, 2);
    assert.match(issues.stderr, /--issues publishes the plans a run writes, and --no-plans writes none/);
  });

  it('in a workspace package, names the changes made in other packages instead of calling them deletions', async (t) => {
    const shared = 'export function formatUser(u: { name: string }): string {\n  return u.name;\n}\n';
    const repo = makeRepo({
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
      'packages/shared/package.json': JSON.stringify({ name: '@acme/shared', exports: './src/index.ts' }),
      'packages/shared/src/index.ts': shared,
      'packages/api/package.json': JSON.stringify({
        name: '@acme/api',
        dependencies: { '@acme/shared': '1.0.0' },
      }),
      'packages/api/src/users.ts':
        "import { formatUser } from '@acme/shared';\nexport const show = formatUser;\n",
    });
    t.after(repo.dispose);
    git(repo.dir, 'switch', '-q', '-c', 'shared-change');
    writeTree(repo.dir, {
      'packages/shared/src/index.ts': `${shared}export function greet(name: string): string {\n  return name;\n}\n`,
    });
    git(repo.dir, 'commit', '-q', '-am', 'shared: greet');
    const api = path.join(repo.dir, 'packages/api');
    const elsewhere = await runCliAsync(['branch', '--no-plans'], { cwd: api });
    assert.equal(elsewhere.code, 0, elsewhere.stderr);
    assert.doesNotMatch(elsewhere.stdout, /only deletions/);
    assert.match(
      elsewhere.stdout,
      /changes nothing in this folder: its 1 changed file is elsewhere \(\.\.\/shared\/src\/index\.ts\)[\s\S]*cd \.\.\/\.\. && improve branch/,
    );
    // With a change here as well, the audit says what it left out.
    writeTree(repo.dir, {
      'packages/api/src/users.ts':
        "import { formatUser } from '@acme/shared';\nexport const view = formatUser;\n",
    });
    git(repo.dir, 'commit', '-q', '-am', 'api: rename');
    const both = await runCliAsync(['branch', '--no-plans'], { cwd: api });
    assert.equal(both.code, 0, both.stderr);
    assert.match(
      both.stdout,
      /Not audited: 1 file this branch changes outside this folder \(\.\.\/shared\/src\/index\.ts\), nor the files here that import them/,
    );
  });
});
