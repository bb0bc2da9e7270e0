/**
 * A local GitHub REST API on 127.0.0.1 that speaks the real JSON shapes of the endpoints issue
 * publishing uses (repository, labels, issues), so the real @octokit/rest client can be pointed at
 * it through GITHUB_API_URL. State lives in memory; every request is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
}

export interface FakeLimit {
  /** Which requests are limited, as `METHOD /path` (e.g. `POST /repos/o/r/issues`). */
  match: RegExp;
  /** How many matching requests get the limit response before the API recovers. */
  times: number;
  status: 403 | 429;
  /** Seconds, sent as `retry-after` (secondary limit); without it, `x-ratelimit-reset` is sent. */
  retryAfter?: number;
}

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  visibility?: 'public' | 'private';
  hasIssues?: boolean;
  /** The token the API accepts; any other gets 401 Bad credentials. */
  token?: string;
  /** Labels that exist from the start. */
  labels?: string[];
  /** Creating a label answers 403, as for a token without admin/maintain rights. */
  denyLabelCreate?: boolean;
  issues?: FakeIssue[];
  limits?: FakeLimit[];
}

export interface FakeGitHub {
  /** API base URL, e.g. `http://127.0.0.1:1234/api/v3`. */
  url: string;
  issues: FakeIssue[];
  labels: Set<string>;
  /** `METHOD /path?query` of every request, in order. */
  requests: string[];
  close(): Promise<void>;
}

const PREFIX = '/api/v3';
const DOCS = 'https://docs.github.com/rest';

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-media-type': 'github.v3; format=json',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  if (text === '') return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {};
}

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const owner = options.owner ?? 'acme';
  const repo = options.repo ?? 'shop';
  const token = options.token ?? 'test-token';
  const issues: FakeIssue[] = [...(options.issues ?? [])];
  const labels = new Set(options.labels ?? []);
  const limits = (options.limits ?? []).map((limit) => ({ ...limit }));
  const requests: string[] = [];
  let base = '';

  const issueJson = (issue: FakeIssue) => ({
    id: 1000 + issue.number,
    node_id: `I_kw${issue.number}`,
    url: `${base}/repos/${owner}/${repo}/issues/${issue.number}`,
    html_url: `https://github.com/${owner}/${repo}/issues/${issue.number}`,
    number: issue.number,
    state: issue.state,
    title: issue.title,
    body: issue.body,
    user: { login: 'improve-bot', id: 7, type: 'User' },
    labels: issue.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed', default: false })),
    comments: 0,
    created_at: '2026-11-25T00:00:00Z',
    updated_at: '2026-11-25T00:00:00Z',
  });
  const labelJson = (name: string) => ({
    id: name.length,
    node_id: `LA_${name}`,
    url: `${base}/repos/${owner}/${repo}/labels/${encodeURIComponent(name)}`,
    name,
    color: 'ededed',
    default: false,
    description: null,
  });
  const notFound = (res: ServerResponse) =>
    send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = `${req.method} ${url.pathname.slice(PREFIX.length)}`;
    requests.push(`${route}${url.search}`);
    if (!(req.headers.authorization ?? '').endsWith(` ${token}`)) {
      send(res, 401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
      return;
    }
    const limit = limits.find((l) => l.times > 0 && l.match.test(route));
    if (limit) {
      limit.times -= 1;
      const headers: Record<string, string> =
        limit.retryAfter === undefined
          ? { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1) }
          : { 'retry-after': String(limit.retryAfter) };
      const message =
        limit.retryAfter === undefined
          ? 'API rate limit exceeded for user ID 7.'
          : 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
      send(res, limit.status, { message, documentation_url: DOCS, status: String(limit.status) }, headers);
      return;
    }
    const repoPath = `/repos/${owner}/${repo}`;
    const path = url.pathname.slice(PREFIX.length);
    if (!path.startsWith(repoPath)) return notFound(res);
    const rest = path.slice(repoPath.length);
    if (req.method === 'GET' && rest === '') {
      const visibility = options.visibility ?? 'private';
      send(res, 200, {
        id: 42,
        node_id: 'R_kg42',
        name: repo,
        full_name: `${owner}/${repo}`,
        owner: { login: owner, id: 1, type: 'Organization' },
        private: visibility === 'private',
        visibility,
        html_url: `https://github.com/${owner}/${repo}`,
        has_issues: options.hasIssues ?? true,
        default_branch: 'main',
        permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
      });
      return;
    }
    const label = /^\/labels\/([^/]+)$/.exec(rest);
    if (req.method === 'GET' && label?.[1]) {
      const name = decodeURIComponent(label[1]);
      return labels.has(name) ? send(res, 200, labelJson(name)) : notFound(res);
    }
    if (req.method === 'POST' && rest === '/labels') {
      const body = await readJson(req);
      if (options.denyLabelCreate) {
        send(res, 403, {
          message: 'Resource not accessible by integration',
          documentation_url: DOCS,
          status: '403',
        });
        return;
      }
      const name = String(body.name);
      if (labels.has(name)) {
        send(res, 422, {
          message: 'Validation Failed',
          errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
        });
        return;
      }
      labels.add(name);
      send(res, 201, labelJson(name));
      return;
    }
    if (req.method === 'GET' && rest === '/issues') {
      const wanted = url.searchParams.get('labels');
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const matching = issues
        .filter((issue) => !wanted || issue.labels.includes(wanted))
        .sort((a, b) => b.number - a.number);
      send(res, 200, matching.slice((page - 1) * perPage, page * perPage).map(issueJson));
      return;
    }
    if (req.method === 'POST' && rest === '/issues') {
      const body = await readJson(req);
      const names = Array.isArray(body.labels) ? body.labels.map(String) : [];
      const issue: FakeIssue = {
        number: issues.reduce((max, i) => Math.max(max, i.number), 0) + 1,
        title: String(body.title),
        body: String(body.body ?? ''),
        // GitHub creates unknown labels for writers; this fake keeps only existing ones.
        labels: names.filter((name) => labels.has(name)),
        state: 'open',
      };
      issues.push(issue);
      send(res, 201, issueJson(issue));
      return;
    }
    const single = /^\/issues\/(\d+)$/.exec(rest);
    const issue = single ? issues.find((i) => i.number === Number(single[1])) : undefined;
    if (single && !issue) return notFound(res);
    if (issue && req.method === 'GET') return send(res, 200, issueJson(issue));
    if (issue && req.method === 'PATCH') {
      const body = await readJson(req);
      if (typeof body.title === 'string') issue.title = body.title;
      if (typeof body.body === 'string') issue.body = body.body;
      return send(res, 200, issueJson(issue));
    }
    notFound(res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}${PREFIX}`;
  return {
    url: base,
    issues,
    labels,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
