/** How a template literal's substitution reads in `ScannedCode.strings` (the text `${}`). */
export const SUBSTITUTION = `$${'{}'}`;

/** One file's code with comments and string contents blanked, and its string literals by position. */
export interface ScannedCode {
  /**
   * The text, same length and line breaks, with comments and the contents of strings, templates and
   * regex literals replaced by spaces. Quotes stay, so a string's opening quote is still findable.
   * Template substitutions (`${x}`) and f-string fields (`{x}`) stay code.
   */
  code: string;
  /** String literal values by the offset of their opening quote; a template's substitutions read `${}`. */
  strings: Map<number, string>;
}

const NEWLINE = 10;
const BACKSLASH = 92;
const SLASH = 47;
const STAR = 42;
const QUOTE = 39;
const DOUBLE_QUOTE = 34;
const BACKTICK = 96;
const DOLLAR = 36;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

/** Characters after which a `/` starts a regex literal rather than a division. */
const REGEX_AFTER = new Set('(,=:[!&|?{};+-*%<>~^'.split(''));

/**
 * Collects the blanked copy of a file in a byte buffer (one byte per UTF-16 unit, so offsets match
 * the text; characters above U+00FF keep only their low byte, which no consumer reads).
 */
class Builder {
  private readonly text: string;
  private readonly buffer: Buffer;
  readonly strings = new Map<number, string>();
  constructor(text: string) {
    this.text = text;
    this.buffer = Buffer.from(text, 'latin1');
  }
  /** Blank text[from, to) in the output, keeping line breaks. */
  blank(from: number, to: number): void {
    if (to <= from) return;
    this.buffer.fill(32, from, to);
    for (let nl = this.text.indexOf('\n', from); nl !== -1 && nl < to; nl = this.text.indexOf('\n', nl + 1)) {
      this.buffer[nl] = NEWLINE;
    }
  }
  done(): ScannedCode {
    return { code: this.buffer.toString('latin1'), strings: this.strings };
  }
}

/** End of a one-line quoted string starting at `start` (the quote), exclusive of the closing quote. */
function quotedEnd(text: string, start: number, quote: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (c === quote || c === NEWLINE) return i;
    else i += 1;
  }
  return text.length;
}

const REGEX_KEYWORDS =
  /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|new|delete|void|throw|instanceof|yield|await)$/;

/** Whether a `/` at `index` starts a regex literal: judged by the code before it. */
function startsRegex(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i -= 1) {
    const c = text[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (REGEX_AFTER.has(c)) return true;
    return /[\w$]/.test(c) && REGEX_KEYWORDS.test(text.slice(Math.max(0, i - 11), i + 1));
  }
  return true;
}

/** The text of a template literal starting at `start` (the backtick), substitutions shown as `${}`. */
function templateValue(text: string, start: number): string {
  let value = '';
  let chunk = start + 1;
  let depth = 0;
  for (let i = start + 1; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (depth === 0) {
      if (c === BACKSLASH) i += 1;
      else if (c === BACKTICK) return value + text.slice(chunk, i);
      else if (c === DOLLAR && text.charCodeAt(i + 1) === OPEN_BRACE) {
        value += text.slice(chunk, i) + SUBSTITUTION;
        depth = 1;
        i += 1;
      }
    } else if (c === OPEN_BRACE) depth += 1;
    else if (c === CLOSE_BRACE) {
      depth -= 1;
      if (depth === 0) chunk = i + 1;
    }
  }
  return value + (depth === 0 ? text.slice(chunk) : '');
}

const JS_INTERESTING = /[/'"`{}]/g;
const TEMPLATE_INTERESTING = /[\\`$]/g;

/** Scan JavaScript or TypeScript. */
export function scanJs(text: string): ScannedCode {
  const out = new Builder(text);
  /** For each open template substitution, the brace depth inside it. */
  const templates: number[] = [];
  const scanTemplate = (start: number): number => {
    // `start` is just after a backtick or the `}` closing a substitution.
    TEMPLATE_INTERESTING.lastIndex = start;
    for (let m = TEMPLATE_INTERESTING.exec(text); m; m = TEMPLATE_INTERESTING.exec(text)) {
      const j = m.index;
      const c = text.charCodeAt(j);
      if (c === BACKSLASH) TEMPLATE_INTERESTING.lastIndex = j + 2;
      else if (c === BACKTICK) {
        out.blank(start, j);
        return j + 1;
      } else if (text.charCodeAt(j + 1) === OPEN_BRACE) {
        out.blank(start, j);
        templates.push(0);
        return j + 2;
      }
    }
    out.blank(start, text.length);
    return text.length;
  };
  let i = 0;
  while (i < text.length) {
    JS_INTERESTING.lastIndex = i;
    const found = JS_INTERESTING.exec(text);
    if (!found) break;
    i = found.index;
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c === SLASH && next === SLASH) {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out.blank(i, stop);
      i = stop;
    } else if (c === SLASH && next === STAR) {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out.blank(i, stop);
      i = stop;
    } else if (c === QUOTE || c === DOUBLE_QUOTE) {
      const end = quotedEnd(text, i, c);
      out.strings.set(i, text.slice(i + 1, end));
      out.blank(i + 1, end);
      i = end + 1;
    } else if (c === BACKTICK) {
      out.strings.set(i, templateValue(text, i));
      i = scanTemplate(i + 1);
    } else if (c === OPEN_BRACE) {
      if (templates.length > 0) templates[templates.length - 1] = (templates.at(-1) ?? 0) + 1;
      i += 1;
    } else if (c === CLOSE_BRACE) {
      const depth = templates.at(-1);
      if (depth === 0) {
        templates.pop();
        i = scanTemplate(i + 1);
      } else {
        if (depth !== undefined) templates[templates.length - 1] = depth - 1;
        i += 1;
      }
    } else if (c === SLASH && startsRegex(text, i)) {
      let j = i + 1;
      let inClass = false;
      while (j < text.length && text.charCodeAt(j) !== NEWLINE) {
        const ch = text.charCodeAt(j);
        if (ch === BACKSLASH) j += 1;
        else if (ch === OPEN_BRACKET) inClass = true;
        else if (ch === CLOSE_BRACKET) inClass = false;
        else if (ch === SLASH && !inClass) break;
        j += 1;
      }
      if (text.charCodeAt(j) === SLASH) {
        out.blank(i + 1, j);
        i = j + 1;
      } else i += 1;
    } else i += 1;
  }
  return out.done();
}

const PY_PREFIX = /[rRbBuUfF]{0,2}$/;
const PY_INTERESTING = /[#'"]/g;

/**
 * End (exclusive) of a plain Python string body starting at `start`. Raw strings skip escapes the
 * same way: they cannot end in an odd backslash either.
 */
function pythonStringEnd(text: string, start: number, quote: number, triple: boolean): number {
  for (let j = start; j < text.length; j += 1) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) {
      j += 1;
      continue;
    }
    if (c === NEWLINE && !triple) return j;
    if (c !== quote) continue;
    if (!triple || (text.charCodeAt(j + 1) === quote && text.charCodeAt(j + 2) === quote)) return j;
  }
  return text.length;
}

/** Blank an f-string body, keeping `{field}` code; returns its end and its value. */
function formattedString(
  out: Builder,
  text: string,
  start: number,
  delimiter: string,
  triple: boolean,
): { end: number; value: string } {
  let j = start;
  let value = '';
  let segment = start;
  let depth = 0;
  while (j < text.length) {
    const ch = text[j];
    if (depth === 0) {
      if (ch === '\\') {
        value += text.slice(j, j + 2);
        j += 2;
        continue;
      }
      if (text.startsWith(delimiter, j) || (!triple && ch === '\n')) break;
      if ((ch === '{' || ch === '}') && text[j + 1] === ch) {
        value += ch;
        j += 2;
        continue;
      }
      if (ch === '{') {
        out.blank(segment, j);
        value += '{}';
        depth = 1;
      } else value += ch;
    } else if (ch === '{') depth += 1;
    else if (ch === '}') {
      depth -= 1;
      // The field's closing brace is code, like its opening one: blanking it left every f-string
      // field an unclosed `{`, and the logical lines after it ran together.
      if (depth === 0) segment = j + 1;
    } else if (ch === '\n' && !triple) break;
    j += 1;
  }
  if (depth === 0) out.blank(segment, j);
  return { end: j, value };
}

/** Scan Python. f-string fields stay code; comments and string contents are blanked. */
export function scanPython(text: string): ScannedCode {
  const out = new Builder(text);
  let i = 0;
  while (i < text.length) {
    PY_INTERESTING.lastIndex = i;
    const found = PY_INTERESTING.exec(text);
    if (!found) break;
    i = found.index;
    const c = text[i] ?? '';
    if (c === '#') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out.blank(i, stop);
      i = stop;
      continue;
    }
    const prefix = PY_PREFIX.exec(text.slice(Math.max(0, i - 2), i))?.[0] ?? '';
    const before = text[i - prefix.length - 1] ?? '';
    const realPrefix = /\w/.test(before) ? '' : prefix.toLowerCase();
    const triple = text.startsWith(c.repeat(3), i);
    const delimiter = triple ? c.repeat(3) : c;
    const start = i + delimiter.length;
    if (realPrefix.includes('f')) {
      const { end, value } = formattedString(out, text, start, delimiter, triple);
      out.strings.set(i, value);
      i = end + (text.startsWith(delimiter, end) ? delimiter.length : 0);
      continue;
    }
    const end = pythonStringEnd(text, start, text.charCodeAt(i), triple);
    out.strings.set(i, text.slice(start, end));
    out.blank(start, end);
    i = end + (text.startsWith(delimiter, end) ? delimiter.length : 0);
  }
  return out.done();
}

/** 0-based offsets at which each line starts, for turning offsets into 1-based line numbers. */
export { lineStarts } from '../../core/line-starts.ts';

/** 1-based line of an offset, by binary search over `lineStarts`. */
export function lineAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}
