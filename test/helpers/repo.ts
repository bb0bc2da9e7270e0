import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Environment for deterministic git commits in fixtures. */
export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Fixture',
  GIT_AUTHOR_EMAIL: 'fixture@example.com',
  GIT_COMMITTER_NAME: 'Fixture',
  GIT_COMMITTER_EMAIL: 'fixture@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export type FileTree = Record<string, string | Buffer>;

export function writeTree(root: string, files: FileTree): void {
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(root, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

export function git(root: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: root, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
}

/** A temp dir that is removed when `dispose` is called (use with `t.after`). */
export function tempDir(prefix = 'improve-test-'): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A tiny real git repo: the files are written and committed on `main`. Pass several commits to
 * build history (for churn hotspots and commit style).
 */
export function makeRepo(
  files: FileTree,
  options: { commits?: { message: string; files: FileTree }[]; message?: string; git?: boolean } = {},
): { dir: string; dispose: () => void } {
  const temp = tempDir();
  writeTree(temp.dir, files);
  if (options.git === false) return temp;
  git(temp.dir, 'init', '-q', '-b', 'main');
  git(temp.dir, 'add', '-A');
  git(temp.dir, 'commit', '-q', '--allow-empty', '-m', options.message ?? 'feat: initial commit');
  for (const commit of options.commits ?? []) {
    writeTree(temp.dir, commit.files);
    git(temp.dir, 'add', '-A');
    git(temp.dir, 'commit', '-q', '--allow-empty', '-m', commit.message);
  }
  return temp;
}
