/** Render `improve status`: the plans table, improve's worktrees, the cost totals. */
import type { StatusResult } from '../api/status.ts';
import type { PlanStatus } from '../plans/plan.ts';
import { renderTable } from './render-table.ts';

function attemptCell(row: StatusResult['rows'][number]): string {
  const attempt = row.attempt;
  if (!attempt) return '—';
  const where = attempt.worktreeExists ? '' : 'worktree removed';
  const state = attempt.live
    ? `running, pid ${attempt.pid}`
    : row.plan.status.state === 'IN PROGRESS'
      ? 'no live process'
      : '';
  return [attempt.branch, where, state].filter(Boolean).join(' · ');
}

/**
 * The status as the table shows it: the state and the reason's label (`REJECTED (fixed
 * independently)`, `TODO (stale)`), so the plan's title keeps its room. Undefined `detail` when the
 * reason has no label; then the reason is short enough to show whole.
 */
function statusCell(status: PlanStatus): { cell: string; detail?: string } {
  const reason = status.reason;
  if (!reason) return { cell: status.state };
  const colon = reason.indexOf(': ');
  if (colon < 0 || colon > 40) return { cell: `${status.state} (${reason})` };
  return { cell: `${status.state} (${reason.slice(0, colon)})`, detail: reason.slice(colon + 2) };
}

/** One line, cut to `width` with an ellipsis. */
function clip(text: string, width: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line;
}

export function renderStatus(result: StatusResult, width: number): string {
  const lines: string[] = [];
  if (result.rows.length === 0) {
    lines.push(`No plans in ${result.plansRelative}/ yet: run \`improve\` to audit and plan.`);
  } else {
    lines.push(`Plans in ${result.plansRelative}/ (${result.rows.length}):`, '');
    lines.push(
      renderTable(
        [
          { header: '#' },
          { header: 'status', flexible: true },
          { header: 'plan', flexible: true },
          { header: 'attempt', flexible: true },
        ],
        result.rows.map((row) => [
          row.plan.id,
          statusCell(row.plan.status).cell,
          row.plan.title,
          attemptCell(row),
        ]),
        width,
      ),
    );

    const counts = new Map<string, number>();
    for (const row of result.rows)
      counts.set(row.plan.status.state, (counts.get(row.plan.status.state) ?? 0) + 1);
    lines.push('', [...counts].map(([state, count]) => `${count} ${state}`).join(' · '));
    // Why a plan is blocked, retired or stale: what to act on, one line each.
    const reasons = result.rows.flatMap((row) => {
      const { detail } = statusCell(row.plan.status);
      return detail
        ? [`  ${row.plan.id}  ${clip(detail, Math.max(40, width) - row.plan.id.length - 4)}`]
        : [];
    });
    if (reasons.length > 0) lines.push('', 'Why:', ...reasons);
  }
  lines.push('');
  if (result.noGit) lines.push(`Worktrees: none (${result.noGit})`);
  else if (result.worktrees.length === 0) lines.push('Worktrees: none.');
  else {
    lines.push('Worktrees:');
    for (const worktree of result.worktrees) {
      const plan = worktree.plan ? ` plan ${worktree.plan}` : ' (no plan records it)';
      lines.push(
        `  ${worktree.path}  ${worktree.branch ?? 'detached'}${plan}${worktree.live ? ' · running' : ''}`,
      );
    }
  }
  lines.push('', result.costs ? `Costs: ${result.costs.line}` : 'Costs: no model calls recorded.');
  for (const problem of result.problems) lines.push(`note: ${problem}`);
  return lines.join('\n');
}
