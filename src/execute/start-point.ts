/**
 * Where an attempt starts: the user's HEAD, or — when a dependency was approved but its branch is
 * not merged yet — that dependency's branch, so the work builds on it.
 */
import { UsageError } from '../core/errors.ts';
import { branchExists } from '../git/worktree.ts';
import { formatStatus, type Plan } from '../plans/plan.ts';
import type { Project } from './workspace.ts';

export interface StartPoint {
  /** The commit the attempt's branch starts at. */
  base: string;
  /** The dependency branch it starts from, when it does. */
  startedFrom?: string;
  /** The dependency plan whose branch it is. */
  dependency?: string;
}

/** A dependency that blocks the plan, or undefined when every dependency is DONE. */
export function unmetDependency(plan: Plan, plans: readonly Plan[]): string | undefined {
  const byId = new Map(plans.map((item) => [item.id, item]));
  for (const id of plan.dependsOn) {
    const dependency = byId.get(id);
    if (!dependency) return `plan ${plan.id} depends on plan ${id}, which has no plan file here`;
    if (dependency.status.state !== 'DONE')
      return `plan ${plan.id} depends on plan ${id}, which is ${formatStatus(dependency.status)}, not DONE`;
  }
  return undefined;
}

/**
 * Check the dependencies and choose the start. Throws UsageError when a dependency is not DONE,
 * or when several approved dependency branches are unmerged (they must be merged first).
 */
export async function startPoint(
  project: Project,
  plan: Plan,
  plans: readonly Plan[],
  head: string,
): Promise<StartPoint> {
  const unmet = unmetDependency(plan, plans);
  if (unmet) {
    const first = plan.dependsOn[0] ?? '';
    throw new UsageError(
      unmet,
      `Finish the dependency first (improve execute ${Number(first)}), then run again.`,
    );
  }
  const unmerged: { id: string; branch: string; tip: string }[] = [];
  const branches = new Map(plans.map((item) => [item.id, item.execution?.branch]));
  for (const id of plan.dependsOn) {
    const branch = branches.get(id);
    if (!branch || !(await branchExists(project.top, branch))) continue;
    const tip = await project.git.resolveCommit(branch);
    if (tip && !(await project.git.isAncestor(tip, head))) unmerged.push({ id, branch, tip });
  }
  if (unmerged.length > 1) {
    throw new UsageError(
      `plan ${plan.id} depends on ${unmerged.length} approved branches that are not merged: ${unmerged.map((item) => item.branch).join(', ')}`,
      'Merge them into your branch first (git merge BRANCH), then run again.',
    );
  }
  const only = unmerged[0];
  return only ? { base: only.tip, startedFrom: only.branch, dependency: only.id } : { base: head };
}
