/**
 * `--dry-run`: what an LLM audit would cost, from the real prompts of this repository (the
 * system prompts, the repository brief, each auditor's leads) and stated assumptions about how many
 * tool rounds each call takes. Nothing is sent anywhere.
 */
import type { RepoReader } from '../audit/repo-reader.ts';
import type { AuditLevel, Category, Finding, RepoProfile } from '../core/types.ts';
import { estimateTokens } from '../llm/conversation.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { formatModelSpec } from '../llm/model-spec.ts';
import { priceFor } from '../llm/prices.ts';
import { auditClusters } from './audit-clusters.ts';
import { AUDITOR_SYSTEM, auditorPrompt } from './auditor.ts';
import { PLAN_SYSTEM } from './plan-writer.ts';
import { repoBrief } from './repo-brief.ts';
import { VET_SYSTEM } from './vetter.ts';

export interface EstimateLine {
  task: string;
  model: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Null when the model has no price. */
  costUsd: number | null;
}

export interface CostEstimate {
  lines: EstimateLine[];
  totalUsd: number;
  unpriced: boolean;
  assumptions: string[];
}

const AUDITOR_STEPS = 6;
const TOOL_RESULT_TOKENS = 1200;
const STEP_OUTPUT_TOKENS = 300;
const FINAL_OUTPUT_TOKENS = 1500;
const CANDIDATES_PER_AUDITOR = 3;
const CANDIDATE_TOKENS = 500;
const PLAN_STEPS = 3;
const PLAN_PROMPT_TOKENS = 2500;
const PLAN_OUTPUT_TOKENS = 3000;

/** Input tokens of a tool loop: the prefix each call, plus tool results that pile up. */
function loopInput(prefix: number, steps: number): number {
  let total = 0;
  for (let step = 0; step < steps; step += 1)
    total += prefix + step * (TOOL_RESULT_TOKENS + STEP_OUTPUT_TOKENS);
  return total;
}

type LineOf = (task: string, calls: number, inputTokens: number, outputTokens: number) => EstimateLine;

/** The planner's price and the repository brief every planner call carries; undefined: no planner. */
function plannerLines(input: {
  session: ModelSession;
  profile: RepoProfile;
  reader: RepoReader;
}): { brief: number; line: LineOf; priced: boolean } | undefined {
  const spec = input.session.roles.planner?.spec;
  if (!spec) return undefined;
  const price = priceFor(spec, input.session.prices);
  const model = formatModelSpec(spec);
  const line: LineOf = (task, calls, inputTokens, outputTokens) => ({
    task,
    model,
    calls,
    inputTokens,
    outputTokens,
    costUsd: price ? (inputTokens * price.input + outputTokens * price.output) / 1_000_000 : null,
  });
  return { brief: estimateTokens(repoBrief(input.profile, input.reader)), line, priced: price !== undefined };
}

export function estimateLlmAudit(input: {
  session: ModelSession;
  profile: RepoProfile;
  reader: RepoReader;
  level: AuditLevel;
  focus: readonly Category[];
  leads: readonly Finding[];
  plans: number;
}): CostEstimate {
  const planner = plannerLines(input);
  if (!planner) return { lines: [], totalUsd: 0, unpriced: false, assumptions: [] };
  const { brief, line, priced } = planner;
  const lines: EstimateLine[] = [];
  const clusters = auditClusters(input.level, input.focus);
  for (const cluster of clusters) {
    const prefix =
      estimateTokens(AUDITOR_SYSTEM) + brief + estimateTokens(auditorPrompt(cluster, input.leads));
    lines.push(
      line(
        `auditor ${cluster.name}`,
        AUDITOR_STEPS,
        loopInput(prefix, AUDITOR_STEPS),
        (AUDITOR_STEPS - 1) * STEP_OUTPUT_TOKENS + FINAL_OUTPUT_TOKENS,
      ),
    );
  }
  if (clusters.length > 0) {
    const prefix =
      estimateTokens(VET_SYSTEM) + brief + clusters.length * CANDIDATES_PER_AUDITOR * CANDIDATE_TOKENS;
    lines.push(line('planner vetting', 2, loopInput(prefix, 2), STEP_OUTPUT_TOKENS + FINAL_OUTPUT_TOKENS));
  }
  if (input.plans > 0) {
    const prefix = estimateTokens(PLAN_SYSTEM) + brief + PLAN_PROMPT_TOKENS;
    lines.push(
      line(
        `plan writing (${input.plans} plan${input.plans === 1 ? '' : 's'})`,
        input.plans * PLAN_STEPS,
        input.plans * loopInput(prefix, PLAN_STEPS),
        input.plans * ((PLAN_STEPS - 1) * STEP_OUTPUT_TOKENS + PLAN_OUTPUT_TOKENS),
      ),
    );
  }
  return {
    lines,
    totalUsd: lines.reduce((sum, l) => sum + (l.costUsd ?? 0), 0),
    unpriced: !priced,
    assumptions: [
      `token counts are ~${'3.5'} characters per token of the real prompts (repository brief: ~${brief.toLocaleString('en-US')} tokens)`,
      `each auditor makes ~${AUDITOR_STEPS} calls (tool rounds), reading ~${TOOL_RESULT_TOKENS} tokens of code per round, and reports ~${CANDIDATES_PER_AUDITOR} findings`,
      `each plan takes ~${PLAN_STEPS} calls`,
      'priced as uncached input: prompt caching (Anthropic, OpenAI) makes repeated prefixes cheaper',
    ],
  };
}

/** `improve plan --dry-run` and `improve next --dry-run`: one investigation, and for plan one draft. */
export function estimateSingle(input: {
  session: ModelSession;
  profile: RepoProfile;
  reader: RepoReader;
  task: 'plan' | 'next';
  system: string;
}): CostEstimate {
  const planner = plannerLines(input);
  if (!planner) return { lines: [], totalUsd: 0, unpriced: false, assumptions: [] };
  const { brief, line, priced } = planner;
  const prefix = estimateTokens(input.system) + brief;
  const lines = [
    line(
      input.task === 'plan' ? 'investigation' : 'direction',
      AUDITOR_STEPS,
      loopInput(prefix, AUDITOR_STEPS),
      (AUDITOR_STEPS - 1) * STEP_OUTPUT_TOKENS + FINAL_OUTPUT_TOKENS,
    ),
  ];
  if (input.task === 'plan') {
    const planPrefix = estimateTokens(PLAN_SYSTEM) + brief + PLAN_PROMPT_TOKENS;
    lines.push(
      line(
        'plan writing',
        PLAN_STEPS,
        loopInput(planPrefix, PLAN_STEPS),
        (PLAN_STEPS - 1) * STEP_OUTPUT_TOKENS + PLAN_OUTPUT_TOKENS,
      ),
    );
  }
  return {
    lines,
    totalUsd: lines.reduce((sum, l) => sum + (l.costUsd ?? 0), 0),
    unpriced: !priced,
    assumptions: [
      `token counts are ~3.5 characters per token of the real prompts (repository brief: ~${brief.toLocaleString('en-US')} tokens)`,
      `the investigation makes ~${AUDITOR_STEPS} calls, reading ~${TOOL_RESULT_TOKENS} tokens of code per round`,
      'priced as uncached input',
    ],
  };
}
