import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { RepoProfile } from '../../src/core/types.ts';
import { recon } from '../../src/recon/recon.ts';
import { makeRepo, writeTree } from '../helpers/repo.ts';

function paths(profile: RepoProfile): string[] {
  return profile.files.map((file) => file.path);
}

function skipped(profile: RepoProfile): Record<string, string> {
  return Object.fromEntries(profile.skipped.map((entry) => [entry.path, entry.reason]));
}

const SKIPPABLE = {
  'src/app.ts': 'export const app = 1;\n',
  'node_modules/left-pad/index.js': 'module.exports = 1;\n',
  'packages/web/node_modules/react/index.js': 'module.exports = 1;\n',
  'dist/app.js': 'exports.app = 1;\n',
  'client-dist/socket.io.js': 'var io = 1;\n',
  'dist-esm/app.js': 'export const app = 1;\n',
  'core/built/admin/index.js': 'var admin = 1;\n',
  'public/assets/codemirror-0d7a91292682d6a788d7422f9d9388b6.js': 'var cm = 1;\n',
  'src/migrations/20240101-add-index.js': 'exports.up = 1;\n',
  'src/distance.ts': 'export const distance = 1;\n',
  // A browserify bundle of the sources, and a hand-written UMD module that is not one.
  'ejs.js':
    '(function(f){if(typeof exports==="object"&&typeof module!=="undefined"){module.exports=f()}else{g.ejs = f()}})(function(){var define,module,exports;return (function(){function r(e,n,t){function o(i,f){}}})()});\n',
  'src/umd.js':
    "(function (global, factory) {\n  typeof exports === 'object' ? factory(exports) : factory(global.x = {});\n})(this, function (exports) {});\n",
  // keystone's admin bundle: browserify's prelude assigned to require.
  'admin/bundles/js/17826a-FieldTypes.js':
    'require=(function(){function r(e,n,t){function o(i,f){if(!n[i]){}}return o}return r})()({1:[function(require,module,exports){\n"use strict";\n},{}]},{},[]);\n',
  'vendor/lib.js': 'var x;\n',
  // Browser libraries copied into a served folder (MeshCentral's public/scripts/), beside the
  // project's own scripts there; the same UMD wrapper elsewhere is the project's own module.
  'public/scripts/moment.js':
    ";(function (global, factory) {\n    typeof exports === 'object' && typeof module !== 'undefined' ? module.exports = factory() :\n    typeof define === 'function' && define.amd ? define(factory) :\n    global.moment = factory()\n}(this, (function () { 'use strict';\n    var hookCallback;\n})));\n",
  'public/scripts/jquery.js':
    '/*! jQuery v3.7.1 | (c) OpenJS Foundation and other contributors | jquery.org/license */\nvar jQuery = 1;\n',
  'public/scripts/amt-0.2.0.js':
    '/**\n* @fileoverview Intel(r) AMT Communication Stack\n* @version v0.2.0b\n*/\nvar AmtStackCreateService = function () {};\n',
  // A library's banner: version, hosting and licence (blueimp's plugins in keystone's admin).
  'public/js/lib/upload/jquery.iframe-transport.js':
    '/*\n * jQuery Iframe Transport Plugin 1.8.0\n * https://github.com/blueimp/jQuery-File-Upload\n *\n * Copyright 2011, Sebastian Tschan\n * Licensed under the MIT license\n */\n(function (factory) { factory(window.jQuery); })(function ($) {});\n',
  // Monaco's AMD loader (Saltcorn's public/monaco/): a `'use strict'` directive before the banner.
  'public/monaco/loader.js':
    "'use strict';\n/*!-----------------------------------------------------------\n * Copyright (c) Microsoft Corporation. All rights reserved.\n * Version: 0.42.0-dev-20230906(e7d7a5b)\n * Released under the MIT license\n * https://github.com/microsoft/vscode/blob/main/LICENSE.txt\n *-----------------------------------------------------------*/ const _amdLoaderGlobal = this;\n",
  // Bootstrap 2's banner: the script's file name and version, its site, its licence (Redis
  // Commander's web/static/bootstrap/js/).
  'web/static/bootstrap/js/bootstrap.js':
    '/* ===================================================\n * bootstrap-transition.js v2.3.2\n * http://getbootstrap.com/2.3.2/javascript.html#transitions\n * ===================================================\n * Copyright 2013 Twitter, Inc.\n *\n * Licensed under the Apache License, Version 2.0 (the "License");\n */\n!function ($) {}(window.jQuery);\n',
  // A minifier-kept `@license` banner with a version (Jupyter Notebook's bower components), and
  // a project's own file under an `@license` header that names no version.
  'static/components/requirejs-plugins/src/json.js':
    "/** @license\n * RequireJS plugin for loading JSON files\n * Author: Miller Medeiros\n * Version: 0.4.0 (2014/04/10)\n * Released under the MIT license\n */\ndefine(['text'], function (text) {});\n",
  'static/js/editor.js':
    '/** @license\n * Copyright Example Ltd.\n * Released under the MIT license\n */\nvar editor = {};\n',
  // The project's own script with its licence header: no library hosting named.
  'public/js/admin.js':
    '/*\n * Admin 2.1.0 (https://example.com)\n * Copyright 2020 Example Ltd. Licensed under the MIT license\n */\nvar admin = {};\n',
  // The same own header after a `'use strict'` directive: still the project's code, still read.
  'public/js/checkout.js':
    "'use strict';\n/*\n * Checkout 3.4.1 (https://shop.example.com)\n * Copyright 2024 Example Ltd. Licensed under the MIT license\n */\ndocument.querySelector('#total').innerHTML = location.hash.slice(1);\n",
  'lib/md4.js':
    "(function (root) {\n  if (typeof exports === 'object') module.exports = md4;\n  else if (typeof define === 'function' && define.amd) define(function () { return md4; });\n})(this);\n",
  // A minified template (MeshCentral's views/default-min.handlebars); a written one stays.
  'views/default-min.handlebars': `<html><body>${'<div class="x">{{title}}</div>'.repeat(40)}</body></html>\n`,
  'views/login.handlebars': '<html>\n<body>\n<h1>{{title}}</h1>\n</body>\n</html>\n',
  // EJS templates are read as text too: a generated one is skipped, a written one stays.
  'views/emails/receipt.ejs': '<%# Auto-generated from receipt.mjml: do not edit %>\n<p><%= total %></p>\n',
  'views/page.ejs': '<html>\n<body>\n<h1><%= title %></h1>\n</body>\n</html>\n',
  // Emscripten's glue code.
  'rdp/core/rle.js':
    '// Note: Some Emscripten settings will significantly limit the speed of the generated code.\nvar Module = {};\n',
  'src/pip/_vendor/six.py': 'x = 1\n',
  'static/js/vendors/jquery.js': 'var jQuery;\n',
  'thirdparty/six/__init__.py': 'PY3 = True\n',
  // tsc's output beside the package's sources (openai from npm).
  'lib/stream.mjs': 'export class Stream {}\n//# sourceMappingURL=stream.mjs.map\n',
  'public/app.min.js': 'var a=1;\n',
  'public/js/lib/codemirror/codemirror-compressed.js': 'var a=1;\n',
  'public/bundle.js': `var a=${'1+'.repeat(400)}1;\n`,
  // CyberChef's Magic.mjs: a written module whose tables of letter frequencies make its lines long
  // on average.
  'src/core/lib/Magic.mjs': `${'const x = 1;\n'.repeat(150)}${`const f = [${'0.01, '.repeat(330)}];\n`.repeat(100)}`,
  'src/api_pb2.py': 'x = 1\n',
  'src/schema.generated.ts': 'export {};\n',
  'src/client.ts': '// Code generated by openapi. DO NOT EDIT.\nexport {};\n',
  'src/big.ts': `export const big = '${'x'.repeat(1024 * 1024)}';\n`,
  'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
  'data/blob.dat2': Buffer.from([1, 2, 0, 0, 3, 4, 0, 255]),
  'src/latin1.ts': Buffer.from(
    '// caf\u00e9 au lait, d\u00e9j\u00e0 vu\nexport const greeting = "bonjour";\n',
    'latin1',
  ),
};

test('dependencies, build output, vendored, minified, generated, large, binary and invalid UTF-8 are skipped with reasons', async (t) => {
  const repo = makeRepo(SKIPPABLE);
  t.after(repo.dispose);
  const profile = await recon(repo.dir);
  assert.deepEqual(paths(profile), [
    'lib/md4.js',
    'public/js/admin.js',
    'public/js/checkout.js',
    'public/scripts/amt-0.2.0.js',
    'src/app.ts',
    'src/core/lib/Magic.mjs',
    'src/distance.ts',
    'src/migrations/20240101-add-index.js',
    'src/umd.js',
    'static/js/editor.js',
    'views/login.handlebars',
    'views/page.ejs',
  ]);
  assert.deepEqual(skipped(profile), {
    'assets/logo.png': 'binary',
    'admin/bundles/js/17826a-FieldTypes.js': 'build-output',
    'client-dist': 'build-output',
    'core/built': 'build-output',
    'data/blob.dat2': 'binary',
    dist: 'build-output',
    'dist-esm': 'build-output',
    'ejs.js': 'build-output',
    node_modules: 'dependency',
    'packages/web/node_modules': 'dependency',
    'public/app.min.js': 'minified',
    'public/js/lib/codemirror/codemirror-compressed.js': 'minified',
    'public/js/lib/upload/jquery.iframe-transport.js': 'vendored',
    'public/monaco/loader.js': 'vendored',
    'web/static/bootstrap/js/bootstrap.js': 'vendored',
    'static/components/requirejs-plugins/src/json.js': 'vendored',
    'public/assets/codemirror-0d7a91292682d6a788d7422f9d9388b6.js': 'build-output',
    'public/bundle.js': 'minified',
    'public/scripts/jquery.js': 'vendored',
    'public/scripts/moment.js': 'vendored',
    'rdp/core/rle.js': 'generated',
    'views/default-min.handlebars': 'minified',
    'views/emails/receipt.ejs': 'generated',
    'src/api_pb2.py': 'generated',
    'src/big.ts': 'too-large',
    'src/client.ts': 'generated',
    'src/latin1.ts': 'invalid-utf8',
    'src/pip/_vendor': 'vendored',
    'src/schema.generated.ts': 'generated',
    'static/js/vendors': 'vendored',
    thirdparty: 'vendored',
    'lib/stream.mjs': 'build-output',
    vendor: 'vendored',
  });
  const order = profile.skipped.map((entry) => entry.path);
  assert.deepEqual(order, [...order].sort());
});

test('the same files are skipped the same way without git', async (t) => {
  const dir = makeRepo(SKIPPABLE, { git: false });
  t.after(dir.dispose);
  const profile = await recon(dir.dir);
  assert.deepEqual(paths(profile), [
    'lib/md4.js',
    'public/js/admin.js',
    'public/js/checkout.js',
    'public/scripts/amt-0.2.0.js',
    'src/app.ts',
    'src/core/lib/Magic.mjs',
    'src/distance.ts',
    'src/migrations/20240101-add-index.js',
    'src/umd.js',
    'static/js/editor.js',
    'views/login.handlebars',
    'views/page.ejs',
  ]);
  assert.equal(skipped(profile).node_modules, 'dependency');
  assert.equal(skipped(profile)['src/latin1.ts'], 'invalid-utf8');
  assert.equal(skipped(profile)['views/emails/receipt.ejs'], 'generated');
  assert.equal(profile.skipped.length, 33);
});

for (const useGit of [true, false]) {
  test(`root and nested .gitignore files are respected (${useGit ? 'git' : 'no git'})`, async (t) => {
    const repo = makeRepo(
      {
        '.gitignore': 'secrets/\n*.log\n',
        'app/.gitignore': 'local.ts\n!keep.log\n',
        'app/main.ts': 'export {};\n',
        'app/local.ts': 'export {};\n',
        'app/keep.log': 'kept\n',
        'other/local.ts': 'export {};\n',
        'secrets/key.ts': 'export {};\n',
        'debug.log': 'x\n',
      },
      { git: useGit },
    );
    t.after(repo.dispose);
    const profile = await recon(repo.dir);
    assert.deepEqual(paths(profile), [
      '.gitignore',
      'app/.gitignore',
      'app/keep.log',
      'app/main.ts',
      'other/local.ts',
    ]);
  });
}

for (const useGit of [true, false]) {
  test(`a Python package with a build-output name is source (coverage.py, ansible-test) (${useGit ? 'git' : 'no git'})`, async (t) => {
    const repo = makeRepo(
      {
        'coverage/__init__.py': 'version = 1\n',
        'coverage/report.py': 'def report(): pass\n',
        'ansible_test/_util/target/__init__.py': '',
        'ansible_test/_util/target/setup.py': 'def setup(): pass\n',
        // A coverage report and a setuptools build: no __init__.py of their own.
        'htmlcov/coverage/index.js': 'var a = 1;\n',
        'build/lib/pkg/__init__.py': 'x = 1\n',
        'web/coverage/lcov.js': 'var b = 2;\n',
      },
      { git: useGit },
    );
    t.after(repo.dispose);
    const profile = await recon(repo.dir);
    assert.deepEqual(paths(profile), [
      'ansible_test/_util/target/__init__.py',
      'ansible_test/_util/target/setup.py',
      'coverage/__init__.py',
      'coverage/report.py',
    ]);
    assert.deepEqual(skipped(profile), {
      build: 'build-output',
      'htmlcov/coverage': 'build-output',
      'web/coverage': 'build-output',
    });
  });
}

for (const useGit of [true, false]) {
  test(`a build/ inside lib/ or src/ holds build code, one beside a manifest is output (${useGit ? 'git' : 'no git'})`, async (t) => {
    const repo = makeRepo(
      {
        'package.json': '{"name": "cms"}\n',
        'modules/asset/index.js': "const task = require('./lib/build/task');\n",
        'modules/asset/lib/build/task.js': 'module.exports = function task() {};\n',
        'src/build/rollup.js': 'export default {};\n',
        // SvelteKit's vite plugin: a build step's code deeper inside src/.
        'src/exports/vite/build/index.js': 'export function build() {}\n',
        // A package kept inside src/ (the bench corpus's layout): its build/ is what it built.
        'src/three/package.json': '{"name": "three"}\n',
        'src/three/build/three.module.js': 'var three = {};\n',
        'build/cms.js': 'var cms = {};\n',
        'packages/ui/package.json': '{"name": "ui"}\n',
        'packages/ui/build/ui.js': 'var ui = {};\n',
        'packages/ui/lib/dist/ui.js': 'var dist = {};\n',
      },
      { git: useGit },
    );
    t.after(repo.dispose);
    const profile = await recon(repo.dir);
    assert.deepEqual(
      paths(profile).filter((file) => file.endsWith('.js')),
      [
        'modules/asset/index.js',
        'modules/asset/lib/build/task.js',
        'src/build/rollup.js',
        'src/exports/vite/build/index.js',
      ],
    );
    assert.deepEqual(skipped(profile), {
      build: 'build-output',
      'src/three/build': 'build-output',
      'packages/ui/build': 'build-output',
      'packages/ui/lib/dist': 'build-output',
    });
  });
}

test('outside git, symlinks are listed as skipped and a symlink loop is harmless', async (t) => {
  const dir = makeRepo({ 'src/a.ts': 'export {};\n' }, { git: false });
  t.after(dir.dispose);
  symlinkSync('..', path.join(dir.dir, 'src', 'loop'));
  symlinkSync('a.ts', path.join(dir.dir, 'src', 'alias.ts'));
  const profile = await recon(dir.dir);
  assert.deepEqual(paths(profile), ['src/a.ts']);
  assert.deepEqual(skipped(profile), { 'src/alias.ts': 'symlink', 'src/loop': 'symlink' });
  assert.equal(profile.git.available, false);
  assert.equal(profile.git.reason, 'not a git repository');
});

test('an unreadable file is skipped, not fatal', { skip: process.getuid?.() === 0 }, async (t) => {
  const dir = makeRepo({ 'a.ts': 'export {};\n', 'locked.ts': 'export {};\n' }, { git: false });
  t.after(() => {
    chmodSync(path.join(dir.dir, 'locked.ts'), 0o644);
    dir.dispose();
  });
  chmodSync(path.join(dir.dir, 'locked.ts'), 0);
  const profile = await recon(dir.dir);
  assert.deepEqual(skipped(profile), { 'locked.ts': 'unreadable' });
});

test('files get languages and roles from their paths', async (t) => {
  const repo = makeRepo({
    'src/index.ts': 'export {};\n',
    'src/types.d.ts': 'export {};\n',
    'src/view.tsx': 'export {};\n',
    'src/util.mjs': 'export {};\n',
    'src/main.go': 'package main\n',
    'src/__tests__/view.tsx': 'test();\n',
    // LobeChat's selector snapshots: a test's expected output, password fixtures and all.
    'src/selectors/__snapshots__/settings.test.ts.snap': 'exports[`x`] = `{}`;\n',
    'lib/parse.spec.js': 'it();\n',
    'tests/test_api.py': 'def test(): pass\n',
    'pkg/api_test.py': 'def test(): pass\n',
    'allauth/account/tests.py': 'from django.test import TestCase\n',
    'allauth/account/testing.py': 'def make_user(): pass\n',
    'node/easysync_tests.js': 'run();\n',
    'tools/oidc-test-env/setup.js': 'run();\n',
    'src/latest.js': 'export {};\n',
    'scripts/stress-test/run.js': 'run();\n',
    'e2e-tests/login.ts': 'export {};\n',
    'guardian/testapp/testsettings.py': 'SECRET_KEY = 1\n',
    'src/latest/index.ts': 'export {};\n',
    'test/fixtures/input.ts': 'export {};\n',
    'codemods/__testfixtures__/props.input.tsx': 'export {};\n',
    'src/dataProvider/useDelete.stories.tsx': 'export default {};\n',
    'examples/basic.ts': 'export {};\n',
    'falcon/bench/bench.py': 'run()\n',
    'benchmarks/parse.js': 'run();\n',
    'src/benchmark.ts': 'export {};\n',
    'PyJWT-2.6.0.egg-info/PKG-INFO': 'Metadata-Version: 2.1\nName: PyJWT\n',
    'docs/guide.md': '# Guide\n',
    'README.md': '# Readme\n',
    '.env.example': 'A=1\n',
    'tsconfig.json': '{}\n',
    'vite.config.ts': 'export default {};\n',
    LICENSE: 'MIT\n',
  });
  t.after(repo.dispose);
  const profile = await recon(repo.dir);
  const byPath = Object.fromEntries(
    profile.files.map((file) => [
      file.path,
      [file.language ?? '-', file.languageName ?? '-', file.role].join(' '),
    ]),
  );
  assert.deepEqual(byPath, {
    '.env.example': '- - config',
    LICENSE: '- - source',
    'README.md': '- Markdown docs',
    'docs/guide.md': '- Markdown docs',
    'codemods/__testfixtures__/props.input.tsx': 'tsx TypeScript fixture',
    'src/dataProvider/useDelete.stories.tsx': 'tsx TypeScript example',
    'examples/basic.ts': 'typescript TypeScript example',
    'falcon/bench/bench.py': 'python Python example',
    'benchmarks/parse.js': 'javascript JavaScript example',
    'src/benchmark.ts': 'typescript TypeScript source',
    'PyJWT-2.6.0.egg-info/PKG-INFO': '- - docs',
    'lib/parse.spec.js': 'javascript JavaScript test',
    'pkg/api_test.py': 'python Python test',
    'allauth/account/tests.py': 'python Python test',
    'allauth/account/testing.py': 'python Python source',
    'node/easysync_tests.js': 'javascript JavaScript test',
    'tools/oidc-test-env/setup.js': 'javascript JavaScript test',
    'src/latest.js': 'javascript JavaScript source',
    'scripts/stress-test/run.js': 'javascript JavaScript test',
    'e2e-tests/login.ts': 'typescript TypeScript test',
    'guardian/testapp/testsettings.py': 'python Python test',
    'src/latest/index.ts': 'typescript TypeScript source',
    'src/__tests__/view.tsx': 'tsx TypeScript test',
    'src/selectors/__snapshots__/settings.test.ts.snap': '- - test',
    'src/index.ts': 'typescript TypeScript source',
    'src/main.go': '- Go source',
    'src/types.d.ts': '- TypeScript source',
    'src/util.mjs': 'javascript JavaScript source',
    'src/view.tsx': 'tsx TypeScript source',
    'test/fixtures/input.ts': 'typescript TypeScript fixture',
    'tests/test_api.py': 'python Python test',
    'tsconfig.json': '- JSON config',
    'vite.config.ts': 'typescript TypeScript config',
  });
  assert.deepEqual(paths(profile), [...paths(profile)].sort());
});

test('a Python package named test with no test modules is library code (django/test/), a tests package is tests (calibre)', async (t) => {
  const repo = makeRepo({
    'django/__init__.py': '',
    'django/test/__init__.py': 'from django.test.client import Client\n',
    'django/test/client.py': 'class Client: pass\n',
    'django/test/testcases.py': 'class TestCase: pass\n',
    'tests/__init__.py': '',
    'tests/test_views.py': 'def test_index(): pass\n',
    'pkg/__init__.py': '',
    'pkg/tests/__init__.py': '',
    'pkg/tests/helpers.py': 'def make(): pass\n',
    'pkg/tests/test_models.py': 'def test_save(): pass\n',
    // calibre: unittest cases in a tests/ package, under names its own runner collects.
    'calibre/__init__.py': '',
    'calibre/db/__init__.py': '',
    'calibre/db/tests/__init__.py': '',
    'calibre/db/tests/fts.py': 'class FTSTest(BaseTest):\n    def test_basic_fts(self): pass\n',
    // buildbot: modules about test results, named test_*.py, beside the code that imports them.
    'buildbot/db/test_results.py':
      'class TestResultsConnectorComponent(base.DBConnectorComponent):\n    pass\n',
    'buildbot/util/test_result_submitter.py': 'class TestResultSubmitter:\n    def submit(self): pass\n',
    'buildbot/util/test_helpers.py': 'import unittest\nclass Helper(unittest.TestCase): pass\n',
    'buildbot/test_cli.py': 'def test_parse(): pass\n',
    // translate: tests inherited from a base test class.
    'translate/convert/test_moz2po.py':
      'from translate.convert import test_convert\nclass TestMoz2PO:\n    pass\nclass TestMoz2POCommand(test_convert.TestConvertCommand, TestMoz2PO):\n    convertmodule = 1\n',
  });
  t.after(repo.dispose);
  const profile = await recon(repo.dir);
  const roles = Object.fromEntries(profile.files.map((file) => [file.path, file.role]));
  assert.equal(roles['buildbot/db/test_results.py'], 'source');
  assert.equal(roles['buildbot/util/test_result_submitter.py'], 'source');
  assert.equal(roles['buildbot/util/test_helpers.py'], 'test');
  assert.equal(roles['buildbot/test_cli.py'], 'test');
  assert.equal(roles['translate/convert/test_moz2po.py'], 'test');

  assert.equal(roles['django/test/client.py'], 'source');
  assert.equal(roles['django/test/testcases.py'], 'source');
  assert.equal(roles['tests/test_views.py'], 'test');
  assert.equal(roles['pkg/tests/helpers.py'], 'test');
  assert.equal(roles['pkg/tests/test_models.py'], 'test');
  assert.equal(roles['calibre/db/tests/fts.py'], 'test');
});

test('languages are ranked by bytes, ties by name', async (t) => {
  const repo = makeRepo({
    'a.py': 'x = 1\n'.repeat(100),
    'b.ts': 'let x = 1;\n'.repeat(10),
    'c.ts': 'let y = 2;\n'.repeat(10),
    'd.go': 'package d\n',
    'e.rs': 'fn e(){}\n',
  });
  t.after(repo.dispose);
  mkdirSync(path.join(repo.dir, 'empty'));
  const profile = await recon(repo.dir);
  assert.deepEqual(profile.languages, [
    { name: 'Python', files: 1, bytes: 600 },
    { name: 'TypeScript', files: 2, bytes: 220 },
    { name: 'Go', files: 1, bytes: 10 },
    { name: 'Rust', files: 1, bytes: 9 },
  ]);
});

test('.git is never listed and writeTree content in subdirectories is found', async (t) => {
  const dir = makeRepo({ 'a.ts': 'export {};\n' }, { git: false });
  t.after(dir.dispose);
  writeTree(dir.dir, { '.git/config': '[core]\n', 'deep/er/b.ts': 'export {};\n' });
  const profile = await recon(dir.dir);
  assert.deepEqual(paths(profile), ['a.ts', 'deep/er/b.ts']);
});

test('extensionless programs are audited in the language their #! line names', async (t) => {
  const repo = makeRepo({
    'bin/handlebars': "#!/usr/bin/env node\nvar argv = require('minimist')(process.argv.slice(2));\n",
    'bin/manage': '#!/usr/bin/python3\nimport sys\n',
    'bin/release': '#!/bin/sh\necho release\n',
    Makefile: 'all:\n\ttrue\n',
  });
  t.after(repo.dispose);
  const profile = await recon(repo.dir);
  const languages = Object.fromEntries(profile.files.map((file) => [file.path, file.language ?? null]));
  assert.deepEqual(languages, {
    Makefile: null,
    'bin/handlebars': 'javascript',
    'bin/manage': 'python',
    'bin/release': null,
  });
});
