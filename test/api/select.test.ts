import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tableFindings } from '../../src/api/select.ts';
import type { Finding } from '../../src/core/types.ts';

function finding(
  id: string,
  ruleId: string,
  file: string | undefined,
  confidence: Finding['confidence'] = 'MED',
): Finding {
  return {
    id,
    ruleId,
    category: 'security',
    title: 't',
    message: 'm',
    evidence: file === undefined ? [] : [{ file, startLine: 1, endLine: 1, excerpt: 'x' }],
    impact: 'HIGH',
    effort: 'S',
    risk: 'LOW',
    riskReason: 'r',
    confidence,
    fixSketch: 'f',
  };
}

describe('the findings table', () => {
  const findings = [
    // Four of one rule in one file (sqlalchemy/ext/serializer.py's pickle.loads calls) …
    ...[1, 2, 3, 4].map((n) => finding(`S${n}`, 'security/unsafe-deserialization', 'ext/serializer.py')),
    // … then the same rule elsewhere, a LOW lead, and a rule with no file.
    finding('W1', 'security/unsafe-deserialization', 'worker/state.py'),
    finding('L1', 'security/unsafe-deserialization', 'cache.py', 'LOW'),
    ...[1, 2, 3, 4, 5, 6].map((n) => finding(`D${n}`, 'docs/broken-link', `docs/page${n}.md`)),
    finding('R1', 'tests/no-verification-baseline', undefined),
  ];

  it('shows a rule at most twice in one file and five times in all, and no LOW leads', () => {
    assert.deepEqual(
      tableFindings(findings, 'standard').map((f) => f.id),
      ['S1', 'S2', 'W1', 'D1', 'D2', 'D3', 'D4', 'D5', 'R1'],
    );
  });

  it('shows everything in a deep audit', () => {
    assert.equal(tableFindings(findings, 'deep').length, findings.length);
  });
});
