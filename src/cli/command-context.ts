import { InvalidArgumentError } from 'commander';
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
