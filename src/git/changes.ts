/**
 * What an attempt changed in its worktree, relative to the commit it started from: committed and
 * uncommitted edits, new untracked files and deletions alike.
 */
import { GitError } from './git-error.ts';
import { gitOutput, runGit } from './run-git.ts';

export type ChangeKind = 'added' | 'modified' | 'deleted';

export interface PathChange {
  path: string;
  change: ChangeKind;
}

function splitNul(output: string): string[] {
  return output.split('\0').filter((entry) => entry !== '');
}

function assertRev(rev: string): void {
  if (rev.startsWith('-') || rev.trim() === '')
    throw new GitError(['diff', rev], 128, `invalid revision "${rev}"`);
}

const KINDS: Record<string, ChangeKind> = { A: 'added', D: 'deleted' };

/** What `npm install` and a test run leave in the tree (see UNTRACKED_ARGS), a stray `.pyc` too. */
const LEFT_OVER = /(?:^|\/)(?:node_modules|__pycache__|\.pytest_cache)\/|\.py[co]$/;

/**
 * Whether an untracked path is left over from running the plan's commands, not made by the
 * attempt (a committed one is the attempt's).
 */
export function isLeftOver(file: string): boolean {
  return LEFT_OVER.test(file);
}

/**
 * `git ls-files` arguments for the untracked files an attempt made: the ones `.gitignore` does not
 * hide, less what the plan's own commands leave behind in a repository that ignores nothing (a
 * package published without its `.gitignore`): `npm install` fills `node_modules/`, and running
 * pytest writes `__pycache__/` and `.pytest_cache/`. Counted as changes they failed the scope
 * check with thousands of paths and fed every installed package's tests to the test audit.
 */
export const UNTRACKED_ARGS = [
  'ls-files',
  '-o',
  '--exclude-standard',
  '--exclude=node_modules/',
  '--exclude=__pycache__/',
  '--exclude=.pytest_cache/',
  '-z',
];

/**
 * Untracked files that are not ignored, but for what running the plan's commands leaves behind
 * (see UNTRACKED_ARGS; a stray `.pyc` beside the code too): not a change of the attempt (a
 * committed one is).
 */
async function untrackedFiles(dir: string): Promise<string[]> {
  return splitNul(await gitOutput(dir, UNTRACKED_ARGS)).filter((file) => !isLeftOver(file));
}

/**
 * Every path that differs between `base` and the work tree at `dir` (untracked files included,
 * except what running the plan's commands leaves behind).
 */
export async function changedPaths(dir: string, base: string): Promise<PathChange[]> {
  assertRev(base);
  const diff = splitNul(await gitOutput(dir, ['diff', '--name-status', '-z', '--no-renames', base, '--']));
  const changes = new Map<string, ChangeKind>();
  for (let index = 0; index + 1 < diff.length; index += 2) {
    const status = diff[index] ?? '';
    const file = diff[index + 1] ?? '';
    changes.set(file, KINDS[status.charAt(0)] ?? 'modified');
  }
  for (const file of await untrackedFiles(dir)) changes.set(file, 'added');
  return [...changes]
    .map(([file, change]) => ({ path: file, change }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Lines added and deleted in each of `paths` between `base` and the work tree at `dir` (committed
 * and uncommitted edits, `git diff --numstat`); a path with no change or a binary one is left out.
 */
export async function lineCounts(
  dir: string,
  base: string,
  paths: readonly string[],
): Promise<Map<string, { added: number; deleted: number }>> {
  assertRev(base);
  const counts = new Map<string, { added: number; deleted: number }>();
  if (paths.length === 0) return counts;
  const out = await gitOutput(dir, [
    '--literal-pathspecs',
    'diff',
    '--numstat',
    '-z',
    '--no-renames',
    base,
    '--',
    ...paths,
  ]);
  for (const row of splitNul(out)) {
    const match = /^(\d+)\t(\d+)\t(.+)$/s.exec(row);
    if (match) counts.set(match[3] ?? '', { added: Number(match[1]), deleted: Number(match[2]) });
  }
  return counts;
}

/** Paths that differ between two commits, limited to `paths` (literal paths or folders). */
export async function changedBetween(
  dir: string,
  from: string,
  to: string,
  paths: readonly string[],
): Promise<string[]> {
  assertRev(from);
  assertRev(to);
  if (paths.length === 0) return [];
  const out = await gitOutput(dir, [
    '--literal-pathspecs',
    'diff',
    '--name-only',
    '-z',
    '--no-renames',
    from,
    to,
    '--',
    ...paths,
  ]);
  return splitNul(out).sort();
}

/**
 * Where each of `paths` that git sees as renamed between two commits went (old path → new path,
 * both relative to `dir`): a file moved with `git mv`, or moved and lightly edited.
 */
export async function renamedBetween(
  dir: string,
  from: string,
  to: string,
  paths: readonly string[],
): Promise<Map<string, string>> {
  assertRev(from);
  assertRev(to);
  const renamed = new Map<string, string>();
  if (paths.length === 0) return renamed;
  const wanted = new Set(paths);
  // No pathspec: it would hide the new side of a rename, and git pairs renames only within it.
  const out = splitNul(
    await gitOutput(dir, [
      'diff',
      '--name-status',
      '-z',
      '-M',
      '--diff-filter=R',
      '--relative',
      from,
      to,
      '--',
    ]),
  );
  for (let index = 0; index + 2 < out.length; index += 3) {
    const before = out[index + 1] ?? '';
    const after = out[index + 2] ?? '';
    if (wanted.has(before)) renamed.set(before, after);
  }
  return renamed;
}

/** `git diff --stat` of the work tree against `base` (tracked files), for reports. */
export async function diffStat(dir: string, base: string): Promise<string> {
  assertRev(base);
  return (await gitOutput(dir, ['diff', '--stat', '--no-color', base, '--'])).trimEnd();
}

/** The unified diff of the work tree against `base`, new untracked files included, cut at `maxChars`. */
export async function diffText(dir: string, base: string, maxChars = 200_000): Promise<string> {
  assertRev(base);
  let text = await gitOutput(dir, ['diff', '--no-color', '--no-ext-diff', '--no-textconv', base, '--']);
  for (const file of await untrackedFiles(dir)) {
    if (text.length > maxChars) break;
    const added = await runGit(dir, ['diff', '--no-color', '--no-index', '--', '/dev/null', file]);
    text += added.stdout;
  }
  return text.length > maxChars ? `${text.slice(0, maxChars)}\n[diff cut at ${maxChars} characters]` : text;
}

/** Paths with uncommitted changes (staged, unstaged or untracked) in the work tree at `dir`. */
export async function uncommittedPaths(dir: string): Promise<string[]> {
  const out = await gitOutput(dir, ['status', '--porcelain', '-z', '--untracked-files=all']);
  return splitNul(out)
    .filter((entry) => /^[ MADRCU?!]{2} /.test(entry))
    .filter((entry) => !(entry.startsWith('?? ') && isLeftOver(entry.slice(3))))
    .map((entry) => entry.slice(3));
}

/**
 * Commit everything in the work tree at `dir` (an improve worktree) on its branch, but for an
 * untracked path left over from running the plan's commands (see `isLeftOver`). Uses the
 * repository's identity, or `improve <improve@localhost>` when none is configured; skips hooks.
 */
export async function commitAll(dir: string, message: string): Promise<string> {
  await gitOutput(dir, ['add', '-u']);
  const untracked = await untrackedFiles(dir);
  for (let at = 0; at < untracked.length; at += 500)
    await gitOutput(dir, ['--literal-pathspecs', 'add', '--', ...untracked.slice(at, at + 500)]);
  const args = ['commit', '-q', '--no-verify', '-m', message];
  const first = await runGit(dir, args);
  if (first.status !== 0) {
    await gitOutput(dir, ['-c', 'user.name=improve', '-c', 'user.email=improve@localhost', ...args]);
  }
  return (await gitOutput(dir, ['rev-parse', 'HEAD'])).trim();
}
