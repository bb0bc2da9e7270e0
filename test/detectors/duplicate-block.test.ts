import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { duplicateBlock } from '../../src/detectors/tech-debt/duplicate-block.ts';
import { detect } from '../helpers/detector.ts';

const ORIGINAL = [
  "import { db } from './db.ts';",
  '',
  'export async function importUsers(rows: Row[]) {',
  '  const seen = new Set<string>();',
  '  const result: User[] = [];',
  '  for (const row of rows) {',
  '    const email = row.email.trim().toLowerCase();',
  '    if (seen.has(email)) continue;',
  '    seen.add(email);',
  "    const name = row.name ?? 'unknown';",
  '    const user = await db.insert({ email, name, createdAt: Date.now() });',
  '    result.push(user);',
  '    if (result.length > 500) break;',
  '  }',
  '  return result;',
  '}',
].join('\n');

const RENAMED = [
  "import { store } from '../store.ts';",
  "import { log } from '../log.ts';",
  '',
  'export async function importCustomers(records: Record[]) {',
  '  log("start");',
  '  const known = new Set<string>();',
  '  const out: Customer[] = [];',
  '  for (const record of records) {',
  '    const mail = record.mail.trim().toLowerCase();',
  '    if (known.has(mail)) continue;',
  '    known.add(mail);',
  "    const label = record.label ?? 'n/a';",
  '    const customer = await store.insert({ mail, label, createdAt: Date.now() });',
  '    out.push(customer);',
  '    if (out.length > 1000) break;',
  '  }',
  '  return out;',
  '}',
].join('\n');

describe('tech-debt/duplicate-block', () => {
  it('finds a renamed copy across files and cites both copies', () => {
    const findings = detect(duplicateBlock, {
      'src/users.ts': ORIGINAL,
      'src/billing/customers.ts': RENAMED,
    });
    assert.equal(findings.length, 1);
    const finding = findings[0];
    assert.deepEqual(
      finding?.evidence.map((e) => [e.file, e.startLine]),
      [
        ['src/billing/customers.ts', 6],
        ['src/users.ts', 4],
      ],
    );
    assert.equal(finding?.confidence, 'MED');
    assert.match(finding?.message ?? '', /renamed identifiers/);
    assert.equal(duplicateBlock.quick, false);
  });

  it('rates an exact copy HIGH and a renamed one MED', () => {
    const findings = detect(duplicateBlock, {
      'src/a.ts': ORIGINAL,
      'src/b.ts': ORIGINAL.replace('importUsers', 'importUsers2'),
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.confidence, 'MED');
    const exact = detect(duplicateBlock, { 'src/a.ts': ORIGINAL, 'src/b.ts': `// copy\n${ORIGINAL}` });
    assert.equal(exact[0]?.confidence, 'HIGH');
  });

  it('ignores short similar code, repetitive tables, test files and import lists', () => {
    const table = Array.from({ length: 20 }, (_, i) => `  key${i}: 'value ${i}',`).join('\n');
    const imports = Array.from({ length: 12 }, (_, i) => `import { thing${i} } from './thing-${i}.ts';`).join(
      '\n',
    );
    const findings = detect(duplicateBlock, {
      'src/a.ts': `export const a = {\n${table}\n};\n${imports}\nexport function f(x: number) {\n  return x + 1;\n}\n`,
      'src/b.ts': `export const b = {\n${table}\n};\n${imports}\nexport function g(y: number) {\n  return y + 1;\n}\n`,
      'test/a.test.ts': ORIGINAL,
      'test/b.test.ts': RENAMED,
    });
    assert.deepEqual(findings, []);
  });
  it('ignores overload signatures and type argument lists repeated across parallel APIs (effect Ref/TRef)', () => {
    const api = (type: string, effect: string) =>
      ['modify', 'modifySome', 'update', 'updateAndGet', 'updateSome']
        .map((name) =>
          [
            `export const ${name}: {`,
            `  <A, B>(f: (a: A) => readonly [B, A]): (self: ${type}<A>) => ${effect}<B>`,
            `  <A, B>(self: ${type}<A>, f: (a: A) => readonly [B, A]): ${effect}<B>`,
            `} = internal.${name}`,
          ].join('\n'),
        )
        .join('\n\n');
    const multiLine = (type: string) =>
      ['untilInput', 'whileInput', 'untilOutput', 'whileOutput']
        .map((name) =>
          [
            `export const ${name}: {`,
            '  /**',
            '   * @since 2.0.0',
            '   */',
            '  <In, R2>(',
            '    f: (input: In) => Effect.Effect<boolean, never, R2>',
            `  ): <Out, R>(self: ${type}<Out, In, R>) => ${type}<Out, In, R2 | R>`,
            '  <Out, In, R, R2>(',
            `    self: ${type}<Out, In, R>,`,
            '    f: (input: In) => Effect.Effect<boolean, never, R2>',
            `  ): ${type}<Out, In, R | R2>`,
            `} = internal.${name}`,
          ].join('\n'),
        )
        .join('\n\n');
    const duals = (type: string) =>
      ['update', 'updateAndGet', 'getAndUpdate', 'modifySome']
        .map((name) =>
          [
            `export const ${name} = dual<`,
            `  <A>(f: (a: A) => A) => (self: ${type}.${type}<A>) => STM.STM<void>,`,
            `  <A>(self: ${type}.${type}<A>, f: (a: A) => A) => STM.STM<void>`,
            `>(2, (self, f) => self.${name}((a) => [void 0, f(a)]))`,
          ].join('\n'),
        )
        .join('\n\n');
    const aliases = (kind: string) =>
      ['Sync', 'Option', 'Either', 'Promise']
        .map((variant) =>
          [
            `export const ${kind}${variant}: <A, I>(`,
            '  schema: Schema.Schema<A, I, never>,',
            '  options?: AST.ParseOptions',
            `) => (i: I, overrideOptions?: AST.ParseOptions) => ${variant}.${variant}<A> = ${kind}Unknown${variant}`,
          ].join('\n'),
        )
        .join('\n\n');
    const findings = detect(duplicateBlock, {
      'src/ParseResult.ts': `${aliases('decode')}\n\n${aliases('encode')}`,
      'src/internal/tRef.ts': duals('TRef'),
      'src/internal/tSubscriptionRef.ts': duals('TSubscriptionRef'),
      'src/Ref.ts': api('Ref', 'Effect.Effect'),
      'src/TRef.ts': api('TRef', 'STM.STM'),
      'src/Schedule.ts': multiLine('Schedule'),
      'src/Channel.ts': multiLine('Channel'),
    });
    assert.deepEqual(findings, []);
  });
});
