import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { addModelOptions } from '../model-options.ts';
import type { NextCommandOptions } from '../next-command.ts';

export function registerNext(program: Command, context: CommandContext): void {
  const command = program
    .command('next')
    .description('where to go next: direction signals, and grounded suggestions with a planner model')
    .argument('[path]', 'the repository (default: current directory)')
    .option('-q, --quiet', 'print only the result')
    .option('-v, --verbose', 'print detail about each stage');
  addModelOptions(command, ['planner']).action(
    async (target: string | undefined, options: NextCommandOptions) => {
      const { runNextCommand } = await import('../next-command.ts');
      context.setExitCode(await runNextCommand(target, options, context.output));
    },
  );
}
