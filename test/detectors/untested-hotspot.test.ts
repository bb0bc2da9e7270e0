import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { untestedHotspot } from '../../src/detectors/tests/untested-hotspot.ts';
import { detect } from '../helpers/detector.ts';

const GIT = (hotspots: { path: string; commits: number }[]) => ({
  git: { available: true, head: 'abc', branch: 'main', defaultBranch: 'main', hotspots },
});

describe('tests/untested-hotspot', () => {
  it('flags the most-changed source files that no test imports, at most three', () => {
    const findings = detect(
      untestedHotspot,
      {
        'src/billing.ts': 'export const bill = 1;\n',
        'src/user-service.ts': 'export const user = 1;\n',
        'src/user.ts': 'export const u = 1;\n',
        'src/auth/index.ts': 'export const auth = 1;\n',
        'src/cart.ts': 'export const cart = 1;\n',
        'src/tax.ts': 'export const tax = 1;\n',
        'test/user-service.test.ts': "import { user } from '../src/user-service.ts';\n",
      },
      GIT([
        { path: 'src/billing.ts', commits: 40 },
        { path: 'src/user-service.ts', commits: 30 },
        { path: 'src/user.ts', commits: 25 },
        { path: 'src/auth/index.ts', commits: 20 },
        { path: 'src/cart.ts', commits: 10 },
        { path: 'src/tax.ts', commits: 9 },
      ]),
    );
    assert.deepEqual(
      findings.map((f) => f.evidence[0]?.file),
      ['src/billing.ts', 'src/user.ts', 'src/auth/index.ts'],
    );
    assert.match(findings[0]?.message ?? '', /40 commits/);
    assert.match(findings[2]?.message ?? '', /`auth`/);
    assert.equal(findings[0]?.confidence, 'MED');
    assert.equal(untestedHotspot.quick, false);
  });

  it('rates a hotspot that tests reach only through a module importing it LOW (improve skip-rules.ts)', () => {
    const findings = detect(
      untestedHotspot,
      {
        'src/recon/skip-rules.ts': 'export const skip = (f: string) => f.endsWith(".min.js");\n',
        'src/recon/scan-files.ts':
          "import { skip } from './skip-rules.ts';\nexport const scan = (f: string) => skip(f);\n",
        'src/recon/recon.ts':
          "import { scan } from './scan-files.ts';\nexport const recon = (f: string) => scan(f);\n",
        'src/billing.ts': 'export const bill = 1;\n',
        'test/recon/walk.test.ts': "import { recon } from '../../src/recon/recon.ts';\n",
      },
      GIT([
        { path: 'src/recon/skip-rules.ts', commits: 20 },
        { path: 'src/billing.ts', commits: 10 },
      ]),
    );
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.confidence]),
      [
        ['src/recon/skip-rules.ts', 'LOW'],
        ['src/billing.ts', 'MED'],
      ],
    );
    assert.match(
      findings[0]?.message ?? '',
      /only through `src\/recon\/scan-files\.ts`|only through `src\/recon\/recon\.ts`/,
    );
  });

  it('counts python imports and jest mocks as coverage, and ignores non-source and low-churn files', () => {
    const findings = detect(
      untestedHotspot,
      {
        'app/payments.py': 'def pay():\n    return 1\n',
        'src/api.ts': 'export const api = 1;\n',
        'src/rare.ts': 'export const rare = 1;\n',
        'docs/guide.md': '# Guide\n',
        'tests/test_payments.py': 'from app.payments import pay\n',
        'test/api.test.ts': "jest.mock('../src/api');\n",
      },
      GIT([
        { path: 'app/payments.py', commits: 50 },
        { path: 'src/api.ts', commits: 30 },
        { path: 'docs/guide.md', commits: 30 },
        { path: 'src/rare.ts', commits: 2 },
      ]),
    );
    assert.deepEqual(findings, []);
  });

  it('counts CLI modules as tested when tests run the built bin, within the CLI folder only', () => {
    const files = {
      'package.json': JSON.stringify({ name: 'tool', bin: { tool: 'dist/cli/main.js' } }),
      'src/cli/main.ts': "import { run } from './program.ts';\nrun();\n",
      'src/cli/program.ts':
        "import { audit } from '../api/audit.ts';\nimport { render } from './render.ts';\nexport const run = () => render(audit());\n",
      'src/cli/render.ts': 'export const render = (x: unknown) => String(x);\n',
      'src/cli/unused-helper.ts': 'export const helper = 1;\n',
      'src/api/audit.ts': 'export const audit = () => 1;\n',
      'test/helpers/cli.ts': [
        "import { spawnSync } from 'node:child_process';",
        "const BIN = path.resolve(here, '../../dist/cli/main.js');",
        'export const runCli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args]);',
      ].join('\n'),
      'test/e2e/audit.test.ts': "import { runCli } from '../helpers/cli.ts';\nrunCli(['audit']);\n",
    };
    const hotspots = GIT([
      { path: 'src/cli/program.ts', commits: 40 },
      { path: 'src/cli/render.ts', commits: 30 },
      { path: 'src/api/audit.ts', commits: 20 },
      { path: 'src/cli/unused-helper.ts', commits: 10 },
    ]);
    assert.deepEqual(
      detect(untestedHotspot, files, hotspots).map((f) => f.evidence[0]?.file),
      ['src/api/audit.ts', 'src/cli/unused-helper.ts'],
    );
    // Spawning the command by name (or joining the path from parts) counts the same way.
    const byName = {
      ...files,
      'test/helpers/cli.ts':
        "import { execa } from 'execa';\nexport const runCli = (a) => execa('tool', a);\n",
    };
    assert.deepEqual(
      detect(untestedHotspot, byName, hotspots).map((f) => f.evidence[0]?.file),
      ['src/api/audit.ts', 'src/cli/unused-helper.ts'],
    );
    const byParts = {
      ...files,
      'test/helpers/cli.ts': "const BIN = path.join(root, 'dist', 'cli', 'main.js');\n",
    };
    assert.equal(detect(untestedHotspot, byParts, hotspots).length, 2);
    // A test that never runs the command leaves the CLI untested.
    const notRun = { ...files, 'test/helpers/cli.ts': "export const name = 'tool';\n" };
    assert.deepEqual(
      detect(untestedHotspot, notRun, hotspots).map((f) => f.evidence[0]?.file),
      ['src/cli/program.ts', 'src/cli/render.ts', 'src/api/audit.ts'],
    );
  });

  it('counts a test that names the module by path or distinctive file name, not by a generic one', () => {
    const findings = detect(
      untestedHotspot,
      {
        'src/jobs/reindex.ts': 'export {};\n',
        'src/worker/index.ts': 'export {};\n',
        'scripts/migrate.py': 'print(1)\n',
        'src/server/index.ts': 'export {};\n',
        'test/jobs.test.ts': "const job = new Worker(new URL('../src/jobs/reindex.ts', import.meta.url));\n",
        'test/worker.test.ts': "spawn('node', ['src/worker/index.ts']);\n",
        'tests/test_migrate.py': 'subprocess.run(["python", "migrate.py"])\nopen("index.ts")\n',
      },
      GIT([
        { path: 'src/jobs/reindex.ts', commits: 40 },
        { path: 'src/worker/index.ts', commits: 30 },
        { path: 'scripts/migrate.py', commits: 20 },
        { path: 'src/server/index.ts', commits: 10 },
      ]),
    );
    assert.deepEqual(
      findings.map((f) => f.evidence[0]?.file),
      ['src/server/index.ts'],
    );
  });

  it('stays silent when the repository has no tests at all (the baseline finding covers it)', () => {
    const findings = detect(
      untestedHotspot,
      { 'src/a.ts': 'export {};\n' },
      GIT([{ path: 'src/a.ts', commits: 9 }]),
    );
    assert.deepEqual(findings, []);
  });
});
