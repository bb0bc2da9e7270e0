import pc from 'picocolors';
import { type BranchAuditResult, type BranchResult, branchTable } from '../api/branch.ts';
import { type RowExtent, rowExtents, rowTitle, vettingRejections } from '../api/select.ts';
import { plural } from '../core/plural.ts';
import type { Finding } from '../core/types.ts';
import { renderTable } from './render-table.ts';

interface Style {
  width: number;
  color: boolean;
}

function where(finding: Finding): string {
  const first = finding.evidence[0];
  if (!first) return '(repository)';
  const more = finding.evidence.length > 1 ? ` +${finding.evidence.length - 1}` : '';
  return `${first.file}:${first.startLine}${more}`;
}

function table(
  rows: readonly { number: number; finding: Finding }[],
  width: number,
  extent: (row: Finding) => RowExtent | undefined = () => undefined,
): string {
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
    rows.map(({ number, finding: f }) => [
      String(number),
      `${rowTitle(f.title, extent(f))}${f.fileRole && f.fileRole !== 'source' ? ` [${f.fileRole}]` : ''}`,
      f.category,
      f.confidence,
      f.impact,
      f.effort,
      f.risk,
      where(f),
    ]),
    width,
  );
}

/** The one-paragraph answer when there is nothing to compare, with what to do instead. */
export function renderBranchSkipped(skipped: Extract<BranchResult, { kind: 'skipped' }>): string {
  const base = skipped.base.ref;
  if (skipped.reason === 'default-branch') {
    return [
      `You are on ${skipped.branch ?? base}, the default branch: there is no branch to compare with ${base}.`,
      'Run `improve` for a full audit, or compare with another base: `improve branch --base REF`.',
    ].join('\n');
  }
  const who = skipped.branch ?? 'HEAD';
  if (skipped.commitsAhead > 0 && skipped.outside.length > 0) {
    const shown = skipped.outside.slice(0, 3).join(', ');
    const more = skipped.outside.length > 3 ? ` and ${skipped.outside.length - 3} more` : '';
    return [
      `${who} is ${plural(skipped.commitsAhead, 'commit')} ahead of ${base}, but changes nothing in this folder: its ${plural(skipped.outside.length, 'changed file')} ${skipped.outside.length === 1 ? 'is' : 'are'} elsewhere (${shown}${more}).`,
      `Run \`improve branch\` at the repository root (\`cd ${skipped.repositoryRoot} && improve branch\`) to audit them with the files that import them, here and in every other folder.`,
    ].join('\n');
  }
  const first =
    skipped.commitsAhead === 0
      ? `${who} is 0 commits ahead of ${base}: the branch has no changes of its own to audit.`
      : `${who} is ${plural(skipped.commitsAhead, 'commit')} ahead of ${base}, but they add or change no file (only deletions): nothing to audit.`;
  return [
    first,
    'Run `improve` for a full audit, or `improve branch --include-uncommitted` to audit work not committed yet.',
  ].join('\n');
}

/** The branch report: what was compared, then introduced and pre-existing findings in two tables. */
export function renderBranchReport(result: BranchAuditResult, style: Style): string {
  const bold = (text: string) => (style.color ? pc.bold(text) : text);
  const dim = (text: string) => (style.color ? pc.dim(text) : text);
  const { branch } = result;
  const out: string[] = [];
  const ahead = `${plural(branch.commitsAhead, 'commit')} ahead of ${branch.base.ref} (merge-base ${branch.mergeBase.slice(0, 7)})`;
  const uncommitted = branch.includeUncommitted ? ', uncommitted changes included' : '';
  out.push(bold(`improve branch: ${branch.name ?? 'HEAD'} is ${ahead}${uncommitted}`));
  out.push(
    `${plural(branch.changed.length, 'changed file')} and ${plural(branch.importers.length, 'importer')} in scope: ${plural(result.filesAudited, 'file')} audited, ${result.level} level, ${plural(result.detectorsRun, 'check')}`,
  );
  const shown = branchTable(result).map((finding, index) => ({ number: index + 1, finding }));
  const introduced = shown.filter((row) => row.finding.introduced);
  const existing = shown.filter((row) => !row.finding.introduced);
  // Introduced findings a plan already covers are still the branch's: the gate counts them.
  const planned = result.alreadyPlanned.filter((entry) => entry.finding.introduced);
  out.push('', bold(`Introduced by this branch (${introduced.length + planned.length})`));
  if (introduced.length > 0) out.push(table(introduced, style.width));
  else if (planned.length === 0) out.push('None: the branch adds no finding.');
  for (const { finding, planId } of planned) {
    const first = finding.evidence[0];
    const where = first ? ` (${first.file}:${first.startLine})` : '';
    out.push(`  ${finding.confidence}  ${finding.title}${where}: already planned (plan ${planId})`);
  }
  out.push('', bold(`Pre-existing in files this branch touches or that import them (${existing.length})`));
  // Pre-existing rows are chosen like an audit's table: a systemic problem is one row.
  const extent = rowExtents(
    result.findings.filter((finding) => !finding.introduced),
    result.level,
  );
  out.push(existing.length > 0 ? table(existing, style.width, extent) : 'None.');
  const inRows = shown.reduce(
    (sum, row) => sum + (row.finding.introduced ? 1 : (extent(row.finding)?.places ?? 1)),
    0,
  );
  const hidden = result.findings.length - inRows;
  if (hidden > 0) {
    const leads = result.findings.filter((f) => !f.introduced && f.confidence === 'LOW').length;
    const capped = hidden - leads;
    const parts = [
      ...(leads > 0 ? [plural(leads, 'pre-existing low-confidence lead')] : []),
      ...(capped > 0 ? [`${plural(capped, 'more pre-existing finding')} of rules already shown`] : []),
    ];
    out.push(
      '',
      dim(
        `Not shown: ${parts.join(' and ')}. \`improve branch deep\` lists them; --json and --sarif include them.`,
      ),
    );
  }
  if (result.alreadyPlanned.length > 0) {
    const ids = [...new Set(result.alreadyPlanned.map((a) => a.planId))].sort();
    out.push(
      dim(`${plural(result.alreadyPlanned.length, 'finding')} already planned (plans ${ids.join(', ')}).`),
    );
  }
  const vetted = vettingRejections(result.rejections);
  if (vetted.length > 0) {
    out.push(dim(`${plural(vetted.length, 'finding')} dropped by vetting (suppressed or accepted).`));
  }
  const skipped = result.profile.skipped.filter((entry) => branch.changed.includes(entry.path));
  if (skipped.length > 0) {
    out.push(dim(`Not audited: ${skipped.map((entry) => `${entry.path} (${entry.reason})`).join(', ')}`));
  }
  if (branch.outside.length > 0) {
    const shown = branch.outside.slice(0, 3).join(', ');
    const more = branch.outside.length > 3 ? ` and ${branch.outside.length - 3} more` : '';
    out.push(
      dim(
        `Not audited: ${plural(branch.outside.length, 'file')} this branch changes outside this folder (${shown}${more}), nor the files here that import them. \`cd ${branch.repositoryRoot} && improve branch\` audits every change with its importers.`,
      ),
    );
  }
  for (const failure of result.notAudited.filter((line) => line.startsWith('detector ')))
    out.push(dim(failure));
  return out.join('\n');
}
