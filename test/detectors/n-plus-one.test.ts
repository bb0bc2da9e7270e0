// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are fixture source code that contains template literals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nPlusOne } from '../../src/detectors/performance/n-plus-one.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.startLine, f.confidence, f.evidence[1]?.startLine]);

describe('performance/n-plus-one', () => {
  it('flags awaited queries and requests inside for-of loops and DB calls in map callbacks', () => {
    const findings = detect(nPlusOne, {
      'src/report.ts': [
        'export async function report(orders: Order[]) {',
        '  const rows = [];',
        '  for (const order of orders) {',
        '    const user = await prisma.user.findUnique({ where: { id: order.userId } });',
        '    const rate = await fetch(`https://fx.example.com/${order.currency}`);',
        '    rows.push({ user, rate });',
        '  }',
        '  const authors = await Promise.all(',
        '    orders.map(async (o) => User.findById(o.authorId)),',
        '  );',
        '  for (let i = 0; i < orders.length; i++) {',
        "    await pool.query('UPDATE orders SET seen = true WHERE id = $1', [orders[i].id]);",
        '  }',
        '  return { rows, authors };',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [4, 'HIGH', 3],
      [5, 'MED', 3],
      [9, 'MED', undefined],
      [12, 'HIGH', 11],
    ]);
    assert.match(findings[0]?.message ?? '', /the loop over `orders` on line 3/);
    assert.equal(
      findings[0]?.doneCheck,
      "! grep -qF -- 'const user = await prisma.user.findUnique({ where: { id: order.userId } });' 'src/report.ts'",
    );
  });

  it('leaves batched queries, concurrent HTTP, pagination loops and queries before the loop alone', () => {
    const findings = detect(nPlusOne, {
      'src/ok.ts': [
        'export async function load(ids: string[], urls: string[]) {',
        '  const users = await prisma.user.findMany({ where: { id: { in: ids } } });',
        '  const byId = new Map(users.map((u) => [u.id, u]));',
        '  for (const id of ids) console.log(byId.get(id));',
        '  const pages = await Promise.all(urls.map((url) => fetch(url)));',
        '  let next = urls[0];',
        '  while (next) {',
        '    const res = await fetch(next);',
        '    next = (await res.json()).next;',
        '  }',
        '  for (const row of await db.query("SELECT * FROM t")) console.log(row);',
        '  for (const key of ids) Object.create(null);',
        '  return pages;',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });

  it('flags Django, SQLAlchemy and requests calls in Python loops and comprehensions', () => {
    const findings = detect(nPlusOne, {
      'app/sync.py': [
        'import requests',
        'def sync(order_ids, session):',
        '    for order_id in order_ids:',
        '        order = Order.objects.get(id=order_id)',
        '        owner = session.query(User).filter_by(id=order.owner_id).one()',
        '        requests.post("https://hooks.example.com", json={"id": order.id})',
        '    return [Invoice.objects.filter(order_id=i).first() for i in order_ids]',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [4, 'HIGH', 3],
      [5, 'HIGH', 3],
      [6, 'MED', 3],
      [7, 'HIGH', undefined],
    ]);
  });

  it('leaves batched Python queries alone', () => {
    const findings = detect(nPlusOne, {
      'app/ok.py': [
        'def load(order_ids):',
        '    orders = Order.objects.filter(id__in=order_ids).select_related("owner")',
        '    by_id = {o.id: o for o in orders}',
        '    for order_id in order_ids:',
        '        print(by_id.get(order_id))',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });
});
