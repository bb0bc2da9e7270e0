import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FILES_PER_PLAN, fixGroups, SYSTEMIC_FILES } from '../../src/api/fix-groups.ts';
import { rowExtents, rowTitle, tableFindings } from '../../src/api/select.ts';
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

describe('a systemic problem (the same small fix in many files)', () => {
  const timeout = (id: string, file: string, more: Partial<Finding> = {}): Finding => ({
    ...finding(id, 'correctness/request-without-timeout', file),
    ...more,
  });
  // Requests without a timeout in four files (two in one), a lead, and one a branch introduced.
  const findings = [
    timeout('T1', 'app/a.py'),
    timeout('T2', 'app/b.py'),
    timeout('T3', 'app/b.py'),
    timeout('T4', 'app/c.py'),
    timeout('T5', 'app/d.py'),
    timeout('T6', 'app/e.py', { confidence: 'LOW' }),
    // A model's findings share a rule id per category but are different problems.
    ...[1, 2, 3, 4].map((n) => ({ ...finding(`M${n}`, 'llm/correctness', `lib/m${n}.ts`) })),
    // A bigger fix (effort M) in three files stays one row per file.
    ...[1, 2, 3].map((n) => ({
      ...finding(`B${n}`, 'security/sql-injection', `db/q${n}.ts`),
      effort: 'M' as const,
    })),
  ];

  it('is one row of the table, with how many places and files it covers', () => {
    const rows = tableFindings(findings, 'standard');
    assert.deepEqual(
      rows.map((f) => f.id),
      ['T1', 'M1', 'M2', 'M3', 'M4', 'B1', 'B2', 'B3'],
    );
    const extent = rowExtents(findings, 'standard');
    assert.deepEqual(extent(rows[0] as Finding), { places: 5, files: 4 });
    assert.equal(
      rowTitle('HTTP request without a timeout', extent(rows[0] as Finding)),
      '5× HTTP request without a timeout (in 4 files)',
    );
    assert.equal(rowTitle('No README', undefined), 'No README');
    assert.equal(extent(rows[1] as Finding), undefined);
    assert.equal(extent(rows[5] as Finding), undefined);
  });

  it('needs the fix in SYSTEMIC_FILES files; fewer stay rows of their own', () => {
    assert.equal(SYSTEMIC_FILES, 3);
    const two = findings.filter((f) => ['T1', 'T2', 'T3'].includes(f.id));
    assert.deepEqual(
      tableFindings(two, 'standard').map((f) => f.id),
      ['T1', 'T2', 'T3'],
    );
    assert.equal(fixGroups(two).key(two[0] as Finding) === fixGroups(two).key(two[1] as Finding), false);
  });

  it('keeps what a branch introduced apart from what was there before', () => {
    const branch = [
      ...findings.slice(0, 5).map((f) => ({ ...f, introduced: false })),
      ...['x', 'y', 'z'].map((name) => timeout(`N${name}`, `new/${name}.py`, { introduced: true })),
    ];
    const groups = fixGroups(branch);
    const keys = new Set(branch.map((f) => groups.key(f)));
    assert.equal(keys.size, 2);
    assert.deepEqual(
      tableFindings(branch, 'standard').map((f) => f.id),
      ['T1', 'Nx'],
    );
  });

  it('is listed place by place in a deep audit', () => {
    assert.equal(tableFindings(findings, 'deep').length, findings.length);
    assert.equal(rowExtents(findings, 'deep')(findings[0] as Finding), undefined);
    assert.ok(FILES_PER_PLAN >= SYSTEMIC_FILES);
  });
});
