import type { Language } from '../core/types.ts';
import type { TextGate } from './types.ts';

/** One value for each JavaScript and TypeScript language: a text gate, the walks of a detector. */
export function forJs<T>(value: T): Partial<Record<Language, T>> {
  return { typescript: value, tsx: value, javascript: value };
}

/** One text gate (`requires`) for the JavaScript and TypeScript languages of a detector. */
export function jsGate<G extends TextGate>(gate: G): Partial<Record<Language, G>> {
  return forJs(gate);
}
