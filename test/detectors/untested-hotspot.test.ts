import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { untestedHotspot } from '../../src/detectors/tests/untested-hotspot.ts';
import { detect } from '../helpers/detector.ts';

const GIT = (hotspots: { path: string; commits: number }[]) => ({
  git: { available: true, head: 'abc', branch: 'main', defaultBranch: 'main', hotspots },
});

describe('tests/untested-hotspot', () => {
  it('flags the most-changed source files that no test imports, at most three', () => {
    const findings = detect(
      untestedHotspot,
      {
        'src/billing.ts': 'export const bill = 1;\n',
        'src/user-service.ts': 'export const user = 1;\n',
        'src/user.ts': 'export const u = 1;\n',
        'src/auth/index.ts': 'export const auth = 1;\n',
        'src/cart.ts': 'export const cart = 1;\n',
        'src/tax.ts': 'export const tax = 1;\n',
        'test/user-service.test.ts': "import { user } from '../src/user-service.ts';\n",
      },
      GIT([
        { path: 'src/billing.ts', commits: 40 },
        { path: 'src/user-service.ts', commits: 30 },
        { path: 'src/user.ts', commits: 25 },
        { path: 'src/auth/index.ts', commits: 20 },
        { path: 'src/cart.ts', commits: 10 },
        { path: 'src/tax.ts', commits: 9 },
      ]),
    );
    assert.deepEqual(
      findings.map((f) => f.evidence[0]?.file),
      ['src/billing.ts', 'src/user.ts', 'src/auth/index.ts'],
    );
    assert.match(findings[0]?.message ?? '', /40 commits/);
    assert.match(findings[2]?.message ?? '', /`auth`/);
    assert.equal(findings[0]?.confidence, 'MED');
    assert.equal(untestedHotspot.quick, false);
  });

  it('counts python imports and jest mocks as coverage, and ignores non-source and low-churn files', () => {
    const findings = detect(
      untestedHotspot,
      {
        'app/payments.py': 'def pay():\n    return 1\n',
        'src/api.ts': 'export const api = 1;\n',
        'src/rare.ts': 'export const rare = 1;\n',
        'docs/guide.md': '# Guide\n',
        'tests/test_payments.py': 'from app.payments import pay\n',
        'test/api.test.ts': "jest.mock('../src/api');\n",
      },
      GIT([
        { path: 'app/payments.py', commits: 50 },
        { path: 'src/api.ts', commits: 30 },
        { path: 'docs/guide.md', commits: 30 },
        { path: 'src/rare.ts', commits: 2 },
      ]),
    );
    assert.deepEqual(findings, []);
  });

  it('stays silent when the repository has no tests at all (the baseline finding covers it)', () => {
    const findings = detect(
      untestedHotspot,
      { 'src/a.ts': 'export {};\n' },
      GIT([{ path: 'src/a.ts', commits: 9 }]),
    );
    assert.deepEqual(findings, []);
  });
});
