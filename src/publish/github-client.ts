/**
 * The GitHub REST client (@octokit/rest) with what publishing needs around it: a request timeout,
 * waiting out short rate limits (`retry-after`, `x-ratelimit-reset`), and failures turned into
 * values that say what went wrong in words.
 */
import { Octokit } from '@octokit/rest';
import { VERSION } from '../core/version.ts';

export interface GitHubFailure {
  kind: 'network' | 'auth' | 'forbidden' | 'not-found' | 'rate-limit' | 'invalid' | 'server';
  status?: number;
  message: string;
  /** Every later request would fail the same way (network down, bad token, rate limit). */
  fatal: boolean;
}

export type GitHubCall<T> = { ok: true; value: T } | { ok: false; failure: GitHubFailure };

export interface GitHubClientOptions {
  baseUrl: string;
  token: string;
  /** Longest rate-limit wait to sit out before giving up (default 60 s). */
  maxWaitMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface GitHubClient {
  readonly octokit: Octokit;
  call<T>(request: (octokit: Octokit) => Promise<T>): Promise<GitHubCall<T>>;
}

interface HttpError {
  status: number;
  message: string;
  headers: Record<string, unknown>;
  hasResponse: boolean;
}

function httpError(error: unknown): HttpError | undefined {
  if (!(error instanceof Error) || !('status' in error) || typeof error.status !== 'number') return undefined;
  const response = 'response' in error ? error.response : undefined;
  const headers =
    typeof response === 'object' && response !== null && 'headers' in response ? response.headers : undefined;
  const data =
    typeof response === 'object' && response !== null && 'data' in response ? response.data : undefined;
  const apiMessage =
    typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string'
      ? data.message
      : undefined;
  return {
    status: error.status,
    message: apiMessage ?? error.message,
    headers: typeof headers === 'object' && headers !== null ? { ...headers } : {},
    hasResponse: response !== undefined,
  };
}

/** How long GitHub asks us to wait, when the error is a rate limit. */
export function rateLimitWait(error: HttpError, now: number): number | undefined {
  const retryAfter = Number(error.headers['retry-after']);
  const remaining = String(error.headers['x-ratelimit-remaining'] ?? '');
  const limited = error.status === 429 || (error.status === 403 && (retryAfter >= 0 || remaining === '0'));
  if (!limited || !error.hasResponse) return undefined;
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  const reset = Number(error.headers['x-ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now) + 1000;
  return 60_000;
}

function describe(error: unknown, baseUrl: string, wait: number | undefined): GitHubFailure {
  const http = httpError(error);
  if (!http?.hasResponse) {
    const cause = error instanceof Error ? error.message : String(error);
    return { kind: 'network', message: `could not reach ${baseUrl}: ${cause}`, fatal: true };
  }
  const { status, message } = http;
  if (wait !== undefined) {
    const seconds = Math.ceil(wait / 1000);
    return {
      kind: 'rate-limit',
      status,
      message: `rate limited by GitHub (${status}: ${message}); try again in ${seconds} s`,
      fatal: true,
    };
  }
  if (status === 401)
    return { kind: 'auth', status, message: `the token was refused (401: ${message})`, fatal: true };
  if (status === 403)
    return { kind: 'forbidden', status, message: `not allowed (403: ${message})`, fatal: false };
  if (status === 404 || status === 410)
    return { kind: 'not-found', status, message: `not found (${status}: ${message})`, fatal: false };
  if (status === 422)
    return { kind: 'invalid', status, message: `rejected as invalid (422: ${message})`, fatal: false };
  return { kind: 'server', status, message: `GitHub answered ${status}: ${message}`, fatal: status >= 500 };
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const SILENT = { debug() {}, info() {}, warn() {}, error() {} };
const ATTEMPTS = 3;

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const maxWaitMs = options.maxWaitMs ?? 60_000;
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: `improve/${VERSION}`,
    log: SILENT,
    request: {
      fetch: (url: string | URL, init?: RequestInit) =>
        fetch(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) }),
    },
  });
  return {
    octokit,
    async call(request) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return { ok: true, value: await request(octokit) };
        } catch (error) {
          const http = httpError(error);
          const wait = http ? rateLimitWait(http, now()) : undefined;
          if (wait !== undefined && wait <= maxWaitMs && attempt < ATTEMPTS) {
            await sleep(wait);
            continue;
          }
          return { ok: false, failure: describe(error, options.baseUrl, wait) };
        }
      }
    },
  };
}
