/**
 * `JSON.stringify`, with every character outside ASCII written as a `\uXXXX` escape: the same
 * value when parsed, in a file that is all ASCII. Node reads an all-ASCII file into a string about
 * twice as fast as one with a single other character (a typographic apostrophe in a message), so
 * caches read at the start of every run are written this way.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
