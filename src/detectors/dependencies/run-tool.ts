import { spawnSync } from 'node:child_process';

/** How running an audit tool went: its exit code and output, or why it did not run to the end. */
export type ToolRun =
  | { kind: 'exited'; code: number; stdout: string; stderr: string }
  | { kind: 'missing' }
  | { kind: 'timeout'; seconds: number }
  | { kind: 'failed'; message: string };

export interface ToolOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Output beyond this many bytes stops the tool (default 16 MiB). */
  maxBytes?: number;
}

/**
 * Run a program without a shell, with a timeout and an output limit; never throws. Used for the
 * advisory tools (`npm audit`, `pip-audit`), which only read the repository.
 */
export function runTool(command: string, args: readonly string[], options: ToolOptions): ToolRun {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: options.env,
    encoding: 'utf8',
    timeout: options.timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: options.maxBytes ?? 16 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const error = result.error;
  const code = error && 'code' in error ? String(error.code) : undefined;
  if (code === 'ENOENT') return { kind: 'missing' };
  if (code === 'ETIMEDOUT') return { kind: 'timeout', seconds: Math.round(options.timeoutMs / 1000) };
  if (code === 'ENOBUFS') return { kind: 'failed', message: 'its output was larger than the limit' };
  if (error) return { kind: 'failed', message: error.message };
  if (result.status === null) return { kind: 'failed', message: `stopped by ${result.signal ?? 'a signal'}` };
  return { kind: 'exited', code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Whether advisory look-ups may use the network: not with `IMPROVE_OFFLINE=1`, nor under `node --test`. */
export function networkAllowed(env: NodeJS.ProcessEnv): { allowed: boolean; reason?: string } {
  const offline = (env.IMPROVE_OFFLINE ?? '').toLowerCase();
  if (/^(?:1|true|yes|on)$/.test(offline)) return { allowed: false, reason: 'IMPROVE_OFFLINE is set' };
  if (/^(?:0|false|no|off)$/.test(offline)) return { allowed: true };
  if ((env.npm_config_offline ?? '').toLowerCase() === 'true')
    return { allowed: false, reason: 'npm is configured offline' };
  // Test suites audit fixture repositories; a test opts in with IMPROVE_OFFLINE=0 and a local registry.
  if (env.NODE_TEST_CONTEXT) return { allowed: false, reason: 'running under node --test' };
  return { allowed: true };
}
