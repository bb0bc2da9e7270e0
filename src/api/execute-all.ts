/**
 * `improve execute --all [--jobs N]`: every runnable TODO plan, independent ones in parallel
 * worktrees, in dependency order. A plan whose dependency was approved in this run (or before) but
 * not merged starts from that dependency's branch.
 */
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { DEFAULT_EXECUTOR, resolveExecutor } from '../execute/adapters/registry.ts';
import type { ExecutorAdapter } from '../execute/types.ts';
import { formatStatus, type Plan } from '../plans/plan.ts';
import { loadPlans } from '../plans/store.ts';
import { type ExecuteOptions, type ExecuteResult, executeLocated } from './execute.ts';
import { openPlanContext, type PlanContext } from './plan-context.ts';

export interface ExecuteAllOptions extends ExecuteOptions {
  /** How many plans run at once (default 2). */
  jobs?: number;
}

export interface SkippedPlan {
  plan: Plan;
  reason: string;
}

export interface ExecuteAllResult {
  results: ExecuteResult[];
  skipped: SkippedPlan[];
  interrupted: boolean;
}

export const DEFAULT_JOBS = 2;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why `plan` cannot run (now or ever in this run), or undefined when it is ready. 'wait' = later. */
function readiness(
  plan: Plan,
  plans: readonly Plan[],
  pending: ReadonlySet<string>,
): string | 'wait' | undefined {
  const byId = new Map(plans.map((item) => [item.id, item]));
  for (const id of plan.dependsOn) {
    if (pending.has(id)) return 'wait';
    const dependency = byId.get(id);
    if (!dependency) return `depends on plan ${id}, which has no plan file here`;
    if (dependency.status.state !== 'DONE')
      return `depends on plan ${id}, which is ${formatStatus(dependency.status)}`;
  }
  return undefined;
}

export async function executeAll(options: ExecuteAllOptions = {}): Promise<ExecuteAllResult> {
  const adapter: ExecutorAdapter =
    options.adapter ??
    (await resolveExecutor(options.executor ?? DEFAULT_EXECUTOR, {
      ...(options.cmd !== undefined ? { cmd: options.cmd } : {}),
    }));
  if (adapter.defers) {
    throw new UsageError(
      `--all needs an executor that works unattended; ${adapter.name} hands each plan over to you`,
      'Choose one with --executor (cmd, claude, codex, aider, opencode), or run `improve execute N` per plan.',
    );
  }
  const context: PlanContext = await openPlanContext(undefined, options, 'execute');
  const jobs = Math.max(1, options.jobs ?? DEFAULT_JOBS);
  const todo = context.loaded.plans.filter((plan) => plan.status.state === 'TODO');
  const pending = new Set(todo.map((plan) => plan.id));
  const results: ExecuteResult[] = [];
  const skipped: SkippedPlan[] = [];
  const running = new Map<string, Promise<void>>();

  const run = async (plan: Plan): Promise<void> => {
    try {
      const file = context.loaded.files.get(plan.number) ?? '';
      const loaded = loadPlans(context.plansDir);
      const fresh = loaded.plans.find((item) => item.id === plan.id) ?? plan;
      const located = { ...context, loaded, plan: fresh, file: path.join(context.plansDir, file) };
      results.push(await executeLocated(located, adapter, options));
    } catch (error) {
      // A refusal (drift, an earlier attempt) or a failure skips this plan; the others go on.
      skipped.push({
        plan,
        reason: error instanceof UsageError ? errorText(error) : `failed: ${errorText(error)}`,
      });
    } finally {
      pending.delete(plan.id);
      running.delete(plan.id);
    }
  };

  for (;;) {
    if (options.signal?.aborted) break;
    const plans = loadPlans(context.plansDir).plans;
    for (const plan of todo) {
      if (!pending.has(plan.id) || running.has(plan.id)) continue;
      const ready = readiness(plan, plans, new Set([...pending].filter((id) => id !== plan.id)));
      if (ready === 'wait') continue;
      if (ready !== undefined) {
        skipped.push({ plan, reason: ready });
        pending.delete(plan.id);
        continue;
      }
      if (running.size >= jobs) break;
      running.set(plan.id, run(plan));
    }
    if (running.size === 0) {
      for (const plan of todo.filter((item) => pending.has(item.id))) {
        skipped.push({ plan, reason: 'its dependencies form a cycle or never became DONE' });
      }
      break;
    }
    await Promise.race(running.values());
  }
  await Promise.all(running.values());
  results.sort((a, b) => a.plan.number - b.plan.number);
  skipped.sort((a, b) => a.plan.number - b.plan.number);
  return { results, skipped, interrupted: options.signal?.aborted ?? false };
}
