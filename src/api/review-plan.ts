/**
 * `improve review-plan FILE`: check a plan against the quality bar without a model. Besides the
 * text checks, with git: the planned-at commit exists, the excerpts are the code at that commit,
 * and at least one done criterion fails there (criteria that already pass prove nothing).
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { withCheckout } from '../execute/checkout.ts';
import { runCriteria } from '../execute/criteria.ts';
import { excerptMatches } from '../execute/drift.ts';
import type { CriterionResult } from '../execute/types.ts';
import { openProject, type Project } from '../execute/workspace.ts';
import { probeGit } from '../git/git.ts';
import type { Plan } from '../plans/plan.ts';
import { checkPlanText, lineOf, type QualityProblem } from '../reconcile/plan-quality.ts';

export interface ReviewPlanOptions {
  cwd?: string;
  /** Per done criterion at the planned-at commit (default 120 s). */
  criteriaTimeoutSeconds?: number;
  signal?: AbortSignal;
}

export interface ReviewPlanResult {
  /** As given, for messages. */
  file: string;
  plan?: Plan;
  problems: QualityProblem[];
  /** Checks that could not run, and why (no git, no commit). */
  skipped: string[];
  /** The done criteria as run at the planned-at commit. */
  baseline: CriterionResult[];
}

async function gitProblems(
  project: Project,
  plan: Plan,
  lines: readonly string[],
  options: ReviewPlanOptions,
  result: ReviewPlanResult,
): Promise<void> {
  const sha = plan.plannedAt.sha;
  const shaLine = lineOf(lines, /^\s+sha:/);
  if (!sha) {
    result.problems.push({
      line: shaLine,
      message: 'planned_at.sha is empty: the plan cannot be checked for drift',
    });
    return;
  }
  if (!(await project.git.revExists(sha))) {
    result.problems.push({
      line: shaLine,
      message: `the planned-at commit ${sha} is not in this repository`,
    });
    return;
  }
  for (const excerpt of plan.currentState) {
    if (!excerptMatches(await project.git.readFileAt(sha, excerpt.file), excerpt)) {
      const citation = `\`${excerpt.file}:${excerpt.startLine}-${excerpt.endLine}\``;
      result.problems.push({
        line: lineOf(lines, new RegExp(citation.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))),
        message: `the excerpt of ${excerpt.file}:${excerpt.startLine}-${excerpt.endLine} is not the code at ${sha.slice(0, 12)}`,
      });
    }
  }
  if (plan.doneCriteria.length === 0) return;
  result.baseline = await withCheckout(project, sha, (dir) =>
    runCriteria(dir, plan.doneCriteria, {
      timeoutMs: (options.criteriaTimeoutSeconds ?? 120) * 1000,
      ...(options.signal ? { signal: options.signal } : {}),
    }),
  );
  if (result.baseline.length > 0 && result.baseline.every((criterion) => criterion.passed)) {
    result.problems.push({
      line: lineOf(lines, /^## Done criteria/),
      message: `every done criterion already passes on the planned-at code (${sha.slice(0, 12)}), so none proves the fix: add one that fails until the problem is fixed`,
    });
  }
}

export async function reviewPlanFile(
  file: string,
  options: ReviewPlanOptions = {},
): Promise<ReviewPlanResult> {
  const absolute = path.resolve(options.cwd ?? process.cwd(), file);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new UsageError(`${file} is not a file`, 'Pass the path of a plan file, e.g. plans/003-slug.md.');
  }
  const markdown = readFileSync(absolute, 'utf8');
  const lines = markdown.split(/\r?\n/);
  const quality = checkPlanText(markdown, path.basename(absolute));
  const result: ReviewPlanResult = { file, problems: quality.problems, skipped: [], baseline: [] };
  if (!quality.plan) {
    result.skipped.push('the git checks: the file does not parse as a plan');
    return result;
  }
  result.plan = quality.plan;
  const root = realpathSync(path.dirname(path.dirname(absolute)));
  const probe = await probeGit(root);
  if (probe.kind === 'not-installed') throw probe.error;
  if (probe.kind === 'not-a-repository' || !(await probe.git.head())) {
    if (quality.plan.plannedAt.sha) {
      result.problems.push({
        line: lineOf(lines, /^\s+sha:/),
        message: `the plan names commit ${quality.plan.plannedAt.sha}, but ${root} is not a git repository with commits`,
      });
    }
    result.skipped.push('the excerpt and done-criteria checks at the planned-at commit: no git repository');
  } else {
    await gitProblems(await openProject(probe.git, root), quality.plan, lines, options, result);
  }
  result.problems.sort((a, b) => a.line - b.line);
  return result;
}
