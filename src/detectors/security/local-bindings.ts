import type { SgNode } from '@ast-grep/napi';
import { enclosingFunction, kindOf } from '../correctness/enclosing-function.ts';

/** The values of a module-level variable `name` (`const params = …` at the top of the file). */
export function moduleValues(name: SgNode, python: boolean): SgNode[] {
  const root = name.getRoot().root();
  const statements = root.children().flatMap((c) => (c.kind() === 'export_statement' ? c.children() : [c]));
  const out: SgNode[] = [];
  for (const statement of statements) {
    const kind = kindOf(statement);
    if (python && kind === 'expression_statement') {
      const assignment = statement.child(0);
      if (assignment?.kind() === 'assignment' && assignment.field('left')?.text() === name.text()) {
        const value = assignment.field('right');
        if (value) out.push(value);
      }
    } else if (!python && (kind === 'lexical_declaration' || kind === 'variable_declaration')) {
      for (const declarator of statement.children().filter((c) => c.kind() === 'variable_declarator')) {
        const value = declarator.field('value');
        if (declarator.field('name')?.text() === name.text() && value) out.push(value);
      }
    }
  }
  return out;
}

const REQUEST_PARTS = /^(?:params|query|body|headers|cookies|signedCookies|files?)$/;

/** The parameters a function declares (a single arrow parameter included). */
export function parametersOf(fn: SgNode): SgNode[] {
  const single = fn.field('parameter');
  if (single) return [single];
  return (
    fn
      .field('parameters')
      ?.children()
      .filter((c) => c.isNamed() && c.kind() !== 'comment') ?? []
  );
}

/** Whether a parameter or pattern binds `name` (as a plain name or a destructured property). */
export function bindsName(pattern: SgNode | null | undefined, name: string): boolean {
  return (
    pattern
      ?.findAll({
        rule: { any: [{ kind: 'identifier' }, { kind: 'shorthand_property_identifier_pattern' }] },
      })
      .some((n) => n.text() === name) ?? false
  );
}

/**
 * `params` in `({ params, query }, res, next) => …`: a part of the request object destructured in
 * a handler's first parameter (the nearest function that binds the name decides).
 */
export function isDestructuredRequestPart(id: SgNode): boolean {
  const name = id.text();
  let fn = enclosingFunction(id);
  for (let level = 0; fn && level < 6; level += 1) {
    const params = parametersOf(fn);
    if (params.some((p) => bindsName(p, name))) {
      const [first] = params;
      const pattern = first?.kind() === 'object_pattern' ? first : first?.field('pattern');
      if (params.length < 2 || pattern?.kind() !== 'object_pattern') return false;
      if (
        REQUEST_PARTS.test(name) &&
        pattern
          .children()
          .some((c) => c.kind() === 'shorthand_property_identifier_pattern' && c.text() === name)
      )
        return true;
      // `({ params: { id } }, res) =>`: a name taken out of a request part.
      return pattern
        .children()
        .some(
          (c) =>
            c.kind() === 'pair_pattern' &&
            REQUEST_PARTS.test(c.field('key')?.text() ?? '') &&
            bindsName(c.field('value'), name),
        );
    }
    fn = enclosingFunction(fn);
  }
  return false;
}
