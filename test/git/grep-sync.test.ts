import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GitNotInstalledError } from '../../src/git/git-error.ts';
import { grepSync } from '../../src/git/grep-sync.ts';
import { makeRepo } from '../helpers/repo.ts';

describe('grepSync', () => {
  it('finds the files matching any of several regular expressions, anchors and alternations included', (t) => {
    const repo = makeRepo({
      'src/loader.js': "const mod = require('./plugins/' + name);\n",
      'src/context.js': "const all = require.context('./pages');\n",
      'src/open-call.ts': 'const m = await import(\n  `./locales/${lang}.json`);\n',
      'src/alias.ts': "import { x } from '@/common';\n",
      'src/plain.ts': "import { x } from './common';\n",
      'docs/notes.md': 'require.context is mentioned here\n',
    });
    t.after(repo.dispose);
    const search = grepSync(repo.dir);
    const patterns = [
      'require[.]context|import[.]meta[.]glob',
      `(from|import|require)[[:space:]]*[(][[:space:]]*(\`[[:space:]]*[.]|['"][[:space:]]*[.][^'"]*['"][[:space:]]*([+]|$))`,
      '(from|import|require)[[:space:]]*[(][[:space:]]*$',
      `['"\`][~#@]+/?(common|ommon)?['"\`]`,
    ];
    assert.deepEqual(search.files(patterns, { regex: true, globs: ['*.js', '*.ts'] }), [
      'src/alias.ts',
      'src/context.js',
      'src/loader.js',
      'src/open-call.ts',
    ]);
    // Each pattern alone finds what it finds within the union.
    assert.deepEqual(search.files([patterns[2] ?? ''], { regex: true }), ['src/open-call.ts']);
    assert.deepEqual(search.files(['common'], { words: true }), ['src/alias.ts', 'src/plain.ts']);
    assert.deepEqual(search.files(['nothing-matches-this'], { regex: true }), []);
  });

  it('says git is missing, as an environment error, when the binary cannot be run', (t) => {
    const repo = makeRepo({ 'a.js': 'x\n' });
    t.after(repo.dispose);
    const search = grepSync(repo.dir, '/nonexistent/git');
    assert.throws(
      () => search.files(['x']),
      (error: unknown) => {
        assert.ok(error instanceof GitNotInstalledError);
        assert.equal(error.exitCode, 3);
        return true;
      },
    );
  });
});
