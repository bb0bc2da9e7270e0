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

const STRING_PIECES: ReadonlySet<string> = new Set([
  'string_fragment',
  'string_content',
  'template_substitution',
  'interpolation',
]);

/** The pieces of a string built by `+` or a template, in order; the whole value when it is not one. */
function orderedParts(node: SgNode, python: boolean, depth = 0): SgNode[] {
  const expr = unwrap(node);
  if (depth > 4) return [expr];
  const kind = kindOf(expr);
  if (kind === 'identifier') {
    const values = assignedValues(expr.text(), expr, python);
    return values.length === 1 && values[0] ? orderedParts(values[0], python, depth + 1) : [expr];
  }
  if ((kind === 'binary_expression' || kind === 'binary_operator') && operatorOf(expr) === '+') {
    const left = expr.field('left');
    const right = expr.field('right');
    return left && right
      ? [...orderedParts(left, python, depth + 1), ...orderedParts(right, python, depth + 1)]
      : [expr];
  }
  if (kind === 'template_string' || (python && kind === 'string')) {
    return expr
      .children()
      .filter((c) => STRING_PIECES.has(kindOf(c)))
      .map((c) =>
        kindOf(c) === 'template_substitution' || kindOf(c) === 'interpolation'
          ? (c.children().find((n) => n.isNamed()) ?? c)
          : c,
      );
  }
  return [expr];
}

/**
 * The constant text written before the first piece of a built string that `tainted` accepts
 * (`'/user/'` in `config.base + '/user/' + req.params.slug`), and whether any other value comes
 * before it; undefined when no piece is tainted.
 */
export function textBeforeTainted(
  node: SgNode,
  python: boolean,
  tainted: (part: SgNode) => boolean,
): { constant: string; afterValue: boolean } | undefined {
  let constant = '';
  let afterValue = false;
  for (const part of orderedParts(node, python)) {
    const kind = kindOf(part);
    if (kind === 'string_fragment' || kind === 'string_content') {
      constant += part.text();
    } else if (kind === 'string') {
      constant += python
        ? part.text().replace(/^[rbuf]*(['"]{1,3})|(['"]{1,3})$/gi, '')
        : literalContent(part);
    } else if (tainted(part)) {
      return { constant, afterValue };
    } else {
      afterValue = true;
    }
  }
  return undefined;
}
