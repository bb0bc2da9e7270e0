import type { CommitStyle } from '../core/types.ts';

const CONVENTIONAL = /^(feat|fix|chore|docs|refactor|test|tests|perf|build|ci|style|revert)(\([^)]*\))?!?: /;
const IMPERATIVE_VERBS = new Set(
  (
    'add adjust allow avoid bump change clean clarify convert correct create delete deprecate disable document drop ' +
    'enable ensure expose extract fix handle implement improve include increase initial introduce keep let limit ' +
    'make mark merge migrate move optimize optimise prefer prepare prevent reduce refactor release remove rename ' +
    'reorganize replace restore revert rewrite run set show simplify skip sort split speed start stop support switch ' +
    'test tidy tweak update upgrade use validate'
  ).split(' '),
);
const THRESHOLD = 0.6;

/** Conventional commits, imperative subjects, or neither, from recent commit subjects. */
export function commitStyle(subjects: readonly string[]): CommitStyle {
  const samples = subjects.slice(0, 5);
  if (subjects.length === 0) return { kind: 'unknown', samples };
  const share = (test: (subject: string) => boolean) => subjects.filter(test).length / subjects.length;
  if (share((subject) => CONVENTIONAL.test(subject)) >= THRESHOLD) return { kind: 'conventional', samples };
  const imperative = (subject: string) =>
    IMPERATIVE_VERBS.has((/^[A-Za-z]+/.exec(subject)?.[0] ?? '').toLowerCase());
  if (share(imperative) >= THRESHOLD) return { kind: 'imperative', samples };
  return { kind: 'freeform', samples };
}
