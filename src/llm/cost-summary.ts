/**
 * A run's cost by role, and the counterfactual the plan/execute split is for: what the same calls
 * would have cost had the planner's model also done the executor's share.
 */
import type { LedgerEntry } from './ledger.ts';
import { ROLES, type RoleName } from './model-roles.ts';
import type { ModelSpec } from './model-spec.ts';
import { costOf, type PriceTable, priceFor } from './prices.ts';

export interface RoleCost {
  role: RoleName;
  /** `provider:model` of every model this role used. */
  models: string[];
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Dollars for the calls with a known price. */
  costUsd: number;
  /** Calls whose model has no price: counted in tokens only. */
  unpricedCalls: number;
}

export interface CostSummary {
  calls: number;
  totalUsd: number;
  /** Roles that made at least one call, in role order. */
  byRole: RoleCost[];
  /** The same calls with the executor's share priced at the planner's model; null when unknowable. */
  plannerOnlyUsd: number | null;
  unpricedCalls: number;
}

export function summarizeCosts(
  entries: readonly LedgerEntry[],
  options: { planner?: ModelSpec; prices?: PriceTable } = {},
): CostSummary {
  const byRole: RoleCost[] = [];
  for (const role of ROLES) {
    const mine = entries.filter((entry) => entry.role === role);
    if (mine.length === 0) continue;
    byRole.push({
      role,
      models: [...new Set(mine.map((entry) => `${entry.provider}:${entry.model}`))],
      calls: mine.length,
      inputTokens: sum(mine, (e) => e.inputTokens),
      outputTokens: sum(mine, (e) => e.outputTokens),
      cacheReadTokens: sum(mine, (e) => e.cacheReadTokens),
      cacheWriteTokens: sum(mine, (e) => e.cacheWriteTokens),
      costUsd: sum(mine, (e) => e.costUsd ?? 0),
      unpricedCalls: mine.filter((e) => e.costUsd === null).length,
    });
  }
  const totalUsd = sum(entries, (e) => e.costUsd ?? 0);
  const plannerPrice = options.planner ? priceFor(options.planner, options.prices) : undefined;
  let plannerOnlyUsd: number | null = options.planner && !plannerPrice ? null : totalUsd;
  for (const entry of entries) {
    if (entry.role !== 'executor' || plannerOnlyUsd === null) continue;
    if (!plannerPrice) {
      plannerOnlyUsd = null;
      break;
    }
    const tokens = {
      input: entry.inputTokens,
      output: entry.outputTokens,
      cacheRead: entry.cacheReadTokens,
      cacheWrite: entry.cacheWriteTokens,
    };
    plannerOnlyUsd = (plannerOnlyUsd ?? 0) - (entry.costUsd ?? 0) + costOf(tokens, plannerPrice);
  }
  return {
    calls: entries.length,
    totalUsd,
    byRole,
    plannerOnlyUsd,
    unpricedCalls: entries.filter((e) => e.costUsd === null).length,
  };
}

function sum(entries: readonly LedgerEntry[], pick: (entry: LedgerEntry) => number): number {
  return entries.reduce((total, entry) => total + pick(entry), 0);
}

export function formatUsd(amount: number): string {
  return amount >= 10 ? `$${amount.toFixed(2)}` : `$${amount.toFixed(4)}`;
}

export function formatTokens(count: number): string {
  return count.toLocaleString('en-US');
}

function roleText(cost: RoleCost): string {
  const all = cost.unpricedCalls === cost.calls;
  const unpriced = cost.unpricedCalls > 0 && !all ? `, ${cost.unpricedCalls} unpriced` : '';
  return `${cost.role} ${cost.models.join('+')} ${all ? 'unpriced' : formatUsd(cost.costUsd)} (${cost.calls} call${cost.calls === 1 ? '' : 's'}${unpriced})`;
}

/** One line for the index's run summary and the terminal. */
export function formatCostLine(summary: CostSummary): string {
  if (summary.calls === 0) return 'no model call made: $0.00';
  const roles = summary.byRole.map(roleText).join('; ');
  const alone =
    summary.plannerOnlyUsd === null
      ? 'unknown (the planner model has no price)'
      : formatUsd(summary.plannerOnlyUsd);
  const unpriced =
    summary.unpricedCalls > 0
      ? ` (${summary.unpricedCalls} on models without a price: counted in tokens only)`
      : '';
  const total = summary.unpricedCalls === summary.calls ? 'unpriced' : formatUsd(summary.totalUsd);
  return `${total} in ${summary.calls} model call${summary.calls === 1 ? '' : 's'}${unpriced}: ${roles}; had the planner done the executor's share too: ${alone}`;
}

/** Token detail per role, for the index (one line per role). */
export function formatCostDetails(summary: CostSummary): string[] {
  return summary.byRole.map(
    (cost) =>
      `${cost.role} ${cost.models.join('+')}: ${cost.calls} call${cost.calls === 1 ? '' : 's'}, ${formatTokens(cost.inputTokens)} input, ${formatTokens(cost.outputTokens)} output, ${formatTokens(cost.cacheReadTokens)} cache-read, ${formatTokens(cost.cacheWriteTokens)} cache-write tokens, ${formatUsd(cost.costUsd)}`,
  );
}
