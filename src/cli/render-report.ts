import pc from 'picocolors';
import type { AuditResult } from '../api/audit.ts';
import {
  ROWS_PER_RULE,
  ROWS_PER_RULE_AND_FILE,
  type RowExtent,
  rowExtents,
  rowTitle,
  tableFindings,
  vettingRejections,
} from '../api/select.ts';
import { plural } from '../core/plural.ts';
import type { AuditLevel, Finding, SourceFile } from '../core/types.ts';
import { renderTable } from './render-table.ts';

/** At most this many rows in the terminal table; the rest are in --json / --sarif. */
export const TABLE_ROWS = 25;

/** Rows the table shows at this level: `deep` lists every finding the table selects. */
export function tableRowLimit(level: AuditLevel): number {
  return level === 'deep' ? Number.POSITIVE_INFINITY : TABLE_ROWS;
}

function evidenceCell(finding: Finding): string {
  const first = finding.evidence[0];
  if (!first) return '(repository)';
  const more = finding.evidence.length > 1 ? ` +${finding.evidence.length - 1}` : '';
  return `${first.file}:${first.startLine}${more}`;
}

function titleCell(finding: Finding, extent: RowExtent | undefined): string {
  const labelled =
    finding.fileRole && ['test', 'example', 'fixture', 'generated', 'vendored'].includes(finding.fileRole);
  const label = labelled ? ` [${finding.fileRole}]` : '';
  return `${rowTitle(finding.title, extent)}${label}`;
}

export function renderFindingsTable(
  findings: readonly Finding[],
  width: number,
  extent: (row: Finding) => RowExtent | undefined = () => undefined,
  limit = TABLE_ROWS,
): string {
  const rows = findings
    .slice(0, limit)
    .map((f, i) => [
      String(i + 1),
      titleCell(f, extent(f)),
      f.category,
      f.confidence,
      f.impact,
      f.effort,
      f.risk,
      evidenceCell(f),
    ]);
  return renderTable(
    [
      { header: '#', align: 'right' },
      { header: 'finding', flexible: true },
      { header: 'category' },
      { header: 'confidence' },
      { header: 'impact' },
      { header: 'effort' },
      { header: 'risk' },
      { header: 'evidence', flexible: true },
    ],
    rows,
    width,
  );
}

/**
 * The languages of the files the detectors read (JavaScript, TypeScript, Python), most files
 * first: the count beside them is of those files, not of the Markdown or JSON around them.
 */
function auditedLanguages(files: readonly SourceFile[]): string[] {
  const counts = new Map<string, number>();
  for (const file of files)
    if (file.language && file.languageName)
      counts.set(file.languageName, (counts.get(file.languageName) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([name]) => name);
}

/** The whole terminal report of an audit, before plans are written. */
export function renderReport(result: AuditResult, options: { width: number; color: boolean }): string {
  const bold = (text: string) => (options.color ? pc.bold(text) : text);
  const dim = (text: string) => (options.color ? pc.dim(text) : text);
  const out: string[] = [];
  const { profile } = result;
  const languages = auditedLanguages(profile.files).slice(0, 3).join(', ');
  out.push(
    bold(
      `improve: ${plural(result.filesAudited, 'file')} audited (${languages || 'no languages'}), ${result.level} level, ${plural(result.detectorsRun, 'check')}`,
    ),
  );
  const shown = tableFindings(result.findings, result.level);
  const extent = rowExtents(result.findings, result.level);
  // The other places of a systemic problem are counted in its row.
  const inRows = shown.reduce((sum, row) => sum + (extent(row)?.places ?? 1), 0);
  const hidden = result.findings.length - inRows;
  if (shown.length === 0) {
    out.push('', 'No findings. Nothing here needs a plan today.');
  } else {
    const limit = tableRowLimit(result.level);
    out.push('', renderFindingsTable(shown, options.width, extent, limit));
    if (shown.length > limit) {
      out.push(
        dim(
          `… and ${shown.length - limit} more (lower leverage): \`improve deep\` lists them; --json and --sarif include them.`,
        ),
      );
    }
  }
  if (hidden > 0) {
    const low = result.findings.filter((f) => f.confidence === 'LOW').length;
    const capped = hidden - low;
    const parts = [
      ...(low > 0 ? [plural(low, 'low-confidence lead')] : []),
      ...(capped > 0
        ? [
            `${plural(capped, 'more finding')} of rules that have their ${ROWS_PER_RULE} rows already (${ROWS_PER_RULE_AND_FILE} in one file)`,
          ]
        : []),
    ];
    out.push(
      dim(
        `Not in the table: ${parts.join(' and ')}. \`improve deep\` lists them; --json and --sarif include them.`,
      ),
    );
  }
  if (result.direction.length > 0) {
    out.push('', bold('Direction'));
    for (const suggestion of result.direction) {
      const where = suggestion.evidence[0] ? ` (${evidenceCell(suggestion)})` : '';
      out.push(`  • ${suggestion.title}${where}`);
    }
  }
  if (result.alreadyPlanned.length > 0) {
    const ids = [...new Set(result.alreadyPlanned.map((a) => a.planId))].sort();
    out.push(
      '',
      dim(
        `${plural(result.alreadyPlanned.length, 'finding')} already planned (plans ${ids.join(', ')}): not repeated.`,
      ),
    );
  }
  const vetted = vettingRejections(result.rejections);
  if (vetted.length > 0) {
    out.push(
      dim(
        `${plural(vetted.length, 'finding')} dropped by vetting (suppressed, accepted or no longer matching): see --json.`,
      ),
    );
  }
  if (result.unexplainedIgnores.length > 0) {
    out.push(
      dim(
        `improve-ignore without a reason was not honoured at ${result.unexplainedIgnores.join(', ')} (write "improve-ignore: WHY").`,
      ),
    );
  }
  if (result.notAudited.length > 0) {
    out.push('', bold('Not audited'));
    for (const line of result.notAudited) out.push(`  • ${line}`);
  }
  return out.join('\n');
}
