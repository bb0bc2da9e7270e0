// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are fixture source code that contains template literals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { htmlInjection } from '../../src/detectors/security/html-injection.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

describe('security/html-injection: jQuery', () => {
  it('flags URL data and interpolated markup passed to .html(), .append() and $()', () => {
    const findings = detect(htmlInjection, {
      'public/js/search.js': [
        '$(function () {',
        "  const term = new URLSearchParams(window.location.search).get('q');",
        "  $('#results-title').html('Results for ' + term);",
        '  $.getJSON(`/api/search?q=${encodeURIComponent(term)}`, function (data) {',
        '    data.items.forEach(function (item) {',
        '      $(\'#results\').append(`<li><a href="${item.url}">${item.title}</a></li>`);',
        '    });',
        '  });',
        "  const $banner = $('<div class=\"banner\">' + location.hash.slice(1) + '</div>');",
        '  $(location.hash).addClass("active");',
        // NodeBB's admin tabs: a selector with the hash inside it.
        "  $('.nav-pills a[href=\"' + window.location.hash + '\"]').tab('show');",
        '  function showNote(note) {',
        "    $('.note').html(note.body);",
        '  }',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['public/js/search.js', 3, 'HIGH'],
      ['public/js/search.js', 6, 'MED'],
      ['public/js/search.js', 9, 'HIGH'],
      ['public/js/search.js', 10, 'LOW'],
      ['public/js/search.js', 11, 'LOW'],
      ['public/js/search.js', 13, 'LOW'],
    ]);
    assert.match(findings[3]?.message ?? '', /jQuery before 1\.9/);
  });

  it('leaves getters, constants, escaped values, elements, selectors and DOM text inserts alone', () => {
    const findings = detect(htmlInjection, {
      'public/js/list.js': [
        "import DOMPurify from 'dompurify';",
        'export function render(items, $list, el, user) {',
        "  const current = $('#title').html();",
        "  $('#title').html('<strong>Orders</strong>');",
        "  $('#spinner').html(SPINNER_MARKUP);",
        '  $list.empty();',
        '  for (const item of items) {',
        "    const $row = $('<li>').text(item.name);",
        '    $list.append($row);',
        '    $list.append(`<li>${escapeHtml(item.name)}</li>`);',
        '  }',
        "  $('#bio').html(DOMPurify.sanitize(user.bio));",
        "  $(`#row-${user.id}`).addClass('selected');",
        '  $(this).toggleClass("open");',
        '  el.append(`Signed in as ${user.name}`);',
        '  el.after(user.name);',
        "  form.append('avatar', file);",
        "  $('#count').html(`<b>${items.length}</b>`);",
        "  $('#list').html(function (i, old) { return old + '!'; });",
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });
});

describe('security/html-injection: Vue template strings', () => {
  it('flags v-html bound to data in a component template, HIGH when it comes from the route', () => {
    const findings = detect(htmlInjection, {
      'src/components/comment.js': [
        "Vue.component('comment-item', {",
        "  props: ['comment'],",
        '  template: `',
        '    <li class="comment">',
        '      <span class="author">{{ comment.author }}</span>',
        '      <div class="body" v-html="comment.body"></div>',
        '    </li>`,',
        '});',
        'export const SearchTitle = {',
        '  template: \'<h1 v-html="$route.query.title"></h1>\',',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/components/comment.js', 6, 'MED'],
      ['src/components/comment.js', 10, 'HIGH'],
    ]);
  });

  it('leaves constant, sanitised and translated v-html bindings alone', () => {
    const findings = detect(htmlInjection, {
      'src/components/help.ts': [
        'export default {',
        '  template: `<div>',
        '    <p v-html="$t(\'help.intro\')"></p>',
        '    <p v-html="sanitize(page.body)"></p>',
        '    <p v-html="\'<b>Note</b>\'"></p>',
        '    <p v-text="page.body"></p>',
        '  </div>`,',
        '};',
        'const layout = { template: \'<div class="layout"><slot /></div>\' };',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });
});
