/** Render `improve status`: the plans table, improve's worktrees, the cost totals. */
import type { StatusResult } from '../api/status.ts';
import { formatStatus } from '../plans/plan.ts';
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
          formatStatus(row.plan.status),
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
