/**
 * `--executor builtin`: improve's own agent loop on the executor model, as an executor adapter for
 * `improve execute`. Register it with the session of the run (it needs the model).
 */
import { redactText } from '../core/redact.ts';
import { registerExecutor } from '../execute/adapters/registry.ts';
import { parseReport } from '../execute/report.ts';
import type { ExecutorAdapter } from '../execute/types.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { runExecutorAgent } from './executor-agent.ts';

export function builtinExecutor(session: ModelSession): ExecutorAdapter {
  return {
    name: 'builtin',
    description: "improve's own agent loop on the executor model (--executor builtin)",
    available: async () =>
      session.has('executor')
        ? { ok: true }
        : {
            ok: false,
            reason:
              'no executor model is configured: set IMPROVE_EXECUTOR=provider:model (or models.executor in .improve.yml)',
          },
    async run(input) {
      const result = await runExecutorAgent({
        session,
        worktree: input.worktree,
        prompt: input.prompt,
        ...(input.feedback ? { feedback: input.feedback } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
        timeoutMs: input.timeoutMs,
        task: `execute:${input.round}`,
      });
      const report = parseReport(result.report);
      const tail = redactText(result.report || result.problem || result.stopped || '').slice(-4000);
      return {
        ...(report ? { report } : {}),
        exitCode: result.stopped ? null : 0,
        timedOut: result.timedOut,
        outputLimited: false,
        interrupted: result.stopped === 'aborted' && !result.timedOut,
        outputTail: tail,
      };
    },
  };
}

/** Make `--executor builtin` available for this run. */
export function registerBuiltinExecutor(session: ModelSession): void {
  registerExecutor('builtin', () => builtinExecutor(session));
}
