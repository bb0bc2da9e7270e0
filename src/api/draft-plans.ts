/**
 * With a planner, the plan content for each selected finding is written by the model, checked by
 * code and kept as a draft; `writeAuditPlans` merges the drafts into the plans it writes. Findings
 * whose draft failed (or that the budget or an interrupt left undrafted) get improve's own plan.
 */

import { writePlanWithModel } from '../agents/plan-writer.ts';
import { repoBrief } from '../agents/repo-brief.ts';
import { repoFiles } from '../agents/repo-tools.ts';
import type { PlanDraft } from '../agents/schemas.ts';
import { RepoReader } from '../audit/repo-reader.ts';
import { mapLimit } from '../core/map-limit.ts';
import { guidanceFor, pythonRepository } from '../detectors/guidance.ts';
import { DETECTORS } from '../detectors/index.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { buildPlan } from '../plans/build-plan.ts';
import type { AuditResult } from './audit.ts';
import type { Selection } from './select.ts';
import { planGroups } from './write-plans.ts';

export interface PlanDrafts {
  /** Checked drafts by finding id. */
  drafts: Map<string, PlanDraft>;
  /** What happened to the findings without a draft, one line each. */
  notes: string[];
}

const CONCURRENCY = 3;

export async function draftPlans(
  result: AuditResult,
  selection: Selection,
  session: ModelSession,
  options: { onProgress?: (stage: string, done?: number, total?: number) => void } = {},
): Promise<PlanDrafts> {
  const out: PlanDrafts = { drafts: new Map(), notes: [] };
  if (!session.has('planner') || session.dryRun || selection.findings.length === 0) return out;
  const reader = new RepoReader(result.root);
  const files = repoFiles(result.profile, reader);
  const context = repoBrief(result.profile, reader);
  const detectors = new Map(DETECTORS.map((d) => [d.id, d]));
  let done = 0;
  // One draft per plan: a finding with the others of its rule in its file, or of its systemic
  // problem in up to eight files (write-plans.ts, fix-groups.ts).
  const groups = planGroups(result, selection);
  options.onProgress?.('planner writing plans', 0, groups.length);
  await mapLimit(groups, CONCURRENCY, async ({ finding, places }, index) => {
    const detector = detectors.get(finding.ruleId);
    const ruleSteps =
      detector && guidanceFor(detector, finding.evidence[0]?.file, pythonRepository(result.profile)).steps;
    const base = buildPlan({
      finding,
      profile: result.profile,
      number: result.plans.loaded.nextNumber + index,
      date: result.date,
      ...(ruleSteps ? { steps: ruleSteps } : {}),
      places,
    });
    const outcome = await writePlanWithModel(session, {
      finding,
      base,
      profile: result.profile,
      files,
      context,
    });
    done += 1;
    options.onProgress?.('planner writing plans', done, groups.length);
    if (outcome.draft) {
      out.drafts.set(finding.id, outcome.draft);
      return;
    }
    const { structured } = outcome;
    const why =
      structured.stopped === 'budget'
        ? 'the --max-cost budget was reached'
        : structured.stopped === 'aborted'
          ? 'the run was interrupted'
          : (structured.problem ?? 'no answer').replace(/\s+/g, ' ');
    out.notes.push(`${finding.id} (${finding.title}): improve's own plan was used, because ${why}`);
  });
  return out;
}
