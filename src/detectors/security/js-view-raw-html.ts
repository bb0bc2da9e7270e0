/**
 * Raw HTML outputs of the view templates Express apps render: EJS `<%- x %>`, Handlebars
 * `{{{ x }}}`, Pug `p!= x` and `!{x}`, and which of their variables a route fills from the request
 * (`res.render('app/products', { output })` with `output = { searchTerm: req.body.name }`, DVNA).
 */
import type { RepoContext } from '../types.ts';
import type { RawHtmlBinding, RawHtmlVerdict } from './raw-html-binding.ts';

const VIEW_FILE = /\.(?:ejs|hbs|handlebars|pug|jade)$/i;
const EJS_RAW = /<%-\s*([\s\S]*?)\s*[-_]?%>/g;
const HANDLEBARS_RAW = /\{\{\{~?\s*([\s\S]*?)\s*~?\}\}\}/g;
/** `p!= value` (a tag's buffered, unescaped code) and `!{value}` interpolation. */
const PUG_RAW = /^[ \t]*(?:[\w-]+)?(?:[.#][\w-]+)*(?:\([^)\n]*\))?!=[ \t]*(.+)$|!\{([^}\n]+)\}/gm;
/** Layout and composition: the page body, included partials, blocks. Markup by construction. */
const COMPOSITION =
  /^(?:include\b|include\s*\(|body\b|partial\b|layout\b|block\b|defineContent\b|contentFor\b|yield\b|>|#|\/|else\b|style\b|script\b|blocks?\.|helpers?\.)/;
const STRING_CONSTANT = /^(?:'[^'\\]*'|"[^"\\]*"|`[^`\\$]*`)$/;

export function isJsViewTemplate(file: string): boolean {
  return VIEW_FILE.test(file);
}

/** The unescaped outputs of an EJS, Handlebars or Pug template. */
export function rawOutputs(file: string, text: string): RawHtmlBinding[] {
  const lower = file.toLowerCase();
  const out: RawHtmlBinding[] = [];
  const add = (expression: string, offset: number, directive: string) => {
    const trimmed = expression.trim();
    if (trimmed === '' || COMPOSITION.test(trimmed) || STRING_CONSTANT.test(trimmed)) return;
    out.push({ expression: trimmed, offset, directive });
  };
  if (lower.endsWith('.ejs')) {
    for (const match of text.matchAll(EJS_RAW)) add(match[1] ?? '', match.index, '<%-');
  } else if (lower.endsWith('.hbs') || lower.endsWith('.handlebars')) {
    for (const match of text.matchAll(HANDLEBARS_RAW)) add(match[1] ?? '', match.index, '{{{ }}}');
  } else {
    for (const match of text.matchAll(PUG_RAW)) {
      const code = match[1] ?? match[2] ?? '';
      add(code, match.index, match[1] === undefined ? '!{}' : '!=');
    }
  }
  return out;
}

const RENDER_CALL = /\b(?:res|response|reply|ctx)\s*\.\s*(?:render|view)\s*\(\s*(['"`])([\w./-]+)\1\s*,/g;
/** `name = { … req.… }` or `name = req.…` (a local holding request data, or an object built with it). */
const TAINTED_LOCAL =
  /(?:^|[;{\s])(?:(?:const|let|var)\s+)?(\w+)\s*=\s*(?:\{[^;]*?\breq(?:uest)?\s*\.|req(?:uest)?\s*\.)/gm;
/** `const { bio, name: who } = req.body`: the local names a destructuring of request data binds. */
const TAINTED_PARTS = /(?:const|let|var)\s*\{([^}]*)\}\s*=\s*req(?:uest)?\s*\./g;
/** What the server put on the request, not the client: the signed-in user, the session, helpers. */
const SERVER_SIDE = /^req(?:uest)?\.(?:user|session|app|flash|csrfToken|t|i18n|locale|isAuthenticated|id)\b/;

function taintedLocals(text: string): Set<string> {
  const out = new Set<string>();
  for (const match of text.matchAll(TAINTED_LOCAL)) {
    const value = text.slice(match.index + match[0].lastIndexOf('=') + 1).trimStart();
    if (!SERVER_SIDE.test(value)) out.add(match[1] ?? '');
  }
  for (const match of text.matchAll(TAINTED_PARTS)) {
    for (const part of (match[1] ?? '').split(',')) {
      const local = part.split(':').pop()?.replace(/=.*$/, '').trim();
      if (local && /^\w+$/.test(local)) out.add(local);
    }
  }
  return out;
}

/** The text of a call's remaining arguments, from `open` to the call's closing parenthesis. */
function restOfCall(text: string, open: number): string {
  let depth = 1;
  for (let index = open; index < text.length && index < open + 4000; index += 1) {
    const character = text[index];
    if (character === '(' || character === '{' || character === '[') depth += 1;
    else if (character === ')' || character === '}' || character === ']') {
      depth -= 1;
      if (depth === 0) return text.slice(open, index);
    }
  }
  return '';
}

/**
 * View names → the template variables a route fills from the request: in
 * `res.render('view', { q: req.query.q, output })`, `q`, and `output` when it was assigned request
 * data (or an object holding some) in that file.
 */
export function requestFedViews(context: RepoContext): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const file of context.profile.files) {
    if (file.role !== 'source' || !/^(?:typescript|javascript)$/.test(file.language ?? '')) continue;
    const text = context.read(file.path);
    if (text === undefined || !/\.\s*(?:render|view)\s*\(/.test(text) || !/\breq(?:uest)?\s*\./.test(text))
      continue;
    const tainted = taintedLocals(text);
    for (const call of text.matchAll(RENDER_CALL)) {
      const view = (call[2] ?? '').replace(/^\/+/, '').replace(/\.(?:ejs|hbs|handlebars|pug|jade|html)$/, '');
      const args = restOfCall(text, call.index + call[0].length);
      const names = out.get(view) ?? new Set<string>();
      for (const pair of args.matchAll(/(?:^|[{,]\s*)(\w+)\s*(?::\s*([\w.$[\]'"]+)|(?=\s*[,}]))/g)) {
        const name = pair[1] ?? '';
        const value = pair[2] ?? name;
        if ((/^req(?:uest)?\./.test(value) && !SERVER_SIDE.test(value)) || tainted.has(value))
          names.add(name);
      }
      if (names.size > 0) out.set(view, names);
    }
  }
  return out;
}

/** The request-fed variables of the routes that render the template at `file`. */
export function viewVariables(file: string, fed: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const stem = file.replace(/\.(?:ejs|hbs|handlebars|pug|jade)$/i, '');
  const out = new Set<string>();
  for (const [view, names] of fed) {
    if (stem === view || stem.endsWith(`/${view}`)) for (const name of names) out.add(name);
  }
  return out;
}

/**
 * Judge one raw output: HIGH when a route fills it from the request, else nothing. Raw outputs are
 * how these engines print markup the program built (Ghost's and MeshCentral's templates have
 * thousands), so one whose origin the template does not show is not even a lead.
 */
export function judgeRawOutput(
  expression: string,
  fromRequest: ReadonlySet<string>,
): RawHtmlVerdict | undefined {
  const root = /^[A-Za-z_$][\w$]*/.exec(expression)?.[0];
  if (!root || !fromRequest.has(root)) return undefined;
  return { confidence: 'HIGH', how: `\`${expression}\`, which the route fills from the request` };
}
