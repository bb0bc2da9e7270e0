import { type RowExtent, rowTitle, type Selection } from '../api/select.ts';
import type { Finding } from '../core/types.ts';

/** With a TTY: a multi-select of findings, the default selection pre-checked. */
export async function promptSelection(
  findings: readonly Finding[],
  preselected: Selection,
  extent: (row: Finding) => RowExtent | undefined = () => undefined,
): Promise<Selection> {
  // Loaded on use: only a terminal session with no --select/--top shows the prompt.
  const { checkbox } = await import('@inquirer/prompts');
  const picked = await checkbox({
    message: 'Which findings should become plans?',
    pageSize: 15,
    choices: findings.map((finding, index) => ({
      name: `${index + 1}. ${rowTitle(finding.title, extent(finding))} — ${finding.evidence[0]?.file ?? 'repository'} (${finding.category})`,
      value: index + 1,
      short: `#${index + 1}`,
      checked: preselected.findings.includes(finding),
    })),
  });
  return {
    findings: picked.map((n) => findings[n - 1]!),
    note: `Selected interactively: ${picked.length ? `#${picked.join(', #')}` : 'none'}.`,
  };
}
