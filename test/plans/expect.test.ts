import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../src/core/errors.ts';
import { checkExpect, formatExpect, parseExpect } from '../../src/plans/plan.ts';

describe('expect grammar', () => {
  it('parses every clause and their combination', () => {
    assert.deepEqual(parseExpect('exit 0'), [{ kind: 'exit', code: 0 }]);
    assert.deepEqual(parseExpect('exit 3'), [{ kind: 'exit', code: 3 }]);
    assert.deepEqual(parseExpect('stdout empty'), [{ kind: 'stdout-empty' }]);
    assert.deepEqual(parseExpect('stdout contains "12:"'), [{ kind: 'stdout-contains', text: '12:' }]);
    assert.deepEqual(parseExpect('stdout matches /^ok \\d+/m'), [
      { kind: 'stdout-matches', pattern: '^ok \\d+', flags: 'm' },
    ]);
    assert.deepEqual(parseExpect('exit 0 and stdout contains "a and b" and stdout matches /x\\/y[/]/'), [
      { kind: 'exit', code: 0 },
      { kind: 'stdout-contains', text: 'a and b' },
      { kind: 'stdout-matches', pattern: 'x\\/y[/]', flags: '' },
    ]);
    assert.deepEqual(parseExpect('stdout contains "say \\"hi\\""'), [
      { kind: 'stdout-contains', text: 'say "hi"' },
    ]);
  });

  it('formats clauses back to the same text', () => {
    for (const text of [
      'exit 0',
      'exit 0 and stdout empty',
      'stdout contains "a \\"b\\""',
      'stdout matches /a|b/i',
    ]) {
      assert.equal(formatExpect(parseExpect(text)), text);
    }
  });

  it('rejects text outside the grammar with a UsageError that shows the grammar', () => {
    for (const bad of [
      '',
      'exits 0',
      'exit 0 or exit 1',
      'exit 999',
      'stdout contains unquoted',
      'stdout contains "unterminated',
      'stdout matches /unterminated',
      'stdout matches /(/',
      'exit 0 and',
      'succeeds',
    ]) {
      assert.throws(
        () => parseExpect(bad),
        (error: unknown) =>
          error instanceof UsageError &&
          error.exitCode === 2 &&
          /Bad expect/.test(error.message) &&
          !!error.hint,
        bad,
      );
    }
  });

  it('checks a command result against every clause', () => {
    assert.equal(checkExpect('exit 0', { exitCode: 0, stdout: 'anything' }), true);
    assert.equal(checkExpect('exit 0', { exitCode: 1, stdout: '' }), false);
    assert.equal(checkExpect('exit 2', { exitCode: 2, stdout: '' }), true);
    assert.equal(checkExpect('exit 0 and stdout empty', { exitCode: 0, stdout: ' \n' }), true);
    assert.equal(checkExpect('exit 0 and stdout empty', { exitCode: 0, stdout: ' 1 file changed\n' }), false);
    assert.equal(checkExpect('stdout contains "4:"', { exitCode: 0, stdout: '4:  } catch (e) {}\n' }), true);
    assert.equal(checkExpect('stdout contains "4:"', { exitCode: 0, stdout: '5: other\n' }), false);
    assert.equal(checkExpect('stdout matches /^ok/m', { exitCode: 1, stdout: 'x\nok 1' }), true);
    assert.equal(checkExpect('exit 0 and stdout matches /^ok/m', { exitCode: 1, stdout: 'ok' }), false);
  });
});
