/**
 * What a failed model call means for the run. Authentication, unknown models and unreachable
 * endpoints are fatal (EnvironmentError, exit 3) and say which role, which provider and what to
 * set; rate limits and server errors are retried; anything else fails the one item.
 */
import { EnvironmentError } from '../core/errors.ts';
import { redactText } from '../core/redact.ts';
import { formatModelSpec } from './model-spec.ts';
import type { ConnectedModel } from './providers.ts';

export type CallFailure =
  | { kind: 'fatal'; error: EnvironmentError }
  | { kind: 'retryable'; message: string; delayMs?: number }
  | { kind: 'aborted' }
  | { kind: 'failed'; message: string };

/** The parts of the SDK's APICallError read here (matched by name: the SDK loads lazily). */
interface ApiCallError extends Error {
  statusCode?: number;
  isRetryable: boolean;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
}

function isApiCallError(error: unknown): error is ApiCallError {
  return error instanceof Error && error.name === 'AI_APICallError' && 'isRetryable' in error;
}

function apiError(error: unknown, depth = 0): ApiCallError | undefined {
  if (depth > 5) return undefined;
  if (isApiCallError(error)) return error;
  if (error instanceof Error && error.name === 'AI_RetryError' && 'lastError' in error)
    return apiError(error.lastError, depth + 1);
  if (error instanceof Error && error.cause !== undefined) return apiError(error.cause, depth + 1);
  return undefined;
}

/** `retry-after-ms` or `retry-after` (seconds or an HTTP date), in milliseconds. */
export function retryAfterMs(
  headers: Record<string, string> | undefined,
  now = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function providerMessage(error: ApiCallError): string {
  const body = error.responseBody ?? '';
  let text = error.message;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
      const inner = (parsed as { error: unknown }).error;
      if (
        typeof inner === 'object' &&
        inner !== null &&
        'message' in inner &&
        typeof inner.message === 'string'
      )
        text = inner.message;
    }
  } catch {
    // not JSON: keep the SDK's message
  }
  return redactText(text).replace(/\s+/g, ' ').slice(0, 300);
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'TimeoutError' || /timeout .* exceeded/i.test(error.message))
  );
}

export function classifyFailure(
  error: unknown,
  connected: ConnectedModel,
  signal?: AbortSignal,
): CallFailure {
  if (signal?.aborted) return { kind: 'aborted' };
  const who = `${connected.role} ${formatModelSpec(connected.spec)} (from ${connected.source})`;
  const api = apiError(error);
  if (isTimeout(error)) return { kind: 'retryable', message: 'the call timed out' };
  if (!api)
    return { kind: 'failed', message: redactText(error instanceof Error ? error.message : String(error)) };
  const status = api.statusCode;
  if (status === undefined) {
    const hint =
      connected.spec.provider === 'ollama'
        ? 'Is Ollama running? Start it with `ollama serve` (and `ollama pull MODEL`), or pass --base-url URL.'
        : connected.spec.provider === 'openai-compatible'
          ? 'Check that the server is running and that --base-url (or IMPROVE_BASE_URL) is right.'
          : `Check your network connection${connected.keyVariable === 'ANTHROPIC_API_KEY' ? ' and ANTHROPIC_BASE_URL' : connected.keyVariable === 'OPENAI_API_KEY' ? ' and OPENAI_BASE_URL' : ''}.`;
    return {
      kind: 'fatal',
      error: new EnvironmentError(
        `${who}: cannot reach ${connected.endpoint} (${providerMessage(api)})`,
        hint,
      ),
    };
  }
  if (status === 401 || status === 403) {
    const what = connected.keyVariable ?? 'the API key';
    return {
      kind: 'fatal',
      error: new EnvironmentError(
        `${who}: the provider refused the credentials (HTTP ${status}: ${providerMessage(api)})`,
        `Set ${what} to a valid key for ${connected.spec.provider}${connected.keyVariable ? '' : ' (OPENAI_COMPATIBLE_API_KEY for an OpenAI-compatible endpoint)'}.`,
      ),
    };
  }
  if (status === 404) {
    return {
      kind: 'fatal',
      error: new EnvironmentError(
        `${who}: ${connected.spec.provider} does not know the model "${connected.spec.model}" at ${connected.endpoint} (HTTP 404: ${providerMessage(api)})`,
        `Check the model name in ${connected.source}${connected.spec.provider === 'ollama' ? ' (`ollama list` shows the models you have)' : ''}.`,
      ),
    };
  }
  if (api.isRetryable || status === 429 || status === 529 || status >= 500) {
    const delay = retryAfterMs(api.responseHeaders);
    return {
      kind: 'retryable',
      message: `HTTP ${status}: ${providerMessage(api)}`,
      ...(delay === undefined ? {} : { delayMs: delay }),
    };
  }
  return { kind: 'failed', message: `HTTP ${status}: ${providerMessage(api)}` };
}
