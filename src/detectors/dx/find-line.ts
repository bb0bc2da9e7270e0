/** Split file text into lines the way the engine numbers them. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** 1-based number of the first line at or after `from` (0-based index) that matches; pattern must not be global. */
export function findLine(lines: readonly string[], pattern: RegExp, from = 0): number | undefined {
  for (let index = Math.max(0, from); index < lines.length; index += 1) {
    if (pattern.test(lines[index] ?? '')) return index + 1;
  }
  return undefined;
}

/** The file's directory ('' at the root), forward slashes. */
export function dirOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash === -1 ? '' : file.slice(0, slash);
}

/** The file name without its folder. */
export function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** Join a directory and a name the way repo-relative paths are written. */
export function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}
