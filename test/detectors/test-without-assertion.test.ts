import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testWithoutAssertion } from '../../src/detectors/tests/test-without-assertion.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

describe('tests/test-without-assertion', () => {
  it('flags JS tests with empty bodies or no checks at full confidence in test files', () => {
    const findings = detect(testWithoutAssertion, {
      'test/cart.test.ts': [
        "import { describe, it, expect } from 'vitest';",
        "describe('cart', () => {",
        "  it('adds an item', () => {",
        '    const cart = new Cart();',
        "    cart.add({ sku: 'A1', qty: 2 });",
        '  });',
        "  it('applies discounts', () => {});",
        "  test('totals', async () => {",
        '    expect(await total()).toBe(3);',
        '  });',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['test/cart.test.ts', 3, 'MED'],
      ['test/cart.test.ts', 7, 'HIGH'],
    ]);
    assert.equal(findings[0]?.fileRole, 'test');
    assert.equal(findings[0]?.doneCheck, undefined);
    assert.equal(
      findings[1]?.doneCheck,
      "! grep -qF -- 'it('\\''applies discounts'\\'', () => {});' 'test/cart.test.ts'",
    );
  });

  it('accepts expect/assert/t.is/should, supertest .expect and asserting helpers', () => {
    const findings = detect(testWithoutAssertion, {
      'test/api.test.js': [
        "const assert = require('node:assert/strict');",
        'function expectOk(res) { assert.equal(res.status, 200); }',
        "it('a', () => { assert.equal(add(1, 2), 3); });",
        "it('b', () => request(app).get('/').expect(200));",
        "test('c', (t) => { t.is(add(1, 1), 2); });",
        "it('d', () => { result.should.equal(3); });",
        "it('e', async () => { expectOk(await get('/')); });",
        "it('f', () => { t.assert.deepEqual(x, y); });",
        "it.todo('g');",
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });

  it('flags pytest functions without assert and accepts assert, pytest.raises and unittest asserts', () => {
    const findings = detect(testWithoutAssertion, {
      'tests/test_orders.py': [
        'import pytest',
        'def test_create_order(client):',
        '    client.post("/orders", json={"sku": "A1"})',
        '',
        'def test_placeholder():',
        '    pass',
        '',
        'def test_total():',
        '    assert total([1, 2]) == 3',
        '',
        'def test_rejects_negative():',
        '    with pytest.raises(ValueError):',
        '        total([-1])',
        '',
        'class TestApi(unittest.TestCase):',
        '    def test_get(self):',
        '        self.assertEqual(get("/").status_code, 200)',
        '',
        '@pytest.mark.skip(reason="flaky")',
        'def test_skipped():',
        '    pass',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['tests/test_orders.py', 2, 'MED'],
      ['tests/test_orders.py', 5, 'HIGH'],
    ]);
  });

  it('does not run on source files', () => {
    const findings = detect(testWithoutAssertion, { 'src/routes.ts': "it('x', () => {});\n" });
    assert.deepEqual(findings, []);
  });
});
