/**
 * `improve execute PLAN`: check the preconditions, create a disposable worktree on a new
 * `improve/NNN-slug` branch, hand the plan to an executor, review the result, and record the
 * verdict. Never merges and never touches the user's working tree, index or branches.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../core/errors.ts';
import { DEFAULT_EXECUTOR, type ExecutorOptions, resolveExecutor } from '../execute/adapters/registry.ts';
import { type Round, runRounds, type Settled, settleAttempt } from '../execute/attempt.ts';
import {
  type Attempt,
  discardAttempt,
  LOCK_WAIT_MS,
  leftovers,
  startAttempt,
  writePrompt,
} from '../execute/attempt-setup.ts';
import { checkDrift, type DriftResult } from '../execute/drift.ts';
import { executorPrompt } from '../execute/prompt.ts';
import { isLive, readRunState, writeRunState } from '../execute/run-state.ts';
import { inScope } from '../execute/scope-gate.ts';
import { type StartPoint, startPoint } from '../execute/start-point.ts';
import type { ExecutorAdapter, Review, ReviewModel, VerdictKind } from '../execute/types.ts';
import { displayPath, projectDirIn } from '../execute/workspace.ts';
import { changedPaths } from '../git/changes.ts';
import { formatStatus, type Plan, type PlanStatus } from '../plans/plan.ts';
import { loadPlans, updatePlanStatus } from '../plans/store.ts';
import { type LocatedPlan, type LocateOptions, locatePlan } from './plan-context.ts';

export const DEFAULT_TIMEOUT_SECONDS = 30 * 60;
export const DEFAULT_CRITERIA_TIMEOUT_SECONDS = 10 * 60;

export interface ExecuteOptions extends LocateOptions, ExecutorOptions {
  /** Executor name (default `handoff`). */
  executor?: string;
  /** Run even when the in-scope files changed since the plan was written. */
  force?: boolean;
  /** Remove an earlier attempt's worktree and branch first, and this attempt's when it is BLOCKED. */
  clean?: boolean;
  /** How long one executor run may take (default 30 minutes). */
  timeoutSeconds?: number;
  /** How long one done criterion may take in the review (default 10 minutes). */
  criteriaTimeoutSeconds?: number;
  maxRevisions?: number;
  signal?: AbortSignal;
  /** An optional reviewer model, asked once every gate passes. */
  reviewModel?: ReviewModel;
  /** Use this adapter instead of looking `executor` up in the registry. */
  adapter?: ExecutorAdapter;
  onProgress?: (message: string) => void;
}

export interface ExecuteResult {
  plan: Plan;
  /** The plan file, relative to the project root. */
  planFile: string;
  executor: string;
  /** The worktree (absolute) and as shown to the user. */
  worktree: string;
  worktreeShown: string;
  /** The project folder inside the worktree: where commands run. */
  workdir: string;
  branch: string;
  base: string;
  startedFrom?: string;
  startedFromPlan?: string;
  promptFile: string;
  drift: DriftResult;
  handedOff: boolean;
  interrupted: boolean;
  rounds: Round[];
  verdict?: VerdictKind;
  review?: Review;
  status: PlanStatus;
  committed?: string;
  cleaned: boolean;
  /** In-scope files with uncommitted changes in the user's tree: the attempt starts without them. */
  uncommittedInScope: string[];
}

function refuseStatus(plan: Plan): void {
  const { state } = plan.status;
  if (state === 'DONE') {
    throw new UsageError(
      `plan ${plan.id} is already ${formatStatus(plan.status)}`,
      'Nothing to do. `improve reconcile` re-checks done plans; set the status to TODO by hand to redo it.',
    );
  }
  if (state === 'REJECTED') {
    throw new UsageError(
      `plan ${plan.id} is ${formatStatus(plan.status)}`,
      'Set its status back to TODO in the plan file to execute it anyway.',
    );
  }
}

async function clearEarlierAttempt(located: LocatedPlan, clean: boolean): Promise<void> {
  const { project, plan } = located;
  const state = readRunState(project, plan);
  if (isLive(state)) {
    throw new UsageError(
      `plan ${plan.id} is being executed right now by another improve run (pid ${state?.pid})`,
      'Wait for it to finish; `improve status` shows live attempts.',
    );
  }
  const found = await leftovers(project, plan);
  if (!found.worktree && !found.branch) return;
  if (!clean) {
    const where = [
      found.worktree ? `worktree ${displayPath(project, found.worktree)}` : '',
      found.branch ?? '',
    ]
      .filter(Boolean)
      .join(', branch ');
    throw new UsageError(
      `plan ${plan.id} (${formatStatus(plan.status)}) already has an attempt: ${where}`,
      `Review it with \`improve review ${plan.number}\`, or discard it and start over with \`improve execute ${plan.number} --clean\`.`,
    );
  }
  await discardAttempt(project, plan);
}

async function preconditions(
  located: LocatedPlan,
  options: ExecuteOptions,
): Promise<{ start: StartPoint; drift: DriftResult }> {
  const { project, plan } = located;
  refuseStatus(plan);
  const head = (await project.git.head()) ?? '';
  const start = await startPoint(project, plan, located.loaded.plans, head);
  const drift = await checkDrift(project, plan, head);
  if (drift.drifted && !options.force) {
    throw new UsageError(
      `plan ${plan.id} has drifted: ${drift.detail}`,
      `Run \`improve reconcile\` to refresh or retire it, or pass --force to execute it anyway.`,
    );
  }
  await clearEarlierAttempt(located, options.clean ?? false);
  return { start, drift };
}

function baseResult(
  located: LocatedPlan,
  attempt: Attempt,
  drift: DriftResult,
  dependency?: string,
): ExecuteResult {
  const { project } = located;
  const result: ExecuteResult = {
    plan: located.plan,
    planFile: displayPath(project, located.file),
    executor: attempt.executor,
    worktree: attempt.worktree,
    worktreeShown: displayPath(project, attempt.worktree),
    workdir: projectDirIn(project, attempt.worktree),
    branch: attempt.branch,
    base: attempt.base,
    promptFile: attempt.promptFile,
    drift,
    handedOff: false,
    interrupted: false,
    rounds: [],
    status: { state: 'IN PROGRESS' },
    cleaned: false,
    uncommittedInScope: [],
  };
  if (attempt.startedFrom) result.startedFrom = attempt.startedFrom;
  if (dependency) result.startedFromPlan = dependency;
  return result;
}

function handOff(located: LocatedPlan, attempt: Attempt, result: ExecuteResult): ExecuteResult {
  const prompt = executorPrompt({
    planId: located.plan.id,
    planMarkdown: readFileSync(attempt.planCopy, 'utf8'),
    workdir: result.workdir,
    branch: attempt.branch,
    base: attempt.base,
    ...(attempt.startedFrom ? { startedFrom: attempt.startedFrom } : {}),
    round: 1,
  });
  writePrompt(attempt, prompt);
  writeRunState(located.project, located.plan, { ...attempt.state, phase: 'handed-off' });
  return { ...result, handedOff: true };
}

/** In-scope files the user changed but did not commit: the attempt, made from a commit, lacks them. */
async function uncommittedInScope(located: LocatedPlan): Promise<string[]> {
  const { project, plan } = located;
  const head = (await project.git.head()) ?? '';
  const lead = project.prefix === '' ? '' : `${project.prefix}/`;
  return (await changedPaths(project.top, head))
    .filter(
      (change) =>
        change.path.startsWith(lead) && inScope(change.path.slice(lead.length), plan.scope.in, change.change),
    )
    .map((change) => change.path.slice(lead.length));
}

/** Execute one located plan with a resolved adapter (shared by `execute` and `execute --all`). */
export async function executeLocated(
  located: LocatedPlan,
  adapter: ExecutorAdapter,
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  const { start, drift } = await preconditions(located, options);
  const attempt = await startAttempt(
    located.project,
    located.plansDir,
    located.plan,
    located.file,
    adapter.name,
    start,
  );
  const result = baseResult(located, attempt, drift, start.dependency);
  result.uncommittedInScope = await uncommittedInScope(located);
  if (adapter.defers) return handOff(located, attempt, result);
  const outcome = await runRounds(located.project, attempt, adapter, {
    timeoutMs: (options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    criteriaTimeoutMs: (options.criteriaTimeoutSeconds ?? DEFAULT_CRITERIA_TIMEOUT_SECONDS) * 1000,
    ...(options.maxRevisions !== undefined ? { maxRevisions: options.maxRevisions } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.reviewModel ? { reviewModel: options.reviewModel } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  result.rounds = outcome.rounds;
  if (outcome.interrupted || !outcome.verdict || !outcome.review) {
    const status: PlanStatus = {
      state: 'IN PROGRESS',
      reason: `interrupted; worktree ${result.worktreeShown}`,
    };
    writeRunState(located.project, located.plan, { ...attempt.state, phase: 'interrupted' });
    updatePlanStatus(located.plansDir, located.plan.id, status, { waitMs: LOCK_WAIT_MS });
    return { ...result, interrupted: true, status };
  }
  const settled: Settled = await settleAttempt(
    located.project,
    attempt,
    outcome.verdict,
    outcome.review,
    options.clean ?? false,
  );
  const plan = loadPlans(located.plansDir).plans.find((item) => item.id === located.plan.id) ?? located.plan;
  return {
    ...result,
    plan,
    verdict: outcome.verdict,
    review: outcome.review,
    status: settled.status,
    cleaned: settled.cleaned,
    ...(settled.committed ? { committed: settled.committed } : {}),
  };
}

/** `improve execute PLAN`. */
export async function executePlan(ref: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const adapter =
    options.adapter ??
    (await resolveExecutor(options.executor ?? DEFAULT_EXECUTOR, {
      ...(options.cmd !== undefined ? { cmd: options.cmd } : {}),
    }));
  const located = await locatePlan(ref, options, 'execute');
  return executeLocated(located, adapter, options);
}
