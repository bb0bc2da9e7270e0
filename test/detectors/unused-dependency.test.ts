import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDetectors } from '../../src/audit/run-detectors.ts';
import { unusedDependency } from '../../src/detectors/tech-debt/unused-dependency.ts';
import { recon } from '../../src/recon/recon.ts';
import { detect } from '../helpers/detector.ts';
import { makeRepo } from '../helpers/repo.ts';

const manifest = (body: Record<string, unknown>) =>
  JSON.stringify({ name: 'api', private: true, ...body }, null, 2);

describe('tech-debt/unused-dependency', () => {
  it('lists npm dependencies nothing imports or names: runtime ones MED, dev ones LOW', () => {
    const findings = detect(unusedDependency, {
      'package.json': manifest({
        scripts: { build: 'tsc -p .', test: 'vitest run', lint: 'eslint .' },
        dependencies: { express: '^4', lodash: '^4', moment: '^2', pg: '^8', knex: '^3' },
        devDependencies: {
          vitest: '^1',
          typescript: '^5',
          '@types/express': '^4',
          'eslint-plugin-security': '^3',
          nock: '^13',
          supertest: '^6',
        },
      }),
      'src/app.ts':
        "import express from 'express';\nimport { chunk } from 'lodash/chunk';\nexport const db = require('knex')({ client: 'pg' });\n",
      'test/app.test.ts': "import request from 'supertest';\n",
    });
    assert.deepEqual(
      findings.map((f) => [f.confidence, f.title, f.evidence.map((e) => e.startLine)]),
      [
        ['MED', 'moment is declared in package.json but never used', [12]],
        ['LOW', 'nock is declared in package.json but never used', [21]],
      ],
    );
    assert.match(findings[0]?.doneCheck ?? '', /^node -e /);
  });

  it('rates runtime dependencies LOW in an installed package built from sources it does not ship (Parse Dashboard)', () => {
    const files = {
      'package.json': manifest({
        private: false,
        scripts: {
          build: 'webpack --config webpack/production.config.js',
          prettier: "prettier --write '{src,webpack}/**/*.js'",
        },
        dependencies: { express: '^4', 'chart.js': '^4', immutable: '^5' },
      }),
      'Parse-Dashboard/app.js': "const express = require('express');\nmodule.exports = express();\n",
      'Parse-Dashboard/public/bundles/dashboard.bundle.js': 'var a = 1;\n',
    };
    const summary = (overrides: { publishedPackage?: string }) =>
      detect(unusedDependency, files, overrides).map((f) => [f.confidence, f.title]);
    assert.deepEqual(summary({ publishedPackage: 'node_modules' }), [
      ['LOW', '2 dependencies in package.json are never used'],
    ]);
    // The same tree as a repository of its own: its build input is missing, but that is no package.
    assert.deepEqual(summary({}), [['MED', '2 dependencies in package.json are never used']]);
  });

  it('rates the packages of a family whose core is imported LOW: the core loads them by name (jsreport, NestJS)', () => {
    const findings = detect(unusedDependency, {
      'package.json': manifest({
        dependencies: {
          '@jsreport/jsreport-core': '4',
          '@jsreport/jsreport-pdf': '4',
          '@jsreport/jsreport-xlsx': '4',
          '@nestjs/core': '10',
          '@nestjs/platform-express': '10',
          moment: '2',
        },
      }),
      'index.js':
        "const core = require('@jsreport/jsreport-core');\nconst { NestFactory } = require('@nestjs/core');\n",
    });
    assert.deepEqual(
      findings.map((f) => [f.confidence, f.title]),
      [
        ['MED', 'moment is declared in package.json but never used'],
        ['LOW', '3 dependencies in package.json are never used'],
      ],
    );
  });

  it("rates two or more packages named after an imported one plus a suffix LOW: it loads them by name (Strapi's generators)", () => {
    const findings = detect(unusedDependency, {
      'package.json': manifest({
        dependencies: {
          'strapi-generate': '3',
          'strapi-generate-api': '3',
          'strapi-generate-model': '3',
          express: '4',
          'express-session': '1',
          async: '3',
        },
      }),
      'lib/commands/generate.js':
        "const generate = require('strapi-generate');\nconst app = require('express')();\n",
    });
    assert.deepEqual(
      findings.map((f) => [f.confidence, f.title]),
      [
        ['MED', '2 dependencies in package.json are never used'],
        ['LOW', '2 dependencies in package.json are never used'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /`async`, `express-session`/);
    assert.match(findings[1]?.message ?? '', /`strapi-generate-api`, `strapi-generate-model`/);
  });

  it('counts a stylesheet compiler as used where the package has its stylesheets, not elsewhere', () => {
    const findings = detect(unusedDependency, {
      'package.json': manifest({ workspaces: ['web', 'api'] }),
      'web/package.json': manifest({ name: 'web', dependencies: { sass: '^1', less: '^4' } }),
      'web/src/main.ts': "import './theme.scss';\n",
      'web/src/theme.scss': '$accent: #c00;\nbody { color: $accent; }\n',
      'api/package.json': manifest({ name: 'api', dependencies: { stylus: '^0.6' } }),
      'api/src/server.ts': 'export const port = 3000;\n',
      'web/styles/legacy.styl': 'body\n  color red\n',
    });
    assert.deepEqual(
      findings.map((f) => f.title),
      [
        'stylus is declared in api/package.json but never used',
        'less is declared in web/package.json but never used',
      ],
    );
  });

  it('counts a package that only hand-written declaration files import as used (mongoose types/)', async (t) => {
    // Through recon, as in a real run: recon gives declaration files no language (not code).
    const repo = makeRepo({
      'package.json': manifest({
        main: 'lib/index.js',
        types: 'types/index.d.ts',
        dependencies: { '@standard-schema/spec': '^1', mongodb: '^6', kareem: '^2' },
      }),
      'lib/index.js': "const mongodb = require('mongodb');\n\nmodule.exports = { mongodb };\n",
      'types/index.d.ts': '/// <reference path="./models.d.ts" />\n',
      'types/models.d.ts': [
        "declare module 'mongoose' {",
        "  import mongodb = require('mongodb');",
        "  import { StandardSchemaV1 as StandardSchemaV1Spec } from '@standard-schema/spec';",
        '',
        '  export interface Model { schema: StandardSchemaV1Spec }',
        '}',
        '',
      ].join('\n'),
    });
    t.after(repo.dispose);
    const findings = runDetectors(await recon(repo.dir), [unusedDependency], {
      level: 'standard',
      focus: [],
    }).findings;
    assert.deepEqual(
      findings.map((f) => [f.confidence, f.title]),
      [['MED', 'kareem is declared in package.json but never used']],
    );
  });

  it('rates declared packages of a scope whose aliases the code imports LOW (Docusaurus theme)', () => {
    const findings = detect(unusedDependency, {
      'package.json': manifest({
        dependencies: {
          '@docusaurus/core': '3',
          '@docusaurus/theme-common': '3',
          '@acme/unused': '1',
          clsx: '2',
        },
      }),
      'src/theme/Footer/index.tsx': [
        "import Link from '@docusaurus/Link';",
        "import Translate from '@docusaurus/Translate';",
        "import { useThemeConfig } from '@docusaurus/theme-common';",
        "import clsx from 'clsx';",
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.confidence, f.title]),
      [
        ['MED', '@acme/unused is declared in package.json but never used'],
        ['LOW', '@docusaurus/core is declared in package.json but never used'],
      ],
    );
  });

  it('lists Python requirements nothing imports, knowing import names and tools', () => {
    const findings = detect(unusedDependency, {
      'requirements.txt': 'flask==3.0\nPyYAML>=6\nbeautifulsoup4\nrequests\ngunicorn\npytest\narrow==1.3\n',
      'app/main.py': 'import yaml\nfrom flask import Flask\nfrom bs4 import BeautifulSoup\n',
    });
    assert.deepEqual(
      findings.map((f) => [f.confidence, f.evidence.map((e) => e.startLine)]),
      [['MED', [4, 7]]],
    );
    assert.equal(findings[0]?.title, '2 dependencies in requirements.txt are never used');
  });

  it('counts what generated code imports as used, though generated code is not audited', async (t) => {
    const repo = makeRepo({
      'package.json': manifest({ dependencies: { 'fast-json-stringify': '^6', moment: '^2' } }),
      'lib/error-serializer.js': [
        '// This file is autogenerated by build/build-error-serializer.js, do not edit',
        "const Serializer = require('fast-json-stringify/lib/serializer')",
        'module.exports = new Serializer()',
      ].join('\n'),
      'index.js': "module.exports = require('./lib/error-serializer')\n",
      'requirements.txt': 'protobuf>=4\narrow==1.3\n',
      'api/user_pb2.py': 'from google.protobuf import descriptor as _descriptor\n',
      'api/main.py': 'from api import user_pb2\n',
    });
    t.after(repo.dispose);
    const profile = await recon(repo.dir);
    assert.deepEqual(
      profile.skipped.map((s) => `${s.path} ${s.reason}`),
      ['api/user_pb2.py generated', 'lib/error-serializer.js generated'],
    );
    const { findings } = runDetectors(profile, [unusedDependency], { level: 'standard', focus: [] });
    assert.deepEqual(
      findings.map((f) => f.title),
      [
        'moment is declared in package.json but never used',
        'arrow is declared in requirements.txt but never used',
      ],
    );
  });

  it('counts what vendored code imports as used, though vendored code is not audited (Parse Server)', async (t) => {
    const repo = makeRepo({
      'package.json': manifest({
        main: 'lib/index.js',
        dependencies: { punycode: '^2', cors: '^2', pg: '^8' },
      }),
      'lib/index.js': "const { Pool } = require('pg');\nconst url = require('./vendor/mongodbUrl');\n",
      'lib/vendor/mongodbUrl.js':
        "var punycode = require('punycode/punycode.js');\n// cors is mentioned, not imported\n",
    });
    t.after(repo.dispose);
    for (const git of [true, false]) {
      const profile = await recon(repo.dir, git ? {} : { git: { binary: 'git-is-not-installed-here' } });
      assert.deepEqual(profile.vendoredCode, ['lib/vendor/mongodbUrl.js']);
      const { findings } = runDetectors(profile, [unusedDependency], { level: 'standard', focus: [] });
      assert.deepEqual(
        findings.map((f) => [f.title, f.confidence]),
        [['cors is declared in package.json but never used', 'MED']],
      );
    }
  });

  it('does not judge the runtime dependencies of a package shipped as build output only (socket.io from npm)', async (t) => {
    const shipped = makeRepo({
      'package.json': manifest({
        main: './dist/index.js',
        exports: { import: './wrapper.mjs', require: './dist/index.js' },
        dependencies: { 'engine.io': '^6', debug: '^4', 'n8n-workflow': '^2' },
        devDependencies: { mocha: '^10' },
      }),
      'wrapper.mjs': "import io from './dist/index.js';\nexport const { Server } = io;\n",
      'dist/index.js': "const engine = require('engine.io');\nconst debug = require('debug');\n",
      // verdaccio's bin: a wrapper that imports only the build; hexo's starts its CLI package.
      'bin/serve': "#!/usr/bin/env node\nrequire('../dist/cli');\n",
      'bin/hexo': "#!/usr/bin/env node\n\n'use strict';\n\nrequire('hexo-cli')();\n",
      // n8n-core's: a build step over the output, with packages of its own.
      'bin/generate-metadata': [
        '#!/usr/bin/env node',
        "const { LoggerProxy } = require('n8n-workflow');",
        "const { PackageDirectoryLoader } = require('../dist/nodes-loader/package-directory-loader');",
        '',
        'LoggerProxy.init(console);',
        '',
        'function findReferencedMethods(obj, refs = {}, latestName = "") {',
        '  for (const key in obj) {',
        "    if (key === 'name' && 'group' in obj) latestName = obj[key];",
        "    if (typeof obj[key] === 'object') findReferencedMethods(obj[key], refs, latestName);",
        "    if (key === 'loadOptionsMethod') refs[latestName] = [...(refs[latestName] ?? []), obj[key]];",
        '  }',
        '  return refs;',
        '}',
        '',
        '(async () => {',
        '  const loader = new PackageDirectoryLoader(process.cwd());',
        '  await loader.loadAll();',
        '  console.log(JSON.stringify(findReferencedMethods(loader.types.nodes)));',
        '})();',
        '',
      ].join('\n'),
    });
    t.after(shipped.dispose);
    const shippedFindings = runDetectors(await recon(shipped.dir), [unusedDependency], {
      level: 'standard',
      focus: [],
    }).findings;
    assert.deepEqual(
      shippedFindings.map((f) => [f.confidence, f.title]),
      [['LOW', 'mocha is declared in package.json but never used']],
    );
    // With its sources present, the build output is only a copy: the sources decide.
    const repo = makeRepo({
      'package.json': manifest({
        main: './build/index.js',
        dependencies: { 'engine.io': '^6', debug: '^4' },
      }),
      'build/index.js': "require('engine.io');\n",
      'src/server/index.js': "import engine from 'engine.io';\n",
    });
    t.after(repo.dispose);
    const repoFindings = runDetectors(await recon(repo.dir), [unusedDependency], {
      level: 'standard',
      focus: [],
    }).findings;
    assert.deepEqual(
      repoFindings.map((f) => f.title),
      ['debug is declared in package.json but never used'],
    );
  });

  it('counts scripts, config files, string loaders and installed packages as uses', () => {
    const findings = detect(unusedDependency, {
      'package.json': manifest({
        scripts: { dev: 'nodemon src/app.js', db: 'prisma migrate dev' },
        dependencies: { '@prisma/client': '^5', 'pino-pretty': '^10', infima: '^0.2', prefix: '^1' },
        devDependencies: { prisma: '^5', 'ajv-formats-draft2019': '^1' },
        peerDependencies: { react: '^18' },
      }),
      '.github/workflows/ci.yml': 'jobs:\n  t:\n    steps:\n      - run: npx ajv-formats-draft2019 --help\n',
      'src/app.js':
        "const { PrismaClient } = require('@prisma/client');\nconst logger = require('pino')({ transport: { target: 'pino-pretty' } });\n" +
        // docusaurus: a stylesheet path into a package, built with a template.
        'export const css = (rtl) => `infima/dist/css/default/default${rtl ? "-rtl" : ""}.css`;\n' +
        'export const id = (n) => `prefix${n}`;\n',
    });
    assert.deepEqual(
      findings.map((f) => f.title),
      ['prefix is declared in package.json but never used'],
    );
  });

  it('counts what code written in a string for a bundler imports as used (Apostrophe admin UI prologue)', () => {
    const findings = detect(unusedDependency, {
      'package.json': manifest({
        dependencies: { 'tiny-emitter': '^2', 'common-tags': '^1', 'import-fresh': '^3', lodash: '^4' },
      }),
      'modules/asset/index.js': [
        "const { stripIndent } = require('common-tags');",
        'module.exports = {',
        '  builds: {',
        '    apos: {',
        '      prologue: stripIndent`',
        "        import 'Modules/ui/scss/global/import-all.scss';",
        "        import emitter from 'tiny-emitter/instance';",
        '        window.apos.bus = { $on: (...args) => emitter.on(...args) };`',
        '    }',
        '  },',
        // A message that only mentions an import is not code.
        "  hint: 'To load a module fresh, use import-fresh from lodash.'",
        '};',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => f.title),
      ['2 dependencies in package.json are never used'],
    );
    assert.match(findings[0]?.message ?? '', /`import-fresh`, `lodash`/);
  });
});
