/** Quote text as one POSIX shell word, for doneCheck commands. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Escape text so a POSIX extended regular expression (`grep -E`) matches it literally. */
export function escapeEre(text: string): string {
  return text.replace(/[.[\]{}()*+?^$|\\]/g, '\\$&');
}

export { escapeRegExp } from '../../core/regex-literal.ts';
