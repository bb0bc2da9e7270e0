import { jsSpecifiers } from '../../audit/import-specifiers.ts';
import { ownString } from '../../core/own-string.ts';
import type { FileRole, Language, SourceFile } from '../../core/types.ts';
import type { RepoContext } from '../types.ts';
import { scanJs, scanPython } from './code-scan.ts';
import { jsModuleFacts } from './js-module-facts.ts';
import type { ModuleFacts } from './module-facts.ts';
import { memoized, profileMemo } from './profile-memo.ts';
import { pythonModuleFacts } from './python-module-facts.ts';

/** One JS/TS or Python file of the repository, read once. */
export interface IndexedModule {
  path: string;
  language: Language;
  role: FileRole;
  lineCount: number;
  facts: ModuleFacts;
}

/** Every code file's imports, exports and definitions, and repository-wide word counts. */
export interface CodeIndex {
  modules: Map<string, IndexedModule>;
  /** Identifier → number of code files whose code (outside strings and comments) contains it. */
  words: Map<string, number>;
  /** String literal (up to 100 characters) → number of times it is written in code files. */
  strings: Map<string, number>;
}

const MAX_SIZE = 1_000_000;
const MAX_STRING = 100;
const INDEXED_ROLES: ReadonlySet<FileRole> = new Set([
  'source',
  'test',
  'example',
  'fixture',
  'config',
  'docs',
]);
const IDENTIFIER = /[A-Za-z_$][\w$]*/g;
/**
 * A string that holds an import statement at the start of one of its lines: `import x from 'y'`,
 * `import 'y'`, `const x = require('y')`. A message that only mentions `import` does not.
 */
const CODE_IN_STRING =
  /(?:^|[\n;])[ \t]*(?:import\s*(?:['"]|[\w$*{][^\n;]*?\bfrom\s*['"])|(?:const|let|var)\s+[^\n;=]+=\s*require\s*\(\s*['"])/;

const cache = profileMemo<CodeIndex>();

/** What one file contributes to the index: a pure function of its path, language and text. */
export interface FileFacts {
  lineCount: number;
  facts: ModuleFacts;
  /** Distinct identifiers in its code (outside strings and comments). */
  words: string[];
  /**
   * Its string literals of up to 100 characters, with repeats, and the package specifiers of code
   * written in a string (`import x from 'y'` in a bundler's prologue).
   */
  strings: string[];
}

/**
 * Index one file. Pure and independent of other files, so a caller may run it in a worker or
 * cache it by content hash.
 */
export function indexFile(path: string, language: Language, text: string): FileFacts {
  const python = language === 'python';
  const scanned = python ? scanPython(text) : scanJs(text);
  const facts = python ? pythonModuleFacts(text, scanned) : jsModuleFacts(path, text, scanned);
  let lineCount = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineCount += 1;
  const seen = new Set<string>();
  IDENTIFIER.lastIndex = 0;
  for (let match = IDENTIFIER.exec(scanned.code); match; match = IDENTIFIER.exec(scanned.code))
    seen.add(match[0]);
  const words = [...seen];
  const strings: string[] = [];
  for (const value of scanned.strings.values()) {
    if (value.length <= MAX_STRING) strings.push(value);
    // Code written in a string for a bundler to build (Apostrophe's admin UI prologue:
    // stripIndent`import emitter from 'tiny-emitter/instance'; …`) imports packages too: its
    // module specifiers are string literals of that code.
    if (
      !python &&
      value.length > 8 &&
      (value.includes('import') || value.includes('require')) &&
      CODE_IN_STRING.test(value)
    )
      for (const specifier of jsSpecifiers(value))
        if (!/^[./]/.test(specifier) && specifier.length <= MAX_STRING) strings.push(specifier);
  }
  // The facts outlive the text (the index keeps them for the whole run): a structured clone holds
  // copies of their names and specifiers, not views into the file (see ownString).
  return { lineCount, facts: structuredClone(facts), words, strings };
}

/**
 * Read every JS/TS and Python file once (through `context.read`) and record what it imports,
 * exports and defines. Cached per profile: the tech-debt, dx, docs and direction detectors that
 * need a whole-repository view share one pass.
 */
export function codeIndex(context: RepoContext): CodeIndex {
  return memoized(cache, context, buildCodeIndex);
}

/** Whether the code index covers `file`: a JS/TS or Python file of a code-like role, up to 1 MB. */
export function isIndexable(file: SourceFile): file is SourceFile & { language: Language } {
  return file.language !== undefined && INDEXED_ROLES.has(file.role) && file.size <= MAX_SIZE;
}

export function emptyCodeIndex(): CodeIndex {
  return { modules: new Map(), words: new Map(), strings: new Map() };
}

/** Index one more file (read through `context`); the module, or undefined when it cannot be read. */
export function addToIndex(
  index: CodeIndex,
  file: SourceFile & { language: Language },
  context: RepoContext,
): IndexedModule | undefined {
  const text = context.read(file.path);
  if (text === undefined) return undefined;
  const indexed = indexFile(file.path, file.language, text);
  const module: IndexedModule = {
    path: file.path,
    language: file.language,
    role: file.role,
    lineCount: indexed.lineCount,
    facts: indexed.facts,
  };
  index.modules.set(file.path, module);
  // Keys outlive the file's text: copied when first seen, so that they do not keep it alive.
  for (const word of indexed.words) {
    const count = index.words.get(word);
    index.words.set(count === undefined ? ownString(word) : word, (count ?? 0) + 1);
  }
  for (const value of indexed.strings) {
    const count = index.strings.get(value);
    index.strings.set(count === undefined ? ownString(value) : value, (count ?? 0) + 1);
  }
  return module;
}

function buildCodeIndex(context: RepoContext): CodeIndex {
  const index = emptyCodeIndex();
  const files = context.profile.files.filter(isIndexable).sort((a, b) => a.path.localeCompare(b.path));
  for (const file of files) addToIndex(index, file, context);
  return index;
}
