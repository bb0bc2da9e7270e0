import type { RepoProfile } from '../../core/types.ts';
import type { RepoContext } from '../types.ts';

export type TodoMarker = 'TODO' | 'FIXME' | 'HACK' | 'XXX';

/** One TODO-style comment in a source file. */
export interface TodoComment {
  file: string;
  /** 1-based. */
  line: number;
  marker: TodoMarker;
  /** The comment text after the marker, trimmed. */
  text: string;
}

/** A marker that opens a comment (`// TODO`, `# FIXME:`, ` * HACK`, `<!-- XXX`). */
const MARKER = /(?:\/\/|#|\/\*|^\s*\*|<!--|^\s*--)\s*@?(TODO|FIXME|HACK|XXX)\b(.*)$/;
const MAX_SIZE = 1_000_000;

/** The same rule as a POSIX ERE, for doneChecks that count markers with grep. */
export const TODO_MARKER_ERE =
  '(//|#|/\\*|^[[:space:]]*\\*|<!--|^[[:space:]]*--)[[:space:]]*@?(TODO|FIXME|HACK|XXX)([^A-Za-z0-9_]|$)';

const cache = new WeakMap<RepoProfile, TodoComment[]>();

function isMarker(value: string | undefined): value is TodoMarker {
  return value === 'TODO' || value === 'FIXME' || value === 'HACK' || value === 'XXX';
}

/** Every TODO/FIXME/HACK/XXX comment in the repository's own source files, in file then line order. */
export function todoComments(context: RepoContext): TodoComment[] {
  const cached = cache.get(context.profile);
  if (cached) return cached;
  const out: TodoComment[] = [];
  const files = context.profile.files
    .filter((file) => file.role === 'source' && (file.language ?? file.languageName) && file.size <= MAX_SIZE)
    .map((file) => file.path)
    .sort();
  for (const path of files) {
    const text = context.read(path);
    if (text === undefined) continue;
    text.split(/\r?\n/).forEach((line, index) => {
      const match = MARKER.exec(line);
      const marker = match?.[1];
      if (!isMarker(marker)) return;
      const rest = (match?.[2] ?? '')
        .replace(/\*\/.*$|-->.*$/, '')
        .replace(/^\s*\([^)]*\)/, '')
        .replace(/^[\s:,-]+/, '')
        .trim();
      out.push({ file: path, line: index + 1, marker, text: rest });
    });
  }
  cache.set(context.profile, out);
  return out;
}
