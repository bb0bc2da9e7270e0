import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RepoCommand } from '../../src/core/types.ts';
import { noVerificationBaseline } from '../../src/detectors/tests/no-verification-baseline.ts';
import { detect } from '../helpers/detector.ts';

const PACKAGE = JSON.stringify(
  {
    name: 'app',
    type: 'module',
    scripts: { build: 'tsc', test: 'node --test' },
    devDependencies: { typescript: '^5' },
  },
  null,
  2,
);
const TEST_COMMAND: RepoCommand = { kind: 'test', run: 'npm test', source: 'package.json scripts.test' };

describe('tests/no-verification-baseline', () => {
  it('flags a TypeScript repo with neither tests nor a test command, citing package.json "scripts"', () => {
    const findings = detect(noVerificationBaseline, {
      'package.json': JSON.stringify({ name: 'app', scripts: { build: 'tsc' } }, null, 2),
      'src/index.ts': 'export const add = (a: number, b: number) => a + b;\n',
    });
    assert.equal(findings.length, 1);
    const finding = findings[0];
    assert.equal(finding?.ruleId, 'tests/no-verification-baseline');
    assert.equal(finding?.title, 'No tests and no test command');
    assert.equal(finding?.impact, 'HIGH');
    assert.equal(finding?.confidence, 'HIGH');
    assert.deepEqual([finding?.evidence[0]?.file, finding?.evidence[0]?.startLine], ['package.json', 3]);
    assert.match(finding?.fixSketch ?? '', /node:test/);
    assert.match(finding?.doneCheck ?? '', /git ls-files .* && npm test$/);
    // Ghost's Tinybird specs are tests of another tool, not tests a JavaScript runner would run.
    const specs = detect(noVerificationBaseline, {
      'package.json': JSON.stringify({ name: 'ghost', scripts: {} }, null, 2),
      'core/server/services/posts.js': 'module.exports = {};\n',
      'core/server/data/tinybird/tests/api_kpis.yaml': '- name: kpis\n  sql: select 1\n',
    });
    assert.equal(specs[0]?.title, 'No tests and no test command');
    // Test code without a command is still "tests exist but nothing runs them".
    const unrun = detect(noVerificationBaseline, {
      'package.json': JSON.stringify({ name: 'ghost', scripts: {} }, null, 2),
      'core/server/services/posts.js': 'module.exports = {};\n',
      'core/server/data/tinybird/tests/api_kpis.yaml': '- name: kpis\n  sql: select 1\n',
      'test/posts.test.js': "require('node:test');\n",
    });
    assert.equal(unrun[0]?.title, 'Tests exist but no command runs them');
    assert.match(unrun[0]?.message ?? '', /1 test file\(s\) \(for example test\/posts\.test\.js\)/);
    // Bull: more Lua scripts than JavaScript files, but the tests to add are JavaScript's.
    const lua = Object.fromEntries(
      Array.from({ length: 4 }, (_, i) => [`lib/commands/script-${i}.lua`, 'return 1\n']),
    );
    const bull = detect(noVerificationBaseline, {
      'package.json': JSON.stringify({ name: 'bull', scripts: {} }, null, 2),
      'lib/queue.js': 'module.exports = {};\n',
      ...lua,
    });
    assert.match(bull[0]?.message ?? '', /This JavaScript repository has no test files/);
  });

  it('flags a test command with no test files, citing where the command is defined', () => {
    const findings = detect(
      noVerificationBaseline,
      { 'package.json': PACKAGE, 'src/index.ts': 'export const one = 1;\n' },
      {
        commands: [TEST_COMMAND],
        conventions: { testFramework: 'vitest', commitStyle: { kind: 'unknown', samples: [] } },
      },
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.title, 'Test command `npm test` has no tests to run');
    assert.deepEqual(
      [findings[0]?.evidence[0]?.file, findings[0]?.evidence[0]?.startLine],
      ['package.json', 6],
    );
    assert.match(findings[0]?.fixSketch ?? '', /vitest/);
  });

  it('cites the `test` script itself, not an earlier `test:…` script (webpack package.json)', () => {
    const scripts = {
      'test:invariants': 'yarn test:invariants:css',
      lint: 'eslint .',
      test: 'yarn test:base',
    };
    const findings = detect(
      noVerificationBaseline,
      {
        'package.json': JSON.stringify({ name: 'webpack', scripts }, null, 2),
        'lib/index.js': 'module.exports = {};\n',
      },
      { commands: [{ kind: 'test', run: 'yarn test', source: 'package.json scripts.test' }] },
    );
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine]),
      [['package.json', 6]],
    );
  });

  it("flags tests that no command runs, and treats npm init's placeholder script as no command", () => {
    const findings = detect(
      noVerificationBaseline,
      {
        'package.json': JSON.stringify(
          { scripts: { test: 'echo "Error: no test specified" && exit 1' } },
          null,
          2,
        ),
        'src/index.js': 'module.exports = 1;\n',
        'test/index.test.js': 'require("../src/index.js");\n',
      },
      { commands: [TEST_COMMAND] },
    );
    assert.equal(findings[0]?.title, 'Tests exist but no command runs them');
    assert.equal(findings[0]?.effort, 'S');
  });

  it('suggests pytest for a Python repo without a manifest to cite', () => {
    const findings = detect(noVerificationBaseline, { 'app/main.py': 'def main():\n    return 1\n' });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.evidence.length, 0);
    assert.match(findings[0]?.fixSketch ?? '', /pytest/);
    assert.match(findings[0]?.doneCheck ?? '', /python -m pytest/);
  });

  it("does not take a Python library's helpers for its users' tests as tests", () => {
    // aiohttp ships `aiohttp/test_utils.py` (TestServer, AioHTTPTestCase) and mitmproxy
    // `mitmproxy/test/taddons.py`: pytest collects no test from them, so `python -m pytest -q`
    // exits 5 and "run the existing tests" cannot be done.
    const helpers = {
      'aiohttp/web.py': 'def run_app(app):\n    return app\n',
      'aiohttp/test_utils.py': [
        'from unittest import TestCase',
        'class TestServer:',
        '    def __init__(self, app):',
        '        self.app = app',
        'class AioHTTPTestCase(TestCase):',
        '    async def get_application(self):',
        '        raise NotImplementedError',
      ].join('\n'),
      'mitmproxy/test/taddons.py':
        'class TestAddons:\n    def __init__(self, master):\n        self.master = master\n',
    };
    const none = detect(noVerificationBaseline, helpers);
    assert.equal(none[0]?.title, 'No tests and no test command');
    // A file that defines a test (a pytest function or a unittest method) is still one.
    const unrun = detect(noVerificationBaseline, {
      ...helpers,
      'tests/test_web.py':
        'class WebTests(TestCase):\n    async def test_run(self):\n        assert run_app(1) == 1\n',
    });
    assert.equal(unrun[0]?.title, 'Tests exist but no command runs them');
    assert.match(unrun[0]?.message ?? '', /There are 1 test file\(s\) \(for example tests\/test_web\.py\)/);
  });

  it('is silent when a test command and test files exist, and for a docs-only repo', () => {
    assert.deepEqual(
      detect(
        noVerificationBaseline,
        {
          'package.json': PACKAGE,
          'src/index.ts': 'export const one = 1;\n',
          'test/index.test.ts': 'import "../src/index.ts";\n',
        },
        { commands: [TEST_COMMAND] },
      ),
      [],
    );
    assert.deepEqual(detect(noVerificationBaseline, { 'README.md': '# Notes\n' }), []);
  });
});
