/**
 * Hold a model's citation to the file. A cited range must contain the line the model quotes; when
 * the quote is elsewhere in the file the range moves there, and when it is nowhere the citation is
 * a hallucinated location and is refused.
 */
import { MAX_EXCERPT_LINES } from '../audit/build-finding.ts';
import { normalisePath, type RepoFiles } from './repo-tools.ts';
import { isSensitivePath } from './sensitive-path.ts';

export interface Citation {
  file: string;
  startLine: number;
  endLine: number;
  quote: string;
}

export type Located =
  | { ok: true; file: string; startLine: number; endLine: number; moved: boolean }
  | { ok: false; reason: string };

const MIN_QUOTE = 6;

function norm(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function short(text: string): string {
  const one = norm(text);
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}

/** Check that `file` may be cited: inside the repository, audited, not sensitive. */
export function citable(
  files: RepoFiles,
  input: string,
): { ok: true; file: string } | { ok: false; reason: string } {
  const file = normalisePath(input);
  if (file === undefined || file === '')
    return { ok: false, reason: `${input} is not a file in the repository` };
  if (isSensitivePath(file)) return { ok: false, reason: `${file} is a sensitive file and cannot be cited` };
  if (!files.paths.includes(file) || !files.reader.lines(file))
    return { ok: false, reason: `${file} does not exist in the audited repository` };
  return { ok: true, file };
}

export function locate(files: RepoFiles, citation: Citation): Located {
  const target = citable(files, citation.file);
  if (!target.ok) return target;
  const lines = files.reader.lines(target.file) ?? [];
  const quote = citation.quote
    .split('\n')
    .map(norm)
    .find((line) => line !== '');
  if (!quote) return { ok: false, reason: `the citation of ${target.file} quotes no text` };
  const matchesAt = (index: number): boolean => {
    const line = norm(lines[index] ?? '');
    return line === quote || (quote.length >= MIN_QUOTE && line.includes(quote));
  };
  const start = Math.max(1, Math.min(citation.startLine, citation.endLine));
  const end = Math.max(citation.startLine, citation.endLine);
  const span = Math.min(end - start, MAX_EXCERPT_LINES - 1);
  if (start <= lines.length) {
    for (let index = start - 1; index < Math.min(end, lines.length); index += 1) {
      if (matchesAt(index))
        return {
          ok: true,
          file: target.file,
          startLine: start,
          endLine: Math.min(end, lines.length),
          moved: false,
        };
    }
  }
  let best: number | undefined;
  for (let index = 0; index < lines.length; index += 1) {
    if (matchesAt(index) && (best === undefined || Math.abs(index + 1 - start) < Math.abs(best + 1 - start)))
      best = index;
  }
  if (best === undefined) {
    return {
      ok: false,
      reason: `hallucinated location: "${short(quote)}" is not in ${target.file}${start > lines.length ? ` (which has ${lines.length} lines, not ${start})` : ''}`,
    };
  }
  const startLine = best + 1;
  return {
    ok: true,
    file: target.file,
    startLine,
    endLine: Math.min(lines.length, startLine + span),
    moved: true,
  };
}
