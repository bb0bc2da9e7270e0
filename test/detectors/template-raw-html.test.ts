import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { templateRawHtml } from '../../src/detectors/security/template-raw-html.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

describe('security/template-raw-html: Vue and Svelte', () => {
  it('flags v-html on props and route data, and {@html} on unsanitised values', () => {
    const findings = detect(templateRawHtml, {
      'src/components/CommentItem.vue': [
        '<template>',
        '  <li class="comment">',
        '    <span class="author">{{ comment.author }}</span>',
        '    <div class="body" v-html="comment.body"></div>',
        '    <p class="hint" v-html="$route.query.message"></p>',
        '  </li>',
        '</template>',
        '<script setup>',
        "defineProps(['comment']);",
        '</script>',
      ].join('\n'),
      'src/routes/Post.svelte': [
        '<script>',
        '  import { marked } from "marked";',
        '  export let post;',
        '  $: html = marked(post.body);',
        '</script>',
        '<article>{@html html}</article>',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/components/CommentItem.vue', 4, 'MED'],
      ['src/components/CommentItem.vue', 5, 'HIGH'],
      ['src/routes/Post.svelte', 6, 'MED'],
    ]);
  });

  it('leaves sanitised computed values, translations, constants and text bindings alone', () => {
    const findings = detect(templateRawHtml, {
      'src/components/Article.vue': [
        '<template>',
        '  <article>',
        '    <h1>{{ article.title }}</h1>',
        '    <div v-html="safeBody"></div>',
        '    <div v-html="renderedBody"></div>',
        '    <p v-html="$t(\'article.footer\')"></p>',
        '    <span v-html="\'&nbsp;\'"></span>',
        '    <p v-text="article.summary"></p>',
        '  </article>',
        '</template>',
        '<script>',
        "import DOMPurify from 'dompurify';",
        'export default {',
        "  props: ['article'],",
        '  computed: {',
        '    renderedBody() {',
        '      return DOMPurify.sanitize(marked(this.article.body));',
        '    },',
        '    safeBody() { return this.renderedBody; },',
        '  },',
        '};',
        '</script>',
      ].join('\n'),
      'src/lib/Icon.svelte': '<script>export let name;</script>\n<span>{name}</span>',
    });
    assert.deepEqual(summary(findings), []);
  });
});

describe('security/template-raw-html: lint comments and translations', () => {
  it('makes a binding its authors allowed with an ESLint comment a LOW lead, URL data aside', () => {
    const findings = detect(templateRawHtml, {
      'src/components/Widget.vue': [
        '<!-- eslint-disable vue/no-v-html -->',
        '<template>',
        '  <div v-html="rendered" />',
        '</template>',
        '<script>',
        "export default { props: ['rendered'] };",
        '</script>',
      ].join('\n'),
      'src/components/Embed.vue': [
        '<template>',
        '  <div>',
        '    <!-- eslint-disable-next-line vue/no-v-html -- oEmbed markup from our proxy -->',
        '    <div v-html="embed.html" />',
        '    <div v-html="embed.caption" />',
        '    <!-- eslint-disable vue/no-v-html -->',
        '    <p v-html="$route.query.note" />',
        '    <!-- eslint-enable vue/no-v-html -->',
        '    <p v-html="embed.footer" />',
        '    <!-- eslint-disable vue/no-unused-vars -->',
        '    <p v-html="embed.author" />',
        '  </div>',
        '</template>',
        '<script>',
        "export default { props: ['embed'] };",
        '</script>',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/components/Widget.vue', 3, 'LOW'],
      ['src/components/Embed.vue', 4, 'LOW'],
      ['src/components/Embed.vue', 5, 'MED'],
      ['src/components/Embed.vue', 7, 'HIGH'],
      ['src/components/Embed.vue', 9, 'MED'],
      ['src/components/Embed.vue', 11, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /allowed it with `eslint-disable vue\/no-v-html`/);
  });

  it('leaves values the script only ever sets to translations alone, and flags any other value', () => {
    const findings = detect(templateRawHtml, {
      'src/components/Uploader.vue': [
        '<template>',
        '  <p v-html="instructions" />',
        '  <p v-if="errorMessage" v-html="errorMessage" />',
        '  <p v-html="notice" />',
        '  <p v-html="hint" />',
        '</template>',
        '<script setup>',
        "const instructions = $t('upload.instructions', { button: '<button>Browse</button>' });",
        "const props = defineProps(['notice']);",
        "let notice = props.notice || $t('upload.notice');",
        'function hint() { return props.hint; }',
        '</script>',
        '<script>',
        'export default {',
        '  data() { return { errorMessage: null }; },',
        '  methods: {',
        '    fail(source) {',
        "      this.errorMessage = this.$t('upload.failed', { source });",
        '    },',
        '  },',
        '};',
        '</script>',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/components/Uploader.vue', 4, 'MED'],
      ['src/components/Uploader.vue', 5, 'MED'],
    ]);
  });
});

describe('security/template-raw-html: Jinja and Django', () => {
  it('flags |safe on request data (directly or through the view) and autoescape turned off', () => {
    const findings = detect(templateRawHtml, {
      'app/views.py': [
        'from flask import render_template, request',
        '',
        '@app.route("/profile")',
        'def profile():',
        '    bio = request.args.get("bio", "")',
        '    return render_template("profile.html", bio=bio, user=current_user)',
      ].join('\n'),
      'app/templates/profile.html': [
        '{% extends "base.html" %}',
        '{% block content %}',
        '  <h1>{{ user.name }}</h1>',
        '  <div class="bio">{{ bio|safe }}</div>',
        '  <p>You searched for {{ request.args.q | safe }}</p>',
        '  <section>{{ user.about|markdown|safe }}</section>',
        '  <footer>{{ footer_html|safe }}</footer>',
        '{% endblock %}',
      ].join('\n'),
      'shop/templates/shop/receipt.html': [
        '{% autoescape off %}',
        '<p>Thanks, {{ order.customer_name }}</p>',
        '{% endautoescape %}',
      ].join('\n'),
      // Django's own plain-text mail body: escaping would turn & into &amp; in the e-mail.
      'admin/templates/registration/password_reset_email.html': [
        '{% load i18n %}{% autoescape off %}',
        '{{ protocol }}://{{ domain }}{% url "password_reset_confirm" uidb64=uid token=token %}',
        '{% endautoescape %}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['app/templates/profile.html', 4, 'HIGH'],
      ['app/templates/profile.html', 5, 'HIGH'],
      ['app/templates/profile.html', 6, 'MED'],
      ['app/templates/profile.html', 7, 'LOW'],
      ['shop/templates/shop/receipt.html', 1, 'MED'],
      ['admin/templates/registration/password_reset_email.html', 1, 'LOW'],
    ]);
  });

  it('leaves escaped output, JSON, forms, macro bodies and non-template HTML alone', () => {
    const findings = detect(templateRawHtml, {
      'app/templates/base.html': [
        '<script>window.config = {{ config|tojson|safe }};</script>',
        '<form method="post">{{ form.as_p|safe }}{{ csrf_token|safe }}</form>',
        '<p>{{ comment.body|striptags|safe }}</p>',
        '<p>{{ comment.body }}</p>',
        "{{ '<br>'|safe }}",
        '{% macro card() %}<div>{{ caller()|safe }}</div>{% endmacro %}',
        '{% autoescape true %}{{ name }}{% endautoescape %}',
      ].join('\n'),
      'public/index.html': '<div>{{ message|safe }}</div>',
    });
    assert.deepEqual(summary(findings), []);
  });
});

describe('security/template-raw-html: EJS, Handlebars and Pug views', () => {
  it('flags raw outputs, HIGH where the route fills them from the request (DVNA product search)', () => {
    const findings = detect(templateRawHtml, {
      'core/appHandler.js': [
        'module.exports.productSearch = function (req, res) {',
        '  db.Product.findAll({ where: { name: { [Op.like]: `%${req.body.name}%` } } }).then((products) => {',
        '    output = { products: products, searchTerm: req.body.name };',
        "    res.render('app/products', { output: output });",
        '  });',
        '};',
        "module.exports.hello = (req, res) => res.render('hello', { who: req.query.who, title: 'Hi' });",
        'module.exports.profile = (req, res) => {',
        '  const { bio } = req.body;',
        "  res.render('profile', { bio, user: req.user });",
        '};',
      ].join('\n'),
      'views/app/products.ejs': [
        "<%- include('../common/head') %>",
        '<p>Results for <%- output.searchTerm %></p>',
        '<td><%= output.products[0].name %></td>',
      ].join('\n'),
      'views/hello.hbs': ['{{{body}}}', '<h1>{{title}}</h1>', '<p>{{{ who }}}</p>'].join('\n'),
      'views/profile.pug': ['div.bio!= bio', 'p Welcome !{user.name}', '- if (a != b)', 'p= user.email'].join(
        '\n',
      ),
    });
    assert.deepEqual(summary(findings), [
      ['views/app/products.ejs', 2, 'HIGH'],
      ['views/hello.hbs', 3, 'HIGH'],
      ['views/profile.pug', 1, 'HIGH'],
    ]);
    assert.match(
      findings[0]?.message ?? '',
      /`output\.searchTerm`, which the route fills from the request.*`<%-`/,
    );
  });

  it('leaves escaped outputs, includes, layout bodies, constants and values the routes do not take from the request alone', () => {
    const findings = detect(templateRawHtml, {
      'views/layout.ejs': [
        '<%- body %>',
        "<%- include('footer') %>",
        '<%= user.name %>',
        "<%- '<hr>' %>",
      ].join('\n'),
      'views/main.handlebars': ['{{{body}}}', '{{> header}}', '{{user.name}}'].join('\n'),
      'views/page.pug': [
        'extends layout',
        'block content',
        '  p= user.name',
        '  - if (x != y)',
        '  div!= html',
      ].join('\n'),
      'views/mail.hbs': '{{{ commentHtml }}}',
    });
    assert.deepEqual(summary(findings), []);
  });
});
