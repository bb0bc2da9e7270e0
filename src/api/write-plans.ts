import { applyDraft } from '../agents/plan-from-draft.ts';
import type { Finding } from '../core/types.ts';
import { DETECTORS } from '../detectors/index.ts';
import { formatCostDetails, formatCostLine } from '../llm/cost-summary.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { buildPlan } from '../plans/build-plan.ts';
import type { Plan } from '../plans/plan.ts';
import { writePlans } from '../plans/store.ts';
import { BASELINE_RULE } from '../rank/rank.ts';
import type { AuditResult } from './audit.ts';
import type { PlanDrafts } from './draft-plans.ts';
import type { Selection } from './select.ts';

export interface WriteAuditPlansOptions {
  /** Planner drafts (from draftPlans) merged into the plans of their findings. */
  drafts?: PlanDrafts;
  /** The run's model session: its cost goes into the index's run summary. */
  model?: ModelSession;
}

export interface WrittenPlans {
  plans: Plan[];
  /** Repo-relative paths of the files written (plans and index). */
  written: string[];
  /** Set when a damaged index was backed up before it was rewritten. */
  backup?: string;
}

const stepsByRule = new Map(DETECTORS.map((d) => [d.id, d.steps]));

function isOpen(plan: Plan): boolean {
  return plan.status.state === 'TODO' || plan.status.state === 'IN PROGRESS';
}

/**
 * Turn the selected findings into plans and write them with the index, numbering on from the
 * highest number ever used. Risky plans depend on the verification-baseline plan while it is open.
 */
export function writeAuditPlans(
  result: AuditResult,
  selection: Selection,
  options: WriteAuditPlansOptions = {},
): WrittenPlans {
  const loaded = result.plans.loaded;
  let number = loaded.nextNumber;
  const existingBaseline = loaded.plans.find(
    (plan) =>
      isOpen(plan) &&
      plan.findings.some((id) =>
        result.alreadyPlanned.some((a) => a.finding.id === id && a.finding.ruleId === BASELINE_RULE),
      ),
  );
  let baselineId = existingBaseline?.id;
  const ordered: Finding[] = [
    ...selection.findings.filter((f) => f.ruleId === BASELINE_RULE),
    ...selection.findings.filter((f) => f.ruleId !== BASELINE_RULE),
  ];
  const plans: Plan[] = [];
  for (const finding of ordered) {
    const risky = finding.risk !== 'LOW';
    const steps = stepsByRule.get(finding.ruleId);
    const plan = buildPlan({
      finding,
      profile: result.profile,
      number,
      date: result.date,
      ...(steps ? { steps } : {}),
      dependsOn: risky && baselineId && finding.ruleId !== BASELINE_RULE ? [baselineId] : [],
    });
    // A plan that adds a test needs a test command that runs tests: with none yet, it waits for
    // the plan that sets them up, whatever its risk.
    if (
      baselineId &&
      finding.ruleId !== BASELINE_RULE &&
      plan.testPlan.cases.length > 0 &&
      !plan.dependsOn.includes(baselineId)
    )
      plan.dependsOn.push(baselineId);
    if (finding.ruleId === BASELINE_RULE) baselineId = plan.id;
    const draft = options.drafts?.drafts.get(finding.id);
    plans.push(draft ? applyDraft(plan, draft) : plan);
    number += 1;
  }
  const outcome = writePlans(result.plans.dir, {
    plans,
    rejected: [...loaded.index.rejected, ...(result.llm?.rejected ?? [])],
    selectionNote: selection.note,
    runSummary: {
      date: result.date,
      sha: result.profile.git.head ?? null,
      level: result.level,
      findings: result.findings.length,
      planned: plans.length,
      rejected: result.rejections.length,
      cost: options.model ? formatCostLine(options.model.summary()) : 'no model used: $0.00',
      ...(options.model ? { costDetails: formatCostDetails(options.model.summary()) } : {}),
    },
  });
  return { plans, written: outcome.written, ...(outcome.backup ? { backup: outcome.backup } : {}) };
}
