import type { SgNode } from '@ast-grep/napi';
import { callReceiving, FUNCTION_KINDS, kindOf } from '../correctness/enclosing-function.ts';

/** How a node repeats: a loop statement, a comprehension, or a callback of an array method. */
export interface Repetition {
  kind: 'for' | 'while' | 'comprehension' | 'callback';
  /** The loop statement, comprehension or callback function. */
  node: SgNode;
  /** For callbacks: the array method (`map`, `forEach`…). */
  method?: string;
  /** For callbacks: the call is wrapped in `Promise.all(...)` / `Promise.allSettled(...)`. */
  concurrent?: boolean;
  /** The text of the collection iterated over, when known. */
  collection?: string;
  /** The collection's node: a `for … of/in` head, a comprehension's, an array method's receiver. */
  iterated?: SgNode;
}

const FOR_KINDS = new Set(['for_statement', 'for_in_statement']);
const WHILE_KINDS = new Set(['while_statement', 'do_statement']);
const COMPREHENSIONS = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);
const ARRAY_METHODS = /^(map|forEach|flatMap|filter|reduce|some|every|find|findIndex)$/;

function contains(outer: SgNode | null, inner: SgNode): boolean {
  if (!outer) return false;
  const o = outer.range();
  const i = inner.range();
  return o.start.index <= i.start.index && i.end.index <= o.end.index;
}

/** The iteration that runs `node` repeatedly, stopping at the first function that is not an array callback. */
export function enclosingRepetition(node: SgNode): Repetition | undefined {
  let current = node.parent();
  while (current) {
    const kind = kindOf(current);
    if (FOR_KINDS.has(kind) && contains(current.field('body'), node)) {
      const iterated = current.field('right');
      return iterated
        ? { kind: 'for', node: current, collection: iterated.text(), iterated }
        : { kind: 'for', node: current };
    }
    if (WHILE_KINDS.has(kind) && contains(current.field('body'), node))
      return { kind: 'while', node: current };
    if (COMPREHENSIONS.has(kind)) {
      const clauses = current.children().filter((c) => c.kind() === 'for_in_clause');
      if (!clauses.some((c) => contains(c.field('right'), node))) {
        const iterated = clauses[0]?.field('right');
        return iterated
          ? { kind: 'comprehension', node: current, collection: iterated.text(), iterated }
          : { kind: 'comprehension', node: current };
      }
    }
    if (FUNCTION_KINDS.has(kind)) {
      const call = callReceiving(current);
      const callee = call?.field('function');
      const method = callee?.kind() === 'member_expression' ? callee.field('property')?.text() : undefined;
      if (!call || !method || !ARRAY_METHODS.test(method)) return undefined;
      const wrapper = call.parent()?.parent();
      const concurrent =
        wrapper?.kind() === 'call_expression' &&
        /^Promise\.(all|allSettled)$/.test(wrapper.field('function')?.text() ?? '');
      const iterated = callee?.field('object');
      const collection = iterated?.text() ?? '';
      return {
        kind: 'callback',
        node: current,
        method,
        concurrent,
        collection,
        ...(iterated ? { iterated } : {}),
      };
    }
    current = current.parent();
  }
  return undefined;
}

/** Whether a JS call's value is awaited (directly or at the end of a method chain). */
export function isAwaited(call: SgNode): boolean {
  let current = call.parent();
  while (current) {
    const kind = current.kind();
    if (kind === 'await_expression' || kind === 'await') return true;
    if (kind !== 'call_expression' && kind !== 'member_expression' && kind !== 'parenthesized_expression') {
      return false;
    }
    current = current.parent();
  }
  return false;
}

export { contains };
