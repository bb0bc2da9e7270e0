/**
 * What every model-backed command does around its work: open the run's models from flags,
 * environment and `.improve.yml`, run, and always let go of the Ctrl-C handler; and under
 * `--dry-run` print the estimate instead of calling a model.
 */
import type { CostEstimate } from '../agents/estimate-audit.ts';
import type { RoleName } from '../llm/model-roles.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { type ModelCommandOptions, type OpenedModels, openModels } from './model-options.ts';
import type { Output } from './output.ts';
import { renderEstimate } from './render-model-run.ts';

/** Open the models `uses` needs, run `work` with them, and dispose of them whatever happens. */
export async function withModels(
  options: ModelCommandOptions,
  target: string,
  context: { command: string; uses: readonly RoleName[]; output: Output; signal?: AbortSignal },
  work: (models: OpenedModels) => Promise<number>,
): Promise<number> {
  const models = openModels(options, target, context);
  try {
    return await work(models);
  } finally {
    models.dispose();
  }
}

/** `--dry-run`: the estimate and the budget. Returns the exit code (0). */
export function printEstimate(estimate: CostEstimate, session: ModelSession, output: Output): number {
  output.result(renderEstimate(estimate, output.width, session.maxCost));
  return 0;
}
