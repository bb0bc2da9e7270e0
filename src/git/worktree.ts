/**
 * Disposable worktrees for executors and checks. These are the only git calls that write: they
 * add worktrees and `improve/…` branches, never touch the user's working tree, index or branches.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
// Imported at start-up on purpose, not on first use: its signal-exit adds a SIGINT listener when it
// loads, and that listener must come before the CLI's own (cli/interrupt.ts), which removes itself
// on the first Ctrl-C; registered after it, signal-exit would see itself alone and re-raise the
// signal, killing the process before it records the interrupted plan (test/execute/reliability).
import lockfile from 'proper-lockfile';
import { EnvironmentError, hasErrorCode } from '../core/errors.ts';
import { GitError } from './git-error.ts';
import { gitOutput, runGit } from './run-git.ts';

/** The prefix of every branch improve creates; the only branches it will ever delete. */
export const IMPROVE_BRANCH_PREFIX = 'improve/';

export interface WorktreeInfo {
  /** Absolute path. */
  path: string;
  head?: string;
  /** Short branch name, e.g. `improve/003-fix`; undefined when detached. */
  branch?: string;
  /** git no longer finds the folder (deleted by hand). */
  prunable: boolean;
}

/** Hooks of the user's repository do not run for improve's own worktree bookkeeping. */
const NO_HOOKS = ['-c', 'core.hooksPath=/dev/null'];

async function must(dir: string, args: readonly string[]): Promise<string> {
  return gitOutput(dir, args);
}

/** The directory shared by all worktrees of the repository (usually `<root>/.git`), absolute. */
export async function gitCommonDir(root: string): Promise<string> {
  const out = (await must(root, ['rev-parse', '--git-common-dir'])).trim();
  return path.resolve(root, out);
}

/**
 * Worktree changes take locks in the shared repository (refs, worktree admin files), and
 * `git worktree add` reads every other worktree's admin files, which a concurrent add may have
 * half written ("failed to read .git/worktrees/…/commondir"). So they run one at a time: one after
 * another within this process (execute --all), and under a lock file in the shared repository
 * across processes (two `improve execute` at once).
 */
let worktreeQueue: Promise<unknown> = Promise.resolve();
function serially<T>(root: string, work: () => Promise<T>): Promise<T> {
  const locked = () => acrossProcesses(root, work);
  const next = worktreeQueue.then(locked, locked);
  worktreeQueue = next.catch(() => undefined);
  return next;
}

/** How long another process may hold the worktree lock before it counts as abandoned. */
const STALE_LOCK_MS = 30_000;

async function acrossProcesses<T>(root: string, work: () => Promise<T>): Promise<T> {
  const dir = path.join(await gitCommonDir(root), 'improve');
  await mkdir(dir, { recursive: true });
  const lockPath = path.join(dir, 'worktrees.lock');
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, {
      lockfilePath: lockPath,
      realpath: false,
      stale: STALE_LOCK_MS,
      // Poll for up to about a minute: other holders only add or remove one worktree.
      retries: { retries: 1200, factor: 1, minTimeout: 25, maxTimeout: 50, randomize: true },
    });
  } catch (error) {
    if (!hasErrorCode(error, 'ELOCKED')) throw error;
    throw new EnvironmentError(
      `Another improve run has held the worktree lock (${lockPath}) for over a minute.`,
      'Wait for that run to finish. If none is running, the lock goes stale after 30 seconds.',
    );
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined); // a lock taken over as stale is no longer ours to free
  }
}

/** Add a worktree at `dir` on a new branch `branch` starting at `base`. */
export async function addWorktree(root: string, dir: string, branch: string, base: string): Promise<void> {
  if (base.startsWith('-') || branch.startsWith('-')) throw new GitError(['worktree', 'add'], 128, 'bad ref');
  await serially(root, () => must(root, [...NO_HOOKS, 'worktree', 'add', '-q', '-b', branch, dir, base]));
}

/** Add a worktree at `dir` with `rev` checked out detached (for checks at a commit). */
export async function addDetachedWorktree(root: string, dir: string, rev: string): Promise<void> {
  if (rev.startsWith('-')) throw new GitError(['worktree', 'add'], 128, `invalid revision "${rev}"`);
  await serially(root, () => must(root, [...NO_HOOKS, 'worktree', 'add', '-q', '--detach', dir, rev]));
}

/** Remove a worktree (and its folder), even with changes in it; forget it if the folder is gone. */
export async function removeWorktree(root: string, dir: string): Promise<void> {
  const result = await serially(root, () => runGit(root, ['worktree', 'remove', '--force', '--force', dir]));
  if (result.status !== 0) await serially(root, () => runGit(root, ['worktree', 'prune']));
}

/** Whether git ignores `file` (a path relative to `dir`, which need not exist) in the work tree at `dir`. */
export async function isIgnored(dir: string, file: string): Promise<boolean> {
  return (await runGit(dir, ['check-ignore', '-q', '--no-index', '--', file])).status === 0;
}

/** Every worktree git knows about, the main one first. */
export async function listWorktrees(root: string): Promise<WorktreeInfo[]> {
  const out = await must(root, ['worktree', 'list', '--porcelain']);
  const worktrees: WorktreeInfo[] = [];
  let current: WorktreeInfo | undefined;
  for (const line of out.split('\n')) {
    if (line.startsWith('worktree ')) {
      current = { path: path.resolve(line.slice('worktree '.length)), prunable: false };
      worktrees.push(current);
    } else if (current && line.startsWith('HEAD ')) {
      current.head = line.slice('HEAD '.length);
    } else if (current && line.startsWith('branch ')) {
      current.branch = line.slice('branch '.length).replace(/^refs\/heads\//, '');
    } else if (current && line.startsWith('prunable')) {
      current.prunable = true;
    }
  }
  return worktrees;
}

/** Whether a local branch exists. */
export async function branchExists(root: string, branch: string): Promise<boolean> {
  if (branch.startsWith('-')) return false;
  return (await runGit(root, ['show-ref', '-q', '--verify', `refs/heads/${branch}`])).status === 0;
}

/** Delete one of improve's own branches. Refuses any branch outside `improve/`. */
export async function deleteImproveBranch(root: string, branch: string): Promise<void> {
  if (!branch.startsWith(IMPROVE_BRANCH_PREFIX) || branch.includes('..')) {
    throw new GitError(['branch', '-D', branch], undefined, 'improve only deletes its own improve/ branches');
  }
  await must(root, ['branch', '-D', branch]);
}
