import type { RawFinding } from '../types.ts';

/** One line in one file. */
export interface CitedPlace {
  file: string;
  line: number;
}

/** A finding's citation of several single lines: the first is the evidence, the rest related. */
export function citeLines(
  places: readonly CitedPlace[],
): Required<Pick<RawFinding, 'file' | 'startLine' | 'endLine' | 'related'>> | undefined {
  const [first, ...rest] = places;
  if (!first) return undefined;
  return {
    file: first.file,
    startLine: first.line,
    endLine: first.line,
    related: rest.map((place) => ({ file: place.file, startLine: place.line, endLine: place.line })),
  };
}
