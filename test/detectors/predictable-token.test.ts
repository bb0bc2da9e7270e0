import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { predictableToken } from '../../src/detectors/security/predictable-token.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine]);

describe('security/predictable-token', () => {
  it('flags tokens checked against or set to a hash of public values (DVNA password reset)', () => {
    const findings = detect(predictableToken, {
      'core/authHandler.js': [
        "var md5 = require('md5')",
        'module.exports.resetPw = function (req, res) {',
        '  if (req.query.login) {',
        '    if (req.query.token == md5(req.query.login)) {',
        "      res.render('app/resetpw')",
        '    }',
        '  }',
        '}',
      ].join('\n'),
      'src/users.ts': [
        "import { createHash } from 'node:crypto';",
        'export function startReset(user: { email: string; resetToken?: string }) {',
        "  user.resetToken = createHash('sha256').update(user.email).digest('hex');",
        '}',
      ].join('\n'),
      'app/data/session-dao.js': [
        "var crypto = require('crypto');",
        'this.startSession = function (username, callback) {',
        '  var current_date = (new Date()).valueOf().toString();',
        '  var random = Math.random().toString();',
        "  var session_id = crypto.createHash('sha1').update(current_date + random).digest('hex');",
        '};',
      ].join('\n'),
      'accounts/views.py': [
        'import hashlib',
        'def verify(request, user):',
        "    if request.GET['token'] == hashlib.sha1(user.username.encode()).hexdigest():",
        '        user.is_active = True',
        'def invite(user):',
        '    invite_code = hashlib.md5(str(user.id).encode()).hexdigest()',
        '    return invite_code',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['core/authHandler.js', 4],
      ['src/users.ts', 3],
      ['app/data/session-dao.js', 5],
      ['accounts/views.py', 3],
      ['accounts/views.py', 6],
    ]);
    assert.match(
      findings[0]?.message ?? '',
      /`req\.query\.token` is checked against the MD5 of `req\.query\.login` alone/,
    );
    assert.match(
      findings[2]?.message ?? '',
      /`session_id` is set to the SHA1 of `current_date \+ random`, made with `Math\.random\(\)` and no secret/,
    );
  });

  it('leaves tokens with a secret or randomness, and hashes of public values that are not tokens, alone', () => {
    const findings = detect(predictableToken, {
      'src/avatar.js': [
        "const md5 = require('md5');",
        'const avatar = (user) => `https://www.gravatar.com/avatar/${md5(user.email)}`;',
        'const etag = md5(user.id);',
        'module.exports = { avatar, etag };',
      ].join('\n'),
      'src/reset.ts': [
        "import crypto from 'node:crypto';",
        'export function issue(user) {',
        "  user.resetToken = crypto.createHash('sha256').update(user.email + process.env.RESET_SECRET).digest('hex');",
        "  const token = crypto.createHash('sha256').update(crypto.randomBytes(32)).digest('hex');",
        '  const random = crypto.randomBytes(16);',
        "  const sessionId = crypto.createHash('sha1').update(Date.now() + random).digest('hex');",
        "  const sessionToken = crypto.createHmac('sha256', key).update(user.id).digest('hex');",
        '  return token;',
        '}',
        "export const same = (req, stored) => stored.tokenHash === crypto.createHash('sha256').update(req.query.token).digest('hex');",
      ].join('\n'),
      'app/tokens.py': [
        'import hashlib, secrets',
        'def make(user):',
        '    token = hashlib.sha256((user.email + secrets.token_hex(16)).encode()).hexdigest()',
        '    cache_key = hashlib.md5(user.username.encode()).hexdigest()',
        '    return token, cache_key',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });
});
