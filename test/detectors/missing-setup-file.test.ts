import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { missingSetupFile } from '../../src/detectors/dx/missing-setup-file.ts';
import { detect } from '../helpers/detector.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence, f.title]);

const README = [
  '# Shop API',
  '',
  'A small API. See [usage](#usage).',
  '',
  '## Getting started',
  '',
  '```bash',
  'git clone https://github.com/acme/shop-api.git',
  'cd shop-api',
  'cp .env.example .env',
  'python -m venv .venv && source .venv/bin/activate',
  'pip install -r requirements-dev.txt',
  './scripts/bootstrap.sh',
  'docker compose -f docker/compose.dev.yml up -d',
  'python manage.py migrate',
  '```',
  '',
  '## Usage',
  '',
  '```bash',
  'python your_script.py --input data.csv',
  'node app.js',
  '```',
].join('\n');

describe('dx/missing-setup-file', () => {
  it('flags set-up steps that copy, run or load files the repository does not have', () => {
    const findings = detect(missingSetupFile, {
      'README.md': README,
      'requirements.txt': 'django==5.0\n',
      'manage.py': 'import django\n',
      'docker/compose.yml': 'services: {}\n',
    });
    assert.deepEqual(summary(findings), [
      ['README.md', 10, 'HIGH', 'Set-up step `cp .env.example .env` needs missing `.env.example`'],
      [
        'README.md',
        12,
        'HIGH',
        'Set-up step `pip install -r requirements-dev.txt` needs missing `requirements-dev.txt`',
      ],
      ['README.md', 13, 'HIGH', 'Set-up step `./scripts/bootstrap.sh` needs missing `scripts/bootstrap.sh`'],
      [
        'README.md',
        14,
        'HIGH',
        'Set-up step `docker compose -f docker/compose.dev.yml up -d` needs missing `docker/compose.dev.yml`',
      ],
    ]);
  });

  it('follows cd into folders and reads every block of CONTRIBUTING, with MED for bare script names', () => {
    const findings = detect(missingSetupFile, {
      'CONTRIBUTING.md': [
        '## Running the frontend',
        '```sh',
        'cd web',
        'node scripts/dev-server.mjs',
        'python seed.py',
        '```',
      ].join('\n'),
      'web/package.json': '{}',
      'web/scripts/build.mjs': '',
    });
    assert.deepEqual(summary(findings), [
      [
        'CONTRIBUTING.md',
        4,
        'HIGH',
        'Set-up step `node scripts/dev-server.mjs` needs missing `web/scripts/dev-server.mjs`',
      ],
      ['CONTRIBUTING.md', 5, 'MED', 'Set-up step `python seed.py` needs missing `web/seed.py`'],
    ]);
  });

  it('is silent when the files exist, are created by an earlier step, are build output, git-ignored or placeholders', () => {
    const findings = detect(missingSetupFile, {
      'README.md': [
        '## Installation',
        '```console',
        '$ cp .env.example .env',
        '$ cp .env .env.local',
        '$ mkdir -p data/uploads && cp config/defaults.json data/uploads/',
        '$ npm run build && node dist/server.js',
        '$ ./gradlew assemble',
        '$ python3 -m http.server 8000',
        '$ node --env-file=.env server.js',
        '$ bash <(curl -s https://example.com/install.sh)',
        '$ cp path/to/your/cert.pem certs/',
        '$ ./local/run.sh',
        '$ cd /opt/app && ./start.sh',
        'Server listening on http://localhost:8000',
        '```',
        '',
        '## Usage',
        '```bash',
        'node my-app.js',
        'python analyse.py',
        '```',
      ].join('\n'),
      '.env.example': 'PORT=8000\n',
      'config/defaults.json': '{}',
      gradlew: '#!/bin/sh\n',
      'server.js': '',
      '.gitignore': 'local/\n',
    });
    assert.deepEqual(summary(findings), []);
  });

  it('gives a done check that fails while the step names a missing file and passes once it exists', () => {
    const files = { 'README.md': '## Setup\n```sh\ncp .env.example .env\n```\n' };
    const [finding] = detect(missingSetupFile, files);
    assert.ok(finding?.doneCheck);
    const temp = tempDir('improve-setup-');
    try {
      writeTree(temp.dir, files);
      const run = () => {
        try {
          execFileSync('sh', ['-c', finding.doneCheck ?? 'false'], { cwd: temp.dir, stdio: 'ignore' });
          return 0;
        } catch {
          return 1;
        }
      };
      assert.equal(run(), 1);
      writeTree(temp.dir, { '.env.example': 'PORT=3000\n' });
      assert.equal(run(), 0);
    } finally {
      temp.dispose();
    }
  });
});
