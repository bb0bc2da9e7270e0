import { ONE_OFF_PATH } from '../one-off-code.ts';
import type { RawFinding, RepoDetector } from '../types.ts';

/** Normalised lines per window: a block must span at least this many meaningful lines. */
const WINDOW = 8;
const MIN_TOKENS = 60;
/** A window must contain this many different normalised lines (rules out repetitive tables). */
const MIN_DISTINCT = 4;
/** Windows found in more places than this are boilerplate, not a copy worth a finding. */
const MAX_OCCURRENCES = 6;
const MAX_FINDINGS = 10;
const MAX_SIZE = 300_000;

const KEYWORDS = new Set(
  (
    'async await break case catch class const continue def default delete do elif else except export extends ' +
    'finally for from function if import in instanceof interface lambda let new not of or and pass raise return ' +
    'static super switch this throw try type typeof var void while with yield self None True False null undefined true false'
  ).split(' '),
);

const FNV_OFFSET = 0x811c9dc5;
/** One step of FNV-1a over a character code: what `wordHash` and `normalise` both mix words with. */
function mixChar(hash: number, code: number): number {
  return Math.imul(hash ^ code, 0x01000193);
}

/** A word's hash as `normalise` computes it while reading the word (30 bits, so a small integer). */
function wordHash(word: string): number {
  let hash = FNV_OFFSET;
  for (let at = 0; at < word.length; at += 1) hash = mixChar(hash, word.charCodeAt(at));
  return hash & 0x3fffffff;
}

/** Keywords by word hash, each with its token value (identifiers, strings and numbers are 1–3). */
const KEYWORD_BY_HASH = new Map<number, { word: string; value: number }[]>();
[...KEYWORDS].forEach((word, index) => {
  const hash = wordHash(word);
  KEYWORD_BY_HASH.set(hash, [...(KEYWORD_BY_HASH.get(hash) ?? []), { word, value: 4 + index }]);
});
const IDENTIFIER = 1;
const STRING = 2;
const NUMBER = 3;
/** Symbols are tokens `SYMBOL + char code`, above every keyword's value. */
const SYMBOL = 256;

/** A file's meaningful lines, normalised: parallel arrays, one entry per line kept. */
interface FileLines {
  path: string;
  /** 1-based line numbers in the file. */
  line: number[];
  /** Each line's normalised token sequence, as a 53-bit hash (see `normalise`). */
  id: number[];
  tokens: number[];
}

/** A line's tokens, normalised: identifiers, strings and numbers each one token, keywords and symbols as written. */
interface Normalised {
  /**
   * A 53-bit hash of the token sequence: equal lines up to renaming have equal ids. Two lanes of
   * FNV-style mixing; on a million distinct lines, the chance that two of them share an id is
   * about one in ten thousand (and a false copy would also need eight such lines in a row).
   */
  id: number;
  count: number;
  /**
   * Whether the line has no word (identifier or keyword): brackets, numbers and strings only, a
   * row of a data table (passlib's DES permutation constants) rather than logic.
   */
  wordless: boolean;
}

function isWordStart(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** `\w` of a regular expression. */
function isWordChar(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || isDigit(code);
}

/** `\s` of a regular expression. */
function isSpace(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** A character `.` of a regular expression does not match. */
function isLineTerminator(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

/** Where the string opened by the quote at `start` ends (after its closing quote); -1 if not on this line. */
function stringEnd(line: string, start: number, quote: number): number {
  for (let at = start + 1; at < line.length; at += 1) {
    const code = line.charCodeAt(at);
    if (code === quote) return at + 1;
    if (code === 92) {
      if (at + 1 >= line.length || isLineTerminator(line.charCodeAt(at + 1))) return -1;
      at += 1;
    } else if (isLineTerminator(code)) {
      return -1;
    }
  }
  return -1;
}

/**
 * Tokenise a line: a comment ends it; a string on one line, a word, a number (a digit, then word
 * characters and dots) or any other character is a token. Written by hand (not as one regular
 * expression) because it runs on every line of every source file.
 */
function normalise(line: string, python: boolean): Normalised {
  let low = 0x811c9dc5;
  let high = 0x9747b28c;
  let count = 0;
  let wordless = true;
  const push = (token: number) => {
    low = Math.imul(low ^ token, 0x01000193);
    high = Math.imul(high ^ token, 0x5bd1e995);
    high ^= high >>> 15;
    count += 1;
  };
  let at = 0;
  while (at < line.length) {
    const code = line.charCodeAt(at);
    if (isSpace(code)) {
      at += 1;
      continue;
    }
    if (python ? code === 35 : code === 47 && line.charCodeAt(at + 1) === 47) break;
    let end = -1;
    let token = 0;
    if (code === 34 || code === 39 || code === 96) {
      // A quote whose string does not close on this line is a token of its own, read as a string.
      end = Math.max(stringEnd(line, at, code), at + 1);
      token = STRING;
    } else if (isWordStart(code)) {
      // The word's hash as it is read (wordHash), to look it up among keywords without a slice.
      let hash = mixChar(FNV_OFFSET, code);
      end = at + 1;
      for (let next = line.charCodeAt(end); isWordChar(next) || next === 36; next = line.charCodeAt(end)) {
        hash = mixChar(hash, next);
        end += 1;
      }
      token = IDENTIFIER;
      wordless = false;
      const keywords = KEYWORD_BY_HASH.get(hash & 0x3fffffff);
      if (keywords) {
        for (const keyword of keywords) {
          if (keyword.word.length === end - at && line.startsWith(keyword.word, at)) token = keyword.value;
        }
      }
    } else if (isDigit(code)) {
      end = at + 1;
      for (let next = line.charCodeAt(end); isWordChar(next) || next === 46; next = line.charCodeAt(end))
        end += 1;
      token = NUMBER;
    }
    if (end === -1) {
      push(SYMBOL + code);
      at += 1;
    } else {
      push(token);
      at = end;
    }
  }
  // 32 bits of one lane and 21 of the other: an integer a double holds exactly.
  return { id: (low >>> 0) * 0x200000 + (high >>> 11), count, wordless };
}

/**
 * A property set to a literal (`impact: 'MED',`, `"timeout": 30,`, `riskReason:` before its text):
 * a field of a record, not logic. Records that share a shape (every detector's metadata, every
 * route's options) would otherwise read as copies of one another.
 */
const DATA_LINE =
  /^(?:[\w$]+|'[^']*'|"[^"]*")\s*:\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`$]*`|-?\d[\w.]*|true|false|null|undefined|True|False|None)?\s*,?$/;

function isSkippable(trimmed: string, tokens: Normalised): boolean {
  if (trimmed === '' || tokens.count === 0) return true;
  if (DATA_LINE.test(trimmed)) return true;
  if (
    /^(import\b|from\s+\S+\s+import\b|export\s+(\*|\{[^}]*\})\s+from\b|#include\b|using\b|package\b)/.test(
      trimmed,
    )
  ) {
    return true;
  }
  if (tokens.count <= 8 && /\brequire\(\s*["'`]/.test(trimmed)) return true;
  if (/^(\*|\/\*|\*\/|"""|''')/.test(trimmed)) return true; // block comments and docstrings
  return tokens.wordless; // brackets, or a row of constants
}

/**
 * TypeScript overload declarations: a signature on its own line (`<A, B>(self: Ref<A>, f: …): Effect<B>`)
 * or a whole `export const name: { …signatures… } = internal.name` block. Parallel APIs (Ref/TRef,
 * data-first/data-last) repeat these by design, and they hold no logic.
 */
const OVERLOAD_SIGNATURE = /^<[A-Z][^()]*>\s*\(.*\)\s*:\s*\S/;
const OVERLOAD_OPEN = /^export\s+(?:declare\s+)?const\s+[\w$]+\s*:\s*(?:\{|(?:<.*>)?\()$/;
/**
 * The type ends at the first unindented `}` or `)` (`} = internal.name`, `) => A = decodeUnknownSync`,
 * or `} = {` before a value).
 */
const OVERLOAD_CLOSE = /^[})]/;
/** A type argument list on lines of its own (`export const update = dual<` … `>(2, …)`): types only. */
const TYPE_ARGUMENTS_OPEN = /[\w$]<$/;
const TS_FILE = /\.[cm]?tsx?$/;

/**
 * The runtime helpers a compiler writes at the top of each output file (esbuild's
 * `var __defProp = Object.defineProperty;` … `var __spreadValues = (a, b) => {…}`, tsc's
 * `var __awaiter = (this && this.__awaiter) || function (…) {…}`): the same in every file by
 * construction, so never a copy anyone made.
 */
const HELPER_DECLARATION = /^var __[\w$]+ = /;
const USE_STRICT = /^["']use strict["'];?$/;
/**
 * A comment line (`// …`, `/* …`, ` * …`): a licence header the build copies above the helpers
 * (nocobase's `lib/*.js`, whose 8-line header made every file's helpers read as a copy).
 */
const COMMENT_LINE = /^(?:\/\/|\/\*|\*)/;
/**
 * esbuild's CommonJS wrapper below the helpers: `var x_exports = {};`, the export table
 * `__export(x_exports, {` … `name: () => name,` … `});` and `module.exports = __toCommonJS(x_exports);`,
 * then the imports `var import_fs = __toESM(require("fs"));`. Written by the compiler from the
 * module's exports and imports: two modules that export ten names each are no copy.
 */
const EXPORTS_OBJECT = /^var [\w$]+_exports = \{\};$/;
const EXPORT_TABLE_OPEN = /^__export\([\w$]+_exports, \{$/;
const EXPORTS_ASSIGNMENT = /^module\.exports = __toCommonJS\([\w$]+\);$/;
const IMPORT_REQUIRE = /^var import_[\w$]+ = (?:__toESM\()?require\((["'])[^"']+\1\)\)?;$/;

/** What the scanner is inside: a template literal's text, or code in its `${…}` (with open braces). */
type TemplatePart = { text: true } | { text: false; braces: number };

/**
 * Follow template literals through a JavaScript line, updating `open` (innermost last): a backtick
 * opens one in code and closes it in its text, `${` opens code in the text, and the `}` that
 * matches it closes that code. Plain strings and a `//` comment in code are passed over.
 */
function followTemplates(line: string, open: TemplatePart[]): void {
  let quote = 0;
  for (let at = 0; at < line.length; at += 1) {
    const code = line.charCodeAt(at);
    const top = open[open.length - 1];
    if (top?.text) {
      if (code === 92) at += 1;
      else if (code === 96) open.pop();
      else if (code === 36 && line.charCodeAt(at + 1) === 123) {
        open.push({ text: false, braces: 0 });
        at += 1;
      }
      continue;
    }
    if (quote !== 0) {
      if (code === 92) at += 1;
      else if (code === quote) quote = 0;
      continue;
    }
    if (code === 34 || code === 39) quote = code;
    else if (code === 47 && line.charCodeAt(at + 1) === 47) return;
    else if (code === 47 && regexStartsAt(line, at)) at = regexEnd(line, at);
    else if (code === 96) open.push({ text: true });
    else if (top && code === 123) top.braces += 1;
    else if (top && code === 125) {
      if (top.braces === 0) open.pop();
      else top.braces -= 1;
    }
  }
}

/** Characters after which a `/` starts a regular expression literal (`.replace(/`/g, …)`). */
const REGEX_AFTER: ReadonlySet<number> = new Set([...'(,=:[!&|?{};'].map((char) => char.charCodeAt(0)));

/**
 * Whether the `/` at `at` starts a regular expression literal rather than a division: what comes
 * before it, spaces aside, is nothing, an operator or opening bracket, or `return`. Looks back from
 * `at` only: testing a pattern anchored at the line's end against the whole line before each `/`
 * was quadratic on long lines.
 */
function regexStartsAt(line: string, at: number): boolean {
  let before = at - 1;
  while (before >= 0 && (line.charCodeAt(before) === 32 || line.charCodeAt(before) === 9)) before -= 1;
  if (before < 0 || REGEX_AFTER.has(line.charCodeAt(before))) return true;
  return line.startsWith('return', before - 5) && !/[\w$]/.test(line.charAt(before - 6));
}

/** Where the regular expression literal opened at `start` ends (its closing `/`). */
function regexEnd(line: string, start: number): number {
  let inClass = false;
  for (let at = start + 1; at < line.length; at += 1) {
    const code = line.charCodeAt(at);
    if (code === 92) at += 1;
    else if (code === 91) inClass = true;
    else if (code === 93) inClass = false;
    else if (code === 47 && !inClass) return at;
  }
  return line.length;
}

/** A line of a template literal's text, hashed as written: text is compared, not tokenised. */
function textId(text: string): number {
  let low = 0x9e3779b9;
  let high = 0x85ebca6b;
  for (let at = 0; at < text.length; at += 1) {
    const code = text.charCodeAt(at);
    low = Math.imul(low ^ code, 0x01000193);
    high = Math.imul(high ^ code, 0x5bd1e995);
    high ^= high >>> 15;
  }
  return (low >>> 0) * 0x200000 + (high >>> 11);
}

/** Brackets a line opens minus those it closes (helpers hold no brackets inside strings). */
function bracketBalance(line: string): number {
  let depth = 0;
  for (const char of line) {
    if (char === '(' || char === '{' || char === '[') depth += 1;
    else if (char === ')' || char === '}' || char === ']') depth -= 1;
  }
  return depth;
}

/** A Python string block that starts a line (a docstring): `"""Summary`, `r'''`, with its quote. */
const PY_STRING_OPEN = /^[rRuUbBfF]{0,2}("""|''')/;
/** `@overload`, `@t.overload`, `@typing.overload`: a typed signature stub, like a TS overload. */
const PY_OVERLOAD = /^@(?:[\w.]+\.)?overload\b/;

function readLines(path: string, text: string): FileLines {
  const python = path.endsWith('.py');
  const typescript = TS_FILE.test(path);
  const file: FileLines = { path, line: [], id: [], tokens: [] };
  let overloads = false;
  let typeArguments = false;
  /** The closing quote of the Python docstring being skipped. */
  let docstring: string | undefined;
  /** Inside the parameter lines of a multi-line Python `def`. */
  let signature = false;
  /** Still in the compiler's helper prologue at the top of a JavaScript file, and its open brackets. */
  let prologue = !python;
  /** Inside a block comment that spans lines (JavaScript and TypeScript). */
  let blockComment = false;
  let helperDepth = 0;
  /** Inside a block comment before the helpers (a licence header). */
  let headerComment = false;
  /** Inside esbuild's export table (`__export(x_exports, {` … `});`). */
  let exportTable = false;
  /** The template literals open where the line starts (JavaScript and TypeScript). */
  const templates: TemplatePart[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (prologue) {
      if (helperDepth > 0 || HELPER_DECLARATION.test(trimmed)) {
        helperDepth = Math.max(0, helperDepth + bracketBalance(trimmed));
        return;
      }
      // A directive, a comment or a blank line may come before the helpers; anything else ends
      // the prologue.
      if (headerComment || COMMENT_LINE.test(trimmed)) {
        headerComment = (headerComment || trimmed.startsWith('/*')) && !trimmed.includes('*/');
        return;
      }
      if (trimmed !== '' && !USE_STRICT.test(trimmed)) prologue = false;
    }
    if (!python) {
      if (exportTable) {
        exportTable = !trimmed.startsWith('});');
        return;
      }
      if (EXPORT_TABLE_OPEN.test(trimmed)) {
        exportTable = true;
        return;
      }
      if (EXPORTS_OBJECT.test(trimmed) || EXPORTS_ASSIGNMENT.test(trimmed) || IMPORT_REQUIRE.test(trimmed))
        return;
    }
    if (python) {
      // Docstrings are prose: two functions documented alike are not copied code.
      if (docstring !== undefined) {
        if (trimmed.includes(docstring)) docstring = undefined;
        return;
      }
      const open = PY_STRING_OPEN.exec(trimmed);
      if (open?.[1]) {
        const rest = trimmed.slice(open[0].length);
        if (!rest.includes(open[1])) docstring = open[1];
        return;
      }
      // `help="""` ending a line (a traitlets option's help, JupyterHub's spawner): the lines up to
      // the closing quotes are text too, though the line that opens them is code.
      const quote = /("""|''')/.exec(trimmed)?.[1];
      if (quote && trimmed.split(quote).length % 2 === 0) docstring = quote;
      // `@t.overload` stubs up to their `...` body hold no logic (click, typeshed-style APIs).
      if (overloads || PY_OVERLOAD.test(trimmed)) {
        overloads = !/(?:^|:)\s*\.\.\.$/.test(trimmed);
        return;
      }
      // The parameter lines of a multi-line `def` signature: an API that takes the same options
      // in several methods (FastAPI's get/put/post, Jinja's Environment) declares, it does not copy.
      if (signature) {
        signature = !/\)(?:\s*->.*)?:\s*(?:#.*)?$/.test(trimmed);
        return;
      }
      if (/^(?:async\s+)?def\s+\w+\s*\(/.test(trimmed) && !/:\s*$/.test(trimmed.replace(/\s*#.*$/, '')))
        signature = true;
    }
    // A line that starts in a template literal's text (the CSS each theme of Budibase's
    // `getThemeVariables` returns, an SQL query, an HTML page): its words are text, so it is
    // compared as written; tokenised, every `--color-50: rgb(255, 255, 255);` would read alike.
    const inTemplate = !python && templates[templates.length - 1]?.text === true;
    if (!python && !inTemplate) {
      // Inside a block comment whose lines do not start with `*` (an algorithm written out in
      // prose, as in mysql2's auth_41.js): text, not code.
      if (blockComment) {
        if (trimmed.includes('*/')) blockComment = false;
        return;
      }
      if (trimmed.startsWith('/*') && !trimmed.includes('*/', 2)) {
        blockComment = true;
        return;
      }
    }
    // Only a backtick opens a template: a line without one, outside any, changes nothing.
    if (!python && (templates.length > 0 || raw.includes('`'))) followTemplates(raw, templates);
    if (typescript && !inTemplate) {
      if (overloads || OVERLOAD_OPEN.test(raw)) {
        overloads = !OVERLOAD_CLOSE.test(raw);
        return;
      }
      if (typeArguments && !trimmed.startsWith('>')) return;
      typeArguments = TYPE_ARGUMENTS_OPEN.test(trimmed);
      if (OVERLOAD_SIGNATURE.test(trimmed) && !/(?:=>|\{)\s*$/.test(trimmed)) return;
    }
    const tokens = normalise(trimmed, python);
    if (isSkippable(trimmed, tokens)) return;
    file.line.push(index + 1);
    file.id.push(inTemplate ? textId(trimmed) : tokens.id);
    file.tokens.push(tokens.count);
  });
  return file;
}

/** A literal on a line: a quote, a digit or a constant keyword. */
const LITERAL = /['"`\d]|\b(?:true|false|null|undefined|True|False|None)\b/;

/**
 * The copy's lines with whitespace collapsed, to tell exact copies from renamed ones: the lines it
 * was matched on and, between them, the ones matching skips that set a literal (`action: 'edit',`,
 * a row of constants). Those are where two copies of one block most often differ
 * (react-admin's useEditController and useShowController ask `useRequireAccess` for `'edit'` and
 * `'show'`), so they decide whether the copies are the same code.
 */
function exactLines(text: string | undefined, copy: Copy): string[] {
  const all = (text ?? '').split(/\r?\n/);
  const python = copy.file.endsWith('.py');
  const counted = new Set(copy.lines);
  const out: string[] = [];
  for (let line = copy.startLine; line <= copy.endLine; line += 1) {
    const trimmed = (all[line - 1] ?? '').trim();
    if (!counted.has(line)) {
      if (!LITERAL.test(trimmed) || /^(?:\/\/|\/\*|\*|#)/.test(trimmed)) continue;
      const tokens = normalise(trimmed, python);
      if (tokens.count === 0 || !(tokens.wordless || DATA_LINE.test(trimmed))) continue;
    }
    out.push(trimmed.replace(/\s+/g, ' '));
  }
  return out;
}

/**
 * The windows of a file that pass the size filters, as start indexes, each with a 32-bit hash of
 * its line ids. Windows are eight lines long, so each hash mixes eight ids.
 */
function eachWindow(file: FileLines, visit: (index: number, hash: number) => void): void {
  const { id, tokens } = file;
  let sum = 0;
  for (let end = 0; end < id.length; end += 1) {
    sum += tokens[end] ?? 0;
    if (end >= WINDOW) sum -= tokens[end - WINDOW] ?? 0;
    if (end < WINDOW - 1 || sum < MIN_TOKENS) continue;
    const start = end - WINDOW + 1;
    let hash = 0x811c9dc5;
    let distinct = 0;
    for (let i = start; i <= end; i += 1) {
      const value = id[i] ?? 0;
      let repeated = false;
      for (let j = start; j < i && !repeated; j += 1) repeated = id[j] === value;
      if (!repeated) distinct += 1;
      hash = Math.imul(hash ^ value, 0x01000193) >>> 0;
    }
    if (distinct < MIN_DISTINCT) continue;
    visit(start, hash);
  }
}

/** Counts per hash bucket, saturating at 2: a window whose bucket saw one window has no copy. */
const BUCKETS = 1 << 22;

interface Block {
  a: number;
  startA: number;
  b: number;
  startB: number;
  /** Number of consecutive matching windows. */
  windows: number;
}

/** Code copied between (or within) source files, found even when identifiers and literals were renamed. */
/** Copies at least this long are MED impact; shorter ones LOW. */
const LONG_COPY = 20;

/** One copy of a duplicated block: its file, its code lines and their span. */
interface Copy {
  file: string;
  lines: number[];
  startLine: number;
  endLine: number;
}

/** Copies of one block of code, found pair by pair. */
interface CopyGroup {
  size: number;
  copies: Copy[];
  /** The first copy's lines, whitespace collapsed. */
  text: string[];
  exact: boolean;
  facade: boolean;
  declarations: boolean;
  versions: string | undefined;
}

function copyOf(file: FileLines, start: number, size: number): Copy {
  const lines = file.line.slice(start, start + size);
  const startLine = lines[0] ?? 1;
  return { file: file.path, lines, startLine, endLine: lines.at(-1) ?? startLine };
}

function sameText(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((line, index) => line === b[index]);
}

function overlaps(a: Copy, b: Copy): boolean {
  return a.file === b.file && a.startLine <= b.endLine && b.startLine <= a.endLine;
}

/** A function's first line: Python `def`, JavaScript `function f(`, a method or an arrow property. */
const FUNCTION_START =
  /^(?:async\s+)?def\s+\w+\s*\(|^(?:export\s+)?(?:async\s+)?function\b|^(?:(?:public|private|protected|static|async|get|set)\s+)*[\w$]+\s*\([^)]*\)\s*(?::[^{]*)?\{$/;

/**
 * A line that does no work: a comment, Python's or JavaScript's, or a string on its own (a
 * docstring, `'use strict'`).
 */
const COMMENT_START = /^(?:#|\/\/|\/\*|\*|[rRbBuU]?(?:"[^"]*"|'[^']*');?$)/;
/** A Python triple quote, which opens or closes a docstring. */
const TRIPLE_QUOTE = /"""|'''/g;

/** The lines that do work: no blank line, comment, docstring (however many lines) or lone string. */
function workingLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let inDocstring = false;
  for (const raw of lines) {
    const line = raw.trim();
    const quotes = line.match(TRIPLE_QUOTE)?.length ?? 0;
    // A line that opens or closes a docstring, or one inside it, is the docstring's.
    const docstring = inDocstring || (quotes > 0 && /^[rRbBuU]?(?:"""|''')/.test(line));
    if (quotes % 2 === 1 && (inDocstring || docstring)) inDocstring = !inDocstring;
    if (docstring || line === '' || COMMENT_START.test(line)) continue;
    out.push(line);
  }
  return out;
}
/** Quoted text on one line, whose brackets are not the code's. */
const QUOTED = /(["'`])(?:\\.|(?!\1).)*\1/g;

/**
 * The first line of each statement: a line that continues a call's arguments or a signature's
 * parameters (an open `(` or `[` above it) belongs to the statement it continues, unless it is in
 * a function body opened inside that call (a callback). Braces are otherwise left alone, since
 * they open JavaScript blocks.
 */
function statementStarts(lines: readonly string[]): string[] {
  const starts: string[] = [];
  let depth = 0;
  // The bracket depths at which a function body handed to a call is open (`db.query(sql, args,
  // (err, rows) => {`): its lines are statements of their own, not arguments of the call.
  const bodies: number[] = [];
  for (const line of lines) {
    if (depth === 0 || depth === bodies.at(-1)) starts.push(line);
    const code = line.replace(QUOTED, '');
    for (const char of code) {
      if (char === '(' || char === '[') depth += 1;
      else if ((char === ')' || char === ']') && depth > 0) depth -= 1;
    }
    while (bodies.length > 0 && depth < (bodies.at(-1) ?? 0)) bodies.pop();
    if (depth > 0 && /(?:=>|\))\s*\{$/.test(code)) bodies.push(depth);
  }
  return starts;
}

/**
 * Whether a copied block is a row of small functions, each a statement or two (Mistral's
 * `def f(**kw): return IMPL.f(**kw)` database facade, fail2ban's server get/set delegators,
 * Designate's RPC client stubs whose signature and call wrap over several lines): at least three
 * functions, and no more than two other statements per function.
 */
function smallFunctions(lines: readonly string[]): boolean {
  const statements = statementStarts(workingLines(lines));
  const starts = statements.filter((line) => FUNCTION_START.test(line)).length;
  const decorators = statements.filter((line) => line.startsWith('@')).length;
  return starts >= 3 && statements.length - starts - decorators <= starts * 2;
}

/**
 * Python lines that declare rather than compute: a class or method header, a decorator, a call
 * handing on to the parent class, a bare return, a keyword argument on its own line.
 */
const PY_DECLARATION = [
  /^class\s+\w+.*:$/,
  /^(?:async\s+)?def\s+\w+\s*\(/,
  /^@/,
  /^(?:\w+\s*=\s*|return\s+)?super\(\)\.\w+\(.*\)$/,
  /^if not super\(\)\.\w+\(.*\):$/,
  /^return(?:\s+(?:False|True|None|\[\]|\{\}))?$/,
  /^(?:pass|\.\.\.)$/,
  /^assert\s+[\w.]+\s+is not None$/,
  /^\w+\s*=\s*[\w.]+,$/,
];
/** `name = value` or `name: T = value`: a class attribute when the line above it, less indented, is a class header. */
const PY_ASSIGNMENT = /^[A-Za-z_]\w*\s*(?::\s*[^=]+)?=\s*\S/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Whether line `index` (0-based) of `all` is an attribute of the class it sits in. */
function classAttribute(all: readonly string[], index: number): boolean {
  const line = all[index] ?? '';
  if (!PY_ASSIGNMENT.test(line.trim())) return false;
  for (let above = index - 1; above >= 0; above -= 1) {
    const text = all[above] ?? '';
    if (text.trim() === '' || indentOf(text) >= indentOf(line)) continue;
    return /^class\s/.test(text.trim());
  }
  return false;
}

/** Lines a statement may span, looked back over for the class attribute it continues. */
const STATEMENT_LINES = 40;

/**
 * Whether line `index` is a class attribute or a line of one that spans several (buildbot's
 * `objects = sautils.Table('objects', metadata, sa.Column(…), …)`): some line above it, whose
 * brackets are still open at `index`, is a class attribute.
 */
function inClassAttribute(all: readonly string[], index: number): boolean {
  if (classAttribute(all, index)) return true;
  let balance = 0;
  for (let above = index - 1; above >= 0 && above >= index - STATEMENT_LINES; above -= 1) {
    balance += bracketBalance(all[above] ?? '');
    if (balance > 0 && classAttribute(all, above)) return true;
  }
  return false;
}

/**
 * How many lines of a Python copy compute anything (undefined for other languages). Fewer than
 * half a window's, and the copy mostly declares (Django REST framework's exception classes,
 * Flask-Security's forms): classes that share a shape repeat their headers, attributes and
 * `super()` calls by design; there is little to extract.
 */
function computingLines(
  path: string,
  text: string | undefined,
  lines: readonly number[],
): number | undefined {
  if (!path.endsWith('.py')) return undefined;
  const all = (text ?? '').split(/\r?\n/);
  return lines.filter((line) => {
    const trimmed = (all[line - 1] ?? '').trim();
    return !PY_DECLARATION.some((pattern) => pattern.test(trimmed)) && !inClassAttribute(all, line - 1);
  }).length;
}

/**
 * Whether two Python copies only declare, and declare mostly different things (FastAPI's OpenAPI
 * models `Schema` and `PathItem`: `title: Optional[str] = None` beside `summary: Optional[str] =
 * None`): no line computes and fewer than half the lines read the same, so the classes share a
 * shape, not code.
 */
function differentDeclarations(
  computing: number | undefined,
  a: readonly string[],
  b: readonly string[],
): boolean {
  if (computing !== 0) return false;
  const same = a.filter((line, index) => line === b[index]).length;
  return same * 2 < a.length;
}

/** A path segment that names a version of an API: `v1`, `v1_1`, `v2.0`, `beta`, `legacy`. */
const VERSION_SEGMENT =
  /^(?:v\d+(?:[._]\d+)*|beta|alpha|legacy|compat|deprecated|experimental|unstable|preview|next|stable|current)$/i;
/** A file named as one implementation of an interface: `h11_impl.py`, `redis-backend.ts`, `pg_driver.py`. */
const BACKEND_NAME = /^(\w+?)[-_](?:impl|backend|adapter|driver)\.\w+$/;
/** The runtime a file is written for, in its name: `ws-adapter-browser.ts`, `index.node.ts`, `x.native.js`. */
const RUNTIME_SUFFIX = /[-_.](?:browser|node|web|deno|bun|worker|native|ios|android)(?=\.[^.]+$)/i;

/**
 * How two paths are versions or variants of one module, kept apart on purpose: they differ only
 * in a version segment (Zaqar's wsgi/v1_1/ and v2_0/), one has a version segment more (openai's
 * src/beta/realtime/ beside src/realtime/), or their names differ only in the runtime they are for
 * (openai's ws-adapter-browser.ts and ws-adapter-node.ts).
 */
function versionedCopies(a: string, b: string): string | undefined {
  const partsA = a.split('/');
  const partsB = b.split('/');
  if (partsA.length === partsB.length) {
    const differ = partsA.flatMap((part, i) => (part === partsB[i] ? [] : [i]));
    const at = differ[0];
    if (differ.length !== 1 || at === undefined) return undefined;
    const [first = '', second = ''] = [partsA[at] ?? '', partsB[at] ?? ''];
    if (VERSION_SEGMENT.test(first) && VERSION_SEGMENT.test(second)) return `${first} and ${second}`;
    const runtimeA = RUNTIME_SUFFIX.exec(first)?.[0];
    const runtimeB = RUNTIME_SUFFIX.exec(second)?.[0];
    if (runtimeA && runtimeB && first.replace(RUNTIME_SUFFIX, '') === second.replace(RUNTIME_SUFFIX, ''))
      return `${runtimeA.slice(1)} and ${runtimeB.slice(1)}`;
    // uvicorn's protocols/http/h11_impl.py and httptools_impl.py: one interface over two libraries.
    const backendA = BACKEND_NAME.exec(first)?.[1];
    const backendB = BACKEND_NAME.exec(second)?.[1];
    return backendA && backendB && at === partsA.length - 1
      ? `${backendA} and ${backendB} backends`
      : undefined;
  }
  const [longer, shorter] = partsA.length > partsB.length ? [partsA, partsB] : [partsB, partsA];
  if (longer.length !== shorter.length + 1) return undefined;
  const at = longer.findIndex((part, i) => part !== shorter[i]);
  const extra = longer[at] ?? '';
  const rest = [...longer.slice(0, at), ...longer.slice(at + 1)];
  return VERSION_SEGMENT.test(extra) && rest.join('/') === shorter.join('/')
    ? `${extra} and current`
    : undefined;
}

export const duplicateBlock: RepoDetector = {
  id: 'tech-debt/duplicate-block',
  category: 'tech-debt',
  scope: 'repo',
  branchReads: 'scope',
  title: 'Duplicated block of code',
  description:
    'The same block of code exists in two places (possibly with renamed variables or different literals). A bug fixed or a rule changed in one copy silently stays wrong in the other.',
  impact: 'MED',
  effort: 'M',
  risk: 'MED',
  riskReason:
    'Merging two copies into one function changes both call sites; a subtle difference between the copies can be lost.',
  confidence: 'MED',
  fixSketch:
    'Extract the shared logic into one function (parameterised by whatever differs between the copies), call it from both places, and cover it with a test.',
  steps: [
    'Open both cited ranges side by side and list every difference between them (names, literals, extra lines).',
    'Write a test for each copy that pins its current behaviour, if none exists.',
    'Extract one function that takes the differences as parameters, in a module both files can import without creating an import cycle.',
    'Replace both copies with calls to the new function; keep every difference from step 1 as an argument.',
    'Run the tests from step 2 and the full test command; all must pass.',
  ],
  quick: false,
  check(context) {
    const files: FileLines[] = [];
    const candidates = context.profile.files
      .filter(
        (file) =>
          file.role === 'source' &&
          file.language &&
          file.size <= MAX_SIZE &&
          !file.path.endsWith('.d.ts') &&
          // Migrations repeat their scaffolding and are never edited again: copies there are history.
          !ONE_OFF_PATH.test(file.path),
      )
      .map((file) => file.path)
      .sort();
    for (const path of candidates) {
      const text = context.read(path);
      if (text !== undefined) files.push(readLines(path, text));
    }
    // Two passes keep memory small: count windows per hash bucket, then key only the windows that
    // may have a copy. Bucket collisions only add keys that turn out to be single.
    const counts = new Uint8Array(BUCKETS);
    for (const file of files) {
      eachWindow(file, (_index, hash) => {
        const bucket = hash & (BUCKETS - 1);
        if ((counts[bucket] ?? 0) < 2) counts[bucket] = (counts[bucket] ?? 0) + 1;
      });
    }
    const windows = new Map<string, { file: number; index: number }[]>();
    files.forEach((file, fileIndex) => {
      eachWindow(file, (index, hash) => {
        if ((counts[hash & (BUCKETS - 1)] ?? 0) < 2) return;
        const key = file.id.slice(index, index + WINDOW).join(',');
        const list = windows.get(key) ?? [];
        list.push({ file: fileIndex, index });
        windows.set(key, list);
      });
    });
    // Matching windows on the same diagonal of the same file pair form one block.
    const diagonals = new Map<string, number[]>();
    for (const list of windows.values()) {
      if (list.length < 2 || list.length > MAX_OCCURRENCES) continue;
      for (let i = 0; i < list.length; i += 1) {
        for (let j = i + 1; j < list.length; j += 1) {
          const first = list[i];
          const second = list[j];
          if (!first || !second) continue;
          if (first.file === second.file && Math.abs(first.index - second.index) < WINDOW) continue;
          const key = `${first.file}:${second.file}:${second.index - first.index}`;
          const starts = diagonals.get(key) ?? [];
          starts.push(first.index);
          diagonals.set(key, starts);
        }
      }
    }
    const best = new Map<string, Block>();
    for (const [key, starts] of diagonals) {
      const [a = 0, b = 0, offset = 0] = key.split(':').map(Number);
      starts.sort((x, y) => x - y);
      let runStart = starts[0] ?? 0;
      let previous = runStart;
      const flush = () => {
        // A run within one file longer than its offset is a pattern repeated three or more times
        // in a row (Node-RED's route handlers): cite one period of it, so the two copies cited
        // do not overlap.
        const windows = previous - runStart + 1;
        const block: Block = {
          a,
          startA: runStart,
          b,
          startB: runStart + offset,
          windows: a === b ? Math.min(windows, offset - WINDOW + 1) : windows,
        };
        const pair = `${a}:${b}`;
        const current = best.get(pair);
        if (!current || block.windows > current.windows) best.set(pair, block);
      };
      for (const start of starts.slice(1)) {
        if (start === previous + 1) {
          previous = start;
          continue;
        }
        flush();
        runStart = start;
        previous = start;
      }
      flush();
    }
    const blocks = [...best.values()].sort(
      (x, y) => y.windows - x.windows || x.a - y.a || x.b - y.b || x.startA - y.startA,
    );
    // One code copied to three places is one finding citing every copy, not three pairs: a pair
    // whose copy overlaps a copy of a larger group already taken joins that group.
    const groups: CopyGroup[] = [];
    for (const block of blocks) {
      const fileA = files[block.a];
      const fileB = files[block.b];
      if (!fileA || !fileB) continue;
      const size = block.windows + WINDOW - 1;
      const copyA = copyOf(fileA, block.startA, size);
      const copyB = copyOf(fileB, block.startB, size);
      const joined = groups.find((group) =>
        group.copies.some((c) => overlaps(c, copyA) || overlaps(c, copyB)),
      );
      if (joined) {
        for (const copy of [copyA, copyB]) {
          if (joined.copies.some((c) => overlaps(c, copy))) continue;
          joined.copies.push(copy);
          // Exact only while every copy reads as the first one does.
          joined.exact &&= sameText(joined.text, exactLines(context.read(copy.file), copy));
        }
        continue;
      }
      if (groups.length >= MAX_FINDINGS) continue;
      const exactB = exactLines(context.read(fileB.path), copyB);
      const sourceA = context.read(fileA.path);
      const textA = exactLines(sourceA, copyA);
      // Python copies that mostly declare (class headers, attributes, `super()` calls): a lead at
      // most, and not even that when they declare different things.
      const computing = computingLines(fileA.path, sourceA, copyA.lines);
      if (differentDeclarations(computing, textA, exactB)) continue;
      groups.push({
        size,
        copies: [copyA, copyB],
        text: textA,
        exact: sameText(textA, exactB),
        // Every line of the copy, the skipped ones too: a wrapped signature's last line
        // (`limit=None, sort_dir=None):`) closes the bracket its first line opened.
        facade: smallFunctions((sourceA ?? '').split(/\r?\n/).slice(copyA.startLine - 1, copyA.endLine)),
        declarations: computing !== undefined && computing * 2 < WINDOW,
        versions: versionedCopies(fileA.path, fileB.path),
      });
    }
    const out: RawFinding[] = [];
    for (const group of groups) {
      const [first, ...rest] = group.copies;
      if (!first) continue;
      const paths = [...new Set(group.copies.map((copy) => copy.file))];
      const where =
        group.copies.length > 2
          ? `in ${group.copies.length} places`
          : paths.length === 1
            ? `twice in ${first.file}`
            : `in ${paths.join(' and ')}`;
      const cited = group.copies.map((copy) => `lines ${copy.startLine}–${copy.endLine} of ${copy.file}`);
      const listed = `${cited.slice(0, -1).join(', ')} and ${cited.at(-1) ?? ''}`;
      const lead = group.facade
        ? ' Each function in it is a statement or two that hands its arguments on (a facade or a row of accessors): there is little to extract, so this is only a lead.'
        : group.declarations
          ? ' Most of it declares (class headers and attributes, method signatures, calls to the parent class) rather than computes: classes that share a shape repeat these by design, so this is only a lead.'
          : group.versions && group.copies.length === 2
            ? ` The two files are the same module in two versions or variants (${group.versions}), kept apart on purpose so that one can change without the other: only a lead.`
            : '';
      out.push({
        file: first.file,
        startLine: first.startLine,
        endLine: first.endLine,
        related: rest.map((copy) => ({ file: copy.file, startLine: copy.startLine, endLine: copy.endLine })),
        title: `Duplicated block (${group.size} lines of code) ${where}`,
        message: `${listed.charAt(0).toUpperCase()}${listed.slice(1)} are the same code${group.exact ? '' : ' with renamed identifiers or different literals'}. A fix made in one copy will be missed in the ${group.copies.length > 2 ? 'others' : 'other'}.${lead}`,
        confidence: lead ? 'LOW' : group.exact ? 'HIGH' : 'MED',
        // A short copy is a small risk; a long one is where a fix really gets missed.
        impact: group.size >= LONG_COPY ? 'MED' : 'LOW',
      });
    }
    return out;
  },
};
