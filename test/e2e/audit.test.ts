import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BIN, runCli } from '../helpers/cli.ts';
import { git, makeRepo, tempDir } from '../helpers/repo.ts';
import { validateSarif } from '../publish/sarif.test.ts';
import { PLANTED_APP, SECRETS } from './fixture-app.ts';

function readTree(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
    .map((file) => `--- ${path.relative(dir, file)}\n${readFileSync(file, 'utf8')}`)
    .join('\n');
}

function assertNoSecrets(text: string, where: string): void {
  for (const [name, value] of Object.entries(SECRETS)) {
    assert.ok(!text.includes(value), `${name} secret leaked into ${where}`);
  }
}

describe('improve audit on a repository with planted problems', () => {
  it('finds them, writes contract plans, touches nothing but plans/, and leaks no secret', (t) => {
    const repo = makeRepo(PLANTED_APP);
    t.after(repo.dispose);
    const out = tempDir();
    t.after(out.dispose);
    const json = path.join(out.dir, 'report.json');
    const sarif = path.join(out.dir, 'report.sarif');

    const run = runCli([repo.dir, '--json', json, '--sarif', sarif], { cwd: repo.dir });
    assert.equal(run.code, 0, run.stderr);

    const report = JSON.parse(readFileSync(json, 'utf8'));
    const rules: string[] = report.findings.map((f: { ruleId: string }) => f.ruleId);
    for (const planted of [
      'security/sql-injection',
      'security/hardcoded-secret',
      'security/ai-directed-text',
      'correctness/empty-catch',
      'correctness/bare-except-pass',
      'correctness/mutable-default-argument',
      'performance/n-plus-one',
    ]) {
      assert.ok(rules.includes(planted), `expected ${planted} among ${rules.join(', ')}`);
    }
    assert.match(run.stdout, /finding\s+category\s+confidence\s+impact\s+effort\s+risk\s+evidence/);
    assert.match(run.stdout, /Wrote \d plans to plans\//);

    // Only the plans folder changed in the user's tree.
    const status = git(repo.dir, 'status', '--porcelain', '--untracked-files=all')
      .split('\n')
      .filter(Boolean);
    assert.ok(status.length > 1);
    assert.ok(
      status.every((line) => line.startsWith('?? plans/')),
      status.join('\n'),
    );
    const plans = readdirSync(path.join(repo.dir, 'plans')).sort();
    assert.ok(plans.includes('README.md'));
    assert.ok(plans.filter((p) => /^\d{3}-[a-z0-9-]+\.md$/.test(p)).length >= 3);
    assert.match(readFileSync(path.join(repo.dir, 'plans/README.md'), 'utf8'), /Selected by default/);

    // The injected instruction was reported, not obeyed: the test folder is still there.
    assert.ok(readdirSync(path.join(repo.dir, 'test')).includes('orders.test.js'));

    // No secret value anywhere.
    assertNoSecrets(run.stdout + run.stderr, 'the terminal output');
    assertNoSecrets(readTree(path.join(repo.dir, 'plans')), 'plans/');
    assertNoSecrets(readFileSync(json, 'utf8'), 'JSON');
    assertNoSecrets(readFileSync(sarif, 'utf8'), 'SARIF');
    assert.deepEqual(validateSarif(JSON.parse(readFileSync(sarif, 'utf8'))), []);
  });

  it('a second run adds nothing twice and numbers new plans after the old ones', (t) => {
    const repo = makeRepo(PLANTED_APP);
    t.after(repo.dispose);
    assert.equal(runCli([repo.dir, '--top', '2']).code, 0);
    const first = readdirSync(path.join(repo.dir, 'plans')).sort();
    const again = runCli([repo.dir, '--top', '2']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already planned \(plans 001, 002\)/);
    const second = readdirSync(path.join(repo.dir, 'plans')).sort();
    const added = second.filter((p) => !first.includes(p));
    assert.deepEqual(
      added.map((p) => p.slice(0, 3)),
      ['003', '004'],
    );
    const third = runCli([repo.dir, '--no-plans', '--json', '-']);
    const report = JSON.parse(third.stdout);
    // Every finding of the four plans is planned (a plan covers each finding of its rule in its file).
    const planIds = new Set(report.alreadyPlanned.map((entry: { planId: string }) => entry.planId));
    assert.deepEqual([...planIds].sort(), ['001', '002', '003', '004']);
    assert.ok(report.alreadyPlanned.length >= 4);
  });

  it('does not read its own plans as the repository’s docs: a planned finding stays planned', (t) => {
    const repo = makeRepo({
      'package.json': `${JSON.stringify({ name: 'shop', private: true, scripts: { test: 'node --test' } })}\n`,
      'README.md': '# shop\n',
      'src/index.js': 'export const queue = process.env.SHOP_QUEUE_URL;\n',
      'test/index.test.js': "import 'node:test';\n",
      // A docs folder that the plans will share (--plans-dir docs): the user's own pages still count.
      'docs/guide.md': '# Guide\n',
    });
    t.after(repo.dispose);
    const report = () =>
      JSON.parse(runCli([repo.dir, '--no-plans', '--plans-dir', 'docs', '--json', '-']).stdout);
    const before = report();
    const finding = before.findings.find((f: { ruleId: string }) => f.ruleId === 'dx/undocumented-env');
    assert.ok(finding, 'the variable is reported');
    // Table rows leave out LOW-confidence leads.
    const row =
      before.findings.filter((f: { confidence: string }) => f.confidence !== 'LOW').indexOf(finding) + 1;
    assert.equal(runCli([repo.dir, '--select', String(row), '--plans-dir', 'docs']).code, 0);
    assert.match(readTree(path.join(repo.dir, 'docs')), /SHOP_QUEUE_URL/, 'the plan names the variable');
    // The plan names the variable, but only a fix documents it.
    assert.deepEqual(
      report().alreadyPlanned.map((entry: { findingId: string }) => entry.findingId),
      [finding.id],
    );
    // A page of the user's in the same folder that documents it does.
    writeFileSync(path.join(repo.dir, 'docs/guide.md'), '# Guide\n\nSet `SHOP_QUEUE_URL` to the queue.\n');
    const fixed = report();
    assert.equal(
      fixed.findings.filter((f: { ruleId: string }) => f.ruleId === 'dx/undocumented-env').length,
      0,
    );
    assert.deepEqual(fixed.alreadyPlanned, []);
  });

  it('--select numbers are the rows the table shows', (t) => {
    const repo = makeRepo(PLANTED_APP);
    t.after(repo.dispose);
    const table = runCli([repo.dir, '--no-plans']);
    const row = /^\s*3 {2}(.+?) {2,}/m.exec(table.stdout)?.[1]?.replace(/…$/, '');
    assert.ok(row, table.stdout);
    const run = runCli([repo.dir, '--select', '3']);
    assert.equal(run.code, 0, run.stderr);
    const plan = readdirSync(path.join(repo.dir, 'plans')).find((p) => p.startsWith('001-'))!;
    const title =
      /^title: "?(.*?)"?$/m.exec(readFileSync(path.join(repo.dir, 'plans', plan), 'utf8'))?.[1] ?? '';
    assert.ok(title.startsWith(row.replace(/ \[[a-z]+\]$/, '')), `${title} vs ${row}`);
  });

  it('shows the same small fix in many files as one row, and plans it once', (t) => {
    const repo = makeRepo(
      Object.fromEntries(
        ['billing', 'users', 'search', 'audit'].map((name) => [
          `services/${name}.py`,
          `import requests\n\n\ndef ${name}(url):\n    return requests.get(url).json()\n`,
        ]),
      ),
    );
    t.after(repo.dispose);
    const table = runCli([repo.dir, '--no-plans']);
    assert.equal(table.code, 0, table.stderr);
    const rows = table.stdout.split('\n').filter((line) => line.includes('HTTP request without a timeout'));
    assert.equal(rows.length, 1, table.stdout);
    assert.match(rows[0] ?? '', /^\s*(\d+) {2}4× HTTP request without a timeout \(in 4 files\)/);
    // Piped output takes its width from COLUMNS (120 in these runs), as terminals and CI logs set it.
    const narrow = runCli([repo.dir, '--no-plans'], { env: { COLUMNS: '80' } });
    const tableLines = narrow.stdout.split('\n').filter((line) => /^\s*(#|\d+) /.test(line));
    assert.ok(tableLines.length > 1 && tableLines.every((line) => line.length <= 80), narrow.stdout);
    const wide = runCli([repo.dir, '--no-plans'], { env: { COLUMNS: '200' } });
    assert.match(
      wide.stdout,
      /4× HTTP request without a timeout \(in 4 files\) +correctness +MED +MED +S +LOW +services\/\w+\.py:5\n/,
    );
    const number = /^\s*(\d+)/.exec(rows[0] ?? '')?.[1] ?? '';
    const run = runCli([repo.dir, '--select', number]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Wrote 1 plan to plans\//);
    assert.match(
      run.stdout,
      /001-http-request-without-a-timeout-4-files\.md {2}HTTP request without a timeout in 4 files/,
    );
    const again = runCli([repo.dir, '--no-plans']);
    assert.doesNotMatch(again.stdout, /HTTP request without a timeout/);
    assert.match(again.stdout, /4 findings already planned \(plans 001\): not repeated\./);
    // Planned is not fixed: SARIF and JSON still carry the four findings, with their plan.
    const sarif = JSON.parse(runCli([repo.dir, '--no-plans', '--sarif', '-']).stdout);
    const planned = sarif.runs[0].results.filter(
      (r: { ruleId: string }) => r.ruleId === 'correctness/request-without-timeout',
    );
    assert.equal(planned.length, 4);
    assert.ok(planned.every((r: { properties: { planId?: string } }) => r.properties.planId === '001'));
    const json = JSON.parse(runCli([repo.dir, '--no-plans', '--json', '-']).stdout);
    assert.equal(json.alreadyPlanned.length, 4);
    assert.equal(json.alreadyPlanned[0].planId, '001');
    assert.equal(json.alreadyPlanned[0].finding.ruleId, 'correctness/request-without-timeout');
  });

  it('gives byte-identical plans and JSON for identical runs', (t) => {
    const a = makeRepo(PLANTED_APP);
    t.after(a.dispose);
    const b = tempDir();
    t.after(b.dispose);
    cpSync(a.dir, b.dir, { recursive: true });
    const ra = runCli([a.dir, '--json', '-']);
    const rb = runCli([b.dir, '--json', '-']);
    assert.equal(ra.code, 0, ra.stderr);
    assert.equal(ra.stdout, rb.stdout);
    assert.equal(readTree(path.join(a.dir, 'plans')), readTree(path.join(b.dir, 'plans')));
  });

  it('works without git and says the drift check is unavailable', (t) => {
    const repo = makeRepo(PLANTED_APP, { git: false });
    t.after(repo.dispose);
    const run = runCli([repo.dir, '--top', '1']);
    assert.equal(run.code, 0, run.stderr);
    const plan = readdirSync(path.join(repo.dir, 'plans')).find((p) => p.startsWith('001-'))!;
    assert.match(
      readFileSync(path.join(repo.dir, 'plans', plan), 'utf8'),
      /\*\*Drift check\*\*: unavailable — not a git repository/,
    );
  });

  it('orders a plan that adds a test after the plan that gives the test command tests to run', (t) => {
    const repo = makeRepo({
      'package.json': `${JSON.stringify(
        { name: 'store', version: '1.0.0', type: 'module', scripts: { test: 'node --test' } },
        null,
        2,
      )}\n`,
      'package-lock.json': '{ "name": "store", "lockfileVersion": 3, "packages": {} }\n',
      'src/store.js': [
        "import { writeFileSync } from 'node:fs';",
        'export function save(path, data) {',
        '  try {',
        '    writeFileSync(path, JSON.stringify(data));',
        '  } catch (error) {}',
        '}',
        '',
      ].join('\n'),
    });
    t.after(repo.dispose);
    const run = runCli([repo.dir], { cwd: repo.dir });
    assert.equal(run.code, 0, run.stderr);
    const dir = path.join(repo.dir, 'plans');
    const texts = readdirSync(dir)
      .filter((p) => /^\d{3}-/.test(p))
      .map((p) => readFileSync(path.join(dir, p), 'utf8'));
    const baseline = texts.find((text) => /has no tests to run/.test(text.split('\n---')[0] ?? ''));
    const fix = texts.find((text) => /rule `correctness\/empty-catch`/.test(text));
    assert.ok(baseline && fix, texts.map((text) => text.split('\n')[3]).join('\n'));
    const baselineId = /^id: "(\d{3})"/m.exec(baseline)?.[1];
    assert.match(fix, new RegExp(`depends_on:\\s*\\n\\s*- "?${baselineId}"?`));
    // The baseline plan may add the first test files.
    assert.match(baseline, /- path: test\/\n\s+reason: the first tests \(new folder\)\n\s+create: true/);
  });

  it('audits a package of a monorepo with what the repository around it provides (Node-RED runtime)', (t) => {
    const repo = makeRepo({
      'package.json': JSON.stringify({
        name: 'mono',
        private: true,
        workspaces: ['packages/*'],
        scripts: { test: 'node --test test/', lint: 'eslint .' },
      }),
      'package-lock.json': '{ "lockfileVersion": 3, "packages": {} }\n',
      'README.md': '# mono\n',
      'AGENTS.md': '# Working here\nRun `npm test`.\n',
      '.github/workflows/ci.yml':
        'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
      'test/runtime.test.js':
        "require('node:test')('runs', () => require('node:assert').ok(require('../packages/runtime/lib')));\n",
      'packages/runtime/package.json': JSON.stringify({
        name: '@mono/runtime',
        main: 'lib/index.js',
        dependencies: { lodash: '4' },
      }),
      'packages/runtime/lib/index.js':
        "const _ = require('lodash');\nmodule.exports = { run: (x) => _.chunk(x, 2) };\n",
    });
    t.after(repo.dispose);
    const out = tempDir();
    t.after(out.dispose);
    const json = path.join(out.dir, 'report.json');
    const run = runCli([path.join(repo.dir, 'packages/runtime'), '--no-plans', '--json', json], {
      cwd: repo.dir,
    });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const rows = report.findings.map(
      (f: { ruleId: string; confidence: string }) => `${f.ruleId} ${f.confidence}`,
    );
    // No lockfile, CI, scripts, README or agent guide is missing: the root has them.
    assert.deepEqual(rows, ['tests/no-verification-baseline LOW'], rows.join('\n'));
    assert.match(report.findings[0].message, /`cd \.\.\/\.\. && npm test`/);
    assert.ok(
      report.profile.commands.some(
        (c: { kind: string; run: string }) => c.kind === 'test' && c.run === 'cd ../.. && npm test',
      ),
    );
    assert.match(
      run.stdout,
      /the rest of the repository \(its root is \.\.\/\.\.\): not audited; its lockfile, CI, scripts \(test, lint\), README, agent guide count/,
    );
    // The same package as a repository of its own has none of them.
    const alone = makeRepo({
      'package.json': JSON.stringify({
        name: '@mono/runtime',
        main: 'lib/index.js',
        dependencies: { lodash: '4' },
      }),
      'lib/index.js': "const _ = require('lodash');\nmodule.exports = { run: (x) => _.chunk(x, 2) };\n",
    });
    t.after(alone.dispose);
    const own = runCli([alone.dir, '--no-plans', '--json', json], { cwd: alone.dir });
    assert.equal(own.code, 0, own.stderr);
    const ownRules = JSON.parse(readFileSync(json, 'utf8')).findings.map((f: { ruleId: string }) => f.ruleId);
    for (const rule of [
      'dependencies/lockfile',
      'docs/no-readme',
      'dx/no-agent-guide',
      'tests/no-verification-baseline',
    ])
      assert.ok(ownRules.includes(rule), `${rule} missing from ${ownRules.join(', ')}`);
  });
});

describe('output into a pipe', () => {
  it('ends quietly with exit 0 when the reader stops early (improve . | head -c 1)', (t) => {
    const repo = makeRepo(PLANTED_APP);
    t.after(repo.dispose);
    const err = path.join(repo.dir, '.git', 'stderr.txt');
    const code = path.join(repo.dir, '.git', 'code.txt');
    const script = `IMPROVE_OFFLINE=1 NO_COLOR=1 IMPROVE_DATE=2026-11-25 "${process.execPath}" "${BIN}" . --top 10 2>"${err}"; echo $? >"${code}"`;
    spawnSync('sh', ['-c', `(${script}) | head -c 1 >/dev/null`], { cwd: repo.dir, timeout: 60_000 });
    assert.equal(readFileSync(code, 'utf8').trim(), '0', readFileSync(err, 'utf8'));
    assert.doesNotMatch(readFileSync(err, 'utf8'), /EPIPE|Error/);
    assert.ok(existsSync(path.join(repo.dir, 'plans', 'README.md')), 'the plans are written');
  });
});
