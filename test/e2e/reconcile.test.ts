import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { git, makeRepo } from '../helpers/repo.ts';

/** A test whose quoted opening (its first 12 lines) stays as it is when the assertion is added. */
const CART_TEST = [
  "import assert from 'node:assert/strict';",
  "import { test } from 'node:test';",
  "import { total } from '../src/cart.js';",
  '',
  "test('total of an empty cart is zero', () => {",
  '  assert.equal(total([]), 0);',
  '});',
  '',
  "test('total adds up every line of a large cart', () => {",
  '  const items = [',
  '    { price: 3, quantity: 2 },',
  '    { price: 5, quantity: 1 },',
  '    { price: 7, quantity: 4 },',
  '    { price: 11, quantity: 3 },',
  '    { price: 13, quantity: 1 },',
  '    { price: 17, quantity: 2 },',
  '    { price: 19, quantity: 5 },',
  '    { price: 23, quantity: 1 },',
  '    { price: 29, quantity: 2 },',
  '  ];',
  '  total(items);',
  '});',
  '',
].join('\n');

/** A second test without assertion, in the same file: the audit plans both in one plan. */
const DISCOUNT_TEST = [
  '',
  "test('total applies no discount to a large order', () => {",
  '  const items = [',
  '    { price: 100, quantity: 2 },',
  '    { price: 250, quantity: 1 },',
  '    { price: 75, quantity: 4 },',
  '    { price: 40, quantity: 3 },',
  '    { price: 60, quantity: 1 },',
  '    { price: 90, quantity: 2 },',
  '    { price: 15, quantity: 5 },',
  '    { price: 30, quantity: 1 },',
  '    { price: 45, quantity: 2 },',
  '  ];',
  '  total(items);',
  '});',
  '',
].join('\n');

const CART = {
  'package.json': `${JSON.stringify({ name: 'cart', version: '1.0.0', type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`,
  'README.md': '# cart\n\nRun `npm test`.\n',
  'src/cart.js':
    'export function total(items) {\n  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);\n}\n',
  'test/cart.test.js': CART_TEST,
};

const ENV = { IMPROVE_OFFLINE: '1' };

function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', message);
}

function planFor(plansDir: string, pattern: RegExp): { name: string; number: string } {
  const name = readdirSync(plansDir).find((file) => pattern.test(file));
  assert.ok(name, `a plan matching ${pattern}: ${readdirSync(plansDir).join(', ')}`);
  return { name, number: name.slice(0, 3) };
}

/**
 * Audit the repository, commit the plans as a user would, and return the plan for the test
 * without assertion (with its plain text as written).
 */
function auditAndCommit(dir: string): { plansDir: string; name: string; number: string; text: string } {
  const audit = runCli([dir, '--top', '10', '--no-cache'], { env: ENV });
  assert.equal(audit.code, 0, audit.stderr);
  const plansDir = path.join(dir, 'plans');
  const plan = planFor(plansDir, /^\d{3}-test-without-any-assertion/);
  const text = readFileSync(path.join(plansDir, plan.name), 'utf8');
  commitAll(dir, 'chore: improvement plans');
  return { plansDir, ...plan, text };
}

describe('improve reconcile, a month later', () => {
  it('marks a plan stale when only some of its quoted problems were fixed below the quote', (t) => {
    const repo = makeRepo({ ...CART, 'test/cart.test.js': CART_TEST + DISCOUNT_TEST });
    t.after(repo.dispose);
    const { number, text: before } = auditAndCommit(repo.dir);
    assert.match(before, /^`test\/cart\.test\.js:9-20`$/m);
    assert.match(before, /^`test\/cart\.test\.js:24-35`$/m);

    const test = path.join(repo.dir, 'test/cart.test.js');
    writeFileSync(
      test,
      readFileSync(test, 'utf8').replace('  total(items);', '  assert.equal(total(items), 295);'),
    );
    commitAll(repo.dir, 'test: assert the large cart total');

    const run = runCli(['reconcile', repo.dir], { env: ENV });
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(
        `  ${number} Test without any assertion[^\n]* → TODO \\(stale\\)\n      test/cart\\.test\\.js:9-20 still reads? as quoted, but the rule no longer reports it there`,
      ),
    );
    assert.doesNotMatch(run.stdout, /the quoted code is intact/, 'half a fix is not "intact"');
  });

  it('retires a plan whose problem was fixed below the quoted lines, and says so', (t) => {
    const repo = makeRepo(CART);
    t.after(repo.dispose);
    const { plansDir, name, number, text } = auditAndCommit(repo.dir);
    assert.match(text, /^`test\/cart\.test\.js:9-20`$/m);

    // The developer adds the missing assertion on the test's last line, outside the quote.
    const test = path.join(repo.dir, 'test/cart.test.js');
    writeFileSync(
      test,
      readFileSync(test, 'utf8').replace('  total(items);', '  assert.equal(total(items), 295);'),
    );
    commitAll(repo.dir, 'test: assert the large cart total');

    const run = runCli(['reconcile', repo.dir], { env: ENV });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /rejected \(fixed independently\) \(1\):/);
    assert.match(
      run.stdout,
      new RegExp(
        `  ${number} Test without any assertion in test/cart\\.test\\.js → REJECTED \\(fixed independently\\)\\n      rule no longer reports it at [0-9a-f]{12}\\n`,
      ),
      'the reason is said once, under the title',
    );
    assert.doesNotMatch(run.stdout, /the quoted code is intact/, 'a fixed problem is not refreshed');
    assert.match(
      readFileSync(path.join(plansDir, name), 'utf8'),
      /^status: "?REJECTED \(fixed independently/m,
    );
    assert.match(
      readFileSync(path.join(plansDir, 'README.md'), 'utf8'),
      new RegExp(`\\| ${number} \\| \\[Test without any assertion[^|]*\\| REJECTED`),
    );
  });

  it('retires a stale plan once a re-audit planned its problem again in the changed code', (t) => {
    const repo = makeRepo(CART);
    t.after(repo.dispose);
    const { plansDir, ...old } = auditAndCommit(repo.dir);

    // The quoted lines change (a price), and the test still asserts nothing.
    const test = path.join(repo.dir, 'test/cart.test.js');
    writeFileSync(
      test,
      readFileSync(test, 'utf8').replace('{ price: 7, quantity: 4 }', '{ price: 8, quantity: 4 }'),
    );
    commitAll(repo.dir, 'test: another price');
    const first = runCli(['reconcile', repo.dir], { env: ENV });
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      new RegExp(`  ${old.number} Test without any assertion[^\n]* → TODO \\(stale\\)`),
    );
    commitAll(repo.dir, 'chore: reconcile');

    // The next audit plans the problem as the code is now; the stale plan adds nothing any more.
    assert.equal(runCli([repo.dir, '--top', '10', '--no-cache'], { env: ENV }).code, 0);
    const fresh = readdirSync(plansDir).filter(
      (file) => /^\d{3}-test-without-any-assertion/.test(file) && file !== old.name,
    );
    assert.equal(fresh.length, 1, readdirSync(plansDir).join(', '));
    const number = fresh[0]?.slice(0, 3) ?? '';
    commitAll(repo.dir, 'chore: new plans');
    const second = runCli(['reconcile', repo.dir], { env: ENV });
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /superseded \(planned again for the code as it is now\) \(1\):/);
    assert.match(
      second.stdout,
      new RegExp(
        `  ${old.number} Test without any assertion[^\n]* → REJECTED \\(superseded\\)\n      plan ${number} plans what the rule reports here now`,
      ),
    );
    assert.match(
      readFileSync(path.join(plansDir, old.name), 'utf8'),
      /^status: "?REJECTED \(superseded: plan /m,
    );
    // The new plan is the one to execute.
    assert.match(second.stdout, new RegExp(`executable now[^]*  ${number} Test without any assertion`));
  });
});
