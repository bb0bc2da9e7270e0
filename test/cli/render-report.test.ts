import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditResult } from '../../src/api/audit.ts';
import { renderReport, TABLE_ROWS } from '../../src/cli/render-report.ts';
import type { AuditLevel, Finding } from '../../src/core/types.ts';

/** One finding of a rule of its own, so that no rule's row cap hides any. */
function finding(n: number): Finding {
  return {
    id: `F-${n}`,
    ruleId: `tech-debt/rule-${n}`,
    category: 'tech-debt',
    title: `Problem number ${n}`,
    message: 'Something to fix.',
    evidence: [{ file: `src/file-${n}.ts`, startLine: 1, endLine: 1, excerpt: 'x' }],
    impact: 'MED',
    effort: 'S',
    risk: 'LOW',
    riskReason: 'Small.',
    confidence: 'MED',
    fixSketch: 'Fix it.',
  };
}

function result(level: AuditLevel, count: number): AuditResult {
  return {
    profile: {
      files: [
        { path: 'README.md', size: 1, role: 'docs', languageName: 'Markdown' },
        { path: 'a.json', size: 1, role: 'config', languageName: 'JSON' },
        { path: 'b.json', size: 1, role: 'config', languageName: 'JSON' },
        { path: 'src/a.ts', size: 1, role: 'source', language: 'typescript', languageName: 'TypeScript' },
        { path: 'src/b.js', size: 1, role: 'source', language: 'javascript', languageName: 'JavaScript' },
        { path: 'src/c.js', size: 1, role: 'source', language: 'javascript', languageName: 'JavaScript' },
      ],
    },
    level,
    findings: Array.from({ length: count }, (_, i) => finding(i + 1)),
    alreadyPlanned: [],
    direction: [],
    rejections: [],
    notAudited: [],
    unexplainedIgnores: [],
    detectorsRun: 70,
    filesAudited: count,
  } as unknown as AuditResult;
}

const rows = (report: string) => report.split('\n').filter((line) => /^\s*\d+\s+Problem number/.test(line));

describe('renderReport', () => {
  it('shows at most 25 rows at the standard level and says that deep lists the rest', () => {
    const report = renderReport(result('standard', 30), { width: 120, color: false });
    assert.equal(rows(report).length, TABLE_ROWS);
    assert.match(report, /… and 5 more \(lower leverage\): `improve deep` lists them/);
    // The count is of code files: the header names their languages, not the JSON beside them.
    assert.match(
      report,
      /^improve: 30 files audited \(JavaScript, TypeScript\), standard level, 70 checks$/m,
    );
  });

  it('says how many findings of a rule the per-rule cap left out', () => {
    const capped = result('standard', 8);
    for (const f of capped.findings) f.ruleId = 'tech-debt/one-rule';
    const report = renderReport(capped, { width: 120, color: false });
    assert.equal(rows(report).length, 5);
    assert.match(
      report,
      /Not in the table: 3 more findings of rules that have their 5 rows already \(2 in one file\)\./,
    );
  });

  it('lists every row at the deep level, as the standard report promises', () => {
    const report = renderReport(result('deep', 30), { width: 120, color: false });
    assert.equal(rows(report).length, 30);
    assert.doesNotMatch(report, /more \(lower leverage\)/);
  });
});
