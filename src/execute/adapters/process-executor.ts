/** Shared by every adapter that runs a program: limits, report parsing, output tail. */
import { parseReport } from '../report.ts';
import { outputTail, type ProcessOptions, projectEnv, runProcess } from '../run-process.ts';
import type { ExecutorRun, ExecutorRunInput } from '../types.ts';

/** The environment every executor process gets, so scripts and agents find their inputs. */
function executorVariables(input: ExecutorRunInput): Record<string, string> {
  const variables: Record<string, string> = {
    IMPROVE_PLAN_FILE: input.planFile,
    IMPROVE_PROMPT_FILE: input.promptFile,
    IMPROVE_WORKTREE: input.worktree,
    IMPROVE_ROUND: String(input.round),
  };
  if (input.feedback !== undefined) variables.IMPROVE_FEEDBACK = input.feedback;
  return variables;
}

/**
 * The environment of an executor program: the project's (its Python code first on the import
 * path, see `projectEnv`) with the attempt's variables.
 */
export function executorEnv(input: ExecutorRunInput): NodeJS.ProcessEnv {
  return { ...projectEnv(input.worktree), ...executorVariables(input) };
}

/** Run an executor program in the worktree; its stdout carries the report. */
export async function runExecutorProcess(
  input: ExecutorRunInput,
  options: Pick<ProcessOptions, 'command' | 'shell' | 'input' | 'env'>,
): Promise<ExecutorRun> {
  const result = await runProcess({
    ...options,
    cwd: input.worktree,
    timeoutMs: input.timeoutMs,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const run: ExecutorRun = {
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    outputLimited: result.outputLimited,
    interrupted: result.interrupted,
    outputTail: outputTail(
      [result.stdout, result.stderr, result.startError ? `could not start: ${result.startError}` : '']
        .filter((part) => part.trim() !== '')
        .join('\n'),
    ),
  };
  const report = parseReport(result.stdout) ?? parseReport(result.stderr);
  if (report) run.report = report;
  return run;
}
