import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { jsAndPython, jsMethodCall } from '../call-rules.ts';
import {
  enclosingFunction,
  FUNCTION_KINDS,
  JS_FUNCTION_KINDS,
  kindOf,
  PYTHON_FUNCTION_KINDS,
} from '../correctness/enclosing-function.ts';
import { findingAt, lineOf } from '../correctness/finding-at.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { contains, enclosingRepetition, type Repetition } from './enclosing-loop.ts';

const JS_ARRAY_CALL =
  /^(?:Array\.(?:from|of)|Object\.(?:keys|values|entries))$|\.(?:map|filter|slice|concat|flat|flatMap|toSorted|findMany|findAll)$/;
const JS_LITERAL_ELEMENT = new Set(['string', 'number', 'true', 'false', 'null']);
/**
 * Key-like property names. `name` is apart: a join on it is nearly always a look-up in a registry
 * of named things (schema fields, modules, middleware, locales: Apostrophe's `fields.find((f) =>
 * f.name === name)`), which is as large as its configuration, not as its data.
 */
const DATA_KEY = String.raw`\w*(?:[iI]d|ID|[kK]ey|[pP]ath|[eE]mail|[sS]lug|[cC]ode|[uU]rl|[uU]uid)`;
const NAME_KEY = String.raw`\w*[nN]ame`;
/** A callback comparing a key-like property of each element: `(u) => u.id === order.userId`. */
const keyJoin = (key: string) =>
  new RegExp(String.raw`=>[\s\S]*(?:\.${key}\s*[!=]==?|[!=]==?\s*[\w.]*\.${key}\b)`);
/** A membership probe by key: `ids.includes(order.userId)`. */
const keyProbe = (key: string) => new RegExp(String.raw`^\(\s*[\w.]*\.${key}\s*\)$`);
/** Python: the probed value is a key-like attribute (`row.email`, `order.user_id`). */
const pyKeyProbe = (key: string) => new RegExp(String.raw`^[\w.]*\.${key}$`);
const KEY_JOIN = keyJoin(DATA_KEY);
const KEY_PROBE = keyProbe(DATA_KEY);
const PY_KEY_PROBE = pyKeyProbe(DATA_KEY);
const NAME_JOIN = keyJoin(NAME_KEY);
const NAME_PROBE = keyProbe(NAME_KEY);
const PY_NAME_PROBE = pyKeyProbe(NAME_KEY);
const SET_LIKE = /^new\s+(?:Set|Map|WeakSet|WeakMap)\b|^(?:set|frozenset|dict)\(|^\{/;

/** A declaration or assignment of `name` in one scope (its value node, or a parameter's type). */
interface Binding {
  node: SgNode;
  value?: SgNode;
  type?: string;
}

/** Declarations and assignments per scope and name, found once per file (rules call this per match). */
const declarations = new WeakMap<FileInput, Map<number, Map<string, SgNode[]>>>();

function assignmentsNamed(file: FileInput, scope: SgNode | undefined, use: SgNode, name: string): SgNode[] {
  let byScope = declarations.get(file);
  if (!byScope) {
    byScope = new Map();
    declarations.set(file, byScope);
  }
  const key = scope ? scope.id() : -1;
  let byName = byScope.get(key);
  if (!byName) {
    byName = new Map();
    const python = file.language === 'python';
    const kinds = (python ? ['assignment'] : ['variable_declarator', 'assignment_expression']).map(
      (kind) => ({
        kind,
      }),
    );
    // At module level only the module's own bindings count: asking natively for those outside any
    // function hands far fewer nodes to JavaScript than listing every one in the file.
    const functions = (python ? PYTHON_FUNCTION_KINDS : JS_FUNCTION_KINDS).map((kind) => ({ kind }));
    const rule = scope
      ? { any: kinds }
      : { any: kinds, not: { inside: { any: functions, stopBy: 'end' as const } } };
    for (const node of (scope ?? use.getRoot().root()).findAll({ rule })) {
      const target = node.field(node.kind() === 'variable_declarator' ? 'name' : 'left');
      if (target?.kind() !== 'identifier') continue;
      const name = target.text();
      const nodes = byName.get(name);
      if (nodes) nodes.push(node);
      else byName.set(name, [node]);
    }
    byScope.set(key, byName);
  }
  return byName.get(name) ?? [];
}

/** Bindings of `name` visible at `use`: declarations and assignments in each enclosing scope, and parameters. */
function bindingsOf(file: FileInput, name: string, use: SgNode): Binding[] {
  const out: Binding[] = [];
  let scope: SgNode | undefined = enclosingFunction(use);
  while (true) {
    for (const node of assignmentsNamed(file, scope, use, name)) {
      // Module-level lists hold only nodes outside every function already.
      if (scope && enclosingFunction(node)?.id() !== scope.id()) continue;
      const value = node.field(node.kind() === 'variable_declarator' ? 'value' : 'right');
      const type = node.kind() === 'variable_declarator' ? node.field('type')?.text() : undefined;
      out.push({ node, ...(value ? { value } : {}), ...(type ? { type } : {}) });
    }
    if (scope) {
      const params =
        scope.field('parameters') ?? scope.children().find((c) => c.kind() === 'formal_parameters');
      for (const param of params?.children() ?? []) {
        const id = param.field('pattern') ?? param.children().find((c) => c.kind() === 'identifier');
        if (id?.text() === name) {
          const type = param.field('type')?.text();
          out.push({ node: param, ...(type ? { type } : {}) });
        }
      }
    }
    if (out.length > 0 || !scope) return out;
    scope = enclosingFunction(scope);
  }
}

function isJsArray(binding: Binding): boolean {
  if (binding.type && /\[\]\s*$|^:?\s*(?:Readonly)?Array</.test(binding.type.replace(/^:\s*/, '')))
    return true;
  const value = binding.value;
  if (!value) return false;
  const expr =
    value.kind() === 'await_expression' ? (value.children().find((c) => c.isNamed()) ?? value) : value;
  if (expr.kind() === 'array') {
    const elements = expr.children().filter((c) => c.isNamed());
    // A short list of constants (`['a', 'b']`) stays small; an empty or computed one grows with data.
    return elements.length === 0 || !elements.every((e) => JS_LITERAL_ELEMENT.has(kindOf(e)));
  }
  if (expr.kind() === 'new_expression') return /^Array$/.test(expr.field('constructor')?.text() ?? '');
  if (expr.kind() === 'call_expression') return JS_ARRAY_CALL.test(expr.field('function')?.text() ?? '');
  return false;
}

/**
 * Whether a JS list can grow with the data: not when it is written out element by element
 * (`[{ id: 'unsubscribe_url', … }, { id: 'manage_account_url', … }]`, Ghost's replacement
 * definitions) and nothing in the file pushes to it or assigns its items. A spread or an empty
 * literal can grow.
 */
function growable(binding: Binding, name: string, file: FileInput): boolean {
  const value = binding.value;
  if (value?.kind() !== 'array') return true;
  const elements = value.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
  if (elements.length === 0 || elements.some((e) => e.kind() === 'spread_element')) return true;
  const escaped = name.replace(/\$/g, '\\$');
  return new RegExp(
    `\\b${escaped}\\s*\\.\\s*(?:push|unshift|splice)\\(|\\b${escaped}\\s*\\[[^\\]]*\\]\\s*=(?!=)`,
  ).test(file.text);
}

function isPyList(binding: Binding): boolean {
  const value = binding.value;
  if (!value) return false;
  if (value.kind() === 'list_comprehension') return true;
  if (value.kind() === 'call') return /^(?:list|sorted)$/.test(value.field('function')?.text() ?? '');
  // `seen = []` grown inside the loop; a written-out list (`[a, b, c]`) stays as small as it looks.
  if (value.kind() === 'list') return value.children().filter((c) => c.isNamed()).length === 0;
  return false;
}

/** A query or list cut to a few items: `.limit(n)`, `.take(n)`, `.slice(0, n)`, `[:n]`. */
const CAPPED = /\.(?:limit|take)\(|\.slice\(\s*0\s*,|\[\s*:\s*\w+\s*\]$/;

/**
 * Whether the loop walks a list that was capped where it was made (Ghost's top posts:
 * `additionalPosts = await knex(…).limit(remainingCount)`): the work then grows with one list
 * only, not with the product of two.
 */
function boundedLoop(file: FileInput, loop: Repetition): boolean {
  const name = loop.collection;
  if (name === undefined || !/^[\w$]+$/.test(name)) return false;
  const values = bindingsOf(file, name, loop.node).flatMap((binding) => binding.value ?? []);
  return values.length > 0 && values.every((value) => CAPPED.test(value.text()));
}

function lookupFinding(
  file: FileInput,
  node: SgNode,
  receiver: SgNode,
  operation: string,
  python: boolean,
  probe = '',
): RawFinding | undefined {
  if (receiver.kind() !== 'identifier') return undefined;
  const loop = enclosingRepetition(node);
  if (!loop) return undefined;
  const bindings = bindingsOf(file, receiver.text(), node);
  if (bindings.length === 0) return undefined;
  if (bindings.some((b) => b.value && SET_LIKE.test(b.value.text()))) return undefined;
  if (!bindings.some((b) => (python ? isPyList(b) : isJsArray(b) && growable(b, receiver.text(), file))))
    return undefined;
  // Declared inside the loop: a fresh per-iteration list, not a repeated scan of a big one.
  if (bindings.some((b) => contains(loop.node, b.node) && !FUNCTION_KINDS.has(kindOf(loop.node))))
    return undefined;
  if (loop.kind === 'callback' && bindings.some((b) => contains(loop.node, b.node))) return undefined;
  const loopLine = lineOf(loop.node);
  const name = receiver.text();
  const line = lineOf(node);
  // A list grown inside the same loop (`seen.append(x)`, `if (!a.includes(x)) a.push(x)`) is an
  // order-keeping dedupe: it grows only with the distinct values kept, which for flags, include
  // dirs, archs or configurations is a handful. Only a lead, and a low-impact one.
  const grown = new RegExp(`\\b${name}\\.(?:append|extend|insert|push|unshift|splice)\\(`).test(
    loop.node.text(),
  );
  // JS: a search that joins two collections on a key (`users.find((u) => u.id === order.userId)`)
  // is the pattern that grows with data. A list grown in the same loop (dedupe by push) or a
  // membership test on a list passed in is usually a small working list: only a lead.
  const args = node.field('arguments')?.text() ?? '';
  const computed = bindings.some((b) => b.value !== undefined && isJsArray(b) && b.value.kind() !== 'array');
  // Python: membership by key in a list computed once from data (`banned = [r.email for r in …]`,
  // then `row.email in banned`) is the join that grows with both inputs.
  const pyComputed = bindings.some(
    (b) => b.value !== undefined && /^(?:list_comprehension|call)$/.test(kindOf(b.value)) && isPyList(b),
  );
  // A list bound at module level is built once while the module loads, from constants and
  // configuration (`const middlewareFunctions = Array.from(new Set([...names]))`): it does not grow
  // with the data a function is given.
  const joinsOn = (join: RegExp, probed: RegExp, pyProbed: RegExp) =>
    (python
      ? !grown && pyComputed && pyProbed.test(probe)
      : !grown && (join.test(args) || (computed && probed.test(args)))) &&
    !bindings.every((b) => enclosingFunction(b.node) === undefined);
  const joins = joinsOn(KEY_JOIN, KEY_PROBE, PY_KEY_PROBE) && !boundedLoop(file, loop);
  const byName = !joins && joinsOn(NAME_JOIN, NAME_PROBE, PY_NAME_PROBE);
  const where = `${loop.kind === 'callback' ? `\`.${loop.method}()\` callback` : 'loop'} on line ${loopLine}`;
  return findingAt(file, node, {
    endLine: line,
    confidence: joins ? 'MED' : 'LOW',
    // Without a join on a key the list is usually a small working list: if it is large, it matters.
    ...(joins ? {} : { impact: 'LOW' as const }),
    related: line === loopLine ? [] : [{ file: file.path, startLine: loopLine, endLine: loopLine }],
    message: byName
      ? `\`${operation}\` scans all of \`${name}\` on every iteration of the ${where}, matching by name: usually a registry of named things (fields, modules, middleware) as large as the configuration, where this costs nothing. If the list holds data, index it in a Map by name.`
      : grown
        ? `\`${operation}\` scans all of \`${name}\`, which the ${where} grows, on every iteration: the work grows with the square of the number of distinct items kept. Harmless for a handful of flags or names; slow for thousands of rows.`
        : `\`${operation}\` scans all of \`${name}\` on every iteration of the ${where}, so the work grows with the product of both sizes (10,000 × 10,000 = 100 million comparisons).`,
  });
}

function matchLookup(node: SgNode, file: FileInput): RawFinding | undefined {
  if (file.language === 'python') {
    const operators = node
      .children()
      .filter((c) => !c.isNamed())
      .map((c) => c.text());
    if (!operators.some((o) => /(?:^|\s)in$/.test(o))) return undefined;
    const right = node
      .children()
      .filter((c) => c.isNamed())
      .at(-1);
    const left = node.children().find((c) => c.isNamed());
    return right
      ? lookupFinding(file, node, right, `${operators.join(' ')} ${right.text()}`, true, left?.text() ?? '')
      : undefined;
  }
  const callee = node.field('function');
  const receiver = callee?.field('object');
  const method = callee?.field('property')?.text() ?? '';
  const first = node
    .field('arguments')
    ?.children()
    .find((c) => c.isNamed());
  if (!receiver || !first) return undefined;
  // `roles.includes('admin')`, `name.indexOf('x')`: a constant probe, usually a small list or a string.
  if (first.kind() === 'string' || first.kind() === 'template_string') return undefined;
  return lookupFinding(file, node, receiver, `${receiver.text()}.${method}()`, false);
}

const JS_RULE: NapiConfig = {
  rule: jsMethodCall('^(find|filter|includes|indexOf|lastIndexOf|some|findIndex)$'),
};

/** A linear search through one collection, repeated for every item of another. */
export const quadraticLookup: FileDetector = {
  id: 'performance/quadratic-lookup',
  category: 'performance',
  scope: 'file',
  requires: {
    ...jsGate(/\.\s*(?:find|filter|includes|indexOf|lastIndexOf|some|findIndex)\b/),
    python: /\bin\b/,
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Linear search inside a loop (quadratic time)',
  description:
    'Each iteration of a loop searches an array or list from the start (find, includes, indexOf, `in`). The total work is the product of both sizes, so code that is instant on test data becomes seconds of CPU on real data and blocks the event loop or worker meanwhile.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Indexing into a Set/Map gives the same answers for the same data; only lookup by object identity versus value needs care.',
  confidence: 'MED',
  fixSketch:
    'Before the loop, build a `Set` (membership) or `Map` keyed by the compared field (`new Map(users.map((u) => [u.id, u]))`, `{u.id: u for u in users}`, `set(seen)`), then look up inside the loop in constant time.',
  steps: [
    'Open the cited line and identify the searched collection and the key being compared (e.g. `u.id === order.userId`).',
    'Just before the loop, build an index once: a `Set` of the keys for includes/indexOf/`in`/some, or a `Map` from key to item for find/filter (for filter with several matches, map to an array of items).',
    'Replace the search inside the loop with `set.has(key)` / `map.get(key)`; keep the original behaviour for a missing key (undefined / -1 / False).',
    'Run the existing tests; add one with duplicate and missing keys that asserts the output is unchanged.',
  ],
  python: {
    fixSketch:
      'Before the loop, build a `set` (membership) or a dict keyed by the compared field (`seen = set(seen_list)`, `users_by_id = {u.id: u for u in users}`), then look up inside the loop in constant time.',
    riskReason:
      'A set or dict gives the same answers for the same data; only items that cannot be hashed (lists, dicts) need another key, such as a tuple.',
    steps: [
      'Open the cited line and identify the searched collection and the value looked up in it (`if name in names:` inside the loop).',
      'Just before the loop, build an index once: a `set` of the collection’s items for `in`, or a dict from key to item when the loop then uses the item it found (for several matches, map the key to a list of items).',
      'Replace the search inside the loop with `name in names_set` or `by_key.get(key)`; if the loop also adds to the collection, add to the set too, and keep the list where its order is used.',
      'Run the existing tests; add one with duplicate and missing keys that asserts the output is unchanged.',
    ],
  },
  rule: jsAndPython(JS_RULE, { rule: { kind: 'comparison_operator', regex: '\\bin\\b' } }),
  match: matchLookup,
};
