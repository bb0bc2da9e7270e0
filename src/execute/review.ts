/**
 * The review of one attempt, like a tech lead's: re-run every done criterion in the worktree,
 * check that only in-scope files changed, read what the new tests assert, optionally ask a
 * reviewer model, and give a verdict with the evidence.
 */
import { changedPaths, diffStat, diffText, lineCounts } from '../git/changes.ts';
import type { DiffHunk } from '../git/diff-hunks.ts';
import { openGit } from '../git/git.ts';
import type { Plan } from '../plans/plan.ts';
import { roleOf } from '../recon/file-role.ts';
import { languageOf } from '../recon/languages.ts';
import { planRuleFindings } from '../reconcile/rerun-detector.ts';
import { runCriteria } from './criteria.ts';
import { checkScope } from './scope-gate.ts';
import { auditTests } from './test-audit.ts';
import type {
  CriterionResult,
  ExecutorRun,
  Review,
  ReviewModel,
  RuleRecheck,
  ScopeResult,
  TestAuditResult,
} from './types.ts';
import { type Project, projectDirIn } from './workspace.ts';

export interface ReviewInput {
  project: Project;
  plan: Plan;
  /** The attempt's worktree (its top level), absolute. */
  worktree: string;
  /** The commit the attempt started from. */
  base: string;
  /** The executor run being reviewed; absent when reviewing work done by hand. */
  run?: ExecutorRun;
  /** The executor's time limit, for the message when it was reached. */
  executorTimeoutMs?: number;
  criteriaTimeoutMs: number;
  signal?: AbortSignal;
  reviewModel?: ReviewModel;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** BLOCK before any gate runs: the executor itself did not finish its work. */
function executorBlock(run: ExecutorRun | undefined, timeoutMs: number): string | undefined {
  if (!run) return undefined;
  if (run.timedOut)
    return `the executor did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`;
  if (run.outputLimited) return 'the executor printed more output than allowed and was stopped';
  const report = run.report;
  if (report && report.status !== 'DONE') {
    return `the executor reported ${report.status}: ${report.stopReason ?? report.notes ?? 'no reason given'}`;
  }
  if (!report && run.exitCode !== 0) {
    return `the executor exited with ${run.exitCode ?? 'a signal'} without a report`;
  }
  return undefined;
}

function criterionProblem(result: CriterionResult): string {
  const got = result.timedOut ? 'timed out' : `exited ${result.exitCode ?? 'on a signal'}`;
  const tail = result.outputTail.trim() === '' ? '' : `\n${indent(result.outputTail)}`;
  return `Done criterion \`${result.run}\` must give "${result.expect}" but ${got}.${tail}`;
}

function scopeProblems(scope: ScopeResult, base: string, prefix: string): string[] {
  const lead = prefix === '' ? '' : `${prefix}/`;
  return scope.outside.map((change) => {
    const shown = change.path.startsWith(lead) ? change.path.slice(lead.length) : `/${change.path}`;
    const undo =
      change.change === 'added' ? 'delete it' : `restore it with \`git checkout ${base} -- ${change.path}\``;
    return `\`${shown}\` (${change.change}) is not on the in-scope list: ${undo}, or STOP if the change is really needed.`;
  });
}

function testProblems(tests: TestAuditResult, prefix: string): string[] {
  const lead = prefix === '' ? '' : `${prefix}/`;
  return tests.problems.map(
    (problem) =>
      `\`${problem.file.startsWith(lead) ? problem.file.slice(lead.length) : problem.file}:${problem.line}\`: ${problem.message} Assert the behaviour the test name promises.`,
  );
}

/** New test files the test command does not run: they prove nothing however well they assert. */
function unrunProblems(tests: TestAuditResult, prefix: string): string[] {
  const lead = prefix === '' ? '' : `${prefix}/`;
  const shown = (file: string) => (file.startsWith(lead) ? file.slice(lead.length) : file);
  return (tests.unrun ?? []).map(
    (test) =>
      `\`${shown(test.file)}\` is a new test the test command never runs: \`${shown(test.manifest)}\` runs \`${test.command}\`, ${test.patterns ? `which picks its test files by ${test.patterns}, and none matches it` : 'which does not match it'}. Name and place it like the tests that command runs, or STOP if the plan's scope does not allow that.`,
  );
}

/**
 * The test files the plan puts in scope for the fix's test (a new one, or the existing tests to
 * extend): when it names one and the attempt changed no test, the test the steps ask for is missing.
 */
function missingTest(plan: Plan, tests: TestAuditResult, prefix: string): string[] {
  if (tests.files.length > 0) return [];
  const lead = prefix === '' ? '' : `${prefix}/`;
  const wanted = plan.scope.in
    .map((entry) => entry.path)
    .filter(
      (file) => !file.endsWith('/') && roleOf(`${lead}${file}`) === 'test' && languageOf(file) !== undefined,
    );
  if (wanted.length === 0) return [];
  return [
    `No test changed, though the plan asks for one in ${wanted.map((file) => `\`${file}\``).join(' or ')}: add the test its steps describe, one that fails on the old code and passes with the fix.`,
  ];
}

/**
 * The plan's rule, run again over the attempt's project folder. A done check that looks for the
 * cited line is passed by laying the same code out anew (`pickle.loads(  data )`, a
 * `dangerouslySetInnerHTML` split over three lines); the rule that found the problem is not. Only
 * what it reports where the plan's findings were counts: the plan's own finding, its code
 * untouched, or any finding on the lines the attempt added or changed. A finding of the same rule
 * elsewhere in the file, which the plan did not select, is not this attempt's business; nor is a
 * LOW-confidence lead.
 */
async function recheckRule(
  projectDir: string,
  plan: Plan,
  hunks: readonly DiffHunk[],
  prefix: string,
): Promise<RuleRecheck | undefined> {
  const run = await planRuleFindings(projectDir, plan).catch(() => undefined);
  if (run?.kind !== 'ran') return undefined;
  const lead = prefix === '' ? '' : `${prefix}/`;
  const touched = (file: string, start: number, end: number) =>
    hunks.some((hunk) => hunk.file === `${lead}${file}` && hunk.startLine <= end && hunk.endLine >= start);
  const still: RuleRecheck['still'] = [];
  for (const finding of run.findings) {
    if (finding.confidence === 'LOW') continue;
    const at = finding.evidence[0];
    const here =
      plan.findings.includes(finding.id) || (at !== undefined && touched(at.file, at.startLine, at.endLine));
    if (here)
      still.push({
        file: at?.file ?? '(repository)',
        line: at?.startLine ?? 0,
        confidence: finding.confidence,
        title: finding.title,
      });
  }
  return { ruleId: run.ruleId, still };
}

function ruleProblems(rule: RuleRecheck | undefined): string[] {
  return (rule?.still ?? []).map(
    (item) =>
      `The rule this plan was written for (\`${rule?.ruleId}\`) still reports "${item.title}" at \`${item.file}:${item.line}\` (${item.confidence} confidence): the change does not remove the problem, whatever the done criteria say. Fix the code itself, as the steps describe.`,
  );
}

/** A fix that takes code away says so (`Remove the override`, `implement it or delete it`). */
const REMOVES_CODE = /\b(?:remov|delet|drop|strip|get rid of)/i;

/**
 * Cited files the attempt only took lines out of, when the plan's fix is not a removal: deleting
 * the flagged code (an empty catch with the call it guarded, an unawaited call) passes a done check
 * that looks for the line and the rule run again, yet throws away the work the code did.
 */
async function deletionProblems(
  worktree: string,
  base: string,
  plan: Plan,
  prefix: string,
): Promise<string[]> {
  const fix = [
    /^Suggested fix:.*$/m.exec(plan.why)?.[0] ?? '',
    ...plan.steps.map((step) => `${step.title} ${step.detail}`),
  ].join('\n');
  if (REMOVES_CODE.test(fix)) return [];
  const lead = prefix === '' ? '' : `${prefix}/`;
  const cited = [...new Set(plan.currentState.map((excerpt) => excerpt.file))];
  const counts = await lineCounts(
    worktree,
    base,
    cited.map((file) => `${lead}${file}`),
  ).catch(() => new Map<string, { added: number; deleted: number }>());
  return cited.flatMap((file) => {
    const count = counts.get(`${lead}${file}`);
    if (!count || count.added > 0 || count.deleted === 0) return [];
    return [
      `\`${file}\` only loses lines (${count.deleted} deleted, none added), but this plan's fix changes the code rather than removing it: deleting the flagged code hides the finding along with the work that code did. Fix it as the steps describe, or STOP if removing it is really right.`,
    ];
  });
}

/** The shell's answer when a command's program does not exist (`sh: 1: pnpm: not found`). */
const NOT_FOUND = 127;

/**
 * Why the done criteria cannot run on this machine: one exited 127, the shell's "command not
 * found" (pnpm not installed, or `tsc` missing because the dependencies are not installed). That
 * is the environment's doing, not the attempt's, so it blocks the review instead of sending the
 * executor back; undefined when every criterion could run.
 */
function missingTool(criteria: readonly CriterionResult[], plan: Plan): string | undefined {
  const failed = criteria.filter((result) => !result.passed && result.exitCode === NOT_FOUND);
  if (failed.length === 0) return undefined;
  const commands = failed.map((result) => `\`${result.run}\``).join(', ');
  const said = failed
    .flatMap((result) => result.outputTail.split('\n'))
    .map((line) => line.trim())
    .find((line) => /not found|not recognized|No such file/i.test(line));
  return `${commands} could not run here (exit 127, command not found${said ? `: ${said}` : ''}): a tool or the dependencies are not installed in this environment. Install what is missing (the plan's "Commands you will need" lists the install command), then review the attempt again with \`improve review ${Number(plan.id)}\`, or start over with \`improve execute ${Number(plan.id)}\`.`;
}

function summary(
  criteria: readonly CriterionResult[],
  rule: RuleRecheck | undefined,
  scope: ScopeResult,
  tests: TestAuditResult,
  missing: boolean,
  deleted: number,
): string {
  const parts: string[] = [];
  const failed = criteria.filter((result) => !result.passed).length;
  if (failed > 0) parts.push(`${failed} of ${criteria.length} done criteria fail`);
  if (rule && rule.still.length > 0) parts.push(`its rule still reports the problem`);
  if (!scope.passed) parts.push(`${scope.outside.length} changed path(s) out of scope`);
  if (tests.problems.length > 0) parts.push(`${tests.problems.length} test(s) assert nothing useful`);
  if (tests.unrun && tests.unrun.length > 0)
    parts.push(`${tests.unrun.length} new test file(s) the test command does not run`);
  if (missing) parts.push('the test the plan asks for is missing');
  if (deleted > 0) parts.push(`${deleted} cited file(s) only lose lines, though the fix is not a removal`);
  return parts.join('; ');
}

export async function reviewAttempt(input: ReviewInput): Promise<Review> {
  const { project, plan, worktree, base } = input;
  const stat = await diffStat(worktree, base);
  const blocked = executorBlock(input.run, input.executorTimeoutMs ?? 0);
  if (blocked)
    return { verdict: 'BLOCK', reason: blocked, criteria: [], problems: [blocked], diffStat: stat };

  const changes = await changedPaths(worktree, base);
  const criteria = await runCriteria(projectDirIn(project, worktree), plan.doneCriteria, {
    timeoutMs: input.criteriaTimeoutMs,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const scope = checkScope(changes, plan.scope.in, project.prefix);
  const worktreeGit = await openGit(worktree);
  const hunks = worktreeGit ? await worktreeGit.diffHunks(base) : [];
  const tests = auditTests(worktree, changes, hunks);
  const rule =
    changes.length > 0 && criteria.every((result) => result.passed)
      ? await recheckRule(projectDirIn(project, worktree), plan, hunks, project.prefix)
      : undefined;
  const deleted = changes.length > 0 ? await deletionProblems(worktree, base, plan, project.prefix) : [];
  const problems = [
    ...(changes.length === 0
      ? [`Nothing changed: the worktree is identical to ${base.slice(0, 12)}. Carry out the steps.`]
      : []),
    ...criteria.filter((result) => !result.passed).map(criterionProblem),
    ...ruleProblems(rule),
    ...scopeProblems(scope, base, project.prefix),
    ...testProblems(tests, project.prefix),
    ...unrunProblems(tests, project.prefix),
    ...(changes.length > 0 ? missingTest(plan, tests, project.prefix) : []),
    ...deleted,
  ];
  const review: Review = {
    verdict: 'APPROVE',
    reason: '',
    criteria,
    scope,
    ...(rule ? { rule } : {}),
    tests,
    problems,
    diffStat: stat,
  };
  const cannotRun = missingTool(criteria, plan);
  if (cannotRun) {
    // Another round would not help: the executor cannot install what this machine lacks.
    return { ...review, verdict: 'BLOCK', reason: cannotRun, problems: [cannotRun, ...problems] };
  }
  if (problems.length > 0) {
    review.verdict = 'REVISE';
    const missing = changes.length > 0 && missingTest(plan, tests, project.prefix).length > 0;
    review.reason =
      changes.length === 0
        ? 'nothing changed'
        : summary(criteria, rule, scope, tests, missing, deleted.length);
    return review;
  }
  if (input.reviewModel) {
    const diff = await diffText(worktree, base);
    const answer = await input.reviewModel({ plan, diff, criteria, scope, tests });
    review.model = answer;
    if (answer.verdict !== 'APPROVE') {
      review.verdict = answer.verdict;
      review.reason = `the reviewer model asks to ${answer.verdict === 'REVISE' ? 'revise' : 'block'}`;
      review.problems = [answer.notes.trim()];
      return review;
    }
  }
  const tested = tests.files.length > 0 ? `, ${tests.files.length} changed test file(s) assert` : '';
  review.reason = `all ${criteria.length} done criteria pass, ${changes.length} changed path(s) in scope${tested}`;
  return review;
}
