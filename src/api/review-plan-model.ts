/**
 * The model side of `improve review-plan`: a fresh-context critique by the planner, and with
 * `--fix` a tightened plan. The fix is merged into the user's file (status, notes and the front
 * matter fields the fix may not change are kept), checked again with every static check, and
 * written only when it has no more problems than the original and nobody changed the file meanwhile.
 */
import { type CritiqueOutcome, critiquePlan } from '../agents/plan-critic.ts';
import { fixPlanWithModel } from '../agents/plan-fixer.ts';
import { inScopeCode } from '../agents/plan-rework.ts';
import type { StructuredOutcome } from '../agents/structured-reply.ts';
import { RepoReader } from '../audit/repo-reader.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { changedSections, lineChanges, mergePlanText } from '../plans/merge-plan-text.ts';
import type { Plan } from '../plans/plan.ts';
import { replacePlanFile } from '../plans/plan-proposal.ts';
import type { QualityProblem } from '../reconcile/plan-quality.ts';
import { reworkRepo } from '../reconcile/rework-repo.ts';

export interface PlanFixResult {
  written: boolean;
  /** Why nothing was written. */
  reason?: string;
  /** Problems improve's checks found in the original, and in the fixed text when there is one. */
  before: number;
  after?: number;
  /** The problems the fixed text still has. */
  remaining: QualityProblem[];
  /** Sections whose text changed, and lines added and removed. */
  changed: string[];
  added: number;
  removed: number;
}

export interface ModelReviewInput {
  session: ModelSession;
  /** Absolute path, the file's text and name, and the parsed plan. */
  absolute: string;
  markdown: string;
  name: string;
  plan: Plan;
  /** The problems improve's checks found. */
  problems: readonly QualityProblem[];
  /** The code the plan is about (a checkout of the planned-at commit, or the working tree). */
  codeDir: string;
  where: string;
  fix: boolean;
  /** Every static check of a plan text (the same ones the original went through). */
  recheck: (markdown: string) => Promise<QualityProblem[]>;
  onProgress?: (stage: string) => void;
}

function whyNone(structured: Pick<StructuredOutcome<unknown>, 'stopped' | 'problem'>): string {
  if (structured.stopped === 'budget') return 'the --max-cost budget was reached before the planner answered';
  if (structured.stopped === 'aborted') return 'interrupted';
  const problem = (structured.problem ?? 'no answer').split('\n').slice(0, 2).join(' ');
  return `the planner's fix did not pass improve's checks (${problem})`;
}

const unchanged = (before: number, reason: string): PlanFixResult => ({
  written: false,
  reason,
  before,
  remaining: [],
  changed: [],
  added: 0,
  removed: 0,
});

async function fixPlan(input: ModelReviewInput, critique: CritiqueOutcome): Promise<PlanFixResult> {
  const before = input.problems.length;
  if (before === 0 && !critique.problems.some((problem) => problem.concrete))
    return unchanged(before, 'nothing to fix: neither the checks nor the critique found a concrete problem');
  input.onProgress?.('planner tightening the plan');
  const repo = await reworkRepo(input.codeDir);
  const outcome = await fixPlanWithModel(input.session, {
    plan: input.plan,
    markdown: input.markdown,
    name: input.name,
    problems: input.problems.map((problem) => `line ${problem.line}: ${problem.message}`),
    critique: critique.problems,
    files: repo.files,
    profile: repo.profile,
    where: input.where,
  });
  if (!outcome.plan) return unchanged(before, whyNone(outcome.structured));
  const text = mergePlanText(input.markdown, outcome.plan, input.name);
  if (text === input.markdown) return unchanged(before, 'the fix changed nothing');
  input.onProgress?.('checking the fixed plan');
  const remaining = await input.recheck(text);
  const result: PlanFixResult = {
    written: false,
    before,
    after: remaining.length,
    remaining,
    changed: changedSections(input.markdown, text),
    ...lineChanges(input.markdown, text),
  };
  if (remaining.length > before) {
    result.reason = `the fixed plan has ${remaining.length} problem(s) from improve's checks and the original ${before}, so it was not written`;
    return result;
  }
  const replaced = replacePlanFile(input.absolute, input.markdown, text, { waitMs: 15_000 });
  if (!replaced.written) result.reason = replaced.reason;
  result.written = replaced.written;
  return result;
}

/** The critique, and with `fix` the tightened plan. */
export async function reviewWithModel(
  input: ModelReviewInput,
): Promise<{ critique: CritiqueOutcome; fix?: PlanFixResult }> {
  input.onProgress?.('planner critiquing the plan');
  const reader = new RepoReader(input.codeDir);
  const critique = await critiquePlan(input.session, {
    markdown: input.markdown,
    file: input.name,
    code: inScopeCode(input.plan, (file) => reader.lines(file)),
    where: input.where,
    task: input.plan.id,
  });
  if (!input.fix) return { critique };
  if (critique.missing === 'budget' || critique.missing === 'aborted')
    return { critique, fix: unchanged(input.problems.length, whyNone({ stopped: critique.missing })) };
  return { critique, fix: await fixPlan(input, critique) };
}
