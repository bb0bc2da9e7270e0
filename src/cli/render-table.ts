import { createRequire } from 'node:module';

type Measure = (text: string) => number;

/**
 * Printable ASCII, and the ellipsis that shortens a cell (string-width gives it one column): one
 * column per character.
 */
const PLAIN = /^[\x20-\x7e…]*$/;

/**
 * string-width, for text that is not plain ASCII. Loading it costs about 40 ms (it builds an
 * `Intl.Segmenter` and Unicode property regexes), a quarter of the CLI's start-up, and most tables
 * are plain ASCII: it is loaded by `require` on the first cell that needs it, or up front where
 * `require` cannot load an ES module (Node 22 before 22.12).
 */
let stringWidth: Measure | undefined = process.features.require_module
  ? undefined
  : (await import('string-width')).default;

function widthOf(text: string): number {
  if (PLAIN.test(text)) return text.length;
  stringWidth ??= (createRequire(import.meta.url)('string-width') as { default: Measure }).default;
  return stringWidth(text);
}

export interface Column {
  header: string;
  /** Columns marked flexible shrink (with an ellipsis) when the table is wider than the terminal. */
  flexible?: boolean;
  align?: 'left' | 'right';
}

function fit(text: string, width: number): string {
  if (widthOf(text) <= width) return text;
  let out = '';
  for (const char of text) {
    // The ellipsis is one column wide.
    if (widthOf(`${out}${char}`) + 1 > width) break;
    out += char;
  }
  return `${out}…`;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const gap = ' '.repeat(Math.max(0, width - widthOf(text)));
  return align === 'right' ? gap + text : text + gap;
}

/** A plain-text table that fits `maxWidth` by shrinking flexible columns. */
export function renderTable(columns: readonly Column[], rows: readonly string[][], maxWidth: number): string {
  const widths = columns.map((column, i) =>
    Math.max(widthOf(column.header), ...rows.map((row) => widthOf(row[i] ?? ''))),
  );
  const separator = 2;
  let total = widths.reduce((sum, w) => sum + w, 0) + separator * (columns.length - 1);
  const flexible = columns.map((c, i) => (c.flexible ? i : -1)).filter((i) => i >= 0);
  while (total > maxWidth && flexible.some((i) => widths[i]! > 12)) {
    const widest = flexible.reduce((a, b) => (widths[a]! >= widths[b]! ? a : b));
    widths[widest]! -= 1;
    total -= 1;
  }
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => pad(fit(cell, widths[i]!), widths[i]!, columns[i]?.align ?? 'left'))
      .join(' '.repeat(separator))
      .trimEnd();
  const header = line(columns.map((c) => c.header));
  const rule = widths.map((w) => '─'.repeat(w)).join(' '.repeat(separator));
  return [header, rule, ...rows.map(line)].join('\n');
}
