import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { permissiveCors } from '../../src/detectors/security/permissive-cors.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

describe('security/permissive-cors', () => {
  it('flags cors()/Nest/Koa options that admit any origin with credentials, and reflected headers', () => {
    const findings = detect(permissiveCors, {
      'src/server.ts': [
        "import cors from 'cors';",
        'app.use(cors({ origin: true, credentials: true }));',
        'app.enableCors({',
        '  origin: (origin, callback) => callback(null, true),',
        '  credentials: true,',
        '});',
        "koa.use(koaCors({ origin: (ctx) => ctx.get('Origin'), credentials: true }));",
        "api.use(cors({ origin: '*', credentials: true }));",
        "admin.use(cors({ 'origin': true, 'credentials': true }));",
      ].join('\n'),
      'src/middleware/cors.js': [
        'module.exports = function cors(req, res, next) {',
        "  res.setHeader('Access-Control-Allow-Origin', req.headers.origin);",
        "  res.setHeader('Access-Control-Allow-Credentials', 'true');",
        '  next();',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/server.ts', 2, 'HIGH'],
      ['src/server.ts', 4, 'HIGH'],
      ['src/server.ts', 7, 'HIGH'],
      ['src/server.ts', 8, 'MED'],
      ['src/server.ts', 9, 'HIGH'],
      ['src/middleware/cors.js', 2, 'HIGH'],
    ]);
  });

  it('leaves allow-lists, checked reflection, wildcards without credentials alone', () => {
    const findings = detect(permissiveCors, {
      'src/server.ts': [
        "app.use(cors({ origin: ['https://app.example.com'], credentials: true }));",
        "app.use(cors({ origin: '*' }));",
        'app.use(cors({',
        '  origin: (origin, cb) => cb(null, ALLOWED_ORIGINS.includes(origin)),',
        '  credentials: true,',
        '}));',
        'app.use((req, res, next) => {',
        '  const origin = req.headers.origin;',
        '  if (origin && ALLOWED.has(origin)) {',
        "    res.setHeader('Access-Control-Allow-Origin', origin);",
        "    res.setHeader('Access-Control-Allow-Credentials', 'true');",
        '  }',
        '  next();',
        '});',
        "res.setHeader('Access-Control-Allow-Origin', '*');",
      ].join('\n'),
      // Ghost's members API: reflection only for origins the delegate checked, a wildcard otherwise.
      'src/members/cors.js': [
        "const cors = require('cors');",
        'const ENABLE_CORS = { origin: true, maxAge, credentials: true };',
        "const WILDCARD_CORS = { origin: '*', maxAge };",
        'function corsOptionsDelegate(req, callback) {',
        "  const origin = req.get('origin');",
        '  if (isAllowedOrigin(origin)) {',
        '    return callback(null, ENABLE_CORS);',
        '  } else {',
        '    return callback(null, WILDCARD_CORS);',
        '  }',
        '}',
        'const delegate = (req, cb) => cb(null, trustedOrigin(req) ? ENABLE_CORS : WILDCARD_CORS);',
        'module.exports = cors(corsOptionsDelegate);',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });

  it('still flags reflecting options that are handed out unchecked or used directly', () => {
    const findings = detect(permissiveCors, {
      'src/cors.js': [
        'const OPEN = { origin: true, credentials: true };',
        'function delegate(req, callback) {',
        '  if (req.method === "GET") return callback(null, OPEN);',
        '  callback(null, OPEN);',
        '}',
        'const ALSO_OPEN = { origin: true, credentials: true };',
        'function other(req, callback) {',
        '  if (isAllowedOrigin(req.get("origin"))) return callback(null, ALSO_OPEN);',
        '}',
        'app.use(cors(ALSO_OPEN));',
        // Whether there is an origin is no check of which one it is.
        'const PRESENT = { origin: true, credentials: true };',
        'const byPresence = (req, cb) => cb(null, req.header("Origin") ? PRESENT : {});',
        'function another(req, callback) {',
        '  if (!req.headers.origin) return callback(null, {});',
        '  if (req.headers.origin !== undefined) callback(null, PRESENT);',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/cors.js', 1, 'HIGH'],
      ['src/cors.js', 6, 'HIGH'],
      ['src/cors.js', 11, 'HIGH'],
    ]);
  });

  it('flags Flask-CORS, Starlette and django-cors-headers wildcards with credentials (Python)', () => {
    const findings = detect(permissiveCors, {
      'app/__init__.py': [
        'from flask_cors import CORS',
        'CORS(app, supports_credentials=True)',
        'CORS(api, resources={r"/api/*": {"origins": "*"}}, supports_credentials=True)',
        'CORS(admin, origins=["https://admin.example.com"], supports_credentials=True)',
      ].join('\n'),
      'app/main.py': [
        'from fastapi.middleware.cors import CORSMiddleware',
        'app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True, allow_methods=["*"])',
        'other.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["*"])',
      ].join('\n'),
      'project/settings.py': ['CORS_ALLOW_ALL_ORIGINS = True', 'CORS_ALLOW_CREDENTIALS = True'].join('\n'),
      'project/settings_public.py': ['CORS_ALLOW_ALL_ORIGINS = True', 'CORS_ALLOW_CREDENTIALS = False'].join(
        '\n',
      ),
    });
    assert.deepEqual(summary(findings), [
      ['app/__init__.py', 2, 'HIGH'],
      ['app/__init__.py', 3, 'HIGH'],
      ['app/main.py', 2, 'HIGH'],
      ['project/settings.py', 1, 'HIGH'],
    ]);
  });
});
