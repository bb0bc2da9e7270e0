/**
 * One attempt at a plan: the executor works, the reviewer judges; a REVISE goes back to the same
 * executor with the reviewer's feedback, at most `maxRevisions` times, then the attempt is BLOCKED.
 */
import { readFileSync } from 'node:fs';
import { commitAll, uncommittedPaths } from '../git/changes.ts';
import type { PlanStatus } from '../plans/plan.ts';
import { updatePlanStatus } from '../plans/store.ts';
import { type Attempt, discardAttempt, LOCK_WAIT_MS, writePrompt } from './attempt-setup.ts';
import { executorPrompt } from './prompt.ts';
import { reviewAttempt } from './review.ts';
import { writeRunState } from './run-state.ts';
import type { ExecutorAdapter, ExecutorRun, Review, ReviewModel, VerdictKind } from './types.ts';
import { type Project, projectDirIn } from './workspace.ts';

export interface Round {
  round: number;
  run: ExecutorRun;
  review?: Review;
}

export interface RoundsOptions {
  timeoutMs: number;
  criteriaTimeoutMs: number;
  /** REVISE rounds allowed after the first attempt (default 2). */
  maxRevisions?: number;
  signal?: AbortSignal;
  reviewModel?: ReviewModel;
  onProgress?: (message: string) => void;
}

export interface AttemptOutcome {
  rounds: Round[];
  /** Undefined when interrupted before a verdict. */
  verdict?: VerdictKind;
  review?: Review;
  interrupted: boolean;
}

/** The feedback a REVISE sends back: the review's problems as a list. */
export function feedbackText(review: Review): string {
  return review.problems.map((problem) => `- ${problem}`).join('\n');
}

export async function runRounds(
  project: Project,
  attempt: Attempt,
  adapter: ExecutorAdapter,
  options: RoundsOptions,
): Promise<AttemptOutcome> {
  const maxRounds = 1 + (options.maxRevisions ?? 2);
  const planMarkdown = readFileSync(attempt.planCopy, 'utf8');
  const rounds: Round[] = [];
  let feedback: string | undefined;
  for (let round = 1; round <= maxRounds; round += 1) {
    const prompt = executorPrompt({
      planId: attempt.plan.id,
      planMarkdown,
      workdir: projectDirIn(project, attempt.worktree),
      branch: attempt.branch,
      base: attempt.base,
      ...(attempt.startedFrom ? { startedFrom: attempt.startedFrom } : {}),
      round,
      ...(feedback !== undefined ? { feedback } : {}),
    });
    writePrompt(attempt, prompt);
    writeRunState(project, attempt.plan, { ...attempt.state, phase: 'executing', round });
    options.onProgress?.(`plan ${attempt.plan.id}, round ${round}: ${adapter.name} executor working…`);
    const run = await adapter.run({
      worktree: projectDirIn(project, attempt.worktree),
      planFile: attempt.planCopy,
      promptFile: attempt.promptFile,
      prompt,
      round,
      files: attempt.plan.scope.in.map((entry) => entry.path),
      timeoutMs: options.timeoutMs,
      ...(feedback !== undefined ? { feedback } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const current: Round = { round, run };
    rounds.push(current);
    if (run.interrupted || options.signal?.aborted) return { rounds, interrupted: true };
    writeRunState(project, attempt.plan, { ...attempt.state, phase: 'reviewing', round });
    options.onProgress?.(`plan ${attempt.plan.id}, round ${round}: reviewing…`);
    const review = await reviewAttempt({
      project,
      plan: attempt.plan,
      worktree: attempt.worktree,
      base: attempt.base,
      run,
      executorTimeoutMs: options.timeoutMs,
      criteriaTimeoutMs: options.criteriaTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.reviewModel ? { reviewModel: options.reviewModel } : {}),
    });
    current.review = review;
    if (options.signal?.aborted) return { rounds, interrupted: true };
    if (review.verdict !== 'REVISE') return { rounds, verdict: review.verdict, review, interrupted: false };
    if (round === maxRounds) {
      const blocked: Review = {
        ...review,
        verdict: 'BLOCK',
        reason: `still not approved after ${maxRounds} rounds: ${review.reason}`,
      };
      return { rounds, verdict: 'BLOCK', review: blocked, interrupted: false };
    }
    feedback = feedbackText(review);
  }
  return { rounds, interrupted: false };
}

/** The plan status a verdict leads to. */
export function statusFor(verdict: VerdictKind, review: Review): PlanStatus {
  if (verdict === 'APPROVE') return { state: 'DONE', reason: 'approved, not merged yet' };
  if (verdict === 'BLOCK') return { state: 'BLOCKED', reason: review.reason };
  return { state: 'IN PROGRESS', reason: `revise: ${review.reason}` };
}

export interface Settled {
  status: PlanStatus;
  /** The commit improve made of what the executor left uncommitted, on APPROVE. */
  committed?: string;
  /** The worktree and branch were removed (--clean after BLOCK). */
  cleaned: boolean;
}

/**
 * Record the verdict: commit leftovers on the attempt's branch when approved, remove a blocked
 * attempt with `clean`, and set the plan's status (and the index) under the lock.
 */
export async function settleAttempt(
  project: Project,
  attempt: Pick<Attempt, 'plan' | 'plansDir' | 'worktree' | 'branch' | 'state'>,
  verdict: VerdictKind,
  review: Review,
  clean: boolean,
): Promise<Settled> {
  const settled: Settled = { status: statusFor(verdict, review), cleaned: false };
  if (verdict === 'APPROVE' && (await uncommittedPaths(attempt.worktree)).length > 0) {
    settled.committed = await commitAll(
      attempt.worktree,
      `improve plan ${attempt.plan.id}: ${attempt.plan.title}\n\nThe executor left this work uncommitted; improve committed it after the review approved it.`,
    );
  }
  writeRunState(project, attempt.plan, {
    ...attempt.state,
    phase: verdict === 'REVISE' ? 'handed-off' : 'finished',
    verdict,
  });
  if (verdict === 'BLOCK' && clean) {
    await discardAttempt(project, attempt.plan);
    settled.cleaned = true;
  }
  updatePlanStatus(attempt.plansDir, attempt.plan.id, settled.status, {
    ...(settled.cleaned ? { execution: null } : {}),
    waitMs: LOCK_WAIT_MS,
  });
  return settled;
}
