import { existsSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { errorMessage, UsageError } from '../core/errors.ts';
import { yaml } from '../core/yaml.ts';
import { parseModelSpec } from '../llm/model-spec.ts';
import type { ModelPrice } from '../llm/prices.ts';

/** The repository's own `improve` configuration (`.improve.yml`), all optional. */
export interface ImproveConfig {
  /** File the config came from, repo-relative; undefined when there is none. */
  source?: string;
  /** Findings the team has accepted as they are: id → reason. */
  accepted: Map<string, string>;
  /** Extra paths (gitignore syntax) not to audit. */
  ignore: string[];
  /** Model roles (`models:`), each `provider:model`, and the base URL of an OpenAI-compatible endpoint. */
  models?: ConfiguredModels;
  /** Price overrides (`prices:`), `provider:model` (or a prefix of it) → USD per million tokens. */
  prices?: Map<string, ModelPrice>;
}

export interface ConfiguredModels {
  planner?: string;
  executor?: string;
  reviewer?: string;
  baseUrl?: string;
}

export const CONFIG_FILES = ['.improve.yml', '.improve.yaml', 'improve.config.yml', 'improve.config.yaml'];

const EXAMPLE = `accept:\n  - id: F-1a2b3c4d\n    reason: "the admin tool runs offline; eval input is ours"\nignore:\n  - legacy/**`;

function fail(file: string, what: string): never {
  throw new UsageError(`${file}: ${what}`, `Expected a file shaped like:\n${EXAMPLE}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseConfig(text: string, file: string): ImproveConfig {
  const document = yaml().parseDocument(text);
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    const line = first.linePos?.[0]?.line;
    fail(file, `invalid YAML${line ? ` at line ${line}` : ''}: ${first.message.split('\n')[0]}`);
  }
  const data: unknown = document.toJS() ?? {};
  if (!isRecord(data)) fail(file, 'the top level must be a mapping');
  const known = new Set(['accept', 'ignore', 'models', 'prices']);
  for (const key of Object.keys(data)) {
    if (!known.has(key)) fail(file, `unknown key "${key}" (known keys: ${[...known].join(', ')})`);
  }
  const accepted = new Map<string, string>();
  const accept = data.accept ?? [];
  if (!Array.isArray(accept)) fail(file, '"accept" must be a list');
  accept.forEach((entry: unknown, index: number) => {
    if (!isRecord(entry) || typeof entry.id !== 'string' || !/^F-[0-9a-f]{8}$/.test(entry.id)) {
      fail(file, `accept[${index}] needs an "id" like F-1a2b3c4d (the finding id from the report or JSON)`);
    }
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '') {
      fail(file, `accept[${index}] (${entry.id}) needs a "reason": say why the finding is accepted`);
    }
    accepted.set(entry.id, entry.reason.trim());
  });
  const ignore = data.ignore ?? [];
  if (!Array.isArray(ignore) || !ignore.every((p): p is string => typeof p === 'string')) {
    fail(file, '"ignore" must be a list of path patterns');
  }
  const config: ImproveConfig = { source: file, accepted, ignore };
  if (data.models !== undefined) config.models = parseModels(data.models, file);
  if (data.prices !== undefined) config.prices = parsePrices(data.prices, file);
  return config;
}

const MODEL_KEYS = ['planner', 'executor', 'reviewer', 'base_url'] as const;

function parseModels(value: unknown, file: string): ConfiguredModels {
  if (!isRecord(value))
    fail(file, '"models" must be a mapping, e.g. models: { planner: anthropic:claude-sonnet-4-5 }');
  const models: ConfiguredModels = {};
  for (const [key, entry] of Object.entries(value)) {
    if (!(MODEL_KEYS as readonly string[]).includes(key))
      fail(file, `unknown key "models.${key}" (known keys: ${MODEL_KEYS.join(', ')})`);
    if (typeof entry !== 'string' || entry.trim() === '') fail(file, `"models.${key}" must be a string`);
    if (key === 'base_url') {
      if (!/^https?:\/\/\S+$/.test(entry))
        fail(file, `"models.base_url" must be an http(s) URL, got "${entry}"`);
      models.baseUrl = entry;
    } else {
      parseModelSpec(entry, `${file}: models.${key}`);
      models[key as 'planner' | 'executor' | 'reviewer'] = entry.trim();
    }
  }
  return models;
}

function priceNumber(
  entry: Record<string, unknown>,
  key: string,
  where: string,
  file: string,
): number | undefined {
  const value = entry[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    fail(file, `${where}.${key} must be a number ≥ 0 (US dollars per million tokens)`);
  return value;
}

function parsePrices(value: unknown, file: string): Map<string, ModelPrice> {
  if (!isRecord(value))
    fail(file, '"prices" must be a mapping like prices: { "openai:gpt-5-mini": { input: 0.25, output: 2 } }');
  const prices = new Map<string, ModelPrice>();
  for (const [model, entry] of Object.entries(value)) {
    const where = `prices."${model}"`;
    if (!/^[a-z-]+:\S+$/.test(model)) fail(file, `${where}: the key must be provider:model`);
    if (!isRecord(entry)) fail(file, `${where} must be a mapping with input and output prices`);
    for (const key of Object.keys(entry)) {
      if (!['input', 'output', 'cache_read', 'cache_write'].includes(key))
        fail(file, `unknown key "${where}.${key}" (known keys: input, output, cache_read, cache_write)`);
    }
    const input = priceNumber(entry, 'input', where, file);
    const output = priceNumber(entry, 'output', where, file);
    if (input === undefined || output === undefined) fail(file, `${where} needs both "input" and "output"`);
    prices.set(model, {
      input,
      output,
      cacheRead: priceNumber(entry, 'cache_read', where, file) ?? input,
      cacheWrite: priceNumber(entry, 'cache_write', where, file) ?? input,
    });
  }
  return prices;
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Reads the first config file found at the repo root; an empty config when there is none. */
export function loadConfig(root: string): ImproveConfig {
  for (const name of CONFIG_FILES) {
    const file = path.join(root, name);
    // A name that is there but cannot be read (no permission, a folder, a dangling link) is a
    // config the user meant: silently skipping it would bring back what it accepts or ignores.
    if (!existsSync(file) && !isLink(file)) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `${name} cannot be read: ${errorMessage(error)}`,
        `Make ${name} a readable file (or remove it): improve reads its accepted findings and ignore list from it.`,
      );
    }
    return parseConfig(text, name);
  }
  return { accepted: new Map(), ignore: [] };
}
