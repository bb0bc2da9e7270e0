/**
 * The planner vets what the auditors found: for each candidate it sees the claim and the cited
 * lines as they are on disk now, and confirms, corrects or rejects it with a reason. Corrections
 * are held to the file like any citation; rejections go to the index.
 */
import { makeEvidence, normaliseForId } from '../audit/build-finding.ts';
import { shortHash } from '../core/hash.ts';
import { redactText } from '../core/redact.ts';
import type { Finding, Rejection } from '../core/types.ts';
import type { ModelSession } from '../llm/model-session.ts';
import type { IndexRejection } from '../plans/index-file.ts';
import { locate } from './cited-lines.ts';
import { asData, DATA_RULES, numbered } from './prompt-data.ts';
import { type RepoFiles, repoTools } from './repo-tools.ts';
import { VetReport, type VetVerdict } from './schemas.ts';
import { askStructured } from './structured-reply.ts';

const BATCH = 15;

export const VET_SYSTEM = [
  'You are the planner of `improve`. Auditors reported the candidate findings below; you decide which ones are real.',
  'For each candidate you are shown the claim and the cited lines exactly as they are on disk now. You may use the read-only tools to read the surrounding code.',
  '',
  DATA_RULES,
  '',
  'For every candidate give one verdict:',
  '- "confirm": the claim is true, specific and worth a plan.',
  '- "correct": the problem is real but the title, the ratings or the cited lines need fixing. Give only the fields to change in "correction"; new lines need "startLine", "endLine" and a "quote" copied exactly from them.',
  '- "reject": wrong, speculative, not worth an executor’s time, or something the intent documents deliberately accept. Say why in one sentence.',
  '',
  'Answer with one JSON object and nothing else:',
  '{"verdicts": [{"id": "F-…", "verdict": "confirm|correct|reject", "reason": "one sentence", "correction": {"title": "…", "startLine": 1, "endLine": 2, "quote": "…", "impact": "HIGH|MED|LOW", "confidence": "HIGH|MED|LOW", "effort": "S|M|L", "risk": "HIGH|MED|LOW"}}]}',
].join('\n');

export interface VetOutcome {
  confirmed: Finding[];
  /** The planner's rejections, with its reasons: these go to the index. */
  rejected: IndexRejection[];
  /** Corrections code refused (cited lines that do not match the file): dropped this run only. */
  dropped: Rejection[];
  corrected: number;
  /** Candidates no verdict was given for (the call failed, or the planner skipped them). */
  unvetted: Finding[];
  problems: string[];
}

function candidateText(finding: Finding, files: RepoFiles): string {
  const evidence = finding.evidence[0];
  const lines = evidence ? (files.reader.lines(evidence.file) ?? []) : [];
  const cited = evidence
    ? asData(numbered(lines.slice(evidence.startLine - 1, evidence.endLine), evidence.startLine), {
        source: evidence.file,
        lines: `${evidence.startLine}-${evidence.endLine}`,
      })
    : '(no cited lines)';
  return [
    `## Candidate ${finding.id} [${finding.category}] impact ${finding.impact}, confidence ${finding.confidence}, effort ${finding.effort}, risk ${finding.risk}`,
    asData(`${finding.title}\n${finding.message}\nSuggested fix: ${finding.fixSketch}`, {
      source: 'auditor claim',
    }),
    'Cited lines on disk now:',
    cited,
  ].join('\n');
}

function apply(finding: Finding, verdict: VetVerdict, files: RepoFiles): Finding | string {
  const change = verdict.correction ?? {};
  const next: Finding = { ...finding };
  if (change.title) next.title = redactText(change.title);
  if (change.impact) next.impact = change.impact;
  if (change.confidence) next.confidence = change.confidence;
  if (change.effort) next.effort = change.effort;
  if (change.risk) next.risk = change.risk;
  const old = finding.evidence[0];
  if (old && (change.startLine !== undefined || change.quote !== undefined)) {
    const located = locate(files, {
      file: old.file,
      startLine: change.startLine ?? old.startLine,
      endLine: change.endLine ?? change.startLine ?? old.endLine,
      quote: change.quote ?? old.excerpt,
    });
    if (!located.ok) return `the planner's correction does not match the file: ${located.reason}`;
    const evidence = makeEvidence(
      (file) => files.reader.lines(file),
      located.file,
      located.startLine,
      located.endLine,
    );
    if (!evidence) return `${located.file} could not be read`;
    next.evidence = [evidence];
    next.id = `F-${shortHash(`${finding.ruleId}\0${evidence.file}\0${normaliseForId(evidence.excerpt)}\0`, 8)}`;
  }
  return next;
}

function rejection(finding: Finding, reason: string): IndexRejection {
  return { findingId: finding.id, ruleId: finding.ruleId, title: finding.title, reason };
}

export async function vetFindings(
  session: ModelSession,
  candidates: readonly Finding[],
  context: string,
  files: RepoFiles,
): Promise<VetOutcome> {
  const outcome: VetOutcome = {
    confirmed: [],
    rejected: [],
    dropped: [],
    corrected: 0,
    unvetted: [],
    problems: [],
  };
  for (let start = 0; start < candidates.length; start += BATCH) {
    const batch = candidates.slice(start, start + BATCH);
    const chat = session.conversation({
      role: 'planner',
      task: 'vet',
      system: VET_SYSTEM,
      context,
      tools: repoTools(files),
      maxSteps: 6,
      maxOutputTokens: 3000,
    });
    const prompt = `Vet these ${batch.length} candidate findings.\n\n${batch.map((f) => candidateText(f, files)).join('\n\n')}`;
    const ids = new Set(batch.map((f) => f.id));
    const answer = await askStructured(chat, prompt, VetReport, (report) =>
      report.verdicts.filter((v) => !ids.has(v.id)).map((v) => `"${v.id}" is not one of the candidates`),
    );
    if (!answer.value) {
      outcome.unvetted.push(...batch);
      outcome.problems.push(`vetting ${batch.length} finding(s) failed: ${answer.problem ?? 'no answer'}`);
      continue;
    }
    const byId = new Map(answer.value.verdicts.map((v) => [v.id, v]));
    for (const finding of batch) {
      const verdict = byId.get(finding.id);
      if (!verdict) outcome.unvetted.push(finding);
      else if (verdict.verdict === 'reject')
        outcome.rejected.push(
          rejection(finding, `planner: ${redactText(verdict.reason).replace(/\s+/g, ' ')}`),
        );
      else if (verdict.verdict === 'confirm') outcome.confirmed.push(finding);
      else {
        const corrected = apply(finding, verdict, files);
        if (typeof corrected === 'string')
          outcome.dropped.push({
            ...rejection(finding, corrected),
            ...(finding.evidence[0] ? { file: finding.evidence[0].file } : {}),
          });
        else {
          outcome.confirmed.push(corrected);
          outcome.corrected += 1;
        }
      }
    }
  }
  return outcome;
}
