import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { Confidence } from '../../core/types.ts';
import { callArguments, calleeText, kindOf } from '../correctness/enclosing-function.ts';
import { unwrap } from './value-source.ts';

/** A jQuery-style call that parses its argument as HTML. */
export interface JQuerySink {
  value: SgNode;
  sink: string;
  /** Confidence for a value of unknown origin; undefined drops it (mostly elements, not strings). */
  plain?: Confidence;
  /** `$(x)`: only markup (a string starting with `<`) is parsed as HTML; anything else is a selector. */
  selector: boolean;
}

/** Methods that parse a string argument as HTML (DOM's own `append`/`after`… insert strings as text). */
const INSERT = /^(?:html|append|prepend|after|before|replaceWith)$/;
const JQUERY = /^(?:\$|jQuery)$/;
const NOT_MARKUP: ReadonlySet<string> = new Set([
  'arrow_function',
  'function_expression',
  'function',
  'this',
  'number',
  'object',
  'array',
]);

/** The rule part that finds candidates: `$(…)`, `jQuery(…)` and `….html(…)`-style calls. */
export const JQUERY_RULE: NapiConfig['rule'] = {
  kind: 'call_expression',
  has: { field: 'function', regex: '^(\\$|jQuery)$|\\.(html|append|prepend|after|before|replaceWith)$' },
};

/**
 * Whether `node` evaluates to a jQuery object as far as its text shows: `$(…)`/`jQuery(…)`, a
 * chain of calls on one, or a `$`-prefixed name (`$list`, `this.$el`, the usual convention).
 */
export function isJQueryObject(node: SgNode | null, depth = 0): boolean {
  if (!node || depth > 12) return false;
  const expr = unwrap(node);
  const kind = kindOf(expr);
  if (kind === 'identifier') return /^\$[\w$]+$/.test(expr.text());
  if (kind === 'member_expression') return /^\$[\w$]+$/.test(expr.field('property')?.text() ?? '');
  if (kind !== 'call_expression') return false;
  const fn = expr.field('function');
  if (!fn) return false;
  if (fn.kind() === 'identifier') return JQUERY.test(fn.text());
  return fn.kind() === 'member_expression' && isJQueryObject(fn.field('object'), depth + 1);
}

/** The value a jQuery-style call inserts as HTML, or undefined when it is not one. */
export function jquerySink(call: SgNode): JQuerySink | undefined {
  const callee = calleeText(call);
  const args = callArguments(call);
  const value = args[0];
  // `.html()` reads; `.html(fn)` computes; a tagged template (`x.html\`…\``) is not a call with arguments.
  if (!value || call.field('arguments')?.kind() === 'template_string') return undefined;
  if (NOT_MARKUP.has(kindOf(unwrap(value)))) return undefined;
  if (JQUERY.test(callee)) return { value, sink: `${callee}()`, selector: true };
  const fn = call.field('function');
  const method = fn?.field('property')?.text() ?? '';
  if (fn?.kind() !== 'member_expression' || !INSERT.test(method)) return undefined;
  const jquery = isJQueryObject(fn.field('object'));
  if (method === 'html')
    return { value, sink: '.html()', plain: jquery ? 'LOW' : undefined, selector: false };
  // DOM `el.append(text)` inserts text: only jQuery objects parse strings here.
  return jquery ? { value, sink: `.${method}()`, selector: false } : undefined;
}
