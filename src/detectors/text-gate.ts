import type { Language } from '../core/types.ts';
import type { TextGate } from './types.ts';

/** One text gate (`requires`) for the JavaScript and TypeScript languages of a detector. */
export function jsGate<G extends TextGate>(gate: G): Partial<Record<Language, G>> {
  return { typescript: gate, tsx: gate, javascript: gate };
}
