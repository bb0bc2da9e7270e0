import { UsageError } from '../core/errors.ts';

export const PROVIDERS = ['anthropic', 'openai', 'openai-compatible', 'ollama'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** One model: which provider serves it and its name there, e.g. `anthropic:claude-sonnet-4-5`. */
export interface ModelSpec {
  provider: ProviderName;
  model: string;
}

export const SPEC_EXAMPLE = 'anthropic:claude-sonnet-4-5, openai:gpt-5-mini or ollama:qwen2.5-coder';

function isProvider(text: string): text is ProviderName {
  return (PROVIDERS as readonly string[]).includes(text);
}

/**
 * Parse `provider:model`. The model part may itself contain colons (`ollama:qwen2.5-coder:7b`).
 * `where` names the flag, variable or file the text came from, for the message.
 */
export function parseModelSpec(text: string, where: string): ModelSpec {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const provider = colon > 0 ? trimmed.slice(0, colon) : '';
  const model = colon > 0 ? trimmed.slice(colon + 1).trim() : '';
  if (!isProvider(provider) || model === '' || /\s/.test(model)) {
    throw new UsageError(
      `${where}: "${text}" is not provider:model`,
      `Use one of the providers ${PROVIDERS.join(', ')} followed by the model name, e.g. ${SPEC_EXAMPLE}.`,
    );
  }
  return { provider, model };
}

export function formatModelSpec(spec: ModelSpec): string {
  return `${spec.provider}:${spec.model}`;
}
