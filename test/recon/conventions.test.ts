import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recon } from '../../src/recon/recon.ts';
import { type FileTree, makeRepo } from '../helpers/repo.ts';

async function conventionsOf(t: { after: (fn: () => void) => void }, files: FileTree, git = true) {
  const repo = makeRepo(files, { git });
  t.after(repo.dispose);
  return (await recon(repo.dir)).conventions;
}

test('an ESM TypeScript project with vitest: pattern and a median-size exemplar test', async (t) => {
  const conventions = await conventionsOf(t, {
    'package.json': '{"devDependencies": {"vitest": "^2"}}\n',
    'src/a.ts': "import { b } from './b.ts';\nexport const a = b;\n",
    'src/b.ts': 'export const b = 1;\n',
    'src/a.test.ts': "import { test } from 'vitest';\ntest('a', () => {});\n",
    'src/b.test.ts': "import { test } from 'vitest';\ntest('b', () => {});\ntest('b2', () => {});\n",
    'src/deep/c.test.ts': `import { test } from 'vitest';\n${"test('c', () => {});\n".repeat(10)}`,
    'test/helpers.ts': 'export const helper = 1;\n',
  });
  assert.equal(conventions.moduleSystem, 'esm');
  assert.equal(conventions.testFramework, 'vitest');
  assert.equal(conventions.testFilePattern, 'src/**/*.test.ts');
  assert.equal(conventions.exemplarTest, 'src/b.test.ts');
});

test('a CommonJS project using node:test under test/', async (t) => {
  const conventions = await conventionsOf(t, {
    'package.json': '{"scripts": {"test": "node --test"}}\n',
    'lib/index.js': "const fs = require('node:fs');\nmodule.exports = fs;\n",
    'lib/util.js': 'module.exports = {};\n',
    'test/index.test.js': "const test = require('node:test');\ntest('x', () => {});\n",
  });
  assert.equal(conventions.moduleSystem, 'commonjs');
  assert.equal(conventions.testFramework, 'node:test');
  assert.equal(conventions.testFilePattern, 'test/*.test.js');
  assert.equal(conventions.exemplarTest, 'test/index.test.js');
});

test('a Python project with pytest files in tests/', async (t) => {
  const conventions = await conventionsOf(t, {
    'app/__init__.py': '',
    'app/core.py': 'def run():\n    return 1\n',
    'tests/__init__.py': '',
    'tests/conftest.py': 'import pytest\n',
    'tests/test_core.py': 'from app.core import run\n\ndef test_run():\n    assert run() == 1\n',
    'tests/test_more.py': 'def test_more():\n    assert True\n',
  });
  assert.equal(conventions.moduleSystem, undefined);
  assert.equal(conventions.testFramework, 'pytest');
  assert.equal(conventions.testFilePattern, 'tests/test_*.py');
  assert.equal(conventions.exemplarTest, 'tests/test_more.py');
});

test('commit style: conventional subjects are recognised, with up to five samples', async (t) => {
  const commits = [
    'feat(cli): add flag',
    'fix: handle empty input',
    'chore!: drop node 18',
    'docs: readme',
    'wip',
  ].map((message, index) => ({ message, files: { [`f${index}.txt`]: `${index}\n` } }));
  const repo = makeRepo({ 'a.txt': 'a\n' }, { message: 'feat: initial', commits });
  t.after(repo.dispose);
  const { commitStyle } = (await recon(repo.dir)).conventions;
  assert.equal(commitStyle.kind, 'conventional');
  assert.deepEqual(commitStyle.samples, [
    'wip',
    'docs: readme',
    'chore!: drop node 18',
    'fix: handle empty input',
    'feat(cli): add flag',
  ]);
});

test('commit style: imperative and freeform histories, and unknown without git', async (t) => {
  const imperative = makeRepo(
    { 'a.txt': 'a\n' },
    { message: 'Add parser', commits: [{ message: 'Fix crash on empty file', files: { 'b.txt': 'b\n' } }] },
  );
  const freeform = makeRepo(
    { 'a.txt': 'a\n' },
    {
      message: 'stuff',
      commits: [
        { message: 'more stuff', files: { 'b.txt': 'b\n' } },
        { message: 'Added a thing', files: { 'c.txt': 'c\n' } },
      ],
    },
  );
  t.after(() => {
    imperative.dispose();
    freeform.dispose();
  });
  assert.equal((await recon(imperative.dir)).conventions.commitStyle.kind, 'imperative');
  assert.equal((await recon(freeform.dir)).conventions.commitStyle.kind, 'freeform');
  const plain = await conventionsOf(t, { 'a.txt': 'a\n' }, false);
  assert.deepEqual(plain.commitStyle, { kind: 'unknown', samples: [] });
});
