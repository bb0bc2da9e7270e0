import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guidanceFor } from '../../src/detectors/guidance.ts';
import { DETECTORS } from '../../src/detectors/index.ts';
import { nPlusOne } from '../../src/detectors/performance/n-plus-one.ts';
import { detect } from '../helpers/detector.ts';

/**
 * What an executor following a plan about a .py file literally would take for JavaScript advice:
 * its syntax, its tools, its APIs.
 */
const JAVASCRIPT =
  /\bconst\b|\blet \w+ =|=>|===|!==|\bnpm\b|\bnpx\b|\bJSON\.(?:parse|stringify)\b|\$1\b|process\.env|\bPromise\.|\.catch\(|try\/catch|\beslint\b|node-serialize|\bJavaScript\b|\bTypeScript\b|\bNode(?:\.js)?\b|\bundefined\b|package\.json|\bMap\b|require\(|\btsc\b|\.textContent\b|\bnew URL\(|\bObject\.\w|\{ ?\.\.\.\w/;

/** Repository-wide detectors whose findings cite code files, Python's among them. */
const CITE_CODE = new Set([
  'security/hardcoded-secret',
  'tech-debt/circular-import',
  'tech-debt/duplicate-block',
  'tech-debt/god-module',
  'tech-debt/todo-cluster',
  'tech-debt/unused-file',
]);

describe('Python guidance', () => {
  it('tells a plan about a .py file nothing about JavaScript', () => {
    const offenders: string[] = [];
    for (const detector of DETECTORS) {
      const python =
        detector.scope === 'file' ? detector.languages.includes('python') : CITE_CODE.has(detector.id);
      if (!python) continue;
      const guidance = guidanceFor(detector, 'shop/views.py');
      for (const text of [guidance.fixSketch, guidance.riskReason, ...(guidance.steps ?? [])]) {
        const found = JAVASCRIPT.exec(text);
        if (found) offenders.push(`${detector.id}: \`${found[0]}\` in "${text.slice(0, 70)}…"`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('tells a plan about a Python project as a whole nothing about JavaScript', () => {
    // No tests (fastapi service with a requirements.txt), an unused requirement, no README.
    const ids = new Set([
      'tests/no-verification-baseline',
      'tech-debt/unused-dependency',
      'docs/no-readme',
      'dx/no-agent-guide',
    ]);
    const offenders: string[] = [];
    for (const detector of DETECTORS.filter((d) => ids.has(d.id))) {
      for (const guidance of [
        guidanceFor(detector, undefined, true),
        guidanceFor(detector, 'requirements.txt'),
      ]) {
        for (const text of [guidance.fixSketch, guidance.riskReason, ...(guidance.steps ?? [])]) {
          const found = JAVASCRIPT.exec(text);
          if (found) offenders.push(`${detector.id}: \`${found[0]}\` in "${text.slice(0, 70)}…"`);
        }
      }
    }
    assert.deepEqual(offenders, []);
    // A JavaScript repository's finding that cites no file keeps the general steps.
    const baseline = DETECTORS.find((d) => d.id === 'tests/no-verification-baseline');
    assert.deepEqual(baseline && guidanceFor(baseline, undefined, false).steps, baseline?.steps);
  });

  it('gives a finding in a .py file the Python fix and one in a .ts file the general one', () => {
    const findings = detect(nPlusOne, {
      'shop/db.py': [
        'def names(conn, ids):',
        '    out = {}',
        '    for cid in ids:',
        '        out[cid] = conn.execute("SELECT name FROM customers WHERE id = ?", (cid,)).fetchone()',
        '    return out',
        '',
      ].join('\n'),
      'src/db.ts': [
        'export async function names(db, ids) {',
        '  const out = {};',
        '  for (const id of ids) out[id] = await db.query("SELECT name FROM customers WHERE id = $1", [id]);',
        '  return out;',
        '}',
        '',
      ].join('\n'),
    });
    const sketch = (file: string) => findings.find((f) => f.evidence[0]?.file === file)?.fixSketch;
    assert.equal(sketch('shop/db.py'), nPlusOne.python?.fixSketch);
    assert.equal(sketch('src/db.ts'), nPlusOne.fixSketch);
    assert.deepEqual(guidanceFor(nPlusOne, 'src/db.ts').steps, nPlusOne.steps);
  });
});
