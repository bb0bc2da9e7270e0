import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/** One child process's cost. `peakRssMiB` is undefined when it cannot be measured here. */
export interface Measurement {
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMiB?: number;
  exitCode: number;
  stdout: string;
}

const GNU_TIME = '/usr/bin/time';
const WRAPPER = path.join(path.dirname(new URL(import.meta.url).pathname), 'self-measure.ts');

function run(command: string, args: string[], env: NodeJS.ProcessEnv, stdoutFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = openSync(stdoutFile, 'w');
    const child = spawn(command, args, { env, stdio: ['ignore', out, 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => {
      closeSync(out);
      resolve(code ?? -1);
    });
  });
}

/**
 * Run a command in a child process and measure wall time, CPU time and peak RSS: with GNU time
 * (`/usr/bin/time -f`) when it is installed; otherwise Node children measure themselves through
 * bench/self-measure.ts (process.resourceUsage) and native programs get no RSS figure.
 */
export async function measure(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; scratch: string; node?: boolean },
): Promise<Measurement> {
  const env = { ...process.env, ...options.env };
  const stdoutFile = path.join(options.scratch, 'stdout.txt');
  const usageFile = path.join(options.scratch, 'usage.txt');
  rmSync(usageFile, { force: true });
  const started = performance.now();
  let exitCode: number;
  let cpuSeconds = Number.NaN;
  let peakRssMiB: number | undefined;
  if (existsSync(GNU_TIME)) {
    exitCode = await run(GNU_TIME, ['-f', '%U %S %M', '-o', usageFile, command, ...args], env, stdoutFile);
    const [user, system, rssKb] = readFileSync(usageFile, 'utf8').trim().split('\n').at(-1)?.split(' ') ?? [];
    cpuSeconds = Number(user) + Number(system);
    peakRssMiB = Number(rssKb) / 1024;
  } else if (options.node) {
    exitCode = await run(process.execPath, [WRAPPER, usageFile, ...args], env, stdoutFile);
    const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { cpuSeconds: number; maxRssKb: number };
    cpuSeconds = usage.cpuSeconds;
    peakRssMiB = usage.maxRssKb / 1024;
  } else {
    exitCode = await run(command, args, env, stdoutFile);
  }
  const wallSeconds = (performance.now() - started) / 1000;
  return {
    wallSeconds,
    cpuSeconds,
    exitCode,
    stdout: readFileSync(stdoutFile, 'utf8'),
    ...(peakRssMiB ? { peakRssMiB } : {}),
  };
}
