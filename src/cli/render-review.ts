/** Render a review's evidence and verdict, and what the user does next. */
import pc from 'picocolors';
import type { ExecutorRun, Review, VerdictKind } from '../execute/types.ts';

export interface RenderOptions {
  color: boolean;
  /** --verbose: also the executor's output when it did report. */
  verbose?: boolean;
}

const TAIL_LINES = 12;
/** A command longer than this (a plan's checks of eight files, joined) is shown by its start. */
const COMMAND_CHARS = 240;

function commandText(run: string): string {
  if (run.length <= COMMAND_CHARS) return run;
  return `${run.slice(0, COMMAND_CHARS - 40).trimEnd()} … (${run.length} characters: the plan's done criteria have it in full)`;
}

function mark(passed: boolean, options: RenderOptions): string {
  if (!options.color) return passed ? '✓' : '✗';
  return passed ? pc.green('✓') : pc.red('✗');
}

function indented(text: string, prefix = '      | '): string[] {
  return text
    .split('\n')
    .slice(-TAIL_LINES)
    .map((line) => `${prefix}${line}`.trimEnd());
}

export function verdictWord(verdict: VerdictKind, options: RenderOptions): string {
  if (!options.color) return verdict;
  return verdict === 'APPROVE'
    ? pc.green(verdict)
    : verdict === 'REVISE'
      ? pc.yellow(verdict)
      : pc.red(verdict);
}

/** The executor's run in one or two lines: its report, or why there is none. */
export function renderRun(run: ExecutorRun, options: RenderOptions = { color: false }): string[] {
  if (run.timedOut) return ['  executor: stopped at the timeout (its process group was ended)'];
  if (run.outputLimited) return ['  executor: stopped for printing too much output'];
  const report = run.report;
  if (!report) {
    const lines = [`  executor: exited ${run.exitCode ?? 'on a signal'} with no report in the fixed format`];
    if (run.outputTail.trim() !== '') lines.push(...indented(run.outputTail));
    return lines;
  }
  const files = report.filesChanged.length > 0 ? report.filesChanged.join(', ') : 'none listed';
  const lines = [
    `  executor report: STATUS ${report.status} · steps ${report.stepsCompleted || '?'} · files ${files}`,
  ];
  if (report.stopReason) lines.push(`  stop reason: ${report.stopReason}`);
  if (report.notes) lines.push(`  notes: ${report.notes}`);
  if (options.verbose && run.outputTail.trim() !== '')
    lines.push('  executor output (its end):', ...indented(run.outputTail));
  return lines;
}

/** Every gate with its evidence: command, exit code, output tail for failures. */
export function renderReview(review: Review, options: RenderOptions): string[] {
  const lines: string[] = [];
  for (const result of review.criteria) {
    const got = result.timedOut ? 'timed out' : `exit ${result.exitCode ?? 'signal'}`;
    lines.push(
      `  ${mark(result.passed, options)} \`${commandText(result.run)}\` → ${result.expect}   (got ${got})`,
    );
    if (!result.passed && result.outputTail.trim() !== '') lines.push(...indented(result.outputTail));
  }
  if (review.rule) {
    const { ruleId, still } = review.rule;
    if (still.length === 0)
      lines.push(
        `  ${mark(true, options)} rule ${ruleId}: no longer reports it where the plan's findings were`,
      );
    for (const item of still)
      lines.push(
        `  ${mark(false, options)} rule ${ruleId}: still reports "${item.title}" at ${item.file}:${item.line} (${item.confidence})`,
      );
  }
  if (review.scope) {
    const { changed, outside } = review.scope;
    lines.push(
      outside.length === 0
        ? `  ${mark(true, options)} scope: ${changed.length} changed path(s), all in scope`
        : `  ${mark(false, options)} scope: outside the in-scope list: ${outside.map((c) => `${c.path} (${c.change})`).join(', ')}`,
    );
  }
  if (review.tests) {
    const { files, problems } = review.tests;
    if (review.tests.passed) {
      lines.push(
        `  ${mark(true, options)} tests: ${files.length === 0 ? 'no test file changed' : `${files.join(', ')} assert${files.length === 1 ? 's' : ''}`}`,
      );
    }
    for (const problem of problems)
      lines.push(`  ${mark(false, options)} tests: ${problem.file}:${problem.line} — ${problem.message}`);
    for (const test of review.tests.unrun ?? [])
      lines.push(
        `  ${mark(false, options)} tests: ${test.file} is not run by the test command (\`${test.command}\` in ${test.manifest}${test.patterns ? `, which runs ${test.patterns}` : ''})`,
      );
  }
  if (review.model) lines.push(`  reviewer model: ${review.model.verdict} — ${review.model.notes}`);
  lines.push(`Verdict: ${verdictWord(review.verdict, options)} — ${review.reason}`);
  return lines;
}

/** How to look at an approved branch and merge it; merging stays the user's decision. */
export function mergeInstructions(branch: string, base: string, worktree: string | undefined): string[] {
  const short = base.slice(0, 12);
  const lines = [
    'Look at it, and merge it yourself if you agree (improve never merges):',
    `  git log --stat ${short}..${branch}`,
    `  git diff ${short}...${branch}`,
    `  git merge ${branch}`,
    'Then `improve reconcile` re-checks it on your branch.',
  ];
  if (worktree) lines.push(`The worktree stays until you remove it: git worktree remove ${worktree}`);
  return lines;
}
