import type { SgNode } from '@ast-grep/napi';

const JS_PATTERN_IDENTIFIERS = {
  rule: { any: [{ kind: 'identifier' }, { kind: 'shorthand_property_identifier_pattern' }] },
};
const PY_PATTERN_IDENTIFIERS = { rule: { kind: 'identifier' } };
const JS_BINDINGS = {
  rule: {
    any: [
      { kind: 'variable_declarator' },
      { kind: 'assignment_expression' },
      { kind: 'augmented_assignment_expression' },
      { kind: 'for_in_statement' },
      { kind: 'formal_parameters' },
      { kind: 'arrow_function' },
      { kind: 'catch_clause' },
    ],
  },
};
const PY_BINDINGS = {
  rule: {
    any: [
      { kind: 'assignment' },
      { kind: 'augmented_assignment' },
      { kind: 'for_in_clause' },
      { kind: 'for_statement' },
      { kind: 'parameters' },
      { kind: 'lambda_parameters' },
    ],
  },
};

function collect(pattern: SgNode | null | undefined, out: Set<string>, python: boolean): void {
  if (!pattern) return;
  if (pattern.kind() === 'identifier') out.add(pattern.text());
  for (const id of pattern.findAll(python ? PY_PATTERN_IDENTIFIERS : JS_PATTERN_IDENTIFIERS))
    out.add(id.text());
}

/**
 * Names given a new value on each iteration of `loop`: loop variables, callback parameters, and
 * variables declared or assigned inside it. A value built only from other names is the same on
 * every iteration, so it can be computed once before the loop.
 */
export function namesBoundIn(loop: SgNode, python: boolean): Set<string> {
  const out = new Set<string>();
  const nodes = [loop, ...loop.findAll(python ? PY_BINDINGS : JS_BINDINGS)];
  for (const node of nodes) {
    switch (String(node.kind())) {
      case 'variable_declarator':
        collect(node.field('name'), out, python);
        break;
      case 'assignment_expression':
      case 'augmented_assignment_expression':
      case 'assignment':
      case 'augmented_assignment':
      case 'for_in_clause':
      case 'for_in_statement':
        collect(node.field('left'), out, python);
        break;
      case 'for_statement':
        // Python `for x in xs:`; a JavaScript C-style `for` declares through its variable_declarator.
        if (python) collect(node.field('left'), out, python);
        break;
      case 'formal_parameters':
      case 'parameters':
      case 'lambda_parameters':
        collect(node, out, python);
        break;
      case 'catch_clause':
      case 'arrow_function':
        collect(node.field('parameter'), out, python);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Identifiers a node reads (properties of member expressions are not identifiers). */
export function identifiersIn(node: SgNode): string[] {
  const out = node.kind() === 'identifier' ? [node.text()] : [];
  for (const id of node.findAll({ rule: { kind: 'identifier' } })) out.push(id.text());
  return out;
}

/** Names declared (not merely assigned) inside `loop`: JavaScript `const`/`let`/`var`, loop variables, parameters. */
export function namesDeclaredIn(loop: SgNode, python: boolean): Set<string> {
  if (python) {
    const out = new Set<string>();
    for (const node of [loop, ...loop.findAll(PY_BINDINGS)]) {
      const kind = String(node.kind());
      if (kind === 'for_in_clause' || kind === 'for_statement') collect(node.field('left'), out, python);
      else if (kind === 'parameters' || kind === 'lambda_parameters') collect(node, out, python);
    }
    return out;
  }
  const out = new Set<string>();
  for (const node of [loop, ...loop.findAll(JS_BINDINGS)]) {
    const kind = String(node.kind());
    if (kind === 'variable_declarator') collect(node.field('name'), out, python);
    else if (kind === 'for_in_statement') collect(node.field('left'), out, python);
    else if (kind === 'formal_parameters') collect(node, out, python);
    else if (kind === 'arrow_function' || kind === 'catch_clause')
      collect(node.field('parameter'), out, python);
  }
  return out;
}

const MUTATORS =
  'push|unshift|splice|set|add|delete|clear|pop|shift|sort|reverse|fill|append|extend|insert|update|remove|setdefault';

/** Whether the loop changes `name` in place (`name.push(…)`, `name[k] = …`, `name.x = …`, `name = …`). */
export function mutatedIn(loop: SgNode, name: string): boolean {
  const escaped = name.replace(/[$.]/g, '\\$&');
  return new RegExp(
    `(?<![\\w$.])${escaped}\\s*(?:\\.\\s*(?:${MUTATORS})\\s*\\(|\\[[^\\]]*\\]\\s*=(?!=)|\\.[\\w$]+\\s*[-+*/%|&]?=(?!=)|=(?!=)|\\+=)`,
  ).test(loop.text());
}

/** Inside a `throw`, a `catch` block or the construction of an error: a path that runs once, when things fail. */
export function inColdPath(node: SgNode): boolean {
  for (const ancestor of node.ancestors()) {
    const kind = String(ancestor.kind());
    if (
      kind === 'throw_statement' ||
      kind === 'raise_statement' ||
      kind === 'catch_clause' ||
      kind === 'except_clause'
    )
      return true;
    if (kind === 'new_expression' && /Error$/.test(ancestor.field('constructor')?.text() ?? '')) return true;
  }
  return false;
}
