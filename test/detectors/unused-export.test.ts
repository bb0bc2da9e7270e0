import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unusedExport } from '../../src/detectors/direction/unused-export.ts';
import { detect } from '../helpers/detector.ts';

const APP = JSON.stringify({ name: 'app', private: true, main: 'src/index.ts' });

describe('direction/unused-export', () => {
  it('lists exported functions that nothing imports, calls or mentions', () => {
    const findings = detect(unusedExport, {
      'package.json': APP,
      'src/index.ts': "import { formatPrice } from './pricing.js';\nconsole.log(formatPrice(1));\n",
      'src/pricing.ts': [
        'export function formatPrice(n: number) { return `$${n}`; }',
        'export function applyCoupon(n: number, code: string) { return code ? n * 0.9 : n; }',
        'export const roundPrice = (n: number) => Math.round(n);',
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.title, '2 exported functions and classes are used nowhere');
    assert.deepEqual(
      findings[0]?.evidence.map((e) => `${e.file}:${e.startLine}`),
      ['src/pricing.ts:2', 'src/pricing.ts:3'],
    );
    assert.equal(findings[0]?.confidence, 'MED');
  });

  it('leaves public API, names used locally or by name, namespace imports and framework hooks alone', () => {
    const findings = detect(unusedExport, {
      'package.json': APP,
      'src/index.ts':
        "export * from './public.js';\nimport * as util from './util.js';\nimport { a } from './local.js';\nutil.x(a);\n",
      'src/public.ts': 'export function neverCalledButPublic() {}\n',
      'src/util.ts': 'export function helperViaNamespace() {}\n',
      'src/local.ts': [
        'export const a = 1;',
        'export function usedHere() { return 2; }',
        'export const value = usedHere();',
        "export function byName() {}\nexport const handlers = { byName: 'byName' };",
        'export async function getServerSideProps() { return {}; }',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });
});
