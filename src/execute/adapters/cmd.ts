import type { ExecutorAdapter } from '../types.ts';
import { executorEnv, runExecutorProcess } from './process-executor.ts';

/**
 * `--executor cmd --cmd "COMMAND"`: the command runs in the shell with the worktree as its working
 * directory and IMPROVE_PLAN_FILE, IMPROVE_PROMPT_FILE, IMPROVE_WORKTREE (and, on revisions,
 * IMPROVE_ROUND and IMPROVE_FEEDBACK) in its environment. Its stdout is the report.
 */
export function cmdExecutor(command: string): ExecutorAdapter {
  return {
    name: 'cmd',
    description: 'run a shell command you give with --cmd in the worktree',
    available: async () =>
      command.trim() === ''
        ? { ok: false, reason: 'the cmd executor needs a command: pass --cmd "COMMAND"' }
        : { ok: true },
    run: (input) =>
      runExecutorProcess(input, {
        command: [command],
        shell: true,
        env: executorEnv(input),
      }),
  };
}
