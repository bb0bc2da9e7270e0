import { COMMAND_KINDS, type CommandKind } from '../core/types.ts';

/** Script names that define each kind of command, most preferred first. */
export const SCRIPT_NAMES: Record<Exclude<CommandKind, 'install'>, readonly string[]> = {
  test: ['test'],
  build: ['build', 'compile'],
  lint: ['lint'],
  typecheck: ['typecheck', 'type-check', 'check-types', 'tsc', 'types'],
  format: ['format', 'fmt', 'prettier', 'format:check', 'lint:format'],
};

/** Makefile target names for each kind, most preferred first. */
export const TARGET_NAMES: Record<CommandKind, readonly string[]> = {
  install: ['install-deps', 'deps', 'bootstrap', 'setup'],
  test: ['test', 'tests'],
  build: ['build', 'compile'],
  lint: ['lint'],
  typecheck: ['typecheck', 'type-check', 'check-types', 'mypy', 'types'],
  format: ['format', 'fmt', 'format-check', 'fmt-check'],
};

export const NPM_PLACEHOLDER_TEST = /^echo "Error: no test specified" && exit 1$/;

/** The kind a script or target name stands for, or undefined. */
export function kindOfScriptName(name: string): CommandKind | undefined {
  for (const kind of COMMAND_KINDS) {
    if (TARGET_NAMES[kind].includes(name)) return kind;
    if (kind !== 'install' && SCRIPT_NAMES[kind].includes(name)) return kind;
  }
  if (/^test[:-]/.test(name)) return 'test';
  return undefined;
}
