import { existsSync } from 'node:fs';
/**
 * `improve review-plan FILE`: improve's checks, then with a planner a fresh-context critique, and
 * with `--fix` a tightened plan. Exit 1 when a check found a problem or the critique a concrete
 * one (kind "problem" with its quote on a line of the plan); after a written fix, exit 1 only when
 * the fixed file still fails a check. `--fix` without a planner is exit 2, before any work.
 */
import path from 'node:path';
import type { CritiqueProblem } from '../agents/plan-critic.ts';
import { configureHint } from '../api/model-required.ts';
import { locatePlan } from '../api/plan-context.ts';
import { type ReviewPlanResult, reviewPlanFile } from '../api/review-plan.ts';
import type { PlanFixResult } from '../api/review-plan-model.ts';
import { UsageError } from '../core/errors.ts';
import { plural } from '../core/plural.ts';
import { finishModelRun } from './audit-model.ts';
import { interruptSignal } from './interrupt.ts';
import type { ModelCommandOptions, OpenedModels } from './model-options.ts';
import { printEstimate, withModels } from './model-run.ts';
import type { Output } from './output.ts';

export interface ReviewPlanCommandOptions extends ModelCommandOptions {
  timeout?: number;
  fix?: boolean;
}

function staticLines(file: string, result: ReviewPlanResult): string[] {
  if (result.problems.length === 0) return [`${file}: meets the quality bar.`];
  return [
    ...result.problems.map((problem) => `${file}:${problem.line}: ${problem.message}`),
    `${plural(result.problems.length, 'problem')}.`,
  ];
}

function critiqueLine(file: string, item: CritiqueProblem): string {
  const label =
    item.kind === 'suggestion' ? 'suggestion: ' : item.placed ? '' : '(quote not found in the plan) ';
  return `${file}:${item.line}: ${label}${item.problem} Fix: ${item.fix}`;
}

function critiqueLines(file: string, result: ReviewPlanResult, model: string): string[] {
  const critique = result.critique;
  if (!critique || critique.missing) return [];
  const concrete = critique.problems.filter((item) => item.concrete).length;
  return [
    '',
    `Critique by the planner (${model}), reading only the plan and its in-scope code:`,
    ...(critique.problems.length > 0
      ? critique.problems.map((item) => critiqueLine(file, item))
      : ['  no problems found.']),
    `${plural(concrete, 'concrete problem')} from the critique (suggestions, and problems whose quote is not in the plan, do not count).`,
  ];
}

function fixLines(file: string, fix: PlanFixResult): string[] {
  const delta = `problems from improve's checks ${fix.before} → ${fix.after ?? fix.before}`;
  if (!fix.written) return ['', `Not fixed: ${fix.reason ?? 'nothing was written'}.`];
  return [
    '',
    `Fixed ${file}: ${delta}; changed ${fix.changed.join(', ') || 'the front matter'} (+${fix.added} −${fix.removed} lines).`,
    'Kept as they were: id, slug, status, planned-at commit, findings, issue, execution record and any section of your own.',
    ...fix.remaining.map((problem) => `${file}:${problem.line}: ${problem.message}`),
  ];
}

/** The exit code: see the file comment. */
export function reviewPlanExitCode(result: ReviewPlanResult): number {
  if (result.fix?.written) return (result.fix.after ?? 0) > 0 ? 1 : 0;
  const concrete = result.critique?.problems.some((item) => item.concrete) ?? false;
  return result.problems.length > 0 || concrete ? 1 : 0;
}

export async function runReviewPlanCommand(
  ref: string,
  options: ReviewPlanCommandOptions,
  output: Output,
): Promise<number> {
  // `review-plan 3`, as `execute 3` and `review 3` take it: the plan of that number here.
  const file =
    /^\d{1,6}$/.test(ref) && !existsSync(ref)
      ? path.relative(process.cwd(), (await locatePlan(ref, {}, 'review-plan')).file)
      : ref;
  const root = path.dirname(path.dirname(path.resolve(file)));
  // One Ctrl-C handler for the whole command: the model session stops with it.
  const interrupt = interruptSignal(output);
  const uses = { command: 'review-plan', uses: ['planner'] as const, output, signal: interrupt.signal };
  try {
    return await withModels(options, root, uses, (models) =>
      reviewWith(models, file, options, output, interrupt.signal),
    );
  } finally {
    interrupt.dispose();
  }
}

async function reviewWith(
  models: OpenedModels,
  file: string,
  options: ReviewPlanCommandOptions,
  output: Output,
  signal: AbortSignal,
): Promise<number> {
  const { session } = models;
  if (options.fix && !session)
    throw new UsageError(
      'improve review-plan --fix needs a planner model, and none is configured; nothing was changed.',
      configureHint('review-plan FILE --fix'),
    );
  if (options.dryRun) {
    if (!session) {
      output.result('Dry run: no model is configured, so review-plan would call none and cost nothing.');
      return 0;
    }
    const { estimateReviewPlan } = await import('../api/review-plan-estimate.ts');
    return printEstimate(
      await estimateReviewPlan(file, { fix: options.fix ?? false }, session),
      session,
      output,
    );
  }
  output.progress(`checking ${file}…`);
  const result = await reviewPlanFile(file, {
    ...(options.timeout ? { criteriaTimeoutSeconds: options.timeout } : {}),
    signal,
    ...(session ? { model: session } : {}),
    ...(options.fix ? { fix: true } : {}),
    onProgress: (stage) => output.progress(`${stage}…`),
  });
  output.endProgress();
  for (const skipped of result.skipped) output.info(`skipped ${skipped}`);
  if (result.critique?.missing) output.warn(`no critique: ${result.critique.missing}`);
  output.result(
    [
      ...staticLines(file, result),
      ...critiqueLines(file, result, session?.describe('planner') ?? ''),
      ...(result.fix ? fixLines(file, result.fix) : []),
    ].join('\n'),
  );
  const code = finishModelRun(models, output, (session?.ledger.entries().length ?? 0) > 0);
  return signal.aborted ? 130 : code === 0 ? reviewPlanExitCode(result) : code;
}
