import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  redactedLines,
  redactLine,
  redactSource,
  redactText,
  type SecretHit,
} from '../../src/core/redact.ts';

const AWS = 'AKIAIOSFODNN7EXAMPLE';
const GITHUB = `ghp_${'a1B2c3D4e5'.repeat(4)}`;

describe('redaction', () => {
  it('replaces credential values with their type and reports where they were', () => {
    const { lines, hits } = redactSource(`const key = "${AWS}";\nconst token = '${GITHUB}';\n`);
    assert.equal(lines[0], 'const key = "[REDACTED:aws-access-key-id]";');
    assert.equal(lines[1], "const token = '[REDACTED:github-token]';");
    assert.deepEqual(
      hits.map((h) => [h.type, h.line]),
      [
        ['aws-access-key-id', 1],
        ['github-token', 2],
      ],
    );
  });

  it('redacts the whole body of a multi-line private key, whatever lines are cited later', () => {
    const pem = [
      '-----BEGIN RSA PRIVATE KEY-----',
      'MIIEpAIBAAKCAQEA7x',
      'Zm9vYmFyYmF6',
      '-----END RSA PRIVATE KEY-----',
    ];
    const { lines } = redactSource(pem.join('\n'));
    assert.ok(!lines.join('\n').includes('MIIEpAIBAAKCAQEA7x'));
    assert.ok(!lines.join('\n').includes('Zm9vYmFyYmF6'));
    assert.equal(lines[1], '[REDACTED:private-key]');
  });

  it('redacts a key written as strings with escaped line breaks, \\n or \\r\\n, on one line or many (Juice Shop)', () => {
    const body = `MIICXAIBAAKBgQDNwqLEe9wgTXCbC7${'+RPdDbBbeqjdbs4kOPOIGzqLpXvJXlxxW8iMz0'}`;
    for (const eol of ['\\n', '\\r\\n']) {
      const hits: SecretHit[] = [];
      const one = redactLine(
        `const privateKey = '-----BEGIN RSA PRIVATE KEY-----${eol}${body}${eol}-----END RSA PRIVATE KEY-----'`,
        1,
        hits,
      );
      assert.ok(!one.includes(body), eol);
      assert.deepEqual(
        hits.map((hit) => hit.type),
        ['private-key'],
      );
      const many = redactSource(
        [
          `const key = '-----BEGIN RSA PRIVATE KEY-----${eol}' +`,
          `  '${body}${eol}' +`,
          `  '${body.slice(4)}${eol}' +`,
          "  '-----END RSA PRIVATE KEY-----';",
          'const after = 1;',
        ].join('\n'),
      );
      assert.ok(!many.lines.join('\n').includes(body.slice(4)), eol);
      assert.deepEqual(many.lines.slice(1, 3), ['[REDACTED:private-key]', '[REDACTED:private-key]']);
      assert.equal(many.lines[4], 'const after = 1;');
      assert.deepEqual(
        many.hits.map((hit) => [hit.type, hit.line]),
        [['private-key', 1]],
      );
    }
  });

  it('takes a key header with no key after it for a label: no hit, and the lines after it stay (Uptime Kuma form placeholder)', () => {
    const vue = [
      '<textarea id="dkim-private-key" placeholder="-----BEGIN PRIVATE KEY-----"></textarea>',
      '</div>',
      '<input id="smtp-password" v-model="password">',
    ].join('\n');
    const { lines, hits } = redactSource(vue);
    assert.deepEqual(hits, []);
    // The lines after it are not a key's body: they stay as they are.
    assert.equal(lines[1], '</div>');
    assert.equal(lines[2], '<input id="smtp-password" v-model="password">');
    const quoted = ['const key = [', '  "-----BEGIN RSA PRIVATE KEY-----",', '  "MIIEpAIBAAKCAQEA7x",', '];'];
    assert.ok(!redactSource(quoted.join('\n')).lines.join('\n').includes('MIIEpAIBAAKCAQEA7x'));
  });

  it('takes code that builds or finds PEM markers for no key (MeshCentral authenticode.js)', () => {
    const code = [
      "if (k >= 0) { keys.push(pki.privateKeyFromPem('-----BEGIN RSA PRIVATE KEY-----' + PemKeys[j].substring(0, k) + '-----END RSA PRIVATE KEY-----')); }",
      "var i = key.indexOf('-----BEGIN ENCRYPTED PRIVATE KEY-----');",
    ].join('\n');
    const { lines, hits } = redactSource(code);
    assert.deepEqual(hits, []);
    assert.deepEqual(lines, code.split('\n'));
    // A header searched for on one line and its END marker on the next (certoperations.js).
    const search = [
      "var i = key.indexOf('-----BEGIN ENCRYPTED PRIVATE KEY-----');",
      "var j = key.indexOf('-----END ENCRYPTED PRIVATE KEY-----');",
    ].join('\n');
    assert.deepEqual(redactSource(search).hits, []);
    // A minified page that checks an uploaded key's markers, beside a long data URI.
    const page = `t=r.indexOf("-----BEGIN RSA PRIVATE KEY-----")>=0;i.src="data:image/png;base64,${'iVBORw0KGgo'.repeat(8)}";`;
    assert.deepEqual(redactSource(page).hits, []);
    // Key material on the line, in an escaped body or in the next string, is still a key.
    const split =
      "const k = '-----BEGIN PRIVATE KEY-----\\n' + 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7';";
    const found: SecretHit[] = [];
    assert.ok(!redactLine(split, 1, found).includes('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'));
    assert.equal(found[0]?.type, 'private-key');
  });

  it('redacts a one-line private key written with escapes', () => {
    const text =
      'const k = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0B\\n-----END PRIVATE KEY-----";';
    assert.ok(!redactText(text).includes('MIIEvQIBADANBgkqhkiG9w0B'));
  });

  it('takes an object identifier for no password (PKCS #9 challengePassword, MeshCentral commander.htm)', () => {
    const line = 'a["1.2.840.113549.1.9.7"]="challengePassword";a.challengePassword="1.2.840.113549.1.9.7";';
    const hits: SecretHit[] = [];
    assert.equal(redactLine(line, 1, hits), line);
    assert.deepEqual(hits, []);
    assert.equal(redactLine('password = "20240101"'), 'password = "[REDACTED:hardcoded-password]"');
  });

  it('redacts passwords in connection strings and assignments, not placeholders or env lookups', () => {
    assert.equal(
      redactLine('url = "postgres://app:s3cretPass@db:5432/app"'),
      'url = "postgres://app:[REDACTED:connection-string-password]@db:5432/app"',
    );
    assert.equal(redactLine('password = "hunter2hunter2"'), 'password = "[REDACTED:hardcoded-password]"');
    // A literal key handed to a signing call: the key is redacted, the algorithm stays.
    assert.equal(
      redactLine("const sig = crypto.createHmac('sha256', 'pa4qacea4VK9t9nG').update(data)"),
      "const sig = crypto.createHmac('sha256', '[REDACTED:hardcoded-key]').update(data)",
    );
    // A session key written as a phrase, and a cookie-signing key: redacted wherever they stand.
    assert.equal(redactLine("  secret: 'keyboard cat',"), "  secret: '[REDACTED:session-secret]',");
    assert.equal(
      redactLine("app.use(cookieParser('s3cr3t-cookies'))"),
      "app.use(cookieParser('[REDACTED:session-secret]'))",
    );
    assert.equal(redactLine('  secret: process.env.SECRET,'), '  secret: process.env.SECRET,');
    // A colon in a value does not make it a name: only `urn:` and an address without credentials.
    assert.equal(redactLine('secret = "urn-like:s3cr3tValue"'), 'secret = "[REDACTED:hardcoded-password]"');
    assert.equal(
      redactLine('api_key = "https://hunter2hunter2@hooks.example.com"'),
      'api_key = "[REDACTED:hardcoded-password]"',
    );
    // The name around the keyword does not change what is redacted.
    assert.equal(
      redactLine('const dbUserPassword2 = "hunter2hunter2";'),
      'const dbUserPassword2 = "[REDACTED:hardcoded-password]";',
    );
    assert.equal(
      redactLine('client = Redis.from_url("rediss://default:Zq8xw1@cache.internal:6380")'),
      'client = Redis.from_url("rediss://default:[REDACTED:connection-string-password]@cache.internal:6380")',
    );
    for (const safe of [
      'password = process.env.DB_PASSWORD',
      'password: "changeme"',
      'apiKey: "${API_KEY}"',
      'const secret = "<your-secret-here>"',
      // pip's --proxy help text
      'help="Specify a proxy in the form scheme://[user:passwd@]proxy.server:port."',
      'DATABASE_URL = "mysql://root:pwd@localhost/app"',
      // Apostrophe's login form: a translation key for the placeholder text.
      "password: 'apostrophe:enterPassword'",
      // django-allauth: a URL template filled in with the server's base.
      'access_token_url = "{0}/protocol/openid-connect/token".format(server_base_url)',
      "auth_token = '%s/api/token' % base",
      // pysaml2: URNs that name an authentication class, and an endpoint's address.
      "PASSWORD = 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password'",
      'AUTHN_PASSWORD = "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"',
      'access_token_url = "https://github.com/login/oauth/access_token"',
    ]) {
      assert.equal(redactLine(safe), safe);
    }
  });

  it('redacts secrets in .env style lines', () => {
    assert.equal(redactLine('STRIPE_SECRET_KEY=abcdef123456'), 'STRIPE_SECRET_KEY=[REDACTED:env-secret]');
  });

  it('leaves shell values read from a variable or a command alone (Ghost configure-ghost.sh)', () => {
    for (const safe of [
      `WORKSPACE_TOKEN=$(docker compose exec tinybird-local tb info | jq -r '.local.token')`,
      'export TINYBIRD_ADMIN_TOKEN="$ADMIN_TOKEN"',
      'API_TOKEN=`cat /run/secrets/api_token`',
    ]) {
      assert.equal(redactLine(safe), safe);
    }
    // A literal after a `$` that is no variable name is still a value.
    assert.equal(redactLine('DB_PASSWORD=$2b$12$abcdefghij'), 'DB_PASSWORD=[REDACTED:env-secret]');
    assert.equal(redactLine("DB_PASSWORD='$ecretPa55'"), "DB_PASSWORD='[REDACTED:hardcoded-password]'");
  });
});

describe('redaction of whole files', () => {
  it('gives the same lines and hits as redacting line by line, in files with and without credentials', () => {
    const clean = 'const a = 1;\r\nfunction f() {\n  return "no secret here";\n}\n';
    const mixed = `${clean}const key = "${AWS}";\r\nexport TOKEN=abcdef123456\nok();\n`;
    for (const text of [clean, mixed, '', '\n\n']) {
      const hits: { type: string; line: number; confidence: 'HIGH' | 'MED' }[] = [];
      const expected = text.split(/\r?\n/).map((line, index) => redactLine(line, index + 1, hits));
      const result = redactSource(text);
      assert.deepEqual(result.lines, expected);
      assert.deepEqual(result.hits, hits);
    }
  });

  it('gives, line by line as excerpts read them, the lines of redacting the whole file', () => {
    const clean = 'const a = 1;\r\nfunction f() {\n  return "no secret here";\n}\n';
    const mixed = `${clean}const key = "${AWS}";\r\nexport TOKEN=abcdef123456\nok("${GITHUB}");\n`;
    const pem =
      'const k = `\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7x\nZm9vYmFyYmF6\n-----END RSA PRIVATE KEY-----\n`;\n';
    for (const text of [clean, mixed, pem, '', '\n\n', 'a\r', 'a\r\r\nb\r\n', '\r\n\r\nx']) {
      const whole = redactSource(text).lines;
      const view = redactedLines(text);
      assert.equal(view.length, whole.length);
      // In an excerpt's order: a range in the middle first, then single lines, then everything.
      assert.deepEqual(view.slice(2, 5), whole.slice(2, 5));
      for (let i = -1; i <= whole.length; i += 1) assert.equal(view.at(i), whole.at(i), `line index ${i}`);
      assert.deepEqual(view.slice(), whole);
      assert.deepEqual(view.slice(-2), whole.slice(-2));
    }
    const cited = redactedLines(`ok();\nconst key = "${AWS}";\n`).slice(1, 2);
    assert.deepEqual(cited, ['const key = "[REDACTED:aws-access-key-id]";']);
    assert.ok(!redactedLines(pem).slice().join('\n').includes('MIIEpAIBAAKCAQEA7x'));
  });
});
