/**
 * Every check `review-plan` runs without a model, on a plan file's text: the text checks, and
 * with git the planned-at commit exists, the excerpts are the code at that commit, and at least
 * one done criterion fails there (run in a checkout of it; results are remembered per criterion,
 * so re-checking a fixed plan runs only the criteria it changed).
 */
import { escapeRegExp } from '../core/regex-literal.ts';
import { runCriteria } from '../execute/criteria.ts';
import { excerptMatches } from '../execute/drift.ts';
import type { CriterionResult } from '../execute/types.ts';
import type { Project } from '../execute/workspace.ts';
import type { Plan } from '../plans/plan.ts';
import { checkPlanText, lineOf, type QualityProblem } from './plan-quality.ts';

/** Where the plan lives. */
export type PlanRepo =
  | { kind: 'git'; project: Project; checkout?: string }
  | { kind: 'no-git'; root: string };

export interface FileCheckOptions {
  criteriaTimeoutSeconds?: number;
  signal?: AbortSignal;
  /** Done criteria already run at the planned-at commit, by `run` and `expect`. */
  ran?: Map<string, CriterionResult>;
}

export interface FileCheck {
  plan?: Plan;
  problems: QualityProblem[];
  skipped: string[];
  baseline: CriterionResult[];
}

const key = (criterion: { run: string; expect: string }) => `${criterion.run}\0${criterion.expect}`;

async function baselineOf(dir: string, plan: Plan, options: FileCheckOptions): Promise<CriterionResult[]> {
  const ran = options.ran ?? new Map<string, CriterionResult>();
  const missing = plan.doneCriteria.filter((criterion) => !ran.has(key(criterion)));
  const results = await runCriteria(dir, missing, {
    timeoutMs: (options.criteriaTimeoutSeconds ?? 120) * 1000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  for (const result of results) ran.set(key(result), result);
  return plan.doneCriteria.flatMap((criterion) => {
    const result = ran.get(key(criterion));
    return result ? [result] : [];
  });
}

async function gitProblems(
  repo: Extract<PlanRepo, { kind: 'git' }>,
  plan: Plan,
  lines: readonly string[],
  options: FileCheckOptions,
  check: FileCheck,
): Promise<void> {
  const sha = plan.plannedAt.sha;
  const shaLine = lineOf(lines, /^\s+sha:/);
  if (!sha) {
    check.problems.push({
      line: shaLine,
      message: 'planned_at.sha is empty: the plan cannot be checked for drift',
    });
    return;
  }
  if (!(await repo.project.git.revExists(sha))) {
    check.problems.push({ line: shaLine, message: `the planned-at commit ${sha} is not in this repository` });
    return;
  }
  for (const excerpt of plan.currentState) {
    if (!excerptMatches(await repo.project.git.readFileAt(sha, excerpt.file), excerpt)) {
      const citation = `\`${excerpt.file}:${excerpt.startLine}-${excerpt.endLine}\``;
      check.problems.push({
        line: lineOf(lines, new RegExp(escapeRegExp(citation))),
        message: `the excerpt of ${excerpt.file}:${excerpt.startLine}-${excerpt.endLine} is not the code at ${sha.slice(0, 12)}`,
      });
    }
  }
  if (plan.doneCriteria.length === 0 || repo.checkout === undefined) return;
  check.baseline = await baselineOf(repo.checkout, plan, options);
  if (check.baseline.length > 0 && check.baseline.every((criterion) => criterion.passed)) {
    check.problems.push({
      line: lineOf(lines, /^## Done criteria/),
      message: `every done criterion already passes on the planned-at code (${sha.slice(0, 12)}), so none proves the fix: add one that fails until the problem is fixed`,
    });
  }
}

/** The checks of one plan file's text (`name` is its file name, for messages). */
export async function checkPlanFile(
  markdown: string,
  name: string,
  repo: PlanRepo,
  options: FileCheckOptions = {},
): Promise<FileCheck> {
  const lines = markdown.split(/\r?\n/);
  const quality = checkPlanText(markdown, name);
  const check: FileCheck = { problems: [...quality.problems], skipped: [], baseline: [] };
  if (!quality.plan) {
    check.skipped.push('the git checks: the file does not parse as a plan');
    return check;
  }
  check.plan = quality.plan;
  if (repo.kind === 'no-git') {
    if (quality.plan.plannedAt.sha) {
      check.problems.push({
        line: lineOf(lines, /^\s+sha:/),
        message: `the plan names commit ${quality.plan.plannedAt.sha}, but ${repo.root} is not a git repository with commits`,
      });
    }
    check.skipped.push('the excerpt and done-criteria checks at the planned-at commit: no git repository');
  } else {
    await gitProblems(repo, quality.plan, lines, options, check);
  }
  check.problems.sort((a, b) => a.line - b.line);
  return check;
}
