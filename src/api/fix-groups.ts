import type { Finding } from '../core/types.ts';
import { CODE_DETECTORS } from '../detectors/code-detectors.ts';
import { BASELINE_RULE } from '../rank/rank.ts';

/**
 * From how many files the same small fix makes one systemic problem: a request without a timeout
 * in thirty modules is one row of the table and one plan, not thirty (decision record 014).
 */
export const SYSTEMIC_FILES = 3;
/** A systemic plan changes at most this many files; the rest wait for a later plan. */
export const FILES_PER_PLAN = 8;

const CODE_RULES: ReadonlySet<string> = new Set(CODE_DETECTORS.map((detector) => detector.id));

/**
 * Whether a finding is one place of a mechanical fix: a built-in code rule's finding (its rule
 * means the same thing everywhere, unlike a model's finding or a repository-level one) that is
 * small and safe to fix (effort S, risk LOW) and not a lead.
 */
function mechanical(finding: Finding): boolean {
  return (
    CODE_RULES.has(finding.ruleId) &&
    finding.confidence !== 'LOW' &&
    finding.effort === 'S' &&
    finding.risk === 'LOW' &&
    finding.evidence[0] !== undefined
  );
}

/** A rule's findings in one state: a branch's introduced ones stay apart from pre-existing ones. */
const ruleKey = (finding: Finding) => `${finding.ruleId}\0${finding.introduced === true}`;

export interface SystemicGroup {
  /** Findings of the group, in the order given (by leverage). */
  findings: Finding[];
  /** Distinct files, in the same order. */
  files: string[];
}

/** How findings fall into things to fix. */
export interface FixGroups {
  /**
   * What makes findings one thing to fix: the rule and the file (and whether a branch introduced
   * them), or only the rule when its mechanical findings are in SYSTEMIC_FILES files or more.
   * A finding without a file, or the verification baseline, is a thing of its own.
   */
  key(finding: Finding): string;
  /** The systemic group a finding belongs to, if any. */
  systemic(finding: Finding): SystemicGroup | undefined;
}

/** Group `findings` (ranked, as an audit returns them) into things to fix. */
export function fixGroups(findings: readonly Finding[]): FixGroups {
  const byRule = new Map<string, SystemicGroup & { seen: Set<string> }>();
  for (const finding of findings) {
    if (!mechanical(finding)) continue;
    const key = ruleKey(finding);
    let group = byRule.get(key);
    if (!group) {
      group = { findings: [], files: [], seen: new Set() };
      byRule.set(key, group);
    }
    group.findings.push(finding);
    const file = finding.evidence[0]?.file ?? '';
    if (!group.seen.has(file)) {
      group.seen.add(file);
      group.files.push(file);
    }
  }
  const systemic = (finding: Finding): SystemicGroup | undefined => {
    if (!mechanical(finding)) return undefined;
    const group = byRule.get(ruleKey(finding));
    return group && group.files.length >= SYSTEMIC_FILES ? group : undefined;
  };
  return {
    systemic,
    key(finding) {
      const file = finding.evidence[0]?.file;
      if (file === undefined || finding.ruleId === BASELINE_RULE) return `\0${finding.id}`;
      if (systemic(finding)) return `${ruleKey(finding)}\0*`;
      return `${finding.ruleId}\0${file}\0${finding.introduced === true}`;
    },
  };
}
