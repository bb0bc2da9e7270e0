import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quadraticLookup } from '../../src/detectors/performance/quadratic-lookup.ts';
import { detect, linesAndConfidence } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) => linesAndConfidence(findings);

describe('performance/quadratic-lookup', () => {
  it('flags array searches inside loops and array callbacks', () => {
    const findings = detect(quadraticLookup, {
      'src/join.ts': [
        'export function join(orders: Order[], users: User[]) {',
        '  const result = orders.map((o) => ({ ...o, user: users.find((u) => u.id === o.userId) }));',
        '  const activeIds = users.filter((u) => u.active).map((u) => u.id);',
        '  const seen = [];',
        '  for (const order of orders) {',
        '    if (activeIds.includes(order.userId) && seen.indexOf(order.id) === -1) seen.push(order.id);',
        '  }',
        '  return result;',
        '}',
      ].join('\n'),
    });
    // A join on a key is MED; a dedupe list grown by push in the same loop is only a LOW lead.
    assert.deepEqual(summary(findings), [
      [2, 'MED'],
      [6, 'MED'],
      [6, 'LOW'],
    ]);
    assert.deepEqual(
      findings.map((f) => f.impact),
      ['MED', 'MED', 'LOW'],
    );
    assert.match(
      findings[0]?.message ?? '',
      /`users\.find\(\)` scans all of `users` on every iteration of the `\.map\(\)` callback on line 2/,
    );
  });

  it('leaves Sets, Maps, strings, constant lists and one-off searches alone', () => {
    const findings = detect(quadraticLookup, {
      'src/ok.ts': [
        "const ROLES = ['admin', 'owner'];",
        'export function check(orders: Order[], users: User[], name: string) {',
        '  const ids = new Set(users.map((u) => u.id));',
        '  const byId = new Map(users.map((u) => [u.id, u]));',
        '  const first = users.find((u) => u.active);',
        '  for (const order of orders) {',
        '    ids.has(order.userId);',
        '    byId.get(order.userId);',
        "    if (name.includes('-')) continue;",
        '    if (ROLES.includes(order.role)) continue;',
        '    const tags = order.tags.filter((t) => t.visible);',
        "    if (order.items.some((i) => i.sku === 'X')) continue;",
        '  }',
        '  return first;',
        '}',
        // Ghost's email replacements: a table written out in the code does not grow with the data.
        'export function replacements(html: string, member: Member) {',
        '  const definitions = [',
        "    { id: 'unsubscribe_url', getValue: () => unsubscribeUrl(member) },",
        "    { id: 'first_name', getValue: () => member.name.split(' ')[0] },",
        '  ];',
        '  for (const match of html.matchAll(PATTERN)) {',
        '    const definition = definitions.find((d) => d.id === match[1]);',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });

  it('still flags a written-out list the code pushes to or spreads into', () => {
    const findings = detect(quadraticLookup, {
      'src/grow.ts': [
        'export function merge(orders: Order[], extra: User[]) {',
        '  const users = [{ id: 0, name: "system" }];',
        '  for (const user of extra) users.push(user);',
        '  const all = [{ id: 0 }, ...extra];',
        '  for (const order of orders) {',
        '    users.find((u) => u.id === order.userId);',
        '    all.find((u) => u.id === order.userId);',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [6, 'MED'],
      [7, 'MED'],
    ]);
  });

  it('flags Python membership tests on lists inside loops (MED for a key looked up in a list computed from data), not on sets or written-out lists', () => {
    const findings = detect(quadraticLookup, {
      'app/dedupe.py': [
        'def dedupe(rows, banned_rows):',
        '    banned = [r.email for r in banned_rows]',
        '    seen = []',
        '    allowed = [row_kind.A, row_kind.B]',
        '    fast = set(banned)',
        '    out = []',
        '    for row in rows:',
        '        if row.email in banned or row.kind not in allowed or row.email in fast:',
        '            continue',
        '        if row.id not in seen:',
        '            seen.append(row.id)',
        '            out.append(row)',
        '    return [r for r in out if r.email not in banned]',
      ].join('\n'),
    });
    // A dedupe list grown in the loop keeps only distinct values: a LOW lead, as in JavaScript.
    assert.deepEqual(summary(findings), [
      [8, 'MED'],
      [10, 'LOW'],
      [13, 'MED'],
    ]);
    assert.equal(findings[1]?.impact, 'LOW');
  });
  it('keeps order-preserving dedupes of small lists as low-impact LOW leads (gyp flags, webpack reasons)', () => {
    const findings = detect(quadraticLookup, {
      'pylib/gyp/generator/eclipse.py': [
        'def GetAllIncludeDirectories(target_list, target_dicts):',
        '    compiler_includes_list = []',
        '    for cflag in cflags:',
        '        if cflag.startswith("-I"):',
        '            include_dir = cflag[2:]',
        '            if include_dir not in compiler_includes_list:',
        '                compiler_includes_list.append(include_dir)',
        '    return compiler_includes_list',
      ].join('\n'),
      'lib/Compilation.js': [
        'function collect(modules) {',
        '  const notCacheableReasons = [];',
        '  for (const reason of moduleDiagnostics.notCacheableReasons) {',
        '    if (!notCacheableReasons.includes(reason)) notCacheableReasons.push(reason);',
        '  }',
        '  return notCacheableReasons;',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.confidence, f.impact]),
      [
        ['pylib/gyp/generator/eclipse.py', 'LOW', 'LOW'],
        ['lib/Compilation.js', 'LOW', 'LOW'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /distinct items kept/);
  });

  it('gives LOW to a key probe into a list built once at module load (mongoose middleware names)', () => {
    const findings = detect(quadraticLookup, {
      'lib/helpers/applyStaticHooks.js': [
        "const { queryMiddlewareFunctions, modelMiddlewareFunctions } = require('../constants');",
        'const middlewareFunctions = Array.from(new Set([...queryMiddlewareFunctions, ...modelMiddlewareFunctions]));',
        'module.exports = function applyStaticHooks(hooks, orders, users) {',
        '  const active = hooks.filter((hook) => middlewareFunctions.indexOf(hook.name) !== -1);',
        '  const customers = users.map((u) => u);',
        '  return orders.map((order) => customers.find((c) => c.id === order.customerId));',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [4, 'LOW'],
      [6, 'MED'],
    ]);
  });

  it('gives LOW to a join over a list capped where it was made (Ghost top posts), MED over a whole one', () => {
    const findings = detect(quadraticLookup, {
      'core/server/services/stats/posts-stats-service.js': [
        'async function topPosts(knex, clicks, remainingCount) {',
        '  const counts = clicks.filter((c) => c.count > 0);',
        "  const additionalPosts = await knex('posts').select('id').limit(remainingCount);",
        "  const allPosts = await knex('posts').select('id');",
        '  const extra = additionalPosts.map((p) => counts.find((c) => c.post_id === p.id));',
        '  const every = allPosts.map((p) => counts.find((c) => c.post_id === p.id));',
        '  return [extra, every];',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [5, 'LOW'],
      [6, 'MED'],
    ]);
  });

  it('finds a module-level list from inside a function, and not a list another function binds', () => {
    const findings = detect(quadraticLookup, {
      'app/check.py': [
        "BANNED = [line.strip() for line in open('banned.txt')]",
        'def helper(users):',
        '    allowed = [u.email for u in users]',
        '    return allowed',
        'def check(rows):',
        '    for row in rows:',
        '        if row.email in BANNED:',
        '            continue',
        '        if row.email in allowed:',
        '            continue',
      ].join('\n'),
    });
    // Bound while the module loads: a lead, not a join that grows with the data.
    assert.deepEqual(linesAndConfidence(findings), [[7, 'LOW']]);
  });

  it('gives LOW to joins by name, registries of named things (Apostrophe schema fields, middleware), MED by id', () => {
    const findings = detect(quadraticLookup, {
      'modules/doc-type/index.js': [
        'module.exports = function relations(manager, options, labeledList, orders) {',
        '  const directRelations = options.relations.map((r) => r.split(".")[0]);',
        '  const add = [];',
        '  for (const field of manager.schema) {',
        '    if (directRelations.includes(field.name)) add.push(field.idsStorage);',
        '  }',
        '  const items = labeledList.map((x) => x);',
        '  for (const item of options.middleware) {',
        '    const before = items.find((entry) => entry.name === item.before);',
        '    const order = items.find((entry) => entry.orderId === item.id);',
        '  }',
        '  return add;',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [5, 'LOW'],
      [9, 'LOW'],
      [10, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /matching by name: usually a registry/);
    assert.equal(findings[0]?.impact, 'LOW');
  });
});
