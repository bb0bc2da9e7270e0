/** Small markdown helpers shared by the plan renderer and parser: code spans, fences, tables, sections. */

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    longest = Math.max(longest, current);
  }
  return longest;
}

/** A CommonMark code span that survives backticks inside the text (longer fence, padding). */
export function codeSpan(text: string): string {
  const fence = '`'.repeat(longestRun(text, '`') + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' '));
  return pad ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

/** Read a code span at the start of `text`; returns its content and the rest of the line. */
export function readCodeSpan(text: string): { code: string; rest: string } | undefined {
  const open = /^`+/.exec(text)?.[0];
  if (!open) return undefined;
  let index = open.length;
  while (index < text.length) {
    const run = /^`+/.exec(text.slice(index))?.[0];
    if (run) {
      if (run.length === open.length) {
        let code = text.slice(open.length, index);
        if (code.length > 1 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '') {
          code = code.slice(1, -1);
        }
        return { code, rest: text.slice(index + run.length) };
      }
      index += run.length;
    } else {
      index += 1;
    }
  }
  return undefined;
}

/** The opening/closing fence for a block whose content may itself contain backtick runs. */
export function fenceFor(content: string): string {
  return '`'.repeat(Math.max(3, longestRun(content, '`') + 1));
}

/** Escape a table cell: pipes are escaped, newlines become spaces. */
export function tableCell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** Split a table row into unescaped cell texts. */
export function splitTableRow(line: string): string[] {
  const inner = line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return inner.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** A bullet list item; continuation lines are indented so multi-line items survive a round trip. */
export function bullet(text: string, marker = '- '): string {
  return `${marker}${text.split('\n').join(`\n${' '.repeat(marker.length)}`)}`;
}

/** Read `- item` bullets (with indented continuation lines) from a block of lines. */
export function readBullets(lines: readonly string[], marker = '- '): string[] {
  const items: string[][] = [];
  const indent = ' '.repeat(marker.length);
  let open = false;
  for (const line of lines) {
    if (line.startsWith(marker)) {
      items.push([line.slice(marker.length)]);
      open = true;
    } else if (open && line.startsWith(indent)) {
      items[items.length - 1]?.push(line.slice(indent.length));
    } else {
      open = false;
    }
  }
  return items.map((item) => item.join('\n'));
}

export interface Section {
  heading: string;
  lines: string[];
}

/**
 * Split lines into sections at headings of the given level (`##` → 2), ignoring anything inside
 * fenced code blocks. Lines before the first heading go to a section with heading ''.
 */
export function splitSections(lines: readonly string[], level: number): Section[] {
  const prefix = `${'#'.repeat(level)} `;
  const sections: Section[] = [{ heading: '', lines: [] }];
  let fence: string | undefined;
  for (const line of lines) {
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch?.[1]) {
      const marker = fenceMatch[1];
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) {
        fence = undefined;
      }
    } else if (fence === undefined && line.startsWith(prefix)) {
      sections.push({ heading: line.slice(prefix.length).trim(), lines: [] });
      continue;
    }
    sections[sections.length - 1]?.lines.push(line);
  }
  return sections;
}

/** Trim blank lines at both ends of a block. */
export function trimBlank(lines: readonly string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]?.trim() === '') start += 1;
  while (end > start && lines[end - 1]?.trim() === '') end -= 1;
  return lines.slice(start, end);
}
