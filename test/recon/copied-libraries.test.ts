import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { repositoryOf } from '../../src/recon/copied-libraries.ts';
import { recon } from '../../src/recon/recon.ts';
import { makeRepo } from '../helpers/repo.ts';

const MIT = (holder: string) =>
  `MIT License\n\nCopyright (c) ${holder}\n\nPermission is hereby granted, free of charge, to any person obtaining a copy…\n`;

describe('libraries copied into a repository', () => {
  it('skips folders with a licence of their own and saved pages, not the project’s own files (TiddlyWiki)', async () => {
    const repo = makeRepo({
      license: MIT('Jeremy Ruston'),
      'package.json': JSON.stringify({ name: 'tiddlywiki', version: '5.3.8' }),
      'core/modules/widgets/text.js': 'exports.text = function () { return 1; };\n',
      'plugins/tiddlywiki/d3/files/LICENSE': MIT('Mike Bostock'),
      'plugins/tiddlywiki/d3/files/cloud/LICENSE': MIT('Jason Davies'),
      'plugins/tiddlywiki/d3/files/cloud/d3.layout.cloud.js': 'function cloud() { return 2; }\n',
      'plugins/tiddlywiki/d3/barwidget.js': 'exports.bar = function () { return 3; };\n',
      'plugins/tiddlywiki/highlight/license.tid':
        'title: $:/plugins/tiddlywiki/highlight/license\n\nBSD licence of highlight.js\n',
      'plugins/tiddlywiki/highlight/highlightblock.js': 'exports.highlight = 1;\n',
      'plugins/tiddlywiki/jasmine/files/jasmine-core/MIT.LICENSE': MIT('Pivotal Labs'),
      'plugins/tiddlywiki/jasmine/files/jasmine-core/lib/jasmine.js': 'var jasmine = {};\n',
      // TiddlyWiki lists its own boot code in a tiddlywiki.files too: no sign of a copy.
      'boot/tiddlywiki.files': '{"tiddlers": []}\n',
      'boot/boot.js': 'var $tw = {};\n',
      'editions/surveys/Interview.htm': '<html></html>\n',
      'editions/surveys/Interview_files/backstage.js': 'document.body.innerHTML = location.hash;\n',
      // A package of the monorepo: its own manifest, and the same licence as the root.
      'packages/ui/LICENSE': MIT('Jeremy Ruston'),
      'packages/ui/index.js': 'exports.ui = 1;\n',
      'tools/LICENSE': MIT('Jeremy Ruston'),
      'tools/build.js': 'exports.build = 1;\n',
      // Directus: code named after licences, beside other code, is the project's own.
      'src/license/utils/handle-license-error.ts': 'export const handle = 1;\n',
      'src/license/utils/check.ts': 'export const check = 1;\n',
      'src/database/migrations/20250609A-license-banner.ts': 'export const up = 1;\n',
      'src/database/migrations/20250610A-add-flows.ts': 'export const up = 2;\n',
      'static/libs/tinylib/LICENSE-APACHE-2.0.txt': MIT('Tiny Lib Authors'),
      'static/libs/tinylib/tiny.js': 'var tiny = 1;\n',
      'packages/cli/package.json': JSON.stringify({ name: 'cli' }),
      'packages/cli/LICENSE': MIT('Someone Else'),
      'packages/cli/index.js': 'exports.cli = 1;\n',
    });
    try {
      const profile = await recon(repo.dir);
      const vendored = profile.skipped.filter((s) => s.reason === 'vendored').map((s) => s.path);
      assert.deepEqual(vendored, [
        'editions/surveys/Interview_files',
        'plugins/tiddlywiki/d3/files',
        'plugins/tiddlywiki/jasmine/files/jasmine-core',
        'static/libs/tinylib',
      ]);
      // Their code runs with the repository's dependencies (unused-dependency reads its imports).
      assert.deepEqual(profile.vendoredCode, [
        'editions/surveys/Interview_files/backstage.js',
        'plugins/tiddlywiki/d3/files/cloud/d3.layout.cloud.js',
        'plugins/tiddlywiki/jasmine/files/jasmine-core/lib/jasmine.js',
        'static/libs/tinylib/tiny.js',
      ]);
      const audited = profile.files.filter((f) => f.language).map((f) => f.path);
      assert.deepEqual(audited.sort(), [
        'boot/boot.js',
        'core/modules/widgets/text.js',
        'packages/cli/index.js',
        'packages/ui/index.js',
        'plugins/tiddlywiki/d3/barwidget.js',
        'plugins/tiddlywiki/highlight/highlightblock.js',
        'src/database/migrations/20250609A-license-banner.ts',
        'src/database/migrations/20250610A-add-flows.ts',
        'src/license/utils/check.ts',
        'src/license/utils/handle-license-error.ts',
        'tools/build.js',
      ]);
    } finally {
      repo.dispose();
    }
  });

  it('skips folders whose package.json names another source repository than the root (Ghost themes)', async () => {
    const manifest = (name: string, repository?: unknown) =>
      JSON.stringify({ name, version: '1.0.0', ...(repository === undefined ? {} : { repository }) });
    const repo = makeRepo({
      'package.json': manifest('ghost', { type: 'git', url: 'git://github.com/TryGhost/Ghost.git' }),
      'core/server/index.js': 'exports.start = 1;\n',
      'content/themes/casper/package.json': manifest('casper', {
        type: 'git',
        url: 'https://github.com/TryGhost/Casper.git',
      }),
      'content/themes/casper/assets/js/lightbox.js': 'exports.lightbox = 1;\n',
      'content/themes/casper/assets/js/lib/package.json': manifest('inner', 'other/inner'),
      'content/themes/casper/assets/js/lib/x.js': 'exports.x = 1;\n',
      'packages/admin/package.json': manifest('admin', {
        type: 'git',
        url: 'git+https://github.com/TryGhost/Ghost.git',
        directory: 'packages/admin',
      }),
      'packages/admin/index.js': 'exports.admin = 1;\n',
      'packages/short/package.json': manifest('short', 'TryGhost/Ghost'),
      'packages/short/index.js': 'exports.short = 1;\n',
      'packages/bare/package.json': manifest('bare'),
      'packages/bare/index.js': 'exports.bare = 1;\n',
    });
    try {
      const profile = await recon(repo.dir);
      const vendored = profile.skipped.filter((s) => s.reason === 'vendored').map((s) => s.path);
      assert.deepEqual(vendored, ['content/themes/casper']);
      const audited = profile.files.filter((f) => f.language).map((f) => f.path);
      assert.deepEqual(audited.sort(), [
        'core/server/index.js',
        'packages/admin/index.js',
        'packages/bare/index.js',
        'packages/short/index.js',
      ]);
    } finally {
      repo.dispose();
    }
  });

  it('skips folders whose package.json npm wrote on install, not a package that only looks alike', async () => {
    const repo = makeRepo({
      'package.json': JSON.stringify({ name: 'pm2', version: '7.0.4' }),
      'lib/God.js': 'exports.god = 1;\n',
      'modules/axon/lib/configurable/package.json': JSON.stringify({
        _from: 'configurable@0.0.1',
        _resolved: 'https://registry.npmjs.org/configurable/-/configurable-0.0.1.tgz',
        name: 'configurable',
        version: '0.0.1',
      }),
      'modules/axon/lib/configurable/index.js': 'module.exports = function configurable() {};\n',
      'modules/axon/lib/sockets.js': 'exports.sockets = 1;\n',
      'packages/cli/package.json': JSON.stringify({ name: 'cli', _comment: 'a field of its own' }),
      'packages/cli/index.js': 'exports.cli = 1;\n',
    });
    try {
      const profile = await recon(repo.dir);
      const vendored = profile.skipped.filter((s) => s.reason === 'vendored').map((s) => s.path);
      assert.deepEqual(vendored, ['modules/axon/lib/configurable']);
      const audited = profile.files.filter((f) => f.language).map((f) => f.path);
      assert.deepEqual(audited.sort(), [
        'lib/God.js',
        'modules/axon/lib/sockets.js',
        'packages/cli/index.js',
      ]);
    } finally {
      repo.dispose();
    }
  });

  it('reads every form of a package.json repository as host/owner/name', () => {
    const of = (repository: unknown) => repositoryOf(JSON.stringify({ repository }));
    assert.equal(of('git://github.com/TryGhost/Ghost.git'), 'github.com/tryghost/ghost');
    assert.equal(of({ url: 'git+https://github.com/TryGhost/Ghost.git' }), 'github.com/tryghost/ghost');
    assert.equal(of('git@github.com:TryGhost/Ghost.git'), 'github.com/tryghost/ghost');
    assert.equal(of('ssh://git@github.com/TryGhost/Ghost'), 'github.com/tryghost/ghost');
    assert.equal(of('TryGhost/Ghost'), 'github.com/tryghost/ghost');
    assert.equal(of('github:TryGhost/Ghost'), 'github.com/tryghost/ghost');
    assert.equal(of('gitlab:group/project'), 'gitlab.com/group/project');
    assert.equal(of({ type: 'git' }), undefined);
    assert.equal(of(''), undefined);
    assert.equal(repositoryOf('{ not json'), undefined);
  });

  it('keeps every folder when the repository has no licence to compare with', async () => {
    const repo = makeRepo({
      'lib/LICENSE': MIT('Someone'),
      'lib/index.js': 'exports.a = 1;\n',
    });
    try {
      const profile = await recon(repo.dir);
      assert.deepEqual(
        profile.skipped.filter((s) => s.reason === 'vendored'),
        [],
      );
      assert.ok(profile.files.some((f) => f.path === 'lib/index.js'));
    } finally {
      repo.dispose();
    }
  });
});
