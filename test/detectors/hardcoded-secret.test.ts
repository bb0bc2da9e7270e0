import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hardcodedSecret } from '../../src/detectors/security/hardcoded-secret.ts';
import { detect, linesAndConfidence, withCheckTree } from '../helpers/detector.ts';

// Planted credentials are assembled at run time so this file never contains one whole.
const AWS_KEY_ID = `AKIA${'Q3EGRL5ZJ7XN2KTB'}`;
const AWS_SECRET = `${'wJalrXUtnFEMIK7MDENGbPxRfiCY'}${'Zq8vLm2Np4Rt'}`;
const GITHUB_TOKEN = `ghp_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`;
const PEM_BODY = `MIIEowIBAAKCAQEA${'x7Kq2mP9vR4tY8wZ1bN3cF6hJ0'}`;
const DB_PASSWORD = `Tr0ub4dor${'Zx93'}`;
const ENV_SECRET = `sup3r${'S3cretV4lue'}`;
const SECRETS = [AWS_KEY_ID, AWS_SECRET, GITHUB_TOKEN, PEM_BODY, DB_PASSWORD, ENV_SECRET];

function assertNoSecret(value: unknown): void {
  const json = JSON.stringify(value);
  for (const secret of SECRETS)
    assert.equal(json.includes(secret), false, 'a secret value leaked into findings');
}

describe('security/hardcoded-secret', () => {
  it('flags planted credentials by type and line, never printing the value', () => {
    const findings = detect(hardcodedSecret, {
      'config/aws.ts': [
        'export const aws = {',
        `  accessKeyId: '${AWS_KEY_ID}',`,
        `  aws_secret_access_key: '${AWS_SECRET}',`,
        '};',
      ].join('\n'),
      'src/github.js': `const client = new Octokit({ auth: "${GITHUB_TOKEN}" });\n`,
      'src/keys.ts': [
        'export const key = `',
        '-----BEGIN RSA PRIVATE KEY-----',
        PEM_BODY,
        `${PEM_BODY}abc`,
        '-----END RSA PRIVATE KEY-----',
        '`;',
        `export const inline = "-----BEGIN RSA PRIVATE KEY-----\\n${PEM_BODY}\\n-----END RSA PRIVATE KEY-----";`,
      ].join('\n'),
      'src/db.py': `DATABASE_URL = "postgres://app:${DB_PASSWORD}@db.internal:5432/app"\n`,
      '.env': `NODE_ENV=production\nSTRIPE_API_KEY=${ENV_SECRET}\n`,
    });
    const summary = findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);
    assert.deepEqual(summary, [
      ['config/aws.ts', 2, 'HIGH'],
      ['config/aws.ts', 3, 'HIGH'],
      ['src/github.js', 1, 'HIGH'],
      ['src/keys.ts', 2, 'HIGH'],
      ['src/keys.ts', 7, 'HIGH'],
      ['src/db.py', 1, 'MED'],
      ['.env', 2, 'MED'],
    ]);
    assert.equal(findings[0]?.title, 'Hardcoded AWS access key id in config/aws.ts');
    assert.equal(findings[2]?.title, 'Hardcoded GitHub token in src/github.js');
    assert.match(findings[3]?.title ?? '', /private key/);
    assert.equal(findings[3]?.evidence[0]?.endLine, 5, 'the PEM block is cited whole');
    assert.match(findings[5]?.title ?? '', /connection string/);
    assert.match(findings[6]?.message ?? '', /committed environment file \.env/);
    for (const finding of findings) {
      assert.match(finding.doneCheck ?? '', /^! grep -q/);
    }
    assertNoSecret(findings);
  });

  it('flags a literal passed as the key of a signing or encryption call, not a key read from elsewhere (Juice Shop HMAC)', () => {
    const HMAC_KEY = `pa4qacea${'4VK9t9nGv7yZtwmj'}`;
    const JWT_KEY = `s3rv1ce${'-signing-k3y'}`;
    const findings = detect(hardcodedSecret, {
      'lib/insecurity.ts': [
        "import crypto from 'node:crypto';",
        "import jwt from 'jsonwebtoken';",
        `export const hmac = (data: string) => crypto.createHmac('sha256', '${HMAC_KEY}').update(data).digest('hex');`,
        `export const token = (user: User) => jwt.sign({ id: user.id }, '${JWT_KEY}', { expiresIn: '6h' });`,
        'export const verified = (t: string) => jwt.verify(t, process.env.JWT_KEY);',
        "export const signed = (key: string) => crypto.createHmac('sha256', key).update('x').digest('hex');",
        "export const sample = (t: string) => jwt.verify(t, 'changeme');",
      ].join('\n'),
      'app/tokens.py': [
        'import hmac, jwt',
        `SIG = hmac.new(b'${HMAC_KEY}', msg, 'sha256')`,
        `TOKEN = jwt.encode(payload, "${JWT_KEY}", algorithm="HS256")`,
        'CHECKED = jwt.decode(token, settings.SECRET_KEY, algorithms=["HS256"])',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['lib/insecurity.ts', 3, 'MED'],
        ['lib/insecurity.ts', 4, 'MED'],
        ['app/tokens.py', 2, 'MED'],
        ['app/tokens.py', 3, 'MED'],
      ],
    );
    assert.equal(findings[0]?.title, 'Hardcoded signing or encryption key in lib/insecurity.ts');
    for (const finding of findings) assert.match(finding.doneCheck ?? '', /^! grep -qE/);
    const json = JSON.stringify(findings);
    assert.equal(json.includes(HMAC_KEY) || json.includes(JWT_KEY), false, 'a key leaked into findings');
  });

  it('flags a Django SECRET_KEY whose random characters include brackets (PyGoat settings)', () => {
    const KEY = `lr66%-a!$km5ed@n5ug!tya5bv!0(yqwa1tn!${'q%0%3m2nh%oml'}`;
    const findings = detect(hardcodedSecret, {
      'pygoat/settings.py': [
        '# SECURITY WARNING: keep the secret key used in production secret!',
        `SECRET_KEY = "${KEY}"`,
        'CLIENT_SECRET_GENERATOR = "oauth2_provider.generators.ClientSecretGenerator"',
        'SECRET_KEY_FALLBACK = "get_secret(settings)"',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.startLine, f.confidence]),
      [[2, 'MED']],
    );
    assert.equal(JSON.stringify(findings).includes(KEY), false, 'the key leaked into findings');
  });

  it('flags the literal secret of session middleware, phrases included, and no other secret property (DVNA keyboard cat)', () => {
    const PHRASE = `keyboard ${'cat'}`;
    const findings = detect(hardcodedSecret, {
      'server.js': [
        "const session = require('express-session');",
        'app.use(session({',
        `  secret: '${PHRASE}',`,
        '  resave: true,',
        '}));',
        `app.use(cookieParser('${PHRASE} two'));`,
        `app.use(cookieSession({ name: 'sid', secret: process.env.COOKIE_SECRET || '${PHRASE} three' }));`,
        'app.use(session({ secret: process.env.SESSION_SECRET }));',
        'app.use(session(config.session || {',
        "  name: 'express-admin',",
        `  secret: '${PHRASE} four',`,
        '}));',
      ].join('\n'),
      'src/labels.js': [
        "module.exports = { secret: 'Your secret phrase', token: 'Access token' };",
        "export const icons = { 'gist-secret': 'octicon octicon-gist-secret' };",
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['server.js', 3, 'MED'],
        ['server.js', 6, 'MED'],
        ['server.js', 7, 'MED'],
        ['server.js', 11, 'MED'],
      ],
    );
    assert.equal(findings[0]?.title, 'Hardcoded session secret in server.js');
    assert.equal(
      findings[0]?.doneCheck,
      `! grep -qE -e '(secret[[:space:]]*:|cookieParser[(])[[:space:]]*([A-Za-z0-9_.]+[[:space:]]*([|][|]|[?][?])[[:space:]]*)?['\\''"][^'\\''"]{6,}['\\''"]' 'server.js'`,
    );
    assert.equal(JSON.stringify(findings).includes(PHRASE), false, 'the secret leaked into findings');
  });

  it('cites a key written as concatenated strings down to its END line, never printing it (Juice Shop insecurity.ts)', () => {
    const findings = detect(hardcodedSecret, {
      'lib/insecurity.ts': [
        "const privateKey = '-----BEGIN RSA PRIVATE KEY-----\\r\\n' +",
        `  '${PEM_BODY}\\r\\n' +`,
        `  '${PEM_BODY}xyz\\r\\n' +`,
        "  '-----END RSA PRIVATE KEY-----'",
        'export const sign = (data: string) => jwt.sign(data, privateKey);',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.startLine, f.evidence[0]?.endLine, f.confidence]),
      [[1, 4, 'HIGH']],
    );
    assertNoSecret(findings);
  });

  it('rates a credential whose name says it is fake LOW (Signal K FAKE_JWT)', () => {
    const jwt = [
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
      'eyJzdWIiOiIxMjM0NTY3ODkwIiwiYWRtaW4iOnRydWV9',
      'c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMTIzNDU2Nzg5MA',
    ].join('.');
    const findings = detect(hardcodedSecret, {
      'tools/auth-negative.sh': `FAKE_JWT="${jwt}"\nREAL_JWT="${jwt}"\n`,
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [1, 'LOW'],
      [2, 'MED'],
    ]);
  });

  it('rates a value whose name says it is part or label of a secret LOW (Budibase SECRET_ENCODING_PREFIX)', () => {
    const findings = detect(hardcodedSecret, {
      'src/sdk/agents/crud.ts': [
        'const SECRET_MASK = "********"',
        'const SECRET_ENCODING_PREFIX = "bbai_enc::"',
        'const SECRET_ENCODING_KEY = "bbai_enc::9f3kQ2x"',
        "const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';",
        '',
      ].join('\n'),
    });
    // The token type is a URN, a name: no finding at all.
    assert.deepEqual(linesAndConfidence(findings), [
      [2, 'LOW'],
      [3, 'MED'],
    ]);
    assertNoSecret(findings);
  });

  it('rates an API key of digits only LOW, a public account id, but not a password or secret of digits (Keystone Cloudinary)', () => {
    const findings = detect(hardcodedSecret, {
      'fields/explorer/index.html': [
        '<script>',
        '  $.cloudinary.config({"api_key":"333779167276662","cloud_name":"keystone-demo"});',
        '  Keystone.cloudinary = { cloud_name: "keystone-demo", api_key: "333779167276662" };',
        '  var client = { apiKey: "84629175930264", password: "84629175930264" };',
        '  var uploads = { api_key: "a8Fk29dLq0ZpX7" };',
        '</script>',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [2, 'LOW'],
      [3, 'LOW'],
      [4, 'MED'],
      [5, 'MED'],
    ]);
    assertNoSecret(findings);
  });

  it('leaves the OAuth RFC example tokens alone (restify docs)', () => {
    const findings = detect(hardcodedSecret, {
      'lib/plugins/oauth2TokenParser.js': [
        '/**',
        ' * Subsequent handlers will see `req.oauth2`, which looks like:',
        ' * ```js',
        ' * {',
        ' *   oauth2: {',
        "        accessToken: 'mF_9.B5f-4.1JqM&p=q'",
        '    }',
        ' * }',
        ' */',
        "const refresh = { refresh_token: 'tGzv3JOkF0XG5Qx2TlKWIA' };",
        "const real = { access_token: 'q8Vd2xR7LmZ3pK9w' };",
        '',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [[11, 'MED']]);
  });

  it('downgrades credentials in test files, example env files and keys named for tests to LOW', () => {
    const findings = detect(hardcodedSecret, {
      'test/client.test.ts': `const token = "${GITHUB_TOKEN}";\n`,
      '.env.example': `API_TOKEN=${ENV_SECRET}\nDB_PASSWORD=your-password-here\n`,
      'src/dev.ts': `export const local = "postgres://postgres:${DB_PASSWORD}@localhost:5432/app";\n`,
      'src/doc.ts': `/**\n * createClient({ password: "${DB_PASSWORD}" })\n */\n`,
      // knex's docker-compose for its test databases
      'scripts/docker-compose.yml':
        '    command: [\'until psql postgres://testuser:knextest@postgres/knex_test -c "SELECT 1"; do sleep 5; done\']\n',
      // mailman's key for its test SMTP/LMTP servers, and a key that is not named for tests.
      'mailman/testing/ssl_test_key.key': `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\n-----END PRIVATE KEY-----\n`,
      'deploy/server.key': `-----BEGIN PRIVATE KEY-----\n${PEM_BODY}\n-----END PRIVATE KEY-----\n`,
      // Heat's test double for the Keystone client, shipped beside the real one; and a module that
      // only mentions fakes in its name's middle.
      'heat/clients/fake_keystoneclient.py':
        "def __init__(self, password='password', auth_token='abcd1234'):\n",
      'heat/clients/unfaked_client.py': "def __init__(self, password='password', auth_token='abcd1234'):\n",
      // MeshCentral's annotated sample configuration, and a configuration that is not one.
      'sample-config-advanced.json': '{\n  "smtp": {\n    "password": "MyP@ssw0rd42"\n  }\n}\n',
      'config/production.json': '{\n  "smtp": {\n    "password": "MyP@ssw0rd42"\n  }\n}\n',
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['test/client.test.ts', 1, 'LOW'],
        ['.env.example', 1, 'LOW'],
        ['src/dev.ts', 1, 'LOW'],
        ['src/doc.ts', 2, 'LOW'],
        ['scripts/docker-compose.yml', 1, 'LOW'],
        ['mailman/testing/ssl_test_key.key', 1, 'LOW'],
        ['deploy/server.key', 1, 'HIGH'],
        ['heat/clients/fake_keystoneclient.py', 1, 'LOW'],
        ['heat/clients/unfaked_client.py', 1, 'MED'],
        ['sample-config-advanced.json', 3, 'LOW'],
        ['config/production.json', 3, 'MED'],
      ],
    );
    assertNoSecret(findings);
  });

  it('reports the credentials of one test file as one finding (ghost-cli MySQL spec), source files line by line', () => {
    const spec = [
      "it('connects', async () => {",
      "  await instance.canConnect(ctx, { user: 'someuser', password: 'somepass', database: 'testing' });",
      "  expect(stub.calledWithExactly({ user: 'someuser', password: 'somepass' })).to.be.true;",
      '});',
    ].join('\n');
    const config = `export const a = { password: "${DB_PASSWORD}" };\nexport const b = { password: "${DB_PASSWORD}" };\n`;
    const findings = detect(hardcodedSecret, { 'test/extension-spec.js': spec, 'src/config.ts': config });
    assert.deepEqual(
      findings.map((f) => [f.evidence.map((e) => `${e.file}:${e.startLine}`).join(' '), f.confidence]),
      [
        ['test/extension-spec.js:2 test/extension-spec.js:3', 'LOW'],
        ['src/config.ts:1', 'MED'],
        ['src/config.ts:2', 'MED'],
      ],
    );
    assert.match(findings[0]?.title ?? '', /^2 hardcoded passwords or secrets in test\/extension-spec\.js$/);
    assert.match(findings[0]?.doneCheck ?? '', /&&/);
    assertNoSecret(findings);
  });

  it('reads a source file that imports a test library as test support: LOW, grouped (Saltcorn auth/testhelp.js)', () => {
    const helper = [
      'const request = require("supertest");',
      'const getAdminJwt = async () => {',
      '  const res = await request(app).post("/auth/login-with/jwt")',
      `    .send({ email: "admin@foo.com", password: "${DB_PASSWORD}" });`,
      '  return res.body;',
      '};',
      'const getStaffJwt = async () => {',
      '  const res = await request(app).post("/auth/login-with/jwt")',
      `    .send({ email: "staff@foo.com", password: "${DB_PASSWORD}x" });`,
      '  return res.body;',
      '};',
    ].join('\n');
    const findings = detect(hardcodedSecret, {
      'auth/testhelp.js': helper,
      // The same login in a module that imports no test library stays a finding to act on.
      'auth/bootstrap.js': helper.replace('require("supertest")', 'require("node-fetch")'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence.map((e) => `${e.file}:${e.startLine}`).join(' '), f.confidence]),
      [
        ['auth/testhelp.js:4 auth/testhelp.js:9', 'LOW'],
        ['auth/bootstrap.js:4', 'MED'],
        ['auth/bootstrap.js:9', 'MED'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /test support \(it imports `supertest`\)/);
    assertNoSecret(findings);
  });

  it('keeps a live key, and a module that loads a test library only in a branch, as the code they are', () => {
    const findings = detect(hardcodedSecret, {
      // A GitHub client that replays recorded responses with nock: its token is still GitHub's.
      'src/github.js': [
        'const nock = require("nock");',
        'const { Octokit } = require("@octokit/rest");',
        'if (process.env.REPLAY) nock.back.setMode("lockdown");',
        `const client = new Octokit({ auth: "${GITHUB_TOKEN}" });`,
        `const db = { user: "app", password: "${DB_PASSWORD}" };`,
      ].join('\n'),
      // A server that loads nock only for an offline demo mode is the server.
      'src/server.js': [
        'const express = require("express");',
        'if (process.env.DEMO) {',
        '  require("nock")("https://api.example.org").get("/").reply(200);',
        '}',
        `const db = { user: "app", password: "${DB_PASSWORD}" };`,
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [
        f.evidence.map((e) => `${e.file}:${e.startLine}`).join(' '),
        f.confidence,
        f.impact,
      ]),
      [
        ['src/github.js:4', 'HIGH', 'HIGH'],
        ['src/github.js:5', 'LOW', 'LOW'],
        ['src/server.js:5', 'MED', 'HIGH'],
      ],
    );
    assertNoSecret(findings);
  });

  it('rates example request bodies in API documentation LOW (Strapi plugin documentation overrides)', () => {
    const findings = detect(hardcodedSecret, {
      'documentation/1.0.0/overrides/users-permissions-User.json':
        '{\n  "example": {\n    "identifier": "hi@strapi.io",\n    "password": "superSecure123"\n  }\n}\n',
      'src/config.json': '{\n  "password": "superSecure123"\n}\n',
      'src/queue.js': 'const url = "amqp://worker:s3cr3tPass9@queue.internal/jobs";\n',
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.confidence]),
      [
        ['documentation/1.0.0/overrides/users-permissions-User.json', 'LOW'],
        ['src/config.json', 'MED'],
        ['src/queue.js', 'MED'],
      ],
    );
  });

  it('leaves env lookups, placeholders, documented example keys and README prose alone', () => {
    const findings = detect(hardcodedSecret, {
      'src/config.ts': [
        'const token = process.env.GITHUB_TOKEN;',
        'const password = process.env.DB_PASSWORD ?? "";',
        'const apiKey = "${API_KEY}";',
        'const secret = "<your-key>";',
        'const dbPassword = "changeme";',
        'const passwordField = "input[name=password]";',
        'const url = `postgres://${user}:${pass}@localhost/db`;',
        'const awsExample = "AKIAIOSFODNN7EXAMPLE";',
        "const docs = new URL('https://abc:xyz12345@example.com');",
      ].join('\n'),
      'src/settings.py': 'API_KEY = os.environ["API_KEY"]\nGITHUB_TOKEN = get_token()\n',
      // Flask-Security's proxies: annotations that name their type in quotes.
      'flask_security/proxies.py':
        '_pwd_context: "CryptContext" = LocalProxy(lambda: _security.pwd_context)\n' +
        "_hashing_context: 'Optional[CryptContext]'\n",
      // Cinder's Infortrend CLI: the command's password argument as a %-format template.
      'cinder/volume/drivers/infortrend/common_cli.py':
        "raid_password = 'password=%s' % self.password\nauth = 'secret=%(key)s' % {'key': self.key}\n",
      'README.md':
        'Set `GITHUB_TOKEN` in your environment (see `.env.example`). The API key is read from `API_KEY`.\n',
      '.env.sample': 'API_KEY=changeme\nSECRET_TOKEN=<token>\n',
      // NodeBB's translations: the word for "password" in each language.
      'public/language/ja/reset_password.json':
        '{\n  "reset_password": "パスワードをリセット",\n  "new_password": "新しいパスワード"\n}\n',
      'public/language/th/user.json': '{\n  "change_password": "เปลี่ยนรหัสผ่าน"\n}\n',
      'src/locales/de.json': '{ "password_hint": "Passwort-Hinweis12" }\n',
      // pm2's translations, one folder per language.
      'locales/de/messages.json': '{ "password": "Passwort12" }\n',
      'src/i18n.ts': "const labels = { passwordLabel: 'Contraseña_nueva' };\n",
      // Zaqar's option help: the URI's format, its optional parts in brackets.
      'zaqar/conf/redis.py':
        "uri = cfg.StrOpt('uri', help='use the form \"redis://[:password]@host[:port][?options]\"')\n",
      // Django OAuth Toolkit's settings name classes by import path.
      'oauth2_provider/settings.py':
        'DEFAULTS = {\n    "CLIENT_SECRET_GENERATOR_CLASS": "oauth2_provider.generators.ClientSecretGenerator",\n}\n',
      // Uptime Kuma's SMTP form: the key's format as a placeholder.
      'src/components/notifications/SMTP.vue':
        '<textarea id="dkim-private-key" placeholder="-----BEGIN PRIVATE KEY-----"></textarea>\n</div>\n',
      // Uptime Kuma's Apprise form: the URL's parts named as placeholders.
      'src/components/notifications/Apprise.vue':
        '<p>{{ $t("Example:", ["twilio://AccountSid:AuthToken@FromPhoneNo"]) }}</p>\n',
      // Casdoor's init data (LobeChat's docker-compose): when a password was last changed.
      'docker-compose/init_data.json':
        '{\n  "lastChangePasswordTime": "2025-08-11T09:19:46Z",\n  "passwordChangedAt": "2024-01-02"\n}\n',
    });
    assert.deepEqual(findings, []);
  });
  it('ignores namespaced symbol keys and keeps docstring examples as LOW (effect, urllib)', () => {
    const findings = detect(hardcodedSecret, {
      'src/internal/secret.ts': [
        '/** @internal */',
        'const SecretSymbolKey = "effect/Secret"',
        'export const SecretTypeId = Symbol.for(SecretSymbolKey)',
      ].join('\n'),
      'lib/urllib/request.py': [
        '"""An extensible library for opening URLs.',
        '',
        'authinfo = urllib.request.HTTPBasicAuthHandler()',
        "authinfo.add_password(realm='PDQ Application', user='klem', passwd='geheim$parole')",
        '"""',
        "client_secret = 'q8Zr2LkP0aXw'",
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['lib/urllib/request.py', 4, 'LOW'],
        ['lib/urllib/request.py', 6, 'MED'],
      ],
    );
  });

  it('rates a line a secret scanner was told to allow LOW (bandit # nosec in Keystone), not provider keys', () => {
    const findings = detect(hardcodedSecret, {
      'keystone/oauth1/core.py': [
        'class Manager(manager.Manager):',
        '    _ACCESS_TOKEN = "OS-OAUTH1:access_token"  # nosec',
        '    _api_secret = "s3cr3t-Pa55word-x"  # pragma: allowlist secret',
        '    _db_password = "s3cr3t-Pa55word-y"',
        '    AWS_KEY = "AKIAIOSFODNN7REALKEY"  # nosec',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [2, 'LOW'],
      [3, 'LOW'],
      [4, 'MED'],
      [5, 'HIGH'],
    ]);
  });

  it('gives a done check that passes once the reported line is fixed, though a placeholder of the same kind stays (Flask-Security settings)', () => {
    const live = `sk_live_${'Qz8Xv2Lm4Np6Rt9Wk3Yb7Hd'}`;
    const before = [
      'import os',
      'DEBUG = False',
      '# Stripe',
      'STRIPE_PUBLIC = os.environ.get("STRIPE_PUBLIC")',
      `STRIPE_SECRET = "${live}"`,
      'STRIPE_TEST = "sk_live_00000000001234567890abcd"',
      '',
    ].join('\n');
    const findings = detect(hardcodedSecret, { 'svc/settings.py': before });
    assert.deepEqual(linesAndConfidence(findings), [[5, 'HIGH']]);
    const check = findings[0]?.doneCheck ?? '';
    assert.match(check, /-le 1 \]$/);
    assert.ok(!check.includes(live), 'the check never holds the value');
    withCheckTree({ 'svc/settings.py': before }, (tree) => {
      assert.equal(tree.run(check), 1);
      tree.write('svc/settings.py', before.replace(`"${live}"`, 'os.environ["STRIPE_SECRET"]'));
      assert.equal(tree.run(check), 0);
    });
  });
});
