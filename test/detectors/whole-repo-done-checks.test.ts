import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runDetectors } from '../../src/audit/run-detectors.ts';
import { staleDocReference } from '../../src/detectors/docs/stale-doc-reference.ts';
import { undocumentedEnv } from '../../src/detectors/dx/undocumented-env.ts';
import { circularImport } from '../../src/detectors/tech-debt/circular-import.ts';
import { unusedDependency } from '../../src/detectors/tech-debt/unused-dependency.ts';
import { unusedFile } from '../../src/detectors/tech-debt/unused-file.ts';
import type { RepoDetector } from '../../src/detectors/types.ts';
import { profileFor } from '../helpers/detector.ts';
import { type FileTree, tempDir, writeTree } from '../helpers/repo.ts';

function status(command: string, cwd: string): number {
  return spawnSync('sh', ['-c', command], { cwd, stdio: 'ignore' }).status ?? -1;
}

/** The detector's doneCheck fails on `files` and passes once `fix` ran. */
function assertDoneCheck(detector: RepoDetector, files: FileTree, fix: (dir: string) => void): void {
  const temp = tempDir('improve-done-');
  try {
    writeTree(temp.dir, files);
    const result = runDetectors(profileFor(temp.dir, files), [detector], { level: 'deep', focus: [] });
    assert.deepEqual(result.errors, []);
    const [finding] = result.findings;
    assert.ok(finding?.doneCheck, `${detector.id} reports a finding with a doneCheck`);
    assert.notEqual(status(finding.doneCheck, temp.dir), 0, `${detector.id}: fails while present`);
    fix(temp.dir);
    assert.equal(
      status(finding.doneCheck, temp.dir),
      0,
      `${detector.id}: passes once fixed: ${finding.doneCheck}`,
    );
  } finally {
    temp.dispose();
  }
}

const PACKAGE = (deps: Record<string, string>) =>
  JSON.stringify({ name: 'app', private: true, main: 'src/index.js', dependencies: deps }, null, 2);

describe('whole-repository detector doneChecks', () => {
  it('circular import: passes once one import of the cycle is gone', () => {
    assertDoneCheck(
      circularImport,
      {
        'src/a.js': "import { b } from './b.js';\nexport const a = () => b();\n",
        'src/b.js': "import { a } from './a.js';\nexport const b = () => a;\n",
      },
      (dir) => writeFileSync(path.join(dir, 'src/b.js'), 'export const b = () => 1;\n'),
    );
  });

  it('unused file: passes once the file is deleted', () => {
    assertDoneCheck(
      unusedFile,
      {
        'package.json': PACKAGE({}),
        'src/index.js': "import { used } from './lib/used.js';\nused();\n",
        'src/lib/used.js': 'export const used = () => 1;\n',
        'src/lib/forgotten.js': 'export const forgotten = () => 2;\n',
      },
      (dir) => rmSync(path.join(dir, 'src/lib/forgotten.js')),
    );
  });

  it('unused file: also passes once something imports it', () => {
    assertDoneCheck(
      unusedFile,
      {
        'package.json': PACKAGE({}),
        'src/index.js': "import { used } from './lib/used.js';\nused();\n",
        'src/lib/used.js': 'export const used = () => 1;\n',
        'src/lib/forgotten.js': 'export const forgotten = () => 2;\n',
      },
      (dir) =>
        writeFileSync(
          path.join(dir, 'src/lib/used.js'),
          "import { forgotten } from './forgotten.js';\nexport const used = () => forgotten();\n",
        ),
    );
  });

  it('unused dependency: passes once it is removed from package.json', () => {
    assertDoneCheck(
      unusedDependency,
      {
        'package.json': PACKAGE({ express: '^4', moment: '^2' }),
        'src/index.js': "import express from 'express';\n",
      },
      (dir) => writeFileSync(path.join(dir, 'package.json'), PACKAGE({ express: '^4' })),
    );
  });

  it('undocumented environment variables: passes once .env.example lists them', () => {
    assertDoneCheck(
      undocumentedEnv,
      {
        'src/index.js':
          'export const url = process.env.DATABASE_URL;\nexport const key = process.env.API_KEY;\n',
      },
      (dir) => writeFileSync(path.join(dir, '.env.example'), 'DATABASE_URL=\nAPI_KEY=\n'),
    );
  });

  it('stale documentation: passes once the README stops naming the missing export', () => {
    assertDoneCheck(
      staleDocReference,
      {
        'package.json': JSON.stringify({ name: 'kit', main: 'src/index.js' }),
        'src/index.js': 'export function connect() {}\n',
        'README.md': "```js\nimport { connect, legacyConnect } from 'kit';\n```\n",
      },
      (dir) => writeFileSync(path.join(dir, 'README.md'), "```js\nimport { connect } from 'kit';\n```\n"),
    );
  });
});
