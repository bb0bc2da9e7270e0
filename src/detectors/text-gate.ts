import type { Language } from '../core/types.ts';
import type { TextGate } from './types.ts';

/** A regex that matches where any of `regexes` does (their flags must agree: none). */
export function eitherOf(...regexes: readonly RegExp[]): RegExp {
  return new RegExp(regexes.map((regex) => `(?:${regex.source})`).join('|'));
}

/** One text gate (`requires`) for the JavaScript and TypeScript languages of a detector. */
export function jsGate<G extends TextGate>(gate: G): Partial<Record<Language, G>> {
  return { typescript: gate, tsx: gate, javascript: gate };
}
