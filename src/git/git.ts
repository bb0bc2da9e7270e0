import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Hotspot } from '../core/types.ts';
import { isLeftOver, UNTRACKED_ARGS } from './changes.ts';
import { type DiffHunk, parseDiffHunks } from './diff-hunks.ts';
import { GitError, GitNotInstalledError } from './git-error.ts';
import { gitOutput, type RunGitOptions, runGit } from './run-git.ts';

/**
 * Read-only access to one git work tree. Paths in results are relative to `dir` (the directory the
 * handle was opened on), with forward slashes.
 */
export interface Git {
  /** The directory the handle was opened on, absolute. */
  readonly dir: string;
  /** The work tree's top-level directory, absolute. */
  readonly root: string;
  /**
   * HEAD as it was when the handle was opened, learnt by the same git call that found the work
   * tree: its commit and branch (undefined when detached). Undefined when that call could not say
   * (no commits yet); `head()` and `currentBranch()` ask git anew each time.
   */
  readonly opened?: { head: string; branch: string | undefined };
  /** The HEAD commit SHA; undefined in a repository without commits. */
  head(): Promise<string | undefined>;
  /** The checked-out branch (also when it has no commits yet); undefined on a detached HEAD. */
  currentBranch(): Promise<string | undefined>;
  /** `origin/HEAD`'s branch, else `main` or `master` when they exist, else the current branch. */
  defaultBranch(): Promise<string | undefined>;
  /** Tracked and untracked files that are not ignored (exact gitignore semantics). */
  listFiles(): Promise<string[]>;
  /**
   * The last `maxCommits` non-merge commits, newest first: each one's subject and the files it
   * touched (paths relative to `dir`, renames as delete and add). One `git log` for both the
   * subjects and the churn recon wants.
   */
  recentCommits(maxCommits: number): Promise<{ subject: string; files: string[] }[]>;
  /** Whether `rev` names a commit. */
  revExists(rev: string): Promise<boolean>;
  /** The commit SHA `rev` names, or undefined. */
  resolveCommit(rev: string): Promise<string | undefined>;
  /** Whether `ancestor` is an ancestor of (or equal to) `descendant`. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  /** The best common ancestor of two commits; undefined when they share no history. */
  mergeBase(a: string, b: string): Promise<string | undefined>;
  /** Whether the clone is shallow (`git clone --depth`, CI checkouts): older history is missing. */
  isShallow(): Promise<boolean>;
  /** How many commits `to` has that `from` does not (`git rev-list --count from..to`). */
  countCommits(from: string, to: string): Promise<number>;
  /**
   * Files added or modified since `from` (committed or not) plus untracked files; deletions left out.
   * With `to`, only what changed between the two commits (nothing uncommitted).
   */
  changedFiles(from: string, to?: string): Promise<string[]>;
  /**
   * Files added or modified between `from` and `to` (default: the working tree, tracked files
   * only) anywhere in the work tree, relative to its top level: what a branch changed outside a
   * subfolder the handle was opened on.
   */
  changedFilesInRepository(from: string, to?: string): Promise<string[]>;
  /**
   * Added or changed line ranges since `from`; untracked files count as wholly added. A file
   * renamed since `from` counts only the lines changed with the move.
   */
  diffHunks(from: string): Promise<DiffHunk[]>;
  /** A file's text at a commit, or undefined when it does not exist there. */
  readFileAt(rev: string, file: string): Promise<string | undefined>;
  /** The fetch URL of a remote (`origin` by default), or undefined when there is no such remote. */
  remoteUrl(remote?: string): Promise<string | undefined>;
  /**
   * Tracked and untracked (not ignored) text files whose working-tree text contains one of the
   * fixed strings, limited to the file name patterns (`*.ts`); `git grep -l -F`, sorted.
   */
  filesContaining(needles: readonly string[], patterns: readonly string[]): Promise<string[]>;
}

export type GitProbe =
  | { kind: 'repository'; git: Git }
  | { kind: 'not-a-repository'; detail?: string }
  | { kind: 'not-installed'; error: GitNotInstalledError };

export type OpenGitOptions = RunGitOptions;

function splitNul(output: string): string[] {
  return output.split('\0').filter((entry) => entry !== '');
}

function assertRev(rev: string): void {
  if (rev.startsWith('-') || rev.trim() === '')
    throw new GitError(['rev-parse', rev], 128, `invalid revision "${rev}"`);
}

/** Churn counts: for each file, how many of the commits touched it, most first. */
export function churnOf(
  commits: readonly { files: readonly string[] }[],
  listed: (file: string) => boolean,
): Hotspot[] {
  const counts = new Map<string, number>();
  for (const commit of commits)
    for (const file of commit.files) counts.set(file, (counts.get(file) ?? 0) + 1);
  return [...counts]
    .filter(([file]) => listed(file))
    .map(([file, commits]) => ({ path: file, commits }))
    .sort((a, b) => b.commits - a.commits || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function createGit(
  dir: string,
  root: string,
  options: OpenGitOptions,
  opened?: { head: string; branch: string | undefined },
): Git {
  const run = (args: readonly string[]) => runGit(dir, args, options);
  const output = (args: readonly string[]) => gitOutput(dir, args, options);

  const resolveCommit = async (rev: string): Promise<string | undefined> => {
    if (rev.startsWith('-') || rev.trim() === '') return undefined;
    const result = await run(['rev-parse', '-q', '--verify', `${rev}^{commit}`]);
    return result.status === 0 ? result.stdout.trim() : undefined;
  };

  const currentBranch = async (): Promise<string | undefined> => {
    const result = await run(['symbolic-ref', '-q', '--short', 'HEAD']);
    return result.status === 0 ? result.stdout.trim() || undefined : undefined;
  };

  const untracked = async () => splitNul(await output(UNTRACKED_ARGS)).filter((file) => !isLeftOver(file));
  /** Files added or modified from `from` to `to` (or the working tree), relative to `dir` or to the top. */
  const namesChanged = async (from: string, to: string | undefined, relative: boolean) => {
    assertRev(from);
    if (to !== undefined) assertRev(to);
    const diff = await output([
      'diff',
      '--name-only',
      '-z',
      '--no-renames',
      '--diff-filter=d',
      ...(relative ? ['--relative'] : []),
      from,
      ...(to === undefined ? [] : [to]),
      '--',
    ]);
    return splitNul(diff);
  };
  /** A `git log`'s output; empty in a repository without commits (asked only when the log fails). */
  const history = async (args: readonly string[]): Promise<string> => {
    const result = await run(args);
    if (result.status === 0) return result.stdout;
    if ((await resolveCommit('HEAD')) === undefined) return '';
    throw new GitError(args, result.status, result.stderr);
  };

  const git: Git = {
    dir,
    root,
    ...(opened ? { opened } : {}),
    head: () => resolveCommit('HEAD'),
    currentBranch,
    async defaultBranch() {
      // One call for all three refs: origin/HEAD (a symbolic ref to the remote's default branch),
      // main and master. `for-each-ref` matches by prefix, so the names are compared whole.
      const wanted = ['refs/remotes/origin/HEAD', 'refs/heads/main', 'refs/heads/master'];
      const refs = new Map(
        (await output(['for-each-ref', '--format=%(refname)%00%(symref)', ...wanted]))
          .split('\n')
          .map((line) => line.split('\0'))
          .filter(([name]) => name !== undefined && wanted.includes(name))
          .map(([name = '', target = '']) => [name, target]),
      );
      const remote = refs.get('refs/remotes/origin/HEAD')?.replace(/^refs\/remotes\/origin\//, '');
      if (remote) return remote;
      for (const name of ['main', 'master']) if (refs.has(`refs/heads/${name}`)) return name;
      return currentBranch();
    },
    async listFiles() {
      const files = splitNul(await output(['ls-files', '-c', '-o', '--exclude-standard', '-z']));
      return [...new Set(files)];
    },
    async recentCommits(maxCommits) {
      const log = await history([
        'log',
        '-n',
        String(maxCommits),
        '--no-merges',
        '--no-renames',
        '--relative',
        '--format=%x1e%s',
        '--name-only',
      ]);
      return log
        .split('\x1e')
        .slice(1)
        .map((commit) => {
          const [subject = '', ...rest] = commit.split('\n');
          return { subject, files: [...new Set(rest.filter((line) => line.trim() !== ''))] };
        });
    },
    async revExists(rev) {
      return (await resolveCommit(rev)) !== undefined;
    },
    resolveCommit,
    async isAncestor(ancestor, descendant) {
      assertRev(ancestor);
      assertRev(descendant);
      const result = await run(['merge-base', '--is-ancestor', ancestor, descendant]);
      if (result.status === 0) return true;
      if (result.status === 1) return false;
      throw new GitError(['merge-base', '--is-ancestor', ancestor, descendant], result.status, result.stderr);
    },
    async mergeBase(a, b) {
      assertRev(a);
      assertRev(b);
      const result = await run(['merge-base', a, b]);
      if (result.status === 0) return result.stdout.trim() || undefined;
      if (result.status === 1) return undefined;
      throw new GitError(['merge-base', a, b], result.status, result.stderr);
    },
    async isShallow() {
      return (await output(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
    },
    async countCommits(from, to) {
      assertRev(from);
      assertRev(to);
      return Number((await output(['rev-list', '--count', `${from}..${to}`])).trim()) || 0;
    },
    async changedFiles(from, to) {
      const extra = to === undefined ? await untracked() : [];
      return [...new Set([...(await namesChanged(from, to, true)), ...extra])].sort();
    },
    async changedFilesInRepository(from, to) {
      return [...new Set(await namesChanged(from, to, false))].sort();
    },
    async diffHunks(from) {
      assertRev(from);
      const diff = await output([
        'diff',
        '-U0',
        '--no-color',
        '--no-ext-diff',
        '--no-textconv',
        // A moved file (at least half the same) is compared with where it came from: moving code
        // adds no lines, only the edits made with the move do.
        '--find-renames',
        '--diff-filter=d',
        '--relative',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        from,
        '--',
      ]);
      const hunks = parseDiffHunks(diff);
      for (const file of await untracked()) {
        let text: string;
        try {
          text = readFileSync(path.join(dir, file), 'utf8');
        } catch {
          continue;
        }
        const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
        if (lines > 0) hunks.push({ file, startLine: 1, endLine: lines });
      }
      return hunks.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.startLine - b.startLine));
    },
    async readFileAt(rev, file) {
      assertRev(rev);
      const result = await run(['show', '--no-textconv', `${rev}:./${file}`]);
      return result.status === 0 ? result.stdout : undefined;
    },
    async filesContaining(needles, patterns) {
      if (needles.length === 0 || patterns.length === 0) return [];
      const args = ['grep', '-l', '-z', '-I', '-F', '--untracked', '--no-color'];
      for (const needle of needles) args.push('-e', needle);
      const result = await run([...args, '--', ...patterns]);
      if (result.status === 1) return [];
      if (result.status !== 0) throw new GitError(['grep', '-l', '-F'], result.status, result.stderr);
      return splitNul(result.stdout).sort();
    },
    async remoteUrl(remote = 'origin') {
      if (remote.startsWith('-') || remote.trim() === '') return undefined;
      const result = await run(['remote', 'get-url', '--', remote]);
      return result.status === 0 ? result.stdout.trim() || undefined : undefined;
    },
  };
  return git;
}

/**
 * Asks where the work tree is and, in the same call, HEAD's commit and what it points at
 * (`refs/heads/…`, or `HEAD` when detached); `--` keeps a file named HEAD from making it ambiguous.
 * Without commits the call fails after printing the first two answers.
 */
const PROBE = [
  'rev-parse',
  '--is-inside-work-tree',
  '--show-toplevel',
  'HEAD^{commit}',
  '--symbolic-full-name',
  'HEAD',
  '--',
];

/** Find out whether `dir` is inside a git work tree, without throwing when git is missing. */
export async function probeGit(dir: string, options: OpenGitOptions = {}): Promise<GitProbe> {
  const absolute = path.resolve(dir);
  let result: Awaited<ReturnType<typeof runGit>>;
  try {
    result = await runGit(absolute, PROBE, options);
    // Not a repository, or no commits yet: ask the plain question, whose failure says which.
    if (result.status !== 0) result = await runGit(absolute, PROBE.slice(0, 3), options);
  } catch (error) {
    if (error instanceof GitNotInstalledError) return { kind: 'not-installed', error };
    throw error;
  }
  const [inside, toplevel, head, symbolic] = result.stdout.trim().split('\n');
  if (result.status !== 0 || inside !== 'true' || !toplevel) {
    const detail = result.stderr.trim().split('\n')[0];
    return detail ? { kind: 'not-a-repository', detail } : { kind: 'not-a-repository' };
  }
  const top = path.resolve(toplevel);
  if (top !== absolute) {
    // A folder the enclosing repository ignores (node_modules/pkg, a vendored checkout) is not
    // part of that repository: treat it as a plain directory, or git would list no files at all.
    const ignored = await runGit(top, ['check-ignore', '-q', '--', path.relative(top, absolute)], options);
    if (ignored.status === 0)
      return { kind: 'not-a-repository', detail: `ignored by the enclosing repository at ${top}` };
  }
  const opened =
    head && /^[0-9a-f]{40,64}$/.test(head) && symbolic
      ? {
          head,
          branch: symbolic.startsWith('refs/heads/') ? symbolic.slice('refs/heads/'.length) : undefined,
        }
      : undefined;
  return { kind: 'repository', git: createGit(absolute, top, options, opened) };
}

/**
 * Open the git work tree containing `dir`; undefined when `dir` is not inside one.
 * Throws `GitNotInstalledError` (an `EnvironmentError`, exit 3) when git cannot be run.
 */
export async function openGit(dir: string, options: OpenGitOptions = {}): Promise<Git | undefined> {
  const probe = await probeGit(dir, options);
  if (probe.kind === 'not-installed') throw probe.error;
  return probe.kind === 'repository' ? probe.git : undefined;
}
