/**
 * A BLOCKED plan, with a planner: gather why it is blocked (its status, its last attempt, the run
 * record, what the attempt changed), let the planner rewrite it against the code at HEAD, hold the
 * rewrite to the quality bar, and write it next to the plan as `NNN-slug.proposed.md`. The plan
 * itself is never touched; a proposal already there is kept and not asked for again.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PlannedCall } from '../agents/estimate-rework.ts';
import { REWRITE_SYSTEM, rewriteBlockedPlan, rewritePrompt } from '../agents/plan-rewriter.ts';
import type { RepoFiles } from '../agents/repo-tools.ts';
import type { StructuredOutcome } from '../agents/structured-reply.ts';
import type { RepoProfile } from '../core/types.ts';
import { readRunState } from '../execute/run-state.ts';
import type { Project } from '../execute/workspace.ts';
import { branchExists } from '../git/worktree.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { formatStatus, type Plan } from '../plans/plan.ts';
import { proposalFileName, writeProposal } from '../plans/plan-proposal.ts';
import { renderPlan } from '../plans/render-plan.ts';
import { checkPlanText } from './plan-quality.ts';

/** The repository at HEAD, as the planner sees it. */
export interface RewriteRepo {
  profile: RepoProfile;
  files: RepoFiles;
  /** The repository brief. */
  context: string;
}

export type ProposalOutcome =
  | { kind: 'written'; name: string }
  | { kind: 'exists'; name: string }
  | { kind: 'none'; reason: string };

/** improve's records of why a plan is blocked, one fact a line. */
async function blockEvidence(project: Project, plan: Plan): Promise<string[]> {
  const lines = [`status: ${formatStatus(plan.status)}`];
  const execution = plan.execution;
  if (execution) {
    const from = execution.startedFrom ? `, started from ${execution.startedFrom}` : '';
    lines.push(
      `last attempt: executor ${execution.executor}, branch ${execution.branch} from commit ${execution.base.slice(0, 12)}${from}`,
    );
  }
  const state = readRunState(project, plan);
  if (state) {
    const verdict = state.verdict ? `, verdict ${state.verdict}` : '';
    lines.push(`run record: phase ${state.phase}, round ${state.round}${verdict}`);
  }
  if (execution && (await branchExists(project.top, execution.branch))) {
    const changed = await project.git.changedFiles(execution.base, execution.branch);
    lines.push(`files the attempt changed: ${changed.join(', ') || 'none'}`);
  }
  return lines;
}

function whyNone(structured: StructuredOutcome<unknown>): string {
  if (structured.stopped === 'budget') return 'the --max-cost budget was reached before the planner answered';
  if (structured.stopped === 'aborted') return 'interrupted';
  const problem = (structured.problem ?? 'no answer').split('\n').slice(0, 2).join(' ');
  return `the planner's rewrite did not pass improve's checks (${problem})`;
}

export interface ProposeInput {
  session: ModelSession;
  project: Project;
  plansDir: string;
  plan: Plan;
  /** The plan file's name in the plans folder. */
  file: string;
  head: string;
  date: string;
  /** The repository at HEAD, made once per run when first needed. */
  repo: () => Promise<RewriteRepo>;
  waitMs?: number;
}

/** The quality bar a proposal must meet, as problems to send back to the planner. */
function proposalProblems(plan: Plan): string[] {
  return checkPlanText(renderPlan(plan), proposalFileName(plan)).problems.map(
    (problem) => `line ${problem.line} of the plan file: ${problem.message}`,
  );
}

export async function proposeRewrite(input: ProposeInput): Promise<ProposalOutcome> {
  const { plan, plansDir } = input;
  const name = proposalFileName(plan);
  if (existsSync(path.join(plansDir, name))) return { kind: 'exists', name };
  const markdown = readFileSync(path.join(plansDir, input.file), 'utf8');
  const repo = await input.repo();
  const outcome = await rewriteBlockedPlan(input.session, {
    plan,
    markdown,
    name: input.file,
    evidence: await blockEvidence(input.project, plan),
    ...repo,
    head: input.head,
    date: input.date,
    accept: proposalProblems,
  });
  if (!outcome.plan) return { kind: 'none', reason: whyNone(outcome.structured) };
  const written = writeProposal(
    plansDir,
    outcome.plan,
    input.waitMs !== undefined ? { waitMs: input.waitMs } : {},
  );
  return written.written ? { kind: 'written', name } : { kind: 'exists', name };
}

/** For `--dry-run`: the call a rewrite of this plan would make, from its real prompt. */
export async function plannedRewrite(
  input: Omit<ProposeInput, 'session' | 'date' | 'waitMs'>,
): Promise<PlannedCall | undefined> {
  const { plan, plansDir } = input;
  if (existsSync(path.join(plansDir, proposalFileName(plan)))) return undefined;
  const repo = await input.repo();
  const prompt = rewritePrompt({
    plan,
    markdown: readFileSync(path.join(plansDir, input.file), 'utf8'),
    name: input.file,
    evidence: await blockEvidence(input.project, plan),
    files: repo.files,
    profile: repo.profile,
    head: input.head,
  });
  return {
    task: `rewrite of plan ${plan.id}`,
    system: REWRITE_SYSTEM,
    context: repo.context,
    prompt,
    calls: 3,
    outputTokens: 3000,
  };
}
