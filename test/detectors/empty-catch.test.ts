import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyCatch } from '../../src/detectors/correctness/empty-catch.ts';
import { detect } from '../helpers/detector.ts';

describe('correctness/empty-catch', () => {
  it('flags an empty catch and a log-only catch', () => {
    const findings = detect(emptyCatch, {
      'src/save.ts': [
        'export async function save(db: Db, row: Row) {',
        '  try {',
        '    await db.insert(row);',
        '  } catch (e) {}',
        '  try {',
        '    await db.flush();',
        '  } catch (error) {',
        '    console.error(error);',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.startLine, f.confidence]),
      [
        [4, 'HIGH'],
        [7, 'HIGH'],
      ],
    );
  });

  it('leaves handled, re-thrown and commented catches alone', () => {
    const findings = detect(emptyCatch, {
      'src/ok.js': [
        'try { run(); } catch (e) { throw new Error("run failed", { cause: e }); }',
        'try { run(); } catch (e) { return fallback(e); }',
        'try { run(); } catch { /* optional feature: absent on old platforms */ }',
        'try { run(); } catch (e) { metrics.count(e); retry(); }',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });

  it('downgrades a finding in a test file to LOW confidence and labels it', () => {
    const findings = detect(emptyCatch, { 'test/x.test.ts': 'try { a(); } catch (e) {}\n' });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.confidence, 'LOW');
    assert.equal(findings[0]?.fileRole, 'test');
  });
});
