/**
 * The drift check: have the plan's in-scope files changed since the commit it was planned at?
 * Without a planned-at commit, the quoted excerpts are compared with the files instead.
 */
import { redactSource } from '../core/redact.ts';
import { changedBetween } from '../git/changes.ts';
import type { Plan, PlanExcerpt } from '../plans/plan.ts';
import type { Project } from './workspace.ts';

export interface DriftResult {
  drifted: boolean;
  /** How the check was made. */
  method: 'commit' | 'excerpts' | 'none';
  /** In-scope paths that changed (commit method). */
  changed: string[];
  /** One line for messages. */
  detail: string;
}

/** Whether the excerpt's lines are the file's lines at the cited place (both redacted). */
export function excerptMatches(text: string | undefined, excerpt: PlanExcerpt): boolean {
  if (text === undefined) return false;
  const lines = redactSource(text).lines.slice(excerpt.startLine - 1, excerpt.endLine);
  return lines.join('\n') === excerpt.excerpt;
}

export async function checkDrift(project: Project, plan: Plan, head: string): Promise<DriftResult> {
  const sha = plan.plannedAt.sha;
  if (sha) {
    if (!(await project.git.revExists(sha))) {
      return {
        drifted: true,
        method: 'commit',
        changed: [],
        detail: `the planned-at commit ${sha.slice(0, 12)} is not in this repository`,
      };
    }
    const changed = await changedBetween(
      project.root,
      sha,
      head,
      plan.scope.in.map((entry) => entry.path),
    );
    return {
      drifted: changed.length > 0,
      method: 'commit',
      changed,
      detail:
        changed.length > 0
          ? `${changed.join(', ')} changed since ${sha.slice(0, 12)}`
          : `in-scope files unchanged since ${sha.slice(0, 12)}`,
    };
  }
  if (plan.currentState.length === 0) {
    return {
      drifted: false,
      method: 'none',
      changed: [],
      detail: 'no planned-at commit and no excerpt to compare',
    };
  }
  for (const excerpt of plan.currentState) {
    if (!excerptMatches(await project.git.readFileAt(head, excerpt.file), excerpt)) {
      return {
        drifted: true,
        method: 'excerpts',
        changed: [excerpt.file],
        detail: `${excerpt.file}:${excerpt.startLine}-${excerpt.endLine} no longer reads as quoted`,
      };
    }
  }
  return { drifted: false, method: 'excerpts', changed: [], detail: 'every quoted excerpt still matches' };
}
