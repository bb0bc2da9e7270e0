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

describe('performance/sequential-awaits steps', () => {
  it("leaves Testing Library's waiting queries alone: they poll one rendered page (react-admin specs)", () => {
    const findings = detect(sequentialAwaits, {
      'src/input/ReferenceArrayInput.spec.tsx': [
        "it('should unselect a value when types of ids are different', async () => {",
        '  render(<DifferentIdTypes />);',
        "  const chip1 = await screen.findByText('artist_1', { selector: '.MuiChip-label' });",
        "  const chip2 = await screen.findByText('artist_2', { selector: '.MuiChip-label' });",
        "  const rows = await within(table).findAllByRole('row');",
        '  expect(chip1).not.toBeNull();',
        '  const user = await getUser(chip2.id);',
        '  const orders = await getOrders(rows.length);',
        '});',
      ].join('\n'),
    });
    // Only the two independent reads that follow are a run.
    assert.deepEqual(summary(findings), [[[7, 8], 'LOW']]);
  });

  it('say to stop when one call depends on another through their object', () => {
    // Etherpad's API.createDiffHTML: `await padDiff.getHtml()` then `await padDiff.getAuthors()`,
    // whose body awaits `this.getHtml()` when `this._html` is not set yet. Nothing in the cited
    // lines shows it, and the steps said what to confirm but not what to do when it is not so.
    const findings = detect(sequentialAwaits, {
      'node/db/API.js': [
        'exports.createDiffHTML = async (padDiff) => {',
        '  const html = await padDiff.getHtml();',
        '  const authors = await padDiff.getAuthors();',
        '  return {html, authors};',
        '};',
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    for (const steps of [sequentialAwaits.steps, sequentialAwaits.python?.steps]) {
      const confirm = steps?.[0] ?? '';
      assert.match(confirm, /Read each called function too/);
      assert.match(confirm, /STOP and report that the calls depend on each other/);
    }
  });
});
