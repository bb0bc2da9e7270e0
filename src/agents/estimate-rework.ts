/**
 * `--dry-run` of `reconcile` and `review-plan`: the cost of the planner calls they would make,
 * from the real system prompts and prompts, with stated assumptions about tool rounds.
 */
import { estimateTokens } from '../llm/conversation.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { formatModelSpec } from '../llm/model-spec.ts';
import { priceFor } from '../llm/prices.ts';
import type { CostEstimate, EstimateLine } from './estimate-audit.ts';

export interface PlannedCall {
  /** What the call is for, e.g. `rewrite of plan 003`. */
  task: string;
  system: string;
  /** A shared prefix (the repository brief), when the call sends one. */
  context?: string;
  prompt: string;
  /** Model calls, tool rounds included. */
  calls: number;
  /** Tokens of the final answer. */
  outputTokens: number;
}

const TOOL_RESULT_TOKENS = 1200;
const STEP_OUTPUT_TOKENS = 300;

export function estimatePlannerCalls(session: ModelSession, planned: readonly PlannedCall[]): CostEstimate {
  const spec = session.roles.planner?.spec;
  if (!spec || planned.length === 0) return { lines: [], totalUsd: 0, unpriced: false, assumptions: [] };
  const price = priceFor(spec, session.prices);
  const lines: EstimateLine[] = planned.map((call) => {
    const prefix = estimateTokens(`${call.system}${call.context ?? ''}${call.prompt}`);
    let inputTokens = 0;
    for (let step = 0; step < call.calls; step += 1)
      inputTokens += prefix + step * (TOOL_RESULT_TOKENS + STEP_OUTPUT_TOKENS);
    const outputTokens = (call.calls - 1) * STEP_OUTPUT_TOKENS + call.outputTokens;
    return {
      task: call.task,
      model: formatModelSpec(spec),
      calls: call.calls,
      inputTokens,
      outputTokens,
      costUsd: price ? (inputTokens * price.input + outputTokens * price.output) / 1_000_000 : null,
    };
  });
  return {
    lines,
    totalUsd: lines.reduce((sum, line) => sum + (line.costUsd ?? 0), 0),
    unpriced: price === undefined,
    assumptions: [
      'token counts are ~3.5 characters per token of the real prompts',
      `calls with tools read ~${TOOL_RESULT_TOKENS} tokens of code per extra round`,
      'an answer improve sends back once (a failed check) costs about one more call',
      'priced as uncached input',
    ],
  };
}
