import type { SgNode, SgRoot } from '@ast-grep/napi';
import { enclosingFunction, kindOf } from '../correctness/enclosing-function.ts';

/** The values of a module-level variable `name` (`const params = …` at the top of the file). */
export function moduleValues(name: SgNode, python: boolean): SgNode[] {
  const root = name.getRoot();
  let index = moduleIndex.get(root);
  if (!index) {
    index = indexModule(root.root(), python);
    moduleIndex.set(root, index);
  }
  return [...(index.get(name.text()) ?? [])];
}

/**
 * The values a module's top-level statements assign, by name: built once per file, since
 * detectors ask for names one at a time (a regex, a list of URLs, a template) and a file may have
 * thousands of top-level statements.
 */
const moduleIndex = new WeakMap<SgRoot, Map<string, SgNode[]>>();

function indexModule(root: SgNode, python: boolean): Map<string, SgNode[]> {
  const index = new Map<string, SgNode[]>();
  const add = (name: string | undefined, value: SgNode | null | undefined) => {
    if (!name || !value) return;
    const values = index.get(name);
    if (values) values.push(value);
    else index.set(name, [value]);
  };
  const statements = root.children().flatMap((c) => (c.kind() === 'export_statement' ? c.children() : [c]));
  for (const statement of statements) {
    const kind = kindOf(statement);
    if (python && kind === 'expression_statement') {
      const assignment = statement.child(0);
      if (assignment?.kind() === 'assignment')
        add(assignment.field('left')?.text(), assignment.field('right'));
    } else if (!python && (kind === 'lexical_declaration' || kind === 'variable_declaration')) {
      for (const declarator of statement.children().filter((c) => c.kind() === 'variable_declarator'))
        add(declarator.field('name')?.text(), declarator.field('value'));
    }
  }
  return index;
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
