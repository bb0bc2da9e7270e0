import type { RepoProfile } from '../../core/types.ts';
import { baseName } from '../dx/find-line.ts';
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
const copiesCache = new WeakMap<RepoProfile, Map<string, string>>();

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

/** A TODO's text in lower case with its spacing collapsed, to compare TODOs by what they say. */
function sentenceOf(todo: TodoComment): string {
  return todo.text.toLowerCase().replace(/\s+/g, ' ');
}

/** A TODO sentence of this many words, found again word for word, is the same item of deferred work. */
const SAME_ITEM_WORDS = 5;

/**
 * What a TODO stands for, as a key: a sentence of five words or more is one item wherever it is
 * repeated (Glance's "Remove this legacy fallback when secure RBAC…" pasted at each place of one
 * change); a short note (`# XXX`, `TODO: i18n`) is about the line it stands on.
 */
export function todoItem(todo: TodoComment): string {
  const sentence = sentenceOf(todo);
  return sentence.split(' ').length >= SAME_ITEM_WORDS ? sentence : `${todo.file}:${todo.line}:${sentence}`;
}

/** A file's TODO comments in order, as one string: equal for two files that carry the same ones. */
function signature(todos: readonly TodoComment[]): string {
  return todos.map((todo) => `${todo.marker} ${sentenceOf(todo)}`).join('\n');
}

/** Fewer folders first, then the shorter path, then by name: `views/x.hbs` before `views/translations/x_de.hbs`. */
function originalFirst(a: string, b: string): number {
  return a.split('/').length - b.split('/').length || a.length - b.length || a.localeCompare(b);
}

/**
 * Files whose TODO comments (two or more) are word for word those of another file, in the same
 * order: copies, by generator or by hand (MeshCentral's 29 translated copies of one view). Maps each
 * copy to the file taken as the original. Copies are one piece of deferred work, not many.
 */
export function todoCopies(context: RepoContext): Map<string, string> {
  const cached = copiesCache.get(context.profile);
  if (cached) return cached;
  const byFile = new Map<string, TodoComment[]>();
  for (const todo of todoComments(context)) {
    const list = byFile.get(todo.file) ?? [];
    list.push(todo);
    byFile.set(todo.file, list);
  }
  const bySignature = new Map<string, string[]>();
  for (const [file, todos] of byFile) {
    if (todos.length < 2) continue;
    const key = signature(todos);
    const files = bySignature.get(key) ?? [];
    files.push(file);
    bySignature.set(key, files);
  }
  const out = new Map<string, string>();
  for (const files of bySignature.values()) {
    if (files.length < 2) continue;
    const [original, ...copies] = [...files].sort(originalFirst);
    if (original) for (const copy of copies) out.set(copy, original);
  }
  // A file named like another plus a language code (`login-mobile_de.handlebars` beside
  // `login-mobile.handlebars`), with the same TODOs, is a translation of it: a copy however few.
  const byName = new Map<string, string>();
  for (const file of [...byFile.keys()].sort(originalFirst)) {
    const name = baseName(file);
    if (!byName.has(name)) byName.set(name, file);
  }
  for (const [file, todos] of byFile) {
    const match = LOCALIZED.exec(baseName(file));
    const original = match ? byName.get(`${match[1]}${match[2]}`) : undefined;
    if (!original || original === file || out.has(file)) continue;
    const source = byFile.get(original);
    if (source && signature(source) === signature(todos)) out.set(file, out.get(original) ?? original);
  }
  copiesCache.set(context.profile, out);
  return out;
}

/** A file name with a language code before its extension: `default_de.hbs`, `index.pt-br.html`, `app-zh-chs.js`. */
const LOCALIZED = /^(.+)[_.-][a-z]{2}(?:[-_][a-z]{2,4})?(\.[^.]+)$/i;
