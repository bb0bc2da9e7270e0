import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanedOutputs } from '../../src/recon/cleaned-outputs.ts';
import { recon } from '../../src/recon/recon.ts';
import { makeRepo } from '../helpers/repo.ts';

const manifest = (scripts: Record<string, string>, at = 'package.json') => ({
  path: at,
  text: JSON.stringify({ name: 'x', scripts }),
});

describe('folders a package script deletes', () => {
  it('are build output: bull regenerates lib/scripts from its Lua commands', () => {
    assert.deepEqual(
      cleanedOutputs(
        [
          manifest({
            'clean:scripts': 'rimraf rawScripts lib/scripts',
            prebuild: 'npx rimraf ./dist && tsc',
            wipe: 'rm -rf node_modules coverage',
          }),
          manifest({ clean: 'shx rm -rf build/' }, 'packages/ui/package.json'),
        ],
        [
          { path: 'lib/scripts/addJob-6.js' },
          { path: 'lib/queue.js' },
          { path: 'dist/index.js' },
          { path: 'node_modules/a/index.js' },
          { path: 'packages/ui/build/index.js' },
        ],
      ),
      [
        { path: 'dist', reason: 'build-output' },
        { path: 'lib/scripts', reason: 'build-output' },
        { path: 'packages/ui/build', reason: 'build-output' },
      ],
    );
  });

  it('are not read from globs, a plain rm, the root, paths outside, or folders that hold no file', () => {
    assert.deepEqual(
      cleanedOutputs(
        [
          manifest({
            a: 'rimraf "src/**/*.js"',
            b: 'rm lib/old.js',
            c: 'rimraf .',
            d: 'rimraf ../shared',
            e: 'rimraf empty',
            f: 'echo rimraf lib',
            g: 'rm -rf $OUT',
          }),
        ],
        [{ path: 'src/a.js' }, { path: 'lib/old.js' }, { path: 'lib/a.js' }],
      ),
      [],
    );
  });

  it('are left out of the audit and listed as skipped by recon', async () => {
    const repo = makeRepo({
      'package.json': JSON.stringify({ name: 'q', scripts: { 'clean:scripts': 'rimraf lib/scripts' } }),
      'lib/queue.js': "module.exports = require('./scripts/addJob.js');\n",
      'lib/scripts/addJob.js': 'module.exports = { content: `local x = 1` };\n',
    });
    try {
      const profile = await recon(repo.dir);
      assert.deepEqual(
        profile.files.map((f) => f.path).filter((p) => p.startsWith('lib/')),
        ['lib/queue.js'],
      );
      assert.ok(profile.skipped.some((s) => s.path === 'lib/scripts' && s.reason === 'build-output'));
    } finally {
      repo.dispose();
    }
  });
});
