/**
 * Run a command with a timeout and an output limit. The command gets its own process group, so
 * ending it ends everything it started (a shell's children, an agent's tools) — not just the shell.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { redactText } from '../core/redact.ts';

export interface ProcessOptions {
  /** Program and arguments; with `shell`, one shell command line in `command[0]`. */
  command: readonly string[];
  shell?: boolean;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Text for stdin; stdin is closed at once without it. */
  input?: string;
  timeoutMs: number;
  /** End the process when its stdout and stderr together pass this many bytes. */
  maxOutputBytes?: number;
  /** How much of the end of stdout/stderr to keep. */
  keepBytes?: number;
  signal?: AbortSignal;
}

export interface ProcessResult {
  /** null when the process was killed or could not start. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  outputLimited: boolean;
  interrupted: boolean;
  /** Set when the program could not be started at all. */
  startError?: string;
}

const KILL_GRACE_MS = 2_000;
const DEFAULT_MAX_OUTPUT = 20 * 1024 * 1024;
const DEFAULT_KEEP = 256 * 1024;

/** Variables that would point git (in the command) at another repository or index. */
const GIT_VARIABLES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_PREFIX', 'GIT_COMMON_DIR'];

/** Keeps the last `limit` bytes of a stream. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  private readonly limit: number;
  total = 0;
  constructor(limit: number) {
    this.limit = limit;
  }
  push(chunk: Buffer): void {
    this.total += chunk.length;
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 1) this.size -= this.chunks.shift()?.length ?? 0;
  }
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** The environment for commands run in a worktree: the caller's, without git's redirections. */
export function worktreeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of GIT_VARIABLES) delete env[name];
  return env;
}

/**
 * The environment for commands run in the project folder `dir` of a worktree: Python imports
 * the worktree's code first (`dir`, and `dir/src` in a src layout). A package installed editable
 * from the checkout (`pip install -e .`) would otherwise be what `pytest` tests, whatever the
 * attempt changed (a test folder without `__init__.py` does not put the project on the path).
 */
export function projectEnv(dir: string): NodeJS.ProcessEnv {
  const inherited = process.env.PYTHONPATH;
  const src = path.join(dir, 'src');
  const paths = [dir, ...(existsSync(src) ? [src] : []), ...(inherited ? [inherited] : [])];
  return worktreeEnv({ PYTHONPATH: paths.join(path.delimiter) });
}

export function runProcess(options: ProcessOptions): Promise<ProcessResult> {
  const keep = options.keepBytes ?? DEFAULT_KEEP;
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const [program = '', ...args] = options.command;
  return new Promise((resolve) => {
    const stdout = new Tail(keep);
    const stderr = new Tail(keep);
    let timedOut = false;
    let outputLimited = false;
    let interrupted = false;
    let settled = false;
    const child = spawn(options.shell ? '/bin/sh' : program, options.shell ? ['-c', program] : args, {
      cwd: options.cwd,
      env: options.env ?? worktreeEnv(),
      detached: true,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let graceTimer: NodeJS.Timeout | undefined;
    const end = (why: 'timeout' | 'output' | 'interrupt') => {
      if (why === 'timeout') timedOut = true;
      if (why === 'output') outputLimited = true;
      if (why === 'interrupt') interrupted = true;
      killGroup(child.pid, 'SIGTERM');
      graceTimer ??= setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => end('timeout'), options.timeoutMs);
    const onAbort = () => end('interrupt');
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const onData = (tail: Tail) => (chunk: Buffer) => {
      tail.push(chunk);
      if (stdout.total + stderr.total > maxOutput && !outputLimited) end('output');
    };
    child.stdout?.on('data', onData(stdout));
    child.stderr?.on('data', onData(stderr));
    if (options.input !== undefined && child.stdin) {
      child.stdin.on('error', () => {
        // The command did not read its input; that is its business.
      });
      child.stdin.end(options.input);
    }
    const finish = (exitCode: number | null, startError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // Whatever the command left running in its group goes with it.
      killGroup(child.pid, 'SIGKILL');
      if (graceTimer) clearTimeout(graceTimer);
      const result: ProcessResult = {
        exitCode: timedOut || outputLimited || interrupted ? null : exitCode,
        stdout: stdout.text(),
        stderr: stderr.text(),
        timedOut,
        outputLimited,
        interrupted,
      };
      if (startError) result.startError = startError;
      resolve(result);
    };
    child.on('error', (error) => finish(null, error.message));
    // Once the command itself exits, anything it left in its group (holding the pipes open) ends too.
    child.on('exit', () => killGroup(child.pid, 'SIGKILL'));
    child.on('close', (code) => finish(code));
  });
}

/** The last `lines` lines (at most `chars` characters) of some output, redacted. */
export function outputTail(text: string, lines = 20, chars = 2_000): string {
  const kept = text.trimEnd().split(/\r?\n/).slice(-lines).join('\n');
  return redactText(kept.length > chars ? kept.slice(kept.length - chars) : kept);
}
