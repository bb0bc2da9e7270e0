import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RepoCommand } from '../../src/core/types.ts';
import { brokenManifest } from '../../src/detectors/dx/broken-manifest.ts';
import { missingScripts } from '../../src/detectors/dx/missing-scripts.ts';
import { noAgentGuide } from '../../src/detectors/dx/no-agent-guide.ts';
import { noCi } from '../../src/detectors/dx/no-ci.ts';
import { undefinedCommand } from '../../src/detectors/dx/undefined-command.ts';
import { detect } from '../helpers/detector.ts';

const PACKAGE = JSON.stringify(
  { name: 'app', scripts: { build: 'tsc -p .', test: 'vitest run' }, devDependencies: { typescript: '^5' } },
  null,
  2,
);
const COMMANDS: RepoCommand[] = [
  { kind: 'install', run: 'npm ci', source: 'package-lock.json' },
  { kind: 'build', run: 'npm run build', source: 'package.json scripts.build' },
  { kind: 'test', run: 'npm test', source: 'package.json scripts.test' },
];

describe('dx/no-ci', () => {
  it('flags a repo with a test command and no CI, listing the commands to run', () => {
    const findings = detect(noCi, { 'package.json': PACKAGE, 'src/a.ts': '' }, { commands: COMMANDS });
    assert.equal(findings.length, 1);
    assert.deepEqual(
      [findings[0]?.evidence[0]?.file, findings[0]?.evidence[0]?.startLine],
      ['package.json', 5],
    );
    assert.match(findings[0]?.fixSketch ?? '', /`npm ci`, `npm run build`, `npm test`/);
    assert.match(findings[0]?.doneCheck ?? '', /\.github\/workflows/);
  });

  it('is silent with CI config (from the profile or on disk) or with nothing to run', () => {
    const files = { 'package.json': PACKAGE, 'src/a.ts': '' };
    assert.deepEqual(detect(noCi, files, { commands: COMMANDS, ciFiles: ['.github/workflows/ci.yml'] }), []);
    assert.deepEqual(
      detect(noCi, { ...files, '.gitlab-ci.yml': 'test:\n  script: npm test\n' }, { commands: COMMANDS }),
      [],
    );
    assert.deepEqual(detect(noCi, files), []);
  });

  it('counts an entry script in .ci/ or ci/ that runs the tests, for a CI service configured elsewhere', () => {
    const files = { 'package.json': PACKAGE, 'src/a.ts': '' };
    const script = '#!/usr/bin/env bash\nset -euo pipefail\nnpm ci\nnpm test\n';
    assert.deepEqual(detect(noCi, { ...files, '.ci/run': script }, { commands: COMMANDS }), []);
    assert.deepEqual(detect(noCi, { ...files, 'ci/test.sh': script }, { commands: COMMANDS }), []);
    // A script there that does not run the tests (a release helper) is no CI.
    const release = detect(noCi, { ...files, 'ci/release.sh': 'npm publish\n' }, { commands: COMMANDS });
    assert.equal(release.length, 1);
  });
});

describe('dx/missing-scripts', () => {
  it('flags a TypeScript package without lint and typecheck scripts, citing "scripts"', () => {
    const findings = detect(missingScripts, {
      'package.json': JSON.stringify(
        { name: 'a', scripts: { test: 'vitest' }, devDependencies: { typescript: '^5' } },
        null,
        2,
      ),
      'src/a.ts': 'export {};\n',
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.title, 'package.json has no lint or typecheck script');
    assert.equal(findings[0]?.evidence[0]?.startLine, 3);
    assert.match(findings[0]?.doneCheck ?? '', /^node -e '.*s\["lint"\]&&s\["typecheck"\]/);
  });

  it('asks JavaScript projects only for lint, and accepts tsc in build or eslint under another name', () => {
    const js = detect(missingScripts, {
      'package.json': JSON.stringify({ scripts: { test: 'jest' } }),
      'src/a.js': '',
    });
    assert.equal(js[0]?.title, 'package.json has no lint script');
    // Each script's step says when it applies: a plan about lint alone must not add a typecheck.
    const steps = missingScripts.steps ?? [];
    assert.ok(
      steps.some((step) =>
        /^Only if this plan’s title names `typecheck` \(skip this step otherwise\)/.test(step),
      ),
    );
    assert.ok(
      steps.some((step) => /^Only if this plan’s title names `lint` \(skip this step otherwise\)/.test(step)),
    );
    assert.deepEqual(
      detect(missingScripts, {
        'package.json': PACKAGE.replace('"test"', '"check": "eslint .", "test"'),
        'src/a.ts': '',
      }),
      [],
    );
    assert.deepEqual(detect(missingScripts, { 'app/main.py': '', 'package.json': '{}' }), []);
  });

  it('counts a declaration test runner (dtslint, tsd) as the typecheck of a JavaScript package with types', () => {
    const manifest = (script: string) =>
      JSON.stringify({
        scripts: { lint: 'eslint .', 'test:types': script },
        devDependencies: { typescript: '^5' },
      });
    for (const script of ['dtslint --localTs node_modules/typescript/lib', 'tsd']) {
      assert.deepEqual(detect(missingScripts, { 'package.json': manifest(script), 'lib/axios.js': '' }), []);
    }
    assert.equal(
      detect(missingScripts, { 'package.json': manifest('mocha test/types'), 'lib/axios.js': '' })[0]?.title,
      'package.json has no typecheck script',
    );
  });
});

describe('dx/undefined-command', () => {
  it('turns each missing command into a finding at its reference', () => {
    const findings = detect(
      undefinedCommand,
      { 'README.md': '# App\n\n```sh\nnpm run dev\n```\n', 'package.json': '{"scripts":{}}' },
      {
        missingCommands: [
          { run: 'npm run dev', referencedIn: 'README.md:4', reason: 'package.json has no "dev" script' },
          { run: 'make release', referencedIn: '.github/workflows/release.yml:12', reason: 'no Makefile' },
        ],
      },
    );
    assert.deepEqual(
      findings.map((f) => [f.title, f.evidence[0]?.file, f.evidence[0]?.startLine]),
      [
        ['`npm run dev` is referenced but not defined', 'README.md', 4],
        ['`make release` is referenced but not defined', undefined, undefined],
      ],
    );
    assert.match(
      findings[0]?.doneCheck ?? '',
      /^\{ ! grep -qF -- 'npm run dev' 'README.md'; \} \|\| \{ node -e/,
    );
    assert.equal(findings[1]?.doneCheck, "make -n 'release' >/dev/null 2>&1");
  });

  it('is silent when recon found nothing missing', () => {
    assert.deepEqual(detect(undefinedCommand, { 'README.md': 'npm test\n' }), []);
  });

  it('leaves npm’s placeholder test script to the verification baseline (Node-RED Dashboard)', () => {
    const placeholder = 'scripts.test is npm\'s placeholder ("Error: no test specified") and always fails';
    const findings = detect(
      undefinedCommand,
      {
        'README.md': '# App\n\nRun `npm test`.\n',
        'package.json': '{"scripts":{"test":"echo x && exit 1"}}',
      },
      {
        missingCommands: [
          { run: 'npm test', referencedIn: 'package.json scripts.test', reason: placeholder },
          { run: 'npm test', referencedIn: 'README.md:3', reason: placeholder },
        ],
      },
    );
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine]),
      [['README.md', 3]],
    );
  });
});

describe('dx/no-agent-guide', () => {
  it('flags a code repo with no AGENTS.md/CLAUDE.md/copilot instructions, as a LOW-impact small fix', () => {
    const findings = detect(noAgentGuide, { 'src/a.ts': '' });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.impact, 'LOW');
    assert.equal(findings[0]?.effort, 'S');
    assert.equal(findings[0]?.evidence.length, 0);
  });

  it('is silent when any agent guide exists', () => {
    assert.deepEqual(detect(noAgentGuide, { 'src/a.ts': '', 'CLAUDE.md': '# Notes\n' }), []);
    assert.deepEqual(detect(noAgentGuide, { 'src/a.ts': '', '.github/copilot-instructions.md': 'x' }), []);
    assert.deepEqual(detect(noAgentGuide, { 'README.md': '# docs only\n' }), []);
  });
});

describe('dx/broken-manifest', () => {
  it('reports each recon problem at its file and line with HIGH confidence and a parse check', () => {
    const findings = detect(
      brokenManifest,
      { 'package.json': '{\n  "name": "a",\n  "scripts": {,}\n}\n' },
      {
        problems: [
          { path: 'package.json', line: 3, message: 'Unexpected token , in JSON' },
          { path: 'gone.toml', message: 'unreadable' },
        ],
      },
    );
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['package.json', 3, 'HIGH'],
        [undefined, undefined, 'HIGH'],
      ],
    );
    assert.match(findings[0]?.doneCheck ?? '', /^node -e .*JSON\.parse/);
  });
});
