/**
 * What a model costs, in US dollars per million tokens. The built-in table covers the common
 * Anthropic and OpenAI models (list prices as published in late 2025); `.improve.yml` `prices:`
 * overrides or extends it. A model with no price is counted in tokens only.
 */
import type { ModelSpec } from './model-spec.ts';

export interface ModelPrice {
  input: number;
  output: number;
  /** Reading a cached prompt prefix. */
  cacheRead: number;
  /** Writing a prompt prefix to the cache (Anthropic charges extra; OpenAI does not). */
  cacheWrite: number;
}

export interface TokenCounts {
  /** Input tokens that were neither read from nor written to a cache. */
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

const anthropic = (input: number, output: number): ModelPrice => ({
  input,
  output,
  cacheRead: input / 10,
  cacheWrite: input * 1.25,
});
const openai = (input: number, output: number, cacheRead: number): ModelPrice => ({
  input,
  output,
  cacheRead,
  cacheWrite: input,
});

/** Model name prefixes (longest match wins, so dated ids like `claude-sonnet-4-5-20250929` match). */
const BUILT_IN: Record<string, ModelPrice> = {
  'anthropic:claude-opus-4-5': anthropic(5, 25),
  'anthropic:claude-opus-4-1': anthropic(15, 75),
  'anthropic:claude-opus-4': anthropic(15, 75),
  'anthropic:claude-sonnet-4': anthropic(3, 15),
  'anthropic:claude-3-7-sonnet': anthropic(3, 15),
  'anthropic:claude-3-5-sonnet': anthropic(3, 15),
  'anthropic:claude-haiku-4-5': anthropic(1, 5),
  'anthropic:claude-3-5-haiku': anthropic(0.8, 4),
  'anthropic:claude-3-haiku': anthropic(0.25, 1.25),
  'openai:gpt-5-nano': openai(0.05, 0.4, 0.005),
  'openai:gpt-5-mini': openai(0.25, 2, 0.025),
  'openai:gpt-5': openai(1.25, 10, 0.125),
  'openai:gpt-4.1-nano': openai(0.1, 0.4, 0.025),
  'openai:gpt-4.1-mini': openai(0.4, 1.6, 0.1),
  'openai:gpt-4.1': openai(2, 8, 0.5),
  'openai:gpt-4o-mini': openai(0.15, 0.6, 0.075),
  'openai:gpt-4o': openai(2.5, 10, 1.25),
  'openai:o4-mini': openai(1.1, 4.4, 0.275),
  'openai:o3-mini': openai(1.1, 4.4, 0.55),
  'openai:o3': openai(2, 8, 0.5),
};

const FREE: ModelPrice = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

/** `provider:model` → price; keys may be prefixes like `openai-compatible:qwen`. */
export type PriceTable = ReadonlyMap<string, ModelPrice>;

function longestPrefix(table: Iterable<[string, ModelPrice]>, key: string): ModelPrice | undefined {
  let best: [string, ModelPrice] | undefined;
  for (const entry of table) {
    if (key.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}

/**
 * The price of a model: a config override first, then the built-in table; local Ollama models are
 * free; anything else is unknown (undefined).
 */
export function priceFor(spec: ModelSpec, overrides: PriceTable = new Map()): ModelPrice | undefined {
  const key = `${spec.provider}:${spec.model}`;
  const override = longestPrefix(overrides, key);
  if (override) return override;
  if (spec.provider === 'ollama') return FREE;
  return longestPrefix(Object.entries(BUILT_IN), key);
}

/** Dollars for the given tokens at a price. */
export function costOf(tokens: TokenCounts, price: ModelPrice): number {
  return (
    (tokens.input * price.input +
      tokens.output * price.output +
      tokens.cacheRead * price.cacheRead +
      tokens.cacheWrite * price.cacheWrite) /
    1_000_000
  );
}
