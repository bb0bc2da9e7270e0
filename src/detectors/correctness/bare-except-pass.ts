import type { FileDetector, FileInput } from '../types.ts';
import { findingAt, shellQuote } from './finding-at.ts';

const EXCEPT_ANY = '^except\\s*(\\(?\\s*(Base)?Exception\\s*\\)?)?(\\s+as\\s+\\w+)?\\s*:';
// The same shapes for awk (POSIX classes only), over one line or a header line followed by `pass`.
const AWK_EXCEPT =
  '^[[:space:]]*except([[:space:]]*[(]?[[:space:]]*(Base)?Exception[[:space:]]*[)]?)?([[:space:]]+as[[:space:]]+[A-Za-z_][A-Za-z0-9_]*)?[[:space:]]*:';
const AWK_PASS = '[[:space:]]*(pass|[.][.][.])[[:space:]]*$';
const JS_EXCEPT = /^\s*except(\s*\(?\s*(Base)?Exception\s*\)?)?(\s+as\s+[A-Za-z_]\w*)?\s*:/;
const JS_PASS = /^\s*(?:pass|\.\.\.)\s*$/;

/** How many catch-all handlers whose body is just `pass`/`...` the file has, counted as the done check counts. */
function countSwallowing(file: FileInput): number {
  let count = 0;
  file.lines.forEach((line, index) => {
    const header = JS_EXCEPT.exec(line);
    if (!header) return;
    const rest = line.slice(header[0].length);
    if (JS_PASS.test(rest) || (/^\s*$/.test(rest) && JS_PASS.test(file.lines[index + 1] ?? ''))) count += 1;
  });
  return count;
}

/** Exits non-zero while the file still has `count` or more swallowing handlers. */
function doneCheck(file: FileInput): string | undefined {
  const count = countSwallowing(file);
  if (count === 0) return undefined;
  const program = `$0 ~ /${AWK_EXCEPT}${AWK_PASS}/ { n++ } prev ~ /${AWK_EXCEPT}[[:space:]]*$/ && $0 ~ /^${AWK_PASS}/ { n++ } { prev = $0 } END { exit (n >= ${count}) }`;
  return `awk ${shellQuote(program)} ${shellQuote(file.path)}`;
}

/** `except:` / `except Exception:` whose body only passes: every error, bugs included, vanishes. */
export const bareExceptPass: FileDetector = {
  id: 'correctness/bare-except-pass',
  category: 'correctness',
  scope: 'file',
  requires: /\bexcept\b/,
  languages: ['python'],
  title: 'Every exception silently ignored (`except: pass`)',
  description:
    'This handler catches every exception (a bare `except:` also catches KeyboardInterrupt and SystemExit) and does nothing, so typos, failed I/O and real bugs disappear without a trace and the code continues in a broken state.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Narrowing the exception type or logging it changes only the failure path; errors that were hidden may now surface, which is the point.',
  confidence: 'HIGH',
  fixSketch:
    'Catch only the exception you expect (`except FileNotFoundError:`), and handle it: log with context, return a fallback, or re-raise. If ignoring really is intended, use `contextlib.suppress(SpecificError)` or add a comment saying why.',
  steps: [
    'Open the cited `try` block and work out which exception the author expected from the guarded code (read the called functions’ documentation or code).',
    'Replace `except:` / `except Exception:` with that specific exception type, and replace `pass` with real handling: `logger.warning(...)` with context and a fallback value, or `raise` with context.',
    'If the exception is genuinely expected and harmless, use `with contextlib.suppress(SpecificError):` instead, or keep the handler and add a comment inside it explaining why.',
    'Add a test that makes the guarded call fail with an unexpected exception and asserts that it is no longer swallowed.',
  ],
  rule: {
    rule: {
      kind: 'except_clause',
      regex: EXCEPT_ANY,
      has: {
        kind: 'block',
        all: [
          {
            has: {
              any: [{ kind: 'pass_statement' }, { kind: 'expression_statement', regex: '^\\.\\.\\.$' }],
            },
          },
          {
            not: {
              has: {
                not: {
                  any: [{ kind: 'pass_statement' }, { kind: 'expression_statement', regex: '^\\.\\.\\.$' }],
                },
              },
            },
          },
        ],
      },
      not: { has: { kind: 'comment', stopBy: 'end' } },
    },
  },
  match(node, file) {
    const range = node.range();
    const extra: { endLine: number; doneCheck?: string } = { endLine: range.end.line + 1 };
    const check = doneCheck(file);
    if (check) extra.doneCheck = check;
    return findingAt(file, node, extra);
  },
};
