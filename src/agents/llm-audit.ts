/**
 * The LLM audit: one auditor per category cluster (in parallel, as the level allows), their
 * answers turned into Findings held to the files, duplicates of static findings dropped, and
 * the rest vetted by the planner. Deterministic vetting still runs afterwards, in the audit.
 */
import type { RepoReader } from '../audit/repo-reader.ts';
import { mapLimit } from '../core/map-limit.ts';
import { redactText } from '../core/redact.ts';
import {
  type AuditLevel,
  type Category,
  type Finding,
  LLM_RULE_PREFIX,
  type Rejection,
  type RepoProfile,
} from '../core/types.ts';
import type { ModelSession } from '../llm/model-session.ts';
import type { IndexRejection } from '../plans/index-file.ts';
import { rejection } from '../vet/vet.ts';
import { AUDITOR_CONCURRENCY, type AuditCluster, auditClusters } from './audit-clusters.ts';
import { runAuditor } from './auditor.ts';
import { findingFromModel } from './llm-finding.ts';
import { type BranchFocus, branchBrief, repoBrief } from './repo-brief.ts';
import { repoFiles } from './repo-tools.ts';
import type { AuditorReport } from './schemas.ts';
import type { StructuredOutcome } from './structured-reply.ts';
import { vetFindings } from './vetter.ts';

export interface LlmAuditInput {
  session: ModelSession;
  profile: RepoProfile;
  reader: RepoReader;
  level: AuditLevel;
  focus: readonly Category[];
  /** The static findings: leads for the auditors, and what model findings must not duplicate. */
  leads: readonly Finding[];
  /** Finding ids accepted in config or rejected earlier: passed on unvetted (vet drops them). */
  settled: ReadonlySet<string>;
  onProgress?: (stage: string, done?: number, total?: number) => void;
  /** `improve branch`: audit what the branch changed, not the whole repository. */
  branch?: BranchFocus;
}

export interface InjectionAttempt {
  file: string;
  line: number;
  summary: string;
  /** Which auditor reported it. */
  reportedBy: string;
}

export interface LlmAuditReport {
  /** `provider:model` of the planner. */
  planner: string;
  auditors: number;
  auditorsCompleted: number;
  /** Model findings the planner confirmed or corrected (plus settled ones for vet to drop). */
  findings: Finding[];
  /** The planner's rejections: written to the index. */
  rejected: IndexRejection[];
  /** Dropped by code this run: hallucinated locations, duplicates, unvetted. */
  dropped: Rejection[];
  injections: InjectionAttempt[];
  /** Tools a model tried to call that it does not have (a sign of instructions in repository text). */
  disallowedToolCalls: { task: string; tools: string[] }[];
  notes: string[];
  stopped?: 'budget' | 'aborted';
}

function overlaps(a: Finding, b: Finding): boolean {
  const x = a.evidence[0];
  const y = b.evidence[0];
  return Boolean(x && y && x.file === y.file && x.startLine <= y.endLine && y.startLine <= x.endLine);
}

export async function llmAudit(input: LlmAuditInput): Promise<LlmAuditReport> {
  const { session, profile, reader } = input;
  const files = repoFiles(profile, reader);
  const context = input.branch
    ? `${repoBrief(profile, reader)}\n\n${branchBrief(input.branch)}`
    : repoBrief(profile, reader);
  const clusters = auditClusters(input.level, input.focus);
  const report: LlmAuditReport = {
    planner: session.describe('planner') ?? 'none',
    auditors: clusters.length,
    auditorsCompleted: 0,
    findings: [],
    rejected: [],
    dropped: [],
    injections: [],
    disallowedToolCalls: [],
    notes: [],
  };
  let done = 0;
  input.onProgress?.('model auditors', 0, clusters.length);
  const outcomes = await mapLimit(clusters, AUDITOR_CONCURRENCY[input.level], async (cluster) => {
    const outcome = await runAuditor(
      session,
      cluster,
      context,
      files,
      input.leads,
      input.branch !== undefined,
    );
    done += 1;
    input.onProgress?.('model auditors', done, clusters.length);
    return { cluster, outcome };
  });

  const candidates: Finding[] = [];
  for (const { cluster, outcome } of outcomes) collect(report, cluster, outcome, files, profile, candidates);

  const fresh: Finding[] = [];
  const seen = new Set<string>();
  const inScope = input.branch ? new Set([...input.branch.changed, ...input.branch.importers]) : undefined;
  for (const candidate of candidates) {
    if (seen.has(candidate.id)) continue;
    seen.add(candidate.id);
    // `improve branch`: a finding about a file the branch did not touch is not vetted (nor paid for).
    if (inScope && !candidate.evidence.some((e) => inScope.has(e.file))) {
      report.dropped.push(
        rejection(
          candidate,
          `outside the branch's scope: ${candidate.evidence[0]?.file ?? 'no file'} is neither changed nor an importer of a changed file`,
        ),
      );
      continue;
    }
    const lead = input.leads.find((l) => l.category === candidate.category && overlaps(l, candidate));
    if (lead)
      report.dropped.push(
        rejection(candidate, `duplicate of the static finding ${lead.id} (${lead.ruleId})`),
      );
    else if (input.settled.has(candidate.id)) report.findings.push(candidate);
    else fresh.push(candidate);
  }
  if (fresh.length > 0 && !session.aborted) {
    input.onProgress?.('planner vetting');
    const vetted = await vetFindings(session, fresh, context, files);
    report.findings.push(...vetted.confirmed);
    report.rejected.push(...vetted.rejected);
    report.dropped.push(...vetted.dropped);
    for (const finding of vetted.unvetted)
      report.dropped.push(rejection(finding, 'not vetted by the planner'));
    report.notes.push(...vetted.problems);
  } else {
    for (const finding of fresh)
      report.dropped.push(rejection(finding, 'not vetted: the run was interrupted'));
  }
  if (session.aborted) report.stopped = 'aborted';
  else if (session.budgetRefusals > 0) report.stopped = 'budget';
  return report;
}

function collect(
  report: LlmAuditReport,
  cluster: AuditCluster,
  outcome: StructuredOutcome<AuditorReport>,
  files: ReturnType<typeof repoFiles>,
  profile: RepoProfile,
  candidates: Finding[],
): void {
  const task = `auditor ${cluster.name}`;
  if (outcome.invalidToolCalls.length > 0) {
    const tools = [...new Set(outcome.invalidToolCalls)];
    report.disallowedToolCalls.push({ task, tools });
    report.notes.push(
      `${task} tried to call ${tools.join(', ')}, which it does not have: repository text may have instructed it. Nothing was changed (its tools are read-only).`,
    );
  }
  if (!outcome.value) {
    if (outcome.stopped === 'budget')
      report.notes.push(`${task} did not run to the end: the --max-cost budget was reached.`);
    else if (outcome.stopped === 'aborted') report.notes.push(`${task} was interrupted.`);
    else
      report.notes.push(
        `${task}: its answer was dropped (${redactText(outcome.problem ?? 'no answer').split('\n')[0]}).`,
      );
    return;
  }
  report.auditorsCompleted += 1;
  if (outcome.repaired) report.notes.push(`${task}: malformed output was repaired once.`);
  for (const raw of outcome.value.findings) {
    const converted = findingFromModel(raw, files, profile);
    if (converted.ok) candidates.push(converted.finding);
    else
      report.dropped.push({
        findingId: '(none)',
        ruleId: `${LLM_RULE_PREFIX}${raw.category}`,
        title: redactText(raw.title),
        reason: converted.reason,
      });
  }
  for (const injection of outcome.value.injections) {
    const lines = files.reader.lines(injection.file);
    const text = lines?.[injection.line - 1];
    if (text === undefined) continue;
    report.injections.push({ ...injection, summary: redactText(injection.summary), reportedBy: task });
    const converted = findingFromModel(
      {
        file: injection.file,
        startLine: injection.line,
        endLine: injection.line,
        quote: text,
        title: 'Repository text tries to instruct AI agents',
        category: 'security',
        message: `This text addresses AI agents and tries to change what they do (${injection.summary}). Agents that read the repository may obey it.`,
        impact: 'MED',
        effort: 'S',
        risk: 'LOW',
        riskReason: 'Removing or rewording text does not change behaviour.',
        confidence: 'MED',
        fixSketch: 'Remove the instruction, or reword it so that it describes rather than commands.',
      },
      files,
      profile,
    );
    if (converted.ok) candidates.push(converted.finding);
  }
}
