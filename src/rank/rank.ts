import type { Category, Finding, Level } from '../core/types.ts';

/** The finding that must come first: without a way to verify changes, every other plan is risky. */
export const BASELINE_RULE = 'tests/no-verification-baseline';

const IMPACT: Record<Level, number> = { HIGH: 3, MED: 2, LOW: 1 };
const CONFIDENCE: Record<Level, number> = { HIGH: 1, MED: 0.7, LOW: 0.4 };
const RISK: Record<Level, number> = { LOW: 1, MED: 0.85, HIGH: 0.7 };
const EFFORT: Record<Finding['effort'], number> = { S: 1, M: 2, L: 3 };
const CATEGORY_ORDER: readonly Category[] = [
  'security',
  'correctness',
  'tests',
  'performance',
  'dependencies',
  'tech-debt',
  'dx',
  'docs',
  'direction',
];

/** Leverage = impact ÷ effort, discounted by confidence and fix risk; 0.4–30 on a ×10 scale. */
export function leverage(finding: Pick<Finding, 'impact' | 'effort' | 'confidence' | 'risk'>): number {
  const raw =
    (IMPACT[finding.impact] / EFFORT[finding.effort]) * CONFIDENCE[finding.confidence] * RISK[finding.risk];
  return Math.round(raw * 100) / 10;
}

function key(finding: Finding): [number, number, number, number, number, number, string, number, string] {
  const evidence = finding.evidence[0];
  return [
    finding.ruleId === BASELINE_RULE ? 0 : 1,
    // LOW confidence is a lead to look at, not a finding to act on: leads follow every finding,
    // however high their impact (a HIGH-impact lead would otherwise outrank a certain MED problem).
    finding.confidence === 'LOW' ? 1 : 0,
    -(finding.leverage ?? leverage(finding)),
    finding.category === 'security' && finding.confidence === 'HIGH' ? 0 : 1,
    finding.doneCheck ? 0 : 1,
    CATEGORY_ORDER.indexOf(finding.category),
    evidence?.file ?? '',
    evidence?.startLine ?? 0,
    finding.id,
  ];
}

function compare(a: Finding, b: Finding): number {
  const x = key(a);
  const y = key(b);
  for (let i = 0; i < x.length; i += 1) {
    const p = x[i]!;
    const q = y[i]!;
    if (p < q) return -1;
    if (p > q) return 1;
  }
  return 0;
}

/**
 * Order findings by leverage with the tiebreaks: what unblocks others first (the verification
 * baseline), then MED/HIGH-confidence findings before LOW-confidence leads, HIGH-confidence security above equal leverage, findings with a clean verification
 * story (a done check) before those without. Deterministic: ties end on file, line and id.
 */
export function rank(findings: readonly Finding[]): Finding[] {
  return findings.map((f) => ({ ...f, leverage: leverage(f) })).sort(compare);
}
