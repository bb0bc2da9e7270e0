/**
 * The executor registry: a plain map from name to a factory. A new executor (such as the
 * model-backed `builtin` agent loop) is one more entry.
 */
import { UsageError } from '../../core/errors.ts';
import type { ExecutorAdapter } from '../types.ts';
import { AGENT_EXECUTORS } from './agent-cli.ts';
import { cmdExecutor } from './cmd.ts';
import { handoffExecutor } from './handoff.ts';

/** What the command line says about the executor; factories take what they need. */
export interface ExecutorOptions {
  /** `--cmd "COMMAND"` for the cmd executor. */
  cmd?: string;
}

export type ExecutorFactory = (options: ExecutorOptions) => ExecutorAdapter;

export const DEFAULT_EXECUTOR = 'handoff';

const FACTORIES = new Map<string, ExecutorFactory>([
  ['handoff', () => handoffExecutor],
  ['cmd', (options) => cmdExecutor(options.cmd ?? '')],
  ...AGENT_EXECUTORS.map((adapter): [string, ExecutorFactory] => [adapter.name, () => adapter]),
]);

/** Add an executor (or replace one of the same name). */
export function registerExecutor(name: string, factory: ExecutorFactory): void {
  FACTORIES.set(name, factory);
}

/** The registered executor names, in registration order. */
export function executorNames(): string[] {
  return [...FACTORIES.keys()];
}

/**
 * The adapter for `name`, checked for availability. Throws UsageError (exit 2) naming what is
 * missing: an unknown name, the model `builtin` needs, a CLI that is not installed, a missing --cmd.
 */
export async function resolveExecutor(name: string, options: ExecutorOptions = {}): Promise<ExecutorAdapter> {
  const factory = FACTORIES.get(name);
  const choices = executorNames().join(', ');
  if (!factory && name === 'builtin') {
    throw new UsageError(
      'the builtin executor runs on a model, and no executor model is configured.',
      `Configure a model for the executor role, or choose one of: ${choices}.`,
    );
  }
  if (!factory) throw new UsageError(`unknown executor "${name}"`, `Choose one of: ${choices}.`);
  if (options.cmd !== undefined && name !== 'cmd') {
    throw new UsageError('--cmd only goes with --executor cmd', 'Add --executor cmd, or drop --cmd.');
  }
  const adapter = factory(options);
  const availability = await adapter.available();
  if (!availability.ok) {
    throw new UsageError(
      `the ${name} executor is not available: ${availability.reason ?? 'unknown reason'}`,
      name === 'cmd' ? 'Example: --executor cmd --cmd "./run-agent.sh"' : undefined,
    );
  }
  return adapter;
}
