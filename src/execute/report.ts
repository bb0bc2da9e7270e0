/** Read the fixed executor report (render-plan.ts REPORT_FORMAT) out of an executor's output. */
import type { ExecutorReport } from './types.ts';

const LABELS = [
  'STATUS',
  'STEPS COMPLETED',
  'VERIFY RESULTS',
  'FILES CHANGED',
  'STOP REASON',
  'NOTES',
] as const;
type Label = (typeof LABELS)[number];

/** A report line: `STATUS: …`, also with markdown decoration (`**STATUS**:`, `- STATUS:`). */
const FIELD = new RegExp(`^\\s*(?:[-*>#]+\\s*)?\\**(${LABELS.join('|')})\\**\\s*:\\**\\s*(.*)$`, 'i');
const STATUS = /^(DONE|STOPPED|BLOCKED)\b/i;

function isNone(text: string): boolean {
  return /^(?:none|n\/a|-|—)?\.?$/i.test(text.trim());
}

function list(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) =>
      item
        .trim()
        .replace(/^[-*]\s+/, '')
        .replace(/^`(.*)`$/, '$1')
        .trim(),
    )
    .filter((item) => item !== '' && !isNone(item));
}

/**
 * The last report in `output`, or undefined when there is none. Fields may span lines; a report
 * inside a ```text fence is read the same way.
 */
export function parseReport(output: string): ExecutorReport | undefined {
  const lines = output.split(/\r?\n/);
  let start = -1;
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const match = FIELD.exec(lines[index] ?? '');
    if (match?.[1]?.toUpperCase() === 'STATUS' && STATUS.test((match[2] ?? '').trim())) {
      start = index;
      break;
    }
  }
  if (start < 0) return undefined;
  const fields = new Map<Label, string[]>();
  let current: Label | undefined;
  for (const line of lines.slice(start)) {
    if (/^\s*(?:```|~~~)/.test(line)) break;
    const match = FIELD.exec(line);
    const label = LABELS.find((item) => item === match?.[1]?.toUpperCase());
    if (label && !fields.has(label)) {
      current = label;
      fields.set(label, [match?.[2] ?? '']);
    } else if (current) {
      fields.get(current)?.push(line);
    }
  }
  const text = (label: Label) => (fields.get(label) ?? []).join('\n').trim();
  const status = STATUS.exec(text('STATUS'))?.[1]?.toUpperCase();
  const report: ExecutorReport = {
    status: status === 'STOPPED' ? 'STOPPED' : status === 'BLOCKED' ? 'BLOCKED' : 'DONE',
    stepsCompleted: text('STEPS COMPLETED'),
    verifyResults: text('VERIFY RESULTS')
      .split('\n')
      .map((line) => line.trim().replace(/^[-*]\s+/, ''))
      .filter((line) => line !== '' && !isNone(line)),
    filesChanged: list(text('FILES CHANGED')),
  };
  const stop = text('STOP REASON');
  if (!isNone(stop)) report.stopReason = stop;
  const notes = text('NOTES');
  if (!isNone(notes)) report.notes = notes;
  return report;
}
