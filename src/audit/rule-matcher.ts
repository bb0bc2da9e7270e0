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
  /** One native query for every node kind a compiled rule can match. */
  candidates: NapiConfig | undefined;
  /** Node kind → the compiled rules (by index) that can match it. */
  byKind: Map<string, number[]>;
}

const plans = new Map<Language, WeakMap<readonly NapiConfig[], Plan>>();
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

function planFor(language: Language, rules: readonly NapiConfig[]): Plan {
  let byList = plans.get(language);
  if (!byList) {
    byList = new WeakMap();
    plans.set(language, byList);
  }
  let plan = byList.get(rules);
  if (!plan) {
    const compiled = rules.map((rule) => (acceptedNatively(language, rule) ? compileRule(rule) : undefined));
    const byKind = new Map<string, number[]>();
    compiled.forEach((rule, index) => {
      for (const kind of rule?.kinds ?? []) byKind.set(kind, [...(byKind.get(kind) ?? []), index]);
    });
    const kinds = [...byKind.keys()].sort();
    plan = {
      compiled,
      candidates: kinds.length > 0 ? { rule: { any: kinds.map((kind) => ({ kind })) } } : undefined,
      byKind,
    };
    byList.set(rules, plan);
  }
  return plan;
}

/**
 * Run many rules over one tree in one native pass: a single query collects every node whose kind
 * some rule can match, and each rule's conditions are then checked on those nodes with memoised
 * look-ups. Rules outside the compiled subset run as their own native query. Results are the
 * same nodes, in the same order, as `root.findAll(rule)` for each rule.
 *
 * `rules` should be a stable array (the plan is cached per array).
 */
export function matchRules(root: SgNode, language: Language, rules: readonly NapiConfig[]): RuleMatches[] {
  const plan = planFor(language, rules);
  const results: RuleMatches[] = rules.map(() => ({ nodes: [] }));
  if (plan.candidates) {
    for (const node of root.findAll(plan.candidates)) {
      const view = new NodeView(node);
      for (const index of plan.byKind.get(view.kind()) ?? []) {
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
  return results;
}
