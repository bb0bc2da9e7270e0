import type { Command } from 'commander';
import { status } from '../../api/status.ts';
import type { CommandContext } from '../command-context.ts';
import { renderStatus } from '../render-status.ts';

export function registerStatus(program: Command, context: CommandContext): void {
  program
    .command('status')
    .description('plans and their statuses, live worktrees, and model costs')
    .argument('[path]', 'the repository (default: the current directory)')
    .option('--plans-dir <dir>', 'the plans folder, relative to the repository (default: plans/)')
    .option('-q, --quiet', 'print only the result')
    .option('-v, --verbose', 'print detail about each stage')
    .action(async (target: string | undefined, options: { plansDir?: string }) => {
      const result = await status(target, options.plansDir ? { plansDir: options.plansDir } : {});
      context.output.result(renderStatus(result, context.output.width));
      context.setExitCode(0);
    });
}
