/**
 * improve as a library. Each command is one function that returns structured results and never
 * prints; the CLI in src/cli is a thin layer over these.
 */
export { builtinExecutor, registerBuiltinExecutor } from './agents/builtin-executor.ts';
export {
  type ExecutorAgentInput,
  type ExecutorAgentResult,
  runExecutorAgent,
} from './agents/executor-agent.ts';
export type { CritiqueOutcome, CritiqueProblem } from './agents/plan-critic.ts';
export {
  type ItemOutcome,
  type PlanOnceExecuteManyOptions,
  type PlanOnceExecuteManyResult,
  planOnceExecuteMany,
} from './agents/plan-once-execute-many.ts';
export { modelReviewer } from './agents/reviewer-agent.ts';
export { type AuditOptions, type AuditResult, audit } from './api/audit.ts';
export {
  auditBranch,
  type BranchAuditResult,
  type BranchInfo,
  type BranchOptions,
  type BranchResult,
  branchTable,
  type FailOn,
  gateFailures,
} from './api/branch.ts';
export { draftPlans, type PlanDrafts } from './api/draft-plans.ts';
export { type ExecuteOptions, type ExecuteResult, executePlan } from './api/execute.ts';
export { type ExecuteAllOptions, type ExecuteAllResult, executeAll } from './api/execute-all.ts';
export { type NextOptions, type NextResult, next } from './api/next.ts';
export { type PlanOneOptions, type PlanOneResult, planOne } from './api/plan-one.ts';
export {
  isSensitive,
  type PublishIssuesOptions,
  type PublishIssuesResult,
  publishIssues,
} from './api/publish-issues.ts';
export {
  type ReconcileEntry,
  type ReconcileOptions,
  type ReconcileResult,
  reconcile,
} from './api/reconcile.ts';
export { type ReviewOptions, type ReviewResult, reviewPlan } from './api/review.ts';
export { type ReviewPlanOptions, type ReviewPlanResult, reviewPlanFile } from './api/review-plan.ts';
export type { PlanFixResult } from './api/review-plan-model.ts';
export { defaultSelection, type Selection, selectByNumbers, selectTop } from './api/select.ts';
export { type StatusResult, status } from './api/status.ts';
export { type WriteAuditPlansOptions, type WrittenPlans, writeAuditPlans } from './api/write-plans.ts';
export { type Clock, fixedClock, systemClock } from './core/clock.ts';
export { EnvironmentError, ImproveError, UsageError } from './core/errors.ts';
export { redactSource, redactText } from './core/redact.ts';
export type * from './core/types.ts';
export { DETECTORS } from './detectors/index.ts';
export type { Detector, FileDetector, RawFinding, RepoDetector } from './detectors/types.ts';
export { executorNames, registerExecutor } from './execute/adapters/registry.ts';
export type {
  ExecutorAdapter,
  ExecutorReport,
  ExecutorRun,
  ExecutorRunInput,
  Review,
  ReviewModel,
  ReviewModelAnswer,
  ReviewModelInput,
  VerdictKind,
} from './execute/types.ts';
export { type AgentTool, defineTool } from './llm/agent-tool.ts';
export { type CostSummary, formatCostLine, type RoleCost, summarizeCosts } from './llm/cost-summary.ts';
export { CostLedger, type LedgerEntry } from './llm/ledger.ts';
export { ledgerPathFor } from './llm/ledger-path.ts';
export {
  type ModelRoles,
  ROLES,
  type RoleModel,
  type RoleName,
  type RoleSpecs,
  resolveModelRoles,
} from './llm/model-roles.ts';
export {
  type ConversationOptions,
  createModelSession,
  ModelSession,
  type ModelSessionOptions,
} from './llm/model-session.ts';
export { type ModelSpec, type ProviderName, parseModelSpec } from './llm/model-spec.ts';
export { type ModelPrice, priceFor } from './llm/prices.ts';
export { parsePlan } from './plans/parse-plan.ts';
export type { Plan } from './plans/plan.ts';
export { renderPlan } from './plans/render-plan.ts';
export type { IssueOutcome } from './publish/github-issues.ts';
export { toJsonReport } from './publish/json-report.ts';
export { branchSummary } from './publish/markdown-summary.ts';
export { toSarif } from './publish/sarif.ts';
export { recon } from './recon/recon.ts';
