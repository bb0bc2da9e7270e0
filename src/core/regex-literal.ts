/**
 * Where a `/regex/` literal that opens at `start` (the `/`) closes: the index of the closing
 * slash, honouring escapes and character classes; -1 when it does not close on this text.
 */
export function regexLiteralEnd(text: string, start: number): number {
  let index = start + 1;
  let inClass = false;
  while (index < text.length) {
    const char = text[index];
    if (char === '\\') index += 1;
    else if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    else if (char === '/' && !inClass) return index;
    index += 1;
  }
  return -1;
}

/** Escape text so a JavaScript regular expression (without the `u` flag) matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
