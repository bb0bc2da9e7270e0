/**
 * Setting up and tearing down an attempt: the worktree on its `improve/` branch, the read-only
 * plan copy and prompt under `.git/improve/runs/`, the run state, and the plan's IN PROGRESS
 * status with its branch and worktree recorded (so a crash leaves a state reconcile understands).
 */
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import {
  addWorktree,
  branchExists,
  deleteImproveBranch,
  listWorktrees,
  removeWorktree,
} from '../git/worktree.ts';
import type { Plan, PlanExecution } from '../plans/plan.ts';
import { updatePlanStatus } from '../plans/store.ts';
import { newRunState, type RunState, writeRunState } from './run-state.ts';
import type { StartPoint } from './start-point.ts';
import { attemptName, branchName, displayPath, type Project, runsDir, worktreePath } from './workspace.ts';
import { linkWorkspacePackages } from './workspace-links.ts';

/** How long a status update waits for another run holding the plans lock. */
export const LOCK_WAIT_MS = 15_000;

export interface Attempt {
  plan: Plan;
  plansDir: string;
  worktree: string;
  branch: string;
  base: string;
  startedFrom?: string;
  executor: string;
  planCopy: string;
  promptFile: string;
  state: RunState;
}

/** What is left of an earlier attempt: its worktree folder and/or branch. */
export async function leftovers(
  project: Project,
  plan: Pick<Plan, 'id' | 'slug'>,
): Promise<{ worktree?: string; branch?: string }> {
  const worktree = worktreePath(project, plan);
  const branch = branchName(plan);
  const found: { worktree?: string; branch?: string } = {};
  const known = await listWorktrees(project.top);
  if (existsSync(worktree) || known.some((item) => item.path === worktree)) found.worktree = worktree;
  if (await branchExists(project.top, branch)) found.branch = branch;
  return found;
}

/** Remove an attempt's worktree and its `improve/` branch. */
export async function discardAttempt(project: Project, plan: Pick<Plan, 'id' | 'slug'>): Promise<void> {
  const found = await leftovers(project, plan);
  if (found.worktree) {
    await removeWorktree(project.top, found.worktree);
    // A folder git no longer knows (left by a crash) is ours: it lies under .git/improve.
    rmSync(found.worktree, { recursive: true, force: true });
  }
  if (found.branch) await deleteImproveBranch(project.top, found.branch);
}

export function executionOf(project: Project, attempt: Omit<Attempt, 'state' | 'plan'>): PlanExecution {
  const execution: PlanExecution = {
    branch: attempt.branch,
    worktree: displayPath(project, attempt.worktree),
    base: attempt.base,
    executor: attempt.executor,
  };
  if (attempt.startedFrom) execution.startedFrom = attempt.startedFrom;
  return execution;
}

/** Create the worktree and record the attempt. The plan is IN PROGRESS from here on. */
export async function startAttempt(
  project: Project,
  plansDir: string,
  plan: Plan,
  planFile: string,
  executor: string,
  start: StartPoint,
): Promise<Attempt> {
  const worktree = worktreePath(project, plan);
  const branch = branchName(plan);
  mkdirSync(path.dirname(worktree), { recursive: true });
  await addWorktree(project.top, worktree, branch, start.base);
  await linkWorkspacePackages(project.top, worktree);
  const runs = runsDir(project);
  const planCopy = path.join(runs, `${attemptName(plan)}.plan.md`);
  copyFileSync(planFile, planCopy);
  const fields = {
    plansDir,
    worktree,
    branch,
    base: start.base,
    executor,
    planCopy,
    promptFile: path.join(runs, `${attemptName(plan)}.prompt.md`),
    ...(start.startedFrom ? { startedFrom: start.startedFrom } : {}),
  };
  const state = newRunState({
    plan: plan.id,
    executor,
    branch,
    worktree,
    base: start.base,
    ...(start.startedFrom ? { startedFrom: start.startedFrom } : {}),
  });
  writeRunState(project, plan, state);
  updatePlanStatus(
    plansDir,
    plan.id,
    { state: 'IN PROGRESS' },
    { execution: executionOf(project, fields), waitMs: LOCK_WAIT_MS },
  );
  return { ...fields, plan, state };
}

export function writePrompt(attempt: Attempt, prompt: string): void {
  writeFileAtomic.sync(attempt.promptFile, prompt);
}
