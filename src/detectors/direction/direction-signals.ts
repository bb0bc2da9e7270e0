import path from 'node:path';
import { redactText } from '../../core/redact.ts';
import type { FileRole, RepoProfile } from '../../core/types.ts';
import { baseName } from '../dx/find-line.ts';
import { type TodoComment, todoComments, todoCopies, todoItem } from '../tech-debt/todo-comments.ts';
import type { RawFinding, RepoContext } from '../types.ts';

/** At most this many direction findings come from the built-in detectors together. */
export const MAX_DIRECTION_FINDINGS = 4;
const MAX_THEMES = 2;
const MIN_THEME_COMMENTS = 3;
const MIN_THEME_FILES = 2;
const MAX_RELATED = 4;

export interface DirectionSignal {
  kind: 'todo-theme' | 'unfinished-promise';
  score: number;
  finding: RawFinding;
}

const STOPWORDS = new Set(
  (
    'todo fixme hack xxx this that these those there here then than them they their with without from into onto ' +
    'should would could must might maybe need needs needed make makes made also just only when where which what ' +
    'while will have has having been being does done doing some more most less much many very other another each ' +
    'every after before about above below again once same such because instead still like want wants later soon ' +
    'really probably actually right wrong better good thing things stuff work works code function functions method ' +
    'methods file files line lines value values data call calls case cases type types change changes use used using ' +
    'remove add fix fixed handle check first last next time way currently properly possible something anything ' +
    'nothing everything into over under until whether either neither your ours mine note temporary temp ' +
    'refactor cleanup clean improve implement optimize optimise rename move simplify workaround perhaps support ' +
    'review revisit consider reconsider default defaults module modules object objects string strings array ' +
    'arrays list lists variable variables argument arguments field fields ' +
    // Verbs of how the work will be approached, not of what it is about (Flask-Security's "look").
    'look looks see try figure investigate think find get keep ' +
    // Words of the code itself, not of a subject: `self`, `None`, `args` in Python and JavaScript TODOs.
    'self none true false null undefined return returns else import class args kwargs param params const async await yield lambda'
  ).split(' '),
);

/**
 * The project's own name, which its TODOs mention without being about it (Ghost's "ghost"): the
 * package.json or pyproject name, the folder's name, and top-level Python packages.
 */
function projectWords(context: RepoContext): Set<string> {
  const names = [path.basename(context.profile.root)];
  const manifest = context.read('package.json');
  if (manifest) names.push(/"name"\s*:\s*"([^"]+)"/.exec(manifest)?.[1] ?? '');
  for (const file of ['pyproject.toml', 'setup.cfg', 'setup.py']) {
    const text = context.read(file);
    if (text)
      names.push(
        /^\s*name\s*[=:]\s*["']?([\w.-]+)/m.exec(text)?.[1] ??
          /\bname\s*=\s*["']([\w.-]+)["']/.exec(text)?.[1] ??
          '',
      );
  }
  for (const file of context.profile.files) {
    const match = /^([A-Za-z_]\w*)\/__init__\.py$/.exec(file.path);
    if (match?.[1]) names.push(match[1]);
  }
  const out = new Set<string>();
  for (const name of names)
    for (const word of name.toLowerCase().split(/[^a-z0-9]+/)) if (word.length >= 3) out.add(stem(word));
  return out;
}
const SHORT_THEMES = new Set(['api', 'ui', 'ux', 'db', 'sql', 'ssr', 'cli', 'io', 'css', 'ci', 'i18n']);
const PROMISE_DOC = /^(readme|roadmap|todo|plans?|vision)(\.[a-z]+)?$/i;
const SKIPPED_ROLES: ReadonlySet<FileRole> = new Set(['fixture', 'example', 'test', 'vendored', 'generated']);
const UNCHECKED = /^\s*[-*+]\s+\[ \]\s+(\S.*)$/;
const QUOTED = /`[^`]*`|"[^"]*"|“[^”]*”/g;
const STATEMENT =
  /\b(coming soon|not yet implemented|not implemented yet|not yet supported|not supported yet|planned for a future release)\b/i;

/** A crude stem so "cache", "cached", "caching" and "caches" count as one theme. */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  const stripped = word.replace(/(?:ing|ed|es|e|s)$/, '');
  return stripped.length >= 3 && !word.endsWith('ss') ? stripped : word;
}

/** A word the project's name starts or ends with (buildbot's "build"): the domain, not a theme. */
function partOfName(key: string, own: ReadonlySet<string>): boolean {
  if (key.length < 4) return false;
  for (const name of own)
    if (name.length > key.length && (name.startsWith(key) || name.endsWith(key))) return true;
  return false;
}

/** Stem → the surface form seen (the first one, in file order), per TODO. */
function words(text: string, own: ReadonlySet<string> = new Set()): Map<string, string> {
  const out = new Map<string, string>();
  // A link's words (`https`, `github`, `issues`) say where the discussion is, not what is deferred.
  const prose = text.replace(/\b[a-z][\w+.-]*:\/\/\S+/gi, ' ');
  for (const raw of prose.toLowerCase().split(/[^a-z0-9]+/)) {
    if (raw === '' || /^\d/.test(raw) || STOPWORDS.has(raw)) continue;
    if (raw.length < 4 && !SHORT_THEMES.has(raw)) continue;
    const key = stem(raw);
    if (STOPWORDS.has(key) || own.has(key) || partOfName(key, own)) continue;
    if (!out.has(key)) out.set(key, raw);
  }
  return out;
}

function short(text: string): string {
  const clean = redactText(text).replace(/\s+/g, ' ').trim();
  return clean.length > 80 ? `${clean.slice(0, 77)}…` : clean;
}

function todoThemes(context: RepoContext): DirectionSignal[] {
  // Copies of a file's TODOs are the same deferred work: counted once, in the original. So is a
  // sentence found word for word in several files (a view and its translated copies): a short
  // marker (`TODO: i18n`) is written anew at each place, a sentence is carried along with its code.
  const copies = todoCopies(context);
  const items = new Set<string>();
  const todos = todoComments(context).filter((todo) => {
    if ((todo.marker !== 'TODO' && todo.marker !== 'FIXME') || copies.has(todo.file)) return false;
    const item = todoItem(todo);
    if (items.has(item)) return false;
    items.add(item);
    return true;
  });
  const byWord = new Map<string, TodoComment[]>();
  const forms = new Map<string, Map<string, number>>();
  const own = todos.length > 0 ? projectWords(context) : new Set<string>();
  for (const todo of todos) {
    for (const [key, form] of words(todo.text, own)) {
      const list = byWord.get(key) ?? [];
      list.push(todo);
      byWord.set(key, list);
      const seen = forms.get(key) ?? new Map<string, number>();
      seen.set(form, (seen.get(form) ?? 0) + 1);
      forms.set(key, seen);
    }
  }
  const display = (key: string) =>
    [...(forms.get(key) ?? new Map<string, number>()).entries()].sort(
      (a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]),
    )[0]?.[0] ?? key;
  const themes = [...byWord.entries()]
    .map(([key, list]) => ({ word: display(key), list, files: new Set(list.map((todo) => todo.file)) }))
    .filter((theme) => theme.list.length >= MIN_THEME_COMMENTS && theme.files.size >= MIN_THEME_FILES)
    .sort(
      (a, b) => b.list.length - a.list.length || b.files.size - a.files.size || a.word.localeCompare(b.word),
    );
  const chosen: typeof themes = [];
  const covered = new Set<TodoComment>();
  for (const theme of themes) {
    if (chosen.length >= MAX_THEMES) break;
    const overlap = theme.list.filter((todo) => covered.has(todo)).length;
    if (overlap * 3 >= theme.list.length * 2) continue; // the same TODOs under another word
    chosen.push(theme);
    for (const todo of theme.list) covered.add(todo);
  }
  return chosen.map(({ word, list, files }) => {
    // Cite one TODO per file first, so the evidence shows the spread.
    const firsts = [...files]
      .map((file) => list.find((todo) => todo.file === file))
      .filter((t) => t !== undefined);
    const ordered = [...firsts, ...list.filter((todo) => !firsts.includes(todo))];
    const [first, ...rest] = ordered;
    return {
      kind: 'todo-theme' as const,
      score: 4 + list.length + files.size,
      finding: {
        file: first?.file,
        startLine: first?.line,
        endLine: first?.line,
        related: rest
          .slice(0, MAX_RELATED)
          .map((todo) => ({ file: todo.file, startLine: todo.line, endLine: todo.line })),
        title: `Recurring theme in TODOs: "${word}" (${list.length} TODOs in ${files.size} files)`,
        message: `${list.length} TODO/FIXME comments across ${files.size} files mention "${word}" (${list
          .slice(0, 3)
          .map((todo) => `${todo.file}:${todo.line}`)
          .join(
            ', ',
          )}${list.length > 3 ? ', …' : ''}). The team keeps deferring the same piece of work; doing it once, deliberately, likely pays off more than any single TODO.`,
        key: `todo-theme:${word}`,
      },
    };
  });
}

interface CitedLine {
  line: number;
  text: string;
}

function quote(lines: CitedLine[], count: number, separator: string): string {
  return lines
    .slice(0, count)
    .map((item) => `"${short(item.text)}" (line ${item.line})`)
    .join(separator);
}

/** A promise finding citing the first line, with the next few as related evidence. */
function promiseSignal(
  path: string,
  lines: CitedLine[],
  score: number,
  text: { title: string; message: string; key: string },
): DirectionSignal {
  const [first, ...rest] = lines;
  return {
    kind: 'unfinished-promise',
    score,
    finding: {
      file: path,
      startLine: first?.line,
      endLine: first?.line,
      related: rest
        .slice(0, MAX_RELATED)
        .map((item) => ({ file: path, startLine: item.line, endLine: item.line })),
      ...text,
    },
  };
}

function promises(context: RepoContext): DirectionSignal[] {
  const { profile } = context;
  const intent = new Set(
    profile.intentDocs.filter((doc) => doc.kind === 'roadmap' || doc.kind === 'prd').map((doc) => doc.path),
  );
  const out: DirectionSignal[] = [];
  const docs = profile.files
    .filter(
      (file) =>
        (intent.has(file.path) || PROMISE_DOC.test(baseName(file.path))) &&
        /\.(md|markdown|txt|rst)$|^[^.]+$/i.test(baseName(file.path)) &&
        !SKIPPED_ROLES.has(file.role) &&
        !file.path.startsWith('.github/'),
    )
    .map((file) => file.path)
    .sort();
  for (const path of docs) {
    const text = context.read(path);
    if (text === undefined) continue;
    const items: CitedLine[] = [];
    const statements: CitedLine[] = [];
    let fenced = false;
    text.split(/\r?\n/).forEach((line, index) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      if (fenced) return;
      const item = UNCHECKED.exec(line)?.[1];
      if (item) items.push({ line: index + 1, text: item });
      // A quoted phrase is a mention ("flags \"coming soon\" promises"), not a promise.
      else if (STATEMENT.test(line.replace(QUOTED, '')))
        statements.push({ line: index + 1, text: line.replace(/^[\s#>*-]+/, '') });
    });
    const isRoadmap = intent.has(path) || /^roadmap/i.test(baseName(path));
    if (items.length > 0) {
      out.push(
        promiseSignal(path, items, (isRoadmap ? 12 : 10) + Math.min(items.length, 10), {
          title: `${items.length} unchecked item${items.length === 1 ? '' : 's'} in ${path}`,
          message: `${path} lists work that is not done yet: ${quote(items, 3, '; ')}${items.length > 3 ? `, and ${items.length - 3} more` : ''}. These are the maintainers’ own stated next steps.`,
          key: `unchecked:${path}`,
        }),
      );
    }
    if (statements.length > 0) {
      out.push(
        promiseSignal(path, statements, 6 + Math.min(statements.length, 6), {
          title: `${path} promises features that are not there yet`,
          message: `${path} says ${quote(statements, 2, ' and ')}. Users read these as commitments; either deliver them or take the promise out.`,
          key: `statement:${path}`,
        }),
      );
    }
  }
  return out;
}

const cache = new WeakMap<RepoProfile, DirectionSignal[]>();

/**
 * Grounded direction signals from the repository's own words, highest signal first and capped
 * across both direction detectors.
 */
export function directionSignals(context: RepoContext): DirectionSignal[] {
  const cached = cache.get(context.profile);
  if (cached) return cached;
  const all = [...promises(context), ...todoThemes(context)]
    .sort(
      (a, b) =>
        b.score - a.score ||
        a.kind.localeCompare(b.kind) ||
        (a.finding.file ?? '').localeCompare(b.finding.file ?? '') ||
        (a.finding.key ?? '').localeCompare(b.finding.key ?? ''),
    )
    .slice(0, MAX_DIRECTION_FINDINGS);
  cache.set(context.profile, all);
  return all;
}
