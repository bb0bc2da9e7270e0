import type { SgNode } from '@ast-grep/napi';
import { calleeText, enclosingFunction, kindOf } from '../correctness/enclosing-function.ts';
import { isDestructuredRequestPart, moduleValues } from './local-bindings.ts';
import {
  assignedValues,
  builtString,
  helperArguments,
  startsWithRequest,
  unwrap,
  valueSource,
} from './value-source.ts';

/**
 * How a value may be transformed on its way to a sink and still count as the request's value:
 * `string` follows string building and path joining; `object` follows only plain copies, so a
 * request object still carries its nested structure (what NoSQL operator injection needs).
 */
export type FlowMode = 'string' | 'object';

export interface FlowOptions {
  python: boolean;
  mode?: FlowMode;
  /** More sources to treat as request data (e.g. `location.search` for browser sinks). */
  extraSource?: RegExp;
  /** Request values that do not count for this sink (e.g. the request's own URL or Host for redirects). */
  exclude?: RegExp;
}

/** Browser-side values an attacker controls through a link: the URL, the referrer, the window name. */
export const BROWSER_SOURCE =
  /^(?:window\.|document\.)?location\.(?:hash|search|href|pathname)\b|^document\.(?:URL|documentURI|referrer|baseURI)\b|^window\.name\b|^(?:this\.)?\w*[rR]oute\.snapshot\.(?:queryParams|params|queryParamMap|paramMap|fragment)\b/;

/** A text gate for BROWSER_SOURCE: a file without this text holds no browser source. */
export const BROWSER_GATE =
  /location\s*\.|document\s*\.\s*(?:URL|documentURI|referrer|baseURI)\b|window\s*\.\s*name\b|[rR]oute\s*\.\s*snapshot\b/;

/** Calls whose result carries their input's text: path joins, conversions, trimming, decoding. */
const JS_STRING_THROUGH =
  /^(?:(?:path(?:\.posix|\.win32)?\.)?(?:join|resolve|normalize)|String|decodeURIComponent|decodeURI|unescape)$/;
const JS_METHOD_THROUGH =
  /\.(?:toString|trim|trimStart|trimEnd|toLowerCase|toUpperCase|concat|slice|substring|substr|get|getAll)$/;
const PY_STRING_THROUGH =
  /^(?:(?:os\.)?path\.(?:join|abspath|normpath|expanduser)|os\.fspath|(?:pathlib\.)?(?:Path|PurePath|PosixPath)|str|(?:urllib\.parse\.|parse\.)?unquote(?:_plus)?)$/;
const PY_METHOD_THROUGH = /\.(?:strip|lstrip|rstrip|lower|upper|get|getlist|joinpath|join)$/;
/** Methods that read a value out of a request object. */
const ACCESSOR = /(?:^|\.)(?:get|getAll|getlist|header|param|json|formData|text|get_json|get_data|cookies)$/;
/**
 * Fields a multipart parser fills in itself (multer, formidable, express-fileupload): where it
 * stored an upload on this server, not anything the client sent. The client's file name is in
 * `originalname`, `originalFilename` or `name`, which stay request data.
 */
const SERVER_UPLOAD_FIELD = /^(?:path|tempFilePath|filepath|destination|newFilename)$/;
const UPLOADED_FILES = /^(?:req|request|ctx(?:\.request)?)\.files?\b/;
/** Calls that hand back their input's structure unchanged (object mode). */
const OBJECT_THROUGH = /^(?:JSON\.parse|json\.loads|structuredClone|dict|Object\.assign)$/;

function argumentsOf(call: SgNode): SgNode[] {
  const args = call.field('arguments');
  return args
    ? args.children().filter((c) => c.isNamed() && c.kind() !== 'comment' && c.kind() !== 'for_in_clause')
    : [];
}

function firstFlow(nodes: readonly SgNode[], options: FlowOptions, depth: number): SgNode | undefined {
  for (const node of nodes) {
    const found = requestFlow(node, options, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function isSource(text: string, options: FlowOptions): boolean {
  if (options.exclude?.test(text)) return false;
  return startsWithRequest(text, options.python) || (options.extraSource?.test(text) ?? false);
}

function callFlow(expr: SgNode, options: FlowOptions, depth: number): SgNode | undefined {
  const callee = calleeText(expr);
  const fn = expr.field('function');
  const receiver =
    fn?.kind() === 'member_expression' || fn?.kind() === 'attribute' ? fn.field('object') : null;
  const args = argumentsOf(expr).map((a) => (a.kind() === 'keyword_argument' ? (a.field('value') ?? a) : a));
  if ((options.mode ?? 'string') === 'object') {
    if (OBJECT_THROUGH.test(callee)) return firstFlow(args, options, depth);
    // `body.get("filter")` on a parsed request body hands back the nested value unchanged.
    return receiver && /\.get$/.test(callee) ? requestFlow(receiver, options, depth + 1) : undefined;
  }
  const through = options.python ? PY_STRING_THROUGH : JS_STRING_THROUGH;
  if (through.test(callee)) return firstFlow(args, options, depth);
  const methods = options.python ? PY_METHOD_THROUGH : JS_METHOD_THROUGH;
  if (receiver && /\.searchParams\.get(?:All)?$|^searchParams\.get(?:All)?$/.test(callee)) {
    // The query string of any request URL is the caller's, even when the URL itself is excluded.
    const url = requestFlow(receiver, { ...options, exclude: undefined }, depth + 1);
    if (url) return expr;
  }
  if (receiver && methods.test(callee)) {
    const fromReceiver = requestFlow(receiver, options, depth + 1);
    if (fromReceiver) return fromReceiver;
    // `"/".join([base, name])`, `a.concat(b)`: the arguments are part of the result too.
    if (/\.(?:join|concat|joinpath)$/.test(callee)) {
      const items = args.flatMap((a) =>
        a.kind() === 'list' || a.kind() === 'tuple' || a.kind() === 'array'
          ? a.children().filter((c) => c.isNamed())
          : [a],
      );
      return firstFlow(items, options, depth);
    }
  }
  return undefined;
}

/**
 * The request expression whose value reaches `node`, following local assignments, string
 * building, `||`/`??`/`or` defaults, ternaries and calls that pass their input through; undefined
 * when none does (including when a call that is not known to pass data through intervenes, such as
 * a sanitiser, a lookup or a parser).
 */
export function requestFlow(node: SgNode, options: FlowOptions, depth = 0): SgNode | undefined {
  if (depth > 8) return undefined;
  const expr = unwrap(node);
  const kind = kindOf(expr);
  const { python } = options;
  const mode = options.mode ?? 'string';
  switch (kind) {
    case 'identifier': {
      const values = assignedValues(expr.text(), expr, python);
      if (values.length === 0 && enclosingFunction(expr)) values.push(...moduleValues(expr, python));
      if (values.length > 0) return firstFlow(values, options, depth);
      if (valueSource(expr, python) === 'request') return expr;
      return !python && isDestructuredRequestPart(expr) ? expr : undefined;
    }
    case 'member_expression':
    case 'attribute':
    case 'subscript_expression':
    case 'subscript': {
      if (!python && serverUploadField(expr, options, depth)) return undefined;
      if (isSource(expr.text(), options)) return expr;
      if (options.exclude?.test(expr.text())) return undefined;
      // A lookup keyed by request data (`FILES[req.query.id]`) yields the table's value, not the key.
      const object = expr.field('object') ?? expr.field('value');
      const inner = object ? requestFlow(object, options, depth + 1) : undefined;
      // `query.to` with `query` destructured from the request: cite the property, not the container.
      return inner && object && inner.id() === unwrap(object).id() ? expr : inner;
    }
    case 'call_expression':
    case 'call':
      // `req.get("x")`, `request.args.get("x")`, `await req.json()`; not `req.query.x.replace(…)`.
      if (ACCESSOR.test(calleeText(expr)) && isSource(expr.text(), options)) return expr;
      return callFlow(expr, options, depth);
    case 'new_expression': {
      const ctor = expr.field('constructor')?.text() ?? '';
      if (!/^(?:URL|URLSearchParams)$/.test(ctor)) return undefined;
      return firstFlow(argumentsOf(expr).slice(0, 1), options, depth);
    }
    case 'binary_expression':
    case 'boolean_operator': {
      const operator =
        expr.field('operator')?.text() ??
        expr
          .children()
          .find((c) => !c.isNamed())
          ?.text();
      if (operator === '||' || operator === '??' || operator === 'or') {
        return firstFlow([expr.field('left'), expr.field('right')].filter(isNode), options, depth);
      }
      // `req.query.url + req.query.symbol` (NodeGoat's research page): no literal says it is a
      // string, but request data is text, so `+` with it builds text.
      if (operator === '+' && mode === 'string') {
        return firstFlow([expr.field('left'), expr.field('right')].filter(isNode), options, depth);
      }
      break;
    }
    case 'binary_operator': {
      // pathlib: `Path(BASE) / name`; `+` as above.
      const operator = expr
        .children()
        .find((c) => !c.isNamed())
        ?.text();
      if (python && mode === 'string' && (operator === '/' || operator === '+')) {
        return firstFlow([expr.field('left'), expr.field('right')].filter(isNode), options, depth);
      }
      break;
    }
    case 'ternary_expression':
      return firstFlow([expr.field('consequence'), expr.field('alternative')].filter(isNode), options, depth);
    case 'conditional_expression': {
      const [yes, , no] = expr.children().filter((c) => c.isNamed());
      return firstFlow([yes, no].filter(isNode), options, depth);
    }
    case 'object':
    case 'dictionary':
      if (mode !== 'object') return undefined;
      return firstFlow(
        expr
          .children()
          .filter((c) => c.kind() === 'spread_element' || c.kind() === 'dictionary_splat')
          .flatMap((c) => c.children().filter((n) => n.isNamed())),
        options,
        depth,
      );
    default:
      break;
  }
  if (mode === 'string') {
    const built = builtString(expr, python);
    if (built) return firstFlow(built.dynamic, options, depth);
  }
  return undefined;
}

/** `req.file.path`, `upload.path` with `upload = req.files.avatar[0]`: a path the server chose. */
function serverUploadField(expr: SgNode, options: FlowOptions, depth: number): boolean {
  if (kindOf(expr) !== 'member_expression') return false;
  if (!SERVER_UPLOAD_FIELD.test(expr.field('property')?.text() ?? '')) return false;
  const object = expr.field('object');
  const from = object ? requestFlow(object, options, depth + 1) : undefined;
  if (from === undefined) return false;
  if (UPLOADED_FILES.test(from.text())) return true;
  // A file-local helper's parameter, given the uploaded file by every call in the file: NodeBB's
  // `validateUpload(req, res, next, uploadedFile, …)` with `uploadedFile = req.files.files[0]`.
  if (from.kind() !== 'identifier') return false;
  const passed = helperArguments(from.text(), from, options.python);
  return (
    passed !== undefined &&
    passed.length > 0 &&
    passed.every((argument) => UPLOADED_FILES.test(requestFlow(argument, options, depth + 1)?.text() ?? ''))
  );
}

function isNode(node: SgNode | null | undefined): node is SgNode {
  return node !== null && node !== undefined;
}

/** The text of the function around `node` (the whole file at module level), for guard checks. */
export function surroundingText(node: SgNode): string {
  return (enclosingFunction(node) ?? node.getRoot().root()).text();
}
