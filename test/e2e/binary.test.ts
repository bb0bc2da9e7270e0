import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BIN, runCli } from '../helpers/cli.ts';
import { makeRepo, tempDir } from '../helpers/repo.ts';
import { PLANTED_APP } from './fixture-app.ts';

describe('the built binary', () => {
  it('is executable and runs on its own, as `npx improve` runs it', () => {
    // The package's bin is run directly (shebang), not through `node`: the build must leave it
    // executable, or `npx improve .` fails with "Permission denied" on a fresh clone.
    assert.ok((statSync(BIN).mode & 0o111) !== 0, `${BIN} is not executable`);
    const version = execFileSync(BIN, ['--version'], {
      encoding: 'utf8',
      // The shebang's `node` must be the pinned Node 24 here, as in npm scripts.
      env: {
        ...process.env,
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
      },
    });
    assert.match(version.trim(), /^\d+\.\d+\.\d+$/);
    const manifest = JSON.parse(readFileSync(path.resolve(path.dirname(BIN), '../../package.json'), 'utf8'));
    assert.equal(version.trim(), manifest.version);
  });

  it('runs its file detectors on worker threads from the bundle, with the same findings as without', (t) => {
    // The CLI and the worker are bundles (scripts/bundle.ts); a worker that cannot load is not
    // fatal (the main thread takes its files), so the report must say nothing failed.
    const repo = makeRepo(PLANTED_APP);
    t.after(repo.dispose);
    const out = tempDir();
    t.after(out.dispose);
    const report = (workers: string) => {
      const file = path.join(out.dir, `workers-${workers}.json`);
      const args = ['audit', repo.dir, 'standard', '--no-plans', '--no-cache', '--json', file];
      const run = runCli(args, { env: { IMPROVE_WORKERS: workers } });
      assert.equal(run.code, 0, run.stderr);
      return JSON.parse(readFileSync(file, 'utf8'));
    };
    const threaded = report('2');
    assert.doesNotMatch(JSON.stringify(threaded), /worker thread failed/);
    assert.ok(threaded.findings.length > 5, 'the planted app has findings');
    assert.deepEqual(threaded.findings, report('0').findings);
  });

  // This machine's system Node is older than the engines range; elsewhere the case is skipped.
  const olderNode = ['/usr/bin/node', '/usr/local/bin/node'].find((candidate) => {
    if (!existsSync(candidate)) return false;
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout ?? '';
    return Number(/^v(\d+)/.exec(version)?.[1] ?? 99) < 22;
  });
  it('says which Node it needs on an older one, exit 3, instead of a module error', {
    skip: !olderNode,
  }, () => {
    const run = spawnSync(olderNode ?? 'node', [BIN, '--version'], { encoding: 'utf8' });
    assert.equal(run.status, 3);
    assert.match(run.stderr, /^error: improve needs Node\.js 22 or newer; this is v\d+/);
    assert.doesNotMatch(run.stderr, /SyntaxError|enableCompileCache/);
    assert.equal(run.stdout, '');
  });
});
