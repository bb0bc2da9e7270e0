import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jwtVerification } from '../../src/detectors/security/jwt-verification.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

const middleware = [
  "const jwt = require('jsonwebtoken');",
  'function auth(req, res, next) {',
  "  const token = req.headers.authorization?.replace('Bearer ', '');",
  '  req.user = jwt.verify(token, process.env.JWT_PUBLIC_KEY);',
  '  next();',
  '}',
  'function optionalUser(req, res, next) {',
  '  const claims = jwt.decode(req.cookies.session);',
  '  if (claims) req.user = claims;',
  '  next();',
  '}',
  'function legacy(token) {',
  "  return jwt.verify(token, KEY, { algorithms: ['HS256', 'none'] });",
  '}',
].join('\n');

describe('security/jwt-verification', () => {
  it('flags verify without algorithms (MED before v9), decode used for auth, and `none`', () => {
    const findings = detect(jwtVerification, {
      'package.json': '{ "dependencies": { "jsonwebtoken": "^8.5.1" } }',
      'src/auth.js': middleware,
    });
    assert.deepEqual(summary(findings), [
      ['src/auth.js', 4, 'MED'],
      ['src/auth.js', 8, 'HIGH'],
      ['src/auth.js', 13, 'HIGH'],
    ]);
  });

  it('rates decode HIGH where the unverified claims say who logs in (Strapi Cognito login, CVE-2023-22893)', () => {
    const findings = detect(jwtVerification, {
      'services/Providers.js': [
        "const jwt = require('jsonwebtoken');",
        'const getProfile = async (provider, query, callback) => {',
        '  if (provider === "github") {',
        "    return request.get('https://api.github.com/user', { auth: { bearer: query.access_token } }, callback);",
        '  }',
        '  const idToken = query.id_token;',
        '  const tokenPayload = jwt.decode(idToken);',
        "  callback(null, { username: tokenPayload['cognito:username'], email: tokenPayload.email });",
        '};',
        // Only when the token expires: still unverified, but no identity comes from it.
        'function expiresSoon(req) {',
        '  const payload = jwt.decode(req.headers.authorization);',
        '  return payload.exp < Date.now() / 1000 + 60;',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['services/Providers.js', 7, 'HIGH'],
      ['services/Providers.js', 11, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /logs in as anyone/);
  });

  it('gives LOW to verify without algorithms with a key named as a shared secret, not a public key (Ghost)', () => {
    const findings = detect(jwtVerification, {
      'package.json': '{ "dependencies": { "jsonwebtoken": "8.5.1" } }',
      'src/tinybird.js': [
        "const jwt = require('jsonwebtoken');",
        'class Tinybird {',
        '  expired(token) { return jwt.verify(token, this.config.adminToken).exp < now(); }',
        '  user(req) { return jwt.verify(req.cookies.t, process.env.JWT_SECRET); }',
        '  rsa(req) { return jwt.verify(req.cookies.t, process.env.JWT_PUBLIC_KEY_SECRET); }',
        '  either(req) { return jwt.verify(req.cookies.t, keys.secret); }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/tinybird.js', 3, 'LOW'],
      ['src/tinybird.js', 4, 'LOW'],
      ['src/tinybird.js', 5, 'MED'],
      ['src/tinybird.js', 6, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /shared secret .*alg: none/);
  });
  it('gives LOW to verify without algorithms when the project uses jsonwebtoken 9', () => {
    const findings = detect(jwtVerification, {
      'package.json': '{ "dependencies": { "jsonwebtoken": "^9.0.2" } }',
      'src/auth.js': middleware,
    });
    assert.deepEqual(summary(findings)[0], ['src/auth.js', 4, 'LOW']);
  });

  it('leaves pinned algorithms, decode before verify, client-side decode, a token it just issued and other libraries alone', () => {
    const findings = detect(jwtVerification, {
      'src/ok.ts': [
        "import jwt from 'jsonwebtoken';",
        "const OPTIONS = { algorithms: ['RS256'] as jwt.Algorithm[], issuer: 'auth.example' };",
        'export function auth(req: Request) {',
        "  return jwt.verify(req.headers.authorization ?? '', PUBLIC_KEY, { algorithms: ['RS256'] });",
        '}',
        'export function byKid(req: Request) {',
        '  const { header } = jwt.decode(req.cookies.t, { complete: true })!;',
        "  return jwt.verify(req.cookies.t, keys[header.kid], { algorithms: ['RS256'] });",
        '}',
        'export function expiresSoon(token: string) {',
        '  const { exp } = jwt.decode(token) as { exp: number };',
        '  return exp * 1000 - Date.now() < 60_000;',
        '}',
      ].join('\n'),
      // Feathers: the service decodes the access token it has just signed, to return its payload.
      'src/service.ts': [
        "import jsonwebtoken from 'jsonwebtoken';",
        'export class AuthenticationService {',
        '  async create(data, params) {',
        '    const authResult = await this.authenticate(data, params);',
        '    const accessToken = await this.createAccessToken(payload, options, params.secret);',
        '    return { accessToken, authentication: { payload: jsonwebtoken.decode(accessToken) } };',
        '  }',
        '  async refresh(req) {',
        '    const incoming = req.headers.authorization;',
        '    return { authentication: { payload: jsonwebtoken.decode(incoming) } };',
        '  }',
        '}',
      ].join('\n'),
      'src/crypto.ts': [
        "import { verify } from 'node:crypto';",
        'export const ok = (data: Buffer, key: string, sig: Buffer) => verify(null, data, key, sig);',
        'export const parsed = decoder.decode(bytes);',
      ].join('\n'),
    });
    // The token that came in with the request is still decoded without a check.
    assert.deepEqual(summary(findings), [['src/service.ts', 10, 'MED']]);
  });

  it('flags PyJWT decode without algorithms or with verification off in auth code (Python)', () => {
    const findings = detect(jwtVerification, {
      'app/auth.py': [
        'import jwt',
        'from flask import request',
        'def current_user():',
        "    token = request.headers['Authorization'].split()[1]",
        '    return jwt.decode(token, SECRET)',
        'def user_id():',
        "    claims = jwt.decode(request.cookies['t'], options={'verify_signature': False})",
        "    return claims['sub']",
        'def ok():',
        "    return jwt.decode(request.cookies['t'], SECRET, algorithms=['HS256'])",
        'def peek(token):',
        "    return jwt.decode(token, options={'verify_signature': False})['iss']",
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['app/auth.py', 5, 'MED'],
      ['app/auth.py', 7, 'MED'],
      ['app/auth.py', 12, 'LOW'],
    ]);
  });
});
