import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../src/config/config.ts';
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
});
