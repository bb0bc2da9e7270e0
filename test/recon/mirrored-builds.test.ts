import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SourceFile } from '../../src/core/types.ts';
import { compiledTwins, formatTwins, mirroredBuilds } from '../../src/recon/mirrored-builds.ts';
import { recon } from '../../src/recon/recon.ts';
import { makeRepo } from '../helpers/repo.ts';

function files(...paths: string[]): SourceFile[] {
  return sized(1, ...paths);
}

function sized(size: number, ...paths: string[]): SourceFile[] {
  return paths.map((path) => ({
    path,
    size,
    role: 'source',
    language: /\.tsx?$/.test(path) ? (path.endsWith('x') ? 'tsx' : 'typescript') : 'javascript',
  }));
}

const modules = ['index', 'theme/Footer/index', 'theme/Navbar/index', 'utils'];

describe('mirrored builds', () => {
  it('skips lib/ compiled from src/ (docusaurus) and cjs/ beside esm/ (react-bootstrap)', () => {
    assert.deepEqual(
      mirroredBuilds([
        ...files(...modules.map((m) => `src/${m}.tsx`), ...modules.map((m) => `lib/${m}.js`)),
        ...files(...modules.map((m) => `lib/${m}.d.ts`)),
        ...files(
          ...modules.map((m) => `packages/ui/cjs/${m}.js`),
          ...modules.map((m) => `packages/ui/esm/${m}.js`),
        ),
      ]),
      [
        { path: 'lib', reason: 'build-output' },
        { path: 'packages/ui/cjs', reason: 'build-output' },
      ],
    );
  });

  it('keeps folders that share a few names only, that are too small, or that cannot be told apart', () => {
    assert.deepEqual(
      mirroredBuilds([
        // express-style lib/ beside an unrelated src/ with one shared name.
        ...files('lib/router.js', 'lib/request.js', 'lib/response.js', 'lib/utils.js'),
        ...files('src/cli.js', 'src/server.js', 'src/config.js', 'src/utils.js'),
        // two tiny folders.
        ...files('app/lib/a.js', 'app/lib/b.js', 'app/src/a.ts', 'app/src/b.ts'),
        // a Spanish locale beside the default one.
        ...files('i18n/index.js', 'i18n/messages.js', 'i18n/errors.js'),
        ...files('i18n/es/index.js', 'i18n/es/messages.js', 'i18n/es/errors.js'),
        // two JavaScript folders of the same rank.
        ...files(...modules.map((m) => `x/es/${m}.js`), ...modules.map((m) => `x/esm/${m}.js`)),
      ]),
      [],
    );
  });

  it('skips a build folder that mirrors the rest of its parent (typeorm: root CommonJS, browser/ ES)', () => {
    const typeorm = ['index', 'driver/mysql/MysqlDriver', 'driver/postgres/PostgresDriver', 'entity/Entity'];
    assert.deepEqual(
      mirroredBuilds([
        ...sized(1000, ...typeorm.map((m) => `${m}.js`)),
        ...sized(900, ...typeorm.map((m) => `browser/${m}.js`)),
      ]),
      [{ path: 'browser', reason: 'build-output' }],
    );
    // Platform overrides share names with the code beside them but are other code.
    assert.deepEqual(
      mirroredBuilds([
        ...sized(4000, ...modules.map((m) => `lib/platform/${m}.js`)),
        ...sized(300, ...modules.map((m) => `lib/platform/node/${m}.js`)),
      ]),
      [],
    );
  });

  it('leaves the copy out of the profile and says so under build output', async (t) => {
    const tree: Record<string, string> = { 'package.json': '{"name":"theme","main":"lib/index.js"}' };
    for (const m of modules) {
      tree[`src/${m}.tsx`] = 'export const x = 1;\n';
      tree[`lib/${m}.js`] = 'export const x = 1;\n';
    }
    const repo = makeRepo(tree);
    t.after(repo.dispose);
    const profile = await recon(repo.dir);
    assert.deepEqual(
      profile.files.filter((file) => file.language).map((file) => file.path),
      modules.map((m) => `src/${m}.tsx`).sort(),
    );
    assert.deepEqual(
      profile.skipped.filter((entry) => entry.path === 'lib'),
      [{ path: 'lib', reason: 'build-output' }],
    );
  });

  it('skips JavaScript compiled in place beside its TypeScript (Ghost services), and nothing else', async (t) => {
    assert.deepEqual(
      compiledTwins(
        files(
          'core/server/services/recommendations/RecommendationService.ts',
          'core/server/services/recommendations/RecommendationService.js',
          'src/Button.tsx',
          'src/Button.jsx',
          'src/worker.mts',
          'src/worker.mjs',
          'src/config.js',
          'src/types.d.ts',
          'src/types.js',
        ),
      ),
      [
        { path: 'core/server/services/recommendations/RecommendationService.js', reason: 'build-output' },
        { path: 'src/Button.jsx', reason: 'build-output' },
        { path: 'src/worker.mjs', reason: 'build-output' },
      ],
    );
    const repo = makeRepo({
      'src/service.ts': 'export async function run(): Promise<void> {}\n',
      'src/service.js': 'async function run() {}\nexports.run = run;\n',
      'src/other.js': 'module.exports = 1;\n',
    });
    t.after(repo.dispose);
    const profile = await recon(repo.dir);
    assert.deepEqual(
      profile.files.map((file) => file.path),
      ['src/other.js', 'src/service.ts'],
    );
    assert.ok(
      profile.skipped.some((entry) => entry.path === 'src/service.js' && entry.reason === 'build-output'),
    );
  });

  it('keeps one of a module built side by side in several formats (node-fetch lib/), and nothing else', async (t) => {
    assert.deepEqual(
      formatTwins([
        ...sized(45775, 'lib/index.js'),
        ...sized(45272, 'lib/index.mjs'),
        ...sized(45346, 'lib/index.es.js'),
        ...sized(9000, 'dist2/util.cjs.js', 'dist2/util.esm.js'),
        // A small ES wrapper that re-exports the CommonJS module is other code.
        ...sized(40000, 'src/main.js'),
        ...sized(200, 'src/main.mjs'),
        // Two implementations of one interface, by hand.
        ...sized(3000, 'src/crypto.node.js', 'src/crypto.browser.js'),
        ...sized(3000, 'src/app.js', 'src/app.test.js'),
      ]),
      [
        { path: 'dist2/util.esm.js', reason: 'build-output' },
        { path: 'lib/index.es.js', reason: 'build-output' },
        { path: 'lib/index.mjs', reason: 'build-output' },
      ],
    );
    const body = Array.from(
      { length: 40 },
      (_, i) => `  if (input === ${i}) return fetchOne(${i}, options);`,
    ).join('\n');
    const repo = makeRepo({
      'lib/index.js': `'use strict';\n\nObject.defineProperty(exports, '__esModule', { value: true });\n\nfunction fetch(input, options) {\n${body}\n}\nexports.default = fetch;\n`,
      'lib/index.mjs': `function fetch(input, options) {\n${body}\n}\nexport default fetch;\n`,
    });
    t.after(repo.dispose);
    const profile = await recon(repo.dir);
    assert.deepEqual(
      profile.files.map((file) => file.path),
      ['lib/index.js'],
    );
    assert.ok(
      profile.skipped.some((entry) => entry.path === 'lib/index.mjs' && entry.reason === 'build-output'),
    );
  });
});
