import type { FileRole } from '../../core/types.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import type { RawFinding, RepoContext, RepoDetector } from '../types.ts';
import {
  autoescapeOff,
  isJinjaTemplate,
  judgeSafeFilter,
  requestFedVariables,
  safeFilterBindings,
  variablesFor,
} from './jinja-raw-html.ts';
import {
  isJsViewTemplate,
  judgeRawOutput,
  rawOutputs,
  requestFedViews,
  viewVariables,
} from './js-view-raw-html.ts';
import {
  judgeRawHtml,
  lineAt,
  lintAllowsRawHtml,
  type RawHtmlBinding,
  type RawHtmlVerdict,
  svelteBindings,
  vueBindings,
} from './raw-html-binding.ts';

const SKIPPED_ROLES: ReadonlySet<FileRole> = new Set(['generated', 'vendored', 'docs']);
const MAX_SIZE = 512_000;
const MAX_PER_FILE = 5;

/** `<script>` blocks of a single-file component, where its computed values and methods live. */
function scriptOf(text: string): string {
  return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '').join('\n');
}

/** The `<template>` part of a Vue file: from the first opening tag to the last closing one. */
function vueTemplate(text: string): { text: string; offset: number } {
  const start = text.search(/<template\b/);
  const end = text.lastIndexOf('</template>');
  return start === -1 || end < start
    ? { text: '', offset: 0 }
    : { text: text.slice(start, end), offset: start };
}

interface Hit {
  line: number;
  verdict: RawHtmlVerdict;
  directive: string;
}

/** Templates for e-mail and other plain text, by name: `password_reset_email.html`, `emails/`, `*.txt`. */
const PLAIN_TEXT_TEMPLATE =
  /(?:^|[/_.-])e-?mails?(?:[/_.-]|$)|(?:^|[/_.-])(?:subject|sms)(?:[/_.-]|$)|\.txt$/i;

/** A component's binding the authors allowed with an ESLint comment: a LOW lead, saying so. */
function linted(text: string, offset: number, directive: string, verdict: RawHtmlVerdict | undefined) {
  // Data from the page URL stays HIGH: a lint comment does not make a link's text trusted.
  if (verdict === undefined || verdict.confidence === 'HIGH' || !lintAllowsRawHtml(text, offset))
    return verdict;
  const rule = directive === 'v-html' ? 'vue/no-v-html' : 'svelte/no-at-html-tags';
  return {
    confidence: 'LOW' as const,
    how: `${verdict.how} (its authors allowed it with \`eslint-disable ${rule}\`)`,
  };
}

interface Fed {
  /** Python views: template path → variables filled from the request. */
  python(): Map<string, Set<string>>;
  /** JavaScript routes: view name → variables filled from the request. */
  js(): Map<string, Set<string>>;
}

function hitsOf(path: string, text: string, fed: Fed): Hit[] {
  const at = (binding: RawHtmlBinding, verdict: RawHtmlVerdict | undefined, base = 0): Hit[] =>
    verdict ? [{ line: lineAt(text, base + binding.offset), verdict, directive: binding.directive }] : [];
  const component = (binding: RawHtmlBinding, script: string, base = 0) =>
    at(
      binding,
      linted(text, base + binding.offset, binding.directive, judgeRawHtml(binding.expression, script)),
      base,
    );
  if (path.endsWith('.vue')) {
    const template = vueTemplate(text);
    const script = scriptOf(text);
    return vueBindings(template.text).flatMap((b) => component(b, script, template.offset));
  }
  if (path.endsWith('.svelte')) {
    const script = scriptOf(text);
    return svelteBindings(text).flatMap((b) => component(b, script));
  }
  if (isJsViewTemplate(path)) {
    const names = viewVariables(path, fed.js());
    return rawOutputs(path, text).flatMap((b) => at(b, judgeRawOutput(b.expression, names)));
  }
  const names = variablesFor(path, fed.python());
  const hits = safeFilterBindings(text).flatMap((b) => at(b, judgeSafeFilter(b.expression, names)));
  // Plain-text mail bodies and subjects turn escaping off so that `&` stays `&`: Django's own
  // password_reset_email.html does.
  const plainText = PLAIN_TEXT_TEMPLATE.test(path);
  for (const offset of autoescapeOff(text)) {
    hits.push({
      line: lineAt(text, offset),
      directive: '{% autoescape off %}',
      verdict: plainText
        ? {
            confidence: 'LOW',
            how: 'every value in the block (the file looks like a plain-text email or message)',
          }
        : { confidence: 'MED', how: 'every value in the block' },
    });
  }
  return hits;
}

function finding(path: string, lines: readonly string[], hit: Hit, role: FileRole): RawFinding {
  const { directive, verdict } = hit;
  const off = directive.startsWith('{%');
  const message = off
    ? `\`${directive}\` turns off HTML escaping for ${verdict.how} up to \`{% endautoescape %}\`. Any value in it that a user can influence can carry \`<script>\` or \`<img onerror=…>\` that runs in the page (cross-site scripting).`
    : `The template outputs ${verdict.how} with \`${directive}\`, which skips the template's HTML escaping. Any \`<script>\` or \`<img onerror=…>\` inside it runs in the page with the user’s session (cross-site scripting).`;
  const out: RawFinding = {
    file: path,
    startLine: hit.line,
    endLine: hit.line,
    confidence: role === 'source' ? verdict.confidence : 'LOW',
    message,
    title: off ? 'Template turns off HTML escaping' : `Template outputs data as raw HTML (\`${directive}\`)`,
  };
  const text = lines[hit.line - 1]?.trim() ?? '';
  if (text.length >= 6) out.doneCheck = `! grep -qF -- ${shellQuote(text)} ${shellQuote(path)}`;
  return out;
}

function isTemplate(path: string): boolean {
  return path.endsWith('.vue') || path.endsWith('.svelte') || isJinjaTemplate(path) || isJsViewTemplate(path);
}

/**
 * Vue `v-html`, Svelte `{@html}`, Jinja/Django/Nunjucks `|safe` and autoescape turned off, EJS
 * `<%-`, Handlebars `{{{ }}}` and Pug `!=`/`!{}`.
 */
export const templateRawHtml: RepoDetector = {
  id: 'security/template-raw-html',
  category: 'security',
  scope: 'repo',
  title: 'Template outputs data as raw HTML (cross-site scripting)',
  description:
    'A template inserts a value as HTML without escaping: Vue `v-html`, Svelte `{@html}`, the Jinja/Django/Nunjucks `|safe` filter, a block with autoescaping turned off, EJS `<%- %>`, Handlebars `{{{ }}}` or Pug `!=`. Escaping is what keeps data from becoming markup; without it, script in the value runs with the victim’s session.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Escaping (or sanitising) changes only how markup inside the value is shown; plain text renders the same.',
  confidence: 'MED',
  fixSketch:
    'Output the value as text (`{{ value }}` in Vue, Svelte, Jinja, Django and Handlebars, `<%= value %>` in EJS and `p= value` in Pug escape it). Where markup is really needed, sanitise it first (`DOMPurify.sanitize` in a computed property, `bleach.clean` or `nh3.clean` in the view) and bind the sanitised value.',
  steps: [
    'Open the cited template line and find where the value comes from (the component’s props/data/computed, or the view that renders the template).',
    'If the value is plain text, drop the raw-HTML directive: `{{ value }}` instead of `v-html`/`{@html}`, remove `|safe`, or remove the `{% autoescape off %}` block.',
    'If it must stay HTML, sanitise it where it is produced (`DOMPurify.sanitize(html)` in a computed property; `bleach.clean(html)` / `nh3.clean(html)` in the Python view) and bind the sanitised value.',
    'Add a test that renders the page with `<img src=x onerror=alert(1)>` as the value and asserts the output has no `onerror` attribute.',
  ],
  check(context: RepoContext) {
    let python: Map<string, Set<string>> | undefined;
    let js: Map<string, Set<string>> | undefined;
    const views: Fed = {
      python: () => {
        python ??= requestFedVariables(context);
        return python;
      },
      js: () => {
        js ??= requestFedViews(context);
        return js;
      },
    };
    const out: RawFinding[] = [];
    for (const file of context.profile.files) {
      if (!isTemplate(file.path) || SKIPPED_ROLES.has(file.role) || file.size > MAX_SIZE) continue;
      const text = context.read(file.path);
      if (text === undefined || !/v-html|\{@html|\|\s*safe\b|autoescape|<%-|\{\{\{|!=|!\{/.test(text))
        continue;
      const lines = text.split(/\r?\n/);
      const hits = hitsOf(file.path, text, views).slice(0, MAX_PER_FILE);
      for (const hit of hits) out.push(finding(file.path, lines, hit, file.role));
    }
    return out;
  },
};
