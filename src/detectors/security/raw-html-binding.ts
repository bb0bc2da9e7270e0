import { redactLine } from '../../core/redact.ts';
import type { Confidence } from '../../core/types.ts';

/** One place a template binds an expression as raw HTML (`v-html="…"`, `{@html …}`, `{{ …|safe }}`). */
export interface RawHtmlBinding {
  expression: string;
  /** Offset of the binding in the scanned text. */
  offset: number;
  /** The directive as written, for messages (`v-html`, `{@html}`, `|safe`). */
  directive: string;
}

/** How risky one binding is, and why; undefined when it is constant, sanitised or trusted by construction. */
export interface RawHtmlVerdict {
  confidence: Confidence;
  how: string;
}

const V_HTML = /(?:^|[\s<])v-html\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
const SVELTE_HTML = /\{@html\s+([^}]+)\}/g;

/** `v-html` bindings in Vue template text (an SFC's `<template>` or a component's `template:` string). */
export function vueBindings(text: string): RawHtmlBinding[] {
  return [...text.matchAll(V_HTML)].map((match) => ({
    expression: (match[1] ?? match[2] ?? '').trim(),
    offset: match.index + match[0].indexOf('v-html'),
    directive: 'v-html',
  }));
}

/** `{@html …}` tags in Svelte markup. */
export function svelteBindings(text: string): RawHtmlBinding[] {
  return [...text.matchAll(SVELTE_HTML)].map((match) => ({
    expression: (match[1] ?? '').trim(),
    offset: match.index,
    directive: '{@html}',
  }));
}

const STRING_CONSTANT = /^(?:'[^'\\]*'|"[^"\\]*"|`[^`$\\]*`)$/;
/** Escapers and sanitisers, called or applied as a filter. */
const SANITIZED =
  /(?:^|[^\w$])(?:\$?\w*[sS]anitiz\w*|DOMPurify\.sanitize|purify|xss|filterXSS|\w*[eE]scape\w*)\s*\(|\|\s*(?:\w*sanitiz\w*|purify|escape)\b/i;
/** Translations and other developer-controlled text. */
const TRUSTED_CALL = /^(?:\$?t|\$tc|\$te|i18n\.t|\$i18n\.t|this\.\$t)\s*\(/;
/** Names people give to values they have already cleaned. */
const CLEAN_NAME =
  /(?:^|[.\s])(?:\w*[sS]anitiz\w*|\w*[pP]urified\w*|\w*[eE]scaped\w*|safe[A-Z_]\w*|\w+Safe\w*)$/;
/** Browser values an attacker controls through a link. */
const URL_SOURCE =
  /(?:^|[^\w$.])(?:\$route|route|this\.\$route)\.(?:query|params|hash|fullPath)\b|(?:^|[^\w$])(?:window\.|document\.)?location\.(?:hash|search|href)\b|\bdocument\.(?:URL|referrer)\b|\bwindow\.name\b/;
const ICON = /svg|icon|glyph|logo/i;
const MARKDOWN = /(?:^|[^\w$])(?:marked|markdown\w*|md\.render|\w*[mM]arkdown\w*|renderMarkdown)\b/;

/** The first identifier of an expression (`post` in `post.body`), for looking it up in the script. */
function rootName(expression: string): string | undefined {
  return /^[A-Za-z_$][\w$]*/.exec(expression)?.[0];
}

/**
 * Whether the component's script defines `name` through a sanitiser: a computed property, method
 * or variable whose definition (within a few lines) calls one.
 */
function sanitizedInScript(name: string, script: string): boolean {
  const lines = script.split('\n');
  const definition = new RegExp(`(?:^|[^\\w$.])${name.replace(/\$/g, '\\$')}\\s*(?:\\(|:|=[^=]|\\()`);
  return lines.some(
    (line, index) => definition.test(line) && SANITIZED.test(lines.slice(index, index + 6).join('\n')),
  );
}

/** A value a translation call gives: `$t('key')`, `this.$t('key', { name })`, `i18n.t(…)`. */
const TRANSLATION_VALUE = /^(?:\$?t|\$tc|i18n\.t|\$i18n\.t|this\.\$tc?|this\.\$i18n\.t)\s*\(/;
/** The value a variable starts with before a translation is put in it. */
const EMPTY_VALUE = /^(?:null|undefined|''|""|``|false)[\s,;})\]]*$/;

/**
 * Whether the component's script gives `name` only translations: every assignment (`name = …`,
 * `this.name = …`, `name: …` in `data()`) is a translation call or an empty start value, and one is
 * a translation. Translated text is the developers' own, like a `$t(…)` written in the template.
 */
function translatedInScript(name: string, script: string): boolean {
  const escaped = name.replace(/\$/g, '\\$');
  const assignment = new RegExp(`(?:^|[^\\w$.]|this\\.)${escaped}\\s*(?::(?!:)|=(?![=>]))\\s*(.*)$`);
  const method = new RegExp(`(?:^|[^\\w$.])${escaped}\\s*\\(`);
  let translated = false;
  for (const line of script.split('\n')) {
    // A computed property or method of that name: what it returns is not followed here.
    if (method.test(line)) return false;
    const value = assignment.exec(line)?.[1]?.trim();
    if (value === undefined) continue;
    if (TRANSLATION_VALUE.test(value)) translated = true;
    else if (!EMPTY_VALUE.test(value)) return false;
  }
  return translated;
}

/** Lint rules that report raw HTML output in templates. */
const RAW_HTML_RULES: ReadonlySet<string> = new Set(['vue/no-v-html', 'svelte/no-at-html-tags']);
const LINT_COMMENT = /<!--\s*eslint-(disable-next-line|disable|enable)\b([\s\S]*?)-->/g;

/**
 * Whether an ESLint comment in the markup turns off the raw-HTML rule (`vue/no-v-html`,
 * `svelte/no-at-html-tags`) at `offset`: `<!-- eslint-disable vue/no-v-html -->` above it with no
 * `eslint-enable` between, or `<!-- eslint-disable-next-line vue/no-v-html -->` on the line before.
 * The authors looked at this output once and decided it holds trusted markup.
 */
export function lintAllowsRawHtml(text: string, offset: number): boolean {
  const line = lineAt(text, offset);
  let disabled = false;
  for (const match of text.slice(0, offset).matchAll(LINT_COMMENT)) {
    // `eslint-disable vue/no-v-html -- the server renders it`: the rule list ends at `--`.
    const rules =
      (match[2] ?? '')
        .split('--')[0]
        ?.split(/[\s,]+/)
        .filter((rule) => rule !== '') ?? [];
    if (rules.length > 0 && !rules.some((rule) => RAW_HTML_RULES.has(rule))) continue;
    if (match[1] === 'disable') disabled = true;
    else if (match[1] === 'enable') disabled = false;
    else if (lineAt(text, match.index + match[0].length) + 1 === line) return true;
  }
  return disabled;
}

/**
 * Judge an expression a template inserts as raw HTML, by its text alone: URL data is HIGH; rendered
 * markdown and other data MED; icons LOW; constants, sanitised values and translations nothing.
 */
export function judgeRawHtml(expression: string, script = ''): RawHtmlVerdict | undefined {
  const text = expression.trim();
  if (text === '' || STRING_CONSTANT.test(text)) return undefined;
  if (SANITIZED.test(text) || TRUSTED_CALL.test(text)) return undefined;
  if (URL_SOURCE.test(text))
    return { confidence: 'HIGH', how: `data from the page URL (\`${short(text)}\`)` };
  if (CLEAN_NAME.test(text)) return undefined;
  const name = rootName(text);
  if (name && script !== '' && sanitizedInScript(name, script)) return undefined;
  if (name === text && script !== '' && translatedInScript(name, script)) return undefined;
  if (ICON.test(text))
    return { confidence: 'LOW', how: `\`${short(text)}\` (markup that looks like an icon)` };
  if (MARKDOWN.test(text)) {
    return {
      confidence: 'MED',
      how: `rendered markdown (\`${short(text)}\`), which passes raw HTML in the source through unless sanitised`,
    };
  }
  return { confidence: 'MED', how: `\`${short(text)}\`, a value nothing here escapes or sanitises` };
}

function short(text: string, max = 60): string {
  const flat = redactLine(text.replace(/\s+/g, ' '));
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** 1-based line of `offset` in `text`, counted from `firstLine`. */
export function lineAt(text: string, offset: number, firstLine = 1): number {
  let line = firstLine;
  for (let index = 0; index < offset && index < text.length; index += 1) if (text[index] === '\n') line += 1;
  return line;
}
