/**
 * `improve status [PATH]`: the plans and their statuses, the attempts' branches and worktrees
 * (live or abandoned), and the cost ledger's totals when model calls were recorded.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { isLive, readRunState } from '../execute/run-state.ts';
import { displayPath, knownWorktrees, type Project, resolveRecorded } from '../execute/workspace.ts';
import { type CostSummary, formatCostLine, summarizeCosts } from '../llm/cost-summary.ts';
import type { LedgerEntry } from '../llm/ledger.ts';
import { ledgerPathFor } from '../llm/ledger-path.ts';
import { ROLES } from '../llm/model-roles.ts';
import type { Plan } from '../plans/plan.ts';
import { choosePlansDir, loadPlans } from '../plans/store.ts';
import { type LocateOptions, openPlanContext } from './plan-context.ts';

export interface AttemptInfo {
  branch: string;
  /** As shown to the user. */
  worktree: string;
  worktreeExists: boolean;
  /** A process on this machine is working on it right now. */
  live: boolean;
  pid?: number;
}

export interface PlanRow {
  plan: Plan;
  attempt?: AttemptInfo;
}

export interface WorktreeRow {
  /** As shown to the user. */
  path: string;
  branch?: string;
  /** The plan id the worktree belongs to, when one does. */
  plan?: string;
  live: boolean;
}

export interface StatusResult {
  root: string;
  plansRelative: string;
  rows: PlanRow[];
  /** improve's worktrees (under `.git/improve/worktrees`). */
  worktrees: WorktreeRow[];
  /** Set when there is no git repository (no worktrees can exist). */
  noGit?: string;
  /** Model-call totals; undefined when no ledger exists. */
  costs?: { summary: CostSummary; line: string };
  problems: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NUMBERS = ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'latencyMs'] as const;

function isLedgerEntry(value: unknown): value is LedgerEntry {
  if (!isRecord(value)) return false;
  if (typeof value.role !== 'string' || !(ROLES as readonly string[]).includes(value.role)) return false;
  if (typeof value.provider !== 'string' || typeof value.model !== 'string') return false;
  if (!NUMBERS.every((key) => typeof value[key] === 'number')) return false;
  return value.costUsd === null || typeof value.costUsd === 'number';
}

/** Ledger entries from the JSONL file; damaged lines are counted, not fatal. */
export function readLedger(file: string): { entries: LedgerEntry[]; damaged: number } | undefined {
  if (!existsSync(file)) return undefined;
  const entries: LedgerEntry[] = [];
  let damaged = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isLedgerEntry(value)) entries.push(value);
      else damaged += 1;
    } catch {
      damaged += 1;
    }
  }
  return { entries, damaged };
}

async function attemptRows(project: Project, plans: readonly Plan[]): Promise<PlanRow[]> {
  const known = await knownWorktrees(project);
  return plans.map((plan) => {
    const state = readRunState(project, plan);
    const branch = plan.execution?.branch ?? state?.branch;
    const recorded = plan.execution ? resolveRecorded(project, plan.execution.worktree) : state?.worktree;
    if (!branch || !recorded) return { plan };
    const attempt: AttemptInfo = {
      branch,
      worktree: displayPath(project, recorded),
      worktreeExists: existsSync(recorded) && known.some((item) => item.path === recorded),
      live: isLive(state),
    };
    if (attempt.live && state) attempt.pid = state.pid;
    return { plan, attempt };
  });
}

async function worktreeRows(project: Project, rows: readonly PlanRow[]): Promise<WorktreeRow[]> {
  const dir = path.join(project.improveDir, 'worktrees') + path.sep;
  const known = await knownWorktrees(project);
  return known
    .filter((item) => item.path.startsWith(dir))
    .map((item) => {
      const shown = displayPath(project, item.path);
      const row = rows.find((candidate) => candidate.attempt?.worktree === shown);
      const worktree: WorktreeRow = { path: shown, live: row?.attempt?.live ?? false };
      if (item.branch) worktree.branch = item.branch;
      if (row) worktree.plan = row.plan.id;
      return worktree;
    });
}

export async function status(target: string | undefined, options: LocateOptions = {}): Promise<StatusResult> {
  const dir = path.resolve(options.cwd ?? process.cwd(), target ?? '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(
      `${dir} is not a directory`,
      'Pass the folder you audited (default: the current one).',
    );
  }
  let result: StatusResult;
  try {
    const context = await openPlanContext(target, options, 'status');
    const rows = await attemptRows(context.project, context.loaded.plans);
    result = {
      root: context.project.root,
      plansRelative: context.plansRelative,
      rows,
      worktrees: await worktreeRows(context.project, rows),
      problems: context.loaded.problems,
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const chosen = choosePlansDir(dir, options.plansDir);
    const loaded = loadPlans(chosen.dir);
    result = {
      root: dir,
      plansRelative: chosen.relative,
      rows: loaded.plans.map((plan) => ({ plan })),
      worktrees: [],
      noGit: error.message,
      problems: loaded.problems,
    };
  }
  const ledger = readLedger(ledgerPathFor(result.root));
  if (ledger && ledger.entries.length > 0) {
    const summary = summarizeCosts(ledger.entries);
    result.costs = { summary, line: formatCostLine(summary) };
  }
  if (ledger && ledger.damaged > 0)
    result.problems.push(`the cost ledger has ${ledger.damaged} unreadable line(s)`);
  return result;
}
