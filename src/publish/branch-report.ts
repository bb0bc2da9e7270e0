import type { BranchAuditResult, BranchResult, FailOn } from '../api/branch.ts';
import type { Finding } from '../core/types.ts';
import type { Plan } from '../plans/plan.ts';
import { toJsonReport } from './json-report.ts';

/** `improve branch --json`: the audit report plus what was compared and the gate's verdict. */
export function toBranchJsonReport(
  result: BranchAuditResult,
  plans: readonly Plan[],
  version: string,
  planFiles: readonly string[],
  gate?: { level: FailOn; failures: readonly Finding[] },
) {
  const { branch } = result;
  const all = [...result.findings, ...result.alreadyPlanned.map((entry) => entry.finding)];
  return {
    ...toJsonReport(result, plans, version, planFiles),
    branch: {
      name: branch.name,
      base: branch.base.ref,
      mergeBase: branch.mergeBase,
      head: branch.head,
      commitsAhead: branch.commitsAhead,
      includeUncommitted: branch.includeUncommitted,
      changed: branch.changed,
      importers: branch.importers,
      introduced: all.filter((f) => f.introduced).length,
      preExisting: all.filter((f) => !f.introduced).length,
    },
    gate: gate
      ? { failOn: gate.level, failed: gate.failures.length > 0, findings: gate.failures.map((f) => f.id) }
      : null,
  };
}

/** `improve branch --json` when there was nothing to compare. */
export function skippedBranchJsonReport(
  skipped: Extract<BranchResult, { kind: 'skipped' }>,
  version: string,
) {
  return {
    tool: { name: 'improve', version },
    skipped: skipped.reason,
    branch: { name: skipped.branch, base: skipped.base.ref, commitsAhead: skipped.commitsAhead },
    findings: [],
    gate: null,
  };
}
