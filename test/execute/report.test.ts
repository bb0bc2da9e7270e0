import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseReport } from '../../src/execute/report.ts';

describe('the executor report', () => {
  it('is read from the end of an agent’s chatty output, in the fixed format', () => {
    const output = [
      'I will now edit the file.',
      'STATUS: is what I report at the end',
      'Done. Here is my report:',
      '```text',
      'STATUS: DONE',
      'STEPS COMPLETED: 1, 2, 3, 4',
      'VERIFY RESULTS:',
      "- `grep -n -F -- 'x' 'a.js'` → 7: found",
      '- `npm test` → exit 0',
      'FILES CHANGED: src/a.js, `test/a.test.js`',
      'STOP REASON: none',
      'NOTES: none',
      '```',
    ].join('\n');
    assert.deepEqual(parseReport(output), {
      status: 'DONE',
      stepsCompleted: '1, 2, 3, 4',
      verifyResults: ["`grep -n -F -- 'x' 'a.js'` → 7: found", '`npm test` → exit 0'],
      filesChanged: ['src/a.js', 'test/a.test.js'],
    });
  });

  it('keeps the stop reason and notes, also with markdown emphasis on the labels', () => {
    const report = parseReport(
      '**STATUS**: STOPPED\n**STEPS COMPLETED**: 1\n**FILES CHANGED**: none\n**STOP REASON**: the drift check printed src/a.js\n**NOTES**: the file was\nrewritten upstream',
    );
    assert.equal(report?.status, 'STOPPED');
    assert.deepEqual(report?.filesChanged, []);
    assert.equal(report?.stopReason, 'the drift check printed src/a.js');
    assert.equal(report?.notes, 'the file was\nrewritten upstream');
  });

  it('is absent when the output has no STATUS line with a known status', () => {
    assert.equal(parseReport('all good, I think'), undefined);
    assert.equal(parseReport('STATUS: maybe'), undefined);
  });
});
