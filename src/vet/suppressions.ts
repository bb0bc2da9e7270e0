import type { LineView } from '../core/redact.ts';

/**
 * Inline suppressions: a comment `improve-ignore: REASON` (or `improve-ignore RULE-ID: REASON`) on
 * the cited line or the line directly above it. A suppression without a reason is not honoured:
 * a rejection made without saying why is not a decision anyone can revisit.
 */
const INLINE =
  /improve-ignore(?:\s+(?<rule>[a-z-]+\/[a-z0-9-]+))?\s*(?::|--|—)\s*(?<reason>\S.*?)\s*(?:\*\/|-->)?\s*$/;
const BARE = /improve-ignore\b/;

export interface InlineSuppression {
  reason: string;
  rule?: string;
}

export type InlineLookup =
  | { kind: 'suppressed'; suppression: InlineSuppression }
  | { kind: 'no-reason' }
  | undefined;

/** Looks for a suppression comment for `ruleId` on `line` (1-based) or the line above. */
export function findInlineSuppression(lines: LineView, line: number, ruleId: string): InlineLookup {
  let sawBare = false;
  for (const candidate of [line, line - 1]) {
    // `at` counts a negative index from the end: there is no line before the first.
    const text = candidate >= 1 ? lines.at(candidate - 1) : undefined;
    if (text === undefined || !BARE.test(text)) continue;
    const match = INLINE.exec(text);
    const reason = match?.groups?.reason;
    const rule = match?.groups?.rule;
    if (match && reason && (!rule || rule === ruleId)) {
      return { kind: 'suppressed', suppression: rule ? { reason, rule } : { reason } };
    }
    if (!match) sawBare = true;
  }
  return sawBare ? { kind: 'no-reason' } : undefined;
}
