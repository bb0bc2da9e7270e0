import { type Command, Option } from 'commander';
import { reviewPlanFile } from '../../api/review-plan.ts';
import { type CommandContext, parsePositiveInteger } from '../command-context.ts';
import { interruptSignal } from '../interrupt.ts';

export function registerReviewPlan(program: Command, context: CommandContext): void {
  program
    .command('review-plan')
    .description('check a plan file against the quality bar (exit 1 with each problem and its line)')
    .argument('<file>', 'the plan file, e.g. plans/003-slug.md')
    .addOption(
      new Option(
        '--timeout <seconds>',
        'end a done criterion run at the planned-at commit after this long (default 120)',
      ).argParser(parsePositiveInteger),
    )
    .option('-q, --quiet', 'print only the result')
    .option('-v, --verbose', 'print detail about each stage')
    .action(async (file: string, options: { timeout?: number }) => {
      const { output } = context;
      const interrupt = interruptSignal(output);
      try {
        output.progress(`checking ${file}…`);
        const result = await reviewPlanFile(file, {
          ...(options.timeout ? { criteriaTimeoutSeconds: options.timeout } : {}),
          signal: interrupt.signal,
        });
        output.endProgress();
        for (const skipped of result.skipped) output.info(`skipped ${skipped}`);
        if (result.problems.length === 0) {
          output.result(`${file}: meets the quality bar.`);
          context.setExitCode(0);
          return;
        }
        output.result(
          [
            ...result.problems.map((problem) => `${file}:${problem.line}: ${problem.message}`),
            `${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}.`,
          ].join('\n'),
        );
        context.setExitCode(1);
      } finally {
        interrupt.dispose();
      }
    });
}
