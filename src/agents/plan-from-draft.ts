/**
 * Merge a checked planner draft into the plan improve would write on its own. The deterministic
 * parts stay (numbering, front matter, commands table, git workflow, drift check, the first step
 * that confirms the quoted lines and the last that runs every check); the planner's judgment fills
 * the rest (why, excerpts, scope, steps, tests, done criteria, stop conditions, maintenance).
 */

import { uniqueBy } from '../core/unique-by.ts';
import type { Plan, PlanStep, ScopeIn, ScopeOut } from '../plans/plan.ts';
import { fenceLanguage, shellQuote } from '../plans/repo-facts.ts';
import type { PlanDraft } from './schemas.ts';

export function applyDraft(base: Plan, draft: PlanDraft): Plan {
  const scopeIn: ScopeIn[] = uniqueBy(
    [...draft.scopeIn, ...base.scope.in.filter((entry) => !draft.scopeIn.some((d) => d.path === entry.path))],
    (entry) => entry.path,
  );
  const inPaths = new Set(scopeIn.map((entry) => entry.path));
  const catchAll = base.scope.out.filter((entry) => entry.path === '**');
  const scopeOut: ScopeOut[] = uniqueBy(
    [...base.scope.out.filter((entry) => entry.path !== '**'), ...draft.scopeOut, ...catchAll].filter(
      (entry) => !inPaths.has(entry.path),
    ),
    (entry) => entry.path,
  );
  const first = base.steps[0];
  const last = base.steps[base.steps.length - 1];
  const steps: PlanStep[] = [
    ...(first ? [first] : []),
    ...draft.steps.map((step) => ({ title: step.title, detail: step.detail, verify: step.verify })),
    ...(last && last !== first ? [last] : []),
  ];
  const [, impact = '', foundBy = ''] = base.why.split('\n\n');
  // The first step confirms the finding's own lines, so they stay quoted whatever the draft cites.
  const primary = base.currentState[0];
  const covered = draft.currentState.some(
    (item) =>
      primary &&
      item.file === primary.file &&
      item.startLine <= primary.startLine &&
      item.endLine >= primary.endLine,
  );
  const drafted = draft.currentState.map((item) => ({ ...item, language: fenceLanguage(item.file) }));
  const drift = base.driftCheck;
  return {
    ...base,
    title: draft.title,
    why: [draft.why, impact, foundBy].filter((part) => part !== '').join('\n\n'),
    currentState: primary && !covered ? [primary, ...drafted] : drafted,
    scope: { in: scopeIn, out: scopeOut },
    steps,
    doneCriteria: uniqueBy([...base.doneCriteria, ...draft.doneCriteria], (c) => c.run),
    testPlan: { ...base.testPlan, cases: draft.testCases.length > 0 ? draft.testCases : base.testPlan.cases },
    stopConditions: uniqueBy([...base.stopConditions, ...draft.stopConditions], (s) => s),
    maintenance: uniqueBy([...draft.maintenance, ...base.maintenance], (s) => s),
    driftCheck:
      drift.command !== null && base.plannedAt.sha
        ? {
            command: `git diff --stat ${base.plannedAt.sha} -- ${scopeIn.map((e) => shellQuote(e.path)).join(' ')}`,
          }
        : drift,
  };
}
