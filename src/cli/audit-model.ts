/**
 * The model side of `improve audit`, kept apart from the offline flow in audit-command.ts: open
 * the session, answer --dry-run, let the planner draft the selected plans, and end the run with
 * the cost table and the right exit code.
 */
import type { AuditResult } from '../api/audit.ts';
import { defaultSelection, parseSelect, type Selection, tableFindings } from '../api/select.ts';
import type { WriteAuditPlansOptions } from '../api/write-plans.ts';
import { RepoReader } from '../audit/repo-reader.ts';
import { EnvironmentError } from '../core/errors.ts';
import { formatUsd } from '../llm/cost-summary.ts';
import type { ModelCommandOptions, OpenedModels } from './model-options.ts';
import type { Output } from './output.ts';
import { renderCostTable, renderEstimate, renderLlmReport } from './render-model-run.ts';

export interface AuditModelOptions extends ModelCommandOptions {
  plans: boolean;
  select?: string;
  top?: number;
}

/** How many plans a run would write, without asking: for the dry-run estimate. */
function plannedCount(result: AuditResult, options: AuditModelOptions): number {
  if (!options.plans) return 0;
  if (options.select)
    return parseSelect(options.select, tableFindings(result.findings, result.level).length).length;
  if (options.top) return Math.min(options.top, result.findings.length);
  return defaultSelection(tableFindings(result.findings, result.level)).findings.length;
}

/** `--dry-run`: print the estimate. Returns the exit code, or undefined when this is not a dry run. */
export async function answerDryRun(
  result: AuditResult,
  models: OpenedModels,
  options: AuditModelOptions,
  output: Output,
): Promise<number | undefined> {
  if (!options.dryRun) return undefined;
  const { session } = models;
  if (!session) {
    output.result(
      '\nDry run: no model is configured, so the audit is offline and costs nothing. Nothing was written.',
    );
    return 0;
  }
  // The model stack loads only when a model is configured: offline runs start as fast as before.
  const { estimateLlmAudit } = await import('../agents/estimate-audit.ts');
  const estimate = estimateLlmAudit({
    session,
    profile: result.profile,
    reader: new RepoReader(result.root),
    level: result.level,
    focus: result.focus,
    leads: [...result.findings, ...result.alreadyPlanned.map((a) => a.finding)],
    plans: plannedCount(result, options),
  });
  output.result(`\n${renderEstimate(estimate, output.width, session.maxCost)}`);
  return 0;
}

/**
 * After the audit: what the models did, and a refusal when the budget let no model call start
 * (the offline report was printed; nothing is written).
 */
export function reportModelAudit(
  result: AuditResult,
  models: OpenedModels,
  output: Output,
  showReport: boolean,
): void {
  const { session } = models;
  if (!session) return;
  if (result.llm && showReport) output.result(`\n${renderLlmReport(result.llm)}`);
  if (session.budgetRefusals > 0 && session.ledger.entries().length === 0 && !models.interrupted()) {
    throw new EnvironmentError(
      `--max-cost ${formatUsd(session.maxCost ?? 0)} is below the estimated cost of the first model call: nothing was sent to a model and no plan was written.`,
      'Raise --max-cost (see the estimate with --dry-run), or drop --planner to run the offline audit.',
    );
  }
}

/** Planner drafts for the selected findings, and the session for the index's cost line. */
export async function modelPlanOptions(
  result: AuditResult,
  selection: Selection | undefined,
  models: OpenedModels,
  output: Output,
): Promise<WriteAuditPlansOptions> {
  const { session } = models;
  if (!session) return {};
  if (!selection || selection.findings.length === 0 || models.interrupted()) return { model: session };
  const { draftPlans } = await import('../api/draft-plans.ts');
  const drafts = await draftPlans(result, selection, session, {
    onProgress: (stage, done, total) => output.progress(total ? `${stage} ${done}/${total}` : `${stage}…`),
  });
  output.endProgress();
  for (const note of drafts.notes) output.info(note);
  return { drafts, model: session };
}

/** The cost table, the ledger's location, and the exit code: 130 after Ctrl-C, else 0. */
export function finishModelRun(models: OpenedModels, output: Output, showTable: boolean): number {
  const { session } = models;
  if (!session) return 0;
  if (showTable) output.result(`\n${renderCostTable(session.summary(), output.width)}`);
  if (session.budgetRefusals > 0)
    output.warn(
      `the --max-cost budget of ${formatUsd(session.maxCost ?? 0)} was reached: ${session.budgetRefusals} model call(s) did not start; the run kept what it had.`,
    );
  if (session.ledger.writeProblem) output.warn(session.ledger.writeProblem);
  else if (session.ledger.file) output.debug(`cost ledger: ${session.ledger.file}`);
  return models.interrupted() ? 130 : 0;
}
