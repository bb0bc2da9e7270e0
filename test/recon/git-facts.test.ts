import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { recon } from '../../src/recon/recon.ts';
import { git, makeRepo, tempDir, writeTree } from '../helpers/repo.ts';

test('git facts: HEAD, branch, default branch and hotspots ordered by commit count', async (t) => {
  const repo = makeRepo(
    { 'src/hot.ts': '1\n', 'src/warm.ts': '1\n', 'src/cold.ts': '1\n', 'README.md': '# r\n' },
    {
      commits: [
        { message: 'fix: a', files: { 'src/hot.ts': '2\n', 'src/warm.ts': '2\n', 'README.md': '# r2\n' } },
        { message: 'fix: b', files: { 'src/hot.ts': '3\n', 'README.md': '# r3\n' } },
      ],
    },
  );
  t.after(repo.dispose);
  git(repo.dir, 'checkout', '-q', '-b', 'feature');
  const profile = await recon(repo.dir);
  assert.equal(profile.git.available, true);
  assert.equal(profile.git.reason, undefined);
  assert.equal(profile.git.head, git(repo.dir, 'rev-parse', 'HEAD').trim());
  assert.equal(profile.git.branch, 'feature');
  assert.equal(profile.git.defaultBranch, 'main');
  assert.deepEqual(profile.git.hotspots, [
    { path: 'src/hot.ts', commits: 3 },
    { path: 'src/warm.ts', commits: 2 },
    { path: 'src/cold.ts', commits: 1 },
  ]);
});

test('an empty repository (git init, no commits) works: files listed, no HEAD', async (t) => {
  const temp = tempDir();
  t.after(temp.dispose);
  git(temp.dir, 'init', '-q', '-b', 'main');
  writeTree(temp.dir, { 'index.ts': 'export {};\n', '.gitignore': 'tmp/\n', 'tmp/x.ts': 'x\n' });
  const profile = await recon(temp.dir);
  assert.deepEqual(
    profile.files.map((file) => file.path),
    ['.gitignore', 'index.ts'],
  );
  assert.deepEqual(profile.git, {
    available: false,
    reason: 'repository has no commits yet',
    branch: 'main',
    defaultBranch: 'main',
    hotspots: [],
  });
  assert.equal(profile.conventions.commitStyle.kind, 'unknown');
});

test('recon works when git is not installed, walking the files itself', async (t) => {
  const repo = makeRepo({ '.gitignore': 'ignored.ts\n', 'a.ts': 'export {};\n', 'ignored.ts': 'x\n' });
  t.after(repo.dispose);
  const profile = await recon(repo.dir, { git: { binary: path.join(repo.dir, 'no-such-git') } });
  assert.deepEqual(
    profile.files.map((file) => file.path),
    ['.gitignore', 'a.ts'],
  );
  assert.deepEqual(profile.git, { available: false, reason: 'git is not installed', hotspots: [] });
});
