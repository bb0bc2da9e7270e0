import type { SgNode } from '@ast-grep/napi';
import { redactLine } from '../../core/redact.ts';
import { findingAt, lineGoneCheck, lineOf } from '../correctness/finding-at.ts';
import type { FileInput, RawFinding } from '../types.ts';
import { type ValueSource, valueSource } from './value-source.ts';

/** The worst source among `parts`, and the first part that has it. */
export function worstPart(parts: readonly SgNode[], python: boolean): { source: ValueSource; part?: SgNode } {
  let best: { source: ValueSource; part?: SgNode } = { source: 'constant' };
  const rank: Record<ValueSource, number> = { constant: 0, unknown: 1, request: 2 };
  for (const part of parts) {
    const source = valueSource(part, python);
    if (rank[source] > rank[best.source]) best = { source, part };
  }
  return best;
}

/** Short, redacted code text for a message. */
export function codeText(node: SgNode, max = 60): string {
  const text = redactLine(node.text().replace(/\s+/g, ' ').trim());
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A finding for tainted data reaching a sink call: cites the call, and the line where the
 * tainted part enters when that is elsewhere; the done check watches both lines.
 */
export function sinkFinding(
  file: FileInput,
  call: SgNode,
  part: SgNode,
  source: Exclude<ValueSource, 'constant'>,
  message: string,
): RawFinding {
  const callStart = lineOf(call);
  const partLine = lineOf(part);
  const callEnd = call.range().end.line + 1;
  const outside = partLine < callStart || partLine > callEnd;
  const extra: Omit<RawFinding, 'file'> = { confidence: source === 'request' ? 'HIGH' : 'MED', message };
  // The fix changes the line that reads the value or the call that uses it (`redirect(safe(next))`,
  // a query given its parameters): either one changing is the fix being made.
  const checks = [lineGoneCheck(file, partLine), ...(outside ? [lineGoneCheck(file, callStart)] : [])].filter(
    (check) => check !== undefined,
  );
  if (checks.length > 0) extra.doneCheck = checks.join(' || ');
  if (outside) extra.related = [{ file: file.path, startLine: partLine, endLine: partLine }];
  return findingAt(file, call, extra);
}

export function describeSource(source: Exclude<ValueSource, 'constant'>, part: SgNode): string {
  return source === 'request'
    ? `request data (\`${codeText(part)}\`)`
    : `\`${codeText(part)}\`, a value this function does not control`;
}
