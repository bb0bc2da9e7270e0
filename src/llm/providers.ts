/**
 * The provider boundary: the only file that imports provider SDKs. A role's `provider:model`
 * becomes an AI SDK language model with its key (read from the environment, never logged) and its
 * endpoint (overridable, so tests can point the real clients at a local server).
 */
import type { LanguageModel } from 'ai';
import { EnvironmentError } from '../core/errors.ts';
import type { RoleModel, RoleName } from './model-roles.ts';
import { formatModelSpec, type ModelSpec } from './model-spec.ts';

export interface ProviderSettings {
  env: NodeJS.ProcessEnv;
  /** Base URL of an OpenAI-compatible endpoint (`--base-url`); also overrides the Ollama default. */
  baseUrl?: string;
}

export interface ConnectedModel {
  role: RoleName;
  spec: ModelSpec;
  /** Where the role was set, for messages. */
  source: string;
  model: LanguageModel;
  /** The base URL requests go to. */
  endpoint: string;
  /** The environment variable holding the key, when the provider needs one. */
  keyVariable?: string;
}

export const OLLAMA_DEFAULT_URL = 'http://localhost:11434/v1';

interface Endpoint {
  url: string | undefined;
  keyVariable?: string;
  keyRequired: boolean;
  /** What to set when the URL is missing. */
  urlHint?: string;
}

function endpointFor(spec: ModelSpec, settings: ProviderSettings): Endpoint {
  const { env } = settings;
  switch (spec.provider) {
    case 'anthropic':
      return {
        url: env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com/v1',
        keyVariable: 'ANTHROPIC_API_KEY',
        keyRequired: true,
      };
    case 'openai':
      return {
        url: env.OPENAI_BASE_URL || 'https://api.openai.com/v1',
        keyVariable: 'OPENAI_API_KEY',
        keyRequired: true,
      };
    case 'ollama':
      return { url: settings.baseUrl || env.OLLAMA_BASE_URL || OLLAMA_DEFAULT_URL, keyRequired: false };
    case 'openai-compatible':
      return {
        url: settings.baseUrl || env.IMPROVE_BASE_URL || undefined,
        keyVariable: 'OPENAI_COMPATIBLE_API_KEY',
        keyRequired: false,
        urlHint:
          'pass --base-url URL (e.g. http://localhost:8000/v1), set IMPROVE_BASE_URL, or models.base_url in .improve.yml',
      };
  }
}

/** Why the role cannot be used as configured (no key, no URL); undefined when it can. */
export function connectionProblem(
  role: RoleName,
  roleModel: RoleModel,
  settings: ProviderSettings,
): { message: string; hint: string } | undefined {
  const endpoint = endpointFor(roleModel.spec, settings);
  const name = `${role} ${formatModelSpec(roleModel.spec)} (from ${roleModel.source})`;
  if (!endpoint.url) {
    return { message: `${name} needs the URL of the endpoint`, hint: `To use it, ${endpoint.urlHint}.` };
  }
  if (endpoint.keyRequired && endpoint.keyVariable && !settings.env[endpoint.keyVariable]) {
    return {
      message: `${name} needs an API key: ${endpoint.keyVariable} is not set`,
      hint: `Set ${endpoint.keyVariable} in the environment, or drop ${roleModel.source} to use the offline advisor.`,
    };
  }
  return undefined;
}

/**
 * An AI SDK model for one role. Throws EnvironmentError (exit 3) when a key or URL is missing. The
 * provider packages load here, on first use, so that runs without a model never load them.
 */
export async function connectModel(
  role: RoleName,
  roleModel: RoleModel,
  settings: ProviderSettings,
): Promise<ConnectedModel> {
  const problem = connectionProblem(role, roleModel, settings);
  if (problem) throw new EnvironmentError(problem.message, problem.hint);
  const { spec } = roleModel;
  const endpoint = endpointFor(spec, settings);
  const url = endpoint.url ?? '';
  const apiKey = endpoint.keyVariable ? settings.env[endpoint.keyVariable] : undefined;
  let model: LanguageModel;
  if (spec.provider === 'anthropic') {
    const { createAnthropic } = await import('@ai-sdk/anthropic');
    model = createAnthropic({ apiKey, baseURL: url })(spec.model);
  } else if (spec.provider === 'openai') {
    const { createOpenAI } = await import('@ai-sdk/openai');
    model = createOpenAI({ apiKey, baseURL: url })(spec.model);
  } else {
    const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
    model = createOpenAICompatible({
      name: spec.provider,
      baseURL: url,
      ...(apiKey ? { apiKey } : {}),
      includeUsage: true,
    }).chatModel(spec.model);
  }
  const connected: ConnectedModel = { role, spec, source: roleModel.source, model, endpoint: url };
  if (endpoint.keyVariable) connected.keyVariable = endpoint.keyVariable;
  return connected;
}
