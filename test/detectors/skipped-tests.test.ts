import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { skippedTests } from '../../src/detectors/tests/skipped-tests.ts';
import { detect } from '../helpers/detector.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';

function exitCode(check: string, files: Record<string, string>): number {
  const temp = tempDir();
  try {
    writeTree(temp.dir, files);
    execFileSync('sh', ['-c', check], { cwd: temp.dir, stdio: 'ignore' });
    return 0;
  } catch (error) {
    return (error as { status?: number }).status ?? 1;
  } finally {
    temp.dispose();
  }
}

const JS = [
  "describe('billing', () => {",
  "  it.skip('charges the card', () => {});",
  "  xit('refunds', () => {});",
  "  it('totals', () => { expect(1).toBe(1); });",
  "  describe.skip('invoices', () => {});",
  '});',
].join('\n');

describe('tests/skipped-tests', () => {
  it('reports one finding per file with two or more skips, citing each skip', () => {
    const findings = detect(skippedTests, { 'test/billing.test.ts': JS });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding?.title, '3 skipped tests');
    assert.equal(finding?.confidence, 'HIGH');
    assert.deepEqual(
      finding?.evidence.map((e) => e.startLine),
      [2, 3, 5],
    );
    assert.match(finding?.message ?? '', /lines 2, 3, 5/);
  });

  it('has a done check that passes only once every skip is gone', () => {
    const [finding] = detect(skippedTests, { 'test/billing.test.ts': JS });
    const check = finding?.doneCheck ?? '';
    assert.equal(exitCode(check, { 'test/billing.test.ts': JS }), 1);
    const fixed = JS.replace('it.skip(', 'it(').replace('xit(', 'it(').replace('describe.skip(', 'describe(');
    assert.equal(exitCode(check, { 'test/billing.test.ts': fixed }), 0);
  });

  it('counts pytest and unittest skips but not conditional ones', () => {
    const findings = detect(skippedTests, {
      'tests/test_api.py': [
        'import pytest, sys, unittest',
        '@pytest.mark.skip(reason="flaky")',
        'def test_a(): assert True',
        '@pytest.mark.skip',
        'def test_b(): assert True',
        '@unittest.skip("later")',
        'def test_c(): assert True',
        '@pytest.mark.skipif(sys.platform == "win32", reason="posix only")',
        'def test_d(): assert True',
      ].join('\n'),
      'tests/test_one.py':
        '@pytest.mark.skip\ndef test_x(): assert True\n@pytest.mark.skipif(True, reason="x")\ndef test_y(): pass\n',
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.title, f.evidence.map((e) => e.startLine)]),
      [['tests/test_api.py', '3 skipped tests', [2, 4, 6]]],
    );
  });

  it('rates skips for a service the environment lacks MED, and says to make them conditional (django-q on Debian)', () => {
    const findings = detect(skippedTests, {
      'django_q/tests/test_brokers.py': [
        'import pytest',
        '@pytest.mark.skip(reason="No disque in Debian")',
        'def test_disque(monkeypatch): assert get_broker()',
        "@pytest.mark.skip(reason='requires a running MongoDB server')",
        'def test_mongo(monkeypatch): assert get_broker()',
      ].join('\n'),
      'tests/test_mixed.py': [
        'import pytest',
        '@pytest.mark.skip(reason="No disque in Debian")',
        'def test_disque(): assert True',
        '@pytest.mark.skip(reason="broken since the refactor")',
        'def test_refactor(): assert True',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.confidence]),
      [
        ['django_q/tests/test_brokers.py', 'MED'],
        ['tests/test_mixed.py', 'HIGH'],
      ],
    );
    assert.match(
      findings[0]?.message ?? '',
      /environment lacks \("No disque in Debian", "requires a running MongoDB server"\).*skipif/,
    );
  });

  it('ignores skips on fixtures defined inside a test of skipping itself (unittest test_skipping.py)', () => {
    const fixtures = [
      'class Test_TestSkipping(unittest.TestCase):',
      '    def test_skip_class(self):',
      '        @unittest.skip("testing")',
      '        class Foo(unittest.TestCase):',
      '            def test_1(self):',
      '                record.append(1)',
      '        self.assertEqual(record, [])',
      '    def test_skip_doesnt_run_setup(self):',
      '        class Foo(unittest.TestCase):',
      '            @unittest.skip("testing")',
      '            def test_1(self):',
      '                pass',
      '        self.assertTrue(Foo("test_1").run().wasSuccessful())',
    ];
    assert.deepEqual(detect(skippedTests, { 'unittest/test/test_skipping.py': fixtures.join('\n') }), []);
    const withReal = [...fixtures, '    @unittest.skip("flaky on CI")', '    def test_a(self): pass'];
    withReal.push('    @unittest.skip("later")', '    def test_b(self): pass');
    const [finding] = detect(skippedTests, { 'unittest/test/test_skipping.py': withReal.join('\n') });
    assert.deepEqual(
      finding?.evidence.map((e) => e.startLine),
      [14, 16],
    );
    const check = finding?.doneCheck ?? '';
    assert.equal(exitCode(check, { 'unittest/test/test_skipping.py': withReal.join('\n') }), 1);
    assert.equal(exitCode(check, { 'unittest/test/test_skipping.py': fixtures.join('\n') }), 0);
  });

  it('ignores a single skip, conditional skips and skip-like names in source files', () => {
    const findings = detect(skippedTests, {
      'test/one.test.js': "it.skip('a', () => {});\nit('b', () => {});\n",
      'test/cond.test.js': "it.skipIf(isWindows)('a', () => {});\ntest.skipIf(ci)('b', () => {});\n",
      'src/skip.js': "it.skip('a');\nxit('b');\n",
    });
    assert.deepEqual(findings, []);
  });
});
