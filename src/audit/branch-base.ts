/**
 * Where a branch stands against its base: which ref it is compared with, the merge-base, how many
 * commits it is ahead, and which files and lines it added or changed.
 */
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import type { DiffHunk } from '../git/diff-hunks.ts';
import type { Git } from '../git/git.ts';

export interface BranchBase {
  /** The ref compared with, e.g. `origin/main`. */
  ref: string;
  /** The branch it stands for, e.g. `main`. */
  name: string;
  /** How it was chosen: `--base`, the remote's default branch, or `main`/`master`. */
  source: 'option' | 'origin-head' | 'fallback';
}

export interface BranchDiff {
  /** The checked-out branch; undefined on a detached HEAD (as in CI). */
  branch?: string;
  head: string;
  base: BranchBase;
  mergeBase: string;
  commitsAhead: number;
  /** Files added or modified since the merge-base (deletions left out), sorted. */
  changed: string[];
  /** Added or changed lines, on the working tree's side. */
  hunks: DiffHunk[];
  includeUncommitted: boolean;
  /**
   * When the audited folder is a subfolder of the repository: files the branch added or modified
   * outside it (relative to the repository's top level), which the branch audit does not see.
   */
  outside: string[];
}

export type BranchState =
  | { kind: 'default-branch'; branch: string; base: BranchBase }
  /** Nothing to audit: no commits ahead, or commits that only delete files. */
  | { kind: 'not-ahead'; branch?: string; base: BranchBase; commitsAhead: number; outside: string[] }
  | ({ kind: 'ahead' } & BranchDiff);

export interface ReadBranchOptions {
  /** The base ref (`--base`); default: the remote's default branch, else `main`, else `master`. */
  base?: string;
  /** Count uncommitted and untracked changes as the branch's (`--include-uncommitted`). */
  includeUncommitted?: boolean;
  /**
   * Called once the branch is known not to be the base itself, before the comparison's git calls:
   * a caller can start work that only a comparison needs while git runs.
   */
  onCompare?: () => void;
  /**
   * HEAD's commit and branch as the caller has just read them (`git.opened` of a handle opened
   * for this call), to save asking git again; by default git is asked.
   */
  head?: { head: string; branch: string | undefined };
}

async function firstExisting(git: Git, names: readonly string[]): Promise<BranchBase | undefined> {
  for (const name of names) {
    for (const ref of [`origin/${name}`, name]) {
      if (await git.revExists(ref)) return { ref, name, source: 'fallback' };
    }
  }
  return undefined;
}

/** `--base`, else `origin/HEAD`'s branch, else `main` or `master` (remote-tracking ref first). */
async function resolveBase(git: Git, requested: string | undefined, current?: string): Promise<BranchBase> {
  if (requested !== undefined) {
    if (!(await git.revExists(requested))) {
      throw new UsageError(
        `--base ${requested}: no such branch or commit in this repository`,
        'Check the name with `git branch -a`. In CI, fetch the base first (actions/checkout with fetch-depth: 0).',
      );
    }
    return { ref: requested, name: requested.replace(/^origin\//, ''), source: 'option' };
  }
  const [preferred, fromOrigin] = await Promise.all([git.defaultBranch(), git.revExists('origin/HEAD')]);
  if (preferred && fromOrigin) {
    const found = await firstExisting(git, [preferred]);
    if (found) return { ...found, source: 'origin-head' };
  }
  const found = await firstExisting(git, ['main', 'master']);
  if (found) return found;
  // No remote default and no main/master: the branch git calls the default is the current one.
  if (preferred && preferred === current) return { ref: preferred, name: preferred, source: 'fallback' };
  throw new UsageError(
    'no base branch to compare with: there is no origin/HEAD, main or master',
    'Name the base with --base REF, e.g. `improve branch --base origin/develop`.',
  );
}

/** Compare HEAD with its base. Throws UsageError for a bad `--base` or unrelated histories. */
export async function readBranch(git: Git, options: ReadBranchOptions = {}): Promise<BranchState> {
  const [head, current] = options.head
    ? [options.head.head, options.head.branch]
    : await Promise.all([git.head(), git.currentBranch()]);
  if (!head) {
    throw new UsageError(
      'the repository has no commits yet, so there is no branch to compare',
      'Commit first.',
    );
  }
  const base = await resolveBase(git, options.base, current);
  const onBranch = current === undefined ? {} : { branch: current };
  if (options.base === undefined && current === base.name)
    return { kind: 'default-branch', branch: current, base };
  options.onCompare?.();
  const mergeBase = await git.mergeBase(base.ref, 'HEAD');
  if (!mergeBase) {
    // A shallow clone (actions/checkout's default depth of 1) has the two tips but not the commit
    // they share: the history is there upstream, only not fetched.
    if (await git.isShallow()) {
      throw new UsageError(
        `HEAD and ${base.ref} share no history in this shallow clone: the commit they share was not fetched`,
        'Fetch the history first: `git fetch --unshallow` (or `git fetch --deepen=N`), or in GitHub Actions check out with `fetch-depth: 0`.',
      );
    }
    throw new UsageError(
      `HEAD and ${base.ref} share no history, so there is no merge-base to compare with`,
      'Pass the branch this work started from with --base REF.',
    );
  }
  const includeUncommitted = options.includeUncommitted === true;
  // Line numbers come from the working tree, which is what the detectors read.
  const prefix = path.relative(git.root, git.dir).split(path.sep).join('/');
  const [commitsAhead, changed, allHunks, everywhere] = await Promise.all([
    git.countCommits(mergeBase, 'HEAD'),
    includeUncommitted ? git.changedFiles(mergeBase) : git.changedFiles(mergeBase, 'HEAD'),
    git.diffHunks(mergeBase),
    prefix === ''
      ? Promise.resolve([])
      : includeUncommitted
        ? git.changedFilesInRepository(mergeBase)
        : git.changedFilesInRepository(mergeBase, 'HEAD'),
  ]);
  const outside = everywhere.filter((file) => !file.startsWith(`${prefix}/`));
  if (changed.length === 0 || (commitsAhead === 0 && !includeUncommitted)) {
    return { kind: 'not-ahead', ...onBranch, base, commitsAhead, outside };
  }
  const inChanged = new Set(changed);
  const hunks = allHunks.filter((hunk) => inChanged.has(hunk.file));
  return {
    kind: 'ahead',
    ...onBranch,
    head,
    base,
    mergeBase,
    commitsAhead,
    changed,
    hunks,
    includeUncommitted,
    outside,
  };
}
