import type { Output } from './output.ts';

/**
 * Ctrl-C during a long command: the first one asks the library to stop (executors and checks are
 * ended, the plan stays IN PROGRESS with its worktree recorded); a second one ends the process.
 */
export function interruptSignal(output: Output): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    output.warn(
      'interrupted: stopping the executor and recording where things are (Ctrl-C again to quit now)',
    );
    controller.abort();
    process.off('SIGINT', onSigint);
  };
  const onSigterm = () => controller.abort();
  process.on('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
    },
  };
}
