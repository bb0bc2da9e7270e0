import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { weakHash } from '../../src/detectors/security/weak-hash.ts';
import { detect } from '../helpers/detector.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

describe('security/weak-hash', () => {
  it('flags MD5/SHA-1 of passwords (MED) and of tokens (LOW), chained or through update()', () => {
    const findings = detect(weakHash, {
      'src/users.js': [
        "const crypto = require('crypto');",
        'function hashPassword(password) {',
        "  return crypto.createHash('md5').update(password).digest('hex');",
        '}',
        'function storeToken(user, token) {',
        "  const hash = crypto.createHash('sha1');",
        '  hash.update(token);',
        "  user.tokenHash = hash.digest('hex');",
        '}',
      ].join('\n'),
      'app/auth.py': [
        'import hashlib',
        'def check(user, password):',
        '    return user.pw_hash == hashlib.sha1(password.encode()).hexdigest()',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/users.js', 3, 'MED'],
      ['src/users.js', 6, 'LOW'],
      ['app/auth.py', 3, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /MD5 is applied to a password/);
    assert.match(findings[0]?.message ?? '', /fast and unsalted here/);
    // buildbot: a salted SHA-1 is still fast; the message must not call it unsalted.
    const salted = detect(weakHash, {
      'buildbot/process/users/users.py': [
        'import hashlib',
        'def encrypt(passwd, salt):',
        '    return salt + hashlib.sha1((salt + passwd).encode()).hexdigest()',
      ].join('\n'),
    });
    assert.equal(salted[0]?.confidence, 'MED');
    assert.match(salted[0]?.message ?? '', /the salt here stops lookup tables, but a GPU still tries/);
    assert.doesNotMatch(salted[0]?.message ?? '', /unsalted/);
  });

  it('reads what a helper hashes from the helper’s name when it hashes its parameter', () => {
    const findings = detect(weakHash, {
      'src/crypto.ts': [
        "import crypto from 'node:crypto';",
        "export const hashPassword = (p: string) => crypto.createHash('md5').update(p).digest('hex');",
        'export const helpers = {',
        "  digestSecret: function (s) { return crypto.createHash('sha1').update(s).digest('hex'); },",
        '};',
        "export const hashFile = (p: string) => crypto.createHash('md5').update(p).digest('hex');",
        "export function passwordCacheKey(user) { return crypto.createHash('md5').update(user.id).digest('hex'); }",
      ].join('\n'),
      'app/security.py': [
        'import hashlib',
        'def make_password_hash(raw):',
        '    return hashlib.sha1(raw.encode()).hexdigest()',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/crypto.ts', 2, 'MED'],
      ['src/crypto.ts', 4, 'LOW'],
      ['app/security.py', 3, 'MED'],
    ]);
  });

  it('leaves checksums, cache keys, strong hashes, HMAC and usedforsecurity=False alone', () => {
    const findings = detect(weakHash, {
      'src/cache.ts': [
        "import { createHash, createHmac } from 'node:crypto';",
        "export const etag = (body: string) => createHash('md5').update(body).digest('hex');",
        "export const key = (url: string) => createHash('sha1').update(url).digest('base64url');",
        "export const pw = (password: string) => createHash('sha256').update(password).digest('hex');",
        "export const sig = (password: string) => createHmac('sha1', SECRET).update(password).digest('hex');",
      ].join('\n'),
      'app/files.py': [
        'import hashlib',
        'def checksum(data):',
        '    return hashlib.md5(data).hexdigest()',
        'def fingerprint(password):',
        '    return hashlib.md5(password.encode(), usedforsecurity=False).hexdigest()',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });

  it('gives LOW to MD5 of a password in a file that implements an authentication protocol', () => {
    const findings = detect(weakHash, {
      'src/pg-auth.js': [
        "const crypto = require('crypto');",
        '// PostgreSQL md5 authentication: md5(md5(password + user) + salt)',
        'function postgresMd5PasswordHash(user, password, salt) {',
        "  const inner = crypto.createHash('md5').update(password + user).digest('hex');",
        '  return inner;',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [['src/pg-auth.js', 4, 'LOW']]);
  });

  it('gives LOW to a hasher named after the algorithm (Django legacy hashers), MED elsewhere in the file', () => {
    const findings = detect(weakHash, {
      'auth/hashers.py': [
        'import hashlib',
        'class SHA1PasswordHasher(BasePasswordHasher):',
        '    algorithm = "sha1"',
        '    def encode(self, password, salt):',
        '        hash = hashlib.sha1((salt + password).encode()).hexdigest()',
        '        return "%s$%s$%s" % (self.algorithm, salt, hash)',
        'def store(user, password):',
        '    user.digest = hashlib.md5(password.encode()).hexdigest()',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['auth/hashers.py', 5, 'LOW'],
      ['auth/hashers.py', 8, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /SHA1PasswordHasher/);
  });
  it('knows hash packages: md5(password), CryptoJS.SHA1(password)', () => {
    const findings = detect(weakHash, {
      'routes/users.js': [
        "const md5 = require('md5');",
        "import CryptoJS from 'crypto-js';",
        'exports.register = (req) => ({ password: md5(req.body.password) });',
        'exports.check = (user, pass) => user.hash === CryptoJS.SHA1(pass).toString();',
        'exports.cacheKey = (user) => md5(user.email);',
        'const md5sum = (password) => otherHash(password);',
      ].join('\n'),
      'lib/local.js': ['function md5(x) { return x; }', 'module.exports = (password) => md5(password);'].join(
        '\n',
      ),
    });
    assert.deepEqual(summary(findings), [
      ['routes/users.js', 3, 'MED'],
      ['routes/users.js', 4, 'MED'],
    ]);
  });
  it('follows a password into a hashing helper of another module (Juice Shop security.hash)', () => {
    const files = {
      'lib/insecurity.ts': [
        "import crypto from 'node:crypto';",
        "export const hash = (data: string) => crypto.createHash('md5').update(data).digest('hex')",
        "export const hmac = (data: string) => crypto.createHmac('sha256', key).update(data).digest('hex')",
      ].join('\n'),
      'routes/login.ts': [
        "import * as security from '../lib/insecurity'",
        'export function login(req) {',
        "  return User.findOne({ where: { email: req.body.email, password: security.hash(req.body.password || '') } })",
        '}',
        'export const sign = (req) => security.hmac(req.body.password)',
        'export const gravatar = (user) => security.hash(user.email)',
      ].join('\n'),
      'models/user.js': [
        "const { hash } = require('../lib/insecurity.js')",
        'module.exports = { setPassword(user, clearTextPassword) { user.password = hash(clearTextPassword) } }',
      ].join('\n'),
      'src/local.js': [
        "const helpers = require('./helpers')",
        'module.exports = (password) => helpers.hash(password)',
      ].join('\n'),
      'src/helpers.js': "exports.hash = (value) => require('bcrypt').hashSync(value, 12)\n",
    };
    const findings = detect(weakHash, files);
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['routes/login.ts', 3, 'MED'],
        ['models/user.js', 2, 'MED'],
      ],
    );
    assert.match(
      findings[0]?.message ?? '',
      /`security\.hash\(\)` hashes a password \(`req\.body\.password \|\| ''`\) with MD5: the helper is defined at lib\/insecurity\.ts:2/,
    );
    assert.deepEqual(
      findings[0]?.evidence.map((e) => `${e.file}:${e.startLine}`),
      ['routes/login.ts:3', 'lib/insecurity.ts:2'],
    );
    // The done check passes once the helper is rewritten, whatever the call sites look like.
    const temp = tempDir('improve-weak-hash-');
    try {
      writeTree(temp.dir, files);
      const check = findings[0]?.doneCheck ?? 'false';
      const run = () => spawnSync('sh', ['-c', check], { cwd: temp.dir }).status;
      assert.notEqual(run(), 0);
      writeFileSync(
        path.join(temp.dir, 'lib/insecurity.ts'),
        "export const hash = (data: string) => scryptSync(data, salt, 64).toString('hex')\n",
      );
      assert.equal(run(), 0);
    } finally {
      temp.dispose();
    }
  });
});
