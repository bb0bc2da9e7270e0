import { UsageError } from '../core/errors.ts';
import { plural } from '../core/plural.ts';
import { type AuditLevel, type Finding, LLM_RULE_PREFIX, type Rejection } from '../core/types.ts';
import { fixGroups } from './fix-groups.ts';

/** In a standard or quick table, one rule shows at most this many rows; the rest are counted. */
export const ROWS_PER_RULE = 5;
/** …and at most this many in one file: four `pickle.loads` in one function are one thing to fix. */
export const ROWS_PER_RULE_AND_FILE = 2;

/**
 * The findings a person is shown and picks from: everything in a deep audit; otherwise without
 * LOW-confidence leads, one row for a systemic problem (the same small fix in SYSTEMIC_FILES files
 * or more: its plan covers them), and at most ROWS_PER_RULE rows per rule and
 * ROWS_PER_RULE_AND_FILE of them in one file, so one noisy rule or file cannot fill the table
 * (everything stays in JSON and SARIF). Table numbers and --select refer to this list.
 */
/**
 * What improve's own vetting dropped (suppressions, accepted findings, cited lines gone): the
 * model's rejections and the model findings improve's checks dropped are reported with the model
 * audit instead.
 */
export function vettingRejections(rejections: readonly Rejection[]): Rejection[] {
  return rejections.filter((rejection) => !rejection.ruleId.startsWith(LLM_RULE_PREFIX));
}

export function tableFindings(findings: readonly Finding[], level: AuditLevel): Finding[] {
  if (level === 'deep') return [...findings];
  const groups = fixGroups(findings);
  const perRule = new Map<string, number>();
  const perFile = new Map<string, number>();
  const systemicShown = new Set<string>();
  return findings.filter((finding) => {
    if (finding.confidence === 'LOW') return false;
    const count = perRule.get(finding.ruleId) ?? 0;
    if (groups.systemic(finding)) {
      const key = groups.key(finding);
      if (systemicShown.has(key) || count >= ROWS_PER_RULE) return false;
      systemicShown.add(key);
      perRule.set(finding.ruleId, count + 1);
      return true;
    }
    const file = finding.evidence[0]?.file;
    const key = file === undefined ? undefined : `${finding.ruleId}\0${file}`;
    const inFile = key === undefined ? 0 : (perFile.get(key) ?? 0);
    if (count >= ROWS_PER_RULE || inFile >= ROWS_PER_RULE_AND_FILE) return false;
    perRule.set(finding.ruleId, count + 1);
    if (key !== undefined) perFile.set(key, inFile + 1);
    return true;
  });
}

/** How far a table row reaches: the places and files of the systemic problem it stands for. */
export interface RowExtent {
  places: number;
  files: number;
}

/**
 * The title a row shows: `120× HTTP request without a timeout (in 108 files)` for a systemic
 * problem (the count first, where a narrow table does not cut it off), the finding's own title
 * otherwise.
 */
export function rowTitle(title: string, extent: RowExtent | undefined): string {
  if (!extent) return title;
  return `${extent.places}× ${title} (in ${plural(extent.files, 'file')})`;
}

/**
 * For the rows `tableFindings` gives: the extent of each row that stands for a systemic problem,
 * undefined for a row of its own (and for every row of a deep audit, which lists each place).
 */
export function rowExtents(
  findings: readonly Finding[],
  level: AuditLevel,
): (row: Finding) => RowExtent | undefined {
  if (level === 'deep') return () => undefined;
  const groups = fixGroups(findings);
  return (row) => {
    const group = groups.systemic(row);
    return group && { places: group.findings.length, files: group.files.length };
  };
}

export interface Selection {
  findings: Finding[];
  /** How the selection was made, for the index. */
  note: string;
}

/** `--select 1,3,5` (table numbers, ranges like 2-4 allowed). */
export function parseSelect(text: string, count: number): number[] {
  const numbers = new Set<number>();
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!range)
      throw new UsageError(
        `--select: "${part}" is not a number or a range`,
        'Use table numbers, e.g. --select 1,3,5 or --select 2-4.',
      );
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    for (let n = Math.min(from, to); n <= Math.max(from, to); n += 1) {
      if (n < 1 || n > count) {
        throw new UsageError(
          `--select: there is no finding #${n}`,
          `The table has ${count} finding${count === 1 ? '' : 's'}; pick numbers from 1 to ${count}.`,
        );
      }
      numbers.add(n);
    }
  }
  return [...numbers].sort((a, b) => a - b);
}

/**
 * The default without a TTY and without --select/--top: the top five by leverage among the findings
 * a senior engineer would act on (MED or HIGH confidence). LOW-confidence leads are never planned
 * by default: a plan costs an executor's time.
 */
export function defaultSelection(ranked: readonly Finding[]): Selection {
  const picked = ranked.filter((f) => f.confidence !== 'LOW').slice(0, 5);
  return {
    findings: picked,
    note: `Selected by default (no TTY and no --select/--top): the top ${picked.length} finding${picked.length === 1 ? '' : 's'} by leverage. Use --select or --top to choose.`,
  };
}

export function selectByNumbers(ranked: readonly Finding[], numbers: readonly number[]): Selection {
  return {
    findings: numbers.map((n) => ranked[n - 1]!).filter(Boolean),
    note: `Selected with --select ${numbers.join(',')}.`,
  };
}

export function selectTop(ranked: readonly Finding[], top: number): Selection {
  return {
    findings: ranked.slice(0, top),
    note: `Selected with --top ${top}: the top ${Math.min(top, ranked.length)} by leverage.`,
  };
}
