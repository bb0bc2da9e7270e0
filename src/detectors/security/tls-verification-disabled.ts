import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { jsAndPython } from '../call-rules.ts';
import {
  branchConditions,
  callArguments,
  FUNCTION_KINDS,
  kindOf,
} from '../correctness/enclosing-function.ts';
import { findingAt } from '../correctness/finding-at.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';

const PY_HTTP_CLIENT = /^\s*(?:import|from)\s+(?:requests|httpx|urllib3|aiohttp)\b/m;

/** The name of a mode whose whole point is to skip verification, chosen by whoever configures it. */
const INSECURE_MODE =
  /no-?verify|insecure|unverified|skip[-_]?verif|allow[-_]?(?:self[-_]?signed|unauthori[sz]ed)|no[-_]?(?:tls|ssl|certs?)[-_]?(?:valid|verif|check)|disabled?[-_]?(?:(?:tls|ssl)[-_]?)?(?:cert(?:ificate)?s?[-_]?)?(?:valid|verif|check)|verify\s*[!=]==?\s*(?:false|['"`](?:false|0)['"`])/i;

/**
 * The `case` label or `if` condition (in the same function) that selects this branch, when it
 * names an explicitly insecure mode: pg's `case 'no-verify': return { rejectUnauthorized: false }`
 * and `if (this.ssl === 'no-verify')`. That is the switch a user turns on, not code that always
 * skips verification.
 */
function insecureModeBranch(node: SgNode): string | undefined {
  return branchConditions(node).find((condition) => INSECURE_MODE.test(condition));
}

/** A setting that says whether to verify: `verify_ssl`, `self.verify`, `check_certs`, `rejectUnauthorized`. */
const VERIFY_SETTING = /verif|check_?certs?|validate_?certs?|reject_?unauthori[sz]ed/i;

/**
 * The condition of a choice between verifying and not, when `node` is in the branch taken while
 * verification is off: calibre's `ssl.create_default_context() if kwargs.pop('verify_ssl', True)
 * else ssl._create_unverified_context()`, `if (opts.verify) … else …`. Verification is then a
 * setting, on unless someone turns it off.
 */
function verifySettingOff(node: SgNode): string | undefined {
  let child = node;
  for (let up = node.parent(); up && !FUNCTION_KINDS.has(kindOf(up)); up = up.parent()) {
    const kind = kindOf(up);
    let condition: SgNode | null | undefined;
    let chosen: 'then' | 'else' | undefined;
    if (kind === 'conditional_expression') {
      // Python: `then if condition else otherwise`.
      const [then, test, otherwise] = up.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
      condition = test;
      chosen = then?.id() === child.id() ? 'then' : otherwise?.id() === child.id() ? 'else' : undefined;
    } else if (kind === 'ternary_expression' || kind === 'if_statement') {
      condition = up.field('condition');
      const otherwise = up.field('alternative');
      chosen =
        up.field('consequence')?.id() === child.id()
          ? 'then'
          : otherwise?.id() === child.id()
            ? 'else'
            : undefined;
    }
    const text =
      condition
        ?.text()
        .replace(/^\((.*)\)$/s, '$1')
        .trim() ?? '';
    if (chosen && VERIFY_SETTING.test(text)) {
      const negated = /^(?:not\s+|!)/.test(text);
      if ((chosen === 'else') !== negated) return text;
    }
    child = up;
  }
  return undefined;
}

function matchTls(node: SgNode, file: FileInput): RawFinding | undefined {
  const finding = verificationOff(node, file);
  const setting = finding ? verifySettingOff(node) : undefined;
  if (finding && setting) {
    finding.confidence = 'LOW';
    finding.message = `${finding.message} (This is the branch taken when \`${setting.replace(/\s+/g, ' ').slice(0, 60)}\` says not to verify: make sure that setting defaults to verifying and is documented as insecure.)`;
    return finding;
  }
  const mode = finding ? insecureModeBranch(node) : undefined;
  if (finding && mode) {
    finding.confidence = 'LOW';
    finding.message = `${finding.message} (This is the branch for \`${mode.replace(/\s+/g, ' ').slice(0, 60)}\`, a mode that asks for no verification: make sure it is documented as insecure and never the default.)`;
  }
  return finding;
}

/** The keys of the object a pair stands in (none outside an object literal). */
function siblingKeys(pair: SgNode): string[] {
  const object = pair.parent();
  if (object?.kind() !== 'object') return [];
  return object
    .children()
    .filter((child) => child.kind() === 'pair')
    .map(
      (child) =>
        child
          .field('key')
          ?.text()
          .replace(/^['"]|['"]$/g, '') ?? '',
    );
}

/** A call that creates a TLS server: `tls.createServer`, `https.createServer`, `http2.createSecureServer`. */
const SERVER_CALL = /(?:^|\.)create(?:Secure)?Server$/;

/**
 * Whether a `rejectUnauthorized: false` pair configures a server: its object asks for client
 * certificates (`requestCert`, a server-only option) or is handed straight to `createServer`. On a
 * server it does not touch how the server is authenticated, only whether a client without a
 * trusted certificate may connect (MeshCentral's MPS and swarm servers).
 */
function serverSide(pair: SgNode): boolean {
  const object = pair.parent();
  if (object?.kind() !== 'object') return false;
  if (siblingKeys(pair).includes('requestCert')) return true;
  const call = object.parent()?.kind() === 'arguments' ? object.parent()?.parent() : undefined;
  return call?.kind() === 'call_expression' && SERVER_CALL.test(call.field('function')?.text() ?? '');
}

/** Keyword arguments that send something along with a request: credentials, headers, a body. */
const SENDS_DATA = /^(?:auth|headers|cookies|data|json|files|params|cert)$/;

function verificationOff(node: SgNode, file: FileInput): RawFinding | undefined {
  const line = { endLine: node.range().start.line + 1 };
  switch (node.kind()) {
    case 'keyword_argument': {
      if (!PY_HTTP_CLIENT.test(file.text)) return undefined;
      // `jwt.decode(token, verify=False)` (Mistral's Keycloak auth) skips a token's signature
      // check, not a TLS handshake: jwt-verification's business, not this one's.
      const callee = node.parent()?.parent()?.field('function')?.text() ?? '';
      if (/(?:^|\.)decode$/.test(callee)) return undefined;
      // HTTPie's update check: `requests.get(PACKAGE_INDEX_LINK, verify=False)` sends nothing but
      // a fixed URL; an impostor can only answer with what it likes.
      const call = node.parent()?.parent();
      const bare =
        call?.kind() === 'call' &&
        !(call.field('arguments')?.children() ?? []).some(
          (arg) => arg.kind() === 'keyword_argument' && SENDS_DATA.test(arg.field('name')?.text() ?? ''),
        ) &&
        callArguments(call).filter((arg) => arg.kind() !== 'keyword_argument').length <= 1;
      return findingAt(file, node, {
        ...line,
        ...(bare ? { impact: 'MED' as const } : {}),
        message: bare
          ? '`verify=False` turns off TLS certificate verification for this HTTP call, so anyone on the network path can impersonate the server and answer with whatever it likes. The call sends no credentials or data, so only what the code does with the answer is at stake.'
          : '`verify=False` turns off TLS certificate verification for this HTTP call, so anyone on the network path can impersonate the server and read or alter the traffic, credentials included.',
      });
    }
    case 'call':
      return findingAt(file, node, {
        ...line,
        message:
          '`ssl._create_unverified_context()` builds a TLS context that accepts any certificate, so anyone on the network path can impersonate the server.',
      });
    case 'pair':
      if (serverSide(node))
        return findingAt(file, node, {
          ...line,
          confidence: 'LOW',
          impact: 'MED',
          message:
            'This TLS server asks clients for a certificate (`requestCert`) but accepts any (`rejectUnauthorized: false`). That is how a server makes client certificates optional and checks them itself; it is an authentication bypass only if the code trusts `getPeerCertificate()` without checking `socket.authorized` or pinning the certificate.',
        });
      return findingAt(file, node, {
        ...line,
        message: siblingKeys(node).includes('checkServerIdentity')
          ? '`rejectUnauthorized: false` makes this TLS connection accept any certificate, and `checkServerIdentity` does not make up for it: Node calls it only for a certificate whose chain verified, so an impostor with a self-signed certificate is never checked and can read or alter the traffic. To pin a certificate, keep verification on with `ca:` set to it, or check `socket.getPeerCertificate()` in the connect handler and close the socket on a mismatch.'
          : '`rejectUnauthorized: false` makes this TLS connection accept any certificate, so anyone on the network path can impersonate the server and read or alter the traffic.',
      });
    default:
      return findingAt(file, node, {
        ...line,
        message: /NODE_TLS_REJECT_UNAUTHORIZED/.test(node.text())
          ? 'Setting `NODE_TLS_REJECT_UNAUTHORIZED` to 0 disables certificate verification for every HTTPS request the process makes, including those of every dependency.'
          : 'Setting `rejectUnauthorized` to false makes TLS connections accept any certificate, so anyone on the network path can impersonate the server.',
      });
  }
}

const JS_RULE: NapiConfig = {
  rule: {
    any: [
      {
        kind: 'pair',
        has: { field: 'key', regex: '^[\'"]?rejectUnauthorized[\'"]?$' },
        all: [{ has: { field: 'value', kind: 'false' } }],
      },
      {
        kind: 'assignment_expression',
        has: { field: 'left', regex: '(NODE_TLS_REJECT_UNAUTHORIZED[\'"]?\\]?|\\.rejectUnauthorized)$' },
        all: [{ has: { field: 'right', regex: '^([\'"`]0[\'"`]|0|false)$' } }],
      },
    ],
  },
};

/** TLS certificate verification switched off. */
export const tlsVerificationDisabled: FileDetector = {
  id: 'security/tls-verification-disabled',
  category: 'security',
  scope: 'file',
  requires: {
    ...jsGate(/rejectUnauthorized|REJECT_UNAUTHORIZED/),
    python: /\bverify\b|_create_unverified_context/,
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'TLS certificate verification disabled',
  description:
    'Certificate verification is turned off, so the connection is encrypted but not authenticated: anyone on the network path (a proxy, a compromised Wi-Fi, a cloud neighbour) can impersonate the server and read or change the traffic, including credentials.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'MED',
  riskReason:
    'Connections to servers with self-signed or internal-CA certificates will fail until the CA is configured explicitly.',
  confidence: 'HIGH',
  fixSketch:
    'Remove the override. If the server uses a private or self-signed CA, trust that CA explicitly (`ca: fs.readFileSync(caPath)` / `NODE_EXTRA_CA_CERTS`, `verify="/path/to/ca.pem"` / `REQUESTS_CA_BUNDLE`) instead of disabling verification.',
  steps: [
    'Open the cited line and find out which server the connection goes to and why verification was disabled (search the git log or comments for "self-signed", "certificate", "SSL").',
    'Delete the override (`rejectUnauthorized: false`, `NODE_TLS_REJECT_UNAUTHORIZED = "0"`, `verify=False`, `ssl._create_unverified_context()`).',
    'If the server uses a private CA, load that CA certificate from a configurable path and pass it explicitly (`ca:` option in Node, `verify=<path>` in requests/httpx); document the setting in the README or config docs.',
    'Run the tests and, where possible, a manual request against the real endpoint to confirm the connection still succeeds with verification on.',
  ],
  python: {
    fixSketch:
      'Remove the override (`verify=False`, `ssl._create_unverified_context()`, `verify_mode = ssl.CERT_NONE`). If the server uses a private or self-signed CA, trust that CA explicitly (`verify="/path/to/ca.pem"` or `REQUESTS_CA_BUNDLE` for requests, `ssl.create_default_context(cafile=...)` for urllib and sockets) instead of disabling verification.',
    steps: [
      'Open the cited line and find out which server the connection goes to and why verification was disabled (search the git log or comments for "self-signed", "certificate", "SSL").',
      'Delete the override (`verify=False`, `ssl._create_unverified_context()`, `check_hostname = False`, `verify_mode = ssl.CERT_NONE`).',
      'If the server uses a private CA, load that CA certificate from a configurable path and pass it explicitly (`verify=<path>` in requests/httpx, `ssl.create_default_context(cafile=<path>)` for urllib and sockets); document the setting in the README or config docs.',
      'Run the tests and, where possible, a manual request against the real endpoint to confirm the connection still succeeds with verification on.',
    ],
  },
  rule: jsAndPython(JS_RULE, {
    rule: {
      any: [
        {
          kind: 'keyword_argument',
          has: { field: 'name', regex: '^verify$' },
          all: [{ has: { field: 'value', kind: 'false' } }],
          inside: { kind: 'argument_list' },
        },
        { kind: 'call', has: { field: 'function', regex: '^ssl\\._create_unverified_context$' } },
      ],
    },
  }),
  match: matchTls,
};
