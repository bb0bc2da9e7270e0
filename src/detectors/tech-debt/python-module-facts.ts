import type { ScannedCode } from './code-scan.ts';
import type { Definition, ImportRef, ModuleFacts } from './module-facts.ts';

const FROM_IMPORT = /^from\s+(\.*)([\w.]*)\s+import\s+(.*)$/s;
const PLAIN_IMPORT = /^import\s+(.*)$/s;
const BLOCK = /^(async\s+def|def|class|if|elif|else|try|except|finally|with|for|while|match|case)\b/;
/**
 * `if TYPE_CHECKING:`, `if typing.TYPE_CHECKING:`, `if t.TYPE_CHECKING:` (Flask's `import typing as
 * t`), and `if False:`, a block that never runs (passlib's imports there are for IDE completion).
 */
const TYPE_CHECKING = /^if\s+(?:(?:not\s+)?(?:[A-Za-z_]\w*\.)?TYPE_CHECKING\b|(?:False|0)\s*:)/;
const MAIN_GUARD = /^if\s+__name__\s*==\s*['"]__main__['"]\s*:/m;
const METHOD =
  /^(?:async\s+)?def\s+((?:create|add|insert|register|get|find|fetch|list|load|read|update|edit|patch|modify|delete|remove|destroy|archive|drop|purge|trash|deactivate|unregister|revoke|cancel)_\w+)/;
const BRACKET = /[()[\]{}]/;
const LOADER =
  /\bimportlib\.import_module\s*\(|\b__import__\s*\(|\bimport_module\s*\(|\bpkgutil\.(?:iter_modules|walk_packages)\b/;

interface Frame {
  indent: number;
  kind: 'def' | 'class' | 'type-checking' | 'other';
}

interface LogicalLine {
  /** 1-based line where the statement starts. */
  line: number;
  indent: number;
  text: string;
}

/** Join physical lines into statements: open brackets and trailing backslashes continue a line. */
function logicalLines(code: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const physical = code.split('\n');
  let start: { line: number; indent: number } | undefined;
  let parts: string[] = [];
  let depth = 0;
  physical.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (start === undefined) {
      if (trimmed === '') return;
      start = { line: index + 1, indent: line.length - line.trimStart().length };
    }
    if (BRACKET.test(line)) {
      for (let i = 0; i < line.length; i += 1) {
        const c = line.charCodeAt(i);
        if (c === 40 || c === 91 || c === 123) depth += 1;
        else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
      }
    }
    const continued = trimmed.endsWith('\\');
    parts.push(continued ? trimmed.slice(0, -1) : trimmed);
    if (depth > 0 || continued) return;
    out.push({ ...start, text: parts.join(' ') });
    start = undefined;
    parts = [];
  });
  if (start) out.push({ ...start, text: parts.join(' ') });
  return out;
}

function importedNames(clause: string): string[] | '*' {
  const inner = clause.replace(/[()]/g, ' ').trim();
  if (inner === '*') return '*';
  return inner
    .split(',')
    .map((part) => /^\s*([\w]+)/.exec(part)?.[1])
    .filter((name): name is string => name !== undefined);
}

function aliasOf(part: string): string | undefined {
  const match = /^\s*([\w.]+)(?:\s+as\s+(\w+))?\s*$/.exec(part);
  if (!match?.[1]) return undefined;
  return match[2] ?? match[1].split('.')[0];
}

/** Strings listed in `__all__ = [...]`: the literal values inside the statement's span. */
function allNames(code: string, strings: Map<number, string>): string[] | undefined {
  const match = /^__all__\s*(?::[^=]*)?\+?=\s*[[(]/m.exec(code);
  if (!match) return undefined;
  const end = code.indexOf(code[match.index + match[0].length - 1] === '[' ? ']' : ')', match.index);
  const out: string[] = [];
  for (const [offset, value] of strings) {
    if (offset > match.index && (end === -1 || offset < end) && /^\w+$/.test(value)) out.push(value);
  }
  return out;
}

/** Read a Python file's imports, module-level names and definitions. */
export function pythonModuleFacts(text: string, scanned: ScannedCode): ModuleFacts {
  const imports: ImportRef[] = [];
  const names = new Map<string, number>();
  const starFrom: string[] = [];
  const definitions: Definition[] = [];
  let dynamic = false;
  const stack: Frame[] = [];
  let decorated = false;
  for (const statement of logicalLines(scanned.code)) {
    while (stack.length > 0 && (stack.at(-1)?.indent ?? 0) >= statement.indent) stack.pop();
    const { text: body } = statement;
    const inFunction = stack.some((frame) => frame.kind === 'def');
    const typeOnly = stack.some((frame) => frame.kind === 'type-checking');
    const topLevel = !stack.some((frame) => frame.kind === 'def' || frame.kind === 'class');
    const from = body.startsWith('from') ? FROM_IMPORT.exec(body) : null;
    const plain = from || !body.startsWith('import') ? null : PLAIN_IMPORT.exec(body);
    if (from) {
      const level = from[1]?.length ?? 0;
      const module = from[2] ?? '';
      const taken = importedNames(from[3] ?? '');
      const ref: ImportRef = {
        specifier: module,
        line: statement.line,
        typeOnly,
        lazy: inFunction,
        names: taken,
        reexport: false,
      };
      if (level > 0) ref.level = level;
      imports.push(ref);
      if (topLevel) {
        if (taken === '*') starFrom.push('.'.repeat(level) + module);
        else {
          for (const part of (from[3] ?? '').replace(/[()]/g, ' ').split(',')) {
            const alias = aliasOf(part);
            if (alias) names.set(alias, statement.line);
          }
        }
      }
    } else if (plain) {
      for (const part of (plain[1] ?? '').split(',')) {
        const module = /^\s*([\w.]+)/.exec(part)?.[1];
        if (!module) continue;
        imports.push({
          specifier: module,
          line: statement.line,
          typeOnly,
          lazy: inFunction,
          names: '*',
          reexport: false,
        });
        const alias = aliasOf(part);
        if (topLevel && alias) names.set(alias, statement.line);
      }
    } else if (!topLevel && stack.at(-1)?.kind === 'class' && /^(?:async\s+)?def\s/.test(body)) {
      const method = METHOD.exec(body)?.[1];
      if (method) definitions.push({ name: method, line: statement.line, kind: 'method', exported: false });
    } else if (topLevel && /^(?:def|class|async)\b/.test(body)) {
      const definition = /^(?:async\s+)?(def|class)\s+(\w+)/.exec(body);
      if (definition?.[2]) {
        const name = definition[2];
        names.set(name, statement.line);
        if (name === '__getattr__') dynamic = true;
        if (stack.length === 0) {
          const entry: Definition = {
            name,
            line: statement.line,
            kind: definition[1] === 'class' ? 'class' : 'function',
            exported: !name.startsWith('_'),
          };
          if (decorated) entry.decorated = true;
          definitions.push(entry);
        }
      }
    } else if (topLevel) {
      const assigned = /^([A-Za-z_]\w*)\s*(?::[^=]+)?=(?!=)/.exec(body)?.[1];
      if (assigned) names.set(assigned, statement.line);
    }
    decorated = body.startsWith('@');
    if (body.endsWith(':')) {
      const opener = BLOCK.exec(body)?.[1] ?? '';
      const kind: Frame['kind'] = TYPE_CHECKING.test(body)
        ? 'type-checking'
        : /def$/.test(opener)
          ? 'def'
          : opener === 'class'
            ? 'class'
            : 'other';
      if (opener !== '') stack.push({ indent: statement.indent, kind });
    }
  }
  const all = allNames(scanned.code, scanned.strings);
  if (all) for (const name of all) if (!names.has(name)) names.set(name, 1);
  return {
    imports,
    exports: { names, starFrom, dynamic },
    definitions,
    script: MAIN_GUARD.test(text) || text.startsWith('#!'),
    loads: LOADER.test(scanned.code) ? ['.'] : [],
  };
}
