import type { RepoContext } from '../types.ts';
import type { RawHtmlBinding, RawHtmlVerdict } from './raw-html-binding.ts';

/** Jinja, Django and Nunjucks templates: by extension anywhere, or HTML under a `templates/` folder. */
const TEMPLATE_FILE = /\.(?:jinja2?|j2|njk|djhtml)$|(?:^|\/)templates\/(?:[^/]+\/)*[^/]+\.html?$/i;
const OUTPUT = /\{\{-?\s*([\s\S]*?)\s*-?\}\}/g;
const AUTOESCAPE_OFF = /\{%-?\s*autoescape\s+(?:false|off)\s*-?%\}/g;
/** Filters whose output is escaped or sanitised already: `|safe` after them changes nothing. */
const SAFE_BEFORE =
  /\|\s*(?:e|escape|forceescape|striptags|tojson|json_script|urlize|urlizetrunc|linebreaks|linebreaksbr|bleach\w*|sanitize\w*|clean|escapejs)\b/;
/** Values that are markup by construction: forms, CSRF fields, macro bodies, blocks. */
const TRUSTED =
  /^(?:csrf_\w+|\w*form\w*(?:\.\w+)*|caller\s*\(|super\s*\(|self\.|varargs|kwargs|field(?:\.\w+)*)/i;
const STRING_CONSTANT = /^(?:'[^'\\]*'|"[^"\\]*")$/;

export function isJinjaTemplate(file: string): boolean {
  return TEMPLATE_FILE.test(file);
}

/** `{{ value|safe }}` outputs (the value before the filter) in a template. */
export function safeFilterBindings(text: string): RawHtmlBinding[] {
  const out: RawHtmlBinding[] = [];
  for (const match of text.matchAll(OUTPUT)) {
    const inside = match[1] ?? '';
    const safe = /\|\s*safe\b/.exec(inside);
    if (!safe) continue;
    const before = inside.slice(0, safe.index);
    if (SAFE_BEFORE.test(before)) continue;
    out.push({ expression: before.trim(), offset: match.index, directive: '|safe' });
  }
  return out;
}

/** Offsets of `{% autoescape false %}` / `{% autoescape off %}` blocks. */
export function autoescapeOff(text: string): number[] {
  return [...text.matchAll(AUTOESCAPE_OFF)].map((match) => match.index);
}

/** The root variable of a template expression (`profile` in `profile.bio|markdown`). */
function rootVariable(expression: string): string | undefined {
  return /^[A-Za-z_]\w*/.exec(expression)?.[0];
}

/** Judge one `|safe` output: request data HIGH, rendered markdown MED, anything else a LOW lead. */
export function judgeSafeFilter(
  expression: string,
  fromRequest: ReadonlySet<string>,
): RawHtmlVerdict | undefined {
  const text = expression.trim();
  if (text === '' || STRING_CONSTANT.test(text) || TRUSTED.test(text)) return undefined;
  if (/^request\./.test(text)) return { confidence: 'HIGH', how: `request data (\`${text}\`)` };
  const root = rootVariable(text);
  if (root && fromRequest.has(root)) {
    return { confidence: 'HIGH', how: `\`${text}\`, which the view fills from the request` };
  }
  if (/\|\s*markdown\b|markdown|marked/i.test(text)) {
    return {
      confidence: 'MED',
      how: `rendered markdown (\`${text}\`), which passes raw HTML through unless sanitised`,
    };
  }
  return { confidence: 'LOW', how: `\`${text}\`, whose origin the template does not show` };
}

const RENDER_CALL = /\b(?:render_template|render|render_to_response|TemplateResponse)\s*\(/g;
const REQUEST_ASSIGNMENT = /^[ \t]*(\w+)\s*=\s*request\.\w+/gm;

/** The text of a call's arguments, from just after `(` to its matching `)`. */
function callArguments(text: string, open: number): string {
  let depth = 1;
  for (let index = open; index < text.length && index < open + 4000; index += 1) {
    const character = text[index];
    if (character === '(') depth += 1;
    else if (character === ')') {
      depth -= 1;
      if (depth === 0) return text.slice(open, index);
    }
  }
  return '';
}

/**
 * Template variables that Python views fill from the request, per template path suffix:
 * `render_template("bio.html", bio=request.form["bio"])`, `render(request, "bio.html", {"bio": q})`
 * with `q = request.GET["q"]` earlier in the file.
 */
export function requestFedVariables(context: RepoContext): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const file of context.profile.files) {
    if (file.language !== 'python' || file.role !== 'source') continue;
    const text = context.read(file.path);
    if (text === undefined || !/render/.test(text) || !/request\./.test(text)) continue;
    const tainted = new Set([...text.matchAll(REQUEST_ASSIGNMENT)].map((m) => m[1] ?? ''));
    for (const call of text.matchAll(RENDER_CALL)) {
      const args = callArguments(text, call.index + call[0].length);
      const template = /['"]([\w./-]+\.(?:html?|jinja2?|j2|txt))['"]/.exec(args)?.[1];
      if (!template) continue;
      const names = out.get(template) ?? new Set<string>();
      for (const pair of args.matchAll(/(?:\b(\w+)\s*=|['"](\w+)['"]\s*:)\s*(request\.\w+|\w+)/g)) {
        const name = pair[1] ?? pair[2];
        const value = pair[3] ?? '';
        if (name && (value.startsWith('request.') || tainted.has(value))) names.add(name);
      }
      if (names.size > 0) out.set(template, names);
    }
  }
  return out;
}

/** The request-fed variables a view passes to the template at `file`. */
export function variablesFor(file: string, fed: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const out = new Set<string>();
  for (const [template, names] of fed) {
    if (file === template || file.endsWith(`/${template}`)) for (const name of names) out.add(name);
  }
  return out;
}
