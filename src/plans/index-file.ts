/**
 * The plans index (`plans/README.md`). Generated content lives between
 * `<!-- improve:begin NAME -->` / `<!-- improve:end NAME -->` markers; everything outside them is
 * the user's and is kept verbatim. Parsing is tolerant: rejections and the next number are read by
 * line shape from anywhere, and broken markers are reported as problems, never guessed around.
 */
import { codeSpan, tableCell } from './markdown.ts';
import { formatStatus, type Plan, planFileName } from './plan.ts';
import { planOrder } from './plan-order.ts';

export const INDEX_MARKER = '<!-- improve:index v1 -->';
export const INDEX_REGIONS = ['order', 'status', 'selection', 'rejected', 'run', 'next-number'] as const;
export type IndexRegion = (typeof INDEX_REGIONS)[number];

const HEADINGS: Record<IndexRegion, string> = {
  order: 'Order and dependencies',
  status: 'Plans',
  selection: 'How these plans were selected',
  rejected: 'Considered and rejected',
  run: 'Latest run',
  'next-number': 'Numbering',
};

export interface IndexRejection {
  findingId: string;
  ruleId: string;
  title: string;
  reason: string;
}

export interface RunSummary {
  date: string;
  sha: string | null;
  findings: number;
  planned: number;
  rejected: number;
  /** Audit level (quick, standard, deep), when known. */
  level?: string;
  /** Defaults to "no model used: $0.00". */
  cost?: string;
  /** Per-role token and cost lines, shown under the cost line. */
  costDetails?: string[];
}

export type IndexPlan = Pick<
  Plan,
  'id' | 'number' | 'slug' | 'title' | 'status' | 'priority' | 'effort' | 'risk' | 'category' | 'dependsOn'
> &
  Partial<Pick<Plan, 'execution' | 'issue'>>;

export interface IndexInput {
  plans: readonly IndexPlan[];
  rejected: readonly IndexRejection[];
  /** null keeps the previous run summary (e.g. when only a status changed). */
  runSummary: RunSummary | null;
  /** null keeps the previous selection note. */
  selectionNote: string | null;
  nextNumber: number;
}

export interface ParsedIndex {
  /** The file carries an improve marker: it is ours to rewrite. */
  ours: boolean;
  rejected: IndexRejection[];
  nextNumber?: number;
  /** Broken or missing markers; any problem means the file must be backed up before a rewrite. */
  problems: string[];
}

const BEGIN = /^\s*<!--\s*improve:begin\s+([\w-]+)\s*-->\s*$/;
const END = /^\s*<!--\s*improve:end\s+([\w-]+)\s*-->\s*$/;
const REJECTION = /^\s*[-*]\s+`([^`]+)`\s+\(([^()\s]+)\)\s+(.+?)\s+—\s+(.+?)\s*$/;
const NEXT_NUMBER = /^\s*next number:\s*(\d+)\s*$/im;

type Segment = { kind: 'text'; line: string } | { kind: 'region'; name: string; lines: string[] };

function scan(text: string): { segments: Segment[]; problems: string[] } {
  const segments: Segment[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  let open: { name: string; lines: string[]; line: number } | undefined;
  text.split(/\r?\n/).forEach((line, index) => {
    const begin = BEGIN.exec(line)?.[1];
    const end = END.exec(line)?.[1];
    if (begin !== undefined) {
      if (open) problems.push(`line ${index + 1}: region "${begin}" begins inside region "${open.name}"`);
      if (seen.has(begin)) problems.push(`line ${index + 1}: region "${begin}" appears twice`);
      seen.add(begin);
      open = { name: begin, lines: [], line: index + 1 };
    } else if (end !== undefined) {
      if (!open) problems.push(`line ${index + 1}: region "${end}" ends but never began`);
      else if (open.name !== end)
        problems.push(`line ${index + 1}: region "${open.name}" is closed by "${end}"`);
      else segments.push({ kind: 'region', name: open.name, lines: open.lines });
      open = undefined;
    } else if (open) {
      open.lines.push(line);
    } else {
      segments.push({ kind: 'text', line });
    }
  });
  if (open) problems.push(`line ${open.line}: region "${open.name}" is never closed`);
  return { segments, problems };
}

/** Tolerant read of an index file. */
export function parseIndex(text: string): ParsedIndex {
  const ours = /<!--\s*improve:/.test(text);
  const problems = ours ? scan(text).problems : [];
  const version = /<!--\s*improve:index\s+v(\d+)\s*-->/.exec(text)?.[1];
  if (ours && version === undefined) problems.push(`the marker ${INDEX_MARKER} is missing`);
  else if (ours && version !== '1')
    problems.push(`index version v${version} is not understood (expected v1)`);
  const rejected: IndexRejection[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = REJECTION.exec(line);
    if (match?.[1] && match[2] && match[3] && match[4]) {
      rejected.push({ findingId: match[1], ruleId: match[2], title: match[3], reason: match[4] });
    }
  }
  const next = NEXT_NUMBER.exec(text)?.[1];
  const parsed: ParsedIndex = { ours, rejected, problems };
  if (next !== undefined) parsed.nextNumber = Number(next);
  return parsed;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function linkText(text: string): string {
  return tableCell(oneLine(text)).replace(/([[\]])/g, '\\$1');
}

/** ` · [#12](https://…/issues/12)` for a published plan; '' otherwise. */
function issueLink(url: string | undefined): string {
  if (!url) return '';
  const number = /\/issues\/(\d+)\/?$/.exec(url)?.[1];
  return ` · [${number ? `#${number}` : 'issue'}](${url.replace(/[()\s|]/g, encodeURIComponent)})`;
}

function statusTable(plans: readonly IndexPlan[]): string[] {
  if (plans.length === 0) return ['No plans yet.'];
  return [
    '| # | plan | status | priority | effort | risk | category | depends on |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...plans.map((plan) =>
      [
        '',
        plan.id,
        `[${linkText(plan.title)}](${planFileName(plan)})${issueLink(plan.issue)}`,
        tableCell(
          oneLine(formatStatus(plan.status)) +
            (plan.execution ? ` · branch ${codeSpan(plan.execution.branch)}` : ''),
        ),
        plan.priority,
        plan.effort,
        plan.risk,
        plan.category,
        plan.dependsOn.length > 0 ? plan.dependsOn.join(', ') : '—',
        '',
      ]
        .join(' | ')
        .trim(),
    ),
  ];
}

export function formatRejection(rejection: IndexRejection): string {
  const title = oneLine(rejection.title).replace(/ — /g, ' - ');
  return `- ${codeSpan(rejection.findingId)} (${rejection.ruleId}) ${title} — ${oneLine(rejection.reason)}`;
}

function runLines(run: RunSummary): string[] {
  return [
    `- date: ${run.date}`,
    `- commit: ${run.sha ?? 'none (not a git repository)'}`,
    ...(run.level ? [`- audit level: ${run.level}`] : []),
    `- findings: ${run.findings} (planned ${run.planned}, rejected ${run.rejected})`,
    `- cost: ${run.cost ?? 'no model used: $0.00'}`,
    ...(run.costDetails ?? []).map((line) => `  - ${line}`),
  ];
}

/** The new content of each region; undefined keeps the previous content. */
function regionContent(input: IndexInput): Record<IndexRegion, string[] | undefined> {
  return {
    order: planOrder(input.plans),
    status: statusTable(input.plans),
    selection: input.selectionNote === null ? undefined : [oneLine(input.selectionNote)],
    rejected: input.rejected.length > 0 ? input.rejected.map(formatRejection) : ['None.'],
    run: input.runSummary === null ? undefined : runLines(input.runSummary),
    'next-number': [`next number: ${input.nextNumber}`],
  };
}

const FALLBACK: Record<IndexRegion, string[]> = {
  order: ['No plans yet.'],
  status: ['No plans yet.'],
  selection: ['Plans were chosen explicitly.'],
  rejected: ['None.'],
  run: ['No run recorded yet.'],
  'next-number': ['next number: 1'],
};

function region(name: IndexRegion, content: string[]): string[] {
  return [`<!-- improve:begin ${name} -->`, ...content, `<!-- improve:end ${name} -->`];
}

function fresh(content: Record<IndexRegion, string[] | undefined>): string[] {
  const lines = [
    '# Improvement plans',
    '',
    INDEX_MARKER,
    '',
    'Written by `improve`. Each plan file is self-contained: hand one to an executor (a coding agent, a cheap model, a script) or to a person.',
    'Text outside the `improve:begin` / `improve:end` regions is yours: it is kept on every run.',
  ];
  for (const name of INDEX_REGIONS) {
    lines.push('', `## ${HEADINGS[name]}`, '');
    if (name === 'next-number')
      lines.push('Plan numbers are never reused, even after a plan file is deleted.', '');
    if (name === 'rejected')
      lines.push(
        'To reject a finding for good, add a line like `- `F-1a2b3c4d` (rule/id) title — why` here (inside or outside the region): later runs skip it and keep the line.',
        '',
      );
    lines.push(...region(name, content[name] ?? FALLBACK[name]));
  }
  return lines;
}

/**
 * Render the index. With `previous` (an index of ours with sound markers), only the generated
 * regions are replaced and every other line is kept; otherwise a fresh index is written.
 */
export function renderIndex(input: IndexInput, previous?: string): string {
  const content = regionContent(input);
  const parsed = previous === undefined ? undefined : parseIndex(previous);
  if (previous === undefined || !parsed?.ours || parsed.problems.length > 0)
    return `${fresh(content).join('\n')}\n`;
  const { segments } = scan(previous.replace(/\n+$/, ''));
  const lines: string[] = [];
  const written = new Set<string>();
  for (const segment of segments) {
    if (segment.kind === 'text') {
      lines.push(segment.line);
      continue;
    }
    const known = INDEX_REGIONS.find((name) => name === segment.name);
    written.add(segment.name);
    const replacement = known ? content[known] : undefined;
    lines.push(`<!-- improve:begin ${segment.name} -->`, ...(replacement ?? segment.lines));
    lines.push(`<!-- improve:end ${segment.name} -->`);
  }
  for (const name of INDEX_REGIONS) {
    if (!written.has(name))
      lines.push('', `## ${HEADINGS[name]}`, '', ...region(name, content[name] ?? FALLBACK[name]));
  }
  return `${lines.join('\n')}\n`;
}
