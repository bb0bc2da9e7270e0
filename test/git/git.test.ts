import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { EnvironmentError } from '../../src/core/errors.ts';
import { changedPaths, commitAll, isLeftOver, uncommittedPaths } from '../../src/git/changes.ts';
import { churnOf, type Git, openGit, probeGit } from '../../src/git/git.ts';
import { GitError } from '../../src/git/git-error.ts';
import { git, makeRepo, tempDir } from '../helpers/repo.ts';

async function open(dir: string): Promise<Git> {
  const handle = await openGit(dir);
  assert.ok(handle, 'expected a git work tree');
  return handle;
}

test('openGit returns undefined outside a work tree and a handle inside one', async (t) => {
  const plain = tempDir();
  const repo = makeRepo({ 'a.txt': 'a\n' });
  t.after(() => {
    plain.dispose();
    repo.dispose();
  });
  assert.equal(await openGit(plain.dir), undefined);
  const handle = await open(repo.dir);
  assert.equal(handle.root, realpathSync(repo.dir));
  assert.match((await handle.head()) ?? '', /^[0-9a-f]{40}$/);
  assert.equal(await handle.currentBranch(), 'main');
});

test('a missing git binary is an EnvironmentError from openGit and a value from probeGit', async (t) => {
  const repo = makeRepo({ 'a.txt': 'a\n' });
  t.after(repo.dispose);
  const binary = path.join(repo.dir, 'no-such-git');
  await assert.rejects(openGit(repo.dir, { binary }), (error) => {
    assert.ok(error instanceof EnvironmentError);
    assert.equal(error.exitCode, 3);
    assert.match(error.message, /git is not installed/);
    return true;
  });
  assert.equal((await probeGit(repo.dir, { binary })).kind, 'not-installed');
});

test('a repository without commits has no HEAD but a branch and no history', async (t) => {
  const temp = tempDir();
  t.after(temp.dispose);
  git(temp.dir, 'init', '-q', '-b', 'trunk');
  writeFileSync(path.join(temp.dir, 'new.txt'), 'new\n');
  const handle = await open(temp.dir);
  assert.equal(await handle.head(), undefined);
  assert.equal(await handle.currentBranch(), 'trunk');
  assert.equal(await handle.defaultBranch(), 'trunk');
  assert.deepEqual(await handle.recentCommits(500), []);
  assert.deepEqual(await handle.listFiles(), ['new.txt']);
});

test('defaultBranch prefers main, then master, over the current branch', async (t) => {
  const repo = makeRepo({ 'a.txt': 'a\n' });
  t.after(repo.dispose);
  git(repo.dir, 'checkout', '-q', '-b', 'feature');
  const handle = await open(repo.dir);
  assert.equal(await handle.currentBranch(), 'feature');
  assert.equal(await handle.defaultBranch(), 'main');
  git(repo.dir, 'branch', '-q', '-m', 'main', 'master');
  assert.equal(await handle.defaultBranch(), 'master');
});

test('the handle knows HEAD as it was opened: commit and branch, no branch when detached', async (t) => {
  const repo = makeRepo({ 'a.txt': 'a\n' });
  t.after(repo.dispose);
  // A file named HEAD must not make the revision ambiguous.
  writeFileSync(path.join(repo.dir, 'HEAD'), 'not a ref\n');
  git(repo.dir, 'checkout', '-q', '-b', 'feature/x');
  const head = git(repo.dir, 'rev-parse', 'HEAD').trim();
  assert.deepEqual((await open(repo.dir)).opened, { head, branch: 'feature/x' });
  git(repo.dir, 'checkout', '-q', '--detach');
  assert.deepEqual((await open(repo.dir)).opened, { head, branch: undefined });
  const unborn = tempDir();
  t.after(unborn.dispose);
  git(unborn.dir, 'init', '-q', '-b', 'trunk');
  const fresh = await open(unborn.dir);
  assert.equal(fresh.opened, undefined);
  assert.equal(fresh.root, realpathSync(unborn.dir));
});

test('defaultBranch follows origin/HEAD to the remote default branch', async (t) => {
  const upstream = makeRepo({ 'a.txt': 'a\n' });
  const clones = tempDir();
  t.after(() => {
    upstream.dispose();
    clones.dispose();
  });
  git(upstream.dir, 'branch', '-q', '-m', 'main', 'develop');
  git(clones.dir, 'clone', '-q', upstream.dir, 'work');
  const work = path.join(clones.dir, 'work');
  git(work, 'checkout', '-q', '-b', 'topic');
  assert.equal(await (await open(work)).defaultBranch(), 'develop');
  // Without origin/HEAD, a local main (then master) is the default.
  git(work, 'remote', 'set-head', 'origin', '--delete');
  git(work, 'branch', '-q', 'master');
  assert.equal(await (await open(work)).defaultBranch(), 'master');
});

test('listFiles honours root and nested .gitignore and includes untracked files', async (t) => {
  const repo = makeRepo({
    '.gitignore': 'secret.txt\n',
    'src/.gitignore': '*.log\n',
    'src/app.ts': 'export {};\n',
    'src/debug.log': 'x\n',
    'secret.txt': 'x\n',
  });
  t.after(repo.dispose);
  writeFileSync(path.join(repo.dir, 'untracked.ts'), 'export {};\n');
  const files = (await (await open(repo.dir)).listFiles()).sort();
  assert.deepEqual(files, ['.gitignore', 'src/.gitignore', 'src/app.ts', 'untracked.ts']);
});

test('commit subjects are newest first and churn counts commits per existing file', async (t) => {
  const repo = makeRepo(
    { 'hot.ts': '1\n', 'warm.ts': '1\n', 'gone.ts': '1\n' },
    {
      message: 'first',
      commits: [
        { message: 'second', files: { 'hot.ts': '2\n', 'warm.ts': '2\n', 'gone.ts': '2\n' } },
        { message: 'third', files: { 'hot.ts': '3\n' } },
      ],
    },
  );
  t.after(repo.dispose);
  git(repo.dir, 'rm', '-q', 'gone.ts');
  git(repo.dir, 'commit', '-q', '-m', 'fourth');
  const handle = await open(repo.dir);
  assert.deepEqual(await handle.recentCommits(2), [
    { subject: 'fourth', files: ['gone.ts'] },
    { subject: 'third', files: ['hot.ts'] },
  ]);
  const listed = new Set(await handle.listFiles());
  assert.deepEqual(
    churnOf(await handle.recentCommits(500), (file) => listed.has(file)),
    [
      { path: 'hot.ts', commits: 3 },
      { path: 'warm.ts', commits: 2 },
    ],
  );
});

test('mergeBase, isAncestor, changedFiles and diffHunks describe a branch against its base', async (t) => {
  const repo = makeRepo({ 'a.ts': 'one\ntwo\nthree\n', 'b.ts': 'b\n', 'c.ts': 'c\n' });
  t.after(repo.dispose);
  const handle = await open(repo.dir);
  const base = await handle.head();
  assert.ok(base);
  git(repo.dir, 'checkout', '-q', '-b', 'feature');
  writeFileSync(path.join(repo.dir, 'a.ts'), 'one\nTWO\nthree\nfour\n');
  git(repo.dir, 'rm', '-q', 'c.ts');
  git(repo.dir, 'commit', '-q', '-am', 'change a, drop c');
  writeFileSync(path.join(repo.dir, 'b.ts'), 'b\nb2\n');
  writeFileSync(path.join(repo.dir, 'new.ts'), 'n1\nn2\n');

  assert.equal(await handle.mergeBase('main', 'feature'), base);
  assert.equal(await handle.isAncestor('main', 'feature'), true);
  assert.equal(await handle.isAncestor('feature', 'main'), false);
  assert.equal(await handle.revExists(base), true);
  assert.equal(await handle.revExists('0000000000000000000000000000000000000000'), false);
  assert.equal(await handle.revExists('--output=x'), false);
  assert.deepEqual(await handle.changedFiles(base), ['a.ts', 'b.ts', 'new.ts']);
  assert.deepEqual(await handle.diffHunks(base), [
    { file: 'a.ts', startLine: 2, endLine: 2 },
    { file: 'a.ts', startLine: 4, endLine: 4 },
    { file: 'b.ts', startLine: 2, endLine: 2 },
    { file: 'new.ts', startLine: 1, endLine: 2 },
  ]);
  assert.equal(await handle.readFileAt(base, 'a.ts'), 'one\ntwo\nthree\n');
  assert.equal(await handle.readFileAt(base, 'missing.ts'), undefined);
});

test('diffHunks counts only the edits of a moved file, not the lines it brought along', async (t) => {
  const body = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n');
  const repo = makeRepo({ 'src/run.ts': `${body}\n`, 'src/keep.ts': `${body}\n` });
  t.after(repo.dispose);
  const handle = await open(repo.dir);
  const base = await handle.head();
  assert.ok(base);
  git(repo.dir, 'checkout', '-q', '-b', 'move');
  mkdirSync(path.join(repo.dir, 'src/tools'));
  git(repo.dir, 'mv', 'src/run.ts', 'src/tools/run.ts');
  git(repo.dir, 'mv', 'src/keep.ts', 'src/tools/keep.ts');
  writeFileSync(path.join(repo.dir, 'src/tools/keep.ts'), `${body.replace('line 5', 'LINE 5')}\n`);
  git(repo.dir, 'commit', '-q', '-am', 'move both, edit one');
  assert.deepEqual(await handle.changedFiles(base, 'HEAD'), ['src/tools/keep.ts', 'src/tools/run.ts']);
  assert.deepEqual(await handle.diffHunks(base), [{ file: 'src/tools/keep.ts', startLine: 5, endLine: 5 }]);
});

test('an unknown revision is a GitError, not a crash', async (t) => {
  const repo = makeRepo({ 'a.txt': 'a\n' });
  t.after(repo.dispose);
  const handle = await open(repo.dir);
  await assert.rejects(handle.mergeBase('main', 'no-such-branch'), GitError);
  await assert.rejects(handle.changedFiles('-rf'), GitError);
});

test('git never takes the index lock, so it does not touch the repository', async (t) => {
  const repo = makeRepo({ 'a.txt': 'a\n' });
  t.after(repo.dispose);
  writeFileSync(path.join(repo.dir, '.git', 'index.lock'), '');
  const handle = await open(repo.dir);
  assert.deepEqual(await handle.listFiles(), ['a.txt']);
  assert.deepEqual(await handle.changedFiles('HEAD'), []);
});

test("what the plan's commands leave behind is no change: status, diff, commit and a branch's uncommitted files agree", async (t) => {
  const repo = makeRepo({ 'src/a.py': 'x = 1\n' });
  t.after(repo.dispose);
  const write = (file: string) => {
    mkdirSync(path.dirname(path.join(repo.dir, file)), { recursive: true });
    writeFileSync(path.join(repo.dir, file), 'left over\n');
  };
  for (const file of [
    'node_modules/lodash/index.js',
    'src/__pycache__/a.cpython-311.pyc',
    'src/a.pyc',
    '.pytest_cache/v/cache/lastfailed',
  ])
    write(file);
  write('src/b.py');
  assert.deepEqual(await uncommittedPaths(repo.dir), ['src/b.py']);
  assert.deepEqual(
    (await changedPaths(repo.dir, 'HEAD')).map((change) => change.path),
    ['src/b.py'],
  );
  await commitAll(repo.dir, 'attempt');
  assert.deepEqual(git(repo.dir, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n'), [
    'src/b.py',
  ]);
  assert.equal(isLeftOver('lib/node_modules.js'), false);
});
