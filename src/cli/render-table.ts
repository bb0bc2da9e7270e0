import stringWidth from 'string-width';

export interface Column {
  header: string;
  /** Columns marked flexible shrink (with an ellipsis) when the table is wider than the terminal. */
  flexible?: boolean;
  align?: 'left' | 'right';
}

function fit(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  let out = '';
  for (const char of text) {
    if (stringWidth(`${out}${char}…`) > width) break;
    out += char;
  }
  return `${out}…`;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const gap = ' '.repeat(Math.max(0, width - stringWidth(text)));
  return align === 'right' ? gap + text : text + gap;
}

/** A plain-text table that fits `maxWidth` by shrinking flexible columns. */
export function renderTable(columns: readonly Column[], rows: readonly string[][], maxWidth: number): string {
  const widths = columns.map((column, i) =>
    Math.max(stringWidth(column.header), ...rows.map((row) => stringWidth(row[i] ?? ''))),
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
