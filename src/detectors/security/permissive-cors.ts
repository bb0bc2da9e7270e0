import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { jsAndPython, pythonCall } from '../call-rules.ts';
import {
  callArguments,
  calleeText,
  FUNCTION_KINDS,
  keywordValue,
  kindOf,
} from '../correctness/enclosing-function.ts';
import { findingAt } from '../correctness/finding-at.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { requestFlow, surroundingText } from './request-flow.ts';
import { pairValue } from './value-source.ts';

/** Checks of the request origin against a list or pattern: the reflection is then deliberate. */
const ORIGIN_CHECK =
  /\.(?:includes|indexOf|has|test|match|endsWith|some)\(|===|!==|\bin\s+\w*(?:origins|ALLOWED)|allow(?:ed)?_?(?:list|origins)|whitelist/i;
const REFLECT =
  'The server answers any origin — including a hostile page the user happens to visit — with permission to send the user’s cookies and read the response.';

/** How an `origin` option admits origins: `any` (true, reflect, match-all), `star` ('*'), or undefined. */
function originPolicy(value: SgNode): 'any' | 'star' | undefined {
  const text = value.text();
  if (text === 'true' || /^\/\.[*+]\/\w*$/.test(text)) return 'any';
  if (/^['"`]\*['"`]$/.test(text)) return 'star';
  if (kindOf(value) === 'arrow_function' || kindOf(value) === 'function_expression') {
    const body = value.field('body')?.text() ?? '';
    if (ORIGIN_CHECK.test(body)) return undefined;
    // `(origin, cb) => cb(null, true)`, `(ctx) => ctx.get('Origin')`, `(ctx) => ctx.request.header.origin`.
    if (/\(\s*null\s*,\s*(?:true|origin)\s*\)|\borigin\b/i.test(body)) return 'any';
    return undefined;
  }
  return requestFlow(value, { python: false }) && /origin/i.test(text) ? 'any' : undefined;
}

/**
 * Whether options bound to a name are handed out per request, only after the request's origin was
 * checked: every use passes them to a callback (`callback(null, ENABLE_CORS)`, the `cors` package's
 * options delegate) inside an `if` or `?:` whose condition is about the origin. Ghost's members
 * API answers its own site and admin hosts this way and every other origin with `origin: '*'`.
 */
function chosenPerCheckedRequest(object: SgNode): boolean {
  const declarator = object.parent();
  const name = declarator?.kind() === 'variable_declarator' ? declarator.field('name') : null;
  if (name?.kind() !== 'identifier') return false;
  const uses = object
    .getRoot()
    .root()
    .findAll({ rule: { kind: 'identifier', regex: `^${name.text()}$` } })
    .filter((use) => use.id() !== name.id());
  return uses.length > 0 && uses.every((use) => handedOutAfterOriginCheck(use));
}

function handedOutAfterOriginCheck(use: SgNode): boolean {
  // A check of the origin calls something with it (`isAllowedOrigin(origin)`, `list.includes(origin)`,
  // `trustedOrigin(req)`); `if (origin)` or `origin === undefined` only asks whether there is one.
  const aboutOrigin = (node: SgNode) =>
    /\w*origin\w*\s*\(|\([^()]*origin[^()]*\)/i.test(
      (node.field('condition')?.text() ?? '').replace(/^\(([\s\S]*)\)$/, '$1'),
    );
  // `callback(null, allowed(origin) ? ENABLE_CORS : WILDCARD_CORS)`: the choice is the argument.
  const choice = use.parent();
  const chosen = choice?.kind() === 'ternary_expression' && choice.field('condition')?.id() !== use.id();
  if (chosen && !aboutOrigin(choice)) return false;
  const args = chosen ? choice.parent() : choice;
  const call = args?.parent();
  if (args?.kind() !== 'arguments' || call?.kind() !== 'call_expression') return false;
  if (callArguments(call)[0]?.text() !== 'null') return false;
  if (chosen) return true;
  for (let node = call.parent(); node && !FUNCTION_KINDS.has(kindOf(node)); node = node.parent()) {
    const kind = kindOf(node);
    if ((kind === 'if_statement' || kind === 'ternary_expression') && aboutOrigin(node)) return true;
  }
  return false;
}

function matchJsOptions(node: SgNode, file: FileInput): RawFinding | undefined {
  const credentials = pairValue(node, 'credentials');
  const origin = pairValue(node, 'origin');
  if (credentials?.text() !== 'true' || !origin) return undefined;
  const policy = originPolicy(origin);
  if (!policy || chosenPerCheckedRequest(node)) return undefined;
  return findingAt(file, origin, {
    confidence: policy === 'any' ? 'HIGH' : 'MED',
    message:
      policy === 'any'
        ? `CORS is configured with \`origin: ${origin.text().slice(0, 40)}\` and \`credentials: true\`. ${REFLECT}`
        : 'CORS is configured with `origin: "*"` and `credentials: true`. Browsers refuse this combination, so credentialed requests fail today; the usual “fix” is to reflect the origin, which opens the API to every site. Name the allowed origins instead.',
  });
}

function matchJsHeader(node: SgNode, file: FileInput): RawFinding | undefined {
  const args = callArguments(node);
  if (!/^['"]access-control-allow-origin['"]$/i.test(args[0]?.text() ?? '') || !args[1]) return undefined;
  const scope = surroundingText(node);
  if (!/access-control-allow-credentials['"]\s*,\s*(?:['"]true['"]|true)/i.test(file.text)) return undefined;
  const source = requestFlow(args[1], { python: false });
  if (!source || !/origin/i.test(source.text() + args[1].text()) || ORIGIN_CHECK.test(scope))
    return undefined;
  return findingAt(file, node, {
    confidence: 'HIGH',
    message: `\`Access-Control-Allow-Origin\` is copied from the request’s \`Origin\` header while \`Access-Control-Allow-Credentials\` is true. ${REFLECT}`,
  });
}

function matchPython(node: SgNode, file: FileInput): RawFinding | undefined {
  const callee = calleeText(node);
  const args = callArguments(node);
  if (/^(?:\w+\.)?add_middleware$/.test(callee)) {
    if (args[0]?.text() !== 'CORSMiddleware' || keywordValue(args, 'allow_credentials')?.text() !== 'True')
      return undefined;
    const origins = keywordValue(args, 'allow_origins')?.text() ?? '';
    const regex = keywordValue(args, 'allow_origin_regex')?.text() ?? '';
    if (!/['"]\*['"]/.test(origins) && !/^r?['"]\.[*+]['"]$/.test(regex)) return undefined;
  } else {
    if (keywordValue(args, 'supports_credentials')?.text() !== 'True') return undefined;
    const origins = keywordValue(args, 'origins')?.text();
    const resources = keywordValue(args, 'resources')?.text() ?? '';
    const wildcard =
      origins === undefined
        ? !/['"]origins['"]/.test(resources) || /['"]origins['"]\s*:\s*['"]\*['"]/.test(resources)
        : /^['"]\*['"]$|\[\s*['"]\*['"]\s*\]/.test(origins);
    if (!wildcard) return undefined;
  }
  return findingAt(file, node, {
    confidence: 'HIGH',
    message: `This CORS setup allows every origin and credentials together; the middleware then echoes the caller’s \`Origin\` back. ${REFLECT}`,
  });
}

function matchDjangoSettings(file: FileInput): RawFinding[] {
  if (file.language !== 'python') return [];
  const all = file.lines.findIndex((l) => /^\s*CORS_(?:ORIGIN_)?ALLOW_ALL(?:_ORIGINS)?\s*=\s*True\b/.test(l));
  const credentials = file.lines.some((l) => /^\s*CORS_ALLOW_CREDENTIALS\s*=\s*True\b/.test(l));
  if (all < 0 || !credentials) return [];
  return [
    {
      file: file.path,
      startLine: all + 1,
      endLine: all + 1,
      confidence: 'HIGH',
      message: `django-cors-headers is set to allow all origins with \`CORS_ALLOW_CREDENTIALS = True\`, so it reflects the caller’s origin. ${REFLECT}`,
    },
  ];
}

const JS_RULE: NapiConfig = {
  rule: {
    any: [
      {
        kind: 'object',
        all: [
          { has: { kind: 'pair', regex: '^[\'"]?credentials' } },
          { has: { kind: 'pair', regex: '^[\'"]?origin' } },
        ],
      },
      { kind: 'call_expression', has: { field: 'function', regex: '(^|\\.)(setHeader|header|set|append)$' } },
    ],
  },
};

/** CORS that lets any origin make credentialed requests (origin reflected or allowed wholesale). */
export const permissiveCors: FileDetector = {
  id: 'security/permissive-cors',
  category: 'security',
  scope: 'file',
  requires: /credentials/i,
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'CORS allows any origin with credentials',
  description:
    'The CORS configuration accepts every origin (reflecting the request’s `Origin`, `origin: true`, a wildcard) and also allows credentials. Any web page a logged-in user visits can then call this API with the user’s cookies and read the answers: account data, CSRF tokens, API keys.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'MED',
  riskReason:
    'Front ends served from origins missing from the new allow-list stop working until they are added; list them before deploying.',
  confidence: 'HIGH',
  fixSketch:
    'Replace the wildcard/reflection with an explicit allow-list of the front-end origins (from configuration), e.g. `cors({ origin: ["https://app.example.com"], credentials: true })`, `CORS(app, origins=[...], supports_credentials=True)`, `CORSMiddleware(allow_origins=[...], allow_credentials=True)`. Drop credentials if the API does not use cookies.',
  steps: [
    'Find out which origins legitimately call this API with cookies (the front-end URLs per environment) and put them in configuration (an environment variable or settings list).',
    'At the cited line replace the permissive origin with that list (or a function that checks membership in it), keeping credentials only if cookies are really needed.',
    'Make sure the response carries `Vary: Origin` when the allowed origin is chosen per request (most CORS middlewares do this).',
    'Add a test that sends a preflight and a request with `Origin: https://evil.example` and asserts the response has no `Access-Control-Allow-Origin` for it, and one from an allowed origin that still gets it.',
  ],
  rule: jsAndPython(JS_RULE, pythonCall('^(flask_cors\\.)?(CORS|cross_origin)$|(^|\\.)add_middleware$')),
  match(node, file) {
    if (file.language === 'python') return matchPython(node, file);
    return node.kind() === 'object' ? matchJsOptions(node, file) : matchJsHeader(node, file);
  },
  check: matchDjangoSettings,
};
