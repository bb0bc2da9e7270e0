import { type Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_TIMEOUT_SECONDS, type ExecuteOptions, executePlan } from '../../api/execute.ts';
import { DEFAULT_JOBS, executeAll } from '../../api/execute-all.ts';
import { UsageError } from '../../core/errors.ts';
import { DEFAULT_EXECUTOR, executorNames } from '../../execute/adapters/registry.ts';
import { type CommandContext, parsePositiveInteger } from '../command-context.ts';
import {
  addExecutionModelOptions,
  type ExecutionModelOptions,
  openExecutionModels,
} from '../execution-models.ts';
import { interruptSignal } from '../interrupt.ts';
import { renderExecuteAll, renderExecuteResult } from '../render-execute.ts';

interface ExecuteCommandOptions extends ExecutionModelOptions {
  executor?: string;
  cmd?: string;
  force?: boolean;
  all?: boolean;
  jobs?: number;
  timeout?: number;
  clean?: boolean;
  plansDir?: string;
  quiet?: boolean;
  verbose?: boolean;
}

function parseExecutor(value: string): string {
  if (value === 'builtin' || executorNames().includes(value)) return value;
  throw new InvalidArgumentError(
    `unknown executor "${value}"; choose one of: ${[...executorNames(), 'builtin (on a model)'].join(', ')}`,
  );
}

export function registerExecute(program: Command, context: CommandContext): void {
  const command = program
    .command('execute')
    .description('carry out a plan in a disposable worktree, review it, and record the verdict')
    .argument('[plan]', 'plan number (3 or 003) or plan file path')
    .addOption(
      new Option(
        '--executor <name>',
        `who does the work: builtin (a model), ${executorNames().join(', ')} (default: builtin with an executor model, else ${DEFAULT_EXECUTOR})`,
      ).argParser(parseExecutor),
    )
    .option('--cmd <command>', 'the shell command for --executor cmd (implies it); its stdout is the report')
    .option('--force', 'execute even when the in-scope files changed since the plan was written')
    .option('--all', 'run every runnable TODO plan in dependency order')
    .addOption(
      new Option('--jobs <n>', `with --all: plans run at once (default ${DEFAULT_JOBS})`).argParser(
        parsePositiveInteger,
      ),
    )
    .addOption(
      new Option(
        '--timeout <seconds>',
        `end an executor run after this long (default ${DEFAULT_TIMEOUT_SECONDS})`,
      ).argParser(parsePositiveInteger),
    )
    .option('--clean', 'discard an earlier attempt first, and remove this one if it is blocked')
    .option('--plans-dir <dir>', 'the plans folder, relative to the repository (default: plans/)')
    .option('-q, --quiet', 'print only the result')
    .option('-v, --verbose', 'print detail about each stage');
  addExecutionModelOptions(command, true).action(
    async (plan: string | undefined, options: ExecuteCommandOptions) => {
      const { output } = context;
      if (plan !== undefined && options.all)
        throw new UsageError(
          'give either a PLAN or --all, not both',
          'Example: improve execute 3, or improve execute --all',
        );
      if (plan === undefined && !options.all)
        throw new UsageError(
          'which plan? give a PLAN number or file, or --all',
          'Example: improve execute 3',
        );
      if (options.jobs !== undefined && !options.all) throw new UsageError('--jobs only goes with --all');
      const interrupt = interruptSignal(output);
      const models = await openExecutionModels(options, '.', output, true, interrupt.signal).catch(
        (error: unknown) => {
          interrupt.dispose();
          throw error;
        },
      );
      const executor =
        options.executor ?? (options.cmd !== undefined ? 'cmd' : models.hasExecutor ? 'builtin' : undefined);
      const shared: ExecuteOptions = {
        ...(executor ? { executor } : {}),
        ...(options.cmd !== undefined ? { cmd: options.cmd } : {}),
        ...(options.force ? { force: true } : {}),
        ...(options.clean ? { clean: true } : {}),
        ...(options.timeout ? { timeoutSeconds: options.timeout } : {}),
        ...(options.plansDir ? { plansDir: options.plansDir } : {}),
        ...(models.reviewModel ? { reviewModel: models.reviewModel } : {}),
        signal: interrupt.signal,
        onProgress: (message) => {
          output.progress(message);
          output.debug(message);
        },
      };
      const render = { color: output.color, ...(options.verbose ? { verbose: true } : {}) };
      try {
        if (options.all) {
          const result = await executeAll({ ...shared, ...(options.jobs ? { jobs: options.jobs } : {}) });
          output.endProgress();
          output.result(renderExecuteAll(result, render));
          const failed =
            result.results.some((item) => item.verdict !== 'APPROVE') || result.skipped.length > 0;
          context.setExitCode(result.interrupted ? 130 : failed ? 1 : 0);
          return;
        }
        const result = await executePlan(plan ?? '', shared);
        output.endProgress();
        if (result.drift.drifted) output.warn(`--force: executing despite drift (${result.drift.detail})`);
        if (result.uncommittedInScope.length > 0)
          output.warn(
            `your uncommitted changes to ${result.uncommittedInScope.join(', ')} are not in the attempt: it starts from a commit`,
          );
        output.result(renderExecuteResult(result, render));
        context.setExitCode(
          result.interrupted ? 130 : result.handedOff || result.verdict === 'APPROVE' ? 0 : 1,
        );
      } finally {
        interrupt.dispose();
        models.dispose();
      }
    },
  );
}
