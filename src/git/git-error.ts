import { EnvironmentError, hasErrorCode } from '../core/errors.ts';

/** A git command that failed unexpectedly. Exit code 3: the environment refused. */
export class GitError extends EnvironmentError {
  /** The git arguments, without the binary and `-C DIR`. */
  readonly args: readonly string[];
  /** git's exit status, or undefined when it was killed. */
  readonly status: number | undefined;
  readonly stderr: string;

  constructor(args: readonly string[], status: number | undefined, stderr: string) {
    const detail = stderr.trim().split('\n')[0] ?? '';
    super(
      `git ${args.join(' ')} failed${status === undefined ? '' : ` (exit ${status})`}${detail ? `: ${detail}` : ''}`,
    );
    this.args = args;
    this.status = status;
    this.stderr = stderr;
  }
}

/** The git binary could not be started. */
export class GitNotInstalledError extends EnvironmentError {
  constructor(binary: string) {
    super(`git is not installed (could not run "${binary}")`, 'Install git and make sure it is on PATH.');
  }
}

/** Whether spawning git failed because the binary is missing or cannot be run. */
export function gitBinaryMissing(error: unknown): boolean {
  return hasErrorCode(error, 'ENOENT') || hasErrorCode(error, 'EACCES');
}
