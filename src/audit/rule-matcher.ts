import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { Language } from '../core/types.ts';
import { type CompiledRule, compileRule } from './compile-rule.ts';
import { NodeView } from './node-view.ts';
import { parseSource } from './parse.ts';

/** The matches of one rule in one file, in tree order, or the error ast-grep raised for it. */
export type RuleMatches = { nodes: SgNode[] } | { error: unknown };

interface Plan {
  /** Per rule: its compiled form, or undefined to let ast-grep run it natively. */
  compiled: (CompiledRule | undefined)[];
  /** One native query for every node kind a compiled rule can match, and the folded walks. */
  candidates: NapiConfig | undefined;
  /** The same query with each compiled rule in full instead of its kinds (see NARROW_FROM_BYTES). */
  narrow: NapiConfig | undefined;
  /** Node kind → the compiled rules (by index) that can match it. */
  byKind: Map<string, number[]>;
  /** Node kind → the folded walks (by index into the walks) that every node of that kind matched. */
  walksByKind: Map<string, number[]>;
  /** Per walk: whether it is folded into `candidates`. */
  folded: boolean[];
}

const plans = new Map<Language, WeakMap<readonly NapiConfig[], WeakMap<readonly NapiConfig[], Plan>>>();
const NO_WALKS: readonly NapiConfig[] = [];
/**
 * From this size of file on, the one native query asks for each compiled rule in full rather than
 * for its node kinds, so that only nodes some rule matches cross into JavaScript. Each call
 * compiles the rules' regexes again (4–8 ms for a file that needs every built-in rule, whatever
 * its size), while each candidate node handed over costs about 5–10 µs (a node object, its kind,
 * a field, a text): below this size the bare kinds are cheaper. On the benchmark corpus a switch at
 * 32 or 64 KB took about 3% off the cold audit (decision record 006).
 */
export const NARROW_FROM_BYTES = 48 * 1024;
const validated = new Map<Language, WeakMap<NapiConfig, boolean>>();

/** Whether ast-grep accepts the rule for this language (unknown kinds and bad regexes throw). */
function acceptedNatively(language: Language, rule: NapiConfig): boolean {
  let byRule = validated.get(language);
  if (!byRule) {
    byRule = new WeakMap();
    validated.set(language, byRule);
  }
  let ok = byRule.get(rule);
  if (ok === undefined) {
    try {
      parseSource(language, '')?.root().findAll(rule);
      ok = true;
    } catch {
      ok = false;
    }
    byRule.set(rule, ok);
  }
  return ok;
}

/** Whether every branch of the rule is a bare `kind` (so every node of those kinds matches it). */
function bareKinds(rule: unknown): boolean {
  if (typeof rule !== 'object' || rule === null) return false;
  const keys = Object.keys(rule);
  if (keys.length === 1 && keys[0] === 'kind') return typeof (rule as { kind: unknown }).kind === 'string';
  const any = (rule as { any?: unknown }).any;
  return keys.length === 1 && keys[0] === 'any' && Array.isArray(any) && any.every(bareKinds);
}

/**
 * Which walks can join the candidates' query: one whose nodes can be told apart from the rest by
 * their kind alone. A walk of bare kinds always can (every node of those kinds is one of its
 * nodes); another can when no other part of the query can match its kinds (then a node of such a
 * kind came back because of the walk, and matched it). The walk must be valid for the language.
 */
function foldable(language: Language, walks: readonly NapiConfig[], candidateKinds: ReadonlySet<string>) {
  const kinds = walks.map((walk) =>
    Object.keys(walk).every((key) => key === 'rule') && acceptedNatively(language, walk)
      ? compileRule(walk)?.kinds
      : undefined,
  );
  return walks.map((walk, index) => {
    const own = kinds[index];
    if (!own) return undefined;
    if (bareKinds(walk.rule)) return own;
    // The same walk twice (two detectors sharing one query object) is still one walk.
    const elsewhere = (kind: string) =>
      candidateKinds.has(kind) || kinds.some((other, at) => walks[at] !== walk && other?.has(kind));
    return [...own].some(elsewhere) ? undefined : own;
  });
}

function planFor(language: Language, rules: readonly NapiConfig[], walks: readonly NapiConfig[]): Plan {
  let byList = plans.get(language);
  if (!byList) {
    byList = new WeakMap();
    plans.set(language, byList);
  }
  let byWalks = byList.get(rules);
  if (!byWalks) {
    byWalks = new WeakMap();
    byList.set(rules, byWalks);
  }
  let plan = byWalks.get(walks);
  if (!plan) {
    const compiled = rules.map((rule) => (acceptedNatively(language, rule) ? compileRule(rule) : undefined));
    const byKind = new Map<string, number[]>();
    compiled.forEach((rule, index) => {
      for (const kind of rule?.kinds ?? []) byKind.set(kind, [...(byKind.get(kind) ?? []), index]);
    });
    const kinds = [...byKind.keys()].sort();
    const walkKinds = foldable(language, walks, new Set(kinds));
    const walksByKind = new Map<string, number[]>();
    const first = (index: number) => walks.indexOf(walks[index] as NapiConfig) === index;
    walkKinds.forEach((own, index) => {
      if (!first(index)) return;
      for (const kind of own ?? []) walksByKind.set(kind, [...(walksByKind.get(kind) ?? []), index]);
    });
    const folded = walks.flatMap((walk, index) => (walkKinds[index] && first(index) ? [walk.rule] : []));
    const branches = [...kinds.map((kind) => ({ kind })), ...folded];
    // A node comes back when some rule or walk matches it, so each rule's test below still sees
    // every node it matches, and a folded walk's kinds still say which nodes are its own.
    const full = [
      ...compiled.flatMap((rule, index) => (rule && rules[index] ? [rules[index].rule] : [])),
      ...folded,
    ];
    plan = {
      compiled,
      candidates: branches.length > 0 ? { rule: { any: branches } } : undefined,
      narrow: full.length > 0 ? { rule: { any: full } } : undefined,
      byKind,
      walksByKind,
      folded: walkKinds.map((own) => own !== undefined),
    };
    byWalks.set(walks, plan);
  }
  return plan;
}

/**
 * Run many rules over one tree in one native pass: a single query collects every node whose kind
 * some rule can match, and each rule's conditions are then checked on those nodes with memoised
 * look-ups. Rules outside the compiled subset run as their own native query. Results are the
 * same nodes, in the same order, as `root.findAll(rule)` for each rule.
 *
 * `walks`, whole-file queries detectors make themselves (`FileDetector.walks`), join that one
 * query where their nodes can be told apart (see `foldable`); `walked` holds their nodes, the
 * same as `root.findAll(walk)` would give, and leaves out the walks that could not join.
 *
 * `rules` and `walks` should be stable arrays (the plan is cached per pair). `narrowFrom` is the
 * file size from which the query names the rules in full (NARROW_FROM_BYTES); the matches are
 * the same either way.
 */
export function matchAll(
  root: SgNode,
  language: Language,
  rules: readonly NapiConfig[],
  walks: readonly NapiConfig[] = NO_WALKS,
  narrowFrom = NARROW_FROM_BYTES,
): { matches: RuleMatches[]; walked: Map<NapiConfig, SgNode[]> } {
  const plan = planFor(language, rules, walks);
  const results: RuleMatches[] = rules.map(() => ({ nodes: [] }));
  const walked = new Map<NapiConfig, SgNode[]>();
  walks.forEach((walk, index) => {
    if (plan.folded[index]) walked.set(walk, []);
  });
  const query = root.range().end.index >= narrowFrom ? plan.narrow : plan.candidates;
  if (query) {
    for (const node of root.findAll(query)) {
      const view = new NodeView(node);
      const kind = view.kind();
      for (const index of plan.walksByKind.get(kind) ?? [])
        walked.get(walks[index] as NapiConfig)?.push(node);
      for (const index of plan.byKind.get(kind) ?? []) {
        const result = results[index];
        if (!result || !('nodes' in result)) continue;
        try {
          if (plan.compiled[index]?.test(view)) result.nodes.push(node);
        } catch (error) {
          results[index] = { error };
        }
      }
    }
  }
  plan.compiled.forEach((compiled, index) => {
    if (compiled) return;
    try {
      results[index] = { nodes: root.findAll(rules[index] as NapiConfig) };
    } catch (error) {
      results[index] = { error };
    }
  });
  return { matches: results, walked };
}

/** `matchAll` without walks: each rule's matches, as `root.findAll(rule)` gives them. */
export function matchRules(
  root: SgNode,
  language: Language,
  rules: readonly NapiConfig[],
  narrowFrom = NARROW_FROM_BYTES,
): RuleMatches[] {
  return matchAll(root, language, rules, NO_WALKS, narrowFrom).matches;
}
