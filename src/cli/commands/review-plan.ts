import { type Command, Option } from 'commander';
import { type CommandContext, parsePositiveInteger } from '../command-context.ts';
import { addModelOptions } from '../model-options.ts';
import type { ReviewPlanCommandOptions } from '../review-plan-command.ts';

export function registerReviewPlan(program: Command, context: CommandContext): void {
  const command = program
    .command('review-plan')
    .description(
      'check a plan file against the quality bar (exit 1 with each problem and its line); with a planner, a critique and --fix',
    )
    .argument('<plan>', 'the plan: its number (3) or its file, e.g. plans/003-slug.md')
    .addOption(
      new Option(
        '--timeout <seconds>',
        'end a done criterion run at the planned-at commit after this long (default 120)',
      ).argParser(parsePositiveInteger),
    )
    .option(
      '--fix',
      'with a planner: rewrite the plan to address the problems, keeping its id, status and your notes; written only when no worse',
    )
    .option('-q, --quiet', 'print only the result')
    .option('-v, --verbose', 'print detail about each stage');
  addModelOptions(command, ['planner']).action(async (file: string, options: ReviewPlanCommandOptions) => {
    const { runReviewPlanCommand } = await import('../review-plan-command.ts');
    context.setExitCode(await runReviewPlanCommand(file, options, context.output));
  });
}
