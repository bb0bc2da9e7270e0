import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig, parseConfig } from '../../src/config/config.ts';
import { UsageError } from '../../src/core/errors.ts';

describe('config', () => {
  it('reads accepted findings with reasons and ignore patterns', () => {
    const config = parseConfig(
      'accept:\n  - id: F-1a2b3c4d\n    reason: legacy, removed in Q3\nignore:\n  - legacy/**\n',
      '.improve.yml',
    );
    assert.equal(config.accepted.get('F-1a2b3c4d'), 'legacy, removed in Q3');
    assert.deepEqual(config.ignore, ['legacy/**']);
  });

  it('rejects an acceptance without a reason, unknown keys and broken YAML with exit code 2', () => {
    for (const [text, message] of [
      ['accept:\n  - id: F-1a2b3c4d\n', /needs a "reason"/],
      ['acept: []\n', /unknown key "acept"/],
      ['accept: [\n', /invalid YAML/],
      ['accept:\n  - id: 12\n    reason: x\n', /needs an "id"/],
    ] as const) {
      assert.throws(
        () => parseConfig(text, '.improve.yml'),
        (error: unknown) => {
          assert.ok(error instanceof UsageError);
          assert.equal(error.exitCode, 2);
          assert.match(error.message, message);
          assert.match(error.message, /^\.improve\.yml: /);
          return true;
        },
      );
    }
  });

  it('refuses a config file that is there but cannot be read (a folder, a dangling link), and reads none when there is none', (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'improve-config-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    assert.deepEqual(loadConfig(dir), { accepted: new Map(), ignore: [] });
    mkdirSync(path.join(dir, '.improve.yml'));
    assert.throws(
      () => loadConfig(dir),
      (error: unknown) =>
        error instanceof UsageError && /^\.improve\.yml cannot be read: /.test(error.message),
    );
    rmSync(path.join(dir, '.improve.yml'), { recursive: true });
    symlinkSync(path.join(dir, 'nowhere.yml'), path.join(dir, '.improve.yml'));
    assert.throws(() => loadConfig(dir), UsageError);
  });
});
