import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sequentialAwaits } from '../../src/detectors/performance/sequential-awaits.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence.map((e) => e.startLine), f.confidence]);

describe('performance/sequential-awaits', () => {
  it('flags consecutive independent awaited reads, suggesting Promise.all / asyncio.gather', () => {
    const findings = detect(sequentialAwaits, {
      'src/dashboard.ts': [
        'export async function dashboard(userId: string) {',
        '  const user = await getUser(userId);',
        '  // the rest of the page',
        '  const orders = await db.order.findMany({ where: { userId } });',
        '  const rates = await fetch("https://fx.example.com/latest");',
        '  return { user, orders, rates };',
        '}',
      ].join('\n'),
      'app/views.py': [
        'async def dashboard(user_id):',
        '    profile = await fetch_profile(user_id)',
        '    stats = await load_stats(user_id)',
        '    return profile, stats',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [[2, 4, 5], 'LOW'],
      [[2, 3], 'LOW'],
    ]);
    assert.match(findings[0]?.message ?? '', /Promise\.all/);
    assert.match(findings[1]?.message ?? '', /asyncio\.gather/);
  });

  it('leaves dependent calls, writes, one transaction and single awaits alone', () => {
    const findings = detect(sequentialAwaits, {
      'src/ok.ts': [
        'export async function checkout(id: string) {',
        '  const order = await getOrder(id);',
        '  const customer = await getCustomer(order.customerId);',
        '  const saved = await saveInvoice(order);',
        '  const sent = await sendEmail(customer.email);',
        '  await prisma.$transaction(async (tx) => {',
        '    const a = await tx.account.findUnique({ where: { id } });',
        '    const b = await tx.account.findUnique({ where: { id: a.parent } });',
        '    const c = await tx.ledger.findFirst();',
        '    const d = await tx.ledger.findMany();',
        '  });',
        '  return { saved, sent };',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });
});
