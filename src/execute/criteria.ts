/** Re-run done criteria (or any `run`/`expect` pairs) in a folder and check each expectation. */
import { checkExpect } from '../plans/expect.ts';
import type { DoneCriterion } from '../plans/plan.ts';
import { outputTail, projectEnv, runProcess } from './run-process.ts';
import type { CriterionResult } from './types.ts';

export interface CriteriaOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Run one criterion with the shell in `cwd`. A criterion that times out fails. */
export async function runCriterion(
  cwd: string,
  criterion: DoneCriterion,
  options: CriteriaOptions,
): Promise<CriterionResult> {
  const result = await runProcess({
    command: [criterion.run],
    shell: true,
    cwd,
    env: projectEnv(cwd),
    timeoutMs: options.timeoutMs,
    maxOutputBytes: 16 * 1024 * 1024,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let passed = false;
  let note = '';
  if (result.exitCode !== null) {
    try {
      passed = checkExpect(criterion.expect, { exitCode: result.exitCode, stdout: result.stdout });
    } catch (error) {
      note = `the expected result cannot be checked: ${error instanceof Error ? error.message : String(error)}`;
    }
  } else if (result.timedOut) {
    note = `did not finish within ${Math.round(options.timeoutMs / 1000)} s and was stopped`;
  } else if (result.outputLimited) {
    note = 'printed more than 16 MB and was stopped';
  }
  const tail = outputTail(
    [result.stdout, result.stderr].filter((part) => part.trim() !== '').join('\n'),
    40,
    4_000,
  );
  return {
    run: criterion.run,
    expect: criterion.expect,
    passed,
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    outputTail: [note, tail].filter((part) => part !== '').join('\n'),
  };
}

/** Run every criterion in order (they may share files, so never in parallel). */
export async function runCriteria(
  cwd: string,
  criteria: readonly DoneCriterion[],
  options: CriteriaOptions,
): Promise<CriterionResult[]> {
  const results: CriterionResult[] = [];
  for (const criterion of criteria) {
    if (options.signal?.aborted) break;
    results.push(await runCriterion(cwd, criterion, options));
  }
  return results;
}
