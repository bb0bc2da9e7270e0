import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { autoescapeOff } from '../../src/detectors/security/autoescape-off.ts';
import { detect } from '../helpers/detector.ts';

describe('security/autoescape-off', () => {
  it('flags template engines told not to escape HTML (NodeGoat swig defaults)', () => {
    const findings = detect(autoescapeOff, {
      'server.js': [
        "const express = require('express');",
        "const swig = require('swig');",
        "app.engine('.html', consolidate.swig);",
        'swig.setDefaults({',
        '  autoescape: false',
        '});',
      ].join('\n'),
      'src/views.ts': [
        "import Handlebars from 'handlebars';",
        'export const page = (source: string) => Handlebars.compile(source, { noEscape: true });',
        "export const send = (res) => res.render('home.html');",
      ].join('\n'),
      'tools/codegen.js': [
        "const nunjucks = require('nunjucks');",
        "nunjucks.configure('templates', { autoescape: false });",
        "module.exports = (name) => nunjucks.render('model.ts.njk', { name });",
      ].join('\n'),
      'site/settings.py': [
        'TEMPLATES = [',
        "    {'BACKEND': 'django.template.backends.django.DjangoTemplates',",
        "     'OPTIONS': {'autoescape': False}},",
        ']',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['server.js', 5, 'MED'],
        ['src/views.ts', 2, 'MED'],
        ['tools/codegen.js', 2, 'LOW'],
        ['site/settings.py', 3, 'MED'],
      ],
    );
    assert.match(findings[2]?.message ?? '', /shows no web pages/);
    assert.equal(
      findings[0]?.doneCheck,
      `! grep -qE -- 'autoescape['\\''"]?[[:space:]]*:[[:space:]]*false|noEscape['\\''"]?[[:space:]]*:[[:space:]]*true' 'server.js'`,
    );
  });

  it('leaves escaping on, other libraries and other settings alone', () => {
    const findings = detect(autoescapeOff, {
      'server.js': [
        "const swig = require('swig');",
        'swig.setDefaults({ autoescape: true, cache: false });',
      ].join('\n'),
      'src/markdown.js': [
        "const marked = require('marked');",
        'const options = { noEscape: true, autoescape: false };',
      ].join('\n'),
      'app/config.py': ["SETTINGS = {'autoescape': False}", 'JINJA = dict(autoescape=False)'].join('\n'),
    });
    assert.deepEqual(findings, []);
  });
});
