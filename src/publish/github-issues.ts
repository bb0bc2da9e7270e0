/**
 * Publish plans as GitHub issues, idempotently: an issue already published for a plan (found by
 * the URL in the plan's front matter, else by the markers in issue bodies) is updated when the
 * plan changed and left alone when it did not; a new one is opened only when none exists.
 */
import type { Plan } from '../plans/plan.ts';
import type { GitHubCall, GitHubClient, GitHubFailure } from './github-client.ts';
import type { GitHubRepository } from './github-remote.ts';
import { isIssueOf, issueBody, issueTitle, readMarkers } from './issue-body.ts';

export type IssueOutcome =
  | { planId: string; status: 'created' | 'updated' | 'unchanged'; url: string; number: number }
  /** Not attempted on purpose (a sensitive plan on a public repository without confirmation). */
  | { planId: string; status: 'held-back'; reason: string }
  | { planId: string; status: 'failed'; reason: string };

export interface RepositoryFacts {
  visibility: 'public' | 'private' | 'internal';
  hasIssues: boolean;
}

interface KnownIssue {
  number: number;
  url: string;
  title: string;
  body: string;
}

const MAIN_LABEL = 'improve';
const LABEL_COLORS: Record<string, string> = { [MAIN_LABEL]: '5319e7', security: 'b60205' };
const PAGE_SIZE = 100;
const MAX_PAGES = 20;

export async function repositoryFacts(
  client: GitHubClient,
  repository: GitHubRepository,
): Promise<GitHubCall<RepositoryFacts>> {
  const result = await client.call((o) =>
    o.rest.repos.get({ owner: repository.owner, repo: repository.repo }),
  );
  if (!result.ok) return result;
  const data = result.value.data;
  const visibility =
    data.visibility === 'internal'
      ? 'internal'
      : data.private || data.visibility === 'private'
        ? 'private'
        : 'public';
  return { ok: true, value: { visibility, hasIssues: data.has_issues !== false } };
}

/** Make sure the labels exist, creating missing ones; labels that cannot be had are left out. */
export async function ensureLabels(
  client: GitHubClient,
  repository: GitHubRepository,
  names: readonly string[],
): Promise<{ usable: Set<string>; notes: string[]; failure?: GitHubFailure }> {
  const usable = new Set<string>();
  const notes: string[] = [];
  const where = { owner: repository.owner, repo: repository.repo };
  for (const name of names) {
    const found = await client.call((o) => o.rest.issues.getLabel({ ...where, name }));
    if (found.ok) {
      usable.add(name);
      continue;
    }
    if (found.failure.fatal) return { usable, notes, failure: found.failure };
    const created = await client.call((o) =>
      o.rest.issues.createLabel({
        ...where,
        name,
        color: LABEL_COLORS[name] ?? 'c5def5',
        description: name === MAIN_LABEL ? 'Planned by improve' : `improve: ${name}`,
      }),
    );
    if (created.ok || created.failure.kind === 'invalid')
      usable.add(name); // 422: created meanwhile
    else if (created.failure.fatal) return { usable, notes, failure: created.failure };
    else
      notes.push(
        `label "${name}" could not be created (${created.failure.message}); issues go out without it`,
      );
  }
  return { usable, notes };
}

/** Issues that may be ours: those with the `improve` label, or all recent ones (newest first). */
async function listCandidates(
  client: GitHubClient,
  repository: GitHubRepository,
  byLabel: boolean,
): Promise<GitHubCall<KnownIssue[]>> {
  const issues: KnownIssue[] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const result = await client.call((o) =>
      o.rest.issues.listForRepo({
        owner: repository.owner,
        repo: repository.repo,
        state: 'all',
        per_page: PAGE_SIZE,
        page,
        ...(byLabel ? { labels: MAIN_LABEL } : { sort: 'created' as const, direction: 'desc' as const }),
      }),
    );
    if (!result.ok) return result;
    for (const issue of result.value.data) {
      if (issue.pull_request) continue;
      issues.push({ number: issue.number, url: issue.html_url, title: issue.title, body: issue.body ?? '' });
    }
    if (result.value.data.length < PAGE_SIZE) break;
  }
  return { ok: true, value: issues };
}

function issueNumberFrom(url: string | undefined, repository: GitHubRepository): number | undefined {
  const match = /\/([^/]+)\/([^/]+)\/issues\/(\d+)\/?$/.exec(url ?? '');
  if (!match?.[3]) return undefined;
  const same =
    match[1]?.toLowerCase() === repository.owner.toLowerCase() &&
    match[2]?.toLowerCase() === repository.repo.toLowerCase();
  return same ? Number(match[3]) : undefined;
}

export interface PublishInput {
  client: GitHubClient;
  repository: GitHubRepository;
  plans: readonly Plan[];
  /** Repo-relative plans folder, for the link in the issue body. */
  plansDir: string;
  labels: ReadonlySet<string>;
}

/** Publish each plan; a fatal failure (network, token, rate limit) fails the remaining plans at once. */
export async function publishPlans(input: PublishInput): Promise<IssueOutcome[]> {
  const { client, repository } = input;
  const where = { owner: repository.owner, repo: repository.repo };
  let labelledIssues: KnownIssue[] | undefined;
  let allIssues: KnownIssue[] | undefined;
  let fatal: string | undefined;
  const outcomes: IssueOutcome[] = [];
  const fail = (plan: Plan, failure: GitHubFailure): IssueOutcome => {
    if (failure.fatal) fatal = failure.message;
    return { planId: plan.id, status: 'failed', reason: failure.message };
  };

  const existing = async (plan: Plan): Promise<GitHubCall<KnownIssue | undefined>> => {
    const number = issueNumberFrom(plan.issue, repository);
    if (number !== undefined) {
      const got = await client.call((o) => o.rest.issues.get({ ...where, issue_number: number }));
      if (got.ok) {
        const { data } = got.value;
        return { ok: true, value: { number, url: data.html_url, title: data.title, body: data.body ?? '' } };
      }
      if (got.failure.kind !== 'not-found') return got;
    }
    // By the `improve` label first (cheap); issues published while the label could not be set
    // carry none, so before opening a new issue, all recent issues are searched once too.
    const byLabel = input.labels.has(MAIN_LABEL);
    for (const labelled of byLabel ? [true, false] : [false]) {
      let list = labelled ? labelledIssues : allIssues;
      if (!list) {
        const listed = await listCandidates(client, repository, labelled);
        if (!listed.ok) return listed;
        list = listed.value;
        if (labelled) labelledIssues = list;
        else allIssues = list;
      }
      const found = list.find((issue) => isIssueOf(readMarkers(issue.body), plan));
      if (found) return { ok: true, value: found };
    }
    return { ok: true, value: undefined };
  };

  for (const plan of input.plans) {
    if (fatal) {
      outcomes.push({ planId: plan.id, status: 'failed', reason: fatal });
      continue;
    }
    const title = issueTitle(plan);
    const body = issueBody(plan, input.plansDir);
    const found = await existing(plan);
    if (!found.ok) {
      outcomes.push(fail(plan, found.failure));
      continue;
    }
    const issue = found.value;
    if (issue && issue.title === title && issue.body.trim() === body.trim()) {
      outcomes.push({ planId: plan.id, status: 'unchanged', url: issue.url, number: issue.number });
      continue;
    }
    const labels = [MAIN_LABEL, plan.category].filter((name) => input.labels.has(name));
    const saved = issue
      ? await client.call((o) => o.rest.issues.update({ ...where, issue_number: issue.number, title, body }))
      : await client.call((o) => o.rest.issues.create({ ...where, title, body, labels }));
    if (!saved.ok) {
      outcomes.push(fail(plan, saved.failure));
      continue;
    }
    const { data } = saved.value;
    outcomes.push({
      planId: plan.id,
      status: issue ? 'updated' : 'created',
      url: data.html_url,
      number: data.number,
    });
    const known = { number: data.number, url: data.html_url, title, body };
    labelledIssues?.push(known);
    allIssues?.push(known);
  }
  return outcomes;
}
