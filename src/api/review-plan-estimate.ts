/**
 * `improve review-plan FILE --dry-run` with a planner: what the critique (and with `--fix` the
 * fix) would cost, from their real prompts over the working tree. Nothing is run or written.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CostEstimate } from '../agents/estimate-audit.ts';
import { estimatePlannerCalls, type PlannedCall } from '../agents/estimate-rework.ts';
import { CRITIC_SYSTEM, critiquePrompt } from '../agents/plan-critic.ts';
import { FIX_SYSTEM, fixPrompt } from '../agents/plan-fixer.ts';
import { inScopeCode } from '../agents/plan-rework.ts';
import { RepoReader } from '../audit/repo-reader.ts';
import { UsageError } from '../core/errors.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { parsePlan } from '../plans/parse-plan.ts';
import { reworkRepo } from '../reconcile/rework-repo.ts';

export async function estimateReviewPlan(
  file: string,
  options: { cwd?: string; fix?: boolean },
  session: ModelSession,
): Promise<CostEstimate> {
  const absolute = path.resolve(options.cwd ?? process.cwd(), file);
  if (!existsSync(absolute) || !statSync(absolute).isFile())
    throw new UsageError(`${file} is not a file`, 'Pass the path of a plan file, e.g. plans/003-slug.md.');
  const markdown = readFileSync(absolute, 'utf8');
  const name = path.basename(absolute);
  const plan = parsePlan(markdown, name);
  const root = path.dirname(path.dirname(absolute));
  const reader = new RepoReader(root);
  const where = 'the working tree';
  const calls: PlannedCall[] = [
    {
      task: 'critique',
      system: CRITIC_SYSTEM,
      prompt: critiquePrompt({
        markdown,
        file: name,
        code: inScopeCode(plan, (f) => reader.lines(f)),
        where,
      }),
      calls: 1,
      outputTokens: 1500,
    },
  ];
  if (options.fix) {
    const repo = await reworkRepo(root);
    const prompt = fixPrompt({
      plan,
      markdown,
      name,
      problems: [],
      critique: [],
      files: repo.files,
      profile: repo.profile,
      where,
    });
    calls.push({
      task: 'fix (only when a problem is found)',
      system: FIX_SYSTEM,
      prompt,
      calls: 3,
      outputTokens: 3000,
    });
  }
  return estimatePlannerCalls(session, calls);
}
