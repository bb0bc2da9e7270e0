import { errorMessage } from '../core/errors.ts';
import { openGit } from '../git/git.ts';
import type { Plan } from '../plans/plan.ts';
import { setPlanIssues } from '../plans/store.ts';
import { createGitHubClient, type GitHubClientOptions } from '../publish/github-client.ts';
import { ensureLabels, type IssueOutcome, publishPlans, repositoryFacts } from '../publish/github-issues.ts';
import { apiBaseUrl, parseGitHubRemote, repositoryName } from '../publish/github-remote.ts';
import { findGitHubToken } from '../publish/github-token.ts';

export interface PublishIssuesOptions {
  /** The repository root (absolute). */
  root: string;
  /** The plans folder: absolute `dir` and repo-relative `relative`. */
  plansDir: { dir: string; relative: string };
  /** The plans to publish (the ones this run wrote). */
  plans: readonly Plan[];
  /** Where GITHUB_TOKEN, GH_TOKEN and GITHUB_API_URL are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * Asked once, with the plans about security findings, when the repository is public. Without
   * it (no terminal and no explicit consent) those plans are held back.
   */
  confirmPublic?: (plans: readonly Plan[], repository: string) => Promise<boolean>;
  client?: Pick<GitHubClientOptions, 'maxWaitMs' | 'sleep' | 'timeoutMs'>;
}

export interface PublishIssuesResult {
  /** `owner/repo`, once known. */
  repository?: string;
  visibility?: 'public' | 'private' | 'internal';
  /** One per plan, in the plans' order. */
  outcomes: IssueOutcome[];
  /** Things that went wrong without stopping anything (labels that could not be created). */
  notes: string[];
  /** Plan files whose front matter now carries the issue URL. */
  recorded: string[];
  /** Nothing was published and at least one plan failed: the environment refused (exit 3). */
  nothingPublished: boolean;
}

/** A plan a public issue should not reveal without consent: security findings, credential locations. */
export function isSensitive(plan: Plan): boolean {
  return plan.category === 'security';
}

/** Remote URLs may carry credentials (`https://user:token@host/…`): never show them. */
function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][\w+.-]*:\/\/)[^/@]*@/i, '$1');
}

function finish(result: Omit<PublishIssuesResult, 'nothingPublished'>): PublishIssuesResult {
  const published = result.outcomes.filter((o) => o.status !== 'failed' && o.status !== 'held-back').length;
  const failed = result.outcomes.some((o) => o.status === 'failed');
  return { ...result, nothingPublished: published === 0 && failed };
}

function allFailed(plans: readonly Plan[], reason: string, known: Partial<PublishIssuesResult> = {}) {
  return finish({
    ...known,
    outcomes: plans.map((plan) => ({ planId: plan.id, status: 'failed' as const, reason })),
    notes: [],
    recorded: [],
  });
}

/**
 * Publish plans as issues of the GitHub repository `origin` points at, idempotently, and record
 * each issue's URL in its plan. Failures are values: the plans stay written whatever happens.
 */
export async function publishIssues(options: PublishIssuesOptions): Promise<PublishIssuesResult> {
  const { plans } = options;
  const env = options.env ?? process.env;
  if (plans.length === 0) return finish({ outcomes: [], notes: [], recorded: [] });
  const git = await openGit(options.root);
  const remote = git ? await git.remoteUrl('origin') : undefined;
  if (!remote)
    return allFailed(plans, 'no `origin` remote: issues go to the GitHub repository `origin` points at');
  const repository = parseGitHubRemote(remote);
  if (!repository)
    return allFailed(
      plans,
      `the origin remote (${withoutCredentials(remote)}) is not a GitHub repository URL`,
    );
  const name = repositoryName(repository);
  const token = await findGitHubToken(env, repository.host);
  if (!token)
    return allFailed(plans, 'no GitHub token: set GITHUB_TOKEN or GH_TOKEN, or log in with `gh auth login`', {
      repository: name,
    });
  const client = createGitHubClient({
    ...options.client,
    baseUrl: apiBaseUrl(repository, env),
    token: token.value,
  });
  const facts = await repositoryFacts(client, repository);
  if (!facts.ok)
    return allFailed(plans, `could not read ${name}: ${facts.failure.message}`, { repository: name });
  const known = { repository: name, visibility: facts.value.visibility };
  if (!facts.value.hasIssues) return allFailed(plans, `issues are disabled on ${name}`, known);

  const held = new Map<string, string>();
  const sensitive = facts.value.visibility === 'public' ? plans.filter(isSensitive) : [];
  const asked = sensitive.length > 0 && options.confirmPublic !== undefined;
  if (sensitive.length > 0 && !(await options.confirmPublic?.(sensitive, name))) {
    const why = asked ? 'publishing it was declined' : 'it is not published without confirmation';
    for (const plan of sensitive) {
      held.set(
        plan.id,
        `${name} is public and this plan is about a ${plan.category} finding: a public issue would show everyone where the weakness is before it is fixed, and ${why}`,
      );
    }
  }
  const toPublish = plans.filter((plan) => !held.has(plan.id));
  const categories = [...new Set(toPublish.map((plan) => plan.category))];
  const labels =
    toPublish.length > 0 ? await ensureLabels(client, repository, ['improve', ...categories]) : undefined;
  const published = labels?.failure
    ? toPublish.map((plan) => ({
        planId: plan.id,
        status: 'failed' as const,
        reason: labels.failure?.message ?? '',
      }))
    : await publishPlans({
        client,
        repository,
        plans: toPublish,
        plansDir: options.plansDir.relative,
        labels: labels?.usable ?? new Set(),
      });
  const byId = new Map(published.map((outcome) => [outcome.planId, outcome]));
  const outcomes = plans.map(
    (plan): IssueOutcome =>
      byId.get(plan.id) ?? { planId: plan.id, status: 'held-back', reason: held.get(plan.id) ?? '' },
  );
  const urls = new Map<string, string>();
  for (const outcome of outcomes) {
    const plan = plans.find((p) => p.id === outcome.planId);
    if ('url' in outcome && plan?.issue !== outcome.url) urls.set(outcome.planId, outcome.url);
  }
  const notes = [...(labels?.notes ?? [])];
  let recorded: string[] = [];
  try {
    if (urls.size > 0) recorded = setPlanIssues(options.plansDir.dir, urls).written;
  } catch (error) {
    notes.push(`the issue URLs could not be recorded in the plans: ${errorMessage(error)}`);
  }
  return finish({ ...known, outcomes, notes, recorded });
}
