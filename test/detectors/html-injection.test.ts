// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are fixture source code that contains template literals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlInjection } from '../../src/detectors/security/html-injection.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

describe('security/html-injection', () => {
  it('flags DOM sinks fed from the URL (HIGH) and markup built from unescaped values (MED)', () => {
    const findings = detect(htmlInjection, {
      'src/client/search.js': [
        'const params = new URLSearchParams(location.search);',
        "document.getElementById('q').innerHTML = `Results for ${params.get('q')}`;",
        'export function renderComment(list, comment) {',
        '  list.insertAdjacentHTML("beforeend", `<li>${comment.author}: ${comment.body}</li>`);',
        '}',
        "document.write('<p>' + location.hash.slice(1) + '</p>');",
        'export function showPreview(el, html) {',
        '  el.innerHTML = html;',
        '}',
        // A name that merely contains a number word is still text.
        "export function account(el, data) { el.innerHTML = '<b>' + data.accountName + '</b> ' + data.discount; }",
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/client/search.js', 2, 'HIGH'],
      ['src/client/search.js', 4, 'MED'],
      ['src/client/search.js', 6, 'HIGH'],
      ['src/client/search.js', 8, 'LOW'],
      ['src/client/search.js', 10, 'MED'],
    ]);
  });

  it('makes markup joined from an array escaped as it is filled a LOW lead (Etherpad line renderer)', () => {
    const findings = detect(htmlInjection, {
      'static/js/domline.js': [
        'domline.createDomLine = (doesWrap) => {',
        "  const result = { node: document.createElement('div') };",
        '  let html = [];',
        '  const perHtmlLineProcess = doesWrap ? processSpaces : (s) => s;',
        '  result.appendSpan = (txt, cls, extraOpenTags) => {',
        "    html.push('<span class=\"', Security.escapeHTMLAttribute(cls), '\">', extraOpenTags, Security.escapeHTML(txt), '</span>');",
        '  };',
        '  result.finishUpdate = (listType) => {',
        "    let newHTML = perHtmlLineProcess(html.join(''));",
        "    if (!newHTML) newHTML += '<br/>';",
        '    newHTML = `<ul class="${Security.escapeHTMLAttribute(listType)}">` + newHTML + \'</ul>\';',
        '    result.node.innerHTML = newHTML;',
        '  };',
        // The list markup around the spans is not escaped: its `start` is the piece cited, at MED.
        '  result.writeList = (start) => {',
        '    const preHtml = `<ol start=${start}>`;',
        "    result.node.innerHTML = preHtml + perHtmlLineProcess(html.join('')) + '</ol>';",
        '  };',
        '  return result;',
        '};',
        // Still MED: nothing pushed into `rows` is escaped, and `title` is text.
        'export function renderList(el, items, title) {',
        '  const rows = [];',
        "  for (const item of items) rows.push('<li>', item.name, '</li>');",
        "  el.innerHTML = '<ul>' + rows.join('') + '</ul>';",
        '  const parts = [];',
        "  parts.push('<b>', escapeHtml(title), '</b>');",
        "  el.innerHTML = `<h2>${title}</h2>${parts.join('')}`;",
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['static/js/domline.js', 12, 'LOW'],
      ['static/js/domline.js', 16, 'MED'],
      ['static/js/domline.js', 23, 'MED'],
      ['static/js/domline.js', 26, 'MED'],
    ]);
    assert.match(findings[1]?.message ?? '', /markup built with `start` interpolated unescaped/);
    assert.match(findings[0]?.message ?? '', /escaped as they are pushed \(check that every piece is\)/);
  });

  it('keeps MED an array that escapes one push and pushes a user field as it is', () => {
    const findings = detect(htmlInjection, {
      'public/js/post.js': [
        'export function renderPost(el, post) {',
        '  const html = [];',
        "  html.push('<h3>', escapeHtml(post.title), '</h3>');",
        "  html.push('<div class=\"body\">', post.body, '</div>');",
        "  el.innerHTML = '<article>' + html.join('') + '</article>';",
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [['public/js/post.js', 5, 'MED']]);
    assert.match(findings[0]?.message ?? '', /built with `html\.join\(''\)` interpolated unescaped/);
  });

  it('cites the piece that carries text, not a local assembled from server values (apostrophe image import)', () => {
    const findings = detect(htmlInjection, {
      'modules/rich-text-widget/index.js': [
        "const cheerio = require('cheerio');",
        'async function importImages(self, $, $image, image) {',
        "  const alt = $image.attr('alt');",
        '  const newSrc = `${self.apos.image.action}/${image.aposDocId}/src`;',
        '  $image.replaceWith(`<figure><img src="${newSrc}" ${alt && `alt="${alt}"`} /></figure>`);',
        '}',
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /built with `alt && `alt="\$\{alt\}"`` interpolated unescaped/);
  });

  it('leaves markup imported from an asset or from a module that exports it written out (Keystone swatches)', () => {
    const findings = detect(htmlInjection, {
      'fields/types/color/colored-swatch.js': [
        'module.exports = (',
        '  `<svg width="24" height="24" viewBox="0 0 24 24"><rect x="0" y="0" width="24" height="24" /></svg>`',
        ');',
      ].join('\n'),
      'fields/types/color/render-label.js': 'module.exports = (label) => `<b>${label}</b>`;',
      'fields/types/color/ColorField.js': [
        "import coloredSwatch from './colored-swatch';",
        "import checkIcon from './check.svg?raw';",
        "const renderLabel = require('./render-label');",
        "import notice from './notice';",
        'export const Swatch = () => <span dangerouslySetInnerHTML={{ __html: coloredSwatch }} />;',
        'export const Check = () => <i dangerouslySetInnerHTML={{ __html: checkIcon }} />;',
        'export const Label = () => <b dangerouslySetInnerHTML={{ __html: renderLabel }} />;',
        'export const Notice = () => <p dangerouslySetInnerHTML={{ __html: notice }} />;',
      ].join('\n'),
    });
    // A function and a module that is not in the repository stay unknown values.
    assert.deepEqual(summary(findings), [
      ['fields/types/color/ColorField.js', 7, 'MED'],
      ['fields/types/color/ColorField.js', 8, 'MED'],
    ]);
  });

  it('flags dangerouslySetInnerHTML and Angular bypasses on unsanitised values', () => {
    const findings = detect(htmlInjection, {
      'src/components/Post.tsx': [
        'export function Post({ post }: { post: Post }) {',
        '  return <article dangerouslySetInnerHTML={{ __html: marked(post.body) }} />;',
        '}',
        'export function Meta({ data }: { data: object }) {',
        '  return <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: JSON.stringify(data) }} />;',
        '}',
        '// WordPress: a rich-text editor writing out its own document.',
        'export function Content({ value }: { value: RichTextValue }) {',
        "  return <div dangerouslySetInnerHTML={{ __html: valueToHTMLString(value) || '<br>' }} />;",
        '}',
        '// Auth.js: a theme colour from the app configuration, written into a style element',
        'export function Theme({ theme }: { theme: Theme }) {',
        '  return <style dangerouslySetInnerHTML={{ __html: `:root {--brand-color: ${theme.brandColor}}` }} />;',
        '}',
      ].join('\n'),
      // Docusaurus: the site's own configuration, with the decision written next to the sink.
      'src/theme/Footer/Copyright/index.tsx': [
        'export default function FooterCopyright({copyright}: Props): ReactNode {',
        '  return (',
        '    <div',
        '      className="footer__copyright"',
        "      // Developer provided the HTML, so assume it's safe.",
        '      // eslint-disable-next-line react/no-danger',
        '      dangerouslySetInnerHTML={{__html: copyright}}',
        '    />',
        '  );',
        '}',
        'export function Note({ text }: { text: string }) {',
        '  // TODO: this is not escaped yet',
        '  return <p dangerouslySetInnerHTML={{ __html: text }} />;',
        '}',
      ].join('\n'),
      'src/app/banner.component.ts': [
        'export class BannerComponent {',
        '  constructor(private sanitizer: DomSanitizer, private route: ActivatedRoute) {}',
        '  get html() {',
        '    return this.sanitizer.bypassSecurityTrustHtml(this.banner.message);',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/components/Post.tsx', 2, 'MED'],
      ['src/components/Post.tsx', 5, 'LOW'],
      ['src/components/Post.tsx', 9, 'LOW'],
      ['src/components/Post.tsx', 13, 'LOW'],
      ['src/theme/Footer/Copyright/index.tsx', 7, 'LOW'],
      ['src/theme/Footer/Copyright/index.tsx', 13, 'MED'],
      ['src/app/banner.component.ts', 4, 'MED'],
    ]);
  });

  it('makes a component rendering its own markup prop a LOW lead, and still flags other props and markup it builds', () => {
    const findings = detect(htmlInjection, {
      'admin/client/FormNote.js': [
        'function FormNote({ className, children, html, ...props }) {',
        '  return html ? <div {...props} dangerouslySetInnerHTML={{ __html: html }} /> : <div>{children}</div>;',
        '}',
        'class ConfirmationDialog extends React.Component {',
        '  render() {',
        '    const { bodyHtml, title } = this.props;',
        '    return <div><h2 dangerouslySetInnerHTML={{ __html: title }} /><p dangerouslySetInnerHTML={{ __html: bodyHtml }} /></div>;',
        '  }',
        '}',
        'const Notice = (props) => <p dangerouslySetInnerHTML={{ __html: props.markup }} />;',
        'function Comment({ comment }) {',
        '  const html = comment.body;',
        '  return <p dangerouslySetInnerHTML={{ __html: html }} />;',
        '}',
        'function Caption({ html }) {',
        '  return <p dangerouslySetInnerHTML={{ __html: `<b>${html}</b>` }} />;',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['admin/client/FormNote.js', 2, 'LOW'],
      ['admin/client/FormNote.js', 7, 'MED'],
      ['admin/client/FormNote.js', 7, 'LOW'],
      ['admin/client/FormNote.js', 10, 'LOW'],
      ['admin/client/FormNote.js', 13, 'MED'],
      ['admin/client/FormNote.js', 16, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /component's `html` prop/);
  });

  it('follows a memo hook to the sanitised value its function returns', () => {
    // LobeChat's SVG artifact renderer: `useMemo(() => sanitizeSVGContent(content), [content])`.
    const findings = detect(htmlInjection, {
      'src/Renderer/SVG.tsx': [
        "import { useMemo } from 'react';",
        "import { sanitizeSVGContent } from '@lobechat/utils/client';",
        'export const SVGRenderer = ({ content }: { content: string }) => {',
        '  const sanitizedContent = useMemo(() => sanitizeSVGContent(content), [content]);',
        '  const cleaned = React.useMemo(() => {',
        '    if (!content) return "";',
        '    return DOMPurify.sanitize(content);',
        '  }, [content]);',
        '  const raw = useMemo(() => content.trim(), [content]);',
        '  return (',
        '    <div>',
        '      <div dangerouslySetInnerHTML={{ __html: sanitizedContent }} />',
        '      <div dangerouslySetInnerHTML={{ __html: cleaned }} />',
        '      <div dangerouslySetInnerHTML={{ __html: raw }} />',
        '    </div>',
        '  );',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [['src/Renderer/SVG.tsx', 14, 'MED']]);
  });

  it('leaves constants, sanitised values, escaped interpolations and text sinks alone', () => {
    const findings = detect(htmlInjection, {
      'src/components/Safe.tsx': [
        "import DOMPurify from 'dompurify';",
        'export function Body({ html }: { html: string }) {',
        '  const clean = DOMPurify.sanitize(html);',
        '  return <div dangerouslySetInnerHTML={{ __html: clean }} />;',
        '}',
        'export function Icon() {',
        '  return <span dangerouslySetInnerHTML={{ __html: \'<svg viewBox="0 0 1 1"></svg>\' }} />;',
        '}',
        'const closeIcon = \'<svg viewBox="0 0 24 24"><path d="M6 6l12 12"/></svg>\';',
        'export function clear(el: HTMLElement, items: string[], name: string, index: number, data: object) {',
        '  el.innerHTML = closeIcon;',
        "  el.innerHTML = '';",
        '  el.innerHTML = `<b>${items.length}</b> items`;',
        '  el.innerHTML = `<i>${escapeHtml(name)}</i>`;',
        '  el.textContent = name;',
        '  el.innerHTML = sanitizeHtml(name);',
        "  el.innerHTML = '<p>Help text ' + (!EVALEX ? '' : 'More help ' + '<code>dump()</code>');",
        // Numbers carry no markup (three.js inspector panels).
        '  el.innerHTML = `${(items.length * 100).toFixed(1)}%`;',
        "  el.innerHTML = '<b>' + (items.length / 3).toFixed(2) + '</b> ms';",
        '  el.innerHTML = Math.round(items.length / 2);',
        // Uptime Kuma's status page: data escaped for a script element by jsesc.
        '  const escapedJSONObject = jsesc(data, { isScriptContext: true });',
        '  el.innerHTML = `<script id="preload-data">window.preloadData = ${escapedJSONObject};</script>`;',
        // Node-RED's debug sidebar: translated labels looked up by a literal key.
        "  el.innerHTML = '<a href=\"#\" aria-label=\"' + RED._('node-red:debug.sidebar.clearLogOptions') + '\"></a>';",
        "  el.innerHTML = `<b>${i18n.t('save')}</b>`;",
        // NodeBB's search counter.
        "  el.innerHTML = (index + 1) + ' / ' + items.length;",
        // NodeBB's admin dashboard: counts and timings by name.
        "  el.innerHTML = '<div>' + (data.onlineRegisteredCount + data.onlineGuestCount) + '</div>';",
        "  el.innerHTML = '<div>' + data.socketCount + '</div><p>Search took ' + data.timing + ' ms.</p>';",
        // Jupyter Notebook's about dialog: underscore templates whose every value is escaped (<%-).
        "  el.innerHTML = _.template('<b><%- version %></b>')({ version: data.version });",
        // CyberChef's bug report: what the browser says about itself.
        "  el.innerHTML = '<pre>Browser: ' + navigator.userAgent + '</pre>';",
        // Node-RED's debug messages: a formatted time has no markup in it.
        "  el.innerHTML = '<span class=\"date\">' + getTimestamp() + '</span>';",
        '  el.innerHTML = `<time>${new Date(item.at).toISOString()}</time> ${formatDate(item.at)}`;',
        '}',
        // Etherpad's line numbers: a counter, incremented before it is shown.
        'export function renumber(div: HTMLElement, wanted: number) {',
        '  while (shown < wanted) {',
        '    shown++;',
        "    div.innerHTML += `<span class='line-number'>${String(shown)}</span>`;",
        '    div.innerHTML += `<b>${shown.toString()}</b>`;',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });

  it('follows markup a variable accumulates (text = text + …): escaped pieces pass, a raw one is found', () => {
    const findings = detect(htmlInjection, {
      // Jupyter Notebook's about dialog.
      'static/js/about.js': [
        'function about(sys_info) {',
        "  var text = i18n.msg._('You are using Jupyter notebook.');",
        "  text = text + '<br/><br/>';",
        "  text = text + _.template('<b><%- version %></b>')({ version: sys_info.notebook_version });",
        "  $('<p/>').html(text);",
        '}',
        'function label(bio) {',
        "  var text = '<b>';",
        '  text = text + bio;',
        "  $('<p/>').html(text);",
        '}',
        'function wrap(text) {',
        "  text = text + '<br/>';",
        "  $('<p/>').html(text);",
        '}',
        'function start(title) {',
        '  var text = title;',
        "  text = text + '<br/>';",
        "  $('<p/>').html(text);",
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.startLine, f.confidence]),
      [
        [10, 'MED'],
        [14, 'MED'],
        [19, 'MED'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /`bio`/);
  });

  it('still flags a template that interpolates without escaping (<%= %>) or is not written out', () => {
    const findings = detect(htmlInjection, {
      'static/js/about.js': [
        'function show(el, info, source) {',
        "  el.innerHTML = _.template('<b><%= version %></b>')({ version: info.version });",
        "  el.innerHTML = _.template('<b><%- a %></b><% print(info.b) %>')({ a: info.a });",
        '  el.innerHTML = _.template(source)({ version: info.version });',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => f.evidence[0]?.startLine),
      [2, 3, 4],
    );
  });

  it('still flags text turned into a string, and a counter shown before it is counted', () => {
    const findings = detect(htmlInjection, {
      'src/panel.ts': [
        'export function show(el: HTMLElement, label: string) {',
        '  el.innerHTML = `<i>${String(label)}</i>`;',
        '  el.innerHTML = `<b>${next}</b>`;',
        '  next++;',
        // Text padded for display is still the text.
        "  el.innerHTML = '<br>name: ' + label.padStart(20, ' ').replace(/ /g, '&nbsp;');",
        '}',
        // CyberChef's file counters: a number padded for display.
        'export function counts(el: HTMLElement, loading: number, width: number) {',
        "  el.innerHTML = '<br>loading: ' + loading.toLocaleString().padStart(width, ' ').replace(/ /g, '&nbsp;');",
        "  const totalStr = loading.toLocaleString().padStart(width, ' ');",
        "  el.innerHTML = 'total: ' + totalStr;",
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.startLine, f.confidence]),
      [
        [2, 'MED'],
        [3, 'MED'],
        [5, 'MED'],
      ],
    );
  });

  it('flags Markup()/mark_safe() on request data and interpolated text, not on escaped or constant markup', () => {
    const findings = detect(htmlInjection, {
      'app/views.py': [
        'from markupsafe import Markup, escape',
        'from django.utils.safestring import mark_safe',
        'from django.utils.html import format_html',
        '',
        'def greet(request):',
        "    return mark_safe(request.GET['name'])",
        '',
        'def badge(user):',
        '    return Markup(f"<span class=badge>{user.nickname}</span>")',
        '',
        'def safe_badge(user):',
        '    return Markup(f"<span>{escape(user.nickname)}</span>")',
        '',
        'def safe_link(url, label):',
        '    return format_html(\'<a href="{}">{}</a>\', url, label)',
        '',
        'def icon():',
        '    return Markup("<svg></svg>")',
        '',
        'def wrap(text):',
        '    return Markup("<b>%s</b>") % text',
        '',
        'def attrs(d):',
        '    rv = " ".join(f\'{escape(k)}="{escape(v)}"\' for k, v in d.items())',
        '    rv = " " + rv',
        '    return Markup(rv)',
        '',
        // DRF's format_value: a lookup in a table of constant strings.
        'def format_value(value):',
        "    return mark_safe('<code>%s</code>' % {True: 'true', False: 'false', None: 'null'}[value])",
        '',
        // Flask-Security's login form: URL builders percent-encode what they produce.
        'def forgot_link():',
        '    return Markup(f\'<a href="{url_for_security("forgot_password")}">{escape(label)}</a>\')',
        '',
        'def profile_link(user):',
        '    return mark_safe(\'<a href="%s">%s</a>\' % (reverse("profile", args=[user.pk]), user.name))',
        // The app's own messages by key, and translations (Flask-Security's login form).
        'def forgot_text():',
        '    return Markup(f\'<a href="{url_for_security("forgot_password")}">{get_message("FORGOT_PASSWORD")[0]}</a>\')',
        'def sign_in():',
        '    return Markup(f"<b>{lazy_gettext(\'Sign in\')}</b>")',
        'def message(key):',
        '    return Markup(f"<b>{get_message(key)[0]}</b>")',
        // HyperKitty's widget: a plain name formatted in (once a JavaScript-only check on it failed).
        'def button(button_text):',
        '    return mark_safe(\'<button type="submit">%s</button>\' % button_text)',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['app/views.py', 6, 'HIGH'],
      ['app/views.py', 9, 'MED'],
      ['app/views.py', 35, 'MED'],
      ['app/views.py', 41, 'MED'],
      ['app/views.py', 43, 'MED'],
    ]);
  });

  it('gives LOW to Python markup joined from rendered pieces (Django formsets, admin rows)', () => {
    const findings = detect(htmlInjection, {
      'forms/formsets.py': [
        'from django.utils.safestring import mark_safe',
        'class BaseFormSet:',
        '    def as_table(self):',
        "        forms = ' '.join(form.as_table() for form in self)",
        "        return mark_safe(str(self.management_form) + '\\n' + forms)",
        'def result_row(row_classes):',
        "    return mark_safe(' class=\"%s\"' % ' '.join(row_classes))",
        'def profile(user):',
        '    return mark_safe("<p>" + get_bio(user) + "</p>")',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['forms/formsets.py', 5, 'LOW'],
      ['forms/formsets.py', 7, 'LOW'],
      ['forms/formsets.py', 9, 'MED'],
    ]);
  });

  it('reads a %-tuple in extra parentheses value by value (Horizon table cells)', () => {
    const findings = detect(htmlInjection, {
      'tables/base.py': [
        'from django.utils.html import escape',
        'from django.utils.safestring import mark_safe',
        'def cell_link(url, data):',
        '    return mark_safe(\'<a href="%s">%s</a>\' % ((escape(url), escape(data))))',
        'def cell_attrs(url, link_attrs, data):',
        '    return mark_safe(\'<a href="%s" %s>%s</a>\' % ((escape(url), link_attrs, escape(data))))',
        'def cell_label(url, label):',
        '    return mark_safe(\'<a href="%s">%s</a>\' % ((escape(url), label)))',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.startLine, f.confidence, /`(\w+)`/.exec(f.message)?.[1]]),
      [
        [6, 'LOW', 'link_attrs'],
        [8, 'MED', 'label'],
      ],
    );
  });

  it('rates markup joined from a template filter’s own argument MED (Django REST framework CVE-2024-21520)', () => {
    const findings = detect(htmlInjection, {
      'rest_framework/templatetags/rest_framework.py': [
        'from django import template',
        'from django.utils.html import escape',
        'from django.utils.safestring import mark_safe',
        'register = template.Library()',
        '@register.filter',
        'def break_long_headers(header):',
        "    if len(header) > 160 and ',' in header:",
        "        header = mark_safe('<br> ' + ', <br>'.join(header.split(',')))",
        '    return header',
        '@register.filter',
        'def break_escaped_headers(header):',
        "    return mark_safe('<br> ' + ', <br>'.join(escape(header).split(',')))",
        'def join_rows(rows):',
        "    return mark_safe('<br> ' + ', <br>'.join(rows.split(',')))",
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['rest_framework/templatetags/rest_framework.py', 8, 'MED'],
      ['rest_framework/templatetags/rest_framework.py', 12, 'LOW'],
      ['rest_framework/templatetags/rest_framework.py', 14, 'LOW'],
    ]);
    assert.match(findings[0]?.message ?? '', /the value a template passes to this filter/);
  });

  it('takes a date or number rendered as text in a filter for no markup (Horizon timesince_sortable)', () => {
    const findings = detect(htmlInjection, {
      'utils/filters.py': [
        'from django import template',
        'from django.utils.safestring import mark_safe',
        'from django.utils.timesince import timesince',
        'register = template.Library()',
        '@register.filter',
        'def timesince_sortable(dt):',
        '    seconds = (timezone.now() - dt).seconds',
        '    return mark_safe("<span data-seconds=\\"%d\\">%s</span>" % (seconds, timesince(dt)))',
        '@register.filter',
        'def labelled_since(dt, label):',
        '    return mark_safe("<span title=\\"%s\\">%s</span>" % (label, timesince(dt)))',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [['utils/filters.py', 11, 'MED']]);
    assert.match(findings[0]?.message ?? '', /`label`, the value a template passes/);
  });

  it('follows a local function’s parameters to the literals every call passes, and a value rewritten by a call (django-debug-toolbar)', () => {
    const findings = detect(htmlInjection, {
      'debug_toolbar/static/js/timer.js': [
        '(function () {',
        '  function addRow(tbody, stat) {',
        '    const row = document.createElement("tr");',
        '    row.innerHTML = "<td>" + stat.replace("Start", "") + "</td>";',
        '    tbody.appendChild(row);',
        '  }',
        '  function addNote(tbody, note) {',
        '    tbody.innerHTML = "<p>" + note + "</p>";',
        '  }',
        '  addRow(tbody, "domainLookupStart");',
        '  addRow(tbody, "connectStart");',
        '  addNote(tbody, "ok");',
        '  addNote(tbody, location.hash);',
        '  window.addNoteLater = addNote;',
        '})();',
      ].join('\n'),
      'debug_toolbar/panels/templates/views.py': [
        'from django.utils.html import mark_safe',
        'from pygments import highlight',
        'def template_source(request):',
        '    source = f"Template Does Not Exist: {request.GET.get(\'template\')}"',
        '    source = highlight(source, HtmlDjangoLexer(), HtmlFormatter())',
        '    source = mark_safe(source)',
        '    return source',
        'def raw_source(request):',
        '    text = request.GET.get("text")',
        '    text = text + "<hr>"',
        '    return mark_safe(text)',
      ].join('\n'),
    });
    // addNote is handed on as a value, so its callers are not all here: still a finding.
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine]),
      [
        ['debug_toolbar/static/js/timer.js', 8],
        ['debug_toolbar/panels/templates/views.py', 11],
      ],
    );
  });

  it('keeps a value escaped through cutting, ternaries and templates of escaped parts (Node-RED debug), not an unescaped one', () => {
    const debugUtils = [
      'function sanitize(m) {',
      '    return m.replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;");',
      '}',
      'function render(o, metaRow) {',
      '    var topic = sanitize((o.topic||"").toString());',
      '    var format = sanitize((o.format||"").toString());',
      '    const msgInfos = `${o.topic ? " : " : ""}msg : ${format}`;',
      '    const topicTruncated = RED.utils.truncateString((o.topic ? topic : ""), 120 - msgInfos.length);',
      "    $('<span class=\"topic\">' + topicTruncated + msgInfos + '</span>').appendTo(metaRow);",
      '}',
      'module.exports = render;',
    ].join('\n');
    const file = 'nodes/core/common/lib/debug/debug-utils.js';
    assert.deepEqual(summary(detect(htmlInjection, { [file]: debugUtils })), []);
    const raw = detect(htmlInjection, {
      [file]: debugUtils.replace(
        'var topic = sanitize((o.topic||"").toString());',
        'var topic = (o.topic||"").toString();',
      ),
    });
    assert.equal(raw.length, 1);
  });
});

describe('security/html-injection steps', () => {
  it('give the executor a way to stop when every part is escaped or written in the code', () => {
    // Etherpad 1.8.14 static/js/domline.js: the line's HTML is escaped text in spans, list tags
    // and plugin hooks' markup. The steps offered a text sink or a sanitiser: neither fits, and
    // the executor had no step that says what to do when the value is already safe.
    const findings = detect(htmlInjection, {
      'static/js/domline.js': [
        'domline.createDomLine = (hooks, document, Security) => {',
        '  const result = { node: document.createElement("div") };',
        '  let html = [];',
        "  let preHtml = '';",
        '  result.appendSpan = (txt, cls) => {',
        "    for (const modifier of hooks.callAll('aceDomLinePreProcessLineAttributes', { cls })) {",
        '      preHtml += modifier.preHtml;',
        '    }',
        "    html.push('<span class=\"', Security.escapeHTMLAttribute(cls), '\">', Security.escapeHTML(txt), '</span>');",
        '  };',
        '  result.finishUpdate = () => {',
        "    const curHTML = (preHtml || '') + html.join('');",
        '    result.node.innerHTML = curHTML;',
        '  };',
        '  return result;',
        '};',
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    for (const steps of [htmlInjection.steps, htmlInjection.python?.steps]) {
      const first = steps?.[0] ?? '';
      assert.match(
        first,
        /If every part of it is escaped where it is built or is markup written in the code itself/,
      );
      assert.match(first, /STOP and report where each part comes from: the finding is a false positive/);
    }
  });
});
