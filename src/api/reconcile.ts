/**
 * `improve reconcile [PATH]`: keep the backlog true as the code moves on. DONE plans are
 * re-verified once merged, BLOCKED ones shown with their reason (and, with a planner, a proposed
 * rewrite written next to them), abandoned attempts flagged with their worktree, and drifted TODO
 * plans refreshed (quoted code intact, rule still reporting it), retired (fixed independently) or
 * marked stale. Checks run in a temporary checkout of HEAD; only the plans folder is written.
 */

import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Clock, systemClock } from '../core/clock.ts';
import type { Finding, RepoProfile } from '../core/types.ts';
import { lazyCheckout } from '../execute/checkout.ts';
import { runCriteria } from '../execute/criteria.ts';
import { readRunState } from '../execute/run-state.ts';
import { branchExists } from '../git/worktree.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { type Plan, type PlanStatus, STALE } from '../plans/plan.ts';
import { proposalFileName } from '../plans/plan-proposal.ts';
import { type ExcerptMove, refreshPlanText } from '../plans/refresh-plan.ts';
import { loadPlans, refreshIndex, rewritePlan, updatePlanStatus } from '../plans/store.ts';
import { recon } from '../recon/recon.ts';
import { proposeRewrite, type RewriteRepo } from '../reconcile/blocked-proposal.ts';
import {
  cheapCriteria,
  fixedStatus,
  reconcileInProgress,
  reconcileTodo,
  regressedStatus,
  staleStatus,
  verifiedStatus,
} from '../reconcile/reconcile-plan.ts';
import { rerunDetector } from '../reconcile/rerun-detector.ts';
import { reworkRepo } from '../reconcile/rework-repo.ts';
import { DEFAULT_CRITERIA_TIMEOUT_SECONDS } from './execute.ts';
import { type LocateOptions, openPlanContext, type PlanContext } from './plan-context.ts';

export type ReconcileAction =
  | 'verified'
  | 'regressed'
  | 'not-merged'
  | 'unverifiable'
  | 'blocked'
  | 'running'
  | 'abandoned'
  | 'ready'
  | 'waiting'
  | 'refreshed'
  | 'rejected'
  | 'superseded'
  | 'stale'
  | 'skipped'
  | 'elsewhere';

export interface ReconcileEntry {
  plan: Plan;
  action: ReconcileAction;
  /** One line: what was found and, when something is to do, what to do. */
  detail: string;
  /** The new status, when reconcile changed it. */
  changedTo?: PlanStatus;
  /** A BLOCKED plan's proposed rewrite (relative to the root), written now or found from before. */
  proposal?: { file: string; written: boolean };
  /** Why a BLOCKED plan got no proposal although a planner was configured. */
  proposalNote?: string;
}

export interface ReconcileResult {
  root: string;
  plansRelative: string;
  head: string;
  entries: ReconcileEntry[];
  problems: string[];
  /** A planner was given: BLOCKED plans were offered a rewrite. */
  modelUsed: boolean;
}

export interface ReconcileOptions extends LocateOptions {
  criteriaTimeoutSeconds?: number;
  signal?: AbortSignal;
  /** A session with a planner: each BLOCKED plan without a proposal gets one. */
  model?: ModelSession;
  /** The date of proposals (default: the system clock). */
  clock?: Clock;
}

const LOCK_WAIT_MS = 15_000;

/** What every per-plan step needs. */
interface Run {
  context: PlanContext;
  head: string;
  timeoutMs: number;
  checkout: { dir(): Promise<string> };
  signal?: AbortSignal;
  model?: ModelSession;
  date: string;
  /** The repository at HEAD as the planner sees it, made once when first needed. */
  repo: () => Promise<RewriteRepo>;
  /** Recon of the checkout, made once: every plan whose rule is re-run reads the same tree. */
  profileOf: (dir: string) => Promise<RepoProfile>;
}

function setStatus(run: Run, plan: Plan, status: PlanStatus): void {
  updatePlanStatus(run.context.plansDir, plan.id, status, { waitMs: LOCK_WAIT_MS });
}

async function reconcileDone(run: Run, plan: Plan): Promise<ReconcileEntry> {
  const { project } = run.context;
  const branch = plan.execution?.branch;
  if (branch && (await branchExists(project.top, branch))) {
    const tip = await project.git.resolveCommit(branch);
    if (tip && !(await project.git.isAncestor(tip, run.head))) {
      return { plan, action: 'not-merged', detail: `approved, not merged yet: ${branch}` };
    }
  }
  const cheap = cheapCriteria(plan);
  if (cheap.length === 0) {
    const commands = plan.doneCriteria.map((criterion) => `\`${criterion.run}\``).join(', ');
    return {
      plan,
      action: 'unverifiable',
      detail: `no cheap done criterion to re-run: ${commands ? `${commands} ${plan.doneCriteria.length === 1 ? "is the repository's own check" : "are the repository's own checks"}, not run here` : 'it has none'}`,
    };
  }
  const results = await runCriteria(await run.checkout.dir(), cheap, {
    timeoutMs: run.timeoutMs,
    ...(run.signal ? { signal: run.signal } : {}),
  });
  const failed = results.find((result) => !result.passed);
  if (failed) {
    const status = regressedStatus(run.head, failed.run);
    setStatus(run, plan, status);
    return { plan, action: 'regressed', detail: status.reason ?? '', changedTo: status };
  }
  if (plan.status.reason?.startsWith('verified')) {
    return { plan, action: 'verified', detail: `${cheap.length} done criteria still pass on HEAD` };
  }
  const status = verifiedStatus(run.head);
  setStatus(run, plan, status);
  return {
    plan,
    action: 'verified',
    detail: `${cheap.length} done criteria pass on HEAD`,
    changedTo: status,
  };
}

/**
 * Whether the plan was written on history HEAD does not contain (`improve branch` on a feature
 * branch, reconciled from main): its code is not here, so nothing here can say it was fixed or
 * changed. A planned-at commit git no longer knows (rebased away) is judged as before.
 */
async function plannedElsewhere(run: Run, plan: Plan): Promise<boolean> {
  const sha = plan.plannedAt.sha;
  const git = run.context.project.git;
  if (!sha || (await git.resolveCommit(sha)) === undefined) return false;
  return !(await git.isAncestor(sha, run.head));
}

/**
 * The ids the plan's findings have in the files git saw renamed: a finding's id names its file, so
 * the audit would plan the moved problem again under the new id. A finding counts when it starts
 * inside a moved excerpt.
 */
function idsInRenamedFiles(
  plan: Plan,
  findings: readonly Finding[],
  moves: readonly ExcerptMove[],
): string[] {
  const ids = findings
    .filter((finding) => {
      const first = finding.evidence[0];
      return moves.some(
        (move) =>
          move.toFile !== undefined &&
          first?.file === move.toFile &&
          first.startLine >= move.to.startLine &&
          first.startLine <= move.to.endLine,
      );
    })
    .map((finding) => finding.id);
  return [...new Set(ids)].filter((id) => !plan.findings.includes(id));
}

/**
 * The quoted places (as the plan cites them) where the rule reports nothing now, at the place the
 * quote is found at HEAD: a plan grouping several findings, some of them fixed below their quote.
 */
function unreportedExcerpts(
  plan: Plan,
  findings: readonly Finding[],
  moves: readonly ExcerptMove[],
): string[] {
  return plan.currentState
    .filter((excerpt) => {
      const move = moves.find(
        (candidate) => candidate.file === excerpt.file && candidate.from.startLine === excerpt.startLine,
      );
      const file = move?.toFile ?? excerpt.file;
      const { startLine, endLine } = move ? move.to : excerpt;
      return !findings.some((finding) =>
        finding.evidence.some(
          (evidence) =>
            evidence.file === file && evidence.startLine <= endLine && evidence.endLine >= startLine,
        ),
      );
    })
    .map((excerpt) => `${excerpt.file}:${excerpt.startLine}-${excerpt.endLine}`);
}

function retireAsFixed(run: Run, plan: Plan): ReconcileEntry {
  const status = fixedStatus(run.head);
  setStatus(run, plan, status);
  return { plan, action: 'rejected', detail: status.reason ?? '', changedTo: status };
}

async function reconcileTodoPlan(run: Run, plan: Plan): Promise<ReconcileEntry> {
  if (await plannedElsewhere(run, plan)) {
    return {
      plan,
      action: 'elsewhere',
      detail: `planned at ${plan.plannedAt.sha?.slice(0, 12)}, which HEAD does not contain (another branch): judged where that code is`,
    };
  }
  const outcome = await reconcileTodo(run.context.project, plan, run.context.loaded.plans, run.head);
  if (outcome.kind === 'ready' || outcome.kind === 'waiting') {
    if (plan.status.reason?.startsWith(STALE)) setStatus(run, plan, { state: 'TODO' });
    return outcome.kind === 'ready'
      ? { plan, action: 'ready', detail: `executable now: \`improve execute ${plan.number}\`` }
      : { plan, action: 'waiting', detail: outcome.reason };
  }
  if (outcome.kind === 'refresh') {
    // Quoted code can outlive its problem: a test's opening lines are quoted, the assertion it
    // lacked is added below them. Only a rule that still reports it keeps the plan.
    const renamed = new Map(outcome.moves.flatMap((move) => (move.toFile ? [[move.file, move.toFile]] : [])));
    const verdict = await rerunDetector(await run.checkout.dir(), plan, renamed, run.profileOf);
    if (verdict.kind === 'gone') return retireAsFixed(run, plan);
    const unreported =
      verdict.kind === 'present' ? unreportedExcerpts(plan, verdict.findings, outcome.moves) : [];
    if (unreported.length > 0) {
      const more = unreported.length > 1 ? ` and ${unreported.length - 1} more quoted place(s)` : '';
      return markStale(
        run,
        plan,
        unreported.length > 1
          ? `${unreported[0]}${more} still read as quoted, but the rule no longer reports them there (fixed below the quote?)`
          : `${unreported[0]} still reads as quoted, but the rule no longer reports it there (fixed below the quote?)`,
      );
    }
    const ids = verdict.kind === 'present' ? idsInRenamedFiles(plan, verdict.findings, outcome.moves) : [];
    rewritePlan(
      run.context.plansDir,
      plan.id,
      (text, file) => refreshPlanText(text, plan.plannedAt.sha, run.head, outcome.moves, file, ids),
      { waitMs: LOCK_WAIT_MS },
    );
    const moved = outcome.moves.map(
      (move) =>
        `${move.file}:${move.from.startLine}→${move.toFile ? `${move.toFile}:` : ''}${move.to.startLine}`,
    );
    return {
      plan,
      action: 'refreshed',
      detail: `the quoted code is intact${moved.length > 0 ? ` (moved: ${moved.join(', ')})` : ''}; planned-at commit now ${run.head.slice(0, 12)}`,
    };
  }
  const verdict = await rerunDetector(await run.checkout.dir(), plan, outcome.renamed, run.profileOf);
  if (verdict.kind === 'gone') return retireAsFixed(run, plan);
  const superseding = verdict.kind === 'present' ? supersedingPlans(run, plan, verdict.findingIds) : [];
  if (superseding.length > 0) return retireAsSuperseded(run, plan, superseding);
  const why = verdict.kind === 'unknown' ? `${outcome.detail} (${verdict.reason})` : outcome.detail;
  return markStale(run, plan, why);
}

/**
 * The other plans, still to do, that plan every finding the rule reports now where this plan's
 * quote no longer reads as written: an audit after the code changed planned the problem again
 * under its new id (a finding's id holds its cited text). Empty when any is planned nowhere else.
 */
function supersedingPlans(run: Run, plan: Plan, findingIds: readonly string[]): string[] {
  const others = run.context.loaded.plans.filter(
    (other) =>
      other.id !== plan.id &&
      (other.status.state === 'IN PROGRESS' ||
        other.status.state === 'BLOCKED' ||
        (other.status.state === 'TODO' && !other.status.reason?.startsWith(STALE))),
  );
  const covering = new Set<string>();
  for (const id of findingIds) {
    const other = others.find((candidate) => candidate.findings.includes(id));
    if (!other) return [];
    covering.add(other.id);
  }
  return [...covering].sort();
}

function retireAsSuperseded(run: Run, plan: Plan, by: readonly string[]): ReconcileEntry {
  const which = by.length === 1 ? `plan ${by[0]}` : `plans ${by.join(', ')}`;
  const status: PlanStatus = {
    state: 'REJECTED',
    reason: `superseded: ${which} ${by.length === 1 ? 'plans' : 'plan'} what the rule reports here now, in the code as it is`,
  };
  setStatus(run, plan, status);
  return { plan, action: 'superseded', detail: status.reason ?? '', changedTo: status };
}

function markStale(run: Run, plan: Plan, why: string): ReconcileEntry {
  const status = staleStatus(why);
  if (plan.status.reason === status.reason) return { plan, action: 'stale', detail: why };
  setStatus(run, plan, status);
  return { plan, action: 'stale', detail: why, changedTo: status };
}

function reconcileAbandoned(run: Run, plan: Plan): ReconcileEntry {
  const outcome = reconcileInProgress(plan, readRunState(run.context.project, plan));
  if (outcome.kind === 'running')
    return { plan, action: 'running', detail: `being executed (pid ${outcome.pid})` };
  const where = outcome.worktree ? `worktree ${outcome.worktree}` : 'no worktree recorded';
  const branch = outcome.branch ? `, branch ${outcome.branch}` : '';
  return {
    plan,
    action: 'abandoned',
    detail: `IN PROGRESS with no live process (${where}${branch}): review it with \`improve review ${plan.number}\`, or start over with \`improve execute ${plan.number} --clean\``,
  };
}

async function reconcileBlocked(run: Run, plan: Plan): Promise<ReconcileEntry> {
  const entry: ReconcileEntry = {
    plan,
    action: 'blocked',
    detail: plan.status.reason ?? 'no reason recorded',
  };
  const { context, model } = run;
  const file = context.loaded.files.get(plan.number);
  const proposal = `${context.plansRelative}/${proposalFileName(plan)}`;
  if (existsSync(path.join(context.plansDir, proposalFileName(plan)))) {
    entry.proposal = { file: proposal, written: false };
    return entry;
  }
  if (!model?.has('planner') || model.dryRun || file === undefined) return entry;
  if (model.aborted) {
    entry.proposalNote = 'interrupted';
    return entry;
  }
  const outcome = await proposeRewrite({
    session: model,
    project: context.project,
    plansDir: context.plansDir,
    plan,
    file,
    head: run.head,
    date: run.date,
    repo: run.repo,
    waitMs: LOCK_WAIT_MS,
  });
  if (outcome.kind === 'none') entry.proposalNote = outcome.reason;
  else entry.proposal = { file: proposal, written: outcome.kind === 'written' };
  return entry;
}

async function reconcileOne(run: Run, plan: Plan): Promise<ReconcileEntry> {
  switch (plan.status.state) {
    case 'REJECTED':
      return { plan, action: 'skipped', detail: plan.status.reason ?? 'rejected' };
    case 'BLOCKED':
      return reconcileBlocked(run, plan);
    case 'IN PROGRESS':
      return reconcileAbandoned(run, plan);
    case 'DONE':
      return reconcileDone(run, plan);
    case 'TODO':
      return reconcileTodoPlan(run, plan);
  }
}

export async function reconcile(
  target: string | undefined,
  options: ReconcileOptions = {},
): Promise<ReconcileResult> {
  const context = await openPlanContext(target, options, 'reconcile');
  const { project } = context;
  const head = (await project.git.head()) ?? '';
  const checkout = lazyCheckout(project, head);
  let repo: Promise<RewriteRepo> | undefined;
  const profiles = new Map<string, Promise<RepoProfile>>();
  const run: Run = {
    context,
    head,
    timeoutMs: (options.criteriaTimeoutSeconds ?? DEFAULT_CRITERIA_TIMEOUT_SECONDS) * 1000,
    checkout,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.model ? { model: options.model } : {}),
    date: (options.clock ?? systemClock()).today(),
    repo: () => {
      repo ??= checkout.dir().then(reworkRepo);
      return repo;
    },
    profileOf: (dir) => {
      let profile = profiles.get(dir);
      if (!profile) {
        profile = recon(dir);
        profiles.set(dir, profile);
      }
      return profile;
    },
  };
  const entries: ReconcileEntry[] = [];
  try {
    for (const plan of context.loaded.plans) {
      if (options.signal?.aborted) break;
      entries.push(await reconcileOne(run, plan));
    }
  } finally {
    await checkout.dispose();
  }
  if (context.loaded.indexExists) refreshIndex(context.plansDir, { waitMs: LOCK_WAIT_MS });
  const reloaded = loadPlans(context.plansDir);
  for (const entry of entries)
    entry.plan = reloaded.plans.find((plan) => plan.id === entry.plan.id) ?? entry.plan;
  return {
    root: project.root,
    plansRelative: context.plansRelative,
    head,
    entries,
    problems: context.loaded.problems,
    modelUsed: Boolean(options.model?.has('planner')) && !options.model?.dryRun,
  };
}
