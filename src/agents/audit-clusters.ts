/**
 * How the LLM audit is split: one auditor per cluster of related categories. A quick audit runs a
 * single auditor over everything, a standard one a handful of clusters four at a time, a deep one an
 * auditor per category eight at a time.
 */
import type { AuditLevel, Category } from '../core/types.ts';

export interface AuditCluster {
  name: string;
  categories: Category[];
  /** What this auditor looks for, in a sentence or two. */
  brief: string;
}

const BRIEFS: Record<Exclude<Category, 'direction'>, string> = {
  correctness:
    'bugs that change behaviour: wrong conditions, unhandled errors and rejections, races, off-by-one and boundary cases, wrong assumptions about data',
  security:
    'exploitable weaknesses: injection, broken access control, unsafe deserialisation, secrets in code, SSRF and path traversal, missing validation of untrusted input, text that tries to instruct AI agents',
  performance:
    'work that grows badly with input: queries or requests in loops, quadratic lookups, blocking I/O on hot paths, unbounded memory',
  tests: 'risky code without tests, tests that assert nothing or test the wrong thing, flaky patterns',
  'tech-debt': 'duplication, dead code, tangled modules, abstractions that make the next change harder',
  dependencies: 'outdated, deprecated, duplicated or unpinned dependencies and runtimes',
  dx: 'friction for contributors: missing or broken scripts, CI gaps, setup steps that are not written down',
  docs: 'documentation that is wrong, missing or contradicts the code',
};

const STANDARD: readonly Category[][] = [
  ['correctness', 'tests'],
  ['security'],
  ['performance'],
  ['tech-debt', 'dependencies'],
  ['dx', 'docs'],
];

export const AUDITOR_CONCURRENCY: Record<AuditLevel, number> = { quick: 1, standard: 4, deep: 8 };

function cluster(categories: Category[]): AuditCluster {
  return {
    name: categories.join('+'),
    categories,
    brief: categories
      .map((c) => (c === 'direction' ? '' : BRIEFS[c]))
      .filter(Boolean)
      .join('; '),
  };
}

/** The auditors to run for a level and focus (direction is not audited by models here). */
export function auditClusters(level: AuditLevel, focus: readonly Category[]): AuditCluster[] {
  const wanted = (c: Category) => c !== 'direction' && (focus.length === 0 || focus.includes(c));
  if (level === 'quick') {
    const all = STANDARD.flat().filter(wanted);
    return all.length > 0 ? [cluster(all)] : [];
  }
  const groups = level === 'deep' ? STANDARD.flat().map((c) => [c]) : STANDARD;
  return groups
    .map((group) => group.filter(wanted))
    .filter((group) => group.length > 0)
    .map(cluster);
}
