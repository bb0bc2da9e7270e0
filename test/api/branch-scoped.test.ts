import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { audit } from '../../src/api/audit.ts';
import { auditBranch, type BranchAuditResult } from '../../src/api/branch.ts';
import { fixedClock } from '../../src/core/clock.ts';
import type { Finding } from '../../src/core/types.ts';
import { type FileTree, git, makeRepo, writeTree } from '../helpers/repo.ts';

/** A repository whose `main` has `tree`, on a branch `feature` that writes `change` on top. */
function branchRepo(tree: FileTree, change: FileTree): { dir: string; dispose: () => void } {
  const repo = makeRepo(tree);
  git(repo.dir, 'switch', '-q', '-c', 'feature');
  writeTree(repo.dir, change);
  git(repo.dir, 'add', '-A');
  git(repo.dir, 'commit', '-q', '-m', 'feat: the change');
  return repo;
}

async function branchFindings(dir: string): Promise<BranchAuditResult> {
  // A small repository: ask for scoped reads anyway, as on a large one.
  const outcome = await auditBranch({
    path: dir,
    clock: fixedClock('2026-11-25'),
    cache: false,
    scopedReadsFrom: 0,
  });
  assert.equal(outcome.kind, 'audited');
  return (outcome as { result: BranchAuditResult }).result;
}

async function fullFindings(dir: string): Promise<Finding[]> {
  const result = await audit({ path: dir, clock: fixedClock('2026-11-25'), cache: false });
  return [...result.findings, ...result.direction];
}

function titles(findings: readonly Finding[], ruleId: string): string[] {
  return findings.filter((f) => f.ruleId === ruleId).map((f) => f.title);
}

const PACKAGE = `${JSON.stringify({ name: 'shop', private: true, type: 'module', main: 'src/index.js' }, null, 2)}\n`;

/** A small shop: an entry point, a cart that formats prices, and a report that formats by name. */
const SHOP: FileTree = {
  'package.json': PACKAGE,
  'src/index.js': "export { checkout } from './cart.js';\nexport { summary } from './report.js';\n",
  'src/cart.js': [
    "import { formatPrice } from './format.js';",
    '',
    'export function checkout(items) {',
    '  const total = items.reduce((sum, item) => sum + item.price, 0);',
    '  return formatPrice(total);',
    '}',
    '',
  ].join('\n'),
  'src/format.js': [
    'export function formatPrice(cents) {',
    '  return `$${(cents / 100).toFixed(2)}`;',
    '}',
    '',
  ].join('\n'),
  // Does not import format.js: it is handed the formatting module and calls it by name.
  'src/report.js': [
    'export function summary(formatting, totals) {',
    '  return totals.map((total) => formatting.formatTotal(total)).join("\\n");',
    '}',
    '',
  ].join('\n'),
};

describe('improve branch reads only what its scope needs', { concurrency: true }, () => {
  it('still finds an import cycle the branch closes through a changed file', async (t) => {
    // format.js → tax.js → cart.js → format.js: tax.js neither changed nor imports a changed file.
    const tree = {
      ...SHOP,
      'src/tax.js':
        "import { checkout } from './cart.js';\n\nexport const taxed = (items) => checkout(items) * 1.2;\n",
    };
    const repo = branchRepo(tree, {
      'src/format.js': [
        "import { taxed } from './tax.js';",
        '',
        'export function formatPrice(cents) {',
        '  return `$${(cents / 100).toFixed(2)}`;',
        '}',
        '',
        'export const sample = () => taxed([]);',
        '',
      ].join('\n'),
    });
    t.after(repo.dispose);
    const result = await branchFindings(repo.dir);
    const cycles = result.findings.filter((f) => f.ruleId === 'tech-debt/circular-import');
    const expected = 'Circular import through 3 modules starting at src/cart.js';
    assert.deepEqual(
      cycles.map((f) => [f.title, f.introduced]),
      [[expected, true]],
    );
    assert.deepEqual(titles(await fullFindings(repo.dir), 'tech-debt/circular-import'), [expected]);
  });

  it('still finds a new file that nothing imports', async (t) => {
    const repo = branchRepo(SHOP, {
      'src/coupon.js':
        'export function applyCoupon(total, code) {\n  return code === "HALF" ? total / 2 : total;\n}\n',
    });
    t.after(repo.dispose);
    const result = await branchFindings(repo.dir);
    const unused = result.findings.filter((f) => f.ruleId === 'tech-debt/unused-file');
    assert.deepEqual(
      unused.map((f) => [f.title, f.confidence, f.introduced]),
      [['src/coupon.js is imported by nothing', 'MED', true]],
    );
    assert.deepEqual(titles(await fullFindings(repo.dir), 'tech-debt/unused-file'), [
      'src/coupon.js is imported by nothing',
    ]);
  });

  it('checks the variables the branch reads against every doc, and against code anywhere that sets them', async (t) => {
    const repo = branchRepo(
      {
        ...SHOP,
        'README.md': '# shop\n\nSet `SHOP_CURRENCY` to the currency code.\n',
        // Code that names a variable does not document it.
        'src/legacy.js': 'export const MODE_VARIABLE = "SHOP_STRICT_MODE";\n',
        // Code outside the scope that sets a variable: the program's own signal, not configuration.
        'src/worker.js': 'process.env.SHOP_WORKER = "1";\n',
      },
      {
        'src/settings.js': [
          'export const currency = process.env.SHOP_CURRENCY;',
          'export const strict = process.env.SHOP_STRICT_MODE === "1";',
          'export const worker = process.env.SHOP_WORKER === "1";',
          '',
        ].join('\n'),
        'src/index.js':
          "export { checkout } from './cart.js';\nexport { summary } from './report.js';\nexport { currency, strict, worker } from './settings.js';\n",
      },
    );
    t.after(repo.dispose);
    const result = await branchFindings(repo.dir);
    const undocumented = result.findings.filter((f) => f.ruleId === 'dx/undocumented-env');
    assert.equal(undocumented.length, 1);
    assert.match(undocumented[0]?.message ?? '', /SHOP_STRICT_MODE/);
    assert.doesNotMatch(undocumented[0]?.message ?? '', /SHOP_CURRENCY|SHOP_WORKER/);
    assert.deepEqual(
      undocumented.map((f) => f.title),
      titles(await fullFindings(repo.dir), 'dx/undocumented-env'),
    );
  });

  it('counts a variable as documented by a help text or docstring in code outside the scope, as the full audit does', async (t) => {
    const repo = branchRepo(
      {
        ...SHOP,
        // Unchanged files that neither import nor are imported by the changed ones.
        'src/cli.js': 'export const usage = "Set SHOP_TIMEOUT to wait longer for the payment provider";\n',
        'tools/helpers.py':
          'def flavor():\n    """Return the build flavor, from SHOP_FLAVOR."""\n    return None\n',
        'tools/reference.py': '"""Settings.\n\n.. envvar:: SHOP_REGION\n\n   Where the shop sells.\n"""\n',
      },
      {
        'src/settings.js': 'export const timeout = Number(process.env.SHOP_TIMEOUT ?? 30);\n',
        'src/index.js':
          "export { checkout } from './cart.js';\nexport { summary } from './report.js';\nexport { timeout } from './settings.js';\n",
        'tools/build.py': [
          'import os',
          '',
          'FLAVOR = os.environ.get("SHOP_FLAVOR")',
          'REGION = os.environ.get("SHOP_REGION")',
          'SECRET = os.environ.get("SHOP_SECRET_MODE")',
          '',
        ].join('\n'),
      },
    );
    t.after(repo.dispose);
    const result = await branchFindings(repo.dir);
    const undocumented = result.findings.filter((f) => f.ruleId === 'dx/undocumented-env');
    assert.deepEqual(
      undocumented.map((f) => f.title),
      ['Environment variable SHOP_SECRET_MODE is read but documented nowhere'],
    );
    assert.deepEqual(
      undocumented.map((f) => f.title),
      titles(await fullFindings(repo.dir), 'dx/undocumented-env'),
    );
  });

  it('reports a churn hotspot only when the full audit ranks it among those it reports', async (t) => {
    // Five untested modules changed as often (e.js once more on the branch); the full audit
    // reports the three first by path.
    const edit = (n: number, names = ['a', 'b', 'c', 'd', 'e']): FileTree =>
      Object.fromEntries(names.map((name) => [`src/${name}.js`, `export const ${name} = ${n};\n`]));
    const repo = makeRepo(
      { ...edit(0), 'test/other.test.js': "import { strict } from 'node:assert';\nstrict.ok(true);\n" },
      {
        commits: [
          { message: 'chore: edit 1', files: edit(1) },
          { message: 'chore: edit 2', files: edit(2, ['a', 'b', 'c', 'd']) },
        ],
      },
    );
    t.after(repo.dispose);
    git(repo.dir, 'switch', '-q', '-c', 'feature');
    writeTree(repo.dir, { 'src/e.js': 'export const e = 3;\n' });
    git(repo.dir, 'commit', '-q', '-am', 'feat: e');
    const hotspots = (findings: readonly Finding[]) =>
      findings.filter((f) => f.ruleId === 'tests/untested-hotspot').map((f) => f.evidence[0]?.file);
    assert.deepEqual(hotspots(await fullFindings(repo.dir)), ['src/a.js', 'src/b.js', 'src/c.js']);
    assert.deepEqual(hotspots((await branchFindings(repo.dir)).findings), []);
  });

  it('finds the tested module that reaches a churn hotspot through an unchanged importer', async (t) => {
    // deep.js ← mid.js ← top.js ← the test: neither top.js nor the test imports a changed file.
    const tree = (n: number): FileTree => ({
      'src/deep.js': `export const deep = ${n};\n`,
      'src/mid.js': "import { deep } from './deep.js';\n\nexport const mid = () => deep + 1;\n",
      'src/top.js': "import { mid } from './mid.js';\n\nexport const top = () => mid() + 1;\n",
      'test/top.test.js':
        "import { strict } from 'node:assert';\nimport { top } from '../src/top.js';\n\nstrict.equal(typeof top(), 'number');\n",
    });
    const repo = makeRepo(tree(0), {
      commits: [1, 2].map((n) => ({ message: `chore: edit ${n}`, files: tree(n) })),
    });
    t.after(repo.dispose);
    git(repo.dir, 'switch', '-q', '-c', 'feature');
    writeTree(repo.dir, { 'src/deep.js': 'export const deep = 3;\n' });
    git(repo.dir, 'commit', '-q', '-am', 'feat: deeper');
    const hotspot = (findings: readonly Finding[]) =>
      findings
        .filter((f) => f.ruleId === 'tests/untested-hotspot')
        .map((f) => [f.evidence[0]?.file, f.confidence, f.message]);
    const branch = hotspot((await branchFindings(repo.dir)).findings);
    assert.equal(branch[0]?.[1], 'LOW');
    assert.match(String(branch[0]?.[2]), /only through `src\/top\.js`/);
    assert.deepEqual(branch, hotspot(await fullFindings(repo.dir)));
  });

  it('does not call an export unused when an unchanged file that does not import it uses it', async (t) => {
    const repo = branchRepo(SHOP, {
      'src/format.js': [
        'export function formatPrice(cents) {',
        '  return `$${(cents / 100).toFixed(2)}`;',
        '}',
        '',
        'export function formatTotal(cents) {',
        '  return `Total: ${formatPrice(cents)}`;',
        '}',
        '',
        'export function formatRefund(cents) {',
        '  return `Refund: ${formatPrice(cents)}`;',
        '}',
        '',
      ].join('\n'),
    });
    t.after(repo.dispose);
    const result = await branchFindings(repo.dir);
    // formatTotal is called by name in src/report.js; formatRefund is used nowhere.
    assert.deepEqual(titles([...result.findings, ...result.direction], 'direction/unused-export'), [
      '`formatRefund` is exported but used nowhere',
    ]);
    assert.deepEqual(titles(await fullFindings(repo.dir), 'direction/unused-export'), [
      '`formatRefund` is exported but used nowhere',
    ]);
  });

  it('still reports a changed module that many unchanged files import as a god module', async (t) => {
    const helpers = ['money', 'tax', 'stock', 'audit', 'mailer'];
    const tree: FileTree = {};
    for (const name of helpers)
      tree[`src/${name}.js`] = `export function ${name}(value) {\n  return value;\n}\n`;
    const body = Array.from({ length: 130 }, (_, i) =>
      [
        `export function step${i}(order) {`,
        `  if (order.step === ${i}) return money(order.total);`,
        '  return tax(order);',
        '}',
      ].join('\n'),
    );
    tree['src/orders.js'] = [
      ...helpers.map((name) => `import { ${name} } from './${name}.js';`),
      '',
      `export const tools = [${helpers.join(', ')}];`,
      ...body,
      '',
    ].join('\n');
    for (let i = 0; i < 6; i += 1)
      tree[`src/screen${i}.js`] =
        `import { step${i} } from './orders.js';\n\nexport const screen${i} = (o) => step${i}(o);\n`;
    const orders = `${tree['src/orders.js']}\nexport function cancel(order) {\n  if (order.paid) return stock(order);\n  return mailer(order);\n}\n`;
    const repo = branchRepo(tree, { 'src/orders.js': orders });
    t.after(repo.dispose);
    const expected = [`src/orders.js is ${orders.split('\n').length} lines and imported by 6 files`];
    assert.deepEqual(titles((await branchFindings(repo.dir)).findings, 'tech-debt/god-module'), expected);
    assert.deepEqual(titles(await fullFindings(repo.dir), 'tech-debt/god-module'), expected);
  });

  it('says in one line what it checked less than a full audit does', async (t) => {
    const repo = branchRepo(SHOP, { 'src/cart.js': `${SHOP['src/cart.js']}\nexport const empty = [];\n` });
    t.after(repo.dispose);
    const result = await branchFindings(repo.dir);
    const notes = result.notAudited.filter((line) => line.startsWith('branch mode:'));
    assert.equal(notes.length, 1);
    assert.match(notes[0] ?? '', /checked in the changed files only, not in their importers/);
    assert.match(
      notes[0] ?? '',
      /not run \(they judge the repository as a whole\): direction\/create-without-delete/,
    );
  });
});
