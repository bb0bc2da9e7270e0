import pc from 'picocolors';

/**
 * The one output module: nothing else in the project writes to the console. Results go to stdout;
 * progress, warnings and errors to stderr. Progress only on a TTY and never under --quiet.
 */
export interface Output {
  readonly color: boolean;
  readonly width: number;
  /** The command's result (tables, summaries): stdout. */
  result(text: string): void;
  /** Informational line on stderr; silent under --quiet. */
  info(text: string): void;
  /** Detail for --verbose only, on stderr. */
  debug(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  /** How to fix what an error or warning just said, on stderr; shown even under --quiet. */
  hint(text: string): void;
  /** A transient progress line on a TTY (overwritten in place); nothing otherwise. */
  progress(text: string): void;
  /** Clear any progress line. */
  endProgress(): void;
}

export interface OutputOptions {
  quiet?: boolean;
  verbose?: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
}

/** Table width when stdout is not a terminal: `COLUMNS` when it is a sensible number, else 120. */
function pipedWidth(env: NodeJS.ProcessEnv): number {
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns >= 40 && columns <= 1000 ? columns : 120;
}

/** Streams already told to ignore a reader that went away. */
const pipesWatched = new WeakSet<NodeJS.WriteStream>();

/**
 * `improve . | head`: once the reader has what it wanted and closes the pipe, the next write fails
 * with EPIPE, which, unhandled, kills the run with a stack trace. What the reader did not read is
 * not wanted: the write is dropped and the run goes on. Other errors are not ignored.
 */
function ignoreClosedReader(stream: NodeJS.WriteStream): void {
  if (pipesWatched.has(stream)) return;
  pipesWatched.add(stream);
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

export function createOutput(options: OutputOptions = {}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  ignoreClosedReader(stdout);
  const env = options.env ?? process.env;
  const color = Boolean(stdout.isTTY) && !('NO_COLOR' in env) && env.TERM !== 'dumb';
  const showProgress = Boolean(stderr.isTTY) && !options.quiet && env.CI !== 'true';
  let progressShown = false;
  const endProgress = () => {
    if (progressShown) {
      stderr.write('\r\x1b[2K');
      progressShown = false;
    }
  };
  return {
    color,
    width: stdout.isTTY && stdout.columns ? stdout.columns : pipedWidth(env),
    result(text) {
      endProgress();
      stdout.write(`${text}\n`);
    },
    info(text) {
      if (options.quiet) return;
      endProgress();
      stderr.write(`${text}\n`);
    },
    debug(text) {
      if (!options.verbose) return;
      endProgress();
      stderr.write(`${color ? pc.dim(text) : text}\n`);
    },
    warn(text) {
      endProgress();
      stderr.write(`${color ? pc.yellow('warning') : 'warning'}: ${text}\n`);
    },
    error(text) {
      endProgress();
      stderr.write(`${color ? pc.red('error') : 'error'}: ${text}\n`);
    },
    hint(text) {
      endProgress();
      stderr.write(`${color ? pc.cyan('hint') : 'hint'}: ${text}\n`);
    },
    progress(text) {
      if (!showProgress) return;
      const columns = stderr.columns ?? 80;
      stderr.write(`\r\x1b[2K${text.slice(0, columns - 1)}`);
      progressShown = true;
    },
    endProgress,
  };
}
