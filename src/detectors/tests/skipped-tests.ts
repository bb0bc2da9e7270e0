import { findingAt, patternGoneCheck } from '../correctness/finding-at.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector } from '../types.ts';

const MIN_CLUSTER = 2;
const JS_SKIP = '^((it|test|describe|context|suite)\\.skip|x(it|test|describe|context)|test\\.fixme)$';
const PY_SKIP = '^@\\s*(pytest\\.mark\\.skip|unittest\\.skip)(\\(|$)';
// Same patterns for grep -E, as the done check: passes once no unconditional skip is left.
const GREP_JS =
  '(^|[^A-Za-z0-9_.$])((it|test|describe|context|suite)[.]skip|x(it|test|describe|context)|test[.]fixme)[[:space:]]*[(]';
const GREP_PY = '^[[:space:]]*@[[:space:]]*(pytest[.]mark[.]skip|unittest[.]skip)([(]|[[:space:]]*$)';

/**
 * A skip reason that names something the test environment lacks: a service, the network, a
 * distribution's packages (django-q's Debian patch: `reason="No disque in Debian"`). Such tests
 * run where the thing exists; a conditional skip says so, an unconditional one loses them everywhere.
 */
const ENVIRONMENT_REASON =
  /\b(?:no|without|requires?|needs?|missing|unavailable|not (?:available|installed|running))\b.*\b(?:server|service|network|internet|online|database|redis|mongo(?:db)?|postgres(?:ql)?|mysql|docker|debian|ubuntu|fedora|ci|sandbox|root|display|gpu|\w+ (?:is )?installed)\b|\bin (?:debian|ubuntu|fedora|the sandbox|ci)\b/i;

/** The reason text of a Python skip decorator: `reason="…"` or its first string argument. */
function pythonReason(decorator: string): string {
  return /\(\s*(?:reason\s*=\s*)?[rbuf]*(['"])(.*?)\1/s.exec(decorator)?.[2] ?? '';
}

/** Two or more unconditionally skipped tests in one file: coverage that silently stopped running. */
export const skippedTests: FileDetector = {
  id: 'tests/skipped-tests',
  category: 'tests',
  scope: 'file',
  requires: { ...jsGate(/skip|\bx(?:it|test|describe|context)\b|fixme/), python: /skip/ },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Skipped tests',
  description:
    'Several tests in this file are unconditionally skipped. Skips are meant to be temporary, but they rarely get revisited: the behaviour they cover is no longer protected, and the suite still reports green.',
  impact: 'MED',
  effort: 'M',
  risk: 'LOW',
  riskReason:
    'Re-enabling a test changes only the test suite; a failure it reveals is an existing bug or an outdated test.',
  confidence: 'HIGH',
  fixSketch:
    'For each skipped test: re-enable it and run it. Fix the code or update the test if it fails for a known reason; delete it if the behaviour no longer exists; if it must stay skipped, make the skip conditional with a reason and a tracking issue.',
  steps: [
    'List the skipped tests in the cited file (the evidence lines) and check `git log -S` on each skip to find why it was added.',
    'Remove the skip from one test at a time (`it.skip` → `it`, `xit` → `it`, delete `@pytest.mark.skip`) and run only that test.',
    'If it passes, keep it enabled. If it fails, fix the code or the test; if the feature was removed, delete the test. If it truly cannot run here, replace the skip with a conditional one (`skipif`, `it.skipIf`) that states the reason.',
    'Run the whole file’s tests at the end to confirm they all pass.',
  ],
  roles: ['test'],
  targetRoles: ['test'],
  check(file) {
    const root = file.ast();
    if (!root) return [];
    const python = file.language === 'python';
    const found = python
      ? root.root().findAll({ rule: { kind: 'decorator', regex: PY_SKIP } })
      : root
          .root()
          .findAll({ rule: { kind: 'call_expression', has: { field: 'function', regex: JS_SKIP } } });
    // A skip on a class or test defined inside a test function is test data for a test of skipping
    // itself (`def test_skip_class(self): @unittest.skip("testing") class Foo(TestCase): …`).
    const skips = python
      ? found.filter(
          (n) =>
            !n
              .parent()
              ?.parent()
              ?.ancestors()
              .some((a) => a.kind() === 'function_definition'),
        )
      : found;
    const nested = found.length - skips.length;
    const [first, ...rest] = skips;
    if (!first || skips.length < MIN_CLUSTER) return [];
    const line = (n: typeof first) => n.range().start.line + 1;
    const reasons = python ? skips.map((n) => pythonReason(n.text())) : [];
    const environment = reasons.length > 0 && reasons.every((reason) => ENVIRONMENT_REASON.test(reason));
    return [
      findingAt(file, first, {
        endLine: line(first),
        related: rest.slice(0, 9).map((n) => ({ file: file.path, startLine: line(n), endLine: line(n) })),
        title: `${skips.length} skipped tests`,
        message: environment
          ? `${skips.length} tests in this file are unconditionally skipped (lines ${skips.map(line).join(', ')}) for what the environment lacks (${[
              ...new Set(reasons),
            ]
              .slice(0, 3)
              .map((reason) => `"${reason.slice(0, 60)}"`)
              .join(
                ', ',
              )}). They run nowhere, not even where that exists: a conditional skip (\`pytest.mark.skipif\` on the service or package being available) would keep them running there.`
          : `${skips.length} tests in this file are unconditionally skipped (lines ${skips.map(line).join(', ')}), so the behaviour they cover is no longer checked while the suite still reports green.`,
        ...(environment ? { confidence: 'MED' as const } : {}),
        doneCheck:
          nested > 0
            ? `[ "$(grep -cE -- ${shellQuote(GREP_PY)} ${shellQuote(file.path)})" -le ${nested} ]`
            : patternGoneCheck(file, python ? GREP_PY : GREP_JS),
      }),
    ];
  },
};
