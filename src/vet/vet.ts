import { normaliseForId } from '../audit/build-finding.ts';
import type { LineView } from '../core/redact.ts';
import type { Evidence, Finding, Rejection } from '../core/types.ts';
import { findInlineSuppression } from './suppressions.ts';

/** Fresh, redacted lines of a repo file read from disk now; undefined when it is gone. */
export type FreshLines = (file: string) => LineView | undefined;

export interface VetInput {
  findings: readonly Finding[];
  lines: FreshLines;
  /** Findings accepted in config (id → reason). */
  accepted: ReadonlyMap<string, string>;
  /** Findings rejected earlier in the index (id → reason). */
  rejectedBefore: ReadonlyMap<string, string>;
}

export interface VetResult {
  findings: Finding[];
  rejections: Rejection[];
  /** How many duplicates were merged into another finding. */
  merged: number;
  /** `improve-ignore` comments that gave no reason and so were not honoured (file:line). */
  unexplainedIgnores: string[];
}

/** A finding dropped, with why: what the report and the index record. */
export function rejection(finding: Finding, reason: string): Rejection {
  const file = finding.evidence[0]?.file;
  return {
    findingId: finding.id,
    ruleId: finding.ruleId,
    title: finding.title,
    reason,
    ...(file ? { file } : {}),
  };
}

/**
 * Re-read one cited location. The excerpt must still be the file's text at those lines; when the
 * code moved, the excerpt is searched for and the lines are updated. Undefined: no longer there.
 */
function reread(evidence: Evidence, lines: FreshLines): Evidence | undefined {
  const current = lines(evidence.file);
  if (!current) return undefined;
  const cited = evidence.excerpt.split('\n');
  // 1-based, and nothing before the first line (`at` counts a negative index from the end).
  const line = (n: number) => (n >= 1 ? current.at(n - 1) : undefined);
  const matchesAt = (start: number) => cited.every((text, i) => line(start + i) === text);
  if (matchesAt(evidence.startLine)) return evidence;
  const target = normaliseForId(evidence.excerpt);
  for (let start = 1; start + cited.length - 1 <= current.length; start += 1) {
    if (line(start) === cited[0] && matchesAt(start)) {
      const shift = start - evidence.startLine;
      return { ...evidence, startLine: start, endLine: evidence.endLine + shift };
    }
  }
  return target === '' ? evidence : undefined;
}

function overlaps(a: Finding, b: Finding): boolean {
  const x = a.evidence[0];
  const y = b.evidence[0];
  if (!x || !y) return false;
  return x.file === y.file && x.startLine <= y.endLine && y.startLine <= x.endLine;
}

/** Evidence re-read, suppressions, dedupe. Order of the input is kept. */
export function vet(input: VetInput): VetResult {
  const kept: Finding[] = [];
  const rejections: Rejection[] = [];
  const unexplainedIgnores: string[] = [];
  const seen = new Set<string>();
  let merged = 0;

  for (const finding of input.findings) {
    if (seen.has(finding.id)) {
      merged += 1;
      continue;
    }
    seen.add(finding.id);
    const accepted = input.accepted.get(finding.id);
    if (accepted !== undefined) {
      rejections.push(rejection(finding, `accepted in config: ${accepted}`));
      continue;
    }
    const earlier = input.rejectedBefore.get(finding.id);
    if (earlier !== undefined) {
      rejections.push(rejection(finding, `rejected earlier: ${earlier}`));
      continue;
    }
    const evidence = finding.evidence.map((e) => reread(e, input.lines));
    if (evidence.some((e) => e === undefined)) {
      rejections.push(rejection(finding, 'cited lines no longer match the file'));
      continue;
    }
    const verified = evidence as Evidence[];
    const primary = verified[0];
    if (primary) {
      const fileLines = input.lines(primary.file) ?? [];
      const lookup = findInlineSuppression(fileLines, primary.startLine, finding.ruleId);
      if (lookup?.kind === 'suppressed') {
        rejections.push(rejection(finding, `suppressed inline: ${lookup.suppression.reason}`));
        continue;
      }
      if (lookup?.kind === 'no-reason') unexplainedIgnores.push(`${primary.file}:${primary.startLine}`);
    }
    const candidate = { ...finding, evidence: verified };
    const duplicate = kept.find((other) => other.ruleId === candidate.ruleId && overlaps(other, candidate));
    if (duplicate) {
      merged += 1;
      continue;
    }
    kept.push(candidate);
  }
  return { findings: kept, rejections, merged, unexplainedIgnores };
}
