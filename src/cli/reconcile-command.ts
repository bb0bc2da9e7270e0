/**
 * `improve reconcile`: the offline upkeep, and with a planner a proposed rewrite of each BLOCKED
 * plan (its cost in the ledger and the cost table). `--dry-run` says which plans would get one and
 * what it would cost, and changes nothing.
 */
import { reconcile } from '../api/reconcile.ts';
import { finishModelRun } from './audit-model.ts';
import { renderReconcile } from './commands/reconcile.ts';
import { interruptSignal } from './interrupt.ts';
import type { ModelCommandOptions, OpenedModels } from './model-options.ts';
import { printEstimate, withModels } from './model-run.ts';
import type { Output } from './output.ts';

export interface ReconcileCommandOptions extends ModelCommandOptions {
  timeout?: number;
  plansDir?: string;
}

export async function runReconcileCommand(
  target: string | undefined,
  options: ReconcileCommandOptions,
  output: Output,
): Promise<number> {
  // One Ctrl-C handler for the whole command: the model session stops with it.
  const interrupt = interruptSignal(output);
  const uses = { command: 'reconcile', uses: ['planner'] as const, output, signal: interrupt.signal };
  try {
    return await withModels(options, target ?? '.', uses, (models) =>
      options.dryRun
        ? dryRun(target, options, models, output)
        : reconcileNow(target, options, models, output, interrupt.signal),
    );
  } finally {
    interrupt.dispose();
  }
}

function located(options: ReconcileCommandOptions): { plansDir?: string } {
  return options.plansDir ? { plansDir: options.plansDir } : {};
}

async function dryRun(
  target: string | undefined,
  options: ReconcileCommandOptions,
  { session }: OpenedModels,
  output: Output,
): Promise<number> {
  if (!session) {
    output.result(
      'Dry run: no model is configured, so reconcile would call none and cost nothing. Nothing was checked or changed: run it without --dry-run.',
    );
    return 0;
  }
  const { estimateReconcile } = await import('../api/reconcile-estimate.ts');
  const estimate = await estimateReconcile(target, located(options), session);
  const existing =
    estimate.proposed.length > 0
      ? ` Blocked plan(s) ${estimate.proposed.join(', ')} already have a proposal.`
      : '';
  if (estimate.rewrites.length === 0) {
    output.result(
      `Dry run: no blocked plan needs a proposed rewrite, so no model call would be made.${existing} Nothing was checked or changed.`,
    );
    return 0;
  }
  output.result(
    `With ${session.describe('planner')}, reconcile would propose a rewrite of blocked plan(s) ${estimate.rewrites.join(', ')}.${existing}`,
  );
  return printEstimate(estimate.estimate, session, output);
}

async function reconcileNow(
  target: string | undefined,
  options: ReconcileCommandOptions,
  models: OpenedModels,
  output: Output,
  signal: AbortSignal,
): Promise<number> {
  const { session } = models;
  output.progress('reconciling…');
  const result = await reconcile(target, {
    ...(options.timeout ? { criteriaTimeoutSeconds: options.timeout } : {}),
    ...located(options),
    signal,
    ...(session ? { model: session } : {}),
  });
  output.endProgress();
  output.result(renderReconcile(result));
  const code = finishModelRun(models, output, (session?.ledger.entries().length ?? 0) > 0);
  return signal.aborted ? 130 : code;
}
