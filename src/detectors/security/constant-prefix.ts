import type { SgNode } from '@ast-grep/napi';
import { kindOf } from '../correctness/enclosing-function.ts';
import { assignedValues, unwrap } from './value-source.ts';

function literalContent(node: SgNode): string {
  return node
    .children()
    .filter((c) => c.kind() === 'string_fragment' || c.kind() === 'string_content')
    .map((c) => c.text())
    .join('');
}

function operatorOf(node: SgNode): string | undefined {
  return (
    node.field('operator')?.text() ??
    node
      .children()
      .find((c) => !c.isNamed())
      ?.text()
  );
}

/**
 * The constant text a built string starts with (`/account/` for `` `/account/${id}` ``, `` for
 * `` `${base}/x` ``), following one local assignment; undefined when the value is not built here.
 */
export function constantPrefix(node: SgNode, python: boolean, depth = 0): string | undefined {
  const expr = unwrap(node);
  if (depth > 4) return undefined;
  switch (kindOf(expr)) {
    case 'identifier': {
      const values = assignedValues(expr.text(), expr, python);
      return values.length === 1 && values[0] ? constantPrefix(values[0], python, depth + 1) : undefined;
    }
    case 'template_string': {
      const first = expr.children().find((c) => c.isNamed());
      if (!first) return '';
      return first.kind() === 'string_fragment' ? first.text() : '';
    }
    case 'string': {
      if (!python) return literalContent(expr);
      const first = expr
        .children()
        .find((c) => c.kind() === 'string_content' || c.kind() === 'interpolation');
      return first?.kind() === 'string_content' ? first.text() : '';
    }
    case 'binary_expression':
    case 'binary_operator': {
      const operator = operatorOf(expr);
      const left = expr.field('left');
      if (!left) return undefined;
      if (operator === '+') return constantPrefix(left, python, depth + 1) ?? '';
      if (python && operator === '%' && left.kind() === 'string') return literalContent(left).split('%')[0];
      return undefined;
    }
    case 'call': {
      const fn = expr.field('function');
      const object = fn?.field('object');
      if (fn?.field('attribute')?.text() === 'format' && object?.kind() === 'string') {
        return literalContent(object).split('{')[0];
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
