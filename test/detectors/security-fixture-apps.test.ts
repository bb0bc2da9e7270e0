// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are fixture source code that contains template literals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CODE_DETECTORS } from '../../src/detectors/code-detectors.ts';
import { detect } from '../helpers/detector.ts';
import type { FileTree } from '../helpers/repo.ts';

/** The correctness and security detectors, as `improve --focus security,correctness` runs them. */
const DETECTORS = CODE_DETECTORS.filter((d) => d.category === 'security' || d.category === 'correctness');

/** `rule file:line` of every MED or HIGH finding, sorted. */
function serious(files: FileTree): string[] {
  return detect(DETECTORS, files)
    .filter((f) => f.confidence !== 'LOW')
    .map((f) => `${f.ruleId} ${f.evidence[0]?.file}:${f.evidence[0]?.startLine}`)
    .sort();
}

const EXPRESS_API: FileTree = {
  'package.json':
    '{ "name": "shop-api", "dependencies": { "express": "^4.19.0", "jsonwebtoken": "^8.5.1" } }',
  'src/server.ts': [
    "import cors from 'cors';",
    "import express from 'express';",
    'export const app = express();',
    'app.use(cors({ origin: true, credentials: true }));',
  ].join('\n'),
  'src/routes/files.ts': [
    "import path from 'node:path';",
    "router.get('/invoices/:name', (req, res) => {",
    '  res.sendFile(path.join(INVOICE_DIR, req.params.name));',
    '});',
  ].join('\n'),
  'src/routes/auth.ts': [
    "import crypto from 'node:crypto';",
    "import jwt from 'jsonwebtoken';",
    "router.post('/login', async (req, res) => {",
    '  const { email, password } = req.body;',
    "  const hash = crypto.createHash('md5').update(password).digest('hex');",
    '  const user = await prisma.user.findFirst({ where: { email, passwordHash: hash } });',
    '  if (!user) return res.sendStatus(401);',
    '  res.redirect(req.query.next);',
    '});',
    'export function requireUser(req, res, next) {',
    "  req.user = jwt.verify(req.headers.authorization?.slice(7) ?? '', PUBLIC_KEY);",
    '  next();',
    '}',
    'export function newResetToken() {',
    '  return Math.random().toString(36).slice(2);',
    '}',
  ].join('\n'),
  'src/routes/search.ts': [
    "router.get('/search', async (req, res) => {",
    '  res.json(await prisma.$queryRawUnsafe(`SELECT * FROM "Product" WHERE name ILIKE \'%${req.query.q}%\'`));',
    '});',
  ].join('\n'),
  'src/routes/legacy.ts': [
    "import mongoose from 'mongoose';",
    "router.post('/legacy/login', async (req, res) => {",
    '  res.json(await LegacyUser.findOne({ email: req.body.email, password: req.body.password }));',
    '});',
  ].join('\n'),
  'src/routes/preview.ts': [
    "import ejs from 'ejs';",
    "router.post('/preview', (req, res) => res.send(ejs.render(req.body.template, { user: req.user })));",
  ].join('\n'),
};

const EXPRESS_API_FIXED: FileTree = {
  'package.json':
    '{ "name": "shop-api", "dependencies": { "express": "^4.19.0", "jsonwebtoken": "^9.0.2" } }',
  'src/server.ts': [
    "import cors from 'cors';",
    "import express from 'express';",
    'export const app = express();',
    'app.use(cors({ origin: config.allowedOrigins, credentials: true }));',
  ].join('\n'),
  'src/routes/files.ts': [
    "router.get('/invoices/:name', (req, res) => {",
    '  res.sendFile(req.params.name, { root: INVOICE_DIR });',
    '});',
  ].join('\n'),
  'src/routes/auth.ts': [
    "import crypto from 'node:crypto';",
    "import jwt from 'jsonwebtoken';",
    "router.post('/login', async (req, res) => {",
    '  const { email, password } = Login.parse(req.body);',
    '  const user = await prisma.user.findFirst({ where: { email } });',
    '  if (!user || !(await verifyPassword(password, user.passwordHash))) return res.sendStatus(401);',
    "  const next = typeof req.query.next === 'string' ? req.query.next : '/';",
    "  res.redirect(new URL(next, 'https://shop.example').origin === 'https://shop.example' ? next : '/');",
    '});',
    'export function requireUser(req, res, next) {',
    "  req.user = jwt.verify(req.headers.authorization?.slice(7) ?? '', PUBLIC_KEY, { algorithms: ['RS256'] });",
    '  next();',
    '}',
    'export function newResetToken() {',
    "  return crypto.randomBytes(32).toString('base64url');",
    '}',
  ].join('\n'),
  'src/routes/search.ts': [
    "router.get('/search', async (req, res) => {",
    '  res.json(await prisma.$queryRaw`SELECT * FROM "Product" WHERE name ILIKE ${`%${req.query.q}%`}`);',
    '});',
  ].join('\n'),
  'src/routes/legacy.ts': [
    "import mongoose from 'mongoose';",
    "router.post('/legacy/login', async (req, res) => {",
    '  res.json(await LegacyUser.findOne({ email: String(req.body.email) }));',
    '});',
  ].join('\n'),
  'src/routes/preview.ts': [
    "import ejs from 'ejs';",
    "router.post('/preview', (req, res) => res.send(ejs.render(PREVIEW_TEMPLATE, { body: req.body.text })));",
  ].join('\n'),
};

const FLASK_SERVICE: FileTree = {
  'app/views.py': [
    'import hashlib, os, random',
    'import jwt',
    'from flask import Flask, request, redirect, render_template_string',
    'from flask_cors import CORS',
    'from markupsafe import Markup',
    'app = Flask(__name__)',
    'CORS(app, supports_credentials=True)',
    '',
    "@app.route('/report')",
    'def report():',
    "    return open(os.path.join(REPORTS, request.args['name'])).read()",
    '',
    "@app.route('/login', methods=['POST'])",
    'def login():',
    "    digest = hashlib.md5(request.form['password'].encode()).hexdigest()",
    "    session['csrf_token'] = str(random.random())",
    "    return redirect(request.args.get('next', '/'))",
    '',
    "@app.route('/hello')",
    'def hello():',
    "    name = request.args.get('name', 'world')",
    '    return render_template_string(f"<h1>Hello {name}</h1>")',
    '',
    "@app.route('/bio')",
    'def bio():',
    "    return Markup(request.args['bio'])",
    '',
    'def current_user():',
    "    return jwt.decode(request.headers['Authorization'][7:], SECRET)",
  ].join('\n'),
};

const FLASK_SERVICE_FIXED: FileTree = {
  'app/views.py': [
    'import hashlib, os, secrets',
    'import jwt',
    'from flask import Flask, request, redirect, render_template_string, send_from_directory, url_for',
    'from flask_cors import CORS',
    'from markupsafe import Markup, escape',
    'app = Flask(__name__)',
    'CORS(app, origins=["https://shop.example"], supports_credentials=True)',
    'PAGE = "<h1>Hello {{ name }}</h1>"',
    '',
    "@app.route('/report')",
    'def report():',
    "    return send_from_directory(REPORTS, request.args['name'])",
    '',
    "@app.route('/login', methods=['POST'])",
    'def login():',
    "    digest = hashlib.scrypt(request.form['password'].encode(), salt=SALT, n=2**14, r=8, p=1)",
    "    session['csrf_token'] = secrets.token_urlsafe(32)",
    "    return redirect(url_for('home'))",
    '',
    "@app.route('/hello')",
    'def hello():',
    "    return render_template_string(PAGE, name=request.args.get('name', 'world'))",
    '',
    "@app.route('/bio')",
    'def bio():',
    '    return Markup(f"<p>{escape(request.args[\'bio\'])}</p>")',
    '',
    'def current_user():',
    "    return jwt.decode(request.headers['Authorization'][7:], SECRET, algorithms=['HS256'])",
  ].join('\n'),
};

const REACT_APP: FileTree = {
  'src/Comment.jsx': [
    'export function Comment({ comment }) {',
    '  return <div className="comment" dangerouslySetInnerHTML={{ __html: comment.body }} />;',
    '}',
  ].join('\n'),
  'src/login.js': [
    'const params = new URLSearchParams(window.location.search);',
    "export const finishLogin = () => { window.location.href = params.get('returnTo'); };",
    "document.querySelector('#flash').innerHTML = decodeURIComponent(location.hash.slice(1));",
  ].join('\n'),
  'src/status.ts': [
    "type Status = 'draft' | 'published' | 'archived';",
    'export function badge(status: Status) {',
    '  switch (status) {',
    "    case 'draft': return 'grey';",
    "    case 'published': return 'green';",
    '    default: return;',
    '  }',
    '}',
  ].join('\n'),
  'src/api.ts': [
    'export async function load(id: string) {',
    '  const res = (await fetch(`/api/${id}`)) as any;',
    '  // @ts-ignore',
    '  return normalise((await res.json()) as any, res.headers as any);',
    '}',
  ].join('\n'),
};

const REACT_APP_FIXED: FileTree = {
  'src/Comment.jsx': [
    "import DOMPurify from 'dompurify';",
    'export function Comment({ comment }) {',
    '  return <div className="comment" dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(comment.body) }} />;',
    '}',
  ].join('\n'),
  'src/login.js': [
    'const params = new URLSearchParams(window.location.search);',
    "export const finishLogin = () => { window.location.href = safeReturnTo(params.get('returnTo')); };",
    "document.querySelector('#flash').textContent = decodeURIComponent(location.hash.slice(1));",
  ].join('\n'),
  'src/status.ts': [
    "type Status = 'draft' | 'published' | 'archived';",
    'export function badge(status: Status) {',
    '  switch (status) {',
    "    case 'draft': return 'grey';",
    "    case 'published': return 'green';",
    "    case 'archived': return 'black';",
    '    default: {',
    '      const unhandled: never = status;',
    '      throw new Error(`Unknown status ${String(unhandled)}`);',
    '    }',
    '  }',
    '}',
  ].join('\n'),
  'src/api.ts': [
    'export async function load(id: string): Promise<Item> {',
    '  const res = await fetch(`/api/${encodeURIComponent(id)}`);',
    '  return ItemSchema.parse(await res.json());',
    '}',
  ].join('\n'),
};

describe('security and correctness detectors on small realistic apps', () => {
  it('find the planted problems in an Express API', () => {
    assert.deepEqual(serious(EXPRESS_API), [
      'security/insecure-random src/routes/auth.ts:15',
      'security/jwt-verification src/routes/auth.ts:11',
      'security/nosql-injection src/routes/legacy.ts:3',
      'security/open-redirect src/routes/auth.ts:8',
      'security/path-traversal src/routes/files.ts:3',
      'security/permissive-cors src/server.ts:4',
      'security/sql-injection src/routes/search.ts:2',
      'security/template-injection src/routes/preview.ts:2',
      'security/weak-hash src/routes/auth.ts:5',
    ]);
  });

  it('report nothing of MED or HIGH confidence on the fixed Express API', () => {
    assert.deepEqual(serious(EXPRESS_API_FIXED), []);
  });

  it('find the planted problems in a Flask service', () => {
    assert.deepEqual(serious(FLASK_SERVICE), [
      'security/html-injection app/views.py:26',
      'security/insecure-random app/views.py:16',
      'security/jwt-verification app/views.py:29',
      'security/open-redirect app/views.py:17',
      'security/path-traversal app/views.py:11',
      'security/permissive-cors app/views.py:7',
      'security/template-injection app/views.py:22',
      'security/weak-hash app/views.py:15',
    ]);
  });

  it('report nothing of MED or HIGH confidence on the fixed Flask service', () => {
    assert.deepEqual(serious(FLASK_SERVICE_FIXED), []);
  });

  it('find the planted problems in a React front end', () => {
    assert.deepEqual(serious(REACT_APP), [
      'correctness/silent-switch-default src/status.ts:6',
      'correctness/type-suppression-cluster src/api.ts:2',
      'security/html-injection src/Comment.jsx:2',
      'security/html-injection src/login.js:3',
      'security/open-redirect src/login.js:2',
    ]);
  });

  it('report nothing of MED or HIGH confidence on the fixed React front end', () => {
    assert.deepEqual(serious(REACT_APP_FIXED), []);
  });

  it('give done checks of one line (plans quote them in a checklist and as inline code)', () => {
    const checks = [EXPRESS_API, FLASK_SERVICE, REACT_APP]
      .flatMap((files) => detect(DETECTORS, files))
      .flatMap((finding) =>
        finding.doneCheck === undefined ? [] : [`${finding.ruleId}: ${finding.doneCheck}`],
      );
    assert.ok(checks.length >= 20, `${checks.length} done checks`);
    assert.deepEqual(
      checks.filter((check) => check.includes('\n')),
      [],
    );
  });
});
