import { execFile } from 'node:child_process';
import { GitError, GitNotInstalledError, gitBinaryMissing } from './git-error.ts';

export interface GitResult {
  stdout: string;
  stderr: string;
  /** 0 on success. */
  status: number;
}

export interface RunGitOptions {
  /** The git executable; `git` from PATH by default. */
  binary?: string;
}

const REPOSITORY_VARIABLES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_PREFIX', 'GIT_COMMON_DIR'];
const MAX_BUFFER = 512 * 1024 * 1024;

/**
 * Run `git -C dir ...args` without a shell. Never takes optional locks, so it does not write to
 * the repository. A non-zero exit is returned as a value; a missing binary throws
 * `GitNotInstalledError`.
 */
export function runGit(
  dir: string,
  args: readonly string[],
  options: RunGitOptions = {},
): Promise<GitResult> {
  const binary = options.binary ?? 'git';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
  };
  // Variables a git hook may have set would point git at another repository or index.
  for (const name of REPOSITORY_VARIABLES) delete env[name];
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      ['-C', dir, '-c', 'core.quotepath=off', ...args],
      { env, maxBuffer: MAX_BUFFER, encoding: 'utf8', windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, stderr, status: 0 });
          return;
        }
        if (gitBinaryMissing(error)) {
          reject(new GitNotInstalledError(binary));
          return;
        }
        if (typeof error.code === 'number') {
          resolve({ stdout, stderr, status: error.code });
          return;
        }
        reject(new GitError(args, undefined, stderr || error.message));
      },
    );
  });
}

/** Run git and return stdout, throwing `GitError` on a non-zero exit. */
export async function gitOutput(
  dir: string,
  args: readonly string[],
  options: RunGitOptions = {},
): Promise<string> {
  const result = await runGit(dir, args, options);
  if (result.status !== 0) throw new GitError(args, result.status, result.stderr);
  return result.stdout;
}
