import path from 'node:path';
import { input } from '@inquirer/prompts';
import { estimateSingle } from '../agents/estimate-audit.ts';
import { PLAN_REQUEST_SYSTEM } from '../agents/plan-request.ts';
import { noPlannerError } from '../api/model-required.ts';
import { type PlanQuestion, planOne } from '../api/plan-one.ts';
import { RepoReader } from '../audit/repo-reader.ts';
import { recon } from '../recon/recon.ts';
import type { ModelCommandOptions } from './model-options.ts';
import { printEstimate, withModels } from './model-run.ts';
import type { Output } from './output.ts';
import { renderCostTable } from './render-model-run.ts';

export interface PlanCommandOptions extends ModelCommandOptions {
  plansDir?: string;
  quiet?: boolean;
  verbose?: boolean;
}

async function askUser(question: PlanQuestion): Promise<string> {
  return input({
    message: `${question.question}\n  recommended: ${question.recommended} (${question.why})\n `,
    default: question.recommended,
  });
}

export async function runPlanCommand(
  description: string,
  target: string | undefined,
  options: PlanCommandOptions,
  output: Output,
): Promise<number> {
  const where = target ?? '.';
  return withModels(options, where, { command: 'plan', uses: ['planner'], output }, async (models) => {
    const session = models.session;
    if (!session) throw noPlannerError('plan', 'plan "DESCRIPTION"');
    if (session.dryRun) {
      const profile = await recon(where);
      const estimate = estimateSingle({
        session,
        profile,
        reader: new RepoReader(profile.root),
        task: 'plan',
        system: PLAN_REQUEST_SYSTEM,
      });
      return printEstimate(estimate, session, output);
    }
    const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
    const result = await planOne({
      description,
      path: where,
      model: session,
      ...(options.plansDir ? { plansDir: options.plansDir } : {}),
      ...(interactive ? { ask: askUser } : {}),
      onProgress: (stage) => output.progress(`${stage}…`),
    });
    output.endProgress();
    const file = `${result.plansRelative}/${result.plan.id}-${result.plan.slug}.md`;
    output.result(`Wrote plan ${result.plan.id}: ${file}  ${result.plan.title}`);
    for (const decision of result.decisions)
      output.result(
        `  decided: ${decision.question} → ${decision.answer}${decision.asked ? '' : ' (recommended; not asked: no terminal)'}`,
      );
    for (const note of result.notes) output.warn(note);
    output.result(`\n${renderCostTable(session.summary(), output.width)}`);
    output.debug(`repository: ${result.root}; plan file: ${path.join(result.root, file)}`);
    return models.interrupted() ? 130 : 0;
  });
}
