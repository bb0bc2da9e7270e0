import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { addModelOptions } from '../model-options.ts';
import type { PlanCommandOptions } from '../plan-command.ts';

export function registerPlan(program: Command, context: CommandContext): void {
  const command = program
    .command('plan')
    .description('skip the audit: plan one change you describe (needs a planner model)')
    .argument('<description>', 'the change, in quotes, e.g. "add a --json flag to export"')
    .argument('[path]', 'the repository (default: current directory)')
    .option('--plans-dir <dir>', 'where plans go, relative to the repository (default: plans/)')
    .option('-q, --quiet', 'print only the result')
    .option('-v, --verbose', 'print detail about each stage');
  addModelOptions(command, ['planner']).action(
    async (description: string, target: string | undefined, options: PlanCommandOptions) => {
      const { runPlanCommand } = await import('../plan-command.ts');
      context.setExitCode(await runPlanCommand(description, target, options, context.output));
    },
  );
}
