/**
 * The machine-checkable `expect` grammar of done criteria and Verify lines (CONTRACT):
 *   exit N | stdout contains "TEXT" | stdout empty | stdout matches /RE/flags
 * combined with ` and `. TEXT is a JSON string literal (so `\"` and `\\` escape).
 */
import { errorMessage, UsageError } from '../core/errors.ts';
import { regexLiteralEnd } from '../core/regex-literal.ts';

export type ExpectClause =
  | { kind: 'exit'; code: number }
  | { kind: 'stdout-contains'; text: string }
  | { kind: 'stdout-empty' }
  | { kind: 'stdout-matches'; pattern: string; flags: string };

export interface CommandResult {
  exitCode: number;
  stdout: string;
}

const GRAMMAR_HINT =
  'Use `exit N`, `stdout contains "TEXT"`, `stdout empty` or `stdout matches /RE/`, joined with ` and `.';

function fail(text: string, what: string): never {
  throw new UsageError(`Bad expect "${text}": ${what}.`, GRAMMAR_HINT);
}

/** Read a JSON string literal starting at `start` (a `"`); returns the value and the end index. */
function readQuoted(text: string, start: number): { value: string; end: number } {
  let index = start + 1;
  while (index < text.length && text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
  if (index >= text.length) fail(text, 'unterminated quoted text');
  const literal = text.slice(start, index + 1);
  let value: unknown;
  try {
    value = JSON.parse(literal);
  } catch {
    fail(text, `bad escape in ${literal}`);
  }
  if (typeof value !== 'string') fail(text, 'quoted text expected');
  return { value, end: index + 1 };
}

/** Read a `/RE/flags` literal starting at `start` (a `/`). */
function readRegex(text: string, start: number): { pattern: string; flags: string; end: number } {
  const index = regexLiteralEnd(text, start);
  if (index === -1) fail(text, 'unterminated /regex/');
  const pattern = text.slice(start + 1, index);
  const flags = /^[dgimsuvy]*/.exec(text.slice(index + 1))?.[0] ?? '';
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    fail(text, `invalid regular expression /${pattern}/${flags} (${errorMessage(error)})`);
  }
  return { pattern, flags, end: index + 1 + flags.length };
}

function readClause(text: string, start: number): { clause: ExpectClause; end: number } {
  const rest = text.slice(start);
  const exit = /^exit (\d{1,3})(?![\w])/.exec(rest);
  if (exit?.[1] !== undefined) {
    const code = Number(exit[1]);
    if (code > 255) fail(text, `exit code ${code} is out of range 0-255`);
    return { clause: { kind: 'exit', code }, end: start + exit[0].length };
  }
  if (rest.startsWith('stdout empty')) {
    return { clause: { kind: 'stdout-empty' }, end: start + 'stdout empty'.length };
  }
  if (rest.startsWith('stdout contains "')) {
    const quoted = readQuoted(text, start + 'stdout contains '.length);
    return { clause: { kind: 'stdout-contains', text: quoted.value }, end: quoted.end };
  }
  if (rest.startsWith('stdout matches /')) {
    const regex = readRegex(text, start + 'stdout matches '.length);
    return {
      clause: { kind: 'stdout-matches', pattern: regex.pattern, flags: regex.flags },
      end: regex.end,
    };
  }
  return fail(text, `cannot read "${rest}"`);
}

/** Parse an expect text into clauses; throws UsageError on anything outside the grammar. */
export function parseExpect(text: string): ExpectClause[] {
  const source = text.trim();
  if (source === '') fail(text, 'it is empty');
  const clauses: ExpectClause[] = [];
  let index = 0;
  for (;;) {
    const { clause, end } = readClause(source, index);
    clauses.push(clause);
    if (end === source.length) return clauses;
    if (!source.startsWith(' and ', end)) fail(text, `expected " and " after "${source.slice(index, end)}"`);
    index = end + ' and '.length;
  }
}

export function formatExpect(clauses: readonly ExpectClause[]): string {
  return clauses
    .map((clause) => {
      switch (clause.kind) {
        case 'exit':
          return `exit ${clause.code}`;
        case 'stdout-empty':
          return 'stdout empty';
        case 'stdout-contains':
          return `stdout contains ${JSON.stringify(clause.text)}`;
        case 'stdout-matches':
          return `stdout matches /${clause.pattern}/${clause.flags}`;
      }
      return '';
    })
    .join(' and ');
}

/** True when the command result satisfies every clause. `stdout empty` ignores whitespace. */
export function checkExpect(expect: string | readonly ExpectClause[], result: CommandResult): boolean {
  const clauses = typeof expect === 'string' ? parseExpect(expect) : expect;
  return clauses.every((clause) => {
    switch (clause.kind) {
      case 'exit':
        return result.exitCode === clause.code;
      case 'stdout-empty':
        return result.stdout.trim() === '';
      case 'stdout-contains':
        return result.stdout.includes(clause.text);
      case 'stdout-matches':
        return new RegExp(clause.pattern, clause.flags).test(result.stdout);
    }
    return false;
  });
}
