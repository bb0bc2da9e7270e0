import { lineAt, lineStarts, type ScannedCode, SUBSTITUTION } from './code-scan.ts';
import type { Definition, ImportRef, ModuleFacts } from './module-facts.ts';

const STATIC_IMPORT = /\bimport\s+(?!\()([^'"`;]*?)\bfrom\s*(['"])/g;
const SIDE_EFFECT_IMPORT = /\bimport\s*(['"])/g;
const REEXPORT = /\bexport\s+(type\s+)?(\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*(['"])/g;
/** Also a worker started through a namespace: threads.js's `new Threads.Worker('./MinifyWorker')` (Etherpad). */
const CALL_IMPORT =
  /\b(require|import|require\.resolve|__exportStar\s*\(\s*require|new\s+URL|new\s+(?:[\w$]+\.)?(?:Shared)?Worker)\s*\(\s*(['"`])/g;
const RELATIVE_CODE_PATH = /^\.{1,2}\/[\w./-]*\.(?:[cm]?[jt]sx?)$/;
const EXPORT_DECLARATION =
  /\bexport\s+(?:declare\s+)?(default\s+)?(?:async\s+)?(?:abstract\s+)?(function\s*\*?|class|const|let|var|enum|interface|type|namespace)\s+([\w$]+)/g;
const EXPORT_LIST = /\bexport\s+(?:type\s+)?\{([^}]*)\}(?!\s*from)/g;
/** `export const { Server, Socket: Client } = io;`, `export const [first, second] = pair;`. */
const EXPORT_DESTRUCTURE = /\bexport\s+(?:const|let|var)\s+([{[])([^{}[\]]*)[}\]]\s*=/g;
const EXPORT_DEFAULT = /\bexport\s+default\b/g;
const CJS_MEMBER = /\b(?:module\.)?exports\.([\w$]+)\s*=(?!=)/g;
const CJS_DEFINE = /Object\.defineProperty\(\s*(?:module\.)?exports\s*,\s*(['"])/g;
const CJS_ASSIGN = /\bmodule\.exports\s*=(?!=)\s*/g;
const CJS_DYNAMIC = /\b(?:module\.)?exports\[|\bexport\s*=/;
const FUNCTION_DEFINITION =
  /\b(?:function\s*\*?\s*([\w$]+)\s*[<(]|(class)\s+([\w$]+)|(?:const|let|var)\s+([\w$]+)\s*(?::[^=;]+)?=\s*(?:async\s+)?(?:function\b|\([^()]*\)\s*(?::[^=;]+)?=>|[\w$]+\s*=>))/g;
/** Verbs of the create/read/update/delete family, for methods (`async createUser(data) {`). */
export const CRUD_VERB =
  'create|add|insert|register|get|find|fetch|list|load|read|update|edit|patch|modify|delete|remove|destroy|archive|drop|purge|trash|deactivate|unregister|revoke|cancel';
const CRUD_METHOD = new RegExp(
  `^[ \\t]*(?:(?:public|private|protected|static|async|override|readonly)\\s+)*((?:${CRUD_VERB})[A-Z]\\w*)\\s*(?:<[^>]*>)?\\([^()]*(?:\\([^()]*\\)[^()]*)*\\)\\s*(?::[^{;=]+)?\\{`,
  'gm',
);
const EXPORTED_BEFORE = /\bexport\s+(?:default\s+)?(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?$/;

function namesOf(clause: string): string[] | '*' {
  const out: string[] = [];
  const trimmed = clause.trim();
  if (trimmed === '') return out;
  if (/\*\s*as\s+[\w$]+/.test(trimmed)) return '*';
  const braces = /\{([^}]*)\}/.exec(trimmed);
  const head = trimmed
    .replace(/\{[^}]*\}/, '')
    .replace(/,/g, ' ')
    .trim();
  if (head !== '' && head !== 'type') out.push('default');
  for (const part of (braces?.[1] ?? '').split(',')) {
    const name = /^\s*(?:type\s+)?([\w$]+)/.exec(part)?.[1];
    if (name) out.push(name);
  }
  return out;
}

/** Local bindings an import clause creates: `React, { useState as use, type FC }` → React, use, FC. */
function localsOf(clause: string): string[] {
  const out: string[] = [];
  const trimmed = clause.trim();
  const namespace = /\*\s*as\s+([\w$]+)/.exec(trimmed)?.[1];
  if (namespace) out.push(namespace);
  const head = /^([\w$]+)\s*(?:,|$)/.exec(trimmed)?.[1];
  if (head && head !== 'type') out.push(head);
  for (const part of (/\{([^}]*)\}/.exec(trimmed)?.[1] ?? '').split(',')) {
    const name = /(?:^|\s)([\w$]+)\s*$/.exec(part.replace(/^\s*type\s+/, ''))?.[1];
    if (name) out.push(name);
  }
  return out;
}

/** Names a re-export list makes public: `{ a, b as c, type D }` → a, c, D. */
function exportedNames(clause: string): string[] {
  const out: string[] = [];
  for (const part of clause.replace(/[{}]/g, '').split(',')) {
    const name = /(?:^|\s)([\w$]+)\s*$/.exec(part.replace(/^\s*type\s+/, ''))?.[1];
    if (name) out.push(name);
  }
  return out;
}

/** `import { type A, type B } from` takes only types too. */
function allTypeSpecifiers(clause: string): boolean {
  const braces = /^\s*\{([^}]*)\}\s*$/.exec(clause);
  if (!braces?.[1]) return false;
  const parts = braces[1].split(',').filter((part) => part.trim() !== '');
  return parts.length > 0 && parts.every((part) => /^\s*type\s+[\w$]/.test(part));
}

/** Brace depth at increasing offsets of the blanked code, computed incrementally. */
function depthCounter(code: string): (offset: number) => number {
  const braces = /[{}]/g;
  let depth = 0;
  let pending: RegExpExecArray | null = braces.exec(code);
  return (offset) => {
    while (pending && pending.index < offset) {
      depth = pending[0] === '{' ? depth + 1 : Math.max(0, depth - 1);
      pending = braces.exec(code);
    }
    return depth;
  };
}

/** The names a `require` result is destructured into: `const { a, b: c } = require('x')`. */
function requiredNames(code: string, offset: number): string[] | '*' {
  const before = code.slice(Math.max(0, offset - 200), offset);
  const destructured = /(?:const|let|var)\s*\{([^}]*)\}\s*=\s*$/.exec(before);
  if (destructured?.[1]) {
    return destructured[1]
      .split(',')
      .map((part) => /^\s*([\w$]+)/.exec(part)?.[1])
      .filter((name): name is string => name !== undefined);
  }
  return '*';
}

function imports(scanned: ScannedCode, starts: number[], declarationFile: boolean): ImportRef[] {
  const { code, strings } = scanned;
  const out: { offset: number; ref: ImportRef }[] = [];
  const add = (quote: number, ref: Omit<ImportRef, 'specifier' | 'line'>, end?: number) => {
    const raw = quote === -1 ? undefined : strings.get(quote);
    if (raw === undefined) return;
    const placeholder = raw.indexOf(SUBSTITUTION);
    let specifier = placeholder === -1 ? raw : raw.slice(0, placeholder);
    let prefixOnly = placeholder !== -1;
    if (end !== undefined && /^\s*\+/.test(code.slice(end, end + 20))) prefixOnly = true;
    specifier = specifier.trim();
    if (specifier === '') return;
    const entry: ImportRef = { specifier, line: lineAt(starts, quote), ...ref };
    if (declarationFile) entry.typeOnly = true;
    if (prefixOnly) entry.prefixOnly = true;
    out.push({ offset: quote, ref: entry });
  };
  const quoteAt = (match: RegExpExecArray) =>
    code.charCodeAt(match.index - 1) === 46 ? -1 : match.index + match[0].length - 1; // not `x.import(`
  const stringEnd = (quote: number) => quote + (strings.get(quote)?.length ?? 0) + 2;
  for (const match of code.matchAll(STATIC_IMPORT)) {
    const clause = match[1] ?? '';
    const typeOnly = /^\s*type\s+[\w${*]/.test(clause) || allTypeSpecifiers(clause);
    const bare = clause.replace(/^\s*type\s+/, '');
    add(quoteAt(match), {
      typeOnly,
      lazy: false,
      names: namesOf(bare),
      locals: localsOf(bare),
      reexport: false,
      live: true,
    });
  }
  for (const match of code.matchAll(SIDE_EFFECT_IMPORT)) {
    add(quoteAt(match), { typeOnly: false, lazy: false, names: [], reexport: false });
  }
  for (const match of code.matchAll(REEXPORT)) {
    const clause = match[2] ?? '';
    const namespace = /^\*\s*as\s+([\w$]+)/.exec(clause)?.[1];
    const ref: Omit<ImportRef, 'specifier' | 'line'> = {
      typeOnly: match[1] !== undefined || allTypeSpecifiers(clause),
      lazy: false,
      names: clause.startsWith('*') ? '*' : namesOf(clause),
      reexport: true,
      live: true,
    };
    if (namespace) ref.exportedAs = [namespace];
    else if (!clause.startsWith('*')) ref.exportedAs = exportedNames(clause);
    add(quoteAt(match), ref);
  }
  const depthAt = depthCounter(code);
  for (const match of code.matchAll(CALL_IMPORT)) {
    const kind = match[1] ?? '';
    const quote = quoteAt(match);
    const depth = depthAt(match.index);
    if (kind === 'import') {
      add(quote, { typeOnly: false, lazy: true, names: '*', reexport: false }, stringEnd(quote));
    } else if (kind.startsWith('new')) {
      // `new URL('./worker.js', import.meta.url)`, `new Worker('./worker.js')`: a file loaded later.
      if (
        !kind.endsWith('URL') ||
        /^\s*,\s*import\.meta\.url/.test(code.slice(stringEnd(quote), stringEnd(quote) + 30))
      )
        add(quote, { typeOnly: false, lazy: true, names: '*', reexport: false }, stringEnd(quote));
    } else if (kind === 'require.resolve') {
      add(quote, { typeOnly: false, lazy: true, names: [], reexport: false }, stringEnd(quote));
    } else {
      const star = kind.startsWith('__exportStar');
      add(
        quote,
        {
          typeOnly: false,
          // Inside braces, or the body of an arrow (`memoize(() => require('./x'))`): runs later.
          lazy:
            (depth > 0 || /=>\s*\(?\s*$/.test(code.slice(Math.max(0, match.index - 40), match.index))) &&
            !star,
          names: star ? '*' : requiredNames(code, match.index),
          reexport: star,
        },
        stringEnd(quote),
      );
    }
  }
  // Any other relative path to a code file (`cond ? './worker.ts' : './worker.js'`) is loaded later.
  const taken = new Set(out.map((entry) => entry.offset));
  for (const [offset, value] of strings) {
    if (taken.has(offset) || !RELATIVE_CODE_PATH.test(value)) continue;
    add(offset, { typeOnly: false, lazy: true, names: '*', reexport: false });
  }
  return out.sort((a, b) => a.offset - b.offset).map((entry) => entry.ref);
}

function cjsObjectKeys(code: string, from: number): string[] | undefined {
  if (code[from] !== '{') return undefined;
  let depth = 0;
  const keys: string[] = [];
  let token = '';
  for (let i = from; i < code.length; i += 1) {
    const c = code[i] ?? '';
    if (c === '{' || c === '(' || c === '[') depth += 1;
    else if (c === '}' || c === ')' || c === ']') {
      depth -= 1;
      if (depth === 0) {
        const key = /^\s*(?:async\s+)?\*?\s*([\w$]+)/.exec(token)?.[1];
        if (key) keys.push(key);
        return keys;
      }
    } else if (c === ',' && depth === 1) {
      const key = /^\s*(?:async\s+)?\*?\s*([\w$]+)/.exec(token)?.[1];
      if (key) keys.push(key);
      token = '';
      continue;
    }
    if (depth === 1 && c !== '{') token += c;
  }
  return undefined;
}

/** Read a JavaScript/TypeScript file's imports, exports and top-level definitions. */
export function jsModuleFacts(path: string, text: string, scanned: ScannedCode): ModuleFacts {
  const { code, strings } = scanned;
  const starts = lineStarts(text);
  const refs = imports(scanned, starts, path.endsWith('.d.ts'));
  const names = new Map<string, number>();
  const starFrom: string[] = refs
    .filter((ref) => ref.reexport && ref.names === '*' && ref.exportedAs === undefined)
    .map((ref) => ref.specifier);
  let dynamic = CJS_DYNAMIC.test(code);
  for (const ref of refs) {
    for (const name of ref.exportedAs ?? []) names.set(name, ref.line);
  }
  for (const match of code.matchAll(EXPORT_DECLARATION)) {
    names.set(match[1] ? 'default' : (match[3] ?? ''), lineAt(starts, match.index));
  }
  for (const match of code.matchAll(EXPORT_DESTRUCTURE)) {
    const object = match[1] === '{';
    for (const part of (match[2] ?? '').split(',')) {
      // `key: alias = fallback` binds alias; `key = fallback` and `...rest` bind key and rest.
      const binding = (object ? (part.split(':').pop() ?? '') : part).replace(/=.*$/s, '').replace('...', '');
      const name = /^\s*([\w$]+)\s*$/.exec(binding)?.[1];
      if (name) names.set(name, lineAt(starts, match.index));
    }
  }
  for (const match of code.matchAll(EXPORT_LIST)) {
    for (const part of (match[1] ?? '').split(',')) {
      const name = /(?:^|\s)([\w$]+)\s*$/.exec(part.replace(/^\s*type\s+/, ''))?.[1];
      if (name) names.set(name, lineAt(starts, match.index));
    }
  }
  for (const match of code.matchAll(EXPORT_DEFAULT)) names.set('default', lineAt(starts, match.index));
  for (const match of code.matchAll(CJS_MEMBER)) names.set(match[1] ?? '', lineAt(starts, match.index));
  for (const match of code.matchAll(CJS_DEFINE)) {
    const name = strings.get(match.index + match[0].length - 1);
    if (name) names.set(name, lineAt(starts, match.index));
  }
  for (const match of code.matchAll(CJS_ASSIGN)) {
    const valueStart = match.index + match[0].length;
    names.set('default', lineAt(starts, match.index));
    const keys = cjsObjectKeys(code, valueStart);
    if (keys) for (const key of keys) names.set(key, lineAt(starts, match.index));
    else if (code.startsWith('require', valueStart)) {
      const required = refs.find((ref) => ref.line === lineAt(starts, valueStart));
      if (required) starFrom.push(required.specifier);
    } else dynamic = true;
  }
  names.delete('');
  const definitions: Definition[] = [];
  const depthAt = depthCounter(code);
  for (const match of code.matchAll(FUNCTION_DEFINITION)) {
    const before = code.charCodeAt(match.index - 1);
    if (before === 46 || before === 36) continue; // `.function`, `$class`
    if (depthAt(match.index) > 0) continue;
    const name = match[1] ?? match[3] ?? match[4];
    if (!name) continue;
    const exported =
      names.has(name) || EXPORTED_BEFORE.test(code.slice(Math.max(0, match.index - 40), match.index));
    definitions.push({
      name,
      line: lineAt(starts, match.index),
      kind: match[2] ? 'class' : 'function',
      exported,
    });
  }
  for (const match of code.matchAll(CRUD_METHOD)) {
    const name = match[1] ?? '';
    if (definitions.some((definition) => definition.name === name)) continue;
    const line = lineAt(starts, match.index + match[0].indexOf(name));
    definitions.push({ name, line, kind: 'method', exported: false });
  }
  return {
    imports: refs,
    exports: { names, starFrom, dynamic },
    definitions,
    script: text.startsWith('#!') || code.includes('require.main') || code.includes('import.meta.main'),
    loads: loads(code, strings),
  };
}

const GLOB_LOADER = /(?:require\.context|import\.meta\.glob(?:Eager)?)\s*\(\s*(['"`])/g;

/** Folders a file loads modules from by computed name. */
function loads(code: string, strings: Map<number, string>): string[] {
  const out: string[] = [];
  for (const match of code.matchAll(GLOB_LOADER)) {
    const value = strings.get(match.index + match[0].length - 1) ?? '.';
    out.push(value.replace(/[*{[].*$/, '').replace(/\/$/, '') || '.');
  }
  const computedLoad = /\b(?:require|import)\s*\(\s*(?!['"`)])/.test(code);
  if (computedLoad && /\breaddir(?:Sync)?\s*\(|\b(?:glob|globSync|fg)\s*\(/.test(code)) {
    out.push('.');
  }
  return out;
}
