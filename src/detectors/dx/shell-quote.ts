/** Quote text as one POSIX shell word, for doneCheck commands. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Escape text so a POSIX extended regular expression (`grep -E`) matches it literally. */
export function escapeEre(text: string): string {
  return text.replace(/[.[\]{}()*+?^$|\\]/g, '\\$&');
}

/** Escape text so a JavaScript regular expression matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
