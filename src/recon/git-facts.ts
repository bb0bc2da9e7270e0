import { errorMessage } from '../core/errors.ts';
import type { GitFacts } from '../core/types.ts';
import { churnOf, type GitProbe } from '../git/git.ts';

/** Commits looked at for churn. */
const CHURN_COMMITS = 500;
const HOTSPOTS = 10;
const SUBJECTS = 50;

export interface GitSignals {
  facts: GitFacts;
  /** Recent commit subjects, newest first; empty without history. */
  subjects: string[];
}

/**
 * Start reading HEAD, branches, subjects and churn. `keep` decides which churned paths count as
 * hotspots (recon passes the listed source files), applied once the walk is done.
 */
export async function readGitSignals(
  probe: GitProbe,
  keep: Promise<(file: string) => boolean>,
): Promise<GitSignals> {
  try {
    return await readSignals(probe, keep);
  } catch (error) {
    const facts: GitFacts = { available: false, reason: `git failed: ${errorMessage(error)}`, hotspots: [] };
    return { facts, subjects: [] };
  }
}

async function readSignals(probe: GitProbe, keep: Promise<(file: string) => boolean>): Promise<GitSignals> {
  if (probe.kind === 'not-installed') {
    return { facts: { available: false, reason: 'git is not installed', hotspots: [] }, subjects: [] };
  }
  if (probe.kind === 'not-a-repository') {
    const refused = /dubious ownership/.test(probe.detail ?? '');
    const reason = refused
      ? 'git refused the repository (dubious ownership; see git config safe.directory)'
      : probe.detail?.startsWith('ignored by the enclosing repository')
        ? `not a git repository of its own (${probe.detail})`
        : 'not a git repository';
    return { facts: { available: false, reason, hotspots: [] }, subjects: [] };
  }
  const git = probe.git;
  const opened = git.opened;
  const [head, branch, defaultBranch] = await Promise.all([
    opened ? opened.head : git.head(),
    opened ? opened.branch : git.currentBranch(),
    git.defaultBranch(),
  ]);
  const facts: GitFacts = { available: head !== undefined, hotspots: [] };
  if (branch) facts.branch = branch;
  if (defaultBranch) facts.defaultBranch = defaultBranch;
  if (!head) {
    facts.reason = 'repository has no commits yet';
    return { facts, subjects: [] };
  }
  facts.head = head;
  // One log for the subjects (the newest commits) and the churn (all of them).
  const [commits, isKept] = await Promise.all([git.recentCommits(CHURN_COMMITS), keep]);
  const subjects = commits
    .slice(0, SUBJECTS)
    .map((commit) => commit.subject)
    .filter((subject) => subject.trim() !== '');
  facts.hotspots = churnOf(commits, isKept).slice(0, HOTSPOTS);
  return { facts, subjects };
}
