import { type Command, Option } from 'commander';
import { DEFAULT_CRITERIA_TIMEOUT_SECONDS } from '../../api/execute.ts';
import { reviewPlan } from '../../api/review.ts';
import { formatStatus } from '../../plans/plan.ts';
import { type CommandContext, parsePositiveInteger } from '../command-context.ts';
import {
  addExecutionModelOptions,
  type ExecutionModelOptions,
  openExecutionModels,
} from '../execution-models.ts';
import { interruptSignal } from '../interrupt.ts';
import { mergeInstructions, renderReview } from '../render-review.ts';

interface ReviewCommandOptions extends ExecutionModelOptions {
  timeout?: number;
  plansDir?: string;
  quiet?: boolean;
  verbose?: boolean;
}

export function registerReview(program: Command, context: CommandContext): void {
  const command = program
    .command('review')
    .description('review the work in a plan’s worktree (or branch): done criteria, scope, tests → verdict')
    .argument('<plan>', 'plan number (3 or 003) or plan file path')
    .addOption(
      new Option(
        '--timeout <seconds>',
        `end a done criterion after this long (default ${DEFAULT_CRITERIA_TIMEOUT_SECONDS})`,
      ).argParser(parsePositiveInteger),
    )
    .option('--plans-dir <dir>', 'the plans folder, relative to the repository (default: plans/)')
    .option('-q, --quiet', 'print only the result')
    .option('-v, --verbose', 'print detail about each stage');
  addExecutionModelOptions(command, false).action(async (plan: string, options: ReviewCommandOptions) => {
    const { output } = context;
    const interrupt = interruptSignal(output);
    const models = await openExecutionModels(options, '.', output, false, interrupt.signal).catch(
      (error: unknown) => {
        interrupt.dispose();
        throw error;
      },
    );
    try {
      output.progress(`reviewing plan ${plan}…`);
      const result = await reviewPlan(plan, {
        ...(options.timeout ? { criteriaTimeoutSeconds: options.timeout } : {}),
        ...(options.plansDir ? { plansDir: options.plansDir } : {}),
        ...(models.reviewModel ? { reviewModel: models.reviewModel } : {}),
        signal: interrupt.signal,
      });
      output.endProgress();
      const lines = [
        `Review of plan ${result.plan.id}: ${result.plan.title}`,
        `in ${result.reviewedIn} (branch ${result.branch}, base ${result.base.slice(0, 12)})`,
        ...renderReview(result.review, { color: output.color }),
        '',
      ];
      if (result.verdict === 'APPROVE') {
        lines.push(`Approved: plan ${result.plan.id} is ${formatStatus(result.status)}.`);
        if (result.committed)
          lines.push(
            `improve committed the uncommitted work in the worktree as ${result.committed.slice(0, 12)}.`,
          );
        lines.push(
          ...mergeInstructions(result.branch, result.base, result.fromBranch ? undefined : result.reviewedIn),
        );
      } else if (result.verdict === 'REVISE') {
        lines.push(
          `Not yet: plan ${result.plan.id} stays IN PROGRESS. Fix these, commit, and run \`improve review ${result.plan.number}\` again:`,
        );
        lines.push(...result.review.problems.map((problem) => `  - ${problem.split('\n')[0]}`));
      } else {
        lines.push(`Blocked: plan ${result.plan.id} is ${formatStatus(result.status)}.`);
      }
      output.result(lines.join('\n'));
      context.setExitCode(interrupt.signal.aborted ? 130 : result.verdict === 'APPROVE' ? 0 : 1);
    } finally {
      interrupt.dispose();
      models.dispose();
    }
  });
}
