/** Find a plan's quoted excerpt in a file's current (redacted) lines. */
import type { PlanExcerpt } from '../plans/plan.ts';

export type ExcerptPlace =
  | { kind: 'intact' }
  | { kind: 'moved'; startLine: number; endLine: number }
  | { kind: 'missing' };

/**
 * Where the excerpt's lines now are: still at the cited lines, moved (verbatim, the occurrence
 * nearest to the old place), or missing. `lines` are the file's redacted lines, or undefined
 * when the file is gone.
 */
export function locateExcerpt(lines: readonly string[] | undefined, excerpt: PlanExcerpt): ExcerptPlace {
  if (!lines) return { kind: 'missing' };
  const wanted = excerpt.excerpt.split('\n');
  const matchesAt = (start: number) => wanted.every((line, offset) => lines[start + offset] === line);
  if (matchesAt(excerpt.startLine - 1)) return { kind: 'intact' };
  let best: number | undefined;
  for (let start = 0; start + wanted.length <= lines.length; start += 1) {
    if (!matchesAt(start)) continue;
    if (
      best === undefined ||
      Math.abs(start + 1 - excerpt.startLine) < Math.abs(best + 1 - excerpt.startLine)
    )
      best = start;
  }
  if (best === undefined) return { kind: 'missing' };
  return { kind: 'moved', startLine: best + 1, endLine: best + wanted.length };
}
