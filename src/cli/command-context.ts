import { type Command, InvalidArgumentError, Option } from 'commander';
import { CATEGORIES, type Category } from '../core/types.ts';
import type { Output } from './output.ts';

/** What every command registration gets: the output module and a way to set the exit code. */
export interface CommandContext {
  output: Output;
  setExitCode(code: number): void;
}

/** `--focus security,tests` (repeatable): validated against the categories. */
export function parseCategories(value: string, previous: Category[] = []): Category[] {
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

export function parsePositiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('expected a whole number ≥ 1');
  return Number(value);
}

/**
 * The options every planning command (`improve`, `improve branch`) shares after its own: which
 * findings become plans and where, the caches, publishing, and how much it prints.
 */
export function addPlanningOptions(command: Command): Command {
  return command
    .option('--select <numbers>', 'plan these table rows, e.g. 1,3,5 or 2-4')
    .addOption(new Option('--top <n>', 'plan the top N findings by leverage').argParser(parsePositiveInteger))
    .option('--no-plans', 'report only; write no plan files')
    .option('--plans-dir <dir>', 'where plans go, relative to the repository (default: plans/)')
    .option('--no-cache', 'read every file and run every detector afresh; neither read nor update the caches')
    .option('--issues', 'publish the written plans as GitHub issues of the origin repository')
    .option('--yes-public', 'with --issues: publish security plans on a public repository without asking')
    .option('-q, --quiet', 'print only the result')
    .option('-v, --verbose', 'print detail about each stage');
}
