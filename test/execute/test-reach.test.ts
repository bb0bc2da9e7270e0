import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { auditTests } from '../../src/execute/test-audit.ts';
import { unrunTests } from '../../src/execute/test-reach.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';

const TEST = [
  "import { expect, test } from 'vitest';",
  "import { initials } from '../src/format';",
  "test('initials', () => expect(initials('Ada Lovelace')).toBe('AL'));",
  '',
].join('\n');

const pkg = (script: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: 'web', scripts: { test: script }, ...extra });

/** The files `unrunTests` reports for `files` in a tree, as [file, patterns]. */
function unrunIn(tree: Record<string, string>, files: string[]): [string, string | undefined][] {
  const temp = tempDir();
  try {
    writeTree(temp.dir, tree);
    return unrunTests(temp.dir, files).map((test) => [test.file, test.patterns]);
  } finally {
    temp.dispose();
  }
}

describe('test reach of Vitest and Jest configurations', () => {
  it("fails a new test that vitest.config.ts's test.include leaves out, not one it includes", (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writeTree(temp.dir, {
      'package.json': pkg('vitest run --coverage'),
      'vitest.config.ts': [
        "import { defineConfig } from 'vitest/config';",
        "import react from '@vitejs/plugin-react';",
        'export default defineConfig({',
        '  plugins: [react()],',
        "  optimizeDeps: { include: ['lodash'] },",
        "  test: { environment: 'jsdom', include: ['src/**/*.test.{ts,tsx}'], coverage: { include: ['src/**'] } },",
        '});',
      ].join('\n'),
      'test/format.test.ts': TEST,
      'src/format.test.ts': TEST,
      'test/helpers.ts': 'export const user = { name: "Ada" };\n',
    });
    const files = ['test/format.test.ts', 'src/format.test.ts', 'test/helpers.ts'];
    const result = auditTests(
      temp.dir,
      files.map((path) => ({ path, change: 'added' as const })),
      files.map((file) => ({ file, startLine: 1, endLine: 5 })),
    );
    assert.equal(result.passed, false);
    assert.deepEqual(
      result.unrun?.map((test) => [test.file, test.command, test.patterns]),
      [
        [
          'test/format.test.ts',
          'vitest run --coverage',
          'src/**/*.test.{ts,tsx} (vitest.config.ts test.include)',
        ],
      ],
    );
  });

  it('reads vite.config test.include, and falls back to the defaults when a config sets none', () => {
    assert.deepEqual(
      unrunIn(
        {
          'package.json': pkg('vitest'),
          'vite.config.mts': "export default { test: { include: ['tests/unit/**/*.spec.ts'] } };\n",
        },
        ['tests/unit/a.spec.ts', 'tests/a.spec.ts'],
      ),
      [['tests/a.spec.ts', 'tests/unit/**/*.spec.ts (vite.config.mts test.include)']],
    );
    // No config, or one without test.include: `**/*.{test,spec}.?(c|m)[jt]s?(x)`.
    assert.deepEqual(
      unrunIn({ 'package.json': pkg('vitest run') }, ['src/a.test.mts', 'lib/b.spec.jsx', 'test/c.ts']),
      [['test/c.ts', '**/*.{test,spec}.?(c|m)[jt]s?(x) (vitest defaults)']],
    );
    assert.deepEqual(
      unrunIn(
        {
          'package.json': pkg('vitest run'),
          'vitest.config.js': 'module.exports = { test: { globals: true } };\n',
        },
        ['src/a.test.js', 'test/c.ts'],
      ),
      [
        [
          'test/c.ts',
          '**/*.{test,spec}.?(c|m)[jt]s?(x) (vitest defaults (vitest.config.js sets no test.include))',
        ],
      ],
    );
    // In a monorepo package, the package's own config, relative to the package.
    assert.deepEqual(
      unrunIn(
        {
          'package.json': JSON.stringify({ workspaces: ['packages/*'] }),
          'packages/web/package.json': pkg('vitest run -c vitest.unit.ts'),
          'packages/web/vitest.unit.ts': "export default { test: { include: ['src/**/*.test.ts'] } };\n",
        },
        ['packages/web/src/a.test.ts', 'packages/web/test/a.test.ts'],
      ),
      [['packages/web/test/a.test.ts', 'src/**/*.test.ts (vitest.unit.ts test.include)']],
    );
  });

  it('says nothing about a Vitest run it cannot read for certain', () => {
    const outside = ['test/a.test.ts', 'e2e/flow.ts'];
    const cases: Record<string, string>[] = [
      // The include comes from a variable, a merged config, a spread, a workspace, another root.
      { 'vitest.config.ts': "const include = ['src/**'];\nexport default { test: { include } };\n" },
      {
        'vitest.config.ts':
          "import { mergeConfig } from 'vitest/config';\nimport base from './vite.config';\nexport default mergeConfig(base, { test: {} });\n",
      },
      { 'vitest.config.ts': "import shared from '@acme/vitest-config';\nexport default shared;\n" },
      { 'vitest.config.ts': "export default { test: { ...shared, environment: 'node' } };\n" },
      {
        'vitest.config.ts':
          "const unit = { test: { include: ['src/**'] } };\nexport default process.env.CI ? unit : { plugins: [] };\n",
      },
      { 'vitest.config.ts': "export default { test: { include: [...defaults, 'x/**'] } };\n" },
      { 'vitest.config.ts': "export default { test: { projects: ['packages/*'] } };\n" },
      { 'vitest.workspace.ts': "export default ['packages/*'];\n" },
      { 'vite.config.ts': "export default { root: 'app', test: { include: ['src/**/*.test.ts'] } };\n" },
      { 'vitest.config.ts': "export default { test: { include: ['src/**/*.test.ts'] } " },
    ];
    for (const config of cases)
      assert.deepEqual(
        unrunIn({ 'package.json': pkg('vitest run'), ...config }, outside),
        [],
        JSON.stringify(config),
      );
    // A file filter, a flag that moves the root, a missing config, another script that runs tests.
    for (const script of [
      'vitest run format',
      'vitest --dir src',
      'vitest run --config missing.config.ts',
      'vitest run && npm run test:e2e',
    ])
      assert.deepEqual(
        unrunIn(
          {
            'package.json': pkg(script),
            'vitest.config.ts': "export default { test: { include: ['src/**/*.test.ts'] } };\n",
          },
          outside,
        ),
        [],
        script,
      );
  });

  it('reads testMatch, testRegex and roots from jest.config.* and the package.json jest field', () => {
    assert.deepEqual(
      unrunIn(
        {
          'package.json': pkg('jest --coverage'),
          'jest.config.ts': [
            "import type { Config } from 'jest';",
            'const config: Config = {',
            "  preset: 'ts-jest',",
            "  testMatch: ['<rootDir>/src/**/*.test.ts'],",
            "  collectCoverageFrom: ['src/**/*.ts'],",
            '};',
            'export default config;',
          ].join('\n'),
        },
        ['src/a/b.test.ts', 'test/b.test.ts'],
      ),
      [['test/b.test.ts', '<rootDir>/src/**/*.test.ts (jest.config.ts testMatch)']],
    );
    assert.deepEqual(
      unrunIn(
        {
          'package.json': pkg('jest', { jest: { roots: ['<rootDir>/src'], testRegex: '\\.spec\\.js$' } }),
        },
        ['src/a.spec.js', 'src/a.test.js', 'lib/b.spec.js'],
      ),
      [
        ['src/a.test.js', '\\.spec\\.js$ (package.json jest testRegex)'],
        ['lib/b.spec.js', '\\.spec\\.js$ (package.json jest testRegex)'],
      ],
    );
    // No config: `**/__tests__/**/*.[jt]s?(x)` and `**/?(*.)+(spec|test).[jt]s?(x)` (and Jest 30's .mjs/.cts).
    assert.deepEqual(
      unrunIn({ 'package.json': pkg('jest') }, [
        'src/__tests__/a.js',
        'src/b.spec.tsx',
        'src/c.test.mjs',
        'test/d.ts',
      ]).map(([file]) => file),
      ['test/d.ts'],
    );
    assert.deepEqual(
      unrunIn(
        {
          'package.json': pkg('jest --ci'),
          'jest.config.json': JSON.stringify({ testMatch: ['**/test/**/*.test.js'] }),
        },
        ['test/a.test.js', 'src/a.test.js'],
      ).map(([file]) => file),
      ['src/a.test.js'],
    );
  });

  it('says nothing about a Jest run it cannot read for certain', () => {
    const outside = ['test/a.test.ts', 'e2e/flow.ts'];
    const cases: Record<string, string>[] = [
      { 'jest.config.js': "module.exports = { preset: 'jest-expo' };\n" },
      { 'jest.config.js': "module.exports = { projects: ['<rootDir>/packages/*'] };\n" },
      { 'jest.config.js': "module.exports = require('../../jest.config.base');\n" },
      {
        'jest.config.js':
          "const nextJest = require('next/jest');\nconst createJestConfig = nextJest({ dir: './' });\nmodule.exports = createJestConfig({ testMatch: ['<rootDir>/src/**/*.test.ts'] });\n",
      },
      { 'jest.config.js': "const base = require('./base');\nmodule.exports = { ...base };\n" },
      { 'jest.config.js': 'module.exports = { testMatch: [`${__dirname}/src/**/*.test.ts`] };\n' },
      { 'jest.config.js': "module.exports = { testMatch: ['src/**/*.test.ts'] };\n" },
      { 'jest.config.js': "module.exports = { rootDir: 'src' };\n" },
      // Two configs: Jest refuses to run.
      {
        'jest.config.js': "module.exports = { testMatch: ['<rootDir>/src/**/*.test.ts'] };\n",
        'jest.config.json': '{}',
      },
    ];
    for (const config of cases)
      assert.deepEqual(
        unrunIn({ 'package.json': pkg('jest'), ...config }, outside),
        [],
        JSON.stringify(config),
      );
    for (const script of ['jest src', 'jest --selectProjects unit', 'jest -c missing.js'])
      assert.deepEqual(
        unrunIn(
          {
            'package.json': pkg(script),
            'jest.config.js': "module.exports = { testMatch: ['<rootDir>/src/**/*.test.ts'] };\n",
          },
          outside,
        ),
        [],
        script,
      );
    // The package.json field next to a jest.config file is a second config too.
    assert.deepEqual(
      unrunIn(
        {
          'package.json': pkg('jest', { jest: { testMatch: ['<rootDir>/src/**/*.test.ts'] } }),
          'jest.config.js': 'module.exports = {};\n',
        },
        outside,
      ),
      [],
    );
  });

  it('judges a script of a named-files runner and a configured one together', () => {
    // `node --test test/*.test.ts && vitest run`: a file either runs is run.
    const tree = {
      'package.json': pkg('tsc -p . && node --test test/*.test.ts && vitest run'),
      'vitest.config.ts': "export default { test: { include: ['src/**/*.test.tsx'] } };\n",
    };
    assert.deepEqual(
      unrunIn(tree, ['test/a.test.ts', 'src/b.test.tsx', 'src/c.test.ts']).map(([file]) => file),
      ['src/c.test.ts'],
    );
    // A bare `node --test` finds its own files, Playwright and Cypress read their own configs: not judged.
    for (const script of [
      'node --test && vitest run',
      'vitest run && playwright test',
      'vitest run && cypress run',
    ])
      assert.deepEqual(unrunIn({ 'package.json': pkg(script) }, ['e2e/c.ts']), [], script);
  });
});

describe('test reach of folders a runner is given', () => {
  it("reads Mocha's folders: their spec files, in subfolders with --recursive", () => {
    // Etherpad 1.8.14: a folder and a glob of plugins' specs; a new spec in the folder runs.
    const tree = {
      'package.json': pkg(
        'mocha --timeout 120000 --recursive tests/backend/specs ../node_modules/ep_*/static/tests/backend/specs',
      ),
      'tests/backend/specs/api/sessions.js': '',
    };
    assert.deepEqual(
      unrunIn(tree, [
        'tests/backend/specs/importHandler.js',
        'tests/backend/specs/api/pads.js',
        'node/handler/ImportHandler.test.js',
        'tests/frontend/specs/chat.js',
      ]).map(([file]) => file),
      ['node/handler/ImportHandler.test.js', 'tests/frontend/specs/chat.js'],
    );
    // Without --recursive only the folder's own files; --extension picks the extensions.
    const flat = { 'package.json': pkg('mocha --extension ts test'), 'test/unit/a.ts': '' };
    assert.deepEqual(
      unrunIn(flat, ['test/b.ts', 'test/c.js', 'test/unit/d.ts']).map(([file]) => file),
      ['test/c.js', 'test/unit/d.ts'],
    );
  });

  it('does not judge another runner given a folder beside its globs', () => {
    const tree = { 'package.json': pkg("node --test test/ 'src/**/*.test.js'"), 'test/a.test.js': '' };
    assert.deepEqual(unrunIn(tree, ['test/b.test.js', 'lib/c.test.js']), []);
  });
});
