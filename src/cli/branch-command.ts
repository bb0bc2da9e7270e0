import {
  auditBranch,
  type BranchAuditResult,
  branchTable,
  type FailOn,
  gateFailures,
} from '../api/branch.ts';
import { UsageError } from '../core/errors.ts';
import type { AuditLevel, Finding } from '../core/types.ts';
import { VERSION } from '../core/version.ts';
import { DETECTORS } from '../detectors/index.ts';
import { skippedBranchJsonReport, toBranchJsonReport } from '../publish/branch-report.ts';
import { branchSummary, skippedSummary } from '../publish/markdown-summary.ts';
import { toSarif } from '../publish/sarif.ts';
import {
  type AuditCommandOptions,
  checkOutputPath,
  checkReportFlags,
  emit,
  planFindings,
  runPlanningCommand,
  sarifOf,
} from './audit-command.ts';
import { finishModelRun } from './audit-model.ts';
import { checkIssuesFlags, publishStep } from './issues-step.ts';
import type { OpenedModels } from './model-options.ts';
import type { Output } from './output.ts';
import { planFilesOf } from './plans-step.ts';
import { renderBranchReport, renderBranchSkipped } from './render-branch-report.ts';

export interface BranchCommandOptions extends AuditCommandOptions {
  base?: string;
  includeUncommitted?: boolean;
  failOn?: FailOn;
  markdownSummary?: string;
}

const LEVEL_TEXT: Record<FailOn, string> = {
  high: 'HIGH confidence',
  medium: 'MED confidence or higher',
  low: 'any confidence',
};

function validate(options: BranchCommandOptions): void {
  checkReportFlags(options);
  checkOutputPath(options.markdownSummary, '--markdown-summary');
  checkIssuesFlags(options);
  const toStdout = [options.json, options.sarif, options.markdownSummary].filter((file) => file === '-');
  if (toStdout.length > 1)
    throw new UsageError('only one of --json, --sarif and --markdown-summary can write to stdout (-)');
}

function location(finding: Finding): string {
  const first = finding.evidence[0];
  return first ? `${first.file}:${first.startLine}` : 'repository';
}

function reportGate(level: FailOn, failures: readonly Finding[], output: Output): void {
  if (failures.length === 0) {
    output.info(
      level === 'low'
        ? 'gate passed: this branch introduces no finding (--fail-on low)'
        : `gate passed: no finding introduced by this branch has ${LEVEL_TEXT[level]} (--fail-on ${level})`,
    );
    return;
  }
  output.error(
    `gate failed: ${failures.length} finding${failures.length === 1 ? '' : 's'} introduced by this branch with ${LEVEL_TEXT[level]} (--fail-on ${level}):`,
  );
  for (const finding of failures)
    output.error(`  ${finding.confidence}  ${finding.title}  (${location(finding)})`);
}

function sarifFor(result: BranchAuditResult): string {
  return `${JSON.stringify(sarifOf(result), null, 2)}\n`;
}

/** `improve branch`: audit what the branch changed; exit 1 when `--fail-on` is reached. */
export function runBranchCommand(
  args: string[],
  options: BranchCommandOptions,
  output: Output,
): Promise<number> {
  return runPlanningCommand('branch', args, options, output, validate, (target, level, models) =>
    branchWithModels(target, level, options, output, models),
  );
}

async function branchWithModels(
  target: string,
  level: AuditLevel,
  options: BranchCommandOptions,
  output: Output,
  models: OpenedModels,
): Promise<number> {
  const machineOnStdout = [options.json, options.sarif, options.markdownSummary].includes('-');
  const outcome = await auditBranch({
    ...(models.session ? { model: models.session } : {}),
    path: target,
    level,
    focus: options.focus ?? [],
    ...(options.plansDir ? { plansDir: options.plansDir } : {}),
    ...(options.cache === false ? { cache: false } : {}),
    ...(options.base === undefined ? {} : { base: options.base }),
    includeUncommitted: options.includeUncommitted === true,
    onProgress: (stage, done, total) =>
      output.progress(total ? `${stage} ${done}/${total} files` : `${stage}…`),
  });
  output.endProgress();

  if (outcome.kind === 'skipped') {
    const message = renderBranchSkipped(outcome);
    if (machineOnStdout) output.info(message);
    else output.result(message);
    if (options.json)
      emit(options.json, `${JSON.stringify(skippedBranchJsonReport(outcome, VERSION), null, 2)}\n`, output);
    if (options.sarif)
      emit(options.sarif, `${JSON.stringify(toSarif([], DETECTORS, VERSION), null, 2)}\n`, output);
    if (options.markdownSummary) emit(options.markdownSummary, skippedSummary(outcome), output);
    return 0;
  }

  const result = outcome.result;
  output.debug(`repository: ${result.root}`);
  output.debug(`changed: ${result.branch.changed.join(', ')}`);
  for (const importer of result.branch.importers)
    output.debug(`in scope: ${importer.file} imports ${importer.imports.join(', ')}`);
  if (!machineOnStdout)
    output.result(renderBranchReport(result, { width: output.width, color: output.color }));
  const rows = branchTable(result);
  const planned = await planFindings(result, rows, models, options, output, machineOnStdout);
  if ('exitCode' in planned) return planned.exitCode;
  const { written } = planned;
  const published = options.issues ? await publishStep(result, written, options, output, machineOnStdout) : 0;
  const gate = options.failOn
    ? { level: options.failOn, failures: gateFailures(result, options.failOn) }
    : undefined;
  if (options.json)
    emit(
      options.json,
      `${JSON.stringify(toBranchJsonReport(result, written.plans, VERSION, planFilesOf(result, written), gate), null, 2)}\n`,
      output,
    );
  if (options.sarif) emit(options.sarif, sarifFor(result), output);
  if (options.markdownSummary) emit(options.markdownSummary, branchSummary(result, rows, gate), output);
  const finished = finishModelRun(models, output, !machineOnStdout);
  if (gate) reportGate(gate.level, gate.failures, output);
  // Ctrl-C ends with 130 whatever was found. A failed gate is the answer the caller asked for; it
  // outranks a publishing failure.
  if (finished !== 0) return finished;
  return gate && gate.failures.length > 0 ? 1 : published;
}
