import { shortHash } from '../core/hash.ts';
import type { LineView } from '../core/redact.ts';
import type { Evidence, FileRole, Finding } from '../core/types.ts';
import { guidanceFor } from '../detectors/guidance.ts';
import type { DetectorMeta, RawFinding } from '../detectors/types.ts';

/** Longest excerpt a finding carries; longer ranges are cited by their first lines. */
export const MAX_EXCERPT_LINES = 12;

/** Returns the redacted lines of a repo file, or undefined when it cannot be read. */
export type LineSource = (file: string) => LineView | undefined;

export function normaliseForId(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function makeEvidence(
  lines: LineSource,
  file: string,
  startLine: number,
  endLine: number,
): Evidence | undefined {
  const fileLines = lines(file);
  if (!fileLines) return undefined;
  const start = Math.max(1, Math.min(startLine, fileLines.length));
  const end = Math.max(start, Math.min(endLine, fileLines.length, start + MAX_EXCERPT_LINES - 1));
  return { file, startLine: start, endLine: end, excerpt: fileLines.slice(start - 1, end).join('\n') };
}

const LOWER: Record<Finding['confidence'], Finding['confidence']> = { HIGH: 'LOW', MED: 'LOW', LOW: 'LOW' };

/**
 * Turn a detector's raw finding into a Finding with redacted evidence and a stable id. The id
 * hashes the rule, the file and the normalised cited text (plus an occurrence counter for identical
 * text in one file), so it survives the code moving to other lines.
 */
export function buildFinding(
  detector: DetectorMeta,
  raw: RawFinding,
  lines: LineSource,
  occurrences: Map<string, number>,
  fileRole?: FileRole,
  downgrade = false,
): Finding | undefined {
  const evidence: Evidence[] = [];
  if (raw.file !== undefined) {
    const primary = makeEvidence(lines, raw.file, raw.startLine ?? 1, raw.endLine ?? raw.startLine ?? 1);
    if (!primary) return undefined;
    evidence.push(primary);
  }
  for (const related of raw.related ?? []) {
    const extra = makeEvidence(lines, related.file, related.startLine, related.endLine);
    if (extra) evidence.push(extra);
  }
  const first = evidence[0];
  const guidance = guidanceFor(detector, raw.file);
  const anchored =
    first && raw.anchorEndLine !== undefined
      ? first.excerpt
          .split('\n')
          .slice(0, Math.max(1, raw.anchorEndLine - first.startLine + 1))
          .join('\n')
      : first?.excerpt;
  const anchor = `${detector.id}\0${raw.file ?? ''}\0${normaliseForId(anchored ?? '')}\0${raw.key ?? ''}`;
  const seen = occurrences.get(anchor) ?? 0;
  occurrences.set(anchor, seen + 1);
  const confidence = raw.confidence ?? detector.confidence;
  const finding: Finding = {
    id: `F-${shortHash(`${anchor}\0${seen}`, 8)}`,
    ruleId: detector.id,
    category: detector.category,
    title: raw.title ?? detector.title,
    message: raw.message ?? detector.description,
    evidence,
    impact: raw.impact ?? detector.impact,
    effort: raw.effort ?? detector.effort,
    risk: raw.risk ?? detector.risk,
    riskReason: raw.riskReason ?? guidance.riskReason,
    confidence: downgrade ? LOWER[confidence] : confidence,
    fixSketch: raw.fixSketch ?? guidance.fixSketch,
  };
  if (raw.doneCheck) finding.doneCheck = raw.doneCheck;
  if (fileRole && fileRole !== 'source') finding.fileRole = fileRole;
  return finding;
}
