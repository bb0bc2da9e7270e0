import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/core/types.ts';
import { vet } from '../../src/vet/vet.ts';

function finding(
  id: string,
  file: string,
  startLine: number,
  excerpt: string,
  ruleId = 'correctness/x',
): Finding {
  return {
    id,
    ruleId,
    category: 'correctness',
    title: 't',
    message: 'm',
    evidence: [{ file, startLine, endLine: startLine + excerpt.split('\n').length - 1, excerpt }],
    impact: 'MED',
    effort: 'S',
    risk: 'LOW',
    riskReason: 'r',
    confidence: 'HIGH',
    fixSketch: 'f',
  };
}

const files: Record<string, string[]> = {
  'a.ts': [
    'line one',
    'try { x() } catch (e) {}',
    'line three',
    '// improve-ignore: the cache is optional',
    'try { y() } catch (e) {}',
    '// improve-ignore',
    'try { z() } catch (e) {}',
  ],
};
const lines = (file: string) => files[file];
const none = new Map<string, string>();

describe('vet', () => {
  it('keeps findings whose cited lines still match and drops those that no longer do', () => {
    const result = vet({
      findings: [
        finding('F-1', 'a.ts', 2, 'try { x() } catch (e) {}'),
        finding('F-2', 'a.ts', 3, 'something else'),
        finding('F-3', 'gone.ts', 1, 'x'),
      ],
      lines,
      accepted: none,
      rejectedBefore: none,
    });
    assert.deepEqual(
      result.findings.map((f) => f.id),
      ['F-1'],
    );
    assert.deepEqual(
      result.rejections.map((r) => [r.findingId, r.reason]),
      [
        ['F-2', 'cited lines no longer match the file'],
        ['F-3', 'cited lines no longer match the file'],
      ],
    );
  });

  it('follows code that moved to other lines', () => {
    const result = vet({
      findings: [finding('F-1', 'a.ts', 1, 'try { x() } catch (e) {}')],
      lines,
      accepted: none,
      rejectedBefore: none,
    });
    assert.equal(result.findings[0]?.evidence[0]?.startLine, 2);
  });

  it('honours an inline improve-ignore with a reason and reports one without', () => {
    const result = vet({
      findings: [
        finding('F-5', 'a.ts', 5, 'try { y() } catch (e) {}'),
        finding('F-7', 'a.ts', 7, 'try { z() } catch (e) {}'),
      ],
      lines,
      accepted: none,
      rejectedBefore: none,
    });
    assert.deepEqual(
      result.findings.map((f) => f.id),
      ['F-7'],
    );
    assert.equal(result.rejections[0]?.reason, 'suppressed inline: the cache is optional');
    assert.deepEqual(result.unexplainedIgnores, ['a.ts:7']);
  });

  it('reads no line before the first: a finding on line 1 is not suppressed by a comment on the last line', () => {
    const text = ['try { x() } catch (e) {}', 'ok();', '// improve-ignore: about something else'];
    const result = vet({
      findings: [finding('F-1', 'b.ts', 1, 'try { x() } catch (e) {}')],
      lines: (file) => (file === 'b.ts' ? text : undefined),
      accepted: none,
      rejectedBefore: none,
    });
    assert.deepEqual(
      result.findings.map((f) => f.id),
      ['F-1'],
    );
    assert.deepEqual(result.unexplainedIgnores, []);
  });

  it('honours config acceptances and earlier rejections', () => {
    const result = vet({
      findings: [
        finding('F-1', 'a.ts', 2, 'try { x() } catch (e) {}'),
        finding('F-9', 'a.ts', 2, 'try { x() } catch (e) {}', 'correctness/y'),
      ],
      lines,
      accepted: new Map([['F-1', 'legacy path, removed next quarter']]),
      rejectedBefore: new Map([['F-9', 'not a real problem']]),
    });
    assert.deepEqual(result.findings, []);
    assert.deepEqual(
      result.rejections.map((r) => r.reason),
      ['accepted in config: legacy path, removed next quarter', 'rejected earlier: not a real problem'],
    );
  });

  it('merges duplicates: the same id, or the same rule on overlapping lines', () => {
    const a = finding('F-1', 'a.ts', 2, 'try { x() } catch (e) {}');
    const b = finding('F-2', 'a.ts', 2, 'try { x() } catch (e) {}');
    const result = vet({ findings: [a, a, b], lines, accepted: none, rejectedBefore: none });
    assert.deepEqual(
      result.findings.map((f) => f.id),
      ['F-1'],
    );
    assert.equal(result.merged, 2);
  });
});
