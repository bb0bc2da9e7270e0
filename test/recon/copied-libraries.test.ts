import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
      ]);
      // Their code runs with the repository's dependencies (unused-dependency reads its imports).
      assert.deepEqual(profile.vendoredCode, [
        'editions/surveys/Interview_files/backstage.js',
        'plugins/tiddlywiki/d3/files/cloud/d3.layout.cloud.js',
        'plugins/tiddlywiki/jasmine/files/jasmine-core/lib/jasmine.js',
      ]);
      const audited = profile.files.filter((f) => f.language).map((f) => f.path);
      assert.deepEqual(audited.sort(), [
        'boot/boot.js',
        'core/modules/widgets/text.js',
        'packages/cli/index.js',
        'packages/ui/index.js',
        'plugins/tiddlywiki/d3/barwidget.js',
        'plugins/tiddlywiki/highlight/highlightblock.js',
        'tools/build.js',
      ]);
    } finally {
      repo.dispose();
    }
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
