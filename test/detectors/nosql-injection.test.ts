// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are fixture source code that contains template literals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nosqlInjection } from '../../src/detectors/security/nosql-injection.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

describe('security/nosql-injection', () => {
  it('flags Mongoose and driver filters taken from req.body/req.query as they are', () => {
    const findings = detect(nosqlInjection, {
      'src/routes/auth.js': [
        "const mongoose = require('mongoose');",
        "router.post('/login', async (req, res) => {",
        '  const user = await User.findOne({ email: req.body.email, password: req.body.password });',
        '  res.json(user);',
        '});',
        "router.get('/users', async (req, res) => {",
        '  res.json(await User.find(req.query));',
        '});',
        "router.post('/reset', async (req, res) => {",
        '  const { token } = req.body;',
        "  await db.collection('resets').deleteOne({ token });",
        '});',
        "router.post('/by-email', async ({ body }, res) => res.json(await User.findOne({ email: body.email })));",
        "router.get('/search', async (req, res) => {",
        '  const docs = await Post.find({ $where: `this.title.includes("${req.query.q}")` });',
        '  res.json(docs);',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/routes/auth.js', 3, 'HIGH'],
      ['src/routes/auth.js', 7, 'HIGH'],
      ['src/routes/auth.js', 11, 'HIGH'],
      ['src/routes/auth.js', 13, 'HIGH'],
      ['src/routes/auth.js', 15, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /\$ne/);
    assert.match(findings[4]?.message ?? '', /\$where/);
  });

  it("rates MED a model that only its capital names as one, taken from a package that is no MongoDB library (Saltcorn's SQL models)", () => {
    const findings = detect(nosqlInjection, {
      'routes/actions.js': [
        'const Table = require("@saltcorn/data/models/table");',
        'const { User, View } = require("@saltcorn/data/models");',
        'const Post = require("../models/post");',
        'import { Comment } from "@acme/typegoose-models";',
        'router.get("/table", async (req, res) => {',
        '  const table = Table.findOne({ name: req.query.table });',
        '  const user = await User.findOne({ id: (req.body || {}).id });',
        '  const view = await View.findOne({ name: req.query.view });',
        // The app's own models (Mongoose in most Express apps) and a Mongo package stay HIGH.
        '  const post = await Post.findOne({ slug: req.query.slug });',
        '  const comment = await Comment.findOne({ author: req.query.author });',
        '  res.json({ table, user, view, post, comment });',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['routes/actions.js', 6, 'MED'],
      ['routes/actions.js', 7, 'MED'],
      ['routes/actions.js', 8, 'MED'],
      ['routes/actions.js', 9, 'HIGH'],
      ['routes/actions.js', 10, 'HIGH'],
    ]);
    assert.match(
      findings[0]?.message ?? '',
      /`Table` comes from `@saltcorn\/data\/models\/table`, not a MongoDB library/,
    );
  });

  it('keeps HIGH a model the app imports through a path alias (a Next.js login route over Mongoose)', () => {
    const findings = detect(nosqlInjection, {
      'pages/api/login.js': [
        'import User from "@/models/User";',
        'import { Session } from "~/models";',
        'import dbConnect from "@/lib/dbConnect";',
        'export default async function handler(req, res) {',
        '  await dbConnect();',
        '  const user = await User.findOne({ email: req.body.email, password: req.body.password });',
        '  const session = await Session.findOne({ token: req.query.token });',
        '  res.json({ user, session });',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['pages/api/login.js', 6, 'HIGH'],
      ['pages/api/login.js', 7, 'HIGH'],
    ]);
  });

  it('flags a $where clause built from a parameter wherever the filter object is assembled (MED)', () => {
    const findings = detect(nosqlInjection, {
      'app/data/allocations-dao.js': [
        'this.getByUserIdAndThreshold = function(userId, threshold, callback) {',
        '  var parsedUserId = parseInt(userId);',
        '  function searchCriteria() {',
        '    if (threshold) {',
        "      return { $where: `this.userId == ${parsedUserId} && this.stocks > '${threshold}'` };",
        '    }',
        '    return { userId: parsedUserId };',
        '  }',
        '  allocationsCol.findOne(searchCriteria(), callback);',
        '};',
        "const ACTIVE = { $where: 'this.active === true' };",
      ].join('\n'),
      // mongoose's Model.prototype.$__handleSave: `$where` is a key of the result handed back.
      'lib/model.js': [
        'function save(callback) {',
        '  const where = this.$__where();',
        '  if (version != null) where[versionKey] = version;',
        '  this.collection.findOne(where).then((doc) => callback(null, { $where: where, matchedCount: 1 }));',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['app/data/allocations-dao.js', 5, 'MED'],
      ['lib/model.js', 4, 'LOW'],
    ]);
  });

  it('leaves coerced, validated, route-param and ORM filters alone', () => {
    const findings = detect(nosqlInjection, {
      'src/routes/safe.ts': [
        "import { z } from 'zod';",
        "import mongoose from 'mongoose';",
        'const Login = z.object({ email: z.string(), password: z.string() });',
        "router.post('/login', async (req, res) => {",
        '  const { email, password } = Login.parse(req.body);',
        '  const user = await User.findOne({ email });',
        '  await User.findOne({ email: String(req.body.email) });',
        '  await User.findById(req.params.id);',
        '  await Order.find({ owner: req.params.userId, status: "open" });',
        '  await repo.findOne({ where: { email: req.body.email } });',
        '  const item = items.find((i) => i.id === req.query.id);',
        '  res.json(user);',
        '});',
        "router.get('/typed', async (req, res) => {",
        "  if (typeof req.query.name !== 'string') return res.sendStatus(400);",
        '  res.json(await User.find({ name: req.query.name }));',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });

  it('flags pymongo filters from request JSON, not from string-only form/args values (Python)', () => {
    const findings = detect(nosqlInjection, {
      'app/api.py': [
        'from flask import request',
        'from pymongo import MongoClient',
        '',
        "@app.post('/login')",
        'def login():',
        '    data = request.get_json()',
        "    user = db.users.find_one({'email': data['email'], 'password': data['password']})",
        '    return jsonify(user)',
        '',
        "@app.get('/search')",
        'def search():',
        "    return jsonify(list(db.posts.find({'tag': request.args.get('tag')})))",
        '',
        "@app.post('/query')",
        'def query():',
        '    return jsonify(list(db.posts.find(request.json)))',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['app/api.py', 7, 'HIGH'],
      ['app/api.py', 16, 'HIGH'],
    ]);
  });
});
