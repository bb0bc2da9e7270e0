import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { findingAt, patternGoneCheck } from '../correctness/finding-at.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { isPython } from './value-source.ts';

/** Engines that escape output unless told not to: swig, nunjucks, Twig.js, LiquidJS, Marko, dust. */
const ESCAPING_ENGINE = /\b(?:swig|nunjucks|twig|liquidjs|marko|dustjs)\b/i;
const HANDLEBARS = /\b(?:handlebars|hbs)\b/i;
/** Where the file serves web pages: HTML templates, Express views. */
const WEB_PAGES = /\.html?\b|\bres\.render\(|\bapp\.(?:engine|set)\(\s*['"]view|\bexpress\b/;
const DJANGO_TEMPLATES = /\bTEMPLATES\b|DjangoTemplates/;

/** Done checks: the file no longer turns escaping off, however the line is rewritten. */
const JS_OFF = `autoescape['"]?[[:space:]]*:[[:space:]]*false|noEscape['"]?[[:space:]]*:[[:space:]]*true`;
const DJANGO_OFF = `['"]autoescape['"][[:space:]]*:[[:space:]]*False`;

function keyOf(pair: SgNode): string {
  return (pair.field('key')?.text() ?? '').replace(/^['"]|['"]$/g, '');
}

function matchPair(node: SgNode, file: FileInput): RawFinding | undefined {
  const key = keyOf(node);
  const value = node.field('value')?.text() ?? '';
  if (isPython(file.language)) {
    // Django's TEMPLATES options: `'autoescape': False` turns escaping off for every template.
    if (key !== 'autoescape' || value !== 'False' || !DJANGO_TEMPLATES.test(file.text)) return undefined;
    return findingAt(file, node, {
      doneCheck: patternGoneCheck(file, DJANGO_OFF),
      message:
        "`'autoescape': False` in Django's TEMPLATES options turns HTML escaping off for every template: each `{{ value }}` is written as raw HTML, so any text a user can set (a name, a comment) runs as script in other users' browsers (stored XSS).",
    });
  }
  const off =
    (key === 'autoescape' && value === 'false' && ESCAPING_ENGINE.test(file.text)) ||
    (key === 'noEscape' && value === 'true' && HANDLEBARS.test(file.text));
  if (!off) return undefined;
  const pages = WEB_PAGES.test(file.text);
  return findingAt(file, node, {
    doneCheck: patternGoneCheck(file, JS_OFF),
    confidence: pages ? 'MED' : 'LOW',
    message: `\`${key}: ${value}\` turns the template engine's HTML escaping off, so every \`{{ value }}\` is written as raw HTML: any text a user can set (a name, a memo) runs as script in other users' browsers (stored XSS).${pages ? '' : ' The file shows no web pages; if these templates render something other than HTML, this is fine.'}`,
  });
}

const JS_RULE: NapiConfig = {
  rule: { kind: 'pair', has: { field: 'key', regex: '^[\'"]?(autoescape|noEscape)[\'"]?$' } },
};

const PY_RULE: NapiConfig = {
  rule: { kind: 'pair', has: { field: 'key', regex: '^[\'"]autoescape[\'"]$' } },
};

/** Template engines told not to escape HTML: swig/nunjucks `autoescape: false`, Handlebars `noEscape`, Django `'autoescape': False`. */
export const autoescapeOff: FileDetector = {
  id: 'security/autoescape-off',
  category: 'security',
  scope: 'file',
  requires: {
    ...jsGate(/\bautoescape\s*:\s*false|\bnoEscape\s*:\s*true/),
    python: /['"]autoescape['"]\s*:\s*False/,
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Template HTML escaping turned off',
  description:
    'The template engine is configured not to escape output, so every value a template prints is raw HTML. One field a user controls that reaches any template is enough for stored or reflected XSS, and nothing in the templates shows it.',
  impact: 'HIGH',
  effort: 'M',
  risk: 'MED',
  riskReason:
    'Templates that print markup on purpose (a rendered article, an icon) show escaped tags once escaping is back on; each needs an explicit raw filter for a value known to be safe.',
  confidence: 'MED',
  fixSketch:
    "Turn escaping back on (`autoescape: true`, drop `noEscape`, remove `'autoescape': False`), then find the template outputs that must stay raw and mark each one explicitly (`{{ x | safe }}`, `{{{ x }}}`) after sanitising it (DOMPurify, bleach).",
  steps: [
    'Open the cited line and remove the option that turns escaping off (its default escapes).',
    'Render every page the app serves and look for markup that now shows as text; for each such output, make sure the value is produced by the program or sanitised, then mark that one output raw.',
    'Add a test that stores a value like `<img src=x onerror=alert(1)>` in a field a page prints and asserts the page contains `&lt;img` rather than the tag.',
  ],
  rule: { typescript: JS_RULE, tsx: JS_RULE, javascript: JS_RULE, python: PY_RULE },
  match: matchPair,
};
