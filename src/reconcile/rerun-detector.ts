/** Re-run the detector that produced a plan, over the plan's files in a checkout, to see if the problem is still there. */
import { runDetectors } from '../audit/run-detectors.ts';
import type { Finding, RepoProfile } from '../core/types.ts';
import { DETECTORS } from '../detectors/index.ts';
import type { Plan } from '../plans/plan.ts';
import { recon } from '../recon/recon.ts';

export type DetectorVerdict =
  | { kind: 'present'; findingIds: string[]; findings: Finding[] }
  | { kind: 'gone' }
  | { kind: 'unknown'; reason: string };

/** The rule a plan was written for, from its "Why this matters" (`Found by rule \`id\``). */
export function planRuleId(plan: Pick<Plan, 'why' | 'maintenance'>): string | undefined {
  const text = [plan.why, ...plan.maintenance].join('\n');
  return /(?:Found by rule|Rule) `([a-z0-9-]+\/[a-z0-9-]+)`/.exec(text)?.[1];
}

/**
 * The findings of the plan's rule in `dir`: over the plan's cited files for a file rule.
 * `profileOf` maps `dir` (recon); a run that checks many plans in one checkout passes one that
 * maps it once.
 */
export async function planRuleFindings(
  dir: string,
  plan: Plan,
  renamed: ReadonlyMap<string, string> = new Map(),
  profileOf: (dir: string) => Promise<RepoProfile> = (at) => recon(at),
): Promise<{ kind: 'ran'; ruleId: string; findings: Finding[] } | { kind: 'unknown'; reason: string }> {
  const ruleId = planRuleId(plan);
  const detector = DETECTORS.find((item) => item.id === ruleId);
  if (!ruleId || !detector) {
    return {
      kind: 'unknown',
      reason: ruleId ? `rule ${ruleId} is not a built-in detector` : 'the plan names no rule',
    };
  }
  const profile = await profileOf(dir);
  const cited = citedFiles(plan, renamed);
  const files = detector.scope === 'file' && cited.size > 0 ? cited : undefined;
  const run = runDetectors(profile, [detector], { level: 'deep', focus: [], ...(files ? { files } : {}) });
  if (run.errors.length > 0)
    return { kind: 'unknown', reason: `the detector failed: ${run.errors[0]?.message}` };
  return { kind: 'ran', ruleId, findings: run.findings };
}

/** The files the plan cites, and where git sees any of them moved (`renamed`: old → new path). */
function citedFiles(plan: Pick<Plan, 'currentState'>, renamed: ReadonlyMap<string, string>): Set<string> {
  const files = new Set(plan.currentState.map((excerpt) => excerpt.file));
  for (const file of [...files]) {
    const target = renamed.get(file);
    if (target !== undefined) files.add(target);
  }
  return files;
}

/**
 * `present` when the plan's finding (by id) or any finding of the same rule in the plan's cited
 * files (or where git saw them moved, `renamed`) is found in `dir`; `gone` when neither is; `unknown` when the rule cannot be run.
 */
export async function rerunDetector(
  dir: string,
  plan: Plan,
  renamed: ReadonlyMap<string, string> = new Map(),
  profileOf?: (dir: string) => Promise<RepoProfile>,
): Promise<DetectorVerdict> {
  const run = await planRuleFindings(dir, plan, renamed, profileOf);
  if (run.kind === 'unknown') return run;
  const cited = citedFiles(plan, renamed);
  const same = run.findings.filter(
    (finding) =>
      plan.findings.includes(finding.id) ||
      (cited.size > 0 && finding.evidence.some((evidence) => cited.has(evidence.file))),
  );
  return same.length > 0
    ? { kind: 'present', findingIds: same.map((finding) => finding.id), findings: same }
    : { kind: 'gone' };
}
