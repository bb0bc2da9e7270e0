// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are fixture source code that contains template literals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSource, withoutPrefixedTypeArguments } from '../../src/audit/parse.ts';
import { nPlusOne } from '../../src/detectors/performance/n-plus-one.ts';
import { sqlInjection } from '../../src/detectors/security/sql-injection.ts';
import { detect } from '../helpers/detector.ts';

describe('parsing TypeScript calls with type arguments under await', () => {
  it('gives the tree the call under the await, as the grammar means it', () => {
    const text = 'async function f() { const rows = await prisma.$queryRawUnsafe<User[]>(sql); }';
    const value = parseSource('typescript', text)
      ?.root()
      .find({ rule: { kind: 'variable_declarator' } })
      ?.field('value');
    assert.equal(value?.kind(), 'await_expression');
    assert.equal(value?.child(1)?.kind(), 'call_expression');
    // Offsets are kept: the call's arguments are where they are in the file.
    assert.equal(value?.child(1)?.field('arguments')?.range().start.index, text.indexOf('(sql)'));
  });

  it('blanks only type arguments of a prefixed call, never a comparison', () => {
    assert.equal(withoutPrefixedTypeArguments('await db.get<Row>(id)'), 'await db.get     (id)');
    assert.equal(
      withoutPrefixedTypeArguments('await a.b().c<Map<K, V[]>>(\n  x)'),
      `await a.b().c${' '.repeat('<Map<K, V[]>>'.length)}(\n  x)`,
    );
    assert.equal(withoutPrefixedTypeArguments('!x.has<T>(y)'), '!x.has   (y)');
    // An object type's members end with `;` (LobeChat's ClientS3 service, better-auth's providers).
    const objectType = '<{ data: ArrayBuffer; name: string; type: string }>';
    assert.equal(
      withoutPrefixedTypeArguments(`await get${objectType}(key, this.store)`),
      `await get${' '.repeat(objectType.length)}(key, this.store)`,
    );
    const multiline = '<{\n    access_token: string;\n    expires_in?: number;\n  }>';
    assert.equal(
      withoutPrefixedTypeArguments(`await betterFetch${multiline}(url, { method: 'POST' })`),
      `await betterFetch${multiline.replace(/[^\n]/g, ' ')}(url, { method: 'POST' })`,
    );
    for (const text of [
      'if (!a < b) { c; } d > (e)',
      'while (!done < limit) { step(); } if (a > (b)) {}',
      'for (;!i < n;) { x = y > (z); }',
      'if (a < b && c > (d)) {}',
      'const n = await list.length < max ? 1 : 2 > (3)',
      'x < y; z > (w)',
      'const v = db.get<Row>(id)',
    ])
      assert.equal(withoutPrefixedTypeArguments(text), text);
  });

  it('lets the detectors see typed ORM and HTTP calls (Budibase, Prisma)', () => {
    const sql = detect(sqlInjection, {
      'src/users.ts': [
        "app.get('/users', async (req, res) => {",
        "  const rows = await prisma.$queryRawUnsafe<User[]>(`SELECT * FROM users WHERE name = '${req.query.name}'`);",
        '  res.json(rows);',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(
      sql.map((f) => [f.evidence[0]?.startLine, f.confidence]),
      [[2, 'HIGH']],
    );
    const loop = detect(nPlusOne, {
      'src/sync.ts': [
        'export async function syncUsers(db: Database, users: User[]) {',
        '  for (const user of users) {',
        '    const metadata = await db.get<UserMetadata>(user.metadataId);',
        '    await db.put({ ...metadata, roleId: user.roleId });',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.ok(
      loop.some((f) => f.evidence[0]?.startLine === 3 && f.confidence !== 'LOW'),
      JSON.stringify(loop.map((f) => [f.evidence[0]?.startLine, f.confidence])),
    );
  });
});
