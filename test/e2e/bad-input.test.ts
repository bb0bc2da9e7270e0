import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { makeRepo, tempDir } from '../helpers/repo.ts';
import { PLANTED_APP } from './fixture-app.ts';

describe('bad input gets a clear message, exit code 2, and nothing lost', () => {
  it('rejects a path that does not exist or is a file', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    const missing = runCli([path.join(temp.dir, 'nope')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /does not exist/);
    writeFileSync(path.join(temp.dir, 'file.txt'), 'x');
    const file = runCli([path.join(temp.dir, 'file.txt')]);
    assert.equal(file.code, 2);
    assert.match(file.stderr, /not a directory/);
    // A level spelled wrong is said to be one, not taken for a path.
    for (const args of [[temp.dir, 'superdeep'], ['Deep']]) {
      const level = runCli(args, { cwd: temp.dir });
      assert.equal(level.code, 2, level.stderr);
      assert.match(level.stderr, /is neither a level nor an existing path/);
      assert.match(level.stderr, /The levels are quick, standard and deep/);
    }
  });

  it('rejects an unknown category with the list of valid ones, and an unknown option', (t) => {
    const repo = makeRepo(PLANTED_APP);
    t.after(repo.dispose);
    const category = runCli([repo.dir, '--focus', 'speed']);
    assert.equal(category.code, 2);
    assert.match(
      category.stderr,
      /unknown category "speed"; valid categories: correctness, security, performance/,
    );
    // The hint is its own line, not a second error.
    assert.doesNotMatch(category.stderr, /error: hint/);
    const option = runCli([repo.dir, '--frobnicate']);
    assert.equal(option.code, 2);
    assert.match(
      option.stderr,
      /^error: unknown option '--frobnicate'\nhint: run `improve --help` for usage\n/,
    );
    assert.ok(!existsSync(path.join(repo.dir, 'plans')));
  });

  it('rejects an empty repository and one with no supported language', (t) => {
    const empty = makeRepo({});
    t.after(empty.dispose);
    const none = runCli([empty.dir]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /nothing to audit/);
    const go = makeRepo({ 'main.go': 'package main\n\nfunc main() {}\n', 'go.mod': 'module x\n' });
    t.after(go.dispose);
    const unsupported = runCli([go.dir]);
    assert.equal(unsupported.code, 2);
    assert.match(unsupported.stderr, /no supported language.*Go/);
    // A package from npm whose code is all dist/ (nodemailer): say so, not "found JSON".
    const built = makeRepo({
      'package.json': '{"name":"mailer","main":"dist/index.js"}\n',
      'dist/index.js': 'module.exports = function send() {};\n',
      'dist/smtp.js': 'module.exports = {};\n',
    });
    t.after(built.dispose);
    const shipped = runCli([built.dir]);
    assert.equal(shipped.code, 2);
    assert.match(
      shipped.stderr,
      /nothing to audit in .*: its code is build output \(dist\), which improve skips/,
    );
    assert.match(shipped.stderr, /repository that builds it/);
    assert.ok(!existsSync(path.join(built.dir, 'plans')));
  });

  it('reports a broken package.json as a finding instead of crashing', (t) => {
    const repo = makeRepo({
      ...PLANTED_APP,
      'package.json': '{ "name": "x", "scripts": { "test": "node --test" ,, }\n',
    });
    t.after(repo.dispose);
    const run = runCli([repo.dir, '--no-plans', '--json', '-']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.ok(report.findings.some((f: { ruleId: string }) => f.ruleId === 'dx/broken-manifest'));
  });

  it('keeps a hand-edited plans index: user notes survive and rejections stay made', (t) => {
    const repo = makeRepo(PLANTED_APP);
    t.after(repo.dispose);
    assert.equal(runCli([repo.dir, '--top', '1', '--focus', 'security']).code, 0);
    const indexFile = path.join(repo.dir, 'plans/README.md');
    const report = JSON.parse(runCli([repo.dir, '--no-plans', '--json', '-', '--focus', 'security']).stdout);
    const victim = report.findings[0];
    const edited = `${readFileSync(indexFile, 'utf8')}\n## Team notes\n\nKeep plan 001 small.\n\n- \`${victim.id}\` (${victim.ruleId}) ${victim.title} — we accept this risk\n`;
    writeFileSync(indexFile, edited);
    const again = runCli([repo.dir, '--top', '1', '--focus', 'security', '--json', '-']);
    assert.equal(again.code, 0, again.stderr);
    const after = JSON.parse(again.stdout);
    assert.ok(!after.findings.some((f: { id: string }) => f.id === victim.id));
    assert.ok(
      after.rejections.some(
        (r: { findingId: string; reason: string }) =>
          r.findingId === victim.id && /we accept this risk/.test(r.reason),
      ),
    );
    assert.match(readFileSync(indexFile, 'utf8'), /Keep plan 001 small\./);
  });

  it('writes to advisor-plans/ when plans/ is used for something else', (t) => {
    const repo = makeRepo({ ...PLANTED_APP, 'plans/README.md': '# Floor plans\n\nArchitect drawings.\n' });
    t.after(repo.dispose);
    const run = runCli([repo.dir, '--top', '1']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr + run.stdout, /advisor-plans/);
    assert.equal(
      readFileSync(path.join(repo.dir, 'plans/README.md'), 'utf8'),
      '# Floor plans\n\nArchitect drawings.\n',
    );
    assert.ok(existsSync(path.join(repo.dir, 'advisor-plans/README.md')));
  });

  it('rejects --select numbers outside the table', (t) => {
    const repo = makeRepo(PLANTED_APP);
    t.after(repo.dispose);
    const run = runCli([repo.dir, '--select', '99']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /no finding #99/);
    assert.ok(!existsSync(path.join(repo.dir, 'plans')));
  });

  it('rejects a report path that is a folder, a plans folder that is a file, two reports on stdout and an unreadable config', (t) => {
    const repo = makeRepo(PLANTED_APP);
    t.after(repo.dispose);
    const out = tempDir();
    t.after(out.dispose);
    const json = runCli([repo.dir, '--no-plans', '--json', out.dir]);
    assert.equal(json.code, 2, json.stderr);
    assert.match(json.stderr, /--json .* is a folder/);
    writeFileSync(path.join(out.dir, 'plans.txt'), 'x');
    const plans = runCli([repo.dir, '--top', '1', '--plans-dir', path.join(out.dir, 'plans.txt')]);
    assert.equal(plans.code, 2, plans.stderr);
    assert.match(plans.stderr, /--plans-dir .*plans\.txt is a file, not a folder/);
    const both = runCli([repo.dir, '--no-plans', '--json', '-', '--sarif', '-']);
    assert.equal(both.code, 2, both.stderr);
    assert.match(both.stderr, /only one of --json and --sarif can write to stdout/);
    mkdirSync(path.join(repo.dir, '.improve.yml'));
    const config = runCli([repo.dir, '--no-plans']);
    assert.equal(config.code, 2, config.stderr);
    assert.match(config.stderr, /\.improve\.yml cannot be read/);
    assert.ok(!existsSync(path.join(repo.dir, 'plans')), 'nothing written');
  });
});
