/**
 * Fatal problems are small error classes with an exit code, caught once in the CLI.
 * Findings are data and recoverable step failures are values; neither is thrown.
 */
export class ImproveError extends Error {
  readonly exitCode: number;
  readonly hint?: string;
  constructor(message: string, exitCode: number, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Bad usage or bad input: exit 2. The message says what is wrong, the hint how to fix it. */
export class UsageError extends ImproveError {
  constructor(message: string, hint?: string) {
    super(message, 2, hint);
  }
}

/** The environment refused: git missing, auth, network, budget. Exit 3. */
export class EnvironmentError extends ImproveError {
  constructor(message: string, hint?: string) {
    super(message, 3, hint);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Whether a thrown value is a system error with this `code` (`ENOENT`, `EPERM`, proper-lockfile's `ELOCKED`). */
export function hasErrorCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
