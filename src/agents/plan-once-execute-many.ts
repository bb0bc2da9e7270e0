/**
 * The plan/execute split as a library helper: one call on the capable (planner) model turns a list
 * of items into one precise spec per item; then the cheap (executor) model runs once per item with
 * only its spec. The result carries the run's cost and what it would have cost on the planner alone.
 */
import { z } from 'zod';
import { mapLimit } from '../core/map-limit.ts';
import { type CostSummary, summarizeCosts } from '../llm/cost-summary.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { askStructured } from './structured-reply.ts';

export interface PlanOnceExecuteManyOptions<Item, Result> {
  /** A session with a planner and an executor. */
  session: ModelSession;
  items: readonly Item[];
  /** The job, for the planner: what each item's spec must make the executor do. */
  instructions: string;
  /** How an item is shown to the models (default: its JSON). */
  describeItem?: (item: Item, index: number) => string;
  /** The executor's standing instructions (default: follow the spec, answer with the result only). */
  executorSystem?: string;
  /** Turn the executor's answer into a result; throw to mark the item failed. Default: the text. */
  parseResult?: (text: string, item: Item) => Result;
  /** Executor calls at once (default 4). */
  concurrency?: number;
}

export type ItemOutcome<Item, Result> =
  | { item: Item; spec: string; ok: true; value: Result }
  | { item: Item; spec?: string; ok: false; problem: string };

export interface PlanOnceExecuteManyResult<Item, Result> {
  outcomes: ItemOutcome<Item, Result>[];
  /** This helper's calls only: cost by role, and `plannerOnlyUsd` for the same work on the planner. */
  cost: CostSummary;
}

const SpecList = z.object({
  specs: z.array(z.object({ index: z.number().int().min(0), spec: z.string().trim().min(1) })),
});

const PLANNER_SYSTEM = [
  'You are the planner. For each item you get, write one precise, self-contained spec that a cheaper model will follow with no other context: what to produce, the exact format, the edge cases to watch.',
  'Answer with one JSON object and nothing else: {"specs": [{"index": 0, "spec": "…"}]} with one entry per item, by its index.',
].join('\n');

const EXECUTOR_SYSTEM =
  'You are the executor. Follow the spec exactly for the one item you are given. Answer with the result only, in the format the spec asks for.';

/** Without `parseResult` each result is the executor's text. */
export function planOnceExecuteMany<Item>(
  options: PlanOnceExecuteManyOptions<Item, string> & { parseResult?: undefined },
): Promise<PlanOnceExecuteManyResult<Item, string>>;
export function planOnceExecuteMany<Item, Result>(
  options: PlanOnceExecuteManyOptions<Item, Result> & { parseResult: (text: string, item: Item) => Result },
): Promise<PlanOnceExecuteManyResult<Item, Result>>;
export function planOnceExecuteMany<Item, Result>(
  options: PlanOnceExecuteManyOptions<Item, Result>,
): Promise<PlanOnceExecuteManyResult<Item, Result | string>> {
  return options.parseResult ? run(options, options.parseResult) : run(options, (text) => text);
}

async function run<Item, Result>(
  options: PlanOnceExecuteManyOptions<Item, unknown>,
  parse: (text: string, item: Item) => Result,
): Promise<PlanOnceExecuteManyResult<Item, Result>> {
  const { session, items } = options;
  const describe = options.describeItem ?? ((item: Item) => JSON.stringify(item));
  const start = session.ledger.entries().length;
  const planner = session.conversation({
    role: 'planner',
    task: 'plan-once',
    system: PLANNER_SYSTEM,
    maxOutputTokens: Math.min(32_000, 1000 + items.length * 400),
  });
  const listing = items.map((item, index) => `[${index}] ${describe(item, index)}`).join('\n');
  const planned = await askStructured(
    planner,
    `${options.instructions}\n\nItems:\n${listing}`,
    SpecList,
    (list) => {
      const missing = items.map((_, i) => i).filter((i) => !list.specs.some((s) => s.index === i));
      return missing.length > 0 ? [`no spec for item(s) ${missing.join(', ')}`] : [];
    },
  );
  const specs = new Map((planned.value?.specs ?? []).map((s) => [s.index, s.spec]));
  const outcomes = await mapLimit(
    items,
    options.concurrency ?? 4,
    async (item, index): Promise<ItemOutcome<Item, Result>> => {
      const spec = specs.get(index);
      if (spec === undefined)
        return { item, ok: false, problem: `the planner gave no spec (${planned.problem ?? 'missing'})` };
      const executor = session.conversation({
        role: 'executor',
        task: `execute-one:${index}`,
        system: options.executorSystem ?? EXECUTOR_SYSTEM,
        maxOutputTokens: 4000,
      });
      const reply = await executor.send(`Spec:\n${spec}\n\nItem:\n${describe(item, index)}`);
      if (reply.stopped) return { item, spec, ok: false, problem: reply.problem ?? reply.stopped };
      try {
        return { item, spec, ok: true, value: parse(reply.text, item) };
      } catch (error) {
        return { item, spec, ok: false, problem: error instanceof Error ? error.message : String(error) };
      }
    },
  );
  const plannerSpec = session.roles.planner?.spec;
  return {
    outcomes,
    cost: summarizeCosts(session.ledger.entries().slice(start), {
      ...(plannerSpec ? { planner: plannerSpec } : {}),
      prices: session.prices,
    }),
  };
}
