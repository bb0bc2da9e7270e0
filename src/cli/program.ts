import { Command } from 'commander';
import { VERSION } from '../core/version.ts';
import type { CommandContext } from './command-context.ts';
import { registerAudit } from './commands/audit.ts';
import { registerBranch } from './commands/branch.ts';
import { registerExecute } from './commands/execute.ts';
import { registerNext } from './commands/next.ts';
import { registerPlan } from './commands/plan.ts';
import { registerReconcile } from './commands/reconcile.ts';
import { registerReview } from './commands/review.ts';
import { registerReviewPlan } from './commands/review-plan.ts';
import { registerStatus } from './commands/status.ts';
import type { Output } from './output.ts';

/**
 * Every command, in help order. A command is one file in src/cli/commands/ exporting a
 * `register…(program, context)` function; add it here.
 */
const COMMANDS: readonly ((program: Command, context: CommandContext) => void)[] = [
  registerAudit,
  registerBranch,
  registerNext,
  registerPlan,
  registerReviewPlan,
  registerExecute,
  registerReview,
  registerReconcile,
  registerStatus,
];

/** The commander program. Commands only parse and delegate to the library. */
export function buildProgram(output: Output, setExitCode: (code: number) => void): Command {
  const program = new Command('improve')
    .description('Audit a repository and write self-contained improvement plans (offline by default).')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('run `improve --help` for usage')
    .configureOutput({
      writeOut: (text) => output.result(text.trimEnd()),
      // Commander writes its error ("error: …") and then the help-after-error line.
      writeErr: (text) =>
        text.startsWith('error: ')
          ? output.error(text.slice('error: '.length).trimEnd())
          : output.hint(text.trimEnd()),
    })
    .exitOverride();
  const context: CommandContext = { output, setExitCode };
  for (const register of COMMANDS) register(program, context);
  return program;
}
