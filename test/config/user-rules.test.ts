import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { audit } from '../../src/api/audit.ts';
import { loadUserRules } from '../../src/config/user-rules.ts';
import { UsageError } from '../../src/core/errors.ts';
import { DETECTORS } from '../../src/detectors/index.ts';
import { runCli } from '../helpers/cli.ts';
import { type FileTree, makeRepo } from '../helpers/repo.ts';

const BUILTIN = new Set(DETECTORS.map((d) => d.id));

const APP: FileTree = {
  'package.json': '{"name":"shop","version":"1.0.0","scripts":{"test":"node --test"}}\n',
  'src/cart.js': [
    'export function total(items) {',
    '  console.log(items.length);',
    '  return items.reduce((sum, item) => sum + item.price, 0);',
    '}',
    '',
  ].join('\n'),
  'src/legacy.py': ['def price(row):', '    print(row)', '    return row["price"]', ''].join('\n'),
};

const RULES = `id: team/no-console-log
language: [javascript, typescript]
rule:
  pattern: console.log($VALUE)
message: console.log of $VALUE left in shipped code
category: dx
title: Debug logging left in
fixSketch: Remove the call or use the project's logger.
confidence: HIGH
---
id: team/no-print
language: python
rule:
  kind: call
  has: { field: function, regex: ^print$ }
message: print() in library code
category: dx
title: print() left in
fixSketch: Use logging.
effort: S
`;

function withRules(files: Record<string, string>): FileTree {
  return {
    ...APP,
    ...Object.fromEntries(Object.entries(files).map(([name, text]) => [`.improve/rules/${name}`, text])),
  };
}

describe('user rules in .improve/rules', () => {
  it('load patterns with metavariables in every language (ast-grep writes them as µ for Python)', (t) => {
    const repo = makeRepo(
      withRules({
        'py.yml': RULES.replace(
          'kind: call\n  has: { field: function, regex: ^print$ }',
          'pattern: print($$$ARGS)',
        ),
      }),
    );
    t.after(repo.dispose);
    assert.equal(loadUserRules(repo.dir, BUILTIN).specs.length, 2);
  });

  it('run as detectors with their own metadata, pattern and kind rules alike', async (t) => {
    const repo = makeRepo(withRules({ 'team.yml': RULES }));
    t.after(repo.dispose);
    const result = await audit({ path: repo.dir, level: 'deep' });
    const log = result.findings.find((f) => f.ruleId === 'team/no-console-log');
    assert.ok(log, 'the console.log rule found the call');
    assert.equal(log.message, 'console.log of items.length left in shipped code');
    assert.equal(log.category, 'dx');
    assert.equal(log.confidence, 'HIGH');
    assert.deepEqual(
      log.evidence.map((e) => [e.file, e.startLine]),
      [['src/cart.js', 2]],
    );
    const print = result.findings.find((f) => f.ruleId === 'team/no-print');
    assert.equal(print?.evidence[0]?.file, 'src/legacy.py');
    assert.equal(print?.title, 'print() left in');
  });

  it('refuse an invalid file with exit 2, naming the file and the problem, writing nothing', (t) => {
    const repo = makeRepo(withRules({ 'broken.yml': 'id: x\nlanguage: cobol\nrule: { kind: call }\n' }));
    t.after(repo.dispose);
    const run = runCli([repo.dir]);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /\.improve\/rules\/broken\.yml \(rule "x"\): "language" "cobol" is not supported/,
    );
    assert.ok(!existsSync(path.join(repo.dir, 'plans')));
  });

  it('give, in the message for an invalid file, an example that works when copied', async (t) => {
    const broken = makeRepo(withRules({ 'broken.yml': 'id: x\nlanguage: typescript\n' }));
    t.after(broken.dispose);
    let hint = '';
    try {
      loadUserRules(broken.dir, BUILTIN);
    } catch (error) {
      assert.ok(error instanceof UsageError);
      hint = error.hint ?? '';
    }
    const example = hint.slice(hint.indexOf('id: '));
    assert.match(example, /^id: /);
    const repo = makeRepo({
      'package.json': '{"name":"files","version":"1.0.0","scripts":{"test":"node --test"}}\n',
      'src/load.ts': [
        "import fs from 'node:fs';",
        'export function loadConfig(name: string) {',
        "  return fs.readFileSync(name, 'utf8');",
        '}',
        '',
      ].join('\n'),
      '.improve/rules/example.yml': `${example}\n`,
    });
    t.after(repo.dispose);
    const result = await audit({ path: repo.dir, level: 'deep' });
    const found = result.findings.find((f) => f.ruleId === 'no-sync-fs-in-routes');
    assert.ok(found, 'the example rule found the synchronous read');
    assert.equal(found.message, 'Synchronous file read in loadConfig blocks the event loop');
  });

  it('refuse rules ast-grep cannot run, missing fields, bad YAML and ids taken by built-in detectors', (t) => {
    const cases: [string, RegExp][] = [
      [RULES.replace('kind: call', 'kind: no_such_kind'), /is not a valid ast-grep rule for python/],
      // ast-grep itself accepts a pattern that does not parse, and then matches nothing meant.
      [
        RULES.replace('pattern: console.log($VALUE)', 'pattern: console.log($VALUE'),
        /the pattern "console\.log\(\$VALUE" is not valid javascript code/,
      ],
      [
        RULES.replace('kind: call\n  has: { field: function, regex: ^print$ }', 'pattern: "def def((("'),
        /the pattern "def def\(\(\(" is not valid python code/,
      ],
      [RULES.replace('fixSketch: Use logging.\n', ''), /"fixSketch" must be a non-empty string/],
      [
        RULES.replace('category: dx\ntitle: Debug', 'category: style\ntitle: Debug'),
        /"category" must be one of/,
      ],
      ['id: [unclosed\n', /invalid YAML/],
      [RULES.replace('team/no-print', 'security/sql-injection'), /already used by a built-in detector/],
      [`${RULES}---\n${RULES.split('---')[0]}`, /"team\/no-console-log" is already used in/],
      [
        RULES.replace(
          'title: Debug logging left in',
          'title: Debug logging left in\nseverity: error\nfiles: [src]',
        ),
        /unknown key "files"/,
      ],
    ];
    for (const [text, message] of cases) {
      const repo = makeRepo(withRules({ 'rules.yml': text }));
      t.after(repo.dispose);
      assert.throws(
        () => loadUserRules(repo.dir, BUILTIN),
        (error: unknown) =>
          error instanceof UsageError &&
          error.exitCode === 2 &&
          message.test(error.message) &&
          error.message.startsWith('.improve/rules/rules.yml'),
        message.source,
      );
    }
  });
});
