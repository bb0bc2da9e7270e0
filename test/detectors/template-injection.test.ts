// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are fixture source code that contains template literals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { templateInjection } from '../../src/detectors/security/template-injection.ts';
import { detect, linesAndConfidence } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

describe('security/template-injection', () => {
  it('flags Flask/Jinja2 templates compiled from request data or interpolated text (Python)', () => {
    const findings = detect(templateInjection, {
      'app/pages.py': [
        'from flask import request, render_template_string',
        'from jinja2 import Template',
        '',
        "@app.route('/hello')",
        'def hello():',
        "    name = request.args.get('name', 'world')",
        '    return render_template_string(f"<h1>Hello {name}!</h1>")',
        '',
        "@app.route('/preview', methods=['POST'])",
        'def preview():',
        "    return Template(request.form['body']).render()",
        '',
        'def banner(title):',
        '    return render_template_string("<h2>" + title + "</h2>")',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['app/pages.py', 7, 'HIGH'],
      ['app/pages.py', 11, 'HIGH'],
      ['app/pages.py', 14, 'MED'],
    ]);
  });

  it('leaves constant templates with data in the context, and string.Template, alone (Python)', () => {
    const findings = detect(templateInjection, {
      'app/safe.py': [
        'from string import Template',
        'from flask import request, render_template_string',
        'PAGE = "<h1>Hello {{ name }}!</h1>"',
        '',
        "@app.route('/hello')",
        'def hello():',
        "    return render_template_string(PAGE, name=request.args.get('name'))",
        '',
        'def mail(user):',
        "    return Template('Hi $name').substitute(name=request.args['n'])",
        '',
        'def from_file(path):',
        '    return render_template_string(open(path).read())',
      ].join('\n'),
      // Django REST framework's fallback error page: the status code and its phrase, title-cased.
      'rest_framework/renderers.py': [
        'from django.template import engines',
        'def get_exception_template(self, response):',
        "    body = '%d %s' % (response.status_code, response.status_text.title())",
        "    return engines['django'].from_string(body)",
        'def note_template(note):',
        "    return engines['django'].from_string('<p>%s</p>' % note.text.strip())",
      ].join('\n'),
    });
    // The note's own text stays a finding; only its case or spacing changed.
    assert.deepEqual(summary(findings), [['rest_framework/renderers.py', 6, 'MED']]);
  });

  it('flags Handlebars, EJS and Pug compiling request data, not templates read from disk (JS)', () => {
    const findings = detect(templateInjection, {
      'src/render.ts': [
        "import Handlebars from 'handlebars';",
        "import ejs from 'ejs';",
        "import pug from 'pug';",
        "router.post('/preview', (req, res) => {",
        '  const tpl = Handlebars.compile(req.body.template);',
        '  res.send(tpl({ user: req.user }));',
        '});',
        "router.get('/greet', (req, res) => {",
        '  res.send(ejs.render(`<p>Hello ${req.query.name}</p>`));',
        '});',
        "router.get('/p', (req, res) => res.send(pug.render(req.query.src)));",
        'export function page(source: string, data: object) {',
        '  return Handlebars.compile(source)(data);',
        '}',
        "router.get('/ok', (req, res) => res.send(ejs.render('<p><%= name %></p>', { name: req.query.name })));",
        "const html = res.render('index', { q: req.query.q });",
      ].join('\n'),
      // Etherpad's eejs: a template file's text wrapped in constant EJS tags.
      'node/eejs/index.js': [
        'exports.require = (name, args, mod) => {',
        "  const ejspath = resolve.sync(name, {paths, basedir, extensions: ['.html', '.ejs']});",
        '  const template = cache && templateCache.get(ejspath) || ejs.compile(',
        "      '<% e._init({get: () => __output, set: (s) => { __output = s; }}); %>' +",
        '        `${fs.readFileSync(ejspath).toString()}<% e._exit(); %>`,',
        '      {filename: ejspath});',
        '  const other = ejs.compile(`<%= x %>${footer}`);',
        '  return template(args);',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/render.ts', 5, 'HIGH'],
      ['src/render.ts', 9, 'HIGH'],
      ['src/render.ts', 11, 'HIGH'],
      ['node/eejs/index.js', 7, 'MED'],
    ]);
  });

  it('follows a template source built up from constants in steps (sequelize db2), and flags a step that adds data', () => {
    const findings = detect(templateInjection, {
      'lib/dialects/db2/query-generator.js': [
        "const _ = require('lodash');",
        'function showIndexesQuery(tableName, schema) {',
        "  let sql = 'SELECT NAME FROM SYSIBM.SYSINDEXES WHERE TBNAME = <%= tableName %>';",
        '  if (schema) {',
        '    sql = `${sql} AND TBCREATOR = <%= schemaName %>`;',
        '  }',
        '  sql = `${sql} ORDER BY NAME;`;',
        '  return _.template(sql, this._templateSettings)({ tableName, schemaName: schema });',
        '}',
        'function filtered(where) {',
        "  let sql = 'SELECT * FROM t';",
        '  sql = `${sql} WHERE ${where}`;',
        '  return _.template(sql)({});',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [[13, 'MED']]);
  });
});
