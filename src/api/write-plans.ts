import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyDraft } from '../agents/plan-from-draft.ts';
import { plural } from '../core/plural.ts';
import { redactLine } from '../core/redact.ts';
import type { Evidence, Finding } from '../core/types.ts';
import { guidanceFor, pythonRepository } from '../detectors/guidance.ts';
import { DETECTORS } from '../detectors/index.ts';
import { formatCostDetails, formatCostLine } from '../llm/cost-summary.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { buildPlan } from '../plans/build-plan.ts';
import type { Plan } from '../plans/plan.ts';
import { shellQuote } from '../plans/repo-facts.ts';
import { writePlans } from '../plans/store.ts';
import { BASELINE_RULE } from '../rank/rank.ts';
import type { AuditResult } from './audit.ts';
import type { PlanDrafts } from './draft-plans.ts';
import { FILES_PER_PLAN, fixGroups } from './fix-groups.ts';
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

const detectorsByRule = new Map(DETECTORS.map((d) => [d.id, d]));
const mergersByRule = new Map(DETECTORS.map((d) => [d.id, d.mergeDoneChecks]));

/** One plan to write: its finding (with every place), the ids it covers, and each place's evidence. */
export interface PlanGroup {
  finding: Finding;
  ids: string[];
  places: Evidence[];
}

/** A done check as one shell command list, to join with others by `&&`. */
function grouped(check: string): string {
  return check.includes('||') ? `{ ${check}; }` : check;
}

/**
 * The done check of several places in one file whose own checks are alike (the same line text at
 * each place: `return HttpResponseRedirect(next_page)` in two views): the lines the findings cite
 * hold fewer copies of their text by at least one per place, wherever each fix went (the line
 * that reads the value or the line that uses it). Undefined when the file or its lines cannot be
 * quoted.
 */
function placesCheck(root: string, file: string, group: readonly Finding[]): string | undefined {
  let lines: string[];
  try {
    lines = readFileSync(path.join(root, file), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const watched = new Set<string>();
  for (const finding of group) {
    for (const evidence of finding.evidence) {
      const text = evidence.file === file ? lines[evidence.startLine - 1]?.trim() : undefined;
      if (text && text.length >= 6 && redactLine(text) === text) watched.add(text);
    }
  }
  if (watched.size === 0) return undefined;
  const copies = [...watched].reduce(
    (sum, text) => sum + lines.filter((line) => line.includes(text)).length,
    0,
  );
  const counts = [...watched].map((text) => `$(grep -cF -- ${shellQuote(text)} ${shellQuote(file)})`);
  return `[ "$(( ${counts.join(' + ')} ))" -le ${copies - group.length} ]`;
}

/** The done check of one file's places: each finding's own check, or one count when they are alike. */
function fileCheck(root: string, file: string, group: readonly Finding[]): string | undefined {
  if (!group.every((finding) => finding.doneCheck !== undefined)) return undefined;
  const checks = [...new Set(group.map((finding) => finding.doneCheck ?? ''))];
  // Distinct checks each watch their own place; alike ones cannot tell the places apart.
  return checks.length === group.length ? checks.map(grouped).join(' && ') : placesCheck(root, file, group);
}

/** What the merged finding says about the other places it covers. */
function otherPlaces(
  first: Finding,
  rest: readonly Finding[],
  files: readonly string[],
  left: number,
): string {
  const file = first.evidence[0]?.file;
  if (files.length === 1) {
    const lines = rest.map((finding) => finding.evidence[0]?.startLine).filter((line) => line !== undefined);
    return `The same problem is at ${plural(rest.length, 'more place')} in this file (line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}): fix every one the same way.`;
  }
  const places = rest.map((finding) => {
    const at = finding.evidence[0];
    return at ? `${at.file === file ? 'line ' : `${at.file}:`}${at.startLine}` : '';
  });
  const later =
    left > 0
      ? ` ${plural(left, 'more file')} ${left === 1 ? 'has' : 'have'} it too: they are left for another plan (the next audit shows them as one row).`
      : '';
  return `The same problem is at ${plural(rest.length, 'more place')} (${places.join(', ')}), ${files.length} files in all: fix every one the same way.${later}`;
}

/**
 * Findings of one rule in one file are one thing to fix (three redirects from request data in one
 * views.py, four `pickle.loads` in one module): one plan covers them, listing every place, and is
 * done when every place is. So is the same small fix in many files (a request without a timeout in
 * thirty modules: see fix-groups.ts), up to FILES_PER_PLAN files per plan. A selected finding
 * brings along the others of its group that are not leads (the table shows two per file, and one
 * row for a systemic problem; the plan fixes all). Findings the branch introduced stay apart from
 * pre-existing ones. Returns each plan's finding (the first of its group, the highest ranked, with
 * every place) and the ids it covers.
 */
function sameFix(root: string, selected: readonly Finding[], all: readonly Finding[]): PlanGroup[] {
  const fixes = fixGroups(all);
  // Each group's findings, and the files they are in (a Set keeps first-seen order).
  const groups = new Map<string, { findings: Finding[]; files: Set<string> }>();
  const join = (group: { findings: Finding[]; files: Set<string> }, finding: Finding) => {
    group.findings.push(finding);
    const file = finding.evidence[0]?.file;
    if (file !== undefined) group.files.add(file);
  };
  for (const finding of selected) {
    const key = fixes.key(finding);
    let group = groups.get(key);
    if (!group) {
      group = { findings: [], files: new Set() };
      groups.set(key, group);
    }
    join(group, finding);
  }
  const taken = new Set(selected.map((finding) => finding.id));
  for (const finding of all) {
    if (taken.has(finding.id) || finding.confidence === 'LOW') continue;
    // A finding without a file, or the baseline, has a key of its own id: nothing else joins it.
    const group = groups.get(fixes.key(finding));
    if (!group) continue;
    const file = finding.evidence[0]?.file ?? '';
    if (!group.files.has(file) && group.files.size >= FILES_PER_PLAN) continue;
    join(group, finding);
    taken.add(finding.id);
  }
  return [...groups.values()].map(({ findings: group, files: fileSet }) => {
    const [first, ...rest] = group as [Finding, ...Finding[]];
    if (rest.length === 0) return { finding: first, ids: [first.id], places: [] };
    const seen = new Set<string>();
    const evidence = group
      .flatMap((finding) => finding.evidence)
      .filter((item) => {
        const key = `${item.file}:${item.startLine}-${item.endLine}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    const files = [...fileSet];
    const systemic = fixes.systemic(first);
    const left = systemic ? systemic.files.filter((file) => !fileSet.has(file)).length : 0;
    const merged: Finding = {
      ...first,
      evidence,
      message: `${first.message} ${otherPlaces(first, rest, files, left)}`,
    };
    // Distinct checks of a rule that can merge them become one command (one program, every place).
    const own = group.map((finding) => finding.doneCheck);
    const distinct = own.every((check) => check !== undefined) && new Set(own).size === own.length;
    const one = distinct ? mergersByRule.get(first.ruleId)?.(own as string[]) : undefined;
    const checks = one
      ? [one]
      : files.map((file) =>
          fileCheck(
            root,
            file,
            group.filter((finding) => finding.evidence[0]?.file === file),
          ),
        );
    if (checks.length === 1 && checks[0] !== undefined) merged.doneCheck = checks[0];
    else if (checks.every((check) => check !== undefined))
      merged.doneCheck = checks.map(grouped).join(' && ');
    else delete merged.doneCheck;
    const places = group.flatMap((finding) => finding.evidence.slice(0, 1));
    return { finding: merged, ids: group.map((finding) => finding.id), places };
  });
}

/**
 * The plans a selection becomes, in order: the verification baseline first, then each finding with
 * the others of its rule in its file (see sameFix). The planner drafts these, and they are written.
 */
export function planGroups(result: AuditResult, selection: Selection): PlanGroup[] {
  const ordered: Finding[] = [
    ...selection.findings.filter((f) => f.ruleId === BASELINE_RULE),
    ...selection.findings.filter((f) => f.ruleId !== BASELINE_RULE),
  ];
  return sameFix(result.profile.root, ordered, result.findings);
}

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
  const plans: Plan[] = [];
  for (const { finding, ids, places } of planGroups(result, selection)) {
    const risky = finding.risk !== 'LOW';
    const detector = detectorsByRule.get(finding.ruleId);
    const steps =
      detector && guidanceFor(detector, finding.evidence[0]?.file, pythonRepository(result.profile)).steps;
    const plan = buildPlan({
      finding,
      profile: result.profile,
      number,
      date: result.date,
      ...(steps ? { steps } : {}),
      places,
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
    plan.findings = ids;
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
