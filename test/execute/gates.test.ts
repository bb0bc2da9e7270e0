import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsAssertsOnlyMocks, pyAssertsOnlyMocks, testBlocks } from '../../src/execute/mock-only-tests.ts';
import { checkScope, inScope } from '../../src/execute/scope-gate.ts';
import { auditTests } from '../../src/execute/test-audit.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';

describe('the scope gate', () => {
  const entries = [
    { path: 'src/save.ts', reason: 'cited' },
    { path: 'test/save.test.ts', reason: 'new test', create: true },
    { path: 'docs/', reason: 'a folder' },
    { path: 'src/**/*.snap', reason: 'snapshots' },
  ];

  it('allows exact paths, folders, globs and files marked create', () => {
    for (const file of ['src/save.ts', 'test/save.test.ts', 'docs/a/b.md', 'src/x/y/z.snap']) {
      assert.ok(inScope(file, entries), file);
    }
    for (const file of ['src/save.tsx', 'src/other.ts', 'docsx/a.md', 'README.md', 'src/x.snap.js']) {
      assert.ok(!inScope(file, entries), file);
    }
  });

  it('lets a folder marked create take new files only (the module a refactor extracts)', () => {
    const extract = [{ path: 'src/lib/', reason: 'the module the fix extracts', create: true }];
    const result = checkScope(
      [
        { path: 'src/lib/shared.ts', change: 'added' },
        { path: 'src/lib/other.ts', change: 'modified' },
        { path: 'src/lib/old.ts', change: 'deleted' },
      ],
      extract,
      '',
    );
    assert.deepEqual(
      result.outside.map((change) => change.path),
      ['src/lib/other.ts', 'src/lib/old.ts'],
    );
  });

  it('fails any other change, a deletion or a path outside the project folder included', () => {
    const result = checkScope(
      [
        { path: 'api/src/save.ts', change: 'modified' },
        { path: 'api/package.json', change: 'deleted' },
        { path: 'web/index.ts', change: 'added' },
      ],
      entries,
      'api',
    );
    assert.equal(result.passed, false);
    assert.deepEqual(result.outside, [
      { path: 'api/package.json', change: 'deleted' },
      { path: 'web/index.ts', change: 'added' },
    ]);
  });
});

describe('the test audit', () => {
  it('recognises tests that assert only on mocks, in JavaScript and Python', () => {
    assert.equal(jsAssertsOnlyMocks('{ save(db); expect(db.insert).toHaveBeenCalledWith(row); }'), true);
    assert.equal(
      jsAssertsOnlyMocks('{ const r = save(db); expect(db.insert).toHaveBeenCalled(); expect(r).toBe(1); }'),
      false,
    );
    assert.equal(jsAssertsOnlyMocks('{ save(db); sinon.assert.calledOnce(db.insert); }'), true);
    assert.equal(jsAssertsOnlyMocks('{ save(db); assert.equal(db.rows.length, 1); }'), false);
    assert.equal(pyAssertsOnlyMocks('    save(db)\n    db.insert.assert_called_once_with(row)'), true);
    assert.equal(
      pyAssertsOnlyMocks('    save(db)\n    db.insert.assert_called_once()\n    assert db.count == 1'),
      false,
    );
    const blocks = testBlocks(
      'javascript',
      "test('a', () => {\n  run();\n});\nit('b', () => {\n  expect(x).toBe(1);\n});\n",
    );
    assert.deepEqual(
      blocks.map((block) => [block.startLine, block.endLine]),
      [
        [1, 3],
        [4, 6],
      ],
    );
  });

  it('judges only the tests on changed lines: a new empty test fails, an old one does not', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writeTree(temp.dir, {
      'test/save.test.js': [
        "import { test } from 'node:test';",
        "test('old test that asserts nothing', () => {",
        '  save();',
        '});',
        "test('new test', () => {",
        '  save();',
        '});',
        "test('new mock test', () => {",
        '  save(db);',
        '  expect(db.insert).toHaveBeenCalled();',
        '});',
        '',
      ].join('\n'),
      'src/save.js': 'export function save() {}\n',
    });
    const result = auditTests(
      temp.dir,
      [
        { path: 'test/save.test.js', change: 'modified' },
        { path: 'src/save.js', change: 'modified' },
      ],
      [{ file: 'test/save.test.js', startLine: 5, endLine: 11 }],
    );
    assert.equal(result.passed, false);
    assert.deepEqual(result.files, ['test/save.test.js']);
    assert.deepEqual(
      result.problems.map((problem) => [problem.line, problem.message.slice(0, 40)]),
      [
        [5, "The test 'new test' runs code but assert"],
        [8, 'This test asserts only that a mock was c'],
      ],
    );
  });

  it('counts an assertion about constants as none: a new test with only assert.equal(1, 1) fails', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writeTree(temp.dir, {
      'test/profile.test.ts': [
        "import assert from 'node:assert/strict';",
        "import { test } from 'node:test';",
        "import { renderBio } from '../src/profile.ts';",
        "test('escapes the bio', () => {",
        '  assert.equal(1, 1);',
        '});',
        "test('keeps plain text', () => {",
        "  renderBio('hi');",
        '  expect(true).toBe(true);',
        '});',
        "test('saves once', () => {",
        '  save(db);',
        '  expect(db.insert).toHaveBeenCalled();',
        '  expect(1).toEqual(1);',
        '});',
        "test('renders the bio as text', () => {",
        "  assert.equal(renderBio('<b>x</b>'), '&lt;b&gt;x&lt;/b&gt;');",
        '  assert.ok(renderBio("a"));',
        '});',
        '',
      ].join('\n'),
    });
    const result = auditTests(
      temp.dir,
      [{ path: 'test/profile.test.ts', change: 'added' }],
      [{ file: 'test/profile.test.ts', startLine: 1, endLine: 20 }],
    );
    assert.deepEqual(
      result.problems.map((problem) => [problem.line, problem.message.slice(0, 50)]),
      [
        [4, "The test 'escapes the bio' asserts only about cons"],
        [7, "The test 'keeps plain text' asserts only about con"],
        [11, 'This test asserts only that a mock was called, not'],
      ],
    );
  });

  it("fails a new test file the package's test script never runs, and leaves runners that find their own tests", (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    const test = [
      "import assert from 'node:assert/strict';",
      "import { test } from 'node:test';",
      "import { initials } from '../src/format.ts';",
      "test('initials', () => assert.equal(initials('Ada Lovelace'), 'AL'));",
      '',
    ].join('\n');
    const manifest = (script: string) => JSON.stringify({ name: 'web', scripts: { test: script } });
    writeTree(temp.dir, {
      'package.json': JSON.stringify({
        workspaces: ['packages/*'],
        scripts: { test: 'npm test --workspaces' },
      }),
      'packages/web/package.json': manifest('node --test test/*.test.ts'),
      'packages/web/test/Profile.test.tsx': test,
      'packages/web/test/initials.test.ts': test,
      'packages/web/src/Profile.test.tsx': test,
      'packages/api/package.json': manifest('vitest run'),
      'packages/api/src/sum.test.ts': test,
      'packages/cli/package.json': manifest("c8 mocha --require test/setup.js 'test/**/*.spec.js'"),
      'packages/cli/test/unit/args.spec.js': test,
      'packages/cli/test/args.test.js': test,
    });
    const files = [
      'packages/web/test/Profile.test.tsx',
      'packages/web/test/initials.test.ts',
      'packages/web/src/Profile.test.tsx',
      'packages/api/src/sum.test.ts',
      'packages/cli/test/unit/args.spec.js',
      'packages/cli/test/args.test.js',
    ];
    const result = auditTests(
      temp.dir,
      files.map((path) => ({ path, change: 'added' as const })),
      files.map((file) => ({ file, startLine: 1, endLine: 5 })),
    );
    assert.deepEqual(result.problems, []);
    assert.equal(result.passed, false);
    assert.deepEqual(
      result.unrun?.map((unrun) => [unrun.file, unrun.manifest, unrun.command]),
      [
        ['packages/web/test/Profile.test.tsx', 'packages/web/package.json', 'node --test test/*.test.ts'],
        ['packages/web/src/Profile.test.tsx', 'packages/web/package.json', 'node --test test/*.test.ts'],
        [
          'packages/cli/test/args.test.js',
          'packages/cli/package.json',
          "c8 mocha --require test/setup.js 'test/**/*.spec.js'",
        ],
      ],
    );
    // A test the script runs, changed rather than added, is not the attempt's to place.
    const changed = auditTests(
      temp.dir,
      [{ path: 'packages/web/test/Profile.test.tsx', change: 'modified' }],
      [{ file: 'packages/web/test/Profile.test.tsx', startLine: 1, endLine: 5 }],
    );
    assert.equal(changed.passed, true);
  });
});
