import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { passesTextGate } from '../../src/audit/file-pass.ts';
import { typeSuppressionCluster } from '../../src/detectors/correctness/type-suppression-cluster.ts';
import { detect } from '../helpers/detector.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

const CLUSTER = [
  "import { client } from './client';",
  'export async function load(id: string) {',
  '  // @ts-ignore',
  '  const res = await client.get(id, { retry: 3 });',
  '  const body = (res as any).data;',
  '  // @ts-expect-error',
  '  return normalise(body.items as any, <any>res.meta);',
  '}',
].join('\n');

describe('correctness/type-suppression-cluster', () => {
  it('reports one finding per file with three or more casts to any and bare directives', () => {
    const findings = detect(typeSuppressionCluster, { 'src/api.ts': CLUSTER });
    assert.deepEqual(summary(findings), [['src/api.ts', 3, 'MED']]);
    assert.equal(findings[0]?.title, '5 type-check suppressions in one file');
    assert.deepEqual(
      findings[0]?.evidence.map((e) => e.startLine),
      [3, 5, 6, 7, 7],
    );
  });

  it('counts the casts and directives of a TSX component (LobeChat AgentModal)', () => {
    // The TSX grammar has no `<any>x` assertion: a query naming one failed on every such file.
    const findings = detect(typeSuppressionCluster, {
      'src/features/AgentModal/index.tsx': [
        'export const AgentModal = ({ config }: Props) => {',
        '  // @ts-ignore',
        '  const model = config.model as any;',
        '  const params = (config.params as any) ?? {};',
        '  return <Form initialValues={params} model={model} />;',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [['src/features/AgentModal/index.tsx', 2, 'MED']]);
    assert.equal(findings[0]?.title, '3 type-check suppressions in one file');
  });

  it('counts bare directives in JavaScript files checked with checkJs', () => {
    const findings = detect(typeSuppressionCluster, {
      'src/legacy.js': [
        '// @ts-ignore',
        'a.b = 1;',
        '// @ts-ignore',
        'c.d = 2;',
        '/* @ts-ignore */',
        'e.f = 3;',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [['src/legacy.js', 1, 'MED']]);
  });

  it('gives LOW to a few casts in a long file and skips build output next to its .d.ts', () => {
    const filler = Array.from({ length: 400 }, (_, i) => `export const v${i} = ${i};`);
    const findings = detect(typeSuppressionCluster, {
      'src/big.ts': ['const a = x as any;', ...filler, 'const b = y as any;', 'const c = z as any;'].join(
        '\n',
      ),
      'dist/util.js': [
        '// @ts-ignore',
        'a.b = 1;',
        '// @ts-ignore',
        'c.d = 2;',
        '// @ts-ignore',
        'e.f = 3;',
      ].join('\n'),
      'dist/util.d.ts': 'export declare const x: number;',
    });
    assert.deepEqual(summary(findings), [['src/big.ts', 1, 'LOW']]);
  });

  it('gives LOW to a dozen boundary casts spread over a very long module (effect Array.ts)', () => {
    const filler = Array.from({ length: 1500 }, (_, i) => `export const v${i} = ${i};`);
    const casts = Array.from(
      { length: 12 },
      (_, i) =>
        `export const isEmpty${i}: <A>(self: ReadonlyArray<A>) => self is readonly [] = isEmptyArray as any;`,
    );
    const findings = detect(typeSuppressionCluster, { 'src/Array.ts': [...casts, ...filler].join('\n') });
    assert.deepEqual(summary(findings), [['src/Array.ts', 1, 'LOW']]);
    assert.equal(findings[0]?.impact, 'MED');
  });

  it('does not count explained directives, and stays quiet under the threshold', () => {
    const findings = detect(typeSuppressionCluster, {
      'src/ok.ts': [
        '// @ts-expect-error -- the d.ts for legacy-lib omits `flush`',
        'legacy.flush();',
        '// @ts-ignore: upstream bug microsoft/TypeScript#123',
        'const value = parse(input) as any;',
        'const list: Array<any> = [];',
        'const note = "cast it as any other value";',
        'const typed = data as unknown as Config;',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });

  it('lets through only files whose text holds three suppressions (the rest are not parsed for it)', () => {
    const gated = (text: string) => passesTextGate(typeSuppressionCluster, 'typescript', text);
    assert.equal(gated('const a = x as any;\n// @ts-ignore\nf();\n'), false);
    assert.equal(gated('const a = x as any;\n// @ts-ignore\nf();\nconst b = <any>y;\n'), true);
    assert.equal(gated('const a = x as any, b = y as any, c = z as any;'), true);
  });

  it('does not count a runtime global probed through any, or a cast of what is any already (openai-node)', () => {
    const findings = detect(typeSuppressionCluster, {
      'src/core/streaming.ts': [
        'export function isReactNative() {',
        "  return typeof (globalThis as any).navigator !== 'undefined' &&",
        "    (globalThis as any).navigator.product === 'ReactNative';",
        '}',
        'export const data = JSON.parse(sse.data) as any;',
        'export const win = (window as any).__APP__;',
        'export const value = payload as any;',
      ].join('\n'),
      'src/casts.ts': ['const a = self as any;', 'const b = y as any;', '// @ts-ignore', 'const c = z;'].join(
        '\n',
      ),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.title]),
      [['src/casts.ts', '3 type-check suppressions in one file']],
    );
  });

  it('has a done check that fails now and passes once the casts are gone', () => {
    const findings = detect(typeSuppressionCluster, { 'src/api.ts': CLUSTER });
    const check = findings[0]?.doneCheck ?? '';
    const temp = tempDir('improve-ts-suppress-');
    try {
      writeTree(temp.dir, { 'src/api.ts': CLUSTER });
      const run = () => {
        try {
          execFileSync('sh', ['-c', check], { cwd: temp.dir });
          return 0;
        } catch {
          return 1;
        }
      };
      assert.equal(run(), 1);
      writeFileSync(
        join(temp.dir, 'src/api.ts'),
        CLUSTER.replace('(res as any).data', 'res.data')
          .replace('body.items as any', 'body.items')
          .replace('<any>res.meta', 'res.meta'),
      );
      assert.equal(run(), 0);
    } finally {
      temp.dispose();
    }
  });
});
