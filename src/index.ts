/**
 * improve as a library. Each command is one function that returns structured results and never
 * prints; the CLI in src/cli is a thin layer over these.
 */
export { type AuditOptions, type AuditResult, audit } from './api/audit.ts';
export { defaultSelection, type Selection, selectByNumbers, selectTop } from './api/select.ts';
export { type WrittenPlans, writeAuditPlans } from './api/write-plans.ts';
export { type Clock, fixedClock, systemClock } from './core/clock.ts';
export { EnvironmentError, ImproveError, UsageError } from './core/errors.ts';
export { redactSource, redactText } from './core/redact.ts';
export type * from './core/types.ts';
export { DETECTORS } from './detectors/index.ts';
export type { Detector, FileDetector, RawFinding, RepoDetector } from './detectors/types.ts';
export { parsePlan } from './plans/parse-plan.ts';
export type { Plan } from './plans/plan.ts';
export { renderPlan } from './plans/render-plan.ts';
export { toJsonReport } from './publish/json-report.ts';
export { toSarif } from './publish/sarif.ts';
export { recon } from './recon/recon.ts';
