/**
 * What a source file imports, read from its text with plain patterns (no parse): JavaScript and
 * TypeScript module specifiers, and Python `import` / `from … import` statements. Over-approximates
 * rather than misses: an import-looking string in a comment counts too.
 */

/** `from 'x'`, `import 'x'`, `import('x')`, `require('x')`. Specifiers never span lines. */
const JS_SPECIFIER =
  /\bfrom\s*(['"])([^'"\r\n]+)\1|\bimport\s*\(?\s*(['"])([^'"\r\n]+)\3|\brequire\s*\(\s*(['"])([^'"\r\n]+)\5/g;

/** Module specifiers in a JavaScript or TypeScript file, in order of appearance, without repeats. */
export function jsSpecifiers(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(JS_SPECIFIER)) {
    const specifier = match[2] ?? match[4] ?? match[6];
    if (specifier) found.add(specifier.trim());
  }
  return [...found];
}

/** One Python import: `import a.b` (level 0, no names) or `from ..a import b, c` (level 2). */
export interface PythonImport {
  /** Leading dots of a relative import; 0 for an absolute one. */
  level: number;
  /** Dotted module path after the dots; '' for `from . import x`. */
  module: string;
  /** Names after `import` in a `from` statement (they may be submodules); empty for `import a.b`. */
  names: string[];
}

const FROM_IMPORT = /^\s*from\s+(\.*)([\w.]*)\s+import\s+(.*)$/;
const PLAIN_IMPORT = /^\s*import\s+(.*)$/;

function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return hash === -1 ? line : line.slice(0, hash);
}

/** The rest of a statement that continues over `(`…`)` or trailing backslashes. */
function statementTail(
  lines: readonly string[],
  start: number,
  first: string,
): { text: string; end: number } {
  let text = stripComment(first);
  let index = start;
  const open = () => (text.match(/\(/g)?.length ?? 0) > (text.match(/\)/g)?.length ?? 0);
  while (index + 1 < lines.length && (open() || /\\\s*$/.test(text))) {
    index += 1;
    text = `${text.replace(/\\\s*$/, '')} ${stripComment(lines[index] ?? '')}`;
  }
  return { text, end: index };
}

function importNames(list: string): string[] {
  return list
    .replace(/[()]/g, ' ')
    .split(',')
    .map(
      (part) =>
        part
          .trim()
          .split(/\s+as\s+/)[0]
          ?.trim() ?? '',
    )
    .filter((name) => /^[\w.]+$/.test(name));
}

/** Import statements of a Python file, in order of appearance. */
export function pythonImports(text: string): PythonImport[] {
  const lines = text.split(/\r?\n/);
  const out: PythonImport[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const from = FROM_IMPORT.exec(line);
    if (from) {
      const tail = statementTail(lines, index, from[3] ?? '');
      index = tail.end;
      out.push({ level: (from[1] ?? '').length, module: from[2] ?? '', names: importNames(tail.text) });
      continue;
    }
    const plain = PLAIN_IMPORT.exec(line);
    if (plain) {
      const tail = statementTail(lines, index, plain[1] ?? '');
      index = tail.end;
      for (const module of importNames(tail.text)) out.push({ level: 0, module, names: [] });
    }
  }
  return out;
}
