import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { type AuditResult, audit } from '../api/audit.ts';
import {
  defaultSelection,
  parseSelect,
  rowExtents,
  type Selection,
  selectByNumbers,
  selectTop,
  tableFindings,
} from '../api/select.ts';
import type { WrittenPlans } from '../api/write-plans.ts';
import { UsageError } from '../core/errors.ts';
import type { AuditLevel, Category, Finding } from '../core/types.ts';
import { VERSION } from '../core/version.ts';
import { DETECTORS } from '../detectors/index.ts';
import { toJsonReport } from '../publish/json-report.ts';
import { toSarif } from '../publish/sarif.ts';
import {
  type AuditModelOptions,
  answerDryRun,
  finishModelRun,
  modelPlanOptions,
  reportModelAudit,
} from './audit-model.ts';
import { checkIssuesFlags, publishStep } from './issues-step.ts';
import type { OpenedModels } from './model-options.ts';
import { withModels } from './model-run.ts';
import type { Output } from './output.ts';
import { planFilesOf, writeChosenPlans } from './plans-step.ts';
import { renderReport, tableRowLimit } from './render-report.ts';
import { promptSelection } from './select-prompt.ts';

export interface AuditCommandOptions extends AuditModelOptions {
  focus?: Category[];
  json?: string;
  sarif?: string;
  select?: string;
  top?: number;
  plans: boolean;
  plansDir?: string;
  /** `--no-cache` sets this to false. */
  cache?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  /** Publish the written plans as GitHub issues. */
  issues?: boolean;
  /** Publish security plans on a public repository without asking. */
  yesPublic?: boolean;
}

const LEVELS: readonly AuditLevel[] = ['quick', 'standard', 'deep'];

/** `improve [audit] [PATH] [quick|standard|deep]`: the level word may come before or after PATH. */
export function parsePathAndLevel(args: readonly string[]): { path: string; level: AuditLevel } {
  let level: AuditLevel = 'standard';
  const paths: string[] = [];
  for (const arg of args) {
    if ((LEVELS as readonly string[]).includes(arg)) level = arg as AuditLevel;
    else paths.push(arg);
  }
  // `improve . superdeep`, `improve Deep`: a level spelled wrong reads as a second or missing path.
  const misspelled = paths.find(
    (arg) =>
      !existsSync(arg) && /^[a-z]+$/i.test(arg) && (paths.length > 1 || /^(quick|standard|deep)$/i.test(arg)),
  );
  if (misspelled !== undefined) {
    throw new UsageError(
      `"${misspelled}" is neither a level nor an existing path`,
      `The levels are quick, standard and deep (lower case). Usage: improve [audit] [PATH] [quick|standard|deep]`,
    );
  }
  if (paths.length > 1) {
    throw new UsageError(
      `expected one PATH, got ${paths.length}: ${paths.join(' ')}`,
      'Usage: improve [audit] [PATH] [quick|standard|deep]',
    );
  }
  return { path: paths[0] ?? '.', level };
}

export function checkOutputPath(file: string | undefined, flag: string): void {
  if (!file || file === '-') return;
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw new UsageError(
      `${flag} ${file} is a folder`,
      `Pass a file name, e.g. ${path.join(file, 'report.json')}.`,
    );
  }
  const dir = path.dirname(path.resolve(file));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(
      `${flag} ${file}: the folder ${dir} does not exist`,
      `Create it first or pass a path in an existing folder.`,
    );
  }
}

/**
 * The flags every planning command (audit, branch) checks before it runs: how plans are chosen,
 * and where reports go. Bad combinations are usage errors (exit 2) before any work.
 */
export function checkReportFlags(options: {
  select?: string;
  top?: number;
  plans?: boolean;
  json?: string;
  sarif?: string;
}): void {
  if (options.select && options.top)
    throw new UsageError(
      '--select and --top cannot be used together',
      'Pick rows with --select 1,3 or the best N with --top N.',
    );
  if (!options.plans && (options.select || options.top))
    throw new UsageError('--no-plans cannot be combined with --select or --top');
  checkOutputPath(options.json, '--json');
  checkOutputPath(options.sarif, '--sarif');
  if (options.json === '-' && options.sarif === '-')
    throw new UsageError(
      'only one of --json and --sarif can write to stdout (-)',
      'Write the other to a file: --sarif report.sarif.',
    );
}

export async function choose(
  result: AuditResult,
  options: AuditCommandOptions,
): Promise<Selection | undefined> {
  if (!options.plans) return undefined;
  // Numbers refer to the rows the table shows (LOW leads and rows past a rule's cap are not there).
  const shown = tableFindings(result.findings, result.level);
  if (options.select) return selectByNumbers(shown, parseSelect(options.select, shown.length));
  if (options.top) return selectTop(shown, options.top);
  const preselected = defaultSelection(shown);
  const interactive =
    process.stdin.isTTY &&
    process.stdout.isTTY &&
    !options.json?.startsWith('-') &&
    !options.sarif?.startsWith('-');
  if (interactive && shown.length > 0)
    return promptSelection(
      shown.slice(0, tableRowLimit(result.level)),
      preselected,
      rowExtents(result.findings, result.level),
    );
  return preselected;
}

/**
 * The SARIF of an audit: every finding still in the code, those a plan covers too (marked with
 * the plan's id), so that a code-scanning dashboard does not lose a problem once it is planned.
 */
export function sarifOf(result: AuditResult) {
  const planned = new Map(result.alreadyPlanned.map((entry) => [entry.finding.id, entry.planId]));
  const findings = [...result.findings, ...result.alreadyPlanned.map((entry) => entry.finding)];
  return toSarif(findings, DETECTORS, VERSION, sarifFallback(result), planned);
}

/** The file repo-level SARIF results point at: the main manifest, else the README. */
export function sarifFallback(result: AuditResult): string {
  const paths = new Set(result.profile.files.map((f) => f.path));
  return ['package.json', 'pyproject.toml', 'setup.py', 'README.md'].find((p) => paths.has(p)) ?? 'README.md';
}

export function emit(file: string, content: string, output: Output): void {
  if (file === '-') output.result(content.trimEnd());
  else writeFileAtomic.sync(path.resolve(file), content);
}

/**
 * After the report, for every planning command: the dry-run estimate (which ends the run), the
 * model audit's summary, the findings chosen from `table` (the rows the report numbered), and the
 * plans written for them, drafted by the planner when there is one.
 */
export async function planFindings(
  result: AuditResult,
  table: Finding[],
  models: OpenedModels,
  options: AuditCommandOptions,
  output: Output,
  machineOnStdout: boolean,
): Promise<{ exitCode: number } | { written: WrittenPlans }> {
  const shown = { ...result, findings: table };
  const dryRun = await answerDryRun(shown, models, options, output);
  if (dryRun !== undefined) return { exitCode: dryRun };
  reportModelAudit(result, models, output, !machineOnStdout);
  const selection = models.interrupted() ? undefined : await choose(shown, options);
  const planOptions =
    selection && selection.findings.length > 0
      ? await modelPlanOptions(result, selection, models, output)
      : {};
  return { written: writeChosenPlans(result, selection, output, machineOnStdout, planOptions) };
}

/**
 * A planning command's run: PATH and level from the arguments, the flags checked before any work
 * (`check` throws a usage error), then `work` with the planner opened (or none: offline).
 */
export function runPlanningCommand<O extends AuditCommandOptions>(
  command: 'audit' | 'branch',
  args: readonly string[],
  options: O,
  output: Output,
  check: (options: O) => void,
  work: (target: string, level: AuditLevel, models: OpenedModels) => Promise<number>,
): Promise<number> {
  const { path: target, level } = parsePathAndLevel(args);
  check(options);
  return withModels(options, target, { command, uses: ['planner'], output }, (models) =>
    work(target, level, models),
  );
}

export function runAuditCommand(
  args: string[],
  options: AuditCommandOptions,
  output: Output,
): Promise<number> {
  const check = (given: AuditCommandOptions) => {
    checkReportFlags(given);
    checkIssuesFlags(given);
  };
  return runPlanningCommand('audit', args, options, output, check, (target, level, models) =>
    auditWithModels(target, level, options, output, models),
  );
}

async function auditWithModels(
  target: string,
  level: AuditLevel,
  options: AuditCommandOptions,
  output: Output,
  models: OpenedModels,
): Promise<number> {
  const result = await audit({
    ...(models.session ? { model: models.session } : {}),
    path: target,
    level,
    focus: options.focus ?? [],
    ...(options.plansDir ? { plansDir: options.plansDir } : {}),
    ...(options.cache === false ? { cache: false } : {}),
    onProgress: (stage, done, total) =>
      output.progress(total ? `${stage} ${done}/${total} files` : `${stage}…`),
  });
  output.endProgress();
  output.debug(`repository: ${result.root}`);
  output.debug(
    `commands: ${result.profile.commands.map((c) => `${c.kind}=${c.run} (${c.source})`).join('; ') || 'none found'}`,
  );
  const machineOnStdout = options.json === '-' || options.sarif === '-';
  if (!machineOnStdout) output.result(renderReport(result, { width: output.width, color: output.color }));
  const planned = await planFindings(result, result.findings, models, options, output, machineOnStdout);
  if ('exitCode' in planned) return planned.exitCode;
  const { written } = planned;
  const published = options.issues ? await publishStep(result, written, options, output, machineOnStdout) : 0;
  const planFiles = planFilesOf(result, written);
  if (options.json)
    emit(
      options.json,
      `${JSON.stringify(toJsonReport(result, written.plans, VERSION, planFiles), null, 2)}\n`,
      output,
    );
  if (options.sarif) emit(options.sarif, `${JSON.stringify(sarifOf(result), null, 2)}\n`, output);
  const finished = finishModelRun(models, output, !machineOnStdout);
  return finished !== 0 ? finished : published;
}
