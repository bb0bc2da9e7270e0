import { type Command, Option } from 'commander';
import { FAIL_ON_LEVELS } from '../../api/branch.ts';
import { CATEGORIES } from '../../core/types.ts';
import { type BranchCommandOptions, runBranchCommand } from '../branch-command.ts';
import { addPlanningOptions, type CommandContext, parseCategories } from '../command-context.ts';
import { addModelOptions } from '../model-options.ts';

export function registerBranch(program: Command, context: CommandContext): void {
  const command = program
    .command('branch')
    .description('audit what the current branch changes: its files since the merge-base and their importers')
    .argument('[path-and-level...]', 'PATH (default: current directory), then quick|standard|deep')
    .option('--base <ref>', 'compare with this branch or commit (default: origin/HEAD, else main or master)')
    .option('--include-uncommitted', 'count uncommitted and untracked changes as part of the branch')
    .addOption(
      new Option(
        '--fail-on <level>',
        'exit 1 when a finding the branch introduced reaches LEVEL: high (HIGH confidence), medium (MED or HIGH), low (any)',
      ).choices(FAIL_ON_LEVELS),
    )
    .addOption(
      new Option(
        '--focus <categories>',
        `only these categories, comma-separated or repeated (${CATEGORIES.join(', ')})`,
      ).argParser(parseCategories),
    )
    .option('--json <file>', 'write findings, the branch and the gate as JSON (- for stdout)')
    .option('--sarif <file>', 'write SARIF 2.1.0 with `introduced` on each result (- for stdout)')
    .option('--markdown-summary <file>', 'write a summary for a pull-request comment (- for stdout)');
  addModelOptions(addPlanningOptions(command), ['planner']).action(
    async (args: string[], options: BranchCommandOptions) => {
      context.setExitCode(await runBranchCommand(args, options, context.output));
    },
  );
}
