import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
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
});
