/** Terminal rendering of what models did in a run: the LLM audit's outcome, the cost table, estimates. */
import type { CostEstimate } from '../agents/estimate-audit.ts';
import type { LlmAuditReport } from '../agents/llm-audit.ts';
import { plural } from '../core/plural.ts';
import { type CostSummary, formatTokens, formatUsd } from '../llm/cost-summary.ts';
import { renderTable } from './render-table.ts';

export function renderLlmReport(llm: LlmAuditReport): string {
  const lines = [
    `Model audit (planner ${llm.planner}): ${llm.auditorsCompleted} of ${plural(llm.auditors, 'auditor')} answered; ${plural(llm.findings.length, 'finding')} confirmed by the planner, ${llm.rejected.length} rejected by it, ${llm.dropped.length} dropped by improve's checks.`,
  ];
  const dropped = llm.dropped.filter(
    (d) => d.reason.startsWith('hallucinated') || d.reason.includes('does not exist'),
  );
  for (const item of dropped.slice(0, 5)) lines.push(`  • dropped "${item.title}": ${item.reason}`);
  // `improve branch`: what the auditors reported about files the branch does not touch.
  const outside = llm.dropped.filter((d) => d.reason.startsWith("outside the branch's scope"));
  if (outside.length > 0)
    lines.push(
      `  • ${plural(outside.length, 'finding')} about files outside the branch's scope dropped before vetting`,
    );
  for (const item of llm.rejected.slice(0, 5))
    lines.push(`  • rejected "${item.title}": ${item.reason.replace(/^planner: /, '')}`);
  for (const injection of llm.injections)
    lines.push(
      `  • ${injection.file}:${injection.line} tries to instruct AI agents (${injection.summary}); reported, not obeyed`,
    );
  for (const note of llm.notes) lines.push(`  • ${note}`);
  return lines.join('\n');
}

export function renderCostTable(summary: CostSummary, width: number): string {
  if (summary.calls === 0) return 'Model cost: no model call was made ($0.00).';
  const rows = summary.byRole.map((cost) => [
    cost.role,
    cost.models.join(', '),
    String(cost.calls),
    formatTokens(cost.inputTokens),
    formatTokens(cost.outputTokens),
    formatTokens(cost.cacheReadTokens),
    formatTokens(cost.cacheWriteTokens),
    cost.unpricedCalls === cost.calls ? 'unpriced' : formatUsd(cost.costUsd),
  ]);
  rows.push(['total', '', String(summary.calls), '', '', '', '', formatUsd(summary.totalUsd)]);
  const table = renderTable(
    [
      { header: 'role' },
      { header: 'model', flexible: true },
      { header: 'calls', align: 'right' },
      { header: 'input', align: 'right' },
      { header: 'output', align: 'right' },
      { header: 'cache read', align: 'right' },
      { header: 'cache write', align: 'right' },
      { header: 'cost', align: 'right' },
    ],
    rows,
    width,
  );
  const alone =
    summary.plannerOnlyUsd === null
      ? 'unknown (the planner model has no price)'
      : formatUsd(summary.plannerOnlyUsd);
  const unpriced =
    summary.unpricedCalls > 0
      ? `\n${plural(summary.unpricedCalls, 'call')} used a model without a known price: counted in tokens only (add it under prices: in .improve.yml).`
      : '';
  return `Model cost\n${table}\nHad the planner done the executor's share too: ${alone}${unpriced}`;
}

export function renderEstimate(estimate: CostEstimate, width: number, maxCost: number | undefined): string {
  if (estimate.lines.length === 0) return 'Dry run: no model call would be made.';
  const table = renderTable(
    [
      { header: 'work', flexible: true },
      { header: 'model' },
      { header: 'calls', align: 'right' },
      { header: 'input', align: 'right' },
      { header: 'output', align: 'right' },
      { header: 'est. cost', align: 'right' },
    ],
    [
      ...estimate.lines.map((l) => [
        l.task,
        l.model,
        `~${l.calls}`,
        `~${formatTokens(l.inputTokens)}`,
        `~${formatTokens(l.outputTokens)}`,
        l.costUsd === null ? 'unpriced' : `~${formatUsd(l.costUsd)}`,
      ]),
      ['total', '', '', '', '', `~${formatUsd(estimate.totalUsd)}`],
    ],
    width,
  );
  const budget =
    maxCost === undefined
      ? ''
      : `\n--max-cost ${formatUsd(maxCost)}: ${estimate.totalUsd > maxCost ? 'the run would stop at the budget and keep what it has by then' : 'within budget'}.`;
  const unpriced = estimate.unpriced
    ? '\nThe planner model has no known price: only tokens are estimated.'
    : '';
  return `Dry run: nothing was sent to a model and nothing was written.\n${table}${budget}${unpriced}\nAssumptions: ${estimate.assumptions.join('; ')}.`;
}
