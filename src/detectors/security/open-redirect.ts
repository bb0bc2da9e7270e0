import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { jsAndPython, pythonCall } from '../call-rules.ts';
import { callArguments, calleeText, enclosingFunction, kindOf } from '../correctness/enclosing-function.ts';
import { escapeRegExp } from '../dx/shell-quote.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { constantPrefix, textBeforeTainted } from './constant-prefix.ts';
import { BROWSER_GATE, BROWSER_SOURCE, requestFlow, surroundingText } from './request-flow.ts';
import { codeText, sinkFinding } from './sink-finding.ts';
import { isPython, JS_REQUEST_GATE, PY_REQUEST_GATE } from './value-source.ts';

/**
 * Request values a victim's browser sets itself (the current URL, Host, Origin, Referer): sending
 * the user back to them does not let a third party choose the destination.
 */
const SELF =
  /^(?:req|request|ctx)\.(?:url|originalUrl|path|full_path|href|host|hostname|host_url|url_root|base_url|origin|referrer|nextUrl|get_full_path\(\)|get_host\(\))$|^(?:req|request|ctx)(?:\.headers?|\.META)?(?:\.get|\.header)?[([.]\s*['"]?(?:host|origin|referr?er|HTTP_HOST|HTTP_REFERER)\b/i;
/**
 * The browser's counterpart: the page's own address (or a part of it that stays on this site) and
 * the page the user came from. `location = location.href` reloads; `document.referrer` goes back.
 */
const BROWSER_SELF =
  /^(?:window\.|document\.)?location(?:\.(?:href|pathname|origin|host|hostname))?$|^document\.(?:URL|documentURI|baseURI|referrer)$/;
const JS_SELF = new RegExp(`${SELF.source}|${BROWSER_SELF.source}`, 'i');
/** A fixed beginning that pins the destination to this site or a named host. */
const PINNED = /^\/[^/\\]|^[a-z][\w+.-]*:\/\/[^/?#\\]+[/?#]|[?#]/i;
/** A path segment (`/user/`) or a query between a value of this site's and the request's part of a destination. */
const PATH_SEGMENT = /\/[^/\\?#]+\/|[?#]/;
/** Checks in this function that compare the destination's host or scheme with an allow-list. */
const VALIDATED =
  /url_has_allowed_host_and_scheme|is_safe_url|allowed_?hosts|\.(?:host|hostname|origin|netloc|protocol|scheme)\s*(?:[!=]==?|not\s+in\b|in\b)|urlparse\(|urlsplit\(/i;
/**
 * A call to a helper whose name says it vets URLs: whether it does so soundly is not visible here.
 * `resolveLoginRedirect(r)` (Directus's SAML login) and `sanitizeRedirect(r)` name a redirect they
 * settle on; a bare `resolve(base, r)` or `resolveUrl(r)` only joins URLs. Named in snake case
 * too: Saltcorn checks `is_relative_url("/" + req.query.on_done_redirect)` before redirecting.
 */
const VETTING_HELPER =
  /\b(?:(?:is|check|validate|verify|ensure|assert|safe)\w*(?:Redirect|Url|URL|Safe|Allowed|Trusted|Valid|Local)|(?:resolve|sanitize|sanitise)\w*Redirect)\w*\(|\b(?:is|check|validate|verify|ensure|assert|safe)_(?:\w+_)?(?:redirect|url|uri|safe|allowed|trusted|valid|local)(?:_\w+)?\(/;
const LEADING_SLASH_ONLY =
  /startsWith\(\s*['"]\/['"]\s*\)|startswith\(\s*['"]\/['"]\s*\)|\[0\]\s*[!=]==?\s*['"]\/['"]/;
const DOUBLE_SLASH_CHECK = /['"]\/\/['"]|['"]\/\\\\['"]/;

const LOCATION_OBJECT = /^(?:window\.|document\.)?location$/;

function destination(node: SgNode, python: boolean): SgNode | undefined {
  if (kindOf(node) === 'assignment_expression') {
    const left = node.field('left')?.text() ?? '';
    return /^(?:window\.|document\.)?location(?:\.href)?$/.test(left)
      ? (node.field('right') ?? undefined)
      : undefined;
  }
  const callee = calleeText(node);
  const args = callArguments(node);
  if (python) {
    const url = args.find((a) => a.kind() === 'keyword_argument' && a.field('name')?.text() === 'url');
    const first = args[0];
    return url?.field('value') ?? (first && first.kind() !== 'keyword_argument' ? first : undefined);
  }
  const method = /(?:^|\.)(\w+)$/.exec(callee)?.[1] ?? '';
  const object = callee.slice(0, Math.max(0, callee.length - method.length - 1));
  if (method === 'redirect' || method === 'location') {
    return args.find((a) => a.kind() !== 'number');
  }
  if (method === 'assign' || method === 'replace') return LOCATION_OBJECT.test(object) ? args[0] : undefined;
  if (/^(?:setHeader|set|header|append)$/.test(method)) {
    return /^['"]location['"]$/i.test(args[0]?.text() ?? '') ? args[1] : undefined;
  }
  if (method === 'writeHead') {
    const headers = args.find((a) => a.kind() === 'object');
    const pair = headers
      ?.children()
      .find((p) => p.kind() === 'pair' && /^['"]?location['"]?$/i.test(p.field('key')?.text() ?? ''));
    return pair?.field('value') ?? undefined;
  }
  return undefined;
}

/**
 * Whether a call in the redirect's function to a helper named for vetting URLs is handed the
 * redirect: the request value itself (Saltcorn's `is_relative_url("/" + req.query.on_done_redirect)`)
 * or a name the destination is built from (`isRedirectAllowed(toUrl)` before `res.redirect(toUrl)`).
 * A helper that checks another field (`is_valid_url(homepage)` in a profile form that then redirects
 * to `request.args.get("next")`) vets nothing about the redirect.
 */
function vettedBy(node: SgNode, target: SgNode, source: SgNode, python: boolean): boolean {
  const scope = enclosingFunction(node) ?? node.getRoot().root();
  if (!VETTING_HELPER.test(scope.text())) return false;
  const names = new Set(
    [target, ...target.findAll({ rule: { kind: 'identifier' } })]
      .filter((n) => n.kind() === 'identifier')
      .map((n) => n.text()),
  );
  const mentions = (text: string) =>
    text.includes(source.text()) ||
    [...names].some((name) => new RegExp(String.raw`(?<![\w$.])${escapeRegExp(name)}(?![\w$])`).test(text));
  return scope
    .findAll({ rule: { kind: python ? 'call' : 'call_expression' } })
    .some(
      (call) =>
        VETTING_HELPER.test(`${call.field('function')?.text() ?? ''}(`) &&
        mentions(call.field('arguments')?.text() ?? ''),
    );
}

function matchRedirect(node: SgNode, file: FileInput): RawFinding | undefined {
  const python = isPython(file.language);
  const target = destination(node, python);
  if (!target) return undefined;
  const options = python
    ? { python, exclude: SELF }
    : { python, exclude: JS_SELF, extraSource: BROWSER_SOURCE };
  const source = requestFlow(target, options);
  if (!source) return undefined;
  const prefix = constantPrefix(target, python);
  if (prefix !== undefined && PINNED.test(prefix)) return undefined;
  // `nconf.get('relative_path') + '/user/' + slug` (NodeBB): whatever the configured base is, the
  // request's part comes after a path segment, so it cannot change the host.
  const before = textBeforeTainted(target, python, (part) => requestFlow(part, options) !== undefined);
  if (before?.afterValue && PATH_SEGMENT.test(before.constant)) return undefined;
  const scope = surroundingText(node);
  if (VALIDATED.test(scope)) return undefined;
  const vetted = vettedBy(node, target, source, python);
  const slashOnly = !vetted && LEADING_SLASH_ONLY.test(scope) && !DOUBLE_SLASH_CHECK.test(scope);
  const finding = sinkFinding(
    file,
    node,
    source,
    'request',
    slashOnly
      ? `This redirect goes to a destination taken from request data (\`${codeText(source)}\`), checked only for a leading \`/\`. \`//evil.example\` and \`/\\evil.example\` pass that check and send the user to another site.`
      : `This redirect goes to a destination taken from request data (\`${codeText(source)}\`) without checking where it points. A link to this site can send users on to a look-alike phishing page (or run script through a \`javascript:\` URL in the browser), with this site’s name in the link.`,
  );
  if (slashOnly) finding.confidence = 'MED';
  if (vetted) {
    finding.confidence = 'LOW';
    finding.message = `This redirect goes to a destination taken from request data (\`${codeText(source)}\`) after a check by a helper. Make sure that helper parses the URL and compares scheme and host exactly: substring or prefix checks (\`url.includes(allowed)\`) let \`https://evil.example/?https://allowed.example\` through.`;
  }
  return finding;
}

const JS_RULE: NapiConfig = {
  rule: {
    any: [
      {
        kind: 'call_expression',
        has: {
          field: 'function',
          regex: '(^|\\.)(redirect|location|assign|replace|setHeader|set|header|append|writeHead)$',
        },
      },
      {
        kind: 'assignment_expression',
        has: { field: 'left', regex: '^(window\\.|document\\.)?location(\\.href)?$' },
      },
    ],
  },
};

/** A redirect whose destination comes from the request, with no check of where it points. */
export const openRedirect: FileDetector = {
  id: 'security/open-redirect',
  category: 'security',
  scope: 'file',
  // A redirect sink, and a source for its destination: the request, or the browser's URL.
  requires: {
    ...jsGate([
      /redirect|location|assign|replace|setHeader|\bset\b|header|append|writeHead/,
      [JS_REQUEST_GATE, BROWSER_GATE],
    ]),
    python: [/redirect|Redirect/, PY_REQUEST_GATE],
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Redirect to a URL from request data (open redirect)',
  description:
    'The response redirects to a URL taken from the request (a `next`/`returnTo` parameter, a body field, a header) without checking that it stays on this site. Attackers use such links for phishing that carries this site’s name, to leak OAuth codes and tokens to their own host, and in the browser to run script through `javascript:` URLs.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Legitimate redirects go to this site’s own paths or a short list of hosts; only foreign destinations start being refused.',
  confidence: 'HIGH',
  fixSketch:
    'Accept only same-site paths (a single leading `/` not followed by `/` or `\\`), or parse the URL and compare its host with an allow-list; otherwise fall back to a fixed page. Django has `url_has_allowed_host_and_scheme`; elsewhere write a small `safeRedirectTarget(value, fallback)` helper and use it at every redirect.',
  steps: [
    'Open the cited line and find the request value the redirect uses (follow local variables to where they are read from the request).',
    'Add a helper (or use the framework’s: Django `url_has_allowed_host_and_scheme`) that returns the value only when it is a same-site path (`/^\\/(?![/\\\\])/`) or its parsed host is in an allow-list, and a fixed fallback such as `/` otherwise.',
    'Pass the redirect target through that helper at the cited line (and at any other redirect that takes a user-supplied destination).',
    'Add a test that requests the route with `next=https://evil.example`, `next=//evil.example` and `next=/\\evil.example` and asserts the `Location` header is the fallback, plus one with `next=/account` that still redirects there.',
  ],
  rule: jsAndPython(
    JS_RULE,
    pythonCall(
      '^((flask|django\\.shortcuts)\\.)?redirect$|^(HttpResponseRedirect|HttpResponsePermanentRedirect|RedirectResponse)$',
    ),
  ),
  match: matchRedirect,
};
