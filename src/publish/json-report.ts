import type { AuditResult } from '../api/audit.ts';
import type { Plan } from '../plans/plan.ts';

export interface JsonPlanEntry {
  id: string;
  file: string;
  title: string;
  findings: string[];
}

/**
 * The machine-readable run: findings (all of them, not just the table's), direction, rejections,
 * what was not audited and which plans were written. Deterministic: no timings, no absolute paths.
 */
export function toJsonReport(
  result: AuditResult,
  plans: readonly Plan[],
  version: string,
  planFiles: readonly string[],
) {
  return {
    tool: { name: 'improve', version },
    repository: {
      head: result.profile.git.head ?? null,
      branch: result.profile.git.branch ?? null,
    },
    date: result.date,
    level: result.level,
    focus: result.focus,
    summary: {
      filesAudited: result.filesAudited,
      checks: result.detectorsRun,
      findings: result.findings.length,
      direction: result.direction.length,
      alreadyPlanned: result.alreadyPlanned.length,
      rejected: result.rejections.length,
      plansWritten: plans.length,
    },
    profile: {
      languages: result.profile.languages,
      packageManager: result.profile.packageManager ?? null,
      commands: result.profile.commands,
      missingCommands: result.profile.missingCommands,
      testFramework: result.profile.conventions.testFramework ?? null,
    },
    findings: result.findings,
    direction: result.direction,
    // Still in the code: each with its finding, so that --json holds every finding there is.
    alreadyPlanned: result.alreadyPlanned.map((a) => ({
      findingId: a.finding.id,
      planId: a.planId,
      finding: a.finding,
    })),
    rejections: result.rejections,
    notAudited: result.notAudited,
    plansDir: result.plans.relative,
    plans: plans.map(
      (plan, i): JsonPlanEntry => ({
        id: plan.id,
        file: planFiles[i] ?? '',
        title: plan.title,
        findings: plan.findings,
      }),
    ),
  };
}
