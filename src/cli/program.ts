import { Command, InvalidArgumentError, Option } from 'commander';
import { CATEGORIES, type Category } from '../core/types.ts';
import { VERSION } from '../core/version.ts';
import { type AuditCommandOptions, runAuditCommand } from './audit-command.ts';
import type { Output } from './output.ts';

function category(value: string, previous: Category[] = []): Category[] {
  const parts = value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const part of parts) {
    if (!(CATEGORIES as readonly string[]).includes(part)) {
      throw new InvalidArgumentError(
        `unknown category "${part}"; valid categories: ${CATEGORIES.join(', ')}`,
      );
    }
  }
  return [...previous, ...(parts as Category[])];
}

function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('expected a whole number ≥ 1');
  return Number(value);
}

/** The commander program. Commands only parse and delegate; each lives in its own file. */
export function buildProgram(output: Output, setExitCode: (code: number) => void): Command {
  const program = new Command('improve')
    .description('Audit a repository and write self-contained improvement plans (offline by default).')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run `improve --help` for usage)')
    .configureOutput({
      writeOut: (text) => output.result(text.trimEnd()),
      writeErr: (text) => output.error(text.replace(/^error: /, '').trimEnd()),
    })
    .exitOverride();

  program
    .command('audit', { isDefault: true })
    .description('full audit → findings table → plans (default command)')
    .argument('[path-and-level...]', 'PATH (default: current directory), then quick|standard|deep')
    .addOption(
      new Option(
        '--focus <categories>',
        `only these categories, comma-separated or repeated (${CATEGORIES.join(', ')})`,
      ).argParser(category),
    )
    .option('--json <file>', 'write findings and the run summary as JSON (- for stdout)')
    .option('--sarif <file>', 'write SARIF 2.1.0 (- for stdout)')
    .option('--select <numbers>', 'plan these table rows, e.g. 1,3,5 or 2-4')
    .addOption(new Option('--top <n>', 'plan the top N findings by leverage').argParser(positiveInteger))
    .option('--no-plans', 'report only; write no plan files')
    .option('--plans-dir <dir>', 'where plans go, relative to the repository (default: plans/)')
    .option('-q, --quiet', 'print only the result')
    .option('-v, --verbose', 'print detail about each stage')
    .action(async (args: string[], options: AuditCommandOptions) => {
      setExitCode(await runAuditCommand(args, options, output));
    });

  return program;
}
