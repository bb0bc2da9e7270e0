import { type Command, Option } from 'commander';
import { CATEGORIES } from '../../core/types.ts';
import { type AuditCommandOptions, runAuditCommand } from '../audit-command.ts';
import { type CommandContext, parseCategories, parsePositiveInteger } from '../command-context.ts';
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
    .option('--sarif <file>', 'write SARIF 2.1.0 (- for stdout)')
    .option('--select <numbers>', 'plan these table rows, e.g. 1,3,5 or 2-4')
    .addOption(new Option('--top <n>', 'plan the top N findings by leverage').argParser(parsePositiveInteger))
    .option('--no-plans', 'report only; write no plan files')
    .option('--plans-dir <dir>', 'where plans go, relative to the repository (default: plans/)')
    .option('--no-cache', 'read every file and run every detector afresh; neither read nor update the caches')
    .option('--issues', 'publish the written plans as GitHub issues of the origin repository')
    .option('--yes-public', 'with --issues: publish security plans on a public repository without asking')
    .option('-q, --quiet', 'print only the result')
    .option('-v, --verbose', 'print detail about each stage');
  addModelOptions(command, ['planner']).action(async (args: string[], options: AuditCommandOptions) => {
    context.setExitCode(await runAuditCommand(args, options, context.output));
  });
}
