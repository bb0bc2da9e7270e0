import { CommanderError } from 'commander';
import { ImproveError } from '../core/errors.ts';
import { createOutput } from './output.ts';
import { buildProgram } from './program.ts';

/** Parse, run, render, and return the exit code. Never calls process.exit(). */
export async function main(argv: string[]): Promise<number> {
  const quiet = argv.includes('--quiet') || argv.includes('-q');
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const output = createOutput({ quiet, verbose });
  let exitCode = 0;
  const program = buildProgram(output, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    output.endProgress();
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof ImproveError) {
      output.error(error.message);
      if (error.hint) output.hint(error.hint);
      return error.exitCode;
    }
    if (error instanceof Error && error.name === 'ExitPromptError') {
      output.error('cancelled; nothing was written');
      return 130;
    }
    output.error(
      `unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    output.error('This is a bug in improve; please report it with the command you ran.');
    return 70;
  }
}
