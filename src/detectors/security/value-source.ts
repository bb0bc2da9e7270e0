import type { SgNode, SgRoot } from '@ast-grep/napi';
import type { Language } from '../../core/types.ts';
import {
  branchConditions,
  calleeText,
  enclosingFunction,
  FUNCTION_KINDS,
  kindOf,
} from '../correctness/enclosing-function.ts';
import { escapeRegExp } from '../dx/shell-quote.ts';
import { jsGate } from '../text-gate.ts';
import { bindsName, isDestructuredRequestPart, moduleValues, parametersOf } from './local-bindings.ts';

/**
 * Where a value comes from, as far as one function can tell: request data (HTTP input), a constant,
 * or something unknown (a parameter, a call result).
 */
export type ValueSource = 'request' | 'unknown' | 'constant';

const RANK: Record<ValueSource, number> = { constant: 0, unknown: 1, request: 2 };

export function worstSource(sources: Iterable<ValueSource>): ValueSource {
  let worst: ValueSource = 'constant';
  for (const source of sources) if (RANK[source] > RANK[worst]) worst = source;
  return worst;
}

const JS_REQUEST =
  /\b(?:req|request)\s*\.\s*(?:params|query|body|headers|cookies|signedCookies|files?|payload|nextUrl|url|originalUrl|path)\b|\b(?:req|request)\.(?:get|header|param)\(|\b(?:req|request)\.(?:json|formData|text)\(\)|\bctx\.(?:request|params|query|querystring|cookies|req|headers?|url|path)\b|\bctx\.get\(|\bevent\.(?:body|queryStringParameters|pathParameters|headers)\b/;
/**
 * A text gate for detectors that only report request data: a file can hold a source only if it
 * names the request (`req.`, `request.`, `ctx.`, `event.`), destructures request parts in a
 * handler's parameters (`({ query }, res) =>`), or, in Python, routes requests to a function.
 * A superset of what `startsWithRequest` and routed parameters accept.
 */
export const JS_REQUEST_GATE =
  /\b(?:req|request|ctx|event)\s*\.|\(\s*\{[^}]*\b(?:params|query|body|headers|cookies|signedCookies|files?)\b[^}]*\}[^,()]*,|['"]use server['"]|\bexport\s+(?:async\s+)?function\s+(?:GET|POST|PUT|PATCH|DELETE)\b|@(?:Param|Query|Body|Headers|Args|Payload|MessageBody)\s*\(|\{\s*input\b|\b(?:Query|Mutation)\s*:\s*\{/;
export const PY_REQUEST_GATE =
  /\brequest\.|@\s*[\w.]+\.(?:get|post|put|delete|patch|route|api_route|websocket)\s*\(/;
export const REQUEST_GATE: Partial<Record<Language, RegExp>> = {
  ...jsGate(JS_REQUEST_GATE),
  python: PY_REQUEST_GATE,
};
const PY_REQUEST =
  /\brequest\.(?:args|form|json|values|data|files|cookies|headers|GET|POST|META|COOKIES|FILES|body|query_params|path_params|get_json|match_info|query_string|full_path|get_full_path|url)\b/;

/**
 * Whether `text` starts with request data (`req.query.name`, `request.args.get("x")`,
 * `await req.json()`), as opposed to merely containing it somewhere (`lookup(req.query.id)`).
 */
export function startsWithRequest(text: string, python: boolean): boolean {
  const pattern = python ? PY_REQUEST : JS_REQUEST;
  const match = pattern.exec(text.replace(/^await\s+/, ''));
  return match?.index === 0;
}

/**
 * Names that hold SQL identifiers or placeholder lists by convention (cannot be parameterised):
 * `table`, `schema_name`, `columns`, `database`, and `indexName`, `enumName` (words as common as
 * view, index or type count only with "name"), and qualified ones such as
 * `referenced_table_name`, `primary_key_column_name`, `db_table` (Django's schema editors) or
 * `parsedTableName.database` (TypeORM's query runners). A name says what a value is, not where it
 * came from: request data under such a name is still request data.
 */
const IDENTIFIER_WORD = /^(?:table|schema|database|catalog|sequence|constraint|column|placeholder)s?$/;
const NAMED_IDENTIFIER_WORD = /^(?:view|index|trigger|enum|type)$/;

/** Whether a name (or the last segment of `a.b.c`) says it holds SQL identifiers. */
function namesIdentifier(text: string): boolean {
  const last = text.split('.').pop() ?? '';
  if (/^db_table$/i.test(last)) return true;
  const words = last
    .replace(/(?:String|Str|Text|List)$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split('_')
    .filter(Boolean);
  let word = words.pop() ?? '';
  const named = /^(?:names?|paths?)$/.test(word);
  if (named) word = words.pop() ?? '';
  return IDENTIFIER_WORD.test(word) || (named && NAMED_IDENTIFIER_WORD.test(word));
}
/** `row["table_schema"]`, `dbTable['TABLE_NAME']`: a lookup by a constant key, read by that key. */
const CONSTANT_KEY = /\[\s*(["'`])([\w.]+)\1\s*\]$/;
const CONSTANT_NAME = /^[A-Z][A-Z0-9_]*$/;
/**
 * Escaping and quoting calls, including identifier preparers (SQLAlchemy's
 * `identifier_preparer.format_table(table)`, Django's `quote_name`) and SQL sanitisers named for
 * it (Saltcorn's `db.sqlsanitize(tableName)`).
 */
const SANITISER =
  /(?:^|\.)(?:escape\w*|quote\w*|ident|literal|sqlstring\.\w+|format\.(?:ident|literal)|format_(?:table|column|schema|index|constraint|sequence|label|alias)\w*|sql_?(?:saniti[sz]e|escape|quote)\w*|sanitize_?sql\w*)$/i;
const NUMERIC =
  /^(?:Number|parseInt|parseFloat|Math\.\w+|int|float|len|bool|abs|round|String\(\w+\.length\))$/;
/**
 * The clock and fresh ids: `datetime.utcnow()` (JupyterHub's migration stamps existing users with
 * `now`), `time.time()`, `Date.now()`, `uuid.uuid4()`. Text no one outside chooses.
 */
const CLOCK_OR_ID =
  /^(?:(?:datetime\.)?(?:datetime|date)\.(?:utcnow|now|today)|time\.(?:time|monotonic)|timezone\.now|Date\.now|(?:uuid\.)?uuid[14]|crypto\.randomUUID)$/;
/** An attribute named for a count (`self.cache_bust_counter`, `stats.rowCount`): a number. */
const COUNT_NAME = /\.(?:\w*_)?(?:count|counter|total)$|\.[a-z]\w*(?:Count|Counter|Total)$/;

/**
 * `ids.map(() => '?').join(',')`, `ids.map((_, i) => `$${i + 1}`)`, `', '.join(['%s'] * len(ids))`,
 * and rows of placeholders (matrix-nio's `','.join(['(?, ?)'] * (len(data) // 2))`).
 */
const PLACEHOLDER_LIST =
  /\.map\(\s*(?:\([^)]*\)|\w+)\s*=>\s*(?:'\?'|"\?"|`\?`|`\$\$\{\s*\w+\s*(?:\+\s*\d+)?\s*\}`)\s*\)|['"](?:\?|%s|:\w+|\(\s*(?:\?|%s)(?:\s*,\s*(?:\?|%s))*\s*\))['"]\s*\]\s*\*|['"](?:\?|%s)['"]\s+for\s/;
const JS_LITERALS = new Set(['string', 'number', 'true', 'false', 'null', 'undefined', 'regex']);
const PY_LITERALS = new Set(['integer', 'float', 'true', 'false', 'none']);

/** The dynamic parts of a string being built, and its constant text. */
export interface BuiltString {
  /** Expressions interpolated or concatenated into the string. */
  dynamic: SgNode[];
  /** The literal text around them, joined. */
  literal: string;
}

export function isPython(language: Language | undefined): boolean {
  return language === 'python';
}

export function isStringLiteral(node: SgNode, python: boolean): boolean {
  if (python) {
    // `("SELECT … " # a comment\n "FROM …")`: comments between the parts change nothing.
    if (node.kind() === 'concatenated_string')
      return node.children().every((c) => c.kind() === 'comment' || isStringLiteral(c, true));
    return node.kind() === 'string' && !node.children().some((c) => c.kind() === 'interpolation');
  }
  if (node.kind() === 'string') return true;
  return (
    node.kind() === 'template_string' && !node.children().some((c) => c.kind() === 'template_substitution')
  );
}

export function literalText(node: SgNode, python: boolean): string {
  return node
    .findAll({ rule: { kind: python ? 'string_content' : 'string_fragment' } })
    .map((n) => n.text())
    .join('');
}

const WRAPPERS: ReadonlySet<string> = new Set([
  'parenthesized_expression',
  'await_expression',
  'await',
  'as_expression',
  'satisfies_expression',
  'non_null_expression',
]);

/** `node` without parentheses, `await`, `as`/`satisfies` casts and non-null assertions. */
export function unwrap(node: SgNode): SgNode {
  let current = node;
  while (WRAPPERS.has(kindOf(current))) {
    const inner = current.children().find((c) => c.isNamed() && c.kind() !== 'comment');
    if (!inner) break;
    current = inner;
  }
  return current;
}

function identifiersIn(pattern: SgNode, python: boolean): string[] {
  if (pattern.kind() === 'identifier' || pattern.kind() === 'shorthand_property_identifier_pattern') {
    return [pattern.text()];
  }
  const kinds = python
    ? [{ kind: 'identifier' }]
    : [{ kind: 'identifier' }, { kind: 'shorthand_property_identifier_pattern' }];
  return pattern
    .findAll({ rule: { any: kinds } })
    .filter((n) => n.parent()?.kind() !== 'pair_pattern' || n.parent()?.field('value')?.id() === n.id())
    .map((n) => n.text());
}

/**
 * The values assigned to `name` before `use`, in the same function (or module): declarations,
 * plain and augmented assignments, and destructuring (whose value is the whole right-hand side).
 */
export function assignedValues(name: string, use: SgNode, python: boolean): SgNode[] {
  const scope = enclosingFunction(use) ?? use.getRoot().root();
  const useStart = use.range().start.index;
  const kinds = python
    ? ['assignment', 'augmented_assignment']
    : ['variable_declarator', 'assignment_expression', 'augmented_assignment_expression'];
  const values: SgNode[] = [];
  let ancestors: Set<number> | undefined;
  // `text = text + more` extends what the earlier assignments set; it replaces nothing.
  let mention: RegExp | undefined;
  const mentions = (text: string) => {
    mention ??= new RegExp(`(?<![\\w$.])${escapeRegExp(name)}(?![\\w$])`);
    return mention.test(text);
  };
  for (const node of scope.findAll({ rule: { any: kinds.map((kind) => ({ kind })) } })) {
    // After the use, or around it (`sql = `${sql} AND …``): the use reads the earlier value.
    if (node.range().start.index >= useStart || node.range().end.index > useStart) continue;
    const target = node.field(node.kind() === 'variable_declarator' ? 'name' : 'left');
    const value = node.field(node.kind() === 'variable_declarator' ? 'value' : 'right');
    if (!target || !value) continue;
    if (!identifiersIn(target, python).includes(name)) continue;
    // `q = <built from a>` … `q = "SELECT …"` … `execute(q)`: a plain assignment that always runs
    // before the use (a statement of a block the use is inside) replaces every earlier value.
    ancestors ??= ancestorIds(use);
    // `source = highlight(source, …)` (django-debug-toolbar) replaces it too: the earlier values
    // reach the use only through that call, which decides what comes out.
    const throughCall = kindOf(unwrap(value)) === 'call' || kindOf(unwrap(value)) === 'call_expression';
    if (
      target.kind() === 'identifier' &&
      alwaysRunsBefore(node, ancestors) &&
      (throughCall || !mentions(value.text()))
    )
      values.length = 0;
    values.push(value);
  }
  // A closure's captured name: only a function inside another can capture one (a top-level
  // function's free names are the module's), so that is asked first, before the binding index.
  if (values.length === 0 && !python && scope.id() !== use.getRoot().root().id()) {
    const within = outerFunctionOf(scope);
    if (within && followsCaptures(within) && !bindsInside(scope, name, within))
      return capturedValues(name, scope, within, 0);
  }
  return values;
}

/** One JavaScript binding or assignment of a name, from the file's binding index. */
interface Binding {
  node: SgNode;
  /** Declared here (`const`/`let`/`var`, a `for … of` variable, a caught error). */
  declares: boolean;
  /** Assigned here (a declarator with a value, `=`, `+=`): its value. */
  value: SgNode | null;
  /** The target is the plain name (`x = …`), not a pattern that binds it among others. */
  plain: boolean;
  start: number;
  end: number;
}

/**
 * The bindings and assignments inside one top-level function (the outermost function around a
 * closure), by the names they bind: built once per such function, the first time a closure in it
 * looks a captured name up. Functions where no closure asks are never indexed; walking the
 * enclosing functions (and copying their text) for every name cost the bench's cold audit 1.8
 * CPU-seconds, and indexing every file whole 0.5.
 */
let bindingIndex: { root: SgRoot; byFunction: Map<number, Map<string, Binding[]>> } | undefined;

const BINDING_KINDS = [
  'variable_declarator',
  'assignment_expression',
  'augmented_assignment_expression',
  'for_in_statement',
  'catch_clause',
];

/**
 * The outermost function around `fn`, when `fn` is inside another; undefined for a top-level
 * function. Kept per function: lookups in one function share it, and each step up is a call into
 * the native tree.
 */
function outerFunctionOf(fn: SgNode): SgNode | undefined {
  const root = fn.getRoot();
  if (outermostKnown?.root !== root) outermostKnown = { root, functions: new Map() };
  const known = outermostKnown.functions;
  const id = fn.id();
  if (known.has(id)) return known.get(id) ?? undefined;
  let top: SgNode | undefined;
  for (let up = enclosingFunction(fn); up; up = enclosingFunction(up)) top = up;
  known.set(id, top ?? null);
  return top;
}

let outermostKnown: { root: SgRoot; functions: Map<number, SgNode | null> } | undefined;

function indexBindings(within: SgNode): Map<string, Binding[]> {
  const index = new Map<string, Binding[]>();
  for (const binding of within.findAll({ rule: { any: BINDING_KINDS.map((kind) => ({ kind })) } })) {
    const kind = kindOf(binding);
    const declares = kind === 'variable_declarator' || kind === 'for_in_statement' || kind === 'catch_clause';
    const target =
      kind === 'variable_declarator'
        ? binding.field('name')
        : kind === 'catch_clause'
          ? binding.field('parameter')
          : binding.field('left');
    if (!target) continue;
    const range = binding.range();
    const entry: Binding = {
      node: binding,
      declares,
      value:
        kind === 'variable_declarator'
          ? binding.field('value')
          : kind === 'for_in_statement' || kind === 'catch_clause'
            ? null
            : binding.field('right'),
      plain: target.kind() === 'identifier',
      start: range.start.index,
      end: range.end.index,
    };
    const names = target.kind() === 'identifier' ? [target.text()] : new Set(identifiersIn(target, false));
    for (const bound of names) {
      const list = index.get(bound);
      if (list) list.push(entry);
      else index.set(bound, [entry]);
    }
  }
  return index;
}

/**
 * The largest top-level function whose closures' captured names are followed. Bigger ones are
 * module wrappers (lodash is one function around 540 KB): their names are module-wide, and
 * indexing them held enough of the tree to add 25 MiB to the bench corpus's peak memory.
 */
const MAX_CAPTURE_FUNCTION = 64 * 1024;

function followsCaptures(within: SgNode): boolean {
  const range = within.range();
  return range.end.index - range.start.index <= MAX_CAPTURE_FUNCTION;
}

/** The bindings of `name` inside the top-level function `within`. */
function bindingsNamed(within: SgNode, name: string): Binding[] {
  const root = within.getRoot();
  // Only the file being read is kept: the index holds nodes, which keep the previous file's tree
  // (native memory the collector does not see) alive until the index itself goes.
  if (bindingIndex?.root !== root) bindingIndex = { root, byFunction: new Map() };
  const { byFunction } = bindingIndex;
  let index = byFunction.get(within.id());
  if (!index) {
    index = indexBindings(within);
    byFunction.set(within.id(), index);
  }
  return index.get(name) ?? [];
}

/**
 * Whether function `fn` binds `name` itself: as a parameter, a declaration, a `for … of` variable or
 * a caught error (nested functions included, which can only make this answer yes more often).
 */
function bindsInside(fn: SgNode, name: string, within: SgNode): boolean {
  if (parametersOf(fn).some((parameter) => bindsName(parameter, name))) return true;
  const range = fn.range();
  return bindingsNamed(within, name).some(
    (binding) => binding.declares && binding.start >= range.start.index && binding.end <= range.end.index,
  );
}

/** Whether `node` sits in a loop below `top` (exclusive): it may run again after a later statement. */
function inLoopBelow(node: SgNode, top: SgNode): boolean {
  for (let up = node.parent(); up && up.id() !== top.id(); up = up.parent())
    if (/^(?:for_statement|for_in_statement|while_statement|do_statement)$/.test(kindOf(up))) return true;
  return false;
}

/**
 * Whether `a` and `b` sit in different branches of one `if` (then and else), with no loop around
 * that `if` inside `scope`: in one run of `scope` at most one of them runs.
 */
function exclusiveBranches(a: SgNode, b: SgNode, scope: SgNode): boolean {
  const ancestorsOfB = ancestorIds(b);
  for (let up = a.parent(); up && up.id() !== scope.id(); up = up.parent()) {
    if (!ancestorsOfB.has(up.id())) continue;
    if (up.kind() !== 'if_statement') return false;
    const branches = [up.field('consequence'), up.field('alternative')];
    const branchOf = (n: SgNode) => {
      const ids = ancestorIds(n);
      return branches.findIndex((branch) => branch !== null && ids.has(branch.id()));
    };
    const [branchA, branchB] = [branchOf(a), branchOf(b)];
    return branchA !== -1 && branchB !== -1 && branchA !== branchB && !inLoopBelow(up, scope);
  }
  return false;
}

/**
 * The values a closure reads for `name`, which the function around it binds (`const cmd = …;
 * return new Promise((resolve) => exec(cmd, …))`; Uptime Kuma's `executablePath = "/usr/bin/chromium"`
 * read in the callback of the `apt install` it starts): every assignment there that can run before
 * the closure does, and the parameter's own value unless a statement the closure comes after always
 * replaces it. An assignment in the other branch of an `if` cannot; one after the closure can,
 * since the closure runs later. Only functions: module-level names go through `moduleValues`.
 */
function capturedValues(name: string, closure: SgNode, within: SgNode, depth: number): SgNode[] {
  const outer = enclosingFunction(closure);
  if (!outer || depth > 2) return [];
  const start = closure.range().start.index;
  const end = closure.range().end.index;
  const closureAncestors = ancestorIds(closure);
  const found: { node: SgNode; value: SgNode; nested: boolean; start: number }[] = [];
  /** The name read in a value (`x = x.trim()` keeps what `x` was; `x = "/usr/bin/chromium"` does not). */
  const readsName = new RegExp(`(?<![\\w$.])${escapeRegExp(name)}(?![\\w$])`);
  let replacedBefore = -1;
  const outerRange = outer.range();
  for (const binding of bindingsNamed(within, name)) {
    const { node, value } = binding;
    if (!value || binding.start < outerRange.start.index || binding.end > outerRange.end.index) continue;
    // Inside the closure (its own, read before), or around it (`x = () => …`).
    if (binding.start >= start && binding.end <= end) continue;
    if (binding.start < start && binding.end > start) continue;
    const nested = enclosingFunction(node)?.id() !== outer.id();
    if (!nested && exclusiveBranches(node, closure, outer)) continue;
    if (
      !nested &&
      binding.end <= start &&
      binding.plain &&
      alwaysRunsBefore(node, closureAncestors) &&
      !readsName.test(value.text())
    )
      replacedBefore = Math.max(replacedBefore, binding.start);
    found.push({ node, value, nested, start: binding.start });
  }
  const values = found
    .filter(({ nested, start: at }) => nested || at >= replacedBefore)
    .map(({ value }) => value);
  // The parameter's own value reaches the closure unless a statement before it always replaced it.
  const parameter = parametersOf(outer)
    .flatMap((p) => (p.kind() === 'identifier' ? [p] : p.findAll({ rule: { kind: 'identifier' } })))
    .find((id) => id.text() === name);
  if (parameter && replacedBefore === -1) values.push(parameter);
  if (values.length > 0 || parameter || bindsInside(outer, name, within)) return values;
  return capturedValues(name, outer, within, depth + 1);
}

const BLOCKS: ReadonlySet<string> = new Set(['statement_block', 'program', 'block', 'module']);
const SIMPLE_STATEMENTS: ReadonlySet<string> = new Set([
  'expression_statement',
  'lexical_declaration',
  'variable_declaration',
]);

function ancestorIds(node: SgNode): Set<number> {
  const ids = new Set<number>();
  for (let up = node.parent(); up; up = up.parent()) ids.add(up.id());
  return ids;
}

/** A `x = …` / `const x = …` statement directly in a block that encloses the use (no branch around it). */
function alwaysRunsBefore(assignment: SgNode, useAncestors: ReadonlySet<number>): boolean {
  if (assignment.kind() === 'augmented_assignment' || assignment.kind() === 'augmented_assignment_expression')
    return false;
  const statement = assignment.parent();
  if (!statement || !SIMPLE_STATEMENTS.has(kindOf(statement))) return false;
  const block = statement.parent();
  return block !== null && BLOCKS.has(kindOf(block)) && useAncestors.has(block.id());
}

/**
 * A decorator that routes requests to a function: Flask's `@app.route("/x")`, FastAPI's
 * `@router.get("/items/{id}")`, with a path (or an empty one under a router's prefix) first.
 * `@mock.patch("pkg.CONSTANT", …)` in a test is not one (locust's CSV stats tests).
 */
const ROUTE_DECORATOR =
  /^@\s*(?!(?:mock|unittest\.mock|mocker)\.)[\w.]+\.(?:get|post|put|delete|patch|route|api_route|websocket)\s*\(\s*(?:[rbuRBU]?['"](?:\/|['"])|path\s*=|\w+\s*[,)])/;

/** Whether `name` is a parameter of a Python function that a web framework routes requests to. */
function isRouteParameter(name: string, use: SgNode): boolean {
  const fn = enclosingFunction(use);
  if (fn?.kind() !== 'function_definition') return false;
  const decorated = fn.parent();
  if (decorated?.kind() !== 'decorated_definition') return false;
  const routed = decorated.children().some((d) => d.kind() === 'decorator' && ROUTE_DECORATOR.test(d.text()));
  // A method's own instance is never what the client sent.
  if (!routed || name === 'self' || name === 'cls') return false;
  const params = fn.field('parameters')?.children() ?? [];
  return params.some((param) => {
    const id =
      param.kind() === 'identifier' ? param : param.children().find((c) => c.kind() === 'identifier');
    if (id?.text() !== name) return false;
    return !/Depends\(|Session|Request|Response|BackgroundTasks/.test(param.text());
  });
}

/**
 * A route handler named for its HTTP method: Next.js App Router's `export async function GET(request,
 * { params })` in `route.ts`, SvelteKit's and Astro's `export async function POST({ params, request })`.
 */
const ROUTE_METHOD = /^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/;
/** The `'use server'` directive, first in a file or in a function's body. */
const USE_SERVER = /^\s*(?:\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*['"]use server['"]/;

/**
 * NestJS's parameter decorators that hand a handler what the client sent: `@Param('id') id`,
 * `@Query() dto`, `@Body() body`, `@Headers('x') x`; GraphQL's `@Args`, microservices' `@Payload`,
 * websockets' `@MessageBody`; `@Req() req` then reads like Express's request.
 */
const REQUEST_DECORATOR =
  /^@\s*(?:Param|Query|Body|Headers|Req|Request|UploadedFiles?|Ip|HostParam|Session|Cookies?|Args|Payload|MessageBody)\s*\(/;

/**
 * tRPC: `publicProcedure.input(schema).query(({ input }) => …)`. The procedure's `input` is what the
 * client sent (parsed by the schema, so of the declared type, but a string is still any string).
 */
function isTrpcInput(name: string, fn: SgNode): boolean {
  if (name !== 'input') return false;
  const [first] = parametersOf(fn);
  const pattern = first?.kind() === 'object_pattern' ? first : first?.field('pattern');
  const destructured =
    pattern?.kind() === 'object_pattern' &&
    pattern.children().some((c) => c.kind() === 'shorthand_property_identifier_pattern' && c.text() === name);
  if (!destructured) return false;
  const args = fn.parent();
  const call = args?.kind() === 'arguments' ? args.parent() : undefined;
  const callee = call?.kind() === 'call_expression' ? (call.field('function')?.text() ?? '') : '';
  return /\.(?:query|mutation|subscription)$/.test(callee) && /Procedure\b|\.input\(/.test(callee);
}

/**
 * A GraphQL resolver's arguments: `Query: { user: (parent, { id }, ctx) => … }` (Apollo, Yoga,
 * Mercurius resolver maps). The second parameter is what the query passed.
 */
function isResolverArgument(name: string, fn: SgNode): boolean {
  // The resolver: a property (`user: (…) => …`) or method (`user(…) { … }`) of the map's type.
  const member =
    fn.kind() === 'method_definition' ? fn : fn.parent()?.kind() === 'pair' ? fn.parent() : undefined;
  const map = member?.parent();
  const type = map?.kind() === 'object' ? map.parent() : undefined;
  if (
    type?.kind() !== 'pair' ||
    !/^['"]?(?:Query|Mutation|Subscription)['"]?$/.test(type.field('key')?.text() ?? '')
  )
    return false;
  return bindsName(parametersOf(fn)[1], name);
}

/** Whether `name` is a parameter of the enclosing method that a NestJS request decorator fills. */
function isDecoratedRequestParameter(name: string, fn: SgNode): boolean {
  for (const param of parametersOf(fn)) {
    const pattern = param.field('pattern') ?? param;
    if (pattern.text() !== name) continue;
    return param
      .children()
      .some((child) => child.kind() === 'decorator' && REQUEST_DECORATOR.test(child.text()));
  }
  return false;
}

/**
 * Whether `name` is a parameter the client chooses in Next.js: a route handler's parameters
 * (`GET(request, { params })` in `app/…/route.ts`: `params` holds the path's segments), or any
 * parameter of an exported Server Action (a `'use server'` module's or function's), which the
 * browser calls with the arguments it likes (`formData`).
 */
function isNextRequestParameter(name: string, fn: SgNode): boolean {
  const holder = fn.parent();
  const exported =
    holder?.kind() === 'export_statement' ||
    (holder?.kind() === 'variable_declarator' && holder.parent()?.parent()?.kind() === 'export_statement');
  if (!exported) return false;
  const fnName = fn.field('name')?.text() ?? holder?.field('name')?.text() ?? '';
  if (!ROUTE_METHOD.test(fnName) && !usesServer(fn)) return false;
  return parametersOf(fn).some((p) => bindsName(p, name));
}

/** A `'use server'` directive first in the module, or first in the function's body. */
function usesServer(fn: SgNode): boolean {
  const firstStatement = (node: SgNode | null | undefined) =>
    node
      ?.children()
      .find((c) => c.isNamed() && c.kind() !== 'comment')
      ?.text() ?? '';
  return (
    USE_SERVER.test(firstStatement(fn.getRoot().root())) || USE_SERVER.test(firstStatement(fn.field('body')))
  );
}

/**
 * The function whose parameters bind `name` (the innermost that names it in its parameter list),
 * within a few levels: where the request-parameter checks below look.
 */
function bindingFunction(name: string, use: SgNode): SgNode | undefined {
  const word = new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`);
  for (let fn = enclosingFunction(use), level = 0; fn && level < 6; fn = enclosingFunction(fn), level += 1) {
    if (word.test((fn.field('parameters') ?? fn.field('parameter'))?.text() ?? '')) return fn;
  }
  return undefined;
}

/** Whether `name`, a parameter of the function that binds it, is request data by its framework. */
function frameworkRequestParameter(name: string, use: SgNode): boolean {
  const fn = bindingFunction(name, use);
  return (
    fn !== undefined &&
    (isNextRequestParameter(name, fn) ||
      isDecoratedRequestParameter(name, fn) ||
      isTrpcInput(name, fn) ||
      isResolverArgument(name, fn))
  );
}

/**
 * Whether `part` (a name such as `precision` or `opts.limit`) sits in the body of an `if` that
 * tested it is a number: `if (typeof precision === 'number') return raw(\`…(${precision})\`)`
 * (knex), `Number.isInteger(n)`, Python's `isinstance(n, int)`. A number cannot carry SQL or shell
 * syntax. Conditions with an `||`/`or` prove nothing and are not read.
 */
export function isNumberGuarded(part: SgNode, python: boolean): boolean {
  const kind = kindOf(part);
  if (!/^(?:identifier|member_expression|attribute)$/.test(kind)) return false;
  const name = escapeRegExp(part.text());
  const guard = python
    ? new RegExp(
        String.raw`\bisinstance\(\s*${name}\s*,\s*(?:int|float|bool|\(\s*(?:int|float|bool)(?:\s*,\s*(?:int|float|bool))*\s*\))\s*\)`,
      )
    : new RegExp(
        String.raw`\btypeof\s+${name}\s*===?\s*['"](?:number|bigint|boolean)['"]|\bNumber\.is(?:Integer|SafeInteger|Finite)\(\s*${name}\s*\)`,
      );
  return branchConditions(part).some((condition) => !/\|\||\bor\b/.test(condition) && guard.test(condition));
}

/** String methods that change only case or surrounding space: the result is as safe as the string. */
const CASE_OR_SPACE =
  /\.(?:title|upper|lower|capitalize|casefold|strip|lstrip|rstrip|swapcase|toLowerCase|toUpperCase|toLocaleLowerCase|toLocaleUpperCase|trim|trimStart|trimEnd)$/;
/** The reason phrase of an HTTP status a Python framework looks up for its code. */
const STATUS_PHRASE = /(?:^|\.)(?:status_text|reason_phrase)$/;

/**
 * A type that admits a few literal values only (`'asc' | 'desc'`, `1 | 2`), or numbers and
 * booleans, which hold no quote, space or shell metacharacter (Parse Dashboard's
 * `@param {number} port` of `lsof -i :${port}`).
 */
const LITERAL = String.raw`(?:'[^'\n]*'|"[^"\n]*"|-?\d+(?:\.\d+)?|number|boolean|bigint|true|false)`;
const LITERAL_UNION = new RegExp(String.raw`^\(?\s*\|?\s*${LITERAL}(?:\s*\|\s*${LITERAL})*\s*\)?$`);

/**
 * Whether `name` is a parameter of the function around `use` whose declared type admits only
 * literal values: `dir: 'asc' | 'desc'` in TypeScript, or `@param {'instant'|'inplace'} [algorithm]`
 * in the JSDoc above the function (Ghost's `rawWithAlgorithm`). The type checker (or the documented
 * contract) keeps anything else out, so such a value cannot carry SQL or shell syntax.
 */
function literalTypedParameter(name: string, use: SgNode): boolean {
  const fn = enclosingFunction(use);
  const params = fn?.field('parameters')?.children() ?? [];
  const param = params.find((p) => (p.field('pattern') ?? p).text() === name);
  if (!fn || !param) return false;
  const annotation = param.field('type')?.text().replace(/^:\s*/, '');
  if (annotation !== undefined) return LITERAL_UNION.test(annotation);
  const doc = jsDocAbove(fn);
  const tag = new RegExp(String.raw`@param\s*\{([^{}]*)\}\s*\[?${escapeRegExp(name)}(?:[\s\]=]|$)`).exec(doc);
  return tag !== null && LITERAL_UNION.test((tag[1] ?? '').trim());
}

/** Nodes that hold a function without being a statement of their own (`const f = …`, `export …`). */
const FUNCTION_HOLDERS: ReadonlySet<string> = new Set([
  'variable_declarator',
  'lexical_declaration',
  'variable_declaration',
  'export_statement',
  'pair',
  'assignment_expression',
  'expression_statement',
  'public_field_definition',
  'field_definition',
]);

/** The `/** … *\/` comment right above a function or the declaration, export or property holding it. */
function jsDocAbove(fn: SgNode): string {
  let node = fn;
  for (let up = node.parent(); up && FUNCTION_HOLDERS.has(kindOf(up)); up = up.parent()) node = up;
  const before = node.prev();
  return before?.kind() === 'comment' && before.text().startsWith('/**') ? before.text() : '';
}

/**
 * A module of a command-line tool's commands (Scrapy's `scrapy/commands/edit.py`, Django's
 * `management/commands/`, a package's `bin/` or `cli/`, `cli.py`, `__main__.py`): what it runs is
 * what the person running the tool asked for, through its arguments, settings and environment.
 */
export const COMMAND_LINE_MODULE =
  /(?:^|\/)(?:commands?|cli|bin)\/[^/]+$|(?:^|\/)(?:cli|__main__)\.(?:py|[cm]?[jt]s)$/;

/**
 * Reads of the program's own configuration: the environment, and configuration files through
 * node-config/nconf-style getters (`config.get('smtp.ini')`), Django settings, or a property path
 * through the loaded configuration object (MeshCentral's `obj.config.settings.runonserverupdated`,
 * `this.config.editor`).
 */
const CONFIGURATION_READ =
  /^(?:process\.env\b|os\.environ\b|os\.getenv\(|(?:[\w$]+\.)?(?:config|conf|nconf|cfg)\.get\(|settings\.[A-Z]|(?:[\w$]+\.)*(?:config|conf|cfg|configuration)\.[\w$]+(?:\.[\w$]+)*$)/;

/**
 * Whether a value comes from the program's configuration, which whoever deploys and runs it
 * writes: Haraka builds `id -u ${cfg.user}` from `cfg = config.get('smtp.ini')`. Followed
 * through local assignments and property reads.
 */
export function fromConfiguration(part: SgNode, python: boolean, depth = 0): boolean {
  const expr = unwrap(part);
  const text = expr.text();
  if (CONFIGURATION_READ.test(text)) return true;
  if (depth > 3) return false;
  const values = baseValues(expr, python);
  return values.length > 0 && values.every((value) => fromConfiguration(value, python, depth + 1));
}

/**
 * The program's own place: its folder and file, the working directory, the temporary and home
 * folders (`__dirname`, `import.meta.dirname`, `process.cwd()`, `os.tmpdir()`, Python's `__file__`).
 */
const PROGRAM_LOCATION =
  /^(?:__dirname|__filename|import\.meta\.(?:dirname|filename|url)|process\.cwd\(\)|process\.execPath|(?:os\.)?(?:tmpdir|homedir)\(\)|__file__|os\.getcwd\(\)|sys\.executable|tempfile\.gettempdir\(\))$/;
/** Path functions whose result is made of their arguments (`path.join`, `os.path.dirname`). */
const PATH_FUNCTION =
  /^(?:(?:path|nodePath)\.(?:join|resolve|dirname|normalize)|join|resolve|dirname|(?:url\.)?fileURLToPath|os\.path\.(?:join|dirname|abspath|realpath|normpath))$/;

/**
 * Whether a value is a path in the program's own place, made only of that place and constants:
 * LobeChat's build script runs `rm -rf "${targetDir}"` with `targetDir = path.join(rootDir,
 * 'apps/desktop/dist/next')` and `rootDir = path.resolve(__dirname, '../..')`. Nobody outside the
 * program chooses it. Followed through local assignments.
 */
export function fromProgramLocation(part: SgNode, python: boolean, depth = 0): boolean {
  const expr = unwrap(part);
  const text = expr.text();
  if (PROGRAM_LOCATION.test(text)) return true;
  if (depth > 4) return false;
  const kind = kindOf(expr);
  const place = (node: SgNode) =>
    fromProgramLocation(node, python, depth + 1) || valueSource(node, python) === 'constant';
  if (kind === 'call_expression' || kind === 'call') {
    const callee = expr.field('function')?.text() ?? '';
    const args = callArgs(expr);
    return (
      PATH_FUNCTION.test(callee) &&
      args.length > 0 &&
      args.every(place) &&
      args.some((arg) => fromProgramLocation(arg, python, depth + 1))
    );
  }
  // A template or concatenation of the place and constants (`${root}/dist`).
  const built = builtString(expr, python);
  if (built)
    return built.dynamic.length > 0 && built.dynamic.every((d) => fromProgramLocation(d, python, depth + 1));
  if (kind !== 'identifier') return false;
  const values = assignedValues(text, expr, python);
  return values.length > 0 && values.every((value) => fromProgramLocation(value, python, depth + 1));
}

/**
 * The values assigned before `expr` to the local its text starts from: `cfg` in `cfg.user`,
 * `args` in `args[-1]`, the name itself for a plain identifier. None for `this`/`self`.
 */
export function baseValues(expr: SgNode, python: boolean): SgNode[] {
  const text = expr.text();
  const base = /^([\w$]+)(?=\s*(?:\.|\[)|$)/.exec(text)?.[1];
  if (!base || base === 'this' || base === 'self') return [];
  const anchor =
    base === text
      ? expr
      : (expr.find({ rule: { kind: 'identifier', regex: `^${escapeRegExp(base)}$` } }) ?? expr);
  return assignedValues(base, anchor, python);
}

/** Where the value of `node` comes from (following local assignments up to a few hops). */
export function valueSource(node: SgNode, python: boolean, depth = 0): ValueSource {
  const expr = unwrap(node);
  const kind = kindOf(expr);
  const text = expr.text();
  if (depth > 6) return 'unknown';
  if (isStringLiteral(expr, python) || (python ? PY_LITERALS : JS_LITERALS).has(kind)) return 'constant';
  const request = python ? PY_REQUEST : JS_REQUEST;
  const built = builtString(expr, python, depth);
  if (built) return worstSource(built.dynamic.map((d) => valueSource(d, python, depth + 1)));
  // `_insert_ignore('tags_tag', ['tag'], …)`: a list written out in a call is as constant as its
  // elements. (One bound to a name may be pushed to afterwards: that is followed elsewhere.)
  if (
    /^(?:list|tuple|array)$/.test(kind) &&
    /^(?:argument_list|arguments)$/.test(kindOf(node.parent() ?? node))
  ) {
    const elements = expr.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
    if (elements.length > 0)
      return worstSource(elements.map((element) => valueSource(element, python, depth + 1)));
  }
  // `key = item.__name__` (Manila's storage object registry): a class's or function's own name.
  if (python && kind === 'attribute' && /\.__(?:name|qualname)__$/.test(text)) return 'constant';
  switch (kind) {
    case 'identifier': {
      if (CONSTANT_NAME.test(text)) return 'constant';
      const identifier = namesIdentifier(text);
      const values = assignedValues(text, expr, python);
      if (values.length > 0) {
        const source = worstSource(values.map((v) => valueSource(v, python, depth + 1)));
        return identifier && source !== 'request' ? 'constant' : source;
      }
      if (python && isRouteParameter(text, expr)) return 'request';
      if (!python && (isDestructuredRequestPart(expr) || frameworkRequestParameter(text, expr)))
        return 'request';
      if (identifier || (!python && literalTypedParameter(text, expr))) return 'constant';
      const passed = helperArguments(text, expr, python);
      if (passed) return worstSource(passed.map((argument) => valueSource(argument, python, depth + 1)));
      const elements = loopedElements(expr, text, python);
      if (elements) return worstSource(elements.map((element) => valueSource(element, python, depth + 1)));
      return 'unknown';
    }
    case 'ternary_expression':
    case 'conditional_expression': {
      const branches = python
        ? expr
            .children()
            .filter((c) => c.isNamed())
            .filter((_, i) => i !== 1)
        : [expr.field('consequence'), expr.field('alternative')].filter((b): b is SgNode => b !== null);
      return worstSource(branches.map((b) => valueSource(b, python, depth + 1)));
    }
    case 'unary_expression':
      return /^[+\-!~]|^typeof\b/.test(text) ? 'constant' : 'unknown';
    case 'binary_expression':
    case 'binary_operator':
    case 'boolean_operator':
    case 'comparison_operator': {
      // Comparisons yield booleans; arithmetic and `||`/`??`/`or` yield one of their operands.
      const operator = python ? pyBinaryOperator(expr) : expr.field('operator')?.text();
      if (kind === 'comparison_operator' || /^(?:[=!]==?|[<>]=?|instanceof|in)$/.test(operator ?? '')) {
        return 'constant';
      }
      const operands = expr.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
      return worstSource(operands.map((o) => valueSource(o, python, depth + 1)));
    }
    case 'call_expression':
    case 'call': {
      const callee = expr.field('function')?.text() ?? '';
      if (NUMERIC.test(callee) || SANITISER.test(callee) || CLOCK_OR_ID.test(callee)) return 'constant';
      // `response.status_text.title()`: a change of case or spacing keeps what the text is.
      const receiver = expr.field('function')?.field('object');
      // `formData.get('q')` on a Server Action's argument, `url.searchParams.get('x')` on a handler's.
      if (
        !python &&
        receiver &&
        /\.(?:get|getAll|json|text|formData|entries|values)$/.test(callee) &&
        valueSource(receiver, python, depth + 1) === 'request'
      )
        return 'request';
      if (receiver && CASE_OR_SPACE.test(callee) && callArgs(expr).length === 0)
        return valueSource(receiver, python, depth + 1);
      // `max(1, min(snippet_size, 64))` (calibre): with a number among them, the result is one.
      if (/^(?:max|min)$/.test(callee) && callArgs(expr).some((arg) => /^-?\d+(?:\.\d+)?$/.test(arg.text())))
        return 'constant';
      if (returnsConstant(expr, callee, python, depth)) return 'constant';
      // `ids.map(() => '?')` interpolated is the placeholders joined with commas, like `.join(',')`.
      if (/\.(?:join|map)$/.test(callee) && PLACEHOLDER_LIST.test(text)) return 'constant';
      // `helperColumns.map((_) => '??')` interpolated: as safe as what the function returns.
      if (!python && mappedLiterals(expr)) return 'constant';
      // `name.replace('"', '""')`: SQL quote doubling, the escape for an identifier or a literal.
      if (/\.replace(?:All)?$/.test(callee) && QUOTE_DOUBLING.test(expr.field('arguments')?.text() ?? ''))
        return 'constant';
      // `stat.replace("Start", "")`, `label.slice(0, 40)`: a piece of the receiver's text, cut or
      // rewritten by constants, is as safe as the receiver (django-debug-toolbar's timer.js).
      if (
        receiver &&
        STRING_PIECE.test(callee) &&
        callArgs(expr).every((arg) => valueSource(arg, python, depth + 1) === 'constant')
      )
        return valueSource(receiver, python, depth + 1);
      // `",".join(f'"{c.replace(...)}"' for c in cols)`: as safe as the joined element.
      const joined = python && /\.join$/.test(callee) ? joinedElement(expr) : undefined;
      if (joined) return valueSource(joined, python, depth + 1);
      // `','.join(cols)`: as safe as the list joined, when the separator is written out.
      const joinedList = python && /^(?:'[^']*'|"[^"]*")\.join$/.test(callee) ? callArgs(expr) : [];
      if (joinedList.length === 1 && joinedList[0] && joinedList[0].kind() !== 'generator_expression')
        return valueSource(joinedList[0], python, depth + 1);
      // `[...ancestorColumnNames, ...descendantColumnNames].join(", ")`: as safe as the elements.
      const listed = !python && /\.join$/.test(callee) ? joinedArrayElements(expr) : undefined;
      if (listed) return worstSource(listed.map((element) => valueSource(element, python, depth + 1)));
      // `this.getTypeormMetadataTableName()`: a getter named for an identifier.
      if (request.test(text)) return 'request';
      return namesIdentifier((callee.split('.').pop() ?? '').replace(/^get_?/i, '')) ? 'constant' : 'unknown';
    }
    default:
      if (request.test(text)) return 'request';
      // Django's class-based views: `self.kwargs['pk']` holds the URL's captures.
      if (python && /^self\.kwargs\b/.test(text) && djangoViewClass(expr)) return 'request';
      if (/\.length$/.test(text) || namesIdentifier(text)) return 'constant';
      // `params.id` in `GET(req, { params })`: a part of a route handler's or Server Action's argument.
      if (!python && (kind === 'member_expression' || kind === 'subscript_expression')) {
        let object: SgNode | null = expr;
        while (object && (object.kind() === 'member_expression' || object.kind() === 'subscript_expression'))
          object = object.field('object');
        if (object?.kind() === 'identifier') {
          const root = object.text();
          // `const body = req.body as Body; … body.x`: a part of a local that holds request data.
          const held = assignedValues(root, expr, python);
          if (held.some((value) => valueSource(value, python, depth + 1) === 'request')) return 'request';
          // `({ query }, res) => … query.q`: a part of a request part the handler destructured.
          if (isDestructuredRequestPart(object) || frameworkRequestParameter(root, expr)) return 'request';
        }
      }
      // `self.cache_bust_counter`, `stats.total`: a count is a number, whoever set it.
      if (COUNT_NAME.test(text)) return 'constant';
      // Django REST framework's `response.status_text`: the phrase of the status code ("Not Found").
      if (python && STATUS_PHRASE.test(text)) return 'constant';
      if (namesIdentifier(CONSTANT_KEY.exec(text)?.[2] ?? '')) return 'constant';
      if (/^[A-Z][A-Z0-9_]*(?:\.\w+)+$/.test(text)) return 'constant';
      // `MetadataTableType_1.MetadataTableType.VIEW`: a member of an enum or a constants object.
      if (/^[\w$]+(?:\.[\w$]+)*\.[A-Z][A-Z0-9_]*$/.test(text)) return 'constant';
      if (looksUpConstantTable(expr, python, depth)) return 'constant';
      {
        const property = python ? undefined : localObjectProperty(expr);
        if (property) return valueSource(property, python, depth + 1);
      }
      return 'unknown';
  }
}

/**
 * `scopeFilter.sql` where this function wrote `const scopeFilter = { sql: …, bindings: … }` (Ghost's
 * comment threads): the value written for that property, when the object is written once here.
 */
function localObjectProperty(expr: SgNode): SgNode | undefined {
  if (expr.kind() !== 'member_expression') return undefined;
  const object = expr.field('object');
  const property = expr.field('property')?.text();
  if (object?.kind() !== 'identifier' || !property) return undefined;
  const values = assignedValues(object.text(), object, false);
  const literal = values.length === 1 ? values[0] : undefined;
  return literal?.kind() === 'object' ? pairValue(literal, property) : undefined;
}

/** The value written for `key` in a JS object literal (`{ key: …, 'key': … }`), if there is one. */
export function pairValue(object: SgNode, key: string): SgNode | undefined {
  const pair = object.children().find(
    (child) =>
      child.kind() === 'pair' &&
      child
        .field('key')
        ?.text()
        .replace(/^['"]|['"]$/g, '') === key,
  );
  return pair?.field('value') ?? undefined;
}

function callArgs(call: SgNode): SgNode[] {
  return (
    call
      .field('arguments')
      ?.children()
      .filter((c) => c.isNamed() && c.kind() !== 'comment') ?? []
  );
}

/** The name a parameter binds (`cols`, `cols=()`, `cols: list`, `{ cols }` aside), if plain. */
function parameterName(parameter: SgNode): string | undefined {
  if (parameter.kind() === 'identifier') return parameter.text();
  const named =
    parameter.field('name') ?? parameter.field('left') ?? parameter.field('pattern') ?? parameter.child(0);
  return named?.kind() === 'identifier' ? named.text() : undefined;
}

/** A parameter's default value (`cols=()`, `cols = []`), if any. */
function parameterDefault(parameter: SgNode): SgNode | undefined {
  return parameter.field('value') ?? parameter.field('right') ?? undefined;
}

/** Whether a Python function is a method whose first parameter is the instance or the class. */
function takesReceiver(fn: SgNode): boolean {
  const decorated = fn.parent()?.kind() === 'decorated_definition' ? fn.parent() : undefined;
  if (
    decorated
      ?.children()
      .some((child) => child.kind() === 'decorator' && /^@staticmethod\b/.test(child.text()))
  )
    return false;
  const block = (decorated ?? fn).parent();
  return block?.kind() === 'block' && block.parent()?.kind() === 'class_definition';
}

/**
 * `cols` in graphite's `def _insert_ignore(table, cols, data)`: a parameter of a private helper
 * (named with a leading `_`, or `#` in a JavaScript class) that this file calls. Nothing outside
 * the file calls it, so what it receives is what each call here passes: those arguments (or the
 * default). Undefined when the function is public or uncalled here, or a call spreads arguments.
 */
export function helperArguments(name: string, use: SgNode, python: boolean): SgNode[] | undefined {
  const fn = enclosingFunction(use);
  const fnName = fn?.field('name')?.text() ?? '';
  if (!fn || fnName === '' || /^__\w+__$/.test(fnName)) return undefined;
  if (!/^[_#]/.test(fnName) && (python || !onlyCalledHere(fnName, fn))) return undefined;
  // `export function _helper`: other modules may call it with anything.
  if (fn.parent()?.kind() === 'export_statement') return undefined;
  const parameters = parametersOf(fn);
  const declared = parameters.findIndex((parameter) => parameterName(parameter) === name);
  if (declared === -1) return undefined;
  const position = python && takesReceiver(fn) ? declared - 1 : declared;
  if (position < 0) return undefined;
  const calls = fn
    .getRoot()
    .root()
    .findAll({
      rule: {
        kind: python ? 'call' : 'call_expression',
        has: { field: 'function', regex: `(?:^|\\.)${escapeRegExp(fnName)}$` },
      },
    });
  if (calls.length === 0) return undefined;
  const out: SgNode[] = [];
  for (const call of calls) {
    const args = callArgs(call);
    if (args.some((arg) => /^(?:list_splat|dictionary_splat|spread_element)$/.test(String(arg.kind()))))
      return undefined;
    const keyword = python
      ? args.find((arg) => arg.kind() === 'keyword_argument' && arg.field('name')?.text() === name)
      : undefined;
    const value =
      keyword?.field('value') ??
      args.filter((arg) => arg.kind() !== 'keyword_argument')[position] ??
      parameterDefault(parameters[declared] as SgNode);
    if (!value) return undefined;
    out.push(value);
  }
  return out;
}

/** String methods whose result is a piece of the receiver's text, given constant arguments. */
const STRING_PIECE =
  /\.(?:replace|replaceAll|slice|substring|substr|trim|trimStart|trimEnd|padStart|padEnd|strip|lstrip|rstrip|removeprefix|removesuffix)$/;

/**
 * A JavaScript function declaration (`function addRow(tbody, stat, endStat)` in django-debug-toolbar's
 * timer.js) whose name the file uses only to call it: not exported, not handed on as a value, so
 * every call that reaches it is one of this file's.
 */
function onlyCalledHere(fnName: string, fn: SgNode): boolean {
  if (fn.kind() !== 'function_declaration' || fn.parent()?.kind() === 'export_statement') return false;
  const text = fn.getRoot().root().text();
  const escaped = escapeRegExp(fnName);
  const mentions = text.match(new RegExp(`(?<![\\w$.])${escaped}(?![\\w$])`, 'g'))?.length ?? 0;
  const calls = text.match(new RegExp(`(?<![\\w$.])${escaped}\\s*\\(`, 'g'))?.length ?? 0;
  // The declaration's own `addRow(` is one of the calls counted, and one of the mentions.
  return calls >= 2 && mentions === calls;
}

/** Whether `node` is in a Django (or DRF) class-based view: a class whose bases end in View or ViewSet. */
function djangoViewClass(node: SgNode): boolean {
  const cls = enclosingClass(node, true);
  const bases = cls?.field('superclasses')?.text() ?? '';
  return /\b\w*(?:View|ViewSet)\b/.test(bases);
}

/** The class `node` is written in (Python's `class_definition`, a JavaScript class), if any. */
export function enclosingClass(node: SgNode, python: boolean): SgNode | undefined {
  const kinds = python ? ['class_definition'] : ['class_declaration', 'class'];
  for (let up = node.parent(); up; up = up.parent()) if (kinds.includes(String(up.kind()))) return up;
  return undefined;
}

/**
 * Whether `callee` names a function of this file that only returns constants: calibre's
 * `table_definition()`, which returns its `CREATE TABLE` text, prefixed to every statement; or a
 * method of the caller's own class called through `self.`, `cls.` or `this.` (graphite's
 * `self._regexp_operator(connection)`, `'REGEXP'` or `'~*'` by database vendor).
 */
function returnsConstant(call: SgNode, callee: string, python: boolean, depth: number): boolean {
  if (depth > 4) return false;
  const method = /^(?:self|cls|this)\.([A-Za-z_$][\w$]*)$/.exec(callee)?.[1];
  if (method === undefined && !/^[A-Za-z_$][\w$]*$/.test(callee)) return false;
  const within = method === undefined ? call.getRoot().root() : enclosingClass(call, python);
  const name = `^${escapeRegExp(method ?? callee)}$`;
  const definition =
    within?.find({
      rule: {
        kind: python
          ? 'function_definition'
          : method === undefined
            ? 'function_declaration'
            : 'method_definition',
        has: { field: 'name', regex: name },
      },
    }) ??
    // `const parseLocaltime = (type) => { … }` (Directus's SQL dialects): a function held by a constant.
    (python || method !== undefined
      ? undefined
      : within
          ?.find({
            rule: {
              kind: 'variable_declarator',
              has: { field: 'name', regex: name },
              inside: { kind: 'lexical_declaration', regex: '^const\\b' },
            },
          })
          ?.field('value'));
  if (!definition || !FUNCTION_KINDS.has(kindOf(definition))) return false;
  // `(type) => type === 'x' ? '…' : ''`: an arrow's expression body is what it returns.
  const body = definition.field('body');
  if (definition.kind() === 'arrow_function' && body && body.kind() !== 'statement_block')
    return valueSource(body, python, depth + 1) === 'constant';
  const returns = definition
    .findAll({ rule: { kind: 'return_statement' } })
    .filter((statement) => enclosingFunction(statement)?.id() === definition.id());
  return (
    returns.length > 0 &&
    returns.every((statement) => {
      const value = statement.children().find((child) => child.isNamed() && child.kind() !== 'comment');
      return value !== undefined && valueSource(value, python, depth + 1) === 'constant';
    })
  );
}

/**
 * `{True: 'true', False: 'false', None: 'null'}[value]`: a lookup in a literal table whose values
 * are all constants yields one of them, whatever the key.
 */
function looksUpConstantTable(expr: SgNode, python: boolean, depth: number): boolean {
  const kind = expr.kind();
  if (kind !== 'subscript' && kind !== 'subscript_expression') return false;
  const object = expr.field(python ? 'value' : 'object');
  const named = object ? unwrap(object) : undefined;
  const table = python && named ? (classTable(named) ?? named) : named;
  // `_CREATE_TABS = dict(_CREATE_SCRIPTS)` over a class attribute holding literal pairs (fail2ban's
  // database schema): as constant as those pairs.
  if (python && table?.kind() === 'call' && table.field('function')?.text() === 'dict') {
    const [pairs] = callArgs(table);
    const listed = pairs?.kind() === 'identifier' ? classAttribute(table, pairs.text()) : pairs;
    return (
      listed !== undefined &&
      SEQUENCE_LITERALS.has(kindOf(listed)) &&
      listed
        .children()
        .filter((child) => child.isNamed() && child.kind() !== 'comment')
        .every(
          (pair) =>
            SEQUENCE_LITERALS.has(kindOf(pair)) &&
            pair
              .children()
              .filter((element) => element.isNamed() && element.kind() !== 'comment')
              .every((element) => valueSource(element, python, depth + 1) === 'constant'),
        )
    );
  }
  if (table?.kind() !== (python ? 'dictionary' : 'object')) return false;
  const pairs = table.children().filter((child) => child.isNamed() && child.kind() !== 'comment');
  return (
    pairs.length > 0 &&
    pairs.every((pair) => {
      const value = pair.kind() === 'pair' ? pair.field('value') : null;
      return value !== null && valueSource(value, python, depth + 1) === 'constant';
    })
  );
}

/**
 * `self._standard_operators` where the enclosing class body says `_standard_operators = {…}`
 * (Django's database backends): the literal table a class attribute holds, or undefined.
 */
function classTable(attribute: SgNode): SgNode | undefined {
  if (attribute.kind() !== 'attribute') return undefined;
  const owner = attribute.field('object')?.text();
  const name = attribute.field('attribute')?.text();
  const own = enclosingClass(attribute, true)?.field('name')?.text();
  if ((owner !== 'self' && owner !== 'cls' && owner !== own) || !name) return undefined;
  const value = classAttribute(attribute, name);
  return value?.kind() === 'dictionary' ||
    (value?.kind() === 'call' && value.field('function')?.text() === 'dict')
    ? value
    : undefined;
}

/** What the body of the class around `node` assigns to `name` (`_standard_operators = {…}`), if anything. */
function classAttribute(node: SgNode, name: string): SgNode | undefined {
  const body = enclosingClass(node, true)?.field('body');
  for (const statement of body?.children() ?? []) {
    const assignment = statement.kind() === 'expression_statement' ? statement.child(0) : undefined;
    if (assignment?.kind() !== 'assignment' || assignment.field('left')?.text() !== name) continue;
    return assignment.field('right') ?? undefined;
  }
  return undefined;
}

const SEQUENCE_LITERALS: ReadonlySet<string> = new Set(['list', 'tuple', 'array']);

/** The elements of `[a, ...b].join(sep)` (spreads read as the spread list), or undefined. */
function joinedArrayElements(call: SgNode): SgNode[] | undefined {
  let array = call.field('function')?.field('object');
  // `[a, b].filter(Boolean).join(' ')`: the elements kept are some of those written.
  while (array?.kind() === 'call_expression' && /\.filter$/.test(array.field('function')?.text() ?? ''))
    array = array.field('function')?.field('object');
  return array ? listElements(array) : undefined;
}

/** The elements of a list written out here, grown here, declared at module level or cut from one by constants. */
function listElements(array: SgNode): SgNode[] | undefined {
  if (array.kind() === 'identifier') {
    // `names = LIST.map((p) => p.replace(/@[^@/]+$/, ''))`: each element cut by constants.
    const assigned = assignedValues(array.text(), array, false);
    const [mapped] = assigned;
    const edited = mapped ? editedElements(mapped) : undefined;
    if (edited) return edited;
    // `const marks = keys.map((key) => '?')`: what the mapping function returns.
    const returned =
      assigned.length === 1 && mapped?.kind() === 'call_expression' ? mappedLiterals(mapped) : undefined;
    // What the function pushes onto it later counts too (`sets.push(`updated_at = '${…}'`)`).
    if (returned) return grownElements(array, returned);
    return grownArrayElements(array) ?? moduleArrayElements(array);
  }
  if (array.kind() === 'call_expression') return mappedLiterals(array);
  return array.kind() === 'array' ? elementsOf(array) : undefined;
}

/**
 * `columns.map((col) => (isObject(col) ? '?' : '??'))` (Objection's composite where-in, a
 * placeholder per column): the elements of a list mapped by a function written here are what that
 * function returns, its expression body or the value of each of its own returns. Only a function
 * that returns text written out (literals, or placeholders mapped and joined the same way) counts:
 * one that returns a value read from the item (`(f) => `${f.column} = ?``) is judged as before.
 */
function mappedLiterals(call: SgNode, depth = 0): SgNode[] | undefined {
  if (depth > 3 || !/\.map$/.test(call.field('function')?.text() ?? '')) return undefined;
  const [callback] = callArgs(call);
  if (!callback || !/^(?:arrow_function|function_expression)$/.test(kindOf(callback))) return undefined;
  const body = callback.field('body');
  if (!body) return undefined;
  const values =
    body.kind() !== 'statement_block'
      ? [body]
      : body
          .findAll({ rule: { kind: 'return_statement' } })
          .filter((statement) => enclosingFunction(statement)?.id() === callback.id())
          .map((statement) =>
            statement.children().find((child) => child.isNamed() && child.kind() !== 'comment'),
          );
  if (values.length === 0) return undefined;
  const written: SgNode[] = [];
  for (const value of values) {
    if (!value || !writtenText(value, depth + 1)) return undefined;
    written.push(value);
  }
  return written;
}

/** Text written out: a literal, a choice of literals, or literals and mapped placeholder lists joined. */
function writtenText(node: SgNode, depth: number): boolean {
  const expr = unwrap(node);
  const kind = kindOf(expr);
  if (isStringLiteral(expr, false) || JS_LITERALS.has(kind)) return true;
  if (kind === 'ternary_expression') {
    const branches = [expr.field('consequence'), expr.field('alternative')];
    return branches.every((branch) => branch !== null && writtenText(branch, depth));
  }
  if (kind === 'template_string' || kind === 'binary_expression') {
    const built = builtString(expr, false);
    return built?.dynamic.every((part) => writtenText(part, depth)) ?? false;
  }
  if (kind !== 'call_expression') return false;
  if (mappedLiterals(expr, depth)) return true;
  const receiver = expr.field('function')?.field('object');
  return (
    /\.join$/.test(calleeText(expr)) &&
    receiver?.kind() === 'call_expression' &&
    mappedLiterals(receiver, depth) !== undefined &&
    callArgs(expr).every((arg) => isStringLiteral(arg, false))
  );
}

/** `list.map(function (x) { return x.replace(…) })`: the list's elements, when each is only cut by constants. */
function editedElements(call: SgNode): SgNode[] | undefined {
  if (call.kind() !== 'call_expression' || !/\.map$/.test(call.field('function')?.text() ?? ''))
    return undefined;
  const list = call.field('function')?.field('object');
  const [callback] = callArgs(call);
  if (!list || !callback || !/^(?:arrow_function|function_expression)$/.test(kindOf(callback)))
    return undefined;
  const param = (
    callback.field('parameter') ??
    callback
      .field('parameters')
      ?.children()
      .find((c) => c.kind() === 'identifier')
  )?.text();
  const body = callback.field('body');
  const statements =
    body?.kind() === 'statement_block'
      ? body.children().filter((c) => c.isNamed() && c.kind() !== 'comment')
      : body
        ? [body]
        : [];
  const [only] = statements;
  const returned =
    statements.length === 1 && only?.kind() === 'return_statement'
      ? only.children().find((c) => c.isNamed())
      : only;
  if (!param || returned?.kind() !== 'call_expression') return undefined;
  const fn = returned.field('function');
  if (fn?.field('object')?.text() !== param || !STRING_PIECE.test(fn.text())) return undefined;
  if (!callArgs(returned).every((arg) => valueSource(arg, false) === 'constant')) return undefined;
  return listElements(list);
}

/**
 * `OTEL_PACKAGES.join(' ')` with `var OTEL_PACKAGES = ['@opentelemetry/api@1.9.1', …]` at the top
 * of the file (pm2's OtelManager): a module-level list written out once, and not changed anywhere
 * in the file, has the elements written.
 */
function moduleArrayElements(list: SgNode): SgNode[] | undefined {
  if (assignedValues(list.text(), list, false).length > 0) return undefined;
  const declared = moduleValues(list, false);
  if (declared.length !== 1 || declared[0]?.kind() !== 'array') return undefined;
  const escaped = escapeRegExp(list.text());
  const text = list.getRoot().root().text();
  // Assigned only by its declaration, and never pushed to or spliced.
  const assignments =
    text.match(new RegExp(String.raw`(?<![\w$.])${escaped}\s*(?:\[[^\]]*\]\s*)?=(?!=)`, 'g')) ?? [];
  const changed = new RegExp(
    String.raw`(?<![\w$.])${escaped}\.(?:push|unshift|splice|fill|copyWithin|length\s*=)`,
  ).test(text);
  return assignments.length === 1 && !changed ? elementsOf(declared[0]) : undefined;
}

function elementsOf(array: SgNode): SgNode[] {
  return array
    .children()
    .filter((child) => child.isNamed() && child.kind() !== 'comment')
    .map((child) =>
      child.kind() === 'spread_element' ? (child.children().find((c) => c.isNamed()) ?? child) : child,
    );
}

/**
 * The elements of a list the function builds itself: declared as an array literal (often `[]`)
 * and then only pushed to, as Ghost's batched update builds `emailCountCases.push(\`WHEN ? THEN ?\`)`
 * before `CASE id ${emailCountCases.join(' ')} END`. Undefined when the list comes from
 * elsewhere or is changed any other way (an index assignment, `splice`).
 */
function grownArrayElements(list: SgNode): SgNode[] | undefined {
  const declared = assignedValues(list.text(), list, false);
  if (declared.length !== 1 || declared[0]?.kind() !== 'array') return undefined;
  return grownElements(list, elementsOf(declared[0]));
}

/**
 * The elements of the list `list` names, starting from `initial`, with what its function pushes or
 * unshifts onto it; undefined when an element is set by index or spliced in.
 */
function grownElements(list: SgNode, initial: SgNode[]): SgNode[] | undefined {
  const name = list.text();
  const scope = enclosingFunction(list) ?? list.getRoot().root();
  const escaped = escapeRegExp(name);
  if (
    new RegExp(String.raw`\b${escaped}\s*\[[^\]]*\]\s*=[^=]|\b${escaped}\.(?:splice|fill|copyWithin)\(`).test(
      scope.text(),
    )
  )
    return undefined;
  const added = scope
    .findAll({ rule: { kind: 'call_expression', regex: String.raw`^${escaped}\.(?:push|unshift)\(` } })
    .flatMap((call) => elementsOf(call.field('arguments') ?? call));
  return [...initial, ...added];
}

/**
 * `for test in tests:` over `tests = ["len(engine.downloader.active)", …]` (a literal list in this
 * function, or written in the loop header): the loop variable is one of the list's elements.
 */
function loopedElements(use: SgNode, name: string, python: boolean): SgNode[] | undefined {
  for (let up = use.parent(); up; up = up.parent()) {
    const kind = up.kind();
    // A loop outside the function that holds the use binds another variable of that name.
    if (FUNCTION_KINDS.has(String(kind))) return undefined;
    if (kind !== (python ? 'for_statement' : 'for_in_statement')) continue;
    if (up.field('left')?.text() !== name) continue;
    const iterable = up.field('right');
    if (!iterable) return undefined;
    const literal =
      iterable.kind() === 'identifier'
        ? (() => {
            const values = assignedValues(iterable.text(), iterable, python);
            return values.length === 1 ? values[0] : undefined;
          })()
        : iterable;
    if (!literal || !SEQUENCE_LITERALS.has(String(literal.kind()))) return undefined;
    return literal.children().filter((child) => child.isNamed() && child.kind() !== 'comment');
  }
  return undefined;
}

const QUOTE_DOUBLING =
  /^\(\s*(?:'"'\s*,\s*'""'|"'"\s*,\s*"''"|"\\""\s*,\s*"\\"\\""|'\\''\s*,\s*'\\'\\'')\s*\)$/;

/** The element expression of `sep.join(<element> for x in xs)` / `sep.join([<element> for …])`. */
function joinedElement(call: SgNode): SgNode | undefined {
  const args = call.field('arguments');
  const generator =
    args?.kind() === 'generator_expression'
      ? args
      : args
          ?.children()
          .find((c) => c.kind() === 'generator_expression' || c.kind() === 'list_comprehension');
  return generator?.field('body') ?? undefined;
}

/** A `%` placeholder: `%(name)`, flags, width, precision, length modifier, conversion. */
export const PERCENT_PLACEHOLDER = /%(?:\(([^)]*)\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([a-zA-Z%])/g;
const NUMERIC_CONVERSIONS: ReadonlySet<string> = new Set('diouxXeEfFgG');

/**
 * For a `format % values` string, whether each placeholder formats a number, in order and by
 * name; undefined when a `*` width or precision takes values of its own.
 */
function numericPlaceholders(format: string): { order: boolean[]; named: Map<string, boolean> } | undefined {
  const order: boolean[] = [];
  const named = new Map<string, boolean>();
  for (const match of format.matchAll(PERCENT_PLACEHOLDER)) {
    const conversion = match[4] ?? '';
    if (conversion === '%') continue;
    if (match[2] === '*' || match[3] === '*') return undefined;
    const numeric = NUMERIC_CONVERSIONS.has(conversion);
    const name = match[1];
    if (name === undefined) order.push(numeric);
    else named.set(name, (named.get(name) ?? true) && numeric);
  }
  return { order, named };
}

function pyBinaryOperator(node: SgNode): string | undefined {
  return node
    .children()
    .find((c) => !c.isNamed())
    ?.text();
}

/**
 * When `node` builds a string from non-literal parts (template literal, f-string, `+`
 * concatenation, `%` or `.format()` formatting), those parts and the literal text; undefined
 * when it is a plain literal or not string building at all. Local variables are followed.
 */
export function builtString(node: SgNode, python: boolean, depth = 0): BuiltString | undefined {
  const expr = unwrap(node);
  const kind = expr.kind();
  if (depth > 6) return undefined;
  if (!python && kind === 'template_string') {
    const dynamic = expr
      .children()
      .filter((c) => c.kind() === 'template_substitution')
      .flatMap((c) => c.children().filter((n) => n.isNamed()));
    return dynamic.length > 0 ? { dynamic, literal: literalText(expr, python) } : undefined;
  }
  if (python && kind === 'string') {
    const dynamic = expr
      .children()
      .filter((c) => c.kind() === 'interpolation')
      .flatMap((c) =>
        c
          .children()
          .filter((n) => n.isNamed())
          .slice(0, 1),
      );
    return dynamic.length > 0 ? { dynamic, literal: literalText(expr, python) } : undefined;
  }
  if (python && kind === 'concatenated_string') {
    const parts = expr.children().map((c) => builtString(c, true, depth + 1));
    const dynamic = parts.flatMap((p) => p?.dynamic ?? []);
    return dynamic.length > 0 ? { dynamic, literal: literalText(expr, python) } : undefined;
  }
  const operator = python ? pyBinaryOperator(expr) : expr.field('operator')?.text();
  if ((kind === 'binary_expression' || kind === 'binary_operator') && operator === '+') {
    const operands = flattenPlus(expr, python);
    if (!operands.some((o) => isStringLiteral(o, python) || builtString(o, python, depth + 1)))
      return undefined;
    const dynamic: SgNode[] = [];
    let literal = '';
    for (const operand of operands) {
      if (isStringLiteral(operand, python)) {
        literal += literalText(operand, python);
        continue;
      }
      const inner = builtString(operand, python, depth + 1);
      if (inner) {
        dynamic.push(...inner.dynamic);
        literal += inner.literal;
      } else dynamic.push(operand);
    }
    return dynamic.length > 0 ? { dynamic, literal } : undefined;
  }
  if (python && kind === 'binary_operator' && operator === '%') {
    // By field, not position: `query % \` then the values on the next line puts a
    // `line_continuation` among the named children (Swift's account broker).
    const left = expr.field('left');
    // `'<a href="%s">%s</a>' % ((escape(url), escape(data)))` (Horizon's table cells): the tuple
    // in extra parentheses is still the tuple of values, not one value.
    const operand = expr.field('right');
    const right = operand ? unwrap(operand) : undefined;
    if (!left || !right || !isStringLiteral(left, true)) return undefined;
    const literal = literalText(left, true);
    const numeric = numericPlaceholders(literal);
    // A value formatted as a number (`%d`, `%.2f`) puts digits in the string, never text.
    const dynamic =
      right.kind() === 'tuple'
        ? right
            .children()
            .filter((c) => c.isNamed())
            .filter(
              (_value, index, values) => !(numeric?.order.length === values.length && numeric.order[index]),
            )
        : right.kind() === 'dictionary'
          ? right
              .findAll({ rule: { kind: 'pair' } })
              .filter((pair) => {
                const key = pair.field('key');
                return !(
                  key &&
                  isStringLiteral(key, true) &&
                  numeric?.named.get(literalText(key, true)) === true
                );
              })
              .flatMap((p) => (p.field('value') ? [p.field('value')!] : []))
          : numeric?.order.length === 1 && numeric.order[0] && numeric.named.size === 0
            ? []
            : [right];
    return { dynamic, literal };
  }
  if (python && kind === 'call') {
    const fn = expr.field('function');
    const object = fn?.kind() === 'attribute' ? fn.field('object') : null;
    if (fn?.field('attribute')?.text() === 'format' && object && isStringLiteral(object, true)) {
      const args =
        expr
          .field('arguments')
          ?.children()
          .filter((c) => c.isNamed()) ?? [];
      const dynamic = args.map((a) => (a.kind() === 'keyword_argument' ? (a.field('value') ?? a) : a));
      return dynamic.length > 0 ? { dynamic, literal: literalText(object, true) } : undefined;
    }
    return undefined;
  }
  if (kind === 'identifier') {
    const name = expr.text();
    const values = assignedValues(name, expr, python);
    const accumulated = accumulatedString(name, values, python, depth);
    if (accumulated) return accumulated;
    const parts = values.map((v) => builtString(v, python, depth + 1));
    if (!parts.some((p) => p !== undefined)) return undefined;
    return {
      dynamic: parts.flatMap((p) => p?.dynamic ?? []),
      literal: values.map((v, i) => parts[i]?.literal ?? literalText(v, python)).join(' '),
    };
  }
  return undefined;
}

/**
 * A string a variable accumulates: set once, then extended (`var text = i18n.msg._('…')`, then
 * `text = text + _.template(…)(…)` in Jupyter Notebook's about dialog). Its pieces are every
 * value set and every piece added, the name inside its own assignments standing for the earlier
 * ones. Undefined unless the values both set and extend it.
 */
function accumulatedString(
  name: string,
  values: readonly SgNode[],
  python: boolean,
  depth: number,
): BuiltString | undefined {
  const self = (node: SgNode) => unwrap(node).kind() === 'identifier' && unwrap(node).text() === name;
  const added = values.map((value) => {
    const operands = flattenPlus(value, python);
    return operands.length > 1 && operands.some(self)
      ? operands.filter((operand) => !self(operand))
      : undefined;
  });
  if (!added.some(Boolean) || added.every(Boolean)) return undefined;
  const dynamic: SgNode[] = [];
  const literal: string[] = [];
  values.forEach((value, index) => {
    for (const piece of added[index] ?? [value]) {
      if (isStringLiteral(piece, python)) {
        literal.push(literalText(piece, python));
        continue;
      }
      const inner = builtString(piece, python, depth + 1);
      if (inner) {
        dynamic.push(...inner.dynamic);
        literal.push(inner.literal);
      } else dynamic.push(piece);
    }
  });
  return { dynamic, literal: literal.join('') };
}

function flattenPlus(node: SgNode, python: boolean): SgNode[] {
  const expr = unwrap(node);
  const kind = expr.kind();
  const operator = python ? pyBinaryOperator(expr) : expr.field('operator')?.text();
  if ((kind === 'binary_expression' || kind === 'binary_operator') && operator === '+') {
    const [left, right] = [expr.field('left'), expr.field('right')];
    return [...(left ? flattenPlus(left, python) : []), ...(right ? flattenPlus(right, python) : [])];
  }
  return [expr];
}
