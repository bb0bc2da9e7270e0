import { type Command, Option } from 'commander';
import { CATEGORIES } from '../../core/types.ts';
import { type AuditCommandOptions, runAuditCommand } from '../audit-command.ts';
import { addPlanningOptions, type CommandContext, parseCategories } from '../command-context.ts';
import { addModelOptions } from '../model-options.ts';

export function registerAudit(program: Command, context: CommandContext): void {
  const command = program
    .command('audit', { isDefault: true })
    .description('full audit → findings table → plans (default command)')
    .argument('[path-and-level...]', 'PATH (default: current directory), then quick|standard|deep')
    .addOption(
      new Option(
        '--focus <categories>',
        `only these categories, comma-separated or repeated (${CATEGORIES.join(', ')})`,
      ).argParser(parseCategories),
    )
    .option('--json <file>', 'write findings and the run summary as JSON (- for stdout)')
    .option('--sarif <file>', 'write SARIF 2.1.0 (- for stdout)');
  addModelOptions(addPlanningOptions(command), ['planner']).action(
    async (args: string[], options: AuditCommandOptions) => {
      context.setExitCode(await runAuditCommand(args, options, context.output));
    },
  );
}
