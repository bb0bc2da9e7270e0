import type { Language } from '../core/types.ts';

/** One text gate (`requires`) for the JavaScript and TypeScript languages of a detector. */
export function jsGate(regex: RegExp): Partial<Record<Language, RegExp>> {
  return { typescript: regex, tsx: regex, javascript: regex };
}
