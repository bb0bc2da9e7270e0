import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { escapeRegExp } from '../../core/regex-literal.ts';
import { jsMethodCall, pythonMethodCall } from '../call-rules.ts';
import { callArguments, enclosingFunction } from '../correctness/enclosing-function.ts';
import { findingAt } from '../correctness/finding-at.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { moduleValues } from './local-bindings.ts';
import { assignedValues, isPython, isStringLiteral, literalText, unwrap } from './value-source.ts';

/** Names of values that hold a URL or a host: `url`, `redirectTo`, `req.headers.referer`, `origin`. */
const URL_NAME =
  /(?:^|[._])(?:url|uri|href|host|hostname|origin|referr?er|redirect\w*|location|domain|link|target|next|return\w*|callback\w*|dest\w*|site)$/i;
const TLD =
  'com|org|net|io|dev|app|co|edu|gov|uk|de|fr|jp|cn|ru|info|biz|me|us|ca|au|in|br|nl|es|it|ch|se|no|fi|dk|pl|be|at|cz|tv|cc|ai|xyz|cloud|site|online|tech|shop';
/** A URL with a scheme, or a host name with a common top-level domain. */
const URL_LITERAL = new RegExp(
  `^(?:[a-z][a-z0-9+.-]*://[^\\s/?#]+(?:[/?#]\\S*)?|(?:www\\.)?[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:${TLD})(?::\\d+)?(?:/\\S*)?)$`,
  'i',
);

type Check = 'contains' | 'prefix' | 'suffix';

/** Names that say a check decides trust: `isRedirectAllowed`, `redirectAllowlist`, `safe_next`, `TRUSTED_ORIGINS`. */
const TRUST_NAME =
  /allow|trust|safe|valid|white|permit|legit|verif|authori[sz]|same_?origin|is_?own|own_?host/i;
/** What a trust decision about a URL guards: a redirect, a CORS or postMessage origin. */
const GUARDS =
  /(?:^|[^\w'"-])(?:redirect|HttpResponseRedirect|RedirectResponse|postMessage)\s*\(|\.redirect\s*\(|Access-Control-Allow-Origin|\b(?:event|evt|e|message|msg)\.origin\b|\blocation(?:\.href)?\s*=(?!=)|\blocation\.(?:assign|replace)\s*\(/i;

/** The name of the function around `node`: its own, or the variable or key it is assigned to. */
function functionName(node: SgNode): string {
  const fn = enclosingFunction(node);
  if (!fn) return '';
  const own = fn.field('name')?.text();
  if (own) return own;
  const holder = fn.parent();
  if (holder?.kind() === 'variable_declarator') return holder.field('name')?.text() ?? '';
  if (holder?.kind() === 'pair') return holder.field('key')?.text() ?? '';
  return '';
}

/**
 * Whether the check decides trust, not a category: its function or its list is named for it
 * (`isRedirectAllowed`, `redirectAllowlist`), or the function redirects or sets an origin with it.
 * `url.startswith("https://books.google")` choosing a parser is not a trust decision.
 */
function decidesTrust(file: FileInput, node: SgNode, listName: string | undefined): boolean {
  if (TRUST_NAME.test(functionName(node)) || (listName !== undefined && TRUST_NAME.test(listName)))
    return true;
  const fn = enclosingFunction(node);
  if (!fn) return false;
  // One look at each function's text, however many checks it holds.
  const seen = guarding.get(file) ?? new Map<number, boolean>();
  guarding.set(file, seen);
  const known = seen.get(fn.id());
  if (known !== undefined) return known;
  const guards = GUARDS.test(fn.text());
  seen.set(fn.id(), guards);
  return guards;
}

const guarding = new WeakMap<FileInput, Map<number, boolean>>();

function literalValue(node: SgNode, python: boolean): string | undefined {
  const expr = unwrap(node);
  return isStringLiteral(expr, python) ? literalText(expr, python) : undefined;
}

/** The string literals of an array, a `new Set([…])` or a tuple/list/set literal. */
function listLiterals(node: SgNode, python: boolean): string[] | undefined {
  let expr = unwrap(node);
  if (expr.kind() === 'new_expression' && /^(?:Set|Array)$/.test(expr.field('constructor')?.text() ?? '')) {
    const first = callArguments(expr)[0];
    if (!first) return undefined;
    expr = unwrap(first);
  }
  if (!/^(?:array|list|tuple|set)$/.test(String(expr.kind()))) return undefined;
  const items = expr.children().filter((child) => child.isNamed() && child.kind() !== 'comment');
  const values = items.map((item) => literalValue(item, python));
  return values.every((value): value is string => value !== undefined) ? values : undefined;
}

interface Candidates {
  literals: string[];
  /** The name of the list the literals come from, when they come from one. */
  list?: string;
}

/** The collection an identifier runs over, when it is a loop variable or a callback parameter. */
function listOf(node: SgNode): SgNode | undefined {
  const expr = unwrap(node);
  return expr.kind() === 'identifier' ? iteratedBy(expr, expr.text()) : undefined;
}

/**
 * What an identifier holds: a literal, or the values of the list it iterates (`for (const u of
 * LIST)`, `LIST.some((u) => …)`). Resolving names costs a walk of the file: asked only once the
 * check is known to decide trust.
 */
function candidates(node: SgNode, python: boolean, list: SgNode | undefined): Candidates {
  const literal = literalValue(node, python);
  if (literal !== undefined) return { literals: [literal] };
  const expr = unwrap(node);
  if (expr.kind() !== 'identifier') return { literals: [] };
  const values = assignedValues(expr.text(), expr, python);
  if (values.length === 1 && values[0]) {
    const value = literalValue(values[0], python);
    return { literals: value === undefined ? [] : [value] };
  }
  if (!list) return { literals: [] };
  const own = unwrap(list);
  const lists =
    own.kind() === 'identifier'
      ? [...assignedValues(own.text(), own, python), ...moduleValues(own, python)]
      : [own];
  return { literals: lists.flatMap((l) => listLiterals(l, python) ?? []), list: own.text() };
}

/** The collection a loop variable or a callback parameter named `name` runs over. */
function iteratedBy(use: SgNode, name: string): SgNode | undefined {
  const loopVariable = new RegExp(`(?:^|\\s)${escapeRegExp(name)}$`);
  const soleParameter = new RegExp(`^\\(?\\s*${escapeRegExp(name)}\\s*\\)?$`);
  for (let node = use.parent(); node; node = node.parent()) {
    const kind = node.kind();
    if (kind === 'for_in_statement' || kind === 'for_statement') {
      const left = node.field('left');
      if (left && loopVariable.test(left.text().trim())) return node.field('right') ?? undefined;
    }
    if (kind === 'arrow_function' || kind === 'function_expression') {
      const params = (node.field('parameters') ?? node.field('parameter'))?.text() ?? '';
      if (!soleParameter.test(params)) return undefined;
      const call = node.parent()?.parent();
      const callee = call?.kind() === 'call_expression' ? call.field('function') : undefined;
      if (callee?.kind() !== 'member_expression') return undefined;
      if (!/^(?:some|find|filter|every|findIndex)$/.test(callee.field('property')?.text() ?? ''))
        return undefined;
      return callee.field('object') ?? undefined;
    }
    if (/^(?:function_declaration|method_definition|program|module|function_definition)$/.test(String(kind)))
      return undefined;
  }
  return undefined;
}

/** Why the check is incomplete, for a literal it compares against; undefined when it is sound. */
function weakness(check: Check, literal: string): string | undefined {
  if (!URL_LITERAL.test(literal)) return undefined;
  const host = literal.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0] ?? literal;
  if (check === 'contains') return `\`https://attacker.test/?${host}\` contains it too`;
  if (check === 'prefix') {
    // `https://example.com/` ends the host: nothing can be appended to it.
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]+[/?#]/i.test(literal)) return undefined;
    return `\`${literal}.attacker.test\` starts with it too`;
  }
  if (literal.startsWith('.') || /^[a-z][a-z0-9+.-]*:\/\//i.test(literal)) return undefined;
  return `\`attacker-${host}\` ends with it too`;
}

function report(file: FileInput, node: SgNode, subject: string, check: Check, arg: SgNode) {
  const python = isPython(file.language);
  const list = listOf(arg);
  if (!decidesTrust(file, node, list && unwrap(list).text())) return undefined;
  const { literals } = candidates(arg, python, list);
  const weak = literals.map((literal) => ({ literal, why: weakness(check, literal) })).find((l) => l.why);
  // An allow-list of URLs: most entries must be URLs, not a list that merely holds one.
  if (!weak || literals.filter((literal) => URL_LITERAL.test(literal)).length * 2 < literals.length)
    return undefined;
  const how = { contains: 'contains', prefix: 'starts with', suffix: 'ends with' }[check];
  return findingAt(file, node, {
    message: `\`${subject}\` is trusted when it ${how} \`${weak.literal}\`${literals.length > 1 ? ` (one of ${literals.length} allowed URLs)` : ''}, but ${weak.why}: a check of the text lets a URL for another host through. Parse the URL and compare its host (and scheme) exactly.`,
  });
}

/** What `url.indexOf(x)` compared with a number checks: `=== 0` a prefix, `!== -1` / `> -1` / `>= 0` containment. */
function indexComparison(node: SgNode): Check | undefined {
  const comparison = node.parent();
  if (comparison?.kind() !== 'binary_expression') return undefined;
  const operator = comparison.field('operator')?.text() ?? '';
  const other = (
    comparison.field('left')?.id() === node.id() ? comparison.field('right') : comparison.field('left')
  )
    ?.text()
    .replace(/\s+/g, '');
  if (other === '0' && /^={2,3}$/.test(operator)) return 'prefix';
  if (other === '-1' && /^(?:!==?|>)$/.test(operator)) return 'contains';
  if (other === '0' && operator === '>=') return 'contains';
  return undefined;
}

function matchJs(node: SgNode, file: FileInput): RawFinding | undefined {
  const callee = node.field('function');
  const object = callee?.field('object');
  const method = callee?.field('property')?.text() ?? '';
  const [arg] = callArguments(node);
  if (!object || !arg || !URL_NAME.test(object.text().replace(/\s+/g, '').replace(/\(\)$/, '')))
    return undefined;
  let check: Check = method === 'startsWith' ? 'prefix' : method === 'endsWith' ? 'suffix' : 'contains';
  if (method === 'indexOf') {
    const comparison = indexComparison(node);
    if (!comparison) return undefined;
    check = comparison;
  }
  return report(file, node, object.text(), check, arg);
}

function matchPython(node: SgNode, file: FileInput): RawFinding | undefined {
  if (node.kind() === 'comparison_operator') {
    const [left, right] = node.children().filter((child) => child.isNamed());
    const operator = node
      .children()
      .find((child) => !child.isNamed())
      ?.text();
    if (operator !== 'in' || !left || !right || !URL_NAME.test(right.text())) return undefined;
    return report(file, node, right.text(), 'contains', left);
  }
  const callee = node.field('function');
  const object = callee?.field('object');
  const method = callee?.field('attribute')?.text() ?? '';
  const [arg] = callArguments(node);
  if (!object || !arg || !URL_NAME.test(object.text())) return undefined;
  const check: Check = method === 'startswith' ? 'prefix' : method === 'endswith' ? 'suffix' : 'contains';
  return report(file, node, object.text(), check, arg);
}

const JS_RULE: NapiConfig = { rule: jsMethodCall('^(includes|indexOf|startsWith|endsWith)$') };

const PY_RULE: NapiConfig = {
  rule: {
    any: [
      { kind: 'comparison_operator', regex: '^\\s*[rbuRBU]{0,2}[\'"][^\'"]*\\.[^\'"]*[\'"]\\s+in\\s' },
      pythonMethodCall('^(startswith|endswith|find)$'),
    ],
  },
};

/** A URL trusted because its text contains, starts or ends with an allowed URL or host. */
export const urlSubstringCheck: FileDetector = {
  id: 'security/url-substring-check',
  category: 'security',
  scope: 'file',
  requires: {
    ...jsGate(/\.\s*(?:includes|indexOf|startsWith|endsWith)\s*\(/),
    python: /\bin\b|\.(?:startswith|endswith|find)\(/,
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'URL checked by its text, not its host (bypassable allow-list)',
  description:
    'A URL or host name is trusted because its text contains, starts or ends with an allowed one (`url.includes("github.com")`, `url.startsWith("https://example.com")`). An attacker writes the allowed text elsewhere in their own URL (`https://attacker.test/?github.com`, `https://example.com.attacker.test`), so the redirect, request or CORS origin the check guards goes to a host of their choosing.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'URLs on the allowed hosts still pass; only URLs that merely contain their text start being refused.',
  confidence: 'MED',
  fixSketch:
    'Parse the URL (`new URL(value)` / `urllib.parse.urlsplit(value)`) and compare its `protocol` and `hostname` exactly with the allowed ones (or check `hostname === allowed || hostname.endsWith("." + allowed)` for subdomains); for relative redirects accept only paths that start with a single `/`.',
  steps: [
    'Open the cited line and find what the check guards (a redirect, a server request, a CORS origin, a postMessage origin).',
    'Replace the text check with a parsed comparison: `const { protocol, hostname } = new URL(value)` (Python: `urlsplit(value)`), then compare the scheme and host exactly with the allowed list; treat a value that does not parse as not allowed.',
    'Add tests: an allowed URL passes; `https://attacker.test/?<allowed host>`, `https://<allowed host>.attacker.test` and `https://attacker.test/<allowed URL>` are refused.',
  ],
  python: {
    fixSketch:
      'Parse the URL (`urllib.parse.urlsplit(value)`) and compare its `scheme` and `hostname` exactly with the allowed ones (or `hostname == allowed or hostname.endswith("." + allowed)` for subdomains); for relative redirects accept only paths that start with a single `/` (in Django, `url_has_allowed_host_and_scheme` does this).',
    steps: [
      'Open the cited line and find what the check guards (a redirect, a server request, a CORS origin).',
      'Replace the text check with a parsed comparison: `parts = urllib.parse.urlsplit(value)`, then compare `parts.scheme` and `parts.hostname` exactly with the allowed list; treat a value that does not parse (`ValueError`) or has no hostname as not allowed.',
      'Add tests: an allowed URL passes; `https://attacker.test/?<allowed host>`, `https://<allowed host>.attacker.test` and `https://attacker.test/<allowed URL>` are refused.',
    ],
  },
  rule: { typescript: JS_RULE, tsx: JS_RULE, javascript: JS_RULE, python: PY_RULE },
  match: (node, file) => (isPython(file.language) ? matchPython(node, file) : matchJs(node, file)),
};
