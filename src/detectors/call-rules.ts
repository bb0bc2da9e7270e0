import type { NapiConfig, Rule } from '@ast-grep/napi';
import type { Language } from '../core/types.ts';

/** Calls whose callee text (`exec`, `cp.exec`, `db.query`) matches `regex`, in JavaScript/TypeScript. */
export function jsCall(regex: string): NapiConfig {
  return { rule: { kind: 'call_expression', has: { field: 'function', regex } } };
}

/** Calls whose callee text matches `regex`, in Python. */
export function pythonCall(regex: string): NapiConfig {
  return { rule: { kind: 'call', has: { field: 'function', regex } } };
}

/** A detector's rules: one for the JavaScript and TypeScript grammars, one for Python. */
export function jsAndPython(js: NapiConfig, python: NapiConfig): Partial<Record<Language, NapiConfig>> {
  return { typescript: js, tsx: js, javascript: js, python };
}

/** Method calls whose method name matches `regex` (`list.includes(x)`, `db.query(sql)`), in JavaScript/TypeScript. */
export function jsMethodCall(regex: string): Rule {
  return {
    kind: 'call_expression',
    has: { field: 'function', kind: 'member_expression', has: { field: 'property', regex } },
  };
}

/** Method calls whose method name matches `regex` (`url.startswith(x)`, `cursor.execute(sql)`), in Python. */
export function pythonMethodCall(regex: string): Rule {
  return { kind: 'call', has: { field: 'function', kind: 'attribute', has: { field: 'attribute', regex } } };
}
