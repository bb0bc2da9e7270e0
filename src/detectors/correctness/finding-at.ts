import type { SgNode } from '@ast-grep/napi';
import { redactLine } from '../../core/redact.ts';
import { escapeEre, shellQuote } from '../dx/shell-quote.ts';
import type { FileInput, RawFinding } from '../types.ts';

/**
 * A done check that exits non-zero while the cited line's text is still in the file and 0 once it
 * is gone (or, when the same text appears on several lines, once one copy is gone). Undefined when
 * the line is too short to be specific or carries anything that looks like a credential.
 *
 * `atLineStart`: for a fix that keeps the statement but puts something before it (`await`,
 * `void`, `return`), only a line that still starts with the text counts; the plain check would
 * still find it inside `await sendReceipt(order);`.
 */
export function lineGoneCheck(
  file: Pick<FileInput, 'path' | 'lines'>,
  lineNumber: number,
  atLineStart = false,
): string | undefined {
  const text = file.lines[lineNumber - 1]?.trim();
  if (!text || text.length < 6) return undefined;
  if (redactLine(text) !== text) return undefined;
  const [flags, pattern] = atLineStart ? ['E', `^[[:space:]]*${escapeEre(text)}`] : ['F', text];
  const quoted = shellQuote(pattern);
  const target = shellQuote(file.path);
  const copies = file.lines.filter((line) =>
    atLineStart ? line.trimStart().startsWith(text) : line.includes(text),
  ).length;
  if (copies <= 1) return `! grep -q${flags} -- ${quoted} ${target}`;
  return `[ "$(grep -c${flags} -- ${quoted} ${target})" -lt ${copies} ]`;
}

/** A raw finding citing `node` (its first line unless `extra` says otherwise) with a line-gone done check. */
export function findingAt(file: FileInput, node: SgNode, extra: Omit<RawFinding, 'file'> = {}): RawFinding {
  const range = node.range();
  const startLine = range.start.line + 1;
  const finding: RawFinding = { file: file.path, startLine, endLine: range.end.line + 1, ...extra };
  const check = lineGoneCheck(file, finding.startLine ?? startLine);
  if (check && finding.doneCheck === undefined) finding.doneCheck = check;
  return finding;
}

/** 1-based line of a node's start. */
export function lineOf(node: SgNode): number {
  return node.range().start.line + 1;
}

/**
 * A done check that passes once no line of the file matches `ere` (POSIX extended): the option or
 * construct is gone however the line around it is rewritten.
 */
export function patternGoneCheck(file: Pick<FileInput, 'path'>, ere: string): string {
  return `! grep -qE -- ${shellQuote(ere)} ${shellQuote(file.path)}`;
}
