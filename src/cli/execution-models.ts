import { type Command, Option } from 'commander';
import type { ReviewModel } from '../execute/types.ts';
import { type ModelCommandOptions, openModels, parseUsd } from './model-options.ts';
import type { Output } from './output.ts';

/** Model flags of `execute` and `review`: `--model` is the executor model (`--executor` names the adapter). */
export interface ExecutionModelOptions {
  model?: string;
  reviewer?: string;
  baseUrl?: string;
  maxCost?: number;
}

export function addExecutionModelOptions(command: Command, withExecutor: boolean): Command {
  if (withExecutor)
    command.option(
      '--model <provider:model>',
      'executor model for --executor builtin (env IMPROVE_EXECUTOR); with one configured, builtin is the default executor',
    );
  return command
    .option(
      '--reviewer <provider:model>',
      'model that also reads the diff (default: the planner; env IMPROVE_REVIEWER)',
    )
    .option('--base-url <url>', 'endpoint for openai-compatible models')
    .addOption(
      new Option('--max-cost <usd>', 'hard budget for model calls in US dollars').argParser(parseUsd),
    );
}

export interface ExecutionModels {
  /** An executor model is configured: `builtin` is registered and is the default executor. */
  hasExecutor: boolean;
  reviewModel?: ReviewModel;
  dispose(): void;
}

/**
 * Open the executor and reviewer models when any is configured (flags, environment, .improve.yml).
 * Without one nothing is loaded and execution works exactly as offline.
 */
export async function openExecutionModels(
  options: ExecutionModelOptions,
  target: string,
  output: Output,
  withExecutor: boolean,
  signal?: AbortSignal,
): Promise<ExecutionModels> {
  const flags: ModelCommandOptions = {
    ...(options.model ? { executor: options.model } : {}),
    ...(options.reviewer ? { reviewer: options.reviewer } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.maxCost !== undefined ? { maxCost: options.maxCost } : {}),
  };
  const opened = openModels(flags, target, {
    command: withExecutor ? 'execute' : 'review',
    uses: withExecutor ? ['executor', 'reviewer'] : ['reviewer'],
    output,
    ...(signal ? { signal } : {}),
  });
  const session = opened.session;
  if (!session) return { hasExecutor: false, dispose: opened.dispose };
  let hasExecutor = false;
  if (withExecutor && session.has('executor')) {
    const { registerBuiltinExecutor } = await import('../agents/builtin-executor.ts');
    registerBuiltinExecutor(session);
    hasExecutor = true;
  }
  const result: ExecutionModels = { hasExecutor, dispose: opened.dispose };
  if (session.has('reviewer')) {
    const { modelReviewer } = await import('../agents/reviewer-agent.ts');
    result.reviewModel = modelReviewer(session);
  }
  return result;
}
