/**
 * A pull-request comment for `improve branch --markdown-summary FILE`: what the branch introduced,
 * what it builds on, and the gate's verdict. Excerpts are the findings' own, already redacted.
 */
import type { BranchAuditResult, BranchResult, FailOn } from '../api/branch.ts';
import { type RowExtent, rowExtents, rowTitle } from '../api/select.ts';
import { plural } from '../core/plural.ts';
import { redactText } from '../core/redact.ts';
import type { Finding } from '../core/types.ts';
import { codeSpan, fenceFor, tableCell } from '../plans/markdown.ts';
import { fenceLanguage } from '../plans/repo-facts.ts';

export interface SummaryGate {
  level: FailOn;
  failures: readonly Finding[];
}

const MAX_ROWS = 20;
const MAX_EXCERPTS = 10;
const EXCERPT_LINES = 6;
const LEVEL_TEXT: Record<FailOn, string> = {
  high: 'HIGH confidence',
  medium: 'MED confidence or higher',
  low: 'any confidence',
};

function location(finding: Finding): string {
  const first = finding.evidence[0];
  return first ? codeSpan(`${first.file}:${first.startLine}`) : '(repository)';
}

function cell(text: string): string {
  return tableCell(redactText(text.replace(/\s+/g, ' ').trim()));
}

function findingTable(
  findings: readonly Finding[],
  extent: (row: Finding) => RowExtent | undefined = () => undefined,
): string[] {
  if (findings.length === 0) return ['None.'];
  const rows = findings
    .slice(0, MAX_ROWS)
    .map(
      (f) =>
        `| ${cell(rowTitle(f.title, extent(f)))} | ${f.category} | ${f.confidence} | ${f.impact} | ${location(f)} |`,
    );
  const more = findings.length > MAX_ROWS ? ['', `…and ${findings.length - MAX_ROWS} more.`] : [];
  return [
    '| finding | category | confidence | impact | where |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    ...more,
  ];
}

function excerpts(findings: readonly Finding[]): string[] {
  const shown = findings.filter((f) => f.evidence[0]).slice(0, MAX_EXCERPTS);
  if (shown.length === 0) return [];
  const out = ['', '<details><summary>Cited lines</summary>', ''];
  for (const finding of shown) {
    const evidence = finding.evidence[0];
    if (!evidence) continue;
    const text = redactText(evidence.excerpt.split('\n').slice(0, EXCERPT_LINES).join('\n'));
    const fence = fenceFor(text);
    out.push(
      `**${cell(finding.title)}** — ${location(finding)}`,
      '',
      `${fence}${fenceLanguage(evidence.file)}`,
      text,
      fence,
      '',
    );
  }
  out.push('</details>');
  return out;
}

function gateLine(gate: SummaryGate | undefined): string[] {
  if (!gate) return [];
  const verdict =
    gate.failures.length > 0
      ? `**failed**: ${plural(gate.failures.length, 'introduced finding')} at ${LEVEL_TEXT[gate.level]}.`
      : `**passed**: no introduced finding at ${LEVEL_TEXT[gate.level]}.`;
  return ['', `Gate ${codeSpan(`--fail-on ${gate.level}`)}: ${verdict}`];
}

/** The summary of an audited branch. `shown` is what the branch table lists (`branchTable`). */
export function branchSummary(
  result: BranchAuditResult,
  shown: readonly Finding[],
  gate?: SummaryGate,
): string {
  const { branch } = result;
  // Introduced findings a plan already covers are still the branch's: the gate counts them.
  const planned = result.alreadyPlanned
    .filter((entry) => entry.finding.introduced)
    .map((entry) => ({ ...entry.finding, title: `${entry.finding.title} (plan ${entry.planId})` }));
  const introduced = [...result.findings.filter((f) => f.introduced), ...planned];
  const existing = shown.filter((f) => !f.introduced);
  const lines = [
    `## improve: ${plural(introduced.length, 'finding')} introduced by this branch, ${existing.length} pre-existing`,
    '',
    `${codeSpan(branch.name ?? 'HEAD')} is ${plural(branch.commitsAhead, 'commit')} ahead of ${codeSpan(branch.base.ref)} (merge-base ${codeSpan(branch.mergeBase.slice(0, 7))}): ${plural(branch.changed.length, 'changed file')} and ${plural(branch.importers.length, 'importer')} audited.`,
    ...gateLine(gate),
    '',
    '### Introduced by this branch',
    '',
    ...findingTable(introduced),
    ...excerpts(introduced),
    '',
    '### Pre-existing in touched files',
    '',
    ...findingTable(
      existing,
      rowExtents(
        result.findings.filter((f) => !f.introduced),
        result.level,
      ),
    ),
    '',
    '<sub>Found by improve. Each finding cites real lines; to accept one, add `improve-ignore: REASON` on the line above it.</sub>',
  ];
  return `${lines.join('\n')}\n`;
}

/** The summary when there was nothing to compare (so a CI step always has a file to post). */
export function skippedSummary(skipped: Extract<BranchResult, { kind: 'skipped' }>): string {
  const what =
    skipped.reason === 'default-branch'
      ? `${codeSpan(skipped.branch ?? skipped.base.ref)} is the default branch: there is no branch to compare.`
      : skipped.outside.length > 0
        ? `${codeSpan(skipped.branch ?? 'HEAD')} changes nothing in the audited folder: its ${skipped.outside.length === 1 ? 'change is' : `${skipped.outside.length} changed files are`} elsewhere in the repository. Run \`improve branch\` at the repository root to audit them.`
        : `${codeSpan(skipped.branch ?? 'HEAD')} has no changes of its own ahead of ${codeSpan(skipped.base.ref)}.`;
  return `## improve: nothing to audit\n\n${what}\n`;
}
