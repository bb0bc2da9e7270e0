import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tlsVerificationDisabled } from '../../src/detectors/security/tls-verification-disabled.ts';
import { detect, linesAndConfidence } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) => linesAndConfidence(findings);

describe('security/tls-verification-disabled', () => {
  it('flags rejectUnauthorized: false and NODE_TLS_REJECT_UNAUTHORIZED = 0', () => {
    const findings = detect(tlsVerificationDisabled, {
      'src/client.ts': [
        "import https from 'node:https';",
        "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
        'export const agent = new https.Agent({',
        '  keepAlive: true,',
        '  rejectUnauthorized: false,',
        '});',
        'process.env[\'NODE_TLS_REJECT_UNAUTHORIZED\'] = "0";',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [2, 'HIGH'],
      [5, 'HIGH'],
      [7, 'HIGH'],
    ]);
    assert.equal(findings[1]?.doneCheck, "! grep -qF -- 'rejectUnauthorized: false,' 'src/client.ts'");
  });

  it('rates a server that makes client certificates optional LOW, and still flags its clients (MeshCentral)', () => {
    const findings = detect(tlsVerificationDisabled, {
      'mpsserver.js': [
        "const tls = require('tls');",
        'const server = tls.createServer({ key, cert, requestCert: true, rejectUnauthorized: false }, onConnection);',
        'const relay = https.createServer({ key, cert, rejectUnauthorized: false }, app);',
        'const options = { key, cert, requestCert: true, rejectUnauthorized: false };',
        'const peer = tls.connect(port, { rejectUnauthorized: false, servername: name });',
        'const ws = new WebSocket(url, { rejectUnauthorized: false, checkServerIdentity: onVerifyServer });',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [2, 'LOW'],
      [3, 'LOW'],
      [4, 'LOW'],
      [5, 'HIGH'],
      [6, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /makes client certificates optional/);
    // Node skips checkServerIdentity when the chain fails: it pins nothing here.
    assert.match(findings[4]?.message ?? '', /Node calls it only for a certificate whose chain verified/);
    assert.doesNotMatch(findings[3]?.message ?? '', /checkServerIdentity/);
    assert.equal(findings[0]?.impact, 'MED');
  });

  it('leaves verification on, custom CAs and unrelated flags alone', () => {
    const findings = detect(tlsVerificationDisabled, {
      'src/ok.js': [
        'const agent = new https.Agent({ rejectUnauthorized: true, ca: fs.readFileSync(caPath) });',
        'const opts = { rejectUnauthorized: process.env.NODE_ENV === "production" };',
        "process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';",
        'const form = { verify: false };',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });

  it('flags verify=False in requests/httpx code and not elsewhere (Python)', () => {
    const findings = detect(tlsVerificationDisabled, {
      'app/fetch.py': [
        'import requests',
        'import ssl',
        'def get(url):',
        '    return requests.get(url, timeout=5, verify=False)',
        'ctx = ssl._create_unverified_context()',
        'def ok(url):',
        '    return requests.get(url, verify="/etc/ssl/internal-ca.pem")',
        'def login(url, user, password):',
        '    return requests.post(url, auth=(user, password), verify=False)',
      ].join('\n'),
      'app/forms.py': 'def build():\n    return Form(verify=False)\n',
      // Mistral's Keycloak auth reads a token's claims: a JWT matter, no TLS connection.
      'auth/keycloak.py':
        'import jwt\nimport requests\ndef claims(token):\n    return jwt.decode(token, algorithms=["RS256"], verify=False)\n',
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence, f.impact]),
      [
        // A bare fetch (HTTPie's update check) sends nothing: only the answer is at stake.
        ['app/fetch.py', 4, 'HIGH', 'MED'],
        ['app/fetch.py', 5, 'HIGH', 'HIGH'],
        ['app/fetch.py', 9, 'HIGH', 'HIGH'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /sends no credentials or data/);
    assert.match(findings[2]?.message ?? '', /credentials included/);
  });

  it('rates the branch of an explicit no-verify mode LOW, and still flags one outside it (pg)', () => {
    const findings = detect(tlsVerificationDisabled, {
      'lib/connection-parameters.js': [
        'const readSSLConfigFromEnvironment = function () {',
        '  switch (process.env.PGSSLMODE) {',
        "    case 'disable':",
        '      return false',
        "    case 'no-verify':",
        '      return { rejectUnauthorized: false }',
        '  }',
        '  return defaults.ssl',
        '}',
        'class ConnectionParameters {',
        '  constructor(config) {',
        "    if (this.ssl === 'no-verify') {",
        '      this.ssl = { rejectUnauthorized: false }',
        '    }',
        "    if (this.ssl === 'require') {",
        '      this.ssl = { rejectUnauthorized: false }',
        '    }',
        '  }',
        '}',
        // Redis Commander's --cluster-no-tls-validation, off unless the user turns it on.
        'function clusterOptions(clientConfig) {',
        '  if (clientConfig.clusterNoTlsValidation && clientConfig.tls) {',
        '    clientConfig.tls.rejectUnauthorized = false',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [6, 'LOW'],
      [13, 'LOW'],
      [16, 'HIGH'],
      [22, 'LOW'],
    ]);
    assert.match(findings[0]?.message ?? '', /'no-verify'.*never the default/);
  });

  it('rates the branch of a disable-validation option LOW (pysaml2 MetaDataExtern)', () => {
    const findings = detect(tlsVerificationDisabled, {
      'saml2/mdstore.py': [
        'import requests',
        'class MetaDataExtern:',
        '    def __init__(self, url, ca_certs=None, disable_ssl_certificate_validation=False):',
        '        if disable_ssl_certificate_validation:',
        '            self.http = HTTPBase(verify=False, ca_bundle=ca_certs)',
        '        else:',
        '            self.http = HTTPBase(verify=True, ca_bundle=ca_certs)',
        '    def load(self):',
        '        if self.url.startswith("https://internal"):',
        '            return requests.get(self.url, verify=False)',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [5, 'LOW'],
      [10, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /disable_ssl_certificate_validation.*never the default/);
  });

  it('rates the branch a verify setting turns off LOW, not the one it keeps on or an unrelated choice (calibre)', () => {
    const findings = detect(tlsVerificationDisabled, {
      'calibre/utils/browser.py': [
        'import ssl',
        'def context(kwargs, debug):',
        "    sc = ssl.create_default_context() if kwargs.pop('verify_ssl', True) else ssl._create_unverified_context()",
        '    if not verify:',
        '        sc = ssl._create_unverified_context()',
        '    if verify:',
        '        sc = ssl._create_unverified_context()',
        '    return ssl._create_unverified_context() if debug else sc',
      ].join('\n'),
      'src/agent.ts': [
        'export const agent = (opts: Options) =>',
        '  new https.Agent(opts.verifyTls ? { ca } : { rejectUnauthorized: false });',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [3, 'LOW'],
      [5, 'LOW'],
      [7, 'HIGH'],
      [8, 'HIGH'],
      [2, 'LOW'],
    ]);
    assert.match(findings[0]?.message ?? '', /verify_ssl.*defaults to verifying/);
  });
});
