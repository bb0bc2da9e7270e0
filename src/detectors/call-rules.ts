import type { NapiConfig } from '@ast-grep/napi';
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
