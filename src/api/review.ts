/**
 * `improve review PLAN`: the same review `execute` runs, on whatever is in the plan's worktree
 * (after `handoff`, or work done by hand) or, when the worktree is gone, on its branch.
 */
import { ImproveError, UsageError } from '../core/errors.ts';
import { settleAttempt } from '../execute/attempt.ts';
import { leftovers } from '../execute/attempt-setup.ts';
import { type Checkout, openCheckout } from '../execute/checkout.ts';
import { reviewAttempt } from '../execute/review.ts';
import { isLive, newRunState, type RunState, readRunState } from '../execute/run-state.ts';
import type { Review, ReviewModel, VerdictKind } from '../execute/types.ts';
import { branchName, displayPath } from '../execute/workspace.ts';
import type { Plan, PlanStatus } from '../plans/plan.ts';
import { loadPlans } from '../plans/store.ts';
import { DEFAULT_CRITERIA_TIMEOUT_SECONDS } from './execute.ts';
import { type LocatedPlan, type LocateOptions, locatePlan } from './plan-context.ts';

export interface ReviewOptions extends LocateOptions {
  criteriaTimeoutSeconds?: number;
  signal?: AbortSignal;
  reviewModel?: ReviewModel;
}

export interface ReviewResult {
  plan: Plan;
  branch: string;
  /** Where the review ran, as shown to the user. */
  reviewedIn: string;
  /** The worktree was gone, so the branch was reviewed in a temporary checkout. */
  fromBranch: boolean;
  base: string;
  verdict: VerdictKind;
  review: Review;
  status: PlanStatus;
  committed?: string;
}

interface Target {
  worktree: string;
  branch: string;
  base: string;
  /** Set when the branch is reviewed in a throw-away checkout. */
  checkout?: Checkout;
}

/**
 * The start of work done without `improve execute` (a person following the plan on its branch):
 * the planned-at commit when the branch grew from it, else where the branch meets HEAD.
 */
async function inferBase(located: LocatedPlan, tip: string): Promise<string> {
  const { git } = located.project;
  const planned = located.plan.plannedAt.sha;
  if (planned && (await git.revExists(planned)) && (await git.isAncestor(planned, tip))) return planned;
  const head = (await git.head()) ?? tip;
  return (await git.mergeBase(tip, head)) ?? head;
}

async function findTarget(located: LocatedPlan): Promise<Target> {
  const { project, plan } = located;
  const state = readRunState(project, plan);
  const branch = plan.execution?.branch ?? state?.branch ?? branchName(plan);
  const found = await leftovers(project, plan);
  const tip = await project.git.resolveCommit(branch);
  const head = (await project.git.head()) ?? '';
  const base = plan.execution?.base ?? state?.base ?? (tip ? await inferBase(located, tip) : head);
  if (found.worktree) return { worktree: found.worktree, branch, base };
  if (!tip) {
    throw new UsageError(
      `plan ${plan.id} has no attempt to review: no worktree and no branch ${branch}`,
      `Start one with \`improve execute ${plan.number}\` (it prepares a worktree for you to work in).`,
    );
  }
  const checkout = await openCheckout(project, tip, `review-${plan.id}`);
  return { worktree: checkout.worktree, branch, base, checkout };
}

export async function reviewPlan(ref: string, options: ReviewOptions = {}): Promise<ReviewResult> {
  const located = await locatePlan(ref, options, 'review');
  const { project, plan } = located;
  const live = readRunState(project, plan);
  if (isLive(live)) {
    throw new UsageError(
      `plan ${plan.id} is being executed right now by another improve run (pid ${live?.pid}); it reviews its own work`,
      'Wait for it to finish.',
    );
  }
  const target = await findTarget(located);
  try {
    const review = await reviewAttempt({
      project,
      plan,
      worktree: target.worktree,
      base: target.base,
      criteriaTimeoutMs: (options.criteriaTimeoutSeconds ?? DEFAULT_CRITERIA_TIMEOUT_SECONDS) * 1000,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.reviewModel ? { reviewModel: options.reviewModel } : {}),
    });
    if (options.signal?.aborted) {
      throw new ImproveError(
        `interrupted: the review of plan ${plan.id} was stopped; nothing was recorded`,
        130,
      );
    }
    const state: RunState =
      live ??
      newRunState({
        plan: plan.id,
        executor: plan.execution?.executor ?? 'handoff',
        branch: target.branch,
        worktree: target.worktree,
        base: target.base,
      });
    const settled = await settleAttempt(
      project,
      { plan, plansDir: located.plansDir, worktree: target.worktree, branch: target.branch, state },
      review.verdict,
      review,
      false,
    );
    const updated = loadPlans(located.plansDir).plans.find((item) => item.id === plan.id) ?? plan;
    return {
      plan: updated,
      branch: target.branch,
      reviewedIn: target.checkout
        ? `a temporary checkout of ${target.branch}`
        : displayPath(project, target.worktree),
      fromBranch: target.checkout !== undefined,
      base: target.base,
      verdict: review.verdict,
      review,
      status: settled.status,
      ...(settled.committed ? { committed: settled.committed } : {}),
    };
  } finally {
    await target.checkout?.dispose();
  }
}
