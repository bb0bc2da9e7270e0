import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RepoProfile } from '../../src/core/types.ts';
import { recon } from '../../src/recon/recon.ts';
import { type FileTree, makeRepo } from '../helpers/repo.ts';

async function profileOf(t: { after: (fn: () => void) => void }, files: FileTree): Promise<RepoProfile> {
  const repo = makeRepo(files);
  t.after(repo.dispose);
  return recon(repo.dir);
}

function commandMap(profile: RepoProfile): Record<string, string> {
  return Object.fromEntries(
    profile.commands.map((command) => [command.kind, `${command.run} <- ${command.source}`]),
  );
}

const packageJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

test('package.json scripts become exact npm commands with their sources', async (t) => {
  const profile = await profileOf(t, {
    'package.json': packageJson({
      scripts: {
        test: 'node --test',
        build: 'tsc',
        lint: 'eslint .',
        'type-check': 'tsc --noEmit',
        'format:check': 'prettier -c .',
      },
    }),
    'package-lock.json': '{"lockfileVersion": 3}\n',
  });
  assert.equal(profile.packageManager, 'npm');
  assert.deepEqual(profile.lockfiles, ['package-lock.json']);
  assert.deepEqual(commandMap(profile), {
    install: 'npm ci <- package-lock.json',
    build: 'npm run build <- package.json scripts.build',
    test: 'npm test <- package.json scripts.test',
    lint: 'npm run lint <- package.json scripts.lint',
    typecheck: 'npm run type-check <- package.json scripts.type-check',
    format: 'npm run format:check <- package.json scripts.format:check',
  });
  assert.deepEqual(profile.manifests, [{ path: 'package.json', kind: 'package.json' }]);
});

test('the lockfile and the packageManager field choose pnpm, yarn or bun', async (t) => {
  const pnpm = await profileOf(t, {
    'package.json': packageJson({ scripts: { test: 'vitest', lint: 'eslint .' } }),
    'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
  });
  assert.equal(pnpm.packageManager, 'pnpm');
  assert.deepEqual(commandMap(pnpm), {
    install: 'pnpm install --frozen-lockfile <- pnpm-lock.yaml',
    test: 'pnpm test <- package.json scripts.test',
    lint: 'pnpm run lint <- package.json scripts.lint',
  });
  const yarn = await profileOf(t, {
    'package.json': packageJson({ packageManager: 'yarn@1.22.19', scripts: { lint: 'eslint .' } }),
    'package-lock.json': '{}\n',
  });
  assert.equal(yarn.packageManager, 'yarn');
  assert.deepEqual(commandMap(yarn), {
    install: 'yarn install <- package.json',
    lint: 'yarn lint <- package.json scripts.lint',
  });
  const bun = await profileOf(t, {
    'package.json': packageJson({ scripts: { test: 'bun test' } }),
    'bun.lock': '{}\n',
  });
  assert.deepEqual(commandMap(bun), {
    install: 'bun install <- bun.lock',
    test: 'bun run test <- package.json scripts.test',
  });
});

test("npm's placeholder test script is a missing command, not a test command", async (t) => {
  const profile = await profileOf(t, {
    'package.json': packageJson({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }),
  });
  assert.equal(
    profile.commands.find((command) => command.kind === 'test'),
    undefined,
  );
  assert.deepEqual(profile.missingCommands, [
    {
      run: 'npm test',
      referencedIn: 'package.json scripts.test',
      reason: 'scripts.test is npm\'s placeholder ("Error: no test specified") and always fails',
    },
  ]);
  assert.deepEqual(commandMap(profile), { install: 'npm install <- package.json' });
});

test('Makefile targets become make commands with their lines', async (t) => {
  const profile = await profileOf(t, {
    Makefile:
      '.PHONY: test lint\nVERSION := 1.0\n\nbuild:\n\tgo build\n\ntest: build\n\tgo test ./...\n\nlint fmt:\n\tgolangci-lint run\n',
  });
  assert.deepEqual(commandMap(profile), {
    build: 'make build <- Makefile:4',
    test: 'make test <- Makefile:7',
    lint: 'make lint <- Makefile:10',
    format: 'make fmt <- Makefile:10',
  });
});

test('package scripts win over Makefile targets of the same kind', async (t) => {
  const profile = await profileOf(t, {
    'package.json': packageJson({ scripts: { test: 'jest' } }),
    Makefile: 'test:\n\tnpm test\n\nlint:\n\teslint .\n',
  });
  assert.deepEqual(commandMap(profile), {
    install: 'npm install <- package.json',
    test: 'npm test <- package.json scripts.test',
    lint: 'make lint <- Makefile:4',
  });
});

test('pyproject tools become commands run through poetry', async (t) => {
  const profile = await profileOf(t, {
    'pyproject.toml': [
      '[tool.poetry]',
      'name = "app"',
      '',
      '[tool.poetry.group.dev.dependencies]',
      'pytest = "^8"',
      '',
      '[tool.ruff]',
      'line-length = 100',
      '',
      '[tool.ruff.format]',
      'quote-style = "single"',
      '',
      '[tool.mypy]',
      'strict = true',
      '',
    ].join('\n'),
    'poetry.lock': '# lock\n',
    'app/main.py': 'print(1)\n',
  });
  assert.equal(profile.packageManager, 'poetry');
  assert.deepEqual(commandMap(profile), {
    install: 'poetry install <- poetry.lock',
    test: 'poetry run pytest <- pyproject.toml',
    lint: 'poetry run ruff check . <- pyproject.toml:7',
    typecheck: 'poetry run mypy . <- pyproject.toml:13',
    format: 'poetry run ruff format --check . <- pyproject.toml:10',
  });
});

test('plain pip projects use requirements.txt, pytest.ini and [tool.black]', async (t) => {
  const profile = await profileOf(t, {
    'requirements.txt': 'requests==2.31\npytest\n',
    'pytest.ini': '[pytest]\n',
    'pyproject.toml': '[tool.black]\nline-length = 88\n',
  });
  assert.equal(profile.packageManager, 'pip');
  assert.deepEqual(commandMap(profile), {
    install: 'pip install -r requirements.txt <- requirements.txt',
    test: 'pytest <- pytest.ini',
    format: 'black --check . <- pyproject.toml:1',
  });
});

test('a pip project installs itself with the extras that hold its test tools', async (t) => {
  const profile = await profileOf(t, {
    'pyproject.toml': [
      '[project]',
      'name = "svc"',
      'dependencies = ["flask"]',
      '',
      '[project.optional-dependencies]',
      'dev = ["pytest", "ruff"]',
      'docs = ["mkdocs"]',
      '',
      '[tool.pytest.ini_options]',
      'testpaths = ["tests"]',
      '',
    ].join('\n'),
    'svc/app.py': 'print(1)\n',
  });
  assert.equal(commandMap(profile).install, "pip install -e '.[dev]' <- pyproject.toml");
  const plain = await profileOf(t, {
    'pyproject.toml': '[project]\nname = "svc"\ndependencies = ["flask"]\n',
    'svc/app.py': 'print(1)\n',
  });
  assert.equal(commandMap(plain).install, 'pip install -e . <- pyproject.toml');
});

const WORKFLOW = `name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - name: checks
        run: |
          npm run lint
          npm run typecheck
          npx tsc --noEmit
      - run: make docs
      - run: npm run build
        working-directory: web
`;

test('CI run steps add commands of missing kinds and report undefined scripts and targets', async (t) => {
  const profile = await profileOf(t, {
    'package.json': packageJson({ scripts: { lint: 'eslint .' } }),
    'package-lock.json': '{}\n',
    Makefile: 'test:\n\techo ok\n',
    '.github/workflows/ci.yml': WORKFLOW,
  });
  assert.deepEqual(profile.ciFiles, ['.github/workflows/ci.yml']);
  assert.deepEqual(commandMap(profile), {
    install: 'npm ci <- package-lock.json',
    test: 'make test <- Makefile:1',
    lint: 'npm run lint <- package.json scripts.lint',
    typecheck: 'npx tsc --noEmit <- .github/workflows/ci.yml:13',
  });
  assert.deepEqual(profile.missingCommands, [
    {
      run: 'npm run typecheck',
      referencedIn: '.github/workflows/ci.yml:12',
      reason: 'package.json has no "typecheck" script',
    },
    {
      run: 'make docs',
      referencedIn: '.github/workflows/ci.yml:14',
      reason: 'Makefile has no "docs" target',
    },
  ]);
});

test('README and CONTRIBUTING shell blocks naming undefined scripts are missing commands', async (t) => {
  const profile = await profileOf(t, {
    'package.json': packageJson({ scripts: { build: 'tsc' } }),
    'README.md':
      '# App\n\n```bash\nnpm install\nnpm run build\nnpm run dev\n```\n\n```js\nnpm run notashell\n```\n',
    'CONTRIBUTING.md': '# Contributing\n\n```console\n$ make check\nok\n```\n',
  });
  assert.deepEqual(profile.missingCommands, [
    {
      run: 'make check',
      referencedIn: 'CONTRIBUTING.md:4',
      reason: 'there is no Makefile at the repository root',
    },
    { run: 'npm run dev', referencedIn: 'README.md:6', reason: 'package.json has no "dev" script' },
  ]);
});

test('commands after `cd sub` in a README block run in that folder, not at the root', async (t) => {
  const profile = await profileOf(t, {
    'package.json': packageJson({ scripts: { build: 'tsc' } }),
    'web/package.json': packageJson({ scripts: { dev: 'vite' } }),
    'README.md': [
      '## Setup',
      '```bash',
      'git clone https://example.com/acme/app.git',
      'cd app',
      'npm run lint',
      'cd web',
      'npm run dev',
      '```',
      '```bash',
      'npm run start:all',
      '```',
    ].join('\n'),
  });
  assert.deepEqual(
    profile.missingCommands.map((m) => `${m.run} ${m.referencedIn}`),
    ['npm run lint README.md:5', 'npm run start:all README.md:10'],
  );
});

test('a quick start that creates another project runs its commands there, up to the next heading', async (t) => {
  const profile = await profileOf(t, {
    'package.json': packageJson({ scripts: { test: 'node --test' } }),
    'README.md': [
      '## Quick start',
      '```sh',
      'mkdir my-app',
      'cd my-app',
      '```',
      'Generate a project:',
      '```sh',
      'npm init fastify',
      '```',
      '```sh',
      'npm run dev',
      'npm start',
      '```',
      '## Another app',
      '```sh',
      'npx create-react-app web && cd web && npm run eject',
      '```',
      '## Contributing',
      '```sh',
      'npm run lint',
      '```',
      '## Generator',
      '```bash',
      'express /tmp/foo && cd /tmp/foo',
      '```',
      '```bash',
      'npm start',
      '```',
    ].join('\n'),
  });
  assert.deepEqual(
    profile.missingCommands.map((m) => `${m.run} ${m.referencedIn}`),
    ['npm run lint README.md:20'],
  );
});

test('`npm init` without an initializer and a `mkdir` alone leave commands at the root', async (t) => {
  const profile = await profileOf(t, {
    'package.json': packageJson({ scripts: { build: 'tsc' } }),
    'README.md': ['## Build', '```sh', 'npm init', 'mkdir -p out', 'npm run bundle', '```'].join('\n'),
  });
  // `npm init` without an initializer edits this package.json; `mkdir` alone moves nowhere.
  assert.deepEqual(
    profile.missingCommands.map((m) => `${m.run} ${m.referencedIn}`),
    ['npm run bundle README.md:5'],
  );
});

test('a broken package.json is a problem with its line, not a crash', async (t) => {
  const profile = await profileOf(t, {
    'package.json': '{\n  "name": "app",\n  "scripts": {\n    "test": "jest",\n  }\n}\n',
    'pyproject.toml': '[project]\nname = "app"\nversion = \n',
  });
  assert.deepEqual(
    profile.problems.map((problem) => [problem.path, problem.line]),
    [
      ['package.json', 5],
      ['pyproject.toml', 3],
    ],
  );
  assert.match(profile.problems[0]?.message ?? '', /^invalid JSON: /);
  assert.match(profile.problems[1]?.message ?? '', /^invalid TOML/);
  assert.equal(
    profile.commands.find((command) => command.kind === 'test'),
    undefined,
  );
});

test('a library README turning on its debug output runs the reader’s app, not this package (express-session)', async (t) => {
  const profile = await profileOf(t, {
    'package.json': packageJson({ name: 'express-session', scripts: { test: 'mocha' } }),
    'README.md': [
      '## Debugging',
      'This module uses the debug module internally to log information about session operations.',
      '```sh',
      '$ DEBUG=express-session npm start',
      '$ DEBUG=express-session:* npm run serve',
      '$ DEBUG=other npm run lint',
      '```',
    ].join('\n'),
  });
  assert.deepEqual(
    profile.missingCommands.map((m) => `${m.run} ${m.referencedIn}`),
    ['npm run lint README.md:6'],
  );
});

test('a repository of both languages keeps an install and a lint command for each, and tells them apart', async (t) => {
  const profile = await profileOf(t, {
    'package.json': packageJson({
      private: true,
      scripts: { lint: 'eslint frontend', build: 'esbuild frontend/app.js' },
    }),
    'requirements.txt': 'django>=4.2\n',
    'setup.cfg': '[flake8]\nmax-line-length = 100\n\n[tool:pytest]\nDJANGO_SETTINGS_MODULE = shop.settings\n',
    'frontend/app.js': 'export const total = (items) => items.length;\n',
    'shop/views.py': 'def index(request):\n    return None\n',
  });
  assert.deepEqual(
    profile.commands.map((command) => [command.kind, command.run, command.language]),
    [
      ['install', 'npm install', 'javascript'],
      ['install', 'pip install -r requirements.txt', 'python'],
      ['build', 'npm run build', 'javascript'],
      ['test', 'pytest', 'python'],
      ['lint', 'npm run lint', 'javascript'],
      ['lint', 'flake8', 'python'],
    ],
  );
});

test("Python's commands run through the Python package manager, though JavaScript is the larger part", async (t) => {
  const profile = await profileOf(t, {
    'package.json': packageJson({ private: true, scripts: { build: 'vite build' } }),
    'package-lock.json': '{}\n',
    'pyproject.toml': '[tool.poetry]\nname = "api"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
    'poetry.lock': '# poetry\n',
    'web/app.js': Array.from(
      { length: 60 },
      (_, n) => `export const total${n} = (items) => items.length + ${n};`,
    ).join('\n'),
    'api/views.py': 'def index(request):\n    return None\n',
    'tests/test_views.py': 'def test_index():\n    assert True\n',
  });
  assert.equal(profile.packageManager, 'npm');
  assert.deepEqual(
    profile.commands
      .filter((command) => command.kind === 'install' || command.kind === 'test')
      .map((command) => [command.kind, command.run, command.language]),
    [
      ['install', 'npm ci', 'javascript'],
      ['install', 'poetry install', 'python'],
      ['test', 'poetry run pytest', 'python'],
    ],
  );
});

const MANAGE_PY = [
  '#!/usr/bin/env python',
  'import os',
  'import sys',
  '',
  'if __name__ == "__main__":',
  '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")',
  '    from django.core.management import execute_from_command_line',
  '    execute_from_command_line(sys.argv)',
  '',
].join('\n');

test("a Django project without pytest is tested with Django's runner, and pytest wins where configured", async (t) => {
  const django = await profileOf(t, {
    'manage.py': MANAGE_PY,
    'requirements.txt': 'django>=4.2\n',
    'shop/views.py': 'def index(request):\n    return None\n',
    'shop/tests.py':
      'from django.test import TestCase\n\nclass ViewTests(TestCase):\n    def test_index(self):\n        self.assertTrue(True)\n',
  });
  assert.deepEqual(
    django.commands
      .filter((command) => command.kind === 'test')
      .map((command) => [command.run, command.source]),
    [['python manage.py test', 'manage.py:6']],
  );
  const pytestDjango = await profileOf(t, {
    'manage.py': MANAGE_PY,
    'requirements.txt': 'django>=4.2\npytest-django\n',
    'pytest.ini': '[pytest]\nDJANGO_SETTINGS_MODULE = shop.settings\n',
    'shop/views.py': 'def index(request):\n    return None\n',
  });
  assert.deepEqual(
    pytestDjango.commands.filter((command) => command.kind === 'test').map((command) => command.run),
    ['pytest'],
  );
  // A manage.py that is not Django's gives no command.
  const other = await profileOf(t, {
    'manage.py': 'import click\n\n@click.group()\ndef cli():\n    pass\n',
    'app/main.py': 'def run():\n    return 1\n',
  });
  assert.equal(
    other.commands.find((command) => command.kind === 'test'),
    undefined,
  );
});
