/**
 * `improve review-plan FILE`: check a plan against the quality bar without a model. Besides the
 * text checks, with git: the planned-at commit exists, the excerpts are the code at that commit,
 * and at least one done criterion fails there (criteria that already pass prove nothing). With a
 * planner, a fresh-context critique follows; `fix` writes a tightened plan when it is no worse.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CritiqueOutcome } from '../agents/plan-critic.ts';
import { UsageError } from '../core/errors.ts';
import { type Checkout, openCheckout } from '../execute/checkout.ts';
import type { CriterionResult } from '../execute/types.ts';
import { openProject } from '../execute/workspace.ts';
import { probeGit } from '../git/git.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { parsePlan } from '../plans/parse-plan.ts';
import type { Plan } from '../plans/plan.ts';
import { checkPlanFile, type PlanRepo } from '../reconcile/plan-file-checks.ts';
import type { QualityProblem } from '../reconcile/plan-quality.ts';
import { configureHint } from './model-required.ts';
import type { PlanFixResult } from './review-plan-model.ts';

export interface ReviewPlanOptions {
  cwd?: string;
  /** Per done criterion at the planned-at commit (default 120 s). */
  criteriaTimeoutSeconds?: number;
  signal?: AbortSignal;
  /** A session with a planner: a fresh-context critique after the checks. */
  model?: ModelSession;
  /** With a planner: write a tightened plan when it has no more problems than the original. */
  fix?: boolean;
  onProgress?: (stage: string) => void;
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
  /** The planner's critique, when a planner was given. */
  critique?: CritiqueOutcome;
  /** What `fix` did. */
  fix?: PlanFixResult;
}

function peek(markdown: string): Plan | undefined {
  try {
    return parsePlan(markdown);
  } catch {
    return undefined;
  }
}

interface OpenedRepo {
  repo: PlanRepo;
  checkout?: Checkout;
  /** The code the plan is about, and which code that is. */
  codeDir: string;
  where: string;
}

/** The repository the plan lives in, with a checkout of its planned-at commit when one is needed. */
async function openRepo(root: string, plan: Plan, withModel: boolean): Promise<OpenedRepo> {
  const probe = await probeGit(root);
  if (probe.kind === 'not-installed') throw probe.error;
  if (probe.kind === 'not-a-repository' || !(await probe.git.head()))
    return { repo: { kind: 'no-git', root }, codeDir: root, where: 'the working tree' };
  const project = await openProject(probe.git, root);
  const sha = plan?.plannedAt.sha;
  const needed = plan.doneCriteria.length > 0 || withModel;
  if (!sha || !needed || !(await project.git.revExists(sha)))
    return { repo: { kind: 'git', project }, codeDir: project.root, where: 'the working tree' };
  const checkout = await openCheckout(project, sha, 'review-plan');
  return {
    repo: { kind: 'git', project, checkout: checkout.dir },
    checkout,
    codeDir: checkout.dir,
    where: `the planned-at commit ${sha.slice(0, 12)}`,
  };
}

export async function reviewPlanFile(
  file: string,
  options: ReviewPlanOptions = {},
): Promise<ReviewPlanResult> {
  const session = options.model?.has('planner') && !options.model.dryRun ? options.model : undefined;
  if (options.fix && !session)
    throw new UsageError(
      'improve review-plan --fix needs a planner model, and none is configured.',
      configureHint('review-plan FILE --fix'),
    );
  const absolute = path.resolve(options.cwd ?? process.cwd(), file);
  if (!existsSync(absolute) || !statSync(absolute).isFile()) {
    throw new UsageError(`${file} is not a file`, 'Pass the path of a plan file, e.g. plans/003-slug.md.');
  }
  const markdown = readFileSync(absolute, 'utf8');
  const name = path.basename(absolute);
  const root = realpathSync(path.dirname(path.dirname(absolute)));
  const parsed = peek(markdown);
  const opened: OpenedRepo = parsed
    ? await openRepo(root, parsed, session !== undefined)
    : { repo: { kind: 'no-git', root }, codeDir: root, where: 'the working tree' };
  const ran = new Map<string, CriterionResult>();
  const checks = {
    ...(options.criteriaTimeoutSeconds ? { criteriaTimeoutSeconds: options.criteriaTimeoutSeconds } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ran,
  };
  try {
    const check = await checkPlanFile(markdown, name, opened.repo, checks);
    const result: ReviewPlanResult = {
      file,
      problems: check.problems,
      skipped: check.skipped,
      baseline: check.baseline,
    };
    if (check.plan) result.plan = check.plan;
    if (!session) return result;
    if (!check.plan) {
      result.skipped.push('the model review: the file does not parse as a plan');
      return result;
    }
    if (options.signal?.aborted) return result;
    const { reviewWithModel } = await import('./review-plan-model.ts');
    const reviewed = await reviewWithModel({
      session,
      absolute,
      markdown,
      name,
      plan: check.plan,
      problems: check.problems,
      codeDir: opened.codeDir,
      where: opened.where,
      fix: options.fix ?? false,
      recheck: async (text) => (await checkPlanFile(text, name, opened.repo, checks)).problems,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    result.critique = reviewed.critique;
    if (reviewed.fix) result.fix = reviewed.fix;
    return result;
  } finally {
    await opened.checkout?.dispose();
  }
}
