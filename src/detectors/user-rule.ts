import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { redactLine } from '../core/redact.ts';
import type { Language } from '../core/types.ts';
import { findingAt } from './correctness/finding-at.ts';
import type { DetectorMeta, FileDetector, FileInput, RawFinding } from './types.ts';

/** A rule from the audited repository's `.improve/rules/*.yml`, validated: plain data. */
export interface UserRuleSpec
  extends Pick<
    DetectorMeta,
    | 'id'
    | 'category'
    | 'title'
    | 'description'
    | 'impact'
    | 'effort'
    | 'risk'
    | 'riskReason'
    | 'confidence'
    | 'fixSketch'
    | 'steps'
  > {
  /** Repo-relative rule file it came from, for messages. */
  source: string;
  languages: Language[];
  /** The ast-grep rule config: `rule`, and `constraints`/`utils` when given. */
  config: NapiConfig;
  message: string;
}

const specs = new WeakMap<FileDetector, UserRuleSpec>();

/** The spec a user-rule detector was built from (undefined for built-in detectors). */
export function userRuleSpecOf(detector: FileDetector): UserRuleSpec | undefined {
  return specs.get(detector);
}

/** `$NAME` / `$$$NAME` in a message → the (redacted, shortened) text the rule captured there. */
function interpolate(message: string, node: SgNode): string {
  return message.replace(/\$\$?\$?([A-Z_][A-Z0-9_]*)/g, (whole, name: string) => {
    const multi = whole.startsWith('$$$');
    const captured = multi
      ? node
          .getMultipleMatches(name)
          .map((n) => n.text())
          .join('')
      : node.getMatch(name)?.text();
    if (captured === undefined || captured === '') return whole;
    const line = redactLine(captured.split('\n')[0] ?? '');
    return line.length > 60 ? `${line.slice(0, 57)}...` : line;
  });
}

/** Build the detector for a user rule: every match is a finding with the rule's message. */
export function userRuleDetector(spec: UserRuleSpec): FileDetector {
  const detector: FileDetector = {
    id: spec.id,
    category: spec.category,
    scope: 'file',
    languages: spec.languages,
    title: spec.title,
    description: spec.description,
    impact: spec.impact,
    effort: spec.effort,
    risk: spec.risk,
    riskReason: spec.riskReason,
    confidence: spec.confidence,
    fixSketch: spec.fixSketch,
    ...(spec.steps ? { steps: spec.steps } : {}),
    rule: spec.config,
    match(node: SgNode, file: FileInput): RawFinding {
      return findingAt(file, node, { message: interpolate(spec.message, node) });
    },
  };
  specs.set(detector, spec);
  return detector;
}
