import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { enclosingProject } from '../../src/recon/enclosing-project.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';

describe('recon/enclosing-project', () => {
  it("collects what the folders above provide, with the nearest package.json's scripts run from there", (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writeTree(temp.dir, {
      'package.json': JSON.stringify({ private: true, scripts: { test: 'turbo test', lint: 'biome check' } }),
      'yarn.lock': '',
      'CLAUDE.md': '# Guide\n',
      '.circleci/config.yml': 'version: 2.1\n',
      'apps/README.md': '# Apps\n',
      // No scripts here: the commands come from the root.
      'apps/package.json': JSON.stringify({ name: 'apps' }),
      'apps/web/src/index.ts': 'export {};\n',
    });
    const web = path.join(temp.dir, 'apps/web');
    assert.deepEqual(enclosingProject(web, temp.dir), {
      root: '../..',
      lockfiles: ['../../yarn.lock'],
      readme: '../README.md',
      agentGuide: '../../CLAUDE.md',
      ciFiles: ['../../.circleci/config.yml'],
      commands: [
        {
          kind: 'test',
          run: 'cd ../.. && yarn test',
          source: '../../package.json scripts.test',
          language: 'javascript',
        },
        {
          kind: 'lint',
          run: 'cd ../.. && yarn lint',
          source: '../../package.json scripts.lint',
          language: 'javascript',
        },
      ],
    });
  });

  it("takes a Makefile's targets, else pytest where it is configured, each kind from the nearest folder", (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writeTree(temp.dir, {
      'pyproject.toml': '[project]\nname = "shop"\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n',
      'src/shop/__init__.py': '',
      'tools/Makefile': 'lint:\n\truff check .\n',
      'tools/gen/main.py': 'print(1)\n',
    });
    assert.deepEqual(enclosingProject(path.join(temp.dir, 'src/shop'), temp.dir)?.commands, [
      { kind: 'test', run: 'cd ../.. && pytest', source: '../../pyproject.toml', language: 'python' },
    ]);
    // Each kind from the nearest folder that defines it.
    assert.deepEqual(enclosingProject(path.join(temp.dir, 'tools/gen'), temp.dir)?.commands, [
      { kind: 'lint', run: 'cd .. && make lint', source: '../Makefile:1' },
      { kind: 'test', run: 'cd ../.. && pytest', source: '../../pyproject.toml', language: 'python' },
    ]);
  });

  it('is undefined for the repository root and for a folder nothing above provides for', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writeTree(temp.dir, { 'package.json': '{}', 'tools/gen/index.js': 'module.exports = 1;\n' });
    assert.equal(enclosingProject(temp.dir, temp.dir), undefined);
    assert.equal(enclosingProject(path.join(temp.dir, 'tools/gen'), temp.dir), undefined);
  });
});
