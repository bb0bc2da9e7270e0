/**
 * `improve plan "DESCRIPTION" [PATH]`: skip the audit; recon, let the planner investigate just
 * enough, settle its open questions (asked one at a time, or the recommended answers taken and
 * recorded), and write one plan held to the same checks as audit plans.
 */
import ignore from 'ignore';
import { locate } from '../agents/cited-lines.ts';
import { applyDraft } from '../agents/plan-from-draft.ts';
import { investigateRequest } from '../agents/plan-request.ts';
import { writePlanWithModel } from '../agents/plan-writer.ts';
import { repoBrief } from '../agents/repo-brief.ts';
import { repoFiles } from '../agents/repo-tools.ts';
import type { PlanRequestBrief } from '../agents/schemas.ts';
import { makeEvidence } from '../audit/build-finding.ts';
import { RepoReader } from '../audit/repo-reader.ts';
import { loadConfig } from '../config/config.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { EnvironmentError, UsageError } from '../core/errors.ts';
import { shortHash } from '../core/hash.ts';
import { redactText } from '../core/redact.ts';
import type { Evidence, Finding } from '../core/types.ts';
import { formatCostDetails, formatCostLine } from '../llm/cost-summary.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { buildPlan } from '../plans/build-plan.ts';
import type { Plan } from '../plans/plan.ts';
import { choosePlansDir, loadPlans, writePlans } from '../plans/store.ts';
import { recon } from '../recon/recon.ts';
import { noPlannerError } from './model-required.ts';

export interface PlanQuestion {
  question: string;
  recommended: string;
  why: string;
}

export interface PlanDecision extends PlanQuestion {
  answer: string;
  /** False when the recommended answer was taken without asking (no terminal, or no `ask`). */
  asked: boolean;
}

export interface PlanOneOptions {
  description: string;
  path?: string;
  /** A session with a planner (required). */
  model: ModelSession | undefined;
  plansDir?: string;
  clock?: Clock;
  /** Ask the user one question; without it the recommended answers are taken and recorded. */
  ask?: (question: PlanQuestion) => Promise<string>;
  onProgress?: (stage: string) => void;
}

export interface PlanOneResult {
  root: string;
  plan: Plan;
  /** Repo-relative paths written. */
  written: string[];
  plansRelative: string;
  decisions: PlanDecision[];
  /** True when the planner's draft failed improve's checks twice and improve's own plan was written. */
  fallback: boolean;
  notes: string[];
}

function stopReason(stopped: string | undefined, problem: string | undefined): EnvironmentError {
  if (stopped === 'budget')
    return new EnvironmentError(
      'the --max-cost budget was reached before the planner could answer: no plan was written.',
      'Raise --max-cost (see the estimate with --dry-run).',
    );
  if (stopped === 'aborted') return new EnvironmentError('interrupted: no plan was written.');
  return new EnvironmentError(
    `the planner did not give a usable answer, so no plan was written: ${(problem ?? 'no answer').split('\n').slice(0, 3).join(' ')}`,
    'Try again, or use a more capable planner model.',
  );
}

function requestFinding(
  description: string,
  brief: PlanRequestBrief,
  evidence: Evidence[],
  decisions: PlanDecision[],
): Finding {
  const decided = decisions.map((d) => `${d.question} → ${d.answer}`).join('; ');
  return {
    id: `F-${shortHash(`plan/request\0${description.trim()}`, 8)}`,
    ruleId: 'plan/request',
    category: brief.category,
    title: redactText(brief.title),
    message: redactText(`${brief.summary}${decided ? ` Decisions: ${decided}.` : ''}`),
    evidence,
    impact: brief.impact,
    effort: brief.effort,
    risk: brief.risk,
    riskReason: redactText(brief.riskReason),
    confidence: 'HIGH',
    fixSketch: redactText(`${brief.summary}${decided ? ` Decisions: ${decided}.` : ''}`),
  };
}

function decisionText(decisions: readonly PlanDecision[]): string {
  if (decisions.length === 0) return '';
  const lines = decisions.map(
    (d) =>
      `- ${d.question} — **${d.answer}**${d.asked ? '' : ' (the recommended answer, taken without asking)'}: ${d.why}`,
  );
  return `\n\nDecisions made while planning:\n\n${redactText(lines.join('\n'))}`;
}

export async function planOne(options: PlanOneOptions): Promise<PlanOneResult> {
  const session = options.model;
  if (!session?.has('planner')) throw noPlannerError('plan', 'plan "DESCRIPTION"');
  if (options.description.trim() === '')
    throw new UsageError(
      'the description is empty',
      'Example: improve plan "add a --json flag to the export command"',
    );
  const clock = options.clock ?? systemClock();
  options.onProgress?.('mapping the repository');
  const mapped = await recon(options.path ?? process.cwd());
  const config = loadConfig(mapped.root);
  const matcher = ignore().add(config.ignore);
  const profile = { ...mapped, files: mapped.files.filter((file) => !matcher.ignores(file.path)) };
  const chosen = choosePlansDir(profile.root, options.plansDir);
  const loaded = loadPlans(chosen.dir);
  const reader = new RepoReader(profile.root);
  const files = repoFiles(profile, reader);
  const context = repoBrief(profile, reader);

  options.onProgress?.('planner investigating');
  const investigated = await investigateRequest(session, options.description, context, files);
  const brief = investigated.value;
  if (!brief) throw stopReason(investigated.stopped, investigated.problem);

  const decisions: PlanDecision[] = [];
  for (const question of brief.questions) {
    const answer = options.ask
      ? (await options.ask(question)).trim() || question.recommended
      : question.recommended;
    decisions.push({ ...question, answer, asked: options.ask !== undefined });
  }
  const evidence = brief.locations.flatMap((location) => {
    const found = locate(files, location);
    if (!found.ok) return [];
    const cited = makeEvidence((file) => reader.lines(file), found.file, found.startLine, found.endLine);
    return cited ? [cited] : [];
  });
  const finding = requestFinding(options.description, brief, evidence, decisions);
  const date = clock.today();
  const base = buildPlan({ finding, profile, number: loaded.nextNumber, date });

  options.onProgress?.('planner writing the plan');
  const drafted = await writePlanWithModel(session, { finding, base, profile, files, context });
  const notes: string[] = [];
  if (!drafted.draft) {
    if (drafted.structured.stopped === 'aborted' || drafted.structured.stopped === 'budget')
      throw stopReason(drafted.structured.stopped, drafted.structured.problem);
    notes.push(
      `the planner's draft failed improve's checks twice (${(drafted.structured.problem ?? '').split('\n').slice(1, 3).join(' ')}); improve's own plan was written instead`,
    );
  }
  const merged = drafted.draft ? applyDraft(base, drafted.draft) : base;
  const plan: Plan = { ...merged, why: `${merged.why}${decisionText(decisions)}` };
  const summary = session.summary();
  const outcome = writePlans(chosen.dir, {
    plans: [plan],
    rejected: loaded.index.rejected,
    selectionNote: `Plan ${plan.id} was requested with improve plan: "${redactText(options.description.trim()).replace(/\s+/g, ' ')}".`,
    runSummary: {
      date,
      sha: profile.git.head ?? null,
      findings: 0,
      planned: 1,
      rejected: 0,
      cost: formatCostLine(summary),
      costDetails: formatCostDetails(summary),
    },
  });
  return {
    root: profile.root,
    plan,
    written: outcome.written.map((name) => `${chosen.relative}/${name}`),
    plansRelative: chosen.relative,
    decisions,
    fallback: !drafted.draft,
    notes,
  };
}
