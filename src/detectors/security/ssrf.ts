import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { jsAndPython } from '../call-rules.ts';
import { callArguments, calleeText } from '../correctness/enclosing-function.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { textBeforeTainted } from './constant-prefix.ts';
import { requestFlow, surroundingText } from './request-flow.ts';
import { codeText, sinkFinding } from './sink-finding.ts';
import { isPython, JS_REQUEST_GATE, PY_REQUEST_GATE } from './value-source.ts';

/** HTTP clients called with the URL first: `fetch(url)`, `axios.get(url)`, `got(url)`, `https.get(url)`. */
const JS_CLIENT = /^(?:fetch|got|ky|axios|superagent|request|undici\.(?:request|fetch))$/;
const JS_CLIENT_METHOD =
  /^(?:axios|got|ky|needle|request|superagent|http|https|undici)\.(?:get|post|put|patch|delete|del|head|options|request|stream)$/;
/** Python: `requests.get(url)`, `httpx.post(url=…)`, `urlopen(url)`; `requests.request(method, url)`. */
const PY_CLIENT =
  /^(?:requests|httpx)\.(?:get|post|put|patch|delete|head|options|request|stream)$|^(?:urllib\.request\.|urllib2\.)?urlopen$/;

/**
 * Checks in this function that look at where the URL points: its parsed host compared with a
 * list, a private-address test, or a library made for SSRF. Whether they are sound is not visible
 * here, but the author thought about it.
 */
const HOST_CHECK =
  /\.(?:host|hostname|origin|netloc)\s*(?:[!=]==?|not\s+in\b|in\b)|\.(?:host|hostname|origin|netloc)\)|allowed_?hosts|allow_?list|white_?list|isPrivate|is_private|private_?ip|ipaddr|ssrf[-_]?(?:req[-_]?)?filter|request-?filtering-?agent|dns\.lookup|url_has_allowed_host|is_safe_url/i;

/** The argument a call sends the request to. */
function urlArgument(node: SgNode, python: boolean): SgNode | undefined {
  const callee = calleeText(node).replace(/\s+/g, '');
  const args = callArguments(node);
  if (python) {
    const keyword = args.find((a) => a.kind() === 'keyword_argument' && a.field('name')?.text() === 'url');
    if (keyword) return keyword.field('value') ?? undefined;
    const positional = args.filter((a) => a.kind() !== 'keyword_argument');
    // `requests.request("GET", url)`: the method comes first.
    return /\.(?:request|stream)$/.test(callee) ? positional[1] : positional[0];
  }
  const first = args[0];
  // `axios({ url, method })`: the URL is a property of the config object.
  if (first?.kind() === 'object') {
    const pair = first
      .children()
      .find((p) => p.kind() === 'pair' && /^['"]?url['"]?$/.test(p.field('key')?.text() ?? ''));
    if (pair) return pair.field('value') ?? undefined;
    const shorthand = first.children().find((p) => p.kind() === 'shorthand_property_identifier');
    return shorthand?.text() === 'url' ? shorthand : undefined;
  }
  return first;
}

/**
 * Whether the host of the URL is fixed before the request's part of it: written out
 * (`https://api.example.com/users/${id}`), or held by a value of this program that comes first
 * (`${API_BASE}/users/${id}`, `config.upstream + req.url`). A request value right after the scheme
 * (`'https://' + req.query.host`) or as the whole URL chooses the host.
 */
function hostFixed(target: SgNode, python: boolean): boolean {
  const before = textBeforeTainted(target, python, (part) => requestFlow(part, { python }) !== undefined);
  if (!before) return false;
  if (/^[a-z][\w+.-]*:\/\/[^/?#\\]+[/?#\\]/i.test(before.constant)) return true;
  return before.afterValue && !/:\/*$/.test(before.constant);
}

function matchRequest(node: SgNode, file: FileInput): RawFinding | undefined {
  const python = isPython(file.language);
  // `request\n  .get(url)` (Juice Shop): a chain broken over lines is the same callee.
  const callee = calleeText(node).replace(/\s+/g, '');
  if (python ? !PY_CLIENT.test(callee) : !JS_CLIENT.test(callee) && !JS_CLIENT_METHOD.test(callee))
    return undefined;
  const target = urlArgument(node, python);
  if (!target) return undefined;
  const source = requestFlow(target, { python });
  if (!source || hostFixed(target, python)) return undefined;
  const checked = HOST_CHECK.test(surroundingText(node));
  const shown = callee.length > 40 ? `${callee.slice(0, 39)}…` : callee;
  const finding = sinkFinding(
    file,
    node,
    source,
    'request',
    checked
      ? `\`${shown}()\` requests a URL taken from request data (\`${codeText(source)}\`) after a check of where it points. Make sure the check parses the URL, allows only listed hosts, and holds after redirects and DNS resolution: a name that resolves to 127.0.0.1 or 169.254.169.254 passes a check of the text.`
      : `\`${shown}()\` requests a URL taken from request data (\`${codeText(source)}\`), so the caller chooses which host this server connects to: internal services, localhost ports and the cloud metadata address (169.254.169.254, which hands out credentials) that are not reachable from outside.`,
  );
  finding.confidence = checked ? 'LOW' : 'MED';
  return finding;
}

const JS_RULE: NapiConfig = {
  rule: {
    kind: 'call_expression',
    has: {
      field: 'function',
      regex:
        '^(fetch|got|ky|axios|superagent|request|undici\\.(request|fetch))$|^(axios|got|ky|needle|request|superagent|http|https|undici)\\s*\\.(get|post|put|patch|delete|del|head|options|request|stream)$',
    },
  },
};

const PY_RULE: NapiConfig = {
  rule: {
    kind: 'call',
    has: {
      field: 'function',
      regex:
        '^(requests|httpx)\\.(get|post|put|patch|delete|head|options|request|stream)$|^(urllib\\.request\\.|urllib2\\.)?urlopen$',
    },
  },
};

/** A server-side HTTP request whose URL (and so its host) comes from the request. */
export const ssrf: FileDetector = {
  id: 'security/ssrf',
  category: 'security',
  scope: 'file',
  requires: {
    ...jsGate([/\b(?:fetch|got|ky|axios|superagent|request|undici|needle|https?)\s*[.(]/, JS_REQUEST_GATE]),
    python: [/\b(?:requests|httpx)\.|urlopen\(/, PY_REQUEST_GATE],
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Server request to a URL from request data (SSRF)',
  description:
    'The server makes an HTTP request to a URL taken from the request (an image or webhook URL, a `url` parameter), so a caller can make it connect to hosts only the server can reach: internal APIs and admin panels, databases on localhost, and the cloud metadata endpoint that hands out the instance’s credentials.',
  impact: 'HIGH',
  effort: 'M',
  risk: 'LOW',
  riskReason:
    'Legitimate URLs point at public hosts (or a known list); only requests to private and link-local addresses, or unlisted hosts, start being refused.',
  confidence: 'MED',
  fixSketch:
    'Parse the URL, allow only `https:` (and `http:` if needed), and either check the host against an allow-list or resolve it and refuse private, loopback and link-local addresses, pinning the request to the address you checked (Node: `request-filtering-agent` or `ssrf-req-filter`; Python: resolve with `socket.getaddrinfo` and check `ipaddress.ip_address(…).is_private`). Do not follow redirects, or check each one the same way.',
  steps: [
    'Open the cited line and find the request value the URL comes from (follow local variables to where they are read from the request).',
    'Add a helper that parses the URL, accepts only http(s), and accepts the host only when it is on an allow-list or resolves to public addresses only (no loopback, private, link-local or metadata addresses); make the request to the checked address, with redirects off.',
    'Call the helper before the cited request, and answer 400 when it refuses the URL.',
    'Add tests that post `http://127.0.0.1:22/`, `http://169.254.169.254/latest/meta-data/` and `http://localhost/` and assert a 400 with no outbound request, plus one with an allowed public URL that still works.',
  ],
  python: {
    fixSketch:
      'Parse the URL (`urllib.parse.urlsplit`), allow only `https` (and `http` if needed), and either check the host against an allow-list or resolve it (`socket.getaddrinfo`) and refuse private, loopback and link-local addresses (`ipaddress.ip_address(…).is_private`, `.is_loopback`, `.is_link_local`), making the request to the address you checked. Do not follow redirects (`allow_redirects=False`), or check each one the same way.',
  },
  rule: jsAndPython(JS_RULE, PY_RULE),
  match: matchRequest,
};
