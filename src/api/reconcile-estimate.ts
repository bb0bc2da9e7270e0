/**
 * `improve reconcile --dry-run` with a planner: which BLOCKED plans would get a proposed rewrite,
 * and what those planner calls would cost, from their real prompts. Nothing is run or written.
 */
import type { CostEstimate } from '../agents/estimate-audit.ts';
import { estimatePlannerCalls, type PlannedCall } from '../agents/estimate-rework.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { plannedRewrite, type RewriteRepo } from '../reconcile/blocked-proposal.ts';
import { reworkRepo } from '../reconcile/rework-repo.ts';
import { type LocateOptions, openPlanContext } from './plan-context.ts';

export interface ReconcileEstimate {
  estimate: CostEstimate;
  /** BLOCKED plans that would get a proposal. */
  rewrites: string[];
  /** BLOCKED plans that already have one (no call). */
  proposed: string[];
}

export async function estimateReconcile(
  target: string | undefined,
  options: LocateOptions,
  session: ModelSession,
): Promise<ReconcileEstimate> {
  const context = await openPlanContext(target, options, 'reconcile');
  const { project } = context;
  const head = (await project.git.head()) ?? '';
  let repo: Promise<RewriteRepo> | undefined;
  const calls: PlannedCall[] = [];
  const result: ReconcileEstimate = {
    estimate: estimatePlannerCalls(session, []),
    rewrites: [],
    proposed: [],
  };
  for (const plan of context.loaded.plans) {
    const file = context.loaded.files.get(plan.number);
    if (plan.status.state !== 'BLOCKED' || file === undefined) continue;
    const call = await plannedRewrite({
      project,
      plansDir: context.plansDir,
      plan,
      file,
      head,
      // An estimate reads the working tree: no checkout is made.
      repo: () => {
        repo ??= reworkRepo(project.root);
        return repo;
      },
    });
    if (call) {
      calls.push(call);
      result.rewrites.push(plan.id);
    } else result.proposed.push(plan.id);
  }
  result.estimate = estimatePlannerCalls(session, calls);
  return result;
}
