import type { AuditResult } from '../api/audit.ts';
import type { Selection } from '../api/select.ts';
import { type WriteAuditPlansOptions, type WrittenPlans, writeAuditPlans } from '../api/write-plans.ts';
import type { Output } from './output.ts';

/** Write the selected findings as plans and say where they went (not when stdout carries JSON/SARIF). */
export function writeChosenPlans(
  result: AuditResult,
  selection: Selection | undefined,
  output: Output,
  machineOnStdout: boolean,
  /** Planner drafts and the model session, when a model wrote the plans. */
  planOptions: WriteAuditPlansOptions = {},
): WrittenPlans {
  if (result.plans.reason) output.info(result.plans.reason);
  if (!selection || selection.findings.length === 0) return { plans: [], written: [] };
  const written = writeAuditPlans(result, selection, planOptions);
  if (written.backup) output.warn(`the plans index was damaged; the original was kept as ${written.backup}`);
  if (!machineOnStdout) {
    const count = written.plans.length;
    output.result(
      `\nWrote ${count} plan${count === 1 ? '' : 's'} to ${result.plans.relative}/ (index: ${result.plans.relative}/README.md)`,
    );
    for (const plan of written.plans)
      output.result(`  ${result.plans.relative}/${plan.id}-${plan.slug}.md  ${plan.title}`);
    output.result(
      'Hand a plan to an executor: give it the plan file; it carries its own commands and checks.',
    );
  }
  return written;
}

/** Repo-relative plan file paths, for JSON reports. */
export function planFilesOf(result: AuditResult, written: WrittenPlans): string[] {
  return written.plans.map((plan) => `${result.plans.relative}/${plan.id}-${plan.slug}.md`);
}
