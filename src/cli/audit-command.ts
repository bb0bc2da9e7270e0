import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { type AuditResult, audit } from '../api/audit.ts';
import {
  defaultSelection,
  parseSelect,
  type Selection,
  selectByNumbers,
  selectTop,
  tableFindings,
} from '../api/select.ts';
import { type WrittenPlans, writeAuditPlans } from '../api/write-plans.ts';
import { UsageError } from '../core/errors.ts';
import type { AuditLevel, Category } from '../core/types.ts';
import { VERSION } from '../core/version.ts';
import { DETECTORS } from '../detectors/index.ts';
import { toJsonReport } from '../publish/json-report.ts';
import { toSarif } from '../publish/sarif.ts';
import type { Output } from './output.ts';
import { renderReport, TABLE_ROWS } from './render-report.ts';
import { promptSelection } from './select-prompt.ts';

export interface AuditCommandOptions {
  focus?: Category[];
  json?: string;
  sarif?: string;
  select?: string;
  top?: number;
  plans: boolean;
  plansDir?: string;
  quiet?: boolean;
  verbose?: boolean;
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
  if (paths.length > 1) {
    throw new UsageError(
      `expected one PATH, got ${paths.length}: ${paths.join(' ')}`,
      'Usage: improve [audit] [PATH] [quick|deep]',
    );
  }
  return { path: paths[0] ?? '.', level };
}

function checkOutputPath(file: string | undefined, flag: string): void {
  if (!file || file === '-') return;
  const dir = path.dirname(path.resolve(file));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(
      `${flag} ${file}: the folder ${dir} does not exist`,
      `Create it first or pass a path in an existing folder.`,
    );
  }
}

async function choose(result: AuditResult, options: AuditCommandOptions): Promise<Selection | undefined> {
  if (!options.plans) return undefined;
  if (options.select)
    return selectByNumbers(result.findings, parseSelect(options.select, result.findings.length));
  if (options.top) return selectTop(result.findings, options.top);
  const preselected = defaultSelection(result.findings);
  const interactive =
    process.stdin.isTTY &&
    process.stdout.isTTY &&
    !options.json?.startsWith('-') &&
    !options.sarif?.startsWith('-');
  if (interactive && result.findings.length > 0)
    return promptSelection(result.findings.slice(0, 25), preselected);
  return preselected;
}

/** The file repo-level SARIF results point at: the main manifest, else the README. */
function sarifFallback(result: AuditResult): string {
  const paths = new Set(result.profile.files.map((f) => f.path));
  return ['package.json', 'pyproject.toml', 'setup.py', 'README.md'].find((p) => paths.has(p)) ?? 'README.md';
}

function emit(file: string, content: string, output: Output): void {
  if (file === '-') output.result(content.trimEnd());
  else writeFileAtomic.sync(path.resolve(file), content);
}

export async function runAuditCommand(
  args: string[],
  options: AuditCommandOptions,
  output: Output,
): Promise<number> {
  const { path: target, level } = parsePathAndLevel(args);
  if (options.select && options.top)
    throw new UsageError(
      '--select and --top cannot be used together',
      'Pick rows with --select 1,3 or the best N with --top N.',
    );
  if (!options.plans && (options.select || options.top))
    throw new UsageError('--no-plans cannot be combined with --select or --top');
  checkOutputPath(options.json, '--json');
  checkOutputPath(options.sarif, '--sarif');

  const result = await audit({
    path: target,
    level,
    focus: options.focus ?? [],
    ...(options.plansDir ? { plansDir: options.plansDir } : {}),
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

  let written: WrittenPlans = { plans: [], written: [] };
  const selection = await choose(result, options);
  if (result.plans.reason) output.info(result.plans.reason);
  if (selection && selection.findings.length > 0) {
    written = writeAuditPlans(result, selection);
    if (written.backup)
      output.warn(`the plans index was damaged; the original was kept as ${written.backup}`);
    if (!machineOnStdout) {
      output.result(
        `\nWrote ${written.plans.length} plan${written.plans.length === 1 ? '' : 's'} to ${result.plans.relative}/ (index: ${result.plans.relative}/README.md)`,
      );
      for (const plan of written.plans)
        output.result(`  ${result.plans.relative}/${plan.id}-${plan.slug}.md  ${plan.title}`);
      output.result(
        `Hand a plan to an executor: give it the plan file; it carries its own commands and checks.`,
      );
    }
  }
  const planFiles = written.plans.map((plan) => `${result.plans.relative}/${plan.id}-${plan.slug}.md`);
  if (options.json)
    emit(
      options.json,
      `${JSON.stringify(toJsonReport(result, written.plans, VERSION, planFiles), null, 2)}\n`,
      output,
    );
  if (options.sarif)
    emit(
      options.sarif,
      `${JSON.stringify(toSarif(result.findings, DETECTORS, VERSION, sarifFallback(result)), null, 2)}\n`,
      output,
    );
  return 0;
}
