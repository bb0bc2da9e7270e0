import { errorMessage } from '../core/errors.ts';
import type { GitFacts, Hotspot } from '../core/types.ts';
import type { GitProbe } from '../git/git.ts';

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
  const [head, branch, defaultBranch] = await Promise.all([
    git.head(),
    git.currentBranch(),
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
  const [subjects, churn, isKept] = await Promise.all([
    git.commitSubjects(SUBJECTS),
    // Every churned path: `isKept` below admits only files recon listed, so churn need not list them.
    git.churn(CHURN_COMMITS, Number.POSITIVE_INFINITY, () => true),
    keep,
  ]);
  facts.hotspots = churn.filter((hotspot: Hotspot) => isKept(hotspot.path)).slice(0, HOTSPOTS);
  return { facts, subjects };
}
