import { UsageError } from '../core/errors.ts';

/** How to configure a model, in one message, for commands that need one. */
export const CONFIGURE_MODEL_HINT = [
  'Configure a planner model, for example:',
  '  ANTHROPIC_API_KEY=… improve COMMAND --planner anthropic:claude-sonnet-4-5',
  '  OPENAI_API_KEY=… improve COMMAND --planner openai:gpt-5',
  '  improve COMMAND --planner ollama:qwen2.5-coder:14b          (a local Ollama)',
  '  improve COMMAND --planner openai-compatible:MODEL --base-url http://localhost:8000/v1',
  'or set IMPROVE_PLANNER=provider:model, or add `models: { planner: provider:model }` to .improve.yml.',
].join('\n');

export function configureHint(command: string): string {
  return CONFIGURE_MODEL_HINT.replaceAll('COMMAND', command);
}

/**
 * The error for a command that cannot work without a planner (exit 2). `usage` is the command as
 * the hint's examples write it, with its required arguments (`plan "DESCRIPTION"`).
 */
export function noPlannerError(command: string, usage = command): UsageError {
  return new UsageError(
    `improve ${command} needs a planner model, and none is configured.`,
    configureHint(usage),
  );
}
