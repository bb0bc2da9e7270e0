import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BIN } from '../helpers/cli.ts';

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
