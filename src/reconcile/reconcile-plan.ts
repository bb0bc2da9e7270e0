/**
 * What reconcile decides for one plan, by status. Pure decisions over what was read; the caller
 * applies them through the plan store.
 */
import { redactSource } from '../core/redact.ts';
import { checkDrift } from '../execute/drift.ts';
import type { RunState } from '../execute/run-state.ts';
import { isLive } from '../execute/run-state.ts';
import { unmetDependency } from '../execute/start-point.ts';
import type { Project } from '../execute/workspace.ts';
import { renamedBetween } from '../git/changes.ts';
import { FIXED_INDEPENDENTLY, type Plan, type PlanStatus, STALE, VERIFIED } from '../plans/plan.ts';
import type { ExcerptMove } from '../plans/refresh-plan.ts';
import { locateExcerpt } from './locate-excerpt.ts';

export type TodoOutcome =
  | { kind: 'ready' }
  | { kind: 'waiting'; reason: string }
  | { kind: 'refresh'; moves: ExcerptMove[] }
  | {
      kind: 'check-detector';
      detail: string;
      /** Cited files git sees as moved since the planned-at commit: old path → new path. */
      renamed?: Map<string, string>;
    };

/** A TODO plan: executable now, waiting on a dependency, refreshable, or needing the detector. */
export async function reconcileTodo(
  project: Project,
  plan: Plan,
  plans: readonly Plan[],
  head: string,
): Promise<TodoOutcome & { drifted: boolean }> {
  const drift = await checkDrift(project, plan, head);
  if (!drift.drifted) {
    const unmet = unmetDependency(plan, plans);
    return unmet ? { kind: 'waiting', reason: unmet, drifted: false } : { kind: 'ready', drifted: false };
  }
  if (plan.currentState.length === 0) return { kind: 'check-detector', detail: drift.detail, drifted: true };
  const moves: ExcerptMove[] = [];
  let renamed: Map<string, string> | undefined;
  for (const excerpt of plan.currentState) {
    let text = await project.git.readFileAt(head, excerpt.file);
    // The file is gone: moved (the problem went with it, the quote maybe too) or deleted.
    let target: string | undefined;
    if (text === undefined) {
      renamed ??= await renamedSincePlan(project, plan, head);
      target = renamed.get(excerpt.file);
      if (target !== undefined) text = await project.git.readFileAt(head, target);
    }
    const place = locateExcerpt(text === undefined ? undefined : redactSource(text).lines, excerpt);
    const cited = `${excerpt.file}:${excerpt.startLine}-${excerpt.endLine}`;
    if (place.kind === 'missing') {
      const detail = target
        ? `${excerpt.file} was moved to ${target}, and ${cited} is no longer in it as quoted`
        : text === undefined
          ? `${excerpt.file} is no longer in the repository (cited as ${cited})`
          : `${cited} is no longer in the file as quoted`;
      return { kind: 'check-detector', detail, ...(renamed ? { renamed } : {}), drifted: true };
    }
    if (place.kind === 'moved' || target !== undefined) {
      moves.push({
        file: excerpt.file,
        ...(target !== undefined ? { toFile: target } : {}),
        from: { startLine: excerpt.startLine, endLine: excerpt.endLine },
        to:
          place.kind === 'moved'
            ? { startLine: place.startLine, endLine: place.endLine }
            : { startLine: excerpt.startLine, endLine: excerpt.endLine },
      });
    }
  }
  return { kind: 'refresh', moves, drifted: true };
}

/** The plan's cited files that git sees as renamed from the planned-at commit to `head`. */
async function renamedSincePlan(project: Project, plan: Plan, head: string): Promise<Map<string, string>> {
  const sha = plan.plannedAt.sha;
  if (!sha || !(await project.git.revExists(sha))) return new Map();
  const cited = [...new Set(plan.currentState.map((excerpt) => excerpt.file))];
  return renamedBetween(project.root, sha, head, cited);
}

export type ProgressOutcome =
  | { kind: 'running'; pid: number }
  | { kind: 'abandoned'; worktree?: string; branch?: string };

export function reconcileInProgress(plan: Plan, state: RunState | undefined): ProgressOutcome {
  if (state && isLive(state)) return { kind: 'running', pid: state.pid };
  const outcome: ProgressOutcome = { kind: 'abandoned' };
  const branch = plan.execution?.branch ?? state?.branch;
  const worktree = plan.execution?.worktree ?? state?.worktree;
  if (branch) outcome.branch = branch;
  if (worktree) outcome.worktree = worktree;
  return outcome;
}

/** The repository's own commands (tests, builds) are not cheap; greps and file checks are. */
export function cheapCriteria(plan: Plan): Plan['doneCriteria'] {
  const expensive = plan.commands.map((row) => row.command).filter((command) => command.trim() !== '');
  return plan.doneCriteria.filter(
    (criterion) => !expensive.some((command) => criterion.run.includes(command)),
  );
}

export function verifiedStatus(head: string): PlanStatus {
  return { state: 'DONE', reason: `${VERIFIED}${head.slice(0, 12)}` };
}

export function regressedStatus(head: string, failed: string): PlanStatus {
  return {
    state: 'BLOCKED',
    reason: `regressed on ${head.slice(0, 12)}: \`${failed}\` no longer gives the expected result`,
  };
}

export function staleStatus(detail: string): PlanStatus {
  return {
    state: 'TODO',
    reason: `${STALE} ${detail}; the problem may still be there — \`improve\` plans it again for the code as it is (then reconcile retires this plan), or edit this plan`,
  };
}

export function fixedStatus(head: string): PlanStatus {
  return {
    state: 'REJECTED',
    reason: `${FIXED_INDEPENDENTLY} rule no longer reports it at ${head.slice(0, 12)}`,
  };
}
