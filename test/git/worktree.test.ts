import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { listWorktrees } from '../../src/git/worktree.ts';
import { makeRepo } from '../helpers/repo.ts';

const WORKTREE_MODULE = path.resolve(import.meta.dirname, '../../src/git/worktree.ts');

/** A separate node process that adds `count` worktrees one after another; resolves to its exit code and stderr. */
function adder(root: string, name: string, count: number): Promise<{ code: number | null; stderr: string }> {
  const script = [
    `const { addWorktree } = await import(${JSON.stringify(WORKTREE_MODULE)});`,
    `for (let i = 0; i < ${count}; i += 1) {`,
    `  await addWorktree(${JSON.stringify(root)}, ${JSON.stringify(root)} + '/.git/improve/worktrees/${name}-' + i, 'improve/${name}-' + i, 'HEAD');`,
    '}',
  ].join('\n');
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('worktrees added by several processes at once', () => {
  it('are all added: each waits for the shared lock instead of reading a half-written one', async (t) => {
    const repo = makeRepo({ 'README.md': '# x\n' });
    t.after(repo.dispose);
    // Plain `git worktree add` run this way fails now and then with "failed to read
    // .git/worktrees/<other>/commondir" (about 3 in 40 here).
    const runs = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((name) => adder(repo.dir, name, 4)));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const branches = (await listWorktrees(repo.dir))
      .flatMap((worktree) => worktree.branch ?? [])
      .filter((branch) => branch.startsWith('improve/'));
    assert.equal(branches.length, 24);
    assert.equal(new Set(branches).size, 24);
  });
});
