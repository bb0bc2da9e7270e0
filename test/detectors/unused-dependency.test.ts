import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unusedDependency } from '../../src/detectors/tech-debt/unused-dependency.ts';
import { detect } from '../helpers/detector.ts';

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

  it('counts scripts, config files, string loaders and installed packages as uses', () => {
    const findings = detect(unusedDependency, {
      'package.json': manifest({
        scripts: { dev: 'nodemon src/app.js', db: 'prisma migrate dev' },
        dependencies: { '@prisma/client': '^5', 'pino-pretty': '^10' },
        devDependencies: { prisma: '^5', 'ajv-formats-draft2019': '^1' },
        peerDependencies: { react: '^18' },
      }),
      '.github/workflows/ci.yml': 'jobs:\n  t:\n    steps:\n      - run: npx ajv-formats-draft2019 --help\n',
      'src/app.js':
        "const { PrismaClient } = require('@prisma/client');\nconst logger = require('pino')({ transport: { target: 'pino-pretty' } });\n",
    });
    assert.deepEqual(findings, []);
  });
});
