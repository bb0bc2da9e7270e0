/**
 * The typed form of one plan file. Markdown is rendered from a Plan and parsed back into one;
 * the front matter carries the structured fields, the body the executor-facing content.
 */
import type { Category, Effort, Risk } from '../core/types.ts';

export const PLAN_STATES = ['TODO', 'IN PROGRESS', 'DONE', 'BLOCKED', 'REJECTED'] as const;
export type PlanState = (typeof PLAN_STATES)[number];

/** How a plan's status reason begins when reconcile retired it because its finding was gone. */
export const FIXED_INDEPENDENTLY = 'fixed independently:';
/** How a TODO plan's status reason begins once reconcile found its quoted code changed. */
export const STALE = 'stale:';
/** How a DONE plan's status reason begins once reconcile found its fix merged and passing. */
export const VERIFIED = 'verified on ';

export interface PlanStatus {
  state: PlanState;
  /** Why a plan is BLOCKED or REJECTED (optional for the other states). */
  reason?: string;
}

export type Priority = 'P1' | 'P2' | 'P3';

/** A command and its machine-checkable expected result (see expect.ts for the grammar). */
export interface DoneCriterion {
  run: string;
  expect: string;
}

export interface ScopeIn {
  path: string;
  reason: string;
  /** The file does not exist yet; the executor creates it. */
  create?: boolean;
}

export interface ScopeOut {
  path: string;
  reason: string;
}

/** A real excerpt of a cited file (already redacted), with the fence language. */
export interface PlanExcerpt {
  file: string;
  startLine: number;
  endLine: number;
  excerpt: string;
  language: string;
}

/** One row of "Commands you will need": only commands the repository itself defines. */
export interface PlanCommand {
  purpose: string;
  command: string;
  expected: string;
}

export interface PlanStep {
  title: string;
  detail: string;
  verify: DoneCriterion;
}

export interface TestPlan {
  /** An existing test file to copy the style of. */
  patternFile?: string;
  /** A plain statement when testing is limited (e.g. the repo has no test command). */
  note?: string;
  cases: string[];
}

/**
 * Where a plan is being (or was) carried out: written by `improve execute`, read by `review`,
 * `reconcile` and `status`. Absent on plans that were never executed.
 */
export interface PlanExecution {
  /** The attempt's branch, e.g. `improve/003-fix-empty-catch`. */
  branch: string;
  /** The worktree, relative to the repository root when it lies inside it (under `.git/improve/`). */
  worktree: string;
  /** The commit the branch started from. */
  base: string;
  /** The executor adapter that ran (or was handed) the plan. */
  executor: string;
  /** Set when the attempt started from a dependency's approved, unmerged branch. */
  startedFrom?: string;
}

/** The drift-check command, or why there is none (no git, no commit). */
export type DriftCheck = { command: string } | { command: null; reason: string };

export interface Plan {
  /** Zero-padded number, e.g. "003". */
  id: string;
  number: number;
  slug: string;
  title: string;
  status: PlanStatus;
  priority: Priority;
  effort: Effort;
  risk: Risk;
  category: Category;
  /** Ids of plans to finish first. */
  dependsOn: string[];
  plannedAt: { sha: string | null; date: string };
  scope: { in: ScopeIn[]; out: ScopeOut[] };
  doneCriteria: DoneCriterion[];
  /** Finding ids this plan addresses. */
  findings: string[];
  /** Issue URL once published. */
  issue?: string;
  /** The latest execution attempt's branch and worktree. */
  execution?: PlanExecution;

  why: string;
  currentState: PlanExcerpt[];
  commands: PlanCommand[];
  gitWorkflow: string[];
  steps: PlanStep[];
  testPlan: TestPlan;
  stopConditions: string[];
  maintenance: string[];
  driftCheck: DriftCheck;
}

/** The expected result of the drift check: it must succeed and print nothing. */
export const DRIFT_EXPECT = 'exit 0 and stdout empty';

export function formatStatus(status: PlanStatus): string {
  return status.reason ? `${status.state} (${status.reason})` : status.state;
}

/** Parse `TODO`, `BLOCKED (reason)` …; undefined when the text is not a status. */
export function parseStatus(text: string): PlanStatus | undefined {
  const match = /^(TODO|IN PROGRESS|DONE|BLOCKED|REJECTED)(?:\s+\((.*)\))?$/s.exec(text.trim());
  const state = PLAN_STATES.find((s) => s === match?.[1]);
  if (!match || !state) return undefined;
  const reason = match[2]?.trim();
  return reason ? { state, reason } : { state };
}

/** The plan file name, e.g. `003-fix-empty-catch.md`. */
export function planFileName(plan: Pick<Plan, 'id' | 'slug'>): string {
  return `${plan.id}-${plan.slug}.md`;
}

export type { CommandResult, ExpectClause } from './expect.ts';
export { checkExpect, formatExpect, parseExpect } from './expect.ts';

/** Zero-padded plan id: 3 → "003". */
export function formatPlanId(number: number): string {
  return String(number).padStart(3, '0');
}
