import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { compileRule } from '../../src/audit/compile-rule.ts';
import { parseSource } from '../../src/audit/parse.ts';
import { matchAll, matchRules } from '../../src/audit/rule-matcher.ts';
import type { Language } from '../../src/core/types.ts';
import { CODE_DETECTORS } from '../../src/detectors/code-detectors.ts';
import type { FileInput } from '../../src/detectors/types.ts';
import { walkFile } from '../../src/detectors/walk.ts';
import { PLANTED_APP } from '../e2e/fixture-app.ts';

const TS = `
import { readFileSync } from 'node:fs';
export async function load(req: Request, items: string[]) {
  const data = readFileSync(req.query.path as any);
  // @ts-ignore
  const x = <any>data;
  for (const item of items) { await db.user.findUnique({ where: { id: item } }); items.includes(item); }
  switch (req.kind) { case 'a': break; default: }
  element.innerHTML = req.body.html;
  const agent = new https.Agent({ rejectUnauthorized: false });
  process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';
  try { save(x); } catch (e) { console.error(e); }
  eval(req.body.code); new Function(req.query.f);
  jwt.verify(token, key); crypto.createHash('md5').update(password);
  res.redirect(req.query.next); app.use(cors({ origin: true, credentials: true }));
  return items.filter((i) => i.id === x.userId);
}`;

const PY = `${PLANTED_APP['scripts/report.py']}
import requests, yaml, pickle, hashlib
def view(request, cache=[], opts={}):
    for row in rows:
        requests.get(row.url, verify=False)
        if row.id in seen: pass
    yaml.load(request.body)
    pickle.loads(request.data)
    hashlib.md5(request.form["password"].encode())
    cursor.execute("SELECT * FROM t WHERE id = %s" % request.args["id"])
    try:
        x = 1
    except Exception:
        ...
`;

const SAMPLES: [Language, string][] = [
  ['javascript', String(PLANTED_APP['src/server.js'])],
  ['javascript', TS.replace(/ as any|<any>|: Request|: string\[\]/g, '')],
  ['typescript', TS],
  ['tsx', `${TS}\nconst el = <div dangerouslySetInnerHTML={{ __html: req.body.html }} />;`],
  ['python', PY],
];

function ruleOf(detector: (typeof CODE_DETECTORS)[number], language: Language): NapiConfig | undefined {
  const rule = detector.rule;
  if (!rule) return undefined;
  return 'rule' in rule ? (rule as NapiConfig) : rule[language];
}

const ids = (nodes: SgNode[]) => nodes.map((node) => node.id());

/** Both forms of the one query: bare node kinds (small files) and every rule in full (large ones). */
const QUERIES = [
  ['kinds', Number.POSITIVE_INFINITY],
  ['full rules', 0],
] as const;

function expectSame(root: SgNode, language: Language, rules: NapiConfig[]): void {
  for (const [query, narrowFrom] of QUERIES) expectSameWith(root, language, rules, query, narrowFrom);
}

function expectSameWith(
  root: SgNode,
  language: Language,
  rules: NapiConfig[],
  query: string,
  narrowFrom: number,
): void {
  const fast = matchRules(root, language, rules, narrowFrom);
  rules.forEach((rule, index) => {
    const result = fast[index];
    let native: number[] | 'error';
    try {
      native = ids(root.findAll(rule));
    } catch {
      native = 'error';
    }
    assert.ok(result);
    assert.deepEqual(
      'nodes' in result ? ids(result.nodes) : 'error',
      native,
      `${query}: ${JSON.stringify(rule)}`,
    );
  });
}

describe('one-pass rule matching', () => {
  it('finds exactly what ast-grep finds for every built-in rule, on real-looking code', () => {
    for (const [language, text] of SAMPLES) {
      const root = parseSource(language, text)?.root();
      assert.ok(root);
      const rules = CODE_DETECTORS.map((d) =>
        d.languages.includes(language) ? ruleOf(d, language) : undefined,
      ).filter((rule): rule is NapiConfig => rule !== undefined);
      assert.ok(rules.length > 10);
      expectSame(root, language, rules);
    }
  });

  it('follows ast-grep on regex, anonymous children, fields, inside, stopBy, not, patterns and errors', () => {
    const root = parseSource(
      'javascript',
      'foo(a, b); x.y = 1; function f() { if (a) { g(/* c */); } }',
    )?.root();
    assert.ok(root);
    const rules: NapiConfig[] = [
      { rule: { kind: 'identifier', regex: 'oo' } },
      { rule: { kind: 'arguments', has: { regex: '^,$' } } },
      { rule: { kind: 'call_expression', has: { field: 'function', regex: '^foo$' } } },
      { rule: { kind: 'identifier', inside: { kind: 'member_expression', field: 'object' } } },
      { rule: { kind: 'call_expression', inside: { kind: 'function_declaration', stopBy: 'end' } } },
      { rule: { kind: 'function_declaration', has: { kind: 'comment', stopBy: 'end' } } },
      { rule: { kind: 'call_expression', not: { has: { kind: 'comment', stopBy: 'end' } } } },
      { rule: { any: [{ kind: 'identifier', regex: '^(?i)A$' }, { kind: 'number' }] } },
      { rule: { pattern: '$F($$$)' } },
      { rule: { regex: '^x' } },
      { rule: { kind: 'no_such_kind' } },
    ];
    expectSame(root, 'javascript', rules);
    assert.ok(compileRule(rules[2]), 'kind/has/field/regex rules run in the single pass');
    assert.equal(compileRule(rules[8]), undefined, 'patterns run natively');
    assert.equal(compileRule(rules[9]), undefined, 'a rule of any kind runs natively');
  });
});

describe('walks folded into the one pass', () => {
  const rulesFor = (language: Language) =>
    CODE_DETECTORS.map((d) => (d.languages.includes(language) ? ruleOf(d, language) : undefined)).filter(
      (rule): rule is NapiConfig => rule !== undefined,
    );

  it("give every built-in detector's walk the nodes its own query finds, and leave the rules' matches as they were", () => {
    for (const [language, text] of SAMPLES) {
      const root = parseSource(language, text)?.root();
      assert.ok(root);
      const rules = rulesFor(language);
      const walks = CODE_DETECTORS.flatMap((d) => d.walks?.[language] ?? []);
      for (const [query, narrowFrom] of QUERIES) {
        const { matches, walked } = matchAll(root, language, rules, walks, narrowFrom);
        assert.ok(walked.size > 0, `${language}: some walk is folded`);
        for (const [walk, nodes] of walked)
          assert.deepEqual(ids(nodes), ids(root.findAll(walk)), `${query}: ${JSON.stringify(walk)}`);
        const alone = matchRules(root, language, rules, narrowFrom);
        assert.deepEqual(
          matches.map((m) => ('nodes' in m ? ids(m.nodes) : 'error')),
          alone.map((m) => ('nodes' in m ? ids(m.nodes) : 'error')),
        );
      }
    }
  });

  it('fold a walk only where its nodes can be told apart by kind', () => {
    const text = 'async function f() { await g(); eval(x); h(); }\nconst k = async () => 1;';
    const root = parseSource('javascript', text)?.root();
    assert.ok(root);
    const rules: NapiConfig[] = [
      { rule: { kind: 'call_expression', has: { field: 'function', regex: '^h$' } } },
    ];
    const bare: NapiConfig = { rule: { kind: 'call_expression' } };
    // Shares its kind with the rule's candidates: a call that came back may not have matched it.
    const overlapping: NapiConfig = { rule: { kind: 'call_expression', regex: '^eval' } };
    const own: NapiConfig = { rule: { kind: 'arrow_function', regex: 'async' } };
    const invalid: NapiConfig = { rule: { kind: 'no_such_kind' } };
    // `own` twice, as when two detectors share one query object: still one walk, nodes once.
    for (const [, narrowFrom] of QUERIES) {
      const { walked: each } = matchAll(
        root,
        'javascript',
        rules,
        [bare, overlapping, own, invalid, own],
        narrowFrom,
      );
      assert.deepEqual([...each.keys()], [bare, own]);
      assert.deepEqual(ids(each.get(bare) ?? []), ids(root.findAll(bare)));
      assert.equal(each.get(bare)?.length, 3);
      assert.deepEqual(ids(each.get(own) ?? []), ids(root.findAll(own)));
      assert.equal(each.get(own)?.length, 1);
    }
    const { walked } = matchAll(root, 'javascript', rules, [bare, overlapping, own, invalid, own]);
    // A walk that was not folded is made by walkFile on its own, with the same answer.
    const file = { text, ast: () => parseSource('javascript', text), walked } as unknown as FileInput;
    assert.deepEqual(
      walkFile(file, overlapping).map((node) => node.text()),
      ['eval(x)'],
    );
    assert.deepEqual(
      walkFile(file, own).map((node) => node.text()),
      ['async () => 1'],
    );
  });
});
