import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RepoReader } from '../../src/audit/repo-reader.ts';
import { runDetectors } from '../../src/audit/run-detectors.ts';
import type { Finding, RepoProfile } from '../../src/core/types.ts';
import { unusedCliFlag } from '../../src/detectors/direction/unused-cli-flag.ts';
import { unusedExport } from '../../src/detectors/direction/unused-export.ts';
import { circularImport } from '../../src/detectors/tech-debt/circular-import.ts';
import { godModule } from '../../src/detectors/tech-debt/god-module.ts';
import { scopedGraph } from '../../src/detectors/tech-debt/scoped-graph.ts';
import { unusedFile } from '../../src/detectors/tech-debt/unused-file.ts';
import type { RepoSearch } from '../../src/detectors/types.ts';
import { grepSync } from '../../src/git/grep-sync.ts';
import { recon } from '../../src/recon/recon.ts';
import { type FileTree, makeRepo } from '../helpers/repo.ts';

const GRAPH_DETECTORS = [circularImport, godModule, unusedFile, unusedExport, unusedCliFlag];

/** A reader that counts the code files it was asked for. */
class CountingReader extends RepoReader {
  readonly code = new Set<string>();
  override read(file: string): string | undefined {
    if (/\.(?:[cm]?[jt]sx?|py)$/.test(file)) this.code.add(file);
    return super.read(file);
  }
}

/**
 * Run the import-graph detectors in branch mode over `changed` (the scope: `changed` plus
 * `importers`), with the search (the branch view) and without it (the whole-repository graph,
 * conclusions still about the changed files only). Both must say the same.
 */
function bothWays(
  profile: RepoProfile,
  changed: readonly string[],
  importers: readonly string[] = [],
): { scoped: Finding[]; whole: Finding[]; read: number; readFiles: ReadonlySet<string> } {
  const files = new Set([...changed, ...importers]);
  const run = (search: RepoSearch | undefined, reader: RepoReader) =>
    runDetectors(
      { ...profile },
      GRAPH_DETECTORS,
      {
        level: 'deep',
        focus: [],
        files,
        branch: { changed: new Set(changed), ...(search ? { search } : {}) },
      },
      reader,
    );
  const counting = new CountingReader(profile.root);
  const scoped = run(grepSync(profile.root), counting);
  const whole = run(undefined, new RepoReader(profile.root));
  assert.deepEqual(scoped.errors, []);
  assert.deepEqual(whole.errors, []);
  const repoFindings = (findings: Finding[]) =>
    findings.filter((f) => GRAPH_DETECTORS.some((d) => d.id === f.ruleId));
  return {
    scoped: repoFindings(scoped.findings),
    whole: repoFindings(whole.findings),
    read: counting.code.size,
    readFiles: counting.code,
  };
}

function titles(findings: readonly Finding[], ruleId: string): string[] {
  return findings.filter((f) => f.ruleId === ruleId).map((f) => f.title);
}

async function repoOf(files: FileTree): Promise<{ profile: RepoProfile; dispose: () => void }> {
  const repo = makeRepo(files);
  return { profile: await recon(repo.dir), dispose: repo.dispose };
}

const PACKAGE = `${JSON.stringify({ name: 'site', private: true, type: 'module', main: 'src/index.js' })}\n`;

describe('the branch-mode import graph', { concurrency: true }, () => {
  it('reads a handful of files for a change in a large repository, and concludes the same', async (t) => {
    const files: FileTree = {
      'package.json': PACKAGE,
      'src/index.js': "export { render } from './render.js';\n",
      'src/render.js': "import { escape } from './escape.js';\n\nexport const render = (s) => escape(s);\n",
      'src/escape.js': "export const escape = (s) => String(s).replace(/</g, '&lt;');\n",
      'src/banner.js': 'export function banner(text) {\n  return `** ${text} **`;\n}\n',
    };
    // A big unrelated part of the repository: 120 modules that import each other in a chain.
    for (let i = 0; i < 120; i += 1) {
      files[`lib/part${i}.js`] =
        i === 0
          ? 'export const part0 = 0;\n'
          : `import { part${i - 1} } from './part${i - 1}.js';\n\nexport const part${i} = part${i - 1} + 1;\n`;
    }
    const repo = await repoOf(files);
    t.after(repo.dispose);
    const { scoped, whole, read } = bothWays(repo.profile, ['src/banner.js']);
    assert.deepEqual(titles(scoped, 'tech-debt/unused-file'), ['src/banner.js is imported by nothing']);
    assert.deepEqual(scoped, whole);
    assert.ok(read <= 6, `read ${read} code files of 124`);
  });

  it('leaves alone a changed file its folder loader, a template import or an alias may load', async (t) => {
    const repo = await repoOf({
      'package.json': PACKAGE,
      'src/index.js': [
        "import { start } from './app.js';",
        "const plugins = require.context('./plugins', false, /\\.js$/);",
        'export const load = (lang) => import(`./locales/${lang}.js`);',
        'export default start(plugins);',
        '',
      ].join('\n'),
      'src/app.js': "import banner from '~/widgets/banner';\n\nexport const start = (p) => [banner, p];\n",
      'src/plugins/stars.js': 'export const stars = 5;\n',
      'src/locales/fr.js': "export const hello = 'bonjour';\n",
      'src/widgets/banner.js': "export default 'banner';\n",
      'src/widgets/card.js': "import banner from './banner.js';\n\nexport const card = banner;\n",
      'src/tasks/index.js': [
        "const fs = require('fs');",
        'for (const name of fs.readdirSync(__dirname)) require(`./${name}`);',
        '',
      ].join('\n'),
      'src/tasks/nightly.js': 'module.exports = () => 1;\n',
      'src/strings/clean.js': 'export const clean = () => 0;\n',
      'src/strings/format.js':
        "import { clean } from './clean.js';\n\nexport const format = () => clean();\n",
    });
    t.after(repo.dispose);
    const changed = [
      'src/plugins/stars.js',
      'src/locales/fr.js',
      'src/widgets/banner.js',
      'src/tasks/nightly.js',
      'src/strings/format.js',
    ];
    const { scoped, whole } = bothWays(repo.profile, changed, ['src/widgets/card.js']);
    // Only the one that nothing loads at all is reported.
    assert.deepEqual(titles(scoped, 'tech-debt/unused-file'), [
      'src/strings/format.js is imported by nothing',
    ]);
    assert.deepEqual(scoped, whole);
  });

  it('indexes only files that may import a changed file, and reads no build output', async (t) => {
    const repo = await repoOf({
      'package.json': PACKAGE,
      'gyp/__init__.py': '',
      'gyp/common.py': 'def helper():\n    return 1\n',
      'gyp/uses.py': 'from gyp import common\n\nprint(common.helper())\n',
      // Names the module only in a docstring and inside another word: no import of it.
      'gyp/prefix.py':
        '"""Finds the common prefix of two paths."""\nimport os\n\nprefix = os.path.commonprefix(["a", "b"])\n',
      'src/index.js': "import { app } from './app.js';\n\nexport default app;\n",
      'src/app.js': 'export const app = 1;\n',
      'src/fresh.js': 'export const fresh = 1;\n',
      // Build output recon leaves out, with a computed require the loader search finds.
      'dist/bundle.js': 'const load = (name) => require(\n  "./" + name\n);\nmodule.exports = load;\n',
    });
    t.after(repo.dispose);
    const changed = ['gyp/common.py', 'src/fresh.js'];
    const { scoped, whole, readFiles } = bothWays(repo.profile, changed, ['gyp/uses.py']);
    assert.deepEqual(titles(scoped, 'tech-debt/unused-file'), ['src/fresh.js is imported by nothing']);
    assert.deepEqual(scoped, whole);
    assert.ok(!readFiles.has('dist/bundle.js'), [...readFiles].join(', '));
    const reader = new RepoReader(repo.profile.root);
    const graph = scopedGraph({
      profile: repo.profile,
      read: (file) => reader.read(file),
      scope: {
        files: new Set([...changed, 'gyp/uses.py']),
        changed: new Set(changed),
        search: grepSync(repo.profile.root),
      },
    });
    assert.deepEqual([...(graph?.index.modules.keys() ?? [])].sort(), [
      'gyp/common.py',
      'gyp/uses.py',
      'src/fresh.js',
    ]);
  });

  it('knows a changed module is public API when the entry point re-exports it through a chain', async (t) => {
    const repo = await repoOf({
      'package.json': PACKAGE,
      'src/index.js': "export * from './api.js';\n",
      'src/api.js': "export { slugify, title } from './text/slug.js';\n",
      'src/text/slug.js': [
        "export const slugify = (s) => s.toLowerCase().replace(/\\s+/g, '-');",
        'export const title = (s) => s.toUpperCase();',
        'export function truncate(s, n) {',
        '  return s.slice(0, n);',
        '}',
        '',
      ].join('\n'),
      'src/text/pad.js': [
        'export function padLeft(s, n) {',
        "  return s.padStart(n, ' ');",
        '}',
        'export function padRight(s, n) {',
        "  return s.padEnd(n, ' ');",
        '}',
        '',
      ].join('\n'),
      'src/menu.js':
        "import { padLeft } from './text/pad.js';\n\nexport const item = (s) => padLeft(s, 4);\n",
      'src/main.js': "import { item } from './menu.js';\n\nconsole.log(item('x'));\n",
    });
    t.after(repo.dispose);
    const { scoped, whole } = bothWays(
      repo.profile,
      ['src/text/slug.js', 'src/text/pad.js'],
      ['src/api.js', 'src/menu.js'],
    );
    // slug.js is public through index.js → api.js; pad.js is not, and padRight is used nowhere.
    assert.deepEqual(titles(scoped, 'direction/unused-export'), ['`padRight` is exported but used nowhere']);
    assert.deepEqual(scoped, whole);
  });
});
