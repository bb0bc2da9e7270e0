import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findImporters, importQuery } from '../../src/audit/import-graph.ts';
import { pythonImports } from '../../src/audit/import-specifiers.ts';
import type { Language, SourceFile } from '../../src/core/types.ts';

const LANGUAGES: Record<string, Language> = {
  ts: 'typescript',
  tsx: 'tsx',
  js: 'javascript',
  mjs: 'javascript',
  py: 'python',
};

/** Importers of `targets` in an in-memory tree (audited as folder `root`); every file read is recorded. */
function importersOf(tree: Record<string, string>, targets: string[], root?: string) {
  const files: SourceFile[] = Object.keys(tree).map((path) => {
    const language = LANGUAGES[path.slice(path.lastIndexOf('.') + 1)];
    return { path, size: tree[path]?.length ?? 0, role: 'source', ...(language ? { language } : {}) };
  });
  const reads: string[] = [];
  const read = (file: string) => {
    reads.push(file);
    return tree[file];
  };
  const importers = findImporters(files, importQuery(files, targets, read, root), read);
  return { importers: Object.fromEntries(importers.map((i) => [i.file, i.imports])), reads };
}

describe('import graph: who imports a changed file', () => {
  it('follows relative imports with extension lookup, index files and .js naming a .ts file', () => {
    const { importers } = importersOf(
      {
        'src/db/index.ts': 'export const pool = {};',
        'src/db/query.ts': 'export function q() {}',
        'src/api.ts': "import { pool } from './db';\nimport { q } from './db/query.js';",
        'src/jobs/sync.ts': "const { pool } = require('../db/index');",
        'src/lazy.ts': "export const load = () => import('./db/query');",
        'src/reexport.ts': "export * from './db/query.ts';",
        'src/unrelated.ts': "import { dbHelper } from './db-helper';\n// mentions query and db in a comment",
        'src/db-helper.ts': 'export const dbHelper = 1;',
      },
      ['src/db/index.ts', 'src/db/query.ts'],
    );
    assert.deepEqual(importers, {
      'src/api.ts': ['src/db/index.ts', 'src/db/query.ts'],
      'src/jobs/sync.ts': ['src/db/index.ts'],
      'src/lazy.ts': ['src/db/query.ts'],
      'src/reexport.ts': ['src/db/query.ts'],
    });
  });

  it('resolves tsconfig paths (with comments and extends) and baseUrl imports', () => {
    const { importers } = importersOf(
      {
        'tsconfig.base.json':
          '{ "compilerOptions": { "baseUrl": ".", "paths": { "@app/*": ["src/*"], "@config": ["src/settings.ts"] } } }',
        'tsconfig.json':
          '{\n  // app config\n  "extends": "./tsconfig.base.json",\n  "compilerOptions": { "strict": true, },\n}',
        'src/settings.ts': 'export const settings = {};',
        'src/lib/money.ts': 'export const cents = 1;',
        'src/cart.ts': "import { cents } from '@app/lib/money';\nimport { settings } from '@config';",
        'src/tax.ts': "import { cents } from 'src/lib/money';",
        'src/other.ts': "import money from 'money';",
      },
      ['src/lib/money.ts', 'src/settings.ts'],
    );
    assert.deepEqual(importers, {
      'src/cart.ts': ['src/lib/money.ts', 'src/settings.ts'],
      'src/tax.ts': ['src/lib/money.ts'],
    });
  });

  it("resolves imports of the repository's own packages by name, from dist entry points to sources", () => {
    const { importers } = importersOf(
      {
        'packages/core/package.json': JSON.stringify({
          name: '@acme/core',
          exports: { '.': { import: './dist/index.js' }, './money': './dist/money.js' },
        }),
        'packages/core/src/index.ts': "export * from './money.ts';",
        'packages/core/src/money.ts': 'export const cents = 1;',
        'packages/web/src/app.ts': "import { cents } from '@acme/core/money';",
        'packages/web/src/main.ts': "import * as core from '@acme/core';",
        'packages/web/src/vendor.ts': "import x from '@acme/corex';",
      },
      ['packages/core/src/money.ts', 'packages/core/src/index.ts'],
    );
    assert.deepEqual(importers, {
      'packages/web/src/app.ts': ['packages/core/src/money.ts'],
      'packages/web/src/main.ts': ['packages/core/src/index.ts'],
    });
  });

  it('searches each language for its own needles, and a package by its entry, not by its name alone', () => {
    const tree: Record<string, string> = {
      'package.json': JSON.stringify({ name: 'webpack', main: './lib/index.js' }),
      'lib/index.js': "module.exports = require('./util/format');",
      'lib/util/format.js': 'module.exports = (n) => `${n} B`;',
      'lib/cli.js': "const cli = require('webpack-cli');\nconst { x } = require('webpack-sources');",
      'lib/words.js': '// common sense: keep it simple',
      'test/main.test.js': "const webpack = require('webpack');",
      'test/format.test.js': "const format = require('webpack/lib/util/format');",
      'tools/__init__.py': '',
      'tools/common.py': 'X = 1',
      'tools/run.py': 'from . import common',
    };
    const files: SourceFile[] = Object.keys(tree).map((path) => {
      const language = LANGUAGES[path.slice(path.lastIndexOf('.') + 1)];
      return { path, size: 1, role: 'source', ...(language ? { language } : {}) };
    });
    const read = (file: string) => tree[file];
    const query = importQuery(files, ['lib/util/format.js', 'lib/index.js', 'tools/common.py'], read);
    // What `git grep -F` over each group's files finds.
    const found = new Set(
      query.searches.flatMap((search) =>
        files
          .filter((file) => search.patterns.some((pattern) => file.path.endsWith(pattern.slice(1))))
          .filter((file) => search.needles.some((needle) => tree[file.path]?.includes(needle)))
          .map((file) => file.path),
      ),
    );
    assert.ok(!found.has('lib/cli.js'), 'other packages whose name starts like this one are not candidates');
    assert.ok(!found.has('lib/words.js'), "a Python module's name is not searched for in JavaScript");
    assert.ok(
      found.has('test/main.test.js') && found.has('test/format.test.js') && found.has('tools/run.py'),
    );
    const expected = {
      'test/format.test.js': ['lib/util/format.js'],
      'test/main.test.js': ['lib/index.js'],
      'tools/run.py': ['tools/common.py'],
    };
    const importers = (candidates?: ReadonlySet<string>) =>
      Object.fromEntries(findImporters(files, query, read, candidates).map((i) => [i.file, i.imports]));
    assert.deepEqual(importers(), expected);
    assert.deepEqual(importers(found), importers());
  });

  it('resolves Python absolute and relative imports, src layout included', () => {
    const { importers } = importersOf(
      {
        'pyproject.toml': '[project]\nname = "shop"\n',
        'src/shop/__init__.py': '',
        'src/shop/db.py': 'def save(): pass',
        'src/shop/api.py': 'from . import db\n',
        'src/shop/jobs/sync.py': 'from ..db import save\n',
        'src/shop/cli.py': 'from shop.db import (\n    save,\n)\n',
        'tests/test_db.py': 'import shop.db as db\n',
        'src/shop/dbx.py': 'import dbm\n',
      },
      ['src/shop/db.py'],
    );
    assert.deepEqual(importers, {
      'src/shop/api.py': ['src/shop/db.py'],
      'src/shop/cli.py': ['src/shop/db.py'],
      'src/shop/jobs/sync.py': ['src/shop/db.py'],
      'tests/test_db.py': ['src/shop/db.py'],
    });
  });

  it("never resolves an absolute import inside a package to a sibling (Python 3), but does in a script's folder", () => {
    const { importers } = importersOf(
      {
        'testing/__init__.py': '',
        'testing/warnings.py': 'from . import assertions\n',
        'testing/assertions.py': 'import warnings\n',
        'ext/__init__.py': '',
        'ext/mypy/__init__.py': '',
        'ext/mypy/plugin.py': 'from . import apply\n',
        'ext/mypy/apply.py': 'from mypy.plugin import SemanticAnalyzerPluginInterface\n',
        'scripts/helpers.py': 'def run(): pass\n',
        'scripts/release.py': 'import helpers\n',
      },
      ['testing/warnings.py', 'ext/mypy/plugin.py', 'scripts/helpers.py'],
    );
    assert.deepEqual(importers, { 'scripts/release.py': ['scripts/helpers.py'] });
  });

  it('reads a root folder that is itself a package (site-packages/flask) by its own name', () => {
    const tree = {
      '__init__.py': 'from .app import Flask\n',
      'app.py': 'import json\nfrom . import cli\n',
      'cli.py': 'from flask.json import dumps\n',
      'json/__init__.py': 'def dumps(x): pass\n',
    };
    assert.deepEqual(
      importersOf(tree, ['json/__init__.py'], '/usr/lib/python3/dist-packages/flask').importers,
      {
        'cli.py': ['json/__init__.py'],
      },
    );
  });

  it('reads only source files of the changed languages, and only candidates when a search found them', () => {
    const tree: Record<string, string> = {
      'src/a.ts': "import { b } from './b';",
      'src/b.ts': 'export const b = 1;',
      'src/c.ts': 'export const c = 1;',
      'tools/x.py': 'import os',
      'README.md': 'see ./b',
    };
    assert.deepEqual(importersOf(tree, ['src/b.ts']).reads.sort(), ['src/a.ts', 'src/c.ts']);
    const files: SourceFile[] = ['src/a.ts', 'src/b.ts', 'src/c.ts'].map((path) => ({
      path,
      size: 1,
      role: 'source',
      language: 'typescript',
    }));
    const reads: string[] = [];
    const read = (file: string) => {
      reads.push(file);
      return tree[file];
    };
    const query = importQuery(files, ['src/b.ts'], read);
    assert.ok(query.needles.includes('/b'));
    const importers = findImporters(files, query, read, new Set(['src/a.ts']));
    assert.deepEqual(importers, [{ file: 'src/a.ts', imports: ['src/b.ts'] }]);
    assert.deepEqual(reads, ['src/a.ts']);
  });

  it('reads Python import statements across parentheses and continuation lines', () => {
    assert.deepEqual(
      pythonImports('from .pkg import (a,\n    b as c)  # x\nimport x.y, z as w\nfrom . import \\\n  q\n'),
      [
        { level: 1, module: 'pkg', names: ['a', 'b'] },
        { level: 0, module: 'x.y', names: [] },
        { level: 0, module: 'z', names: [] },
        { level: 1, module: '', names: ['q'] },
      ],
    );
  });
});
