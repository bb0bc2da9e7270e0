import type { SgNode } from '@ast-grep/napi';
import { enclosingFunction, kindOf } from './enclosing-function.ts';

/** Members of an enum declared in this file (`Color` → {Red, Green}). */
export function enumMembers(name: string, root: SgNode): Set<string> | undefined {
  const declaration = root
    .findAll({ rule: { kind: 'enum_declaration' } })
    .find((d) => d.field('name')?.text() === name);
  const body = declaration?.field('body');
  if (!body) return undefined;
  const members = body
    .children()
    .map((c) =>
      c.kind() === 'enum_assignment' ? c.field('name') : c.kind() === 'property_identifier' ? c : null,
    )
    .filter((c): c is SgNode => c !== null)
    .map((c) => c.text());
  return new Set(members);
}

function annotationType(holder: SgNode): SgNode | undefined {
  const annotation = holder.field('type');
  return annotation?.children().find((c) => c.isNamed()) ?? undefined;
}

/**
 * A keyboard event, the DOM's or React's (`event: React.KeyboardEvent<HTMLLIElement>`): its `key`
 * and `code` are typed `string`, whatever key was pressed.
 */
const KEYBOARD_EVENT = /\bKeyboardEvent\b/;

/** Whether the file declares `expr` as a plain `string` (or it is a `String(…)` conversion): a switch over it cannot be exhaustive. */
export function isPlainString(expr: SgNode): boolean {
  if (expr.kind() === 'call_expression' && expr.field('function')?.text() === 'String') return true;
  if (expr.kind() === 'member_expression' && /^(?:key|code)$/.test(expr.field('property')?.text() ?? '')) {
    const object = expr.field('object');
    const type = object?.kind() === 'identifier' ? typeOfExpression(object) : undefined;
    if (type && KEYBOARD_EVENT.test(type.text())) return true;
  }
  return expr.kind() === 'identifier' && typeOfExpression(expr)?.text() === 'string';
}

/** The declared type of an identifier or `object.property` expression. */
function typeOfExpression(expr: SgNode): SgNode | undefined {
  if (expr.kind() === 'member_expression') {
    const object = expr.field('object');
    const property = expr.field('property')?.text();
    const objectType = object ? typeOfExpression(object) : undefined;
    return objectType && property ? propertyType(objectType, property, expr.getRoot().root(), 0) : undefined;
  }
  if (expr.kind() !== 'identifier') return undefined;
  const name = expr.text();
  const scopes = [enclosingFunction(expr), expr.getRoot().root()].filter((s): s is SgNode => s !== undefined);
  for (const scope of scopes) {
    const holder = scope
      .findAll({
        rule: {
          any: [
            { kind: 'required_parameter' },
            { kind: 'optional_parameter' },
            { kind: 'variable_declarator' },
          ],
        },
      })
      .find((d) => (d.field('pattern') ?? d.field('name'))?.text() === name && d.field('type'));
    if (holder) return annotationType(holder);
  }
  return undefined;
}

function declaration(name: string, root: SgNode): SgNode | undefined {
  return root
    .findAll({ rule: { any: [{ kind: 'type_alias_declaration' }, { kind: 'interface_declaration' }] } })
    .find((d) => d.field('name')?.text() === name);
}

/** The string literals a type node admits; undefined when any part is not a known literal. */
function literalsOf(type: SgNode, root: SgNode, depth: number): Set<string> | undefined {
  if (depth > 6) return undefined;
  switch (kindOf(type)) {
    case 'union_type': {
      const out = new Set<string>();
      for (const part of type.children().filter((c) => c.isNamed())) {
        const inner = literalsOf(part, root, depth + 1);
        if (!inner) return undefined;
        for (const value of inner) out.add(value);
      }
      return out;
    }
    case 'literal_type': {
      const literal = type.child(0);
      if (literal?.kind() !== 'string') return undefined;
      return new Set([literal.text().slice(1, -1)]);
    }
    case 'parenthesized_type': {
      const inner = type.children().find((c) => c.isNamed());
      return inner ? literalsOf(inner, root, depth + 1) : undefined;
    }
    case 'type_identifier': {
      const alias = declaration(type.text(), root);
      const value = alias?.kind() === 'type_alias_declaration' ? alias.field('value') : null;
      return value ? literalsOf(value, root, depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

/** The type of `property` on an object type (alias, interface, object literal type, or a union of them). */
function propertyType(type: SgNode, property: string, root: SgNode, depth: number): SgNode | undefined {
  if (depth > 6) return undefined;
  switch (kindOf(type)) {
    case 'object_type':
    case 'interface_body': {
      const signature = type
        .children()
        .find((c) => c.kind() === 'property_signature' && c.field('name')?.text() === property);
      return signature ? annotationType(signature) : undefined;
    }
    case 'type_identifier': {
      const found = declaration(type.text(), root);
      const body = found?.kind() === 'interface_declaration' ? found.field('body') : found?.field('value');
      return body ? propertyType(body, property, root, depth + 1) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The string literals a TypeScript expression can hold, when this file says so: an identifier
 * annotated with a union of literals (directly or through a type alias declared here), or a
 * discriminant property (`shape.kind`) of an interface, object type or union of them declared
 * here. Undefined when the file does not say.
 */
export function literalUnion(expr: SgNode): Set<string> | undefined {
  const root = expr.getRoot().root();
  if (expr.kind() === 'identifier') {
    const type = typeOfExpression(expr);
    return type ? literalsOf(type, root, 0) : undefined;
  }
  if (expr.kind() !== 'member_expression') return undefined;
  const object = expr.field('object');
  const property = expr.field('property')?.text();
  const objectType = object ? typeOfExpression(object) : undefined;
  return objectType && property ? unionPropertyLiterals(objectType, property, root, 0) : undefined;
}

function unionPropertyLiterals(
  type: SgNode,
  property: string,
  root: SgNode,
  depth: number,
): Set<string> | undefined {
  if (depth > 6) return undefined;
  if (type.kind() === 'union_type') {
    const out = new Set<string>();
    for (const part of type.children().filter((c) => c.isNamed())) {
      const inner = unionPropertyLiterals(part, property, root, depth + 1);
      if (!inner) return undefined;
      for (const value of inner) out.add(value);
    }
    return out;
  }
  if (type.kind() === 'type_identifier') {
    const found = declaration(type.text(), root);
    if (found?.kind() === 'type_alias_declaration') {
      const value = found.field('value');
      return value ? unionPropertyLiterals(value, property, root, depth + 1) : undefined;
    }
  }
  const propType = propertyType(type, property, root, depth + 1);
  return propType ? literalsOf(propType, root, depth + 1) : undefined;
}
