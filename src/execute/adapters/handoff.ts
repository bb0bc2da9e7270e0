import type { ExecutorAdapter } from '../types.ts';

/**
 * The default without a model: improve prepares the worktree and the full executor prompt, prints
 * where they are, and exits. A person or an agent works there; `improve review PLAN` judges it.
 */
export const handoffExecutor: ExecutorAdapter = {
  name: 'handoff',
  description: 'prepare the worktree and prompt, then hand over (review later with `improve review`)',
  defers: true,
  available: async () => ({ ok: true }),
  run: async () => ({
    exitCode: 0,
    timedOut: false,
    outputLimited: false,
    interrupted: false,
    outputTail: '',
  }),
};
