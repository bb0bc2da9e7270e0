import type { SgNode } from '@ast-grep/napi';

/** Node kinds that open a new function scope, in JS/TS and Python grammars. */
export const FUNCTION_KINDS: ReadonlySet<string> = new Set([
  'function_declaration',
  'function_expression',
  'function',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
  'generator_function',
  'function_definition',
  'lambda',
]);

/** The function kinds each grammar has (a native rule naming a kind its grammar lacks is an error). */
export const JS_FUNCTION_KINDS: readonly string[] = [
  'function_declaration',
  'function_expression',
  'arrow_function',
  'method_definition',
  'generator_function_declaration',
  'generator_function',
];
export const PYTHON_FUNCTION_KINDS: readonly string[] = ['function_definition', 'lambda'];

/** A node's kind as a plain string (the typed `kind()` is a union that includes numbers). */
export function kindOf(node: SgNode): string {
  return String(node.kind());
}

/** The nearest function around `node` (not `node` itself), or undefined at module level. */
export function enclosingFunction(node: SgNode): SgNode | undefined {
  let current = node.parent();
  while (current) {
    if (FUNCTION_KINDS.has(kindOf(current))) return current;
    current = current.parent();
  }
  return undefined;
}

/** Whether a JS/TS or Python function node is declared `async`. */
export function isAsyncFunction(fn: SgNode): boolean {
  return fn.children().some((child) => !child.isNamed() && child.text() === 'async');
}

/**
 * When `fn` is passed straight to a call (`items.map(fn)`, `app.get('/', fn)`), that call;
 * otherwise undefined.
 */
export function callReceiving(fn: SgNode): SgNode | undefined {
  const args = fn.parent();
  if (!args || (args.kind() !== 'arguments' && args.kind() !== 'argument_list')) return undefined;
  const call = args.parent();
  return call && (call.kind() === 'call_expression' || call.kind() === 'call') ? call : undefined;
}

/** What a parenthesised expression wraps (through any number of parentheses); the node itself otherwise. */
export function unparenthesized(node: SgNode): SgNode | undefined {
  let inner: SgNode | undefined = node;
  while (inner?.kind() === 'parenthesized_expression')
    inner = inner.children().find((child) => child.isNamed() && child.kind() !== 'comment');
  return inner;
}

/** A Python function's docstring (the string that opens its body, quotes included), '' without one. */
export function docstringOf(fn: SgNode): string {
  const first = fn
    .field('body')
    ?.children()
    .find((child) => child.isNamed() && child.kind() !== 'comment');
  return first?.kind() === 'expression_statement' && first.child(0)?.kind() === 'string' ? first.text() : '';
}

/** The callee text of a JS `call_expression` or Python `call`. */
export function calleeText(call: SgNode): string {
  return call.field('function')?.text() ?? '';
}

/** Positional and keyword arguments of a call, in order (punctuation and comments dropped). */
export function callArguments(call: SgNode): SgNode[] {
  const args = call.field('arguments');
  return args ? args.children().filter((child) => child.isNamed() && child.kind() !== 'comment') : [];
}

/** The value of a Python call's keyword argument `name` (`debug` in `app.run(debug=True)`). */
export function keywordValue(args: readonly SgNode[], name: string): SgNode | undefined {
  const arg = args.find((a) => a.kind() === 'keyword_argument' && a.field('name')?.text() === name);
  return arg?.field('value') ?? undefined;
}

/**
 * What selects the branch `node` runs in, innermost first, up to its function: the condition of
 * each `if` whose body holds it, and each `case` label around it (`case 'no-verify':`).
 */
export function branchConditions(node: SgNode): string[] {
  const out: string[] = [];
  let child = node;
  for (let up = node.parent(); up && !FUNCTION_KINDS.has(kindOf(up)); up = up.parent()) {
    const kind = kindOf(up);
    if (kind === 'switch_case') out.push(up.field('value')?.text() ?? '');
    if (kind === 'if_statement' && up.field('consequence')?.id() === child.id())
      out.push(up.field('condition')?.text() ?? '');
    child = up;
  }
  return out;
}
