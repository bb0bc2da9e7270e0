/**
 * The model flags shared by audit, plan and next (`--planner/--executor/--reviewer provider:model`,
 * `--base-url`, `--max-cost`, `--dry-run`), and opening the run's model session from flags,
 * environment and `.improve.yml`, with Ctrl-C wired to stop model calls cleanly.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../config/config.ts';
import { ledgerPathFor } from '../llm/ledger-path.ts';
import { ROLES, type RoleName, resolveModelRoles } from '../llm/model-roles.ts';
import { createModelSession, type ModelSession } from '../llm/model-session.ts';
import { parseModelSpec, SPEC_EXAMPLE } from '../llm/model-spec.ts';
import type { Output } from './output.ts';

export interface ModelCommandOptions {
  planner?: string;
  executor?: string;
  reviewer?: string;
  baseUrl?: string;
  maxCost?: number;
  dryRun?: boolean;
}

function specArgument(role: RoleName) {
  return (value: string): string => {
    try {
      parseModelSpec(value, `--${role}`);
    } catch {
      throw new InvalidArgumentError(`"${value}" is not provider:model, e.g. ${SPEC_EXAMPLE}`);
    }
    return value;
  };
}

export function parseUsd(value: string): number {
  if (!/^\d+(?:\.\d+)?$/.test(value) || Number(value) <= 0)
    throw new InvalidArgumentError('expected an amount in US dollars greater than 0, e.g. 0.50');
  return Number(value);
}

function parseUrl(value: string): string {
  if (!/^https?:\/\/\S+$/.test(value))
    throw new InvalidArgumentError('expected an http(s) URL, e.g. http://localhost:8000/v1');
  return value;
}

const ROLE_HELP: Record<RoleName, string> = {
  planner:
    'model for auditing, vetting and plan writing, e.g. anthropic:claude-sonnet-4-5 (env IMPROVE_PLANNER)',
  executor: 'model for carrying out plans, e.g. openai:gpt-5-mini (env IMPROVE_EXECUTOR)',
  reviewer: 'model for reviewing work (default: the planner; env IMPROVE_REVIEWER)',
};

/** Add the model flags for `roles` to a command. */
export function addModelOptions(command: Command, roles: readonly RoleName[] = ROLES): Command {
  for (const role of roles)
    command.addOption(
      new Option(`--${role} <provider:model>`, ROLE_HELP[role]).argParser(specArgument(role)),
    );
  return command
    .addOption(
      new Option(
        '--base-url <url>',
        'endpoint for openai-compatible models (Ollama, vLLM, LM Studio, OpenRouter)',
      ).argParser(parseUrl),
    )
    .addOption(
      new Option('--max-cost <usd>', 'hard budget for model calls in US dollars').argParser(parseUsd),
    )
    .option('--dry-run', 'estimate tokens and cost; call no model and write no file');
}

export interface OpenedModels {
  /** Undefined when no role is configured: the command runs offline, exactly as without a model. */
  session?: ModelSession;
  /** Set once Ctrl-C asked the run to stop. */
  interrupted(): boolean;
  dispose(): void;
}

/** The repository root a path names (the path itself; config lives there). */
function rootOf(target: string): string | undefined {
  const resolved = path.resolve(target);
  return existsSync(resolved) && statSync(resolved).isDirectory() ? resolved : undefined;
}

export function openModels(
  options: ModelCommandOptions,
  target: string,
  context: {
    command: string;
    uses: readonly RoleName[];
    output: Output;
    env?: NodeJS.ProcessEnv;
    /**
     * The command's own Ctrl-C signal (`interruptSignal`): the session stops with it, and no
     * second handler (with a second warning) is installed.
     */
    signal?: AbortSignal;
  },
): OpenedModels {
  const env = context.env ?? process.env;
  const root = rootOf(target);
  const config = root ? loadConfig(root) : undefined;
  const roles = resolveModelRoles({
    flags: {
      ...(options.planner ? { planner: options.planner } : {}),
      ...(options.executor ? { executor: options.executor } : {}),
      ...(options.reviewer ? { reviewer: options.reviewer } : {}),
    },
    env,
    ...(config?.models ? { config: config.models } : {}),
    ...(config?.source ? { configFile: config.source } : {}),
  });
  const none: OpenedModels = { interrupted: () => false, dispose: () => undefined };
  if (!context.uses.some((role) => roles[role])) {
    if (options.maxCost !== undefined)
      context.output.info('--max-cost has no effect: no model is configured.');
    return none;
  }
  const controller = new AbortController();
  const baseUrl = options.baseUrl ?? config?.models?.baseUrl;
  const session = createModelSession({
    roles,
    env,
    ...(baseUrl ? { baseUrl } : {}),
    ...(config?.prices ? { prices: config.prices } : {}),
    ...(options.maxCost !== undefined ? { maxCost: options.maxCost } : {}),
    ledgerFile: ledgerPathFor(root ?? path.resolve(target), env),
    command: context.command,
    signal: controller.signal,
    dryRun: options.dryRun ?? false,
    uses: context.uses,
  });
  for (const note of session.notes) context.output.info(note);
  if (!context.uses.some((role) => session.has(role))) return none;
  const onSigint = () => {
    context.output.warn(
      'interrupted: no new model call will start; keeping what was vetted (Ctrl-C again to quit now)',
    );
    controller.abort();
    process.off('SIGINT', onSigint);
  };
  const external = context.signal;
  if (external) {
    if (external.aborted) controller.abort();
    else external.addEventListener('abort', () => controller.abort(), { once: true });
  } else if (!session.dryRun) process.on('SIGINT', onSigint);
  return {
    session,
    interrupted: () => controller.signal.aborted,
    dispose: () => process.off('SIGINT', onSigint),
  };
}
