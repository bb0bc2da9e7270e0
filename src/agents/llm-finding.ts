/**
 * Turn an auditor's answer into a Finding like any detector's: the cited lines re-read from disk
 * (redacted), a stable id from the rule, the file and the cited text, and all prose redacted.
 */
import { makeEvidence, normaliseForId } from '../audit/build-finding.ts';
import { shortHash } from '../core/hash.ts';
import { redactText } from '../core/redact.ts';
import { type Finding, LLM_RULE_PREFIX, type RepoProfile } from '../core/types.ts';
import { locate } from './cited-lines.ts';
import type { RepoFiles } from './repo-tools.ts';
import type { AuditorFinding } from './schemas.ts';

export { LLM_RULE_PREFIX };

function clean(text: string): string {
  return redactText(text).replace(/\s+/g, ' ').trim();
}

export type Converted = { ok: true; finding: Finding; moved: boolean } | { ok: false; reason: string };

export function findingFromModel(raw: AuditorFinding, files: RepoFiles, profile: RepoProfile): Converted {
  const located = locate(files, raw);
  if (!located.ok) return located;
  const evidence = makeEvidence(
    (file) => files.reader.lines(file),
    located.file,
    located.startLine,
    located.endLine,
  );
  if (!evidence) return { ok: false, reason: `${located.file} could not be read` };
  const ruleId = `${LLM_RULE_PREFIX}${raw.category}`;
  const finding: Finding = {
    id: `F-${shortHash(`${ruleId}\0${located.file}\0${normaliseForId(evidence.excerpt)}\0`, 8)}`,
    ruleId,
    category: raw.category,
    title: clean(raw.title),
    message: clean(raw.message),
    evidence: [evidence],
    impact: raw.impact,
    effort: raw.effort,
    risk: raw.risk,
    riskReason: clean(raw.riskReason),
    confidence: raw.confidence,
    fixSketch: clean(raw.fixSketch),
  };
  const role = profile.files.find((file) => file.path === located.file)?.role;
  if (role && role !== 'source') {
    finding.fileRole = role;
    if (['test', 'example', 'fixture'].includes(role) && raw.category !== 'tests') finding.confidence = 'LOW';
  }
  return { ok: true, finding, moved: located.moved };
}
