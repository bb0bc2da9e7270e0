import type { SgNode } from '@ast-grep/napi';
import { pythonCall } from './call-rules.ts';
import { calleeText } from './correctness/enclosing-function.ts';
import { shellQuote } from './dx/shell-quote.ts';
import { programWithArguments } from './merge-checks.ts';
import type { FileInput } from './types.ts';

/**
 * A done check for a Python call that the fix removes or replaces (`eval(text)` becoming
 * `ast.literal_eval(text)`), one line. It takes (file, callee pattern, cited line, count)
 * quadruples and exits 1 while a call whose callee (as Python's parser prints it) matches the
 * pattern still starts on a line reading as the cited one, or while the file holds more such calls
 * than `count` less the places the check covers; 0 otherwise. A call laid out anew or moved within
 * the file is no fix. Several places make one check (`mergeDoneChecks`).
 */
const PROGRAM = [
  'import ast,re,sys,collections',
  'a=sys.argv[1:];Q=list(zip(a[::4],a[1::4],a[2::4],a[3::4]))',
  'U=lambda f,p:[L[x.lineno-1].strip() for s in [open(f,"rb").read().decode(errors="replace")] for L in [s.split("\\n")] for x in ast.walk(ast.parse(s)) if isinstance(x,ast.Call) and re.fullmatch(p,ast.unparse(x.func))]',
  'K=collections.Counter((f,p) for f,p,t,n in Q);N={(f,p):int(n) for f,p,t,n in Q}',
  'sys.exit(any(t in U(f,p) for f,p,t,n in Q) or any(len(U(f,p))>N[f,p]-K[f,p] for f,p in K))',
].join(';');

export const CALL_COUNT_PREFIX = `python3 -c ${shellQuote(PROGRAM)} `;

/** `mergeDoneChecks` for detectors whose Python checks are `callCountCheck`s. */
export const mergeCallCounts = programWithArguments(CALL_COUNT_PREFIX);

/**
 * The done check of the Python call `node`, whose callee matches `callee` (a regular expression
 * both Python and JavaScript read alike, matched whole): it passes once the file holds fewer such
 * calls and none on the cited line.
 */
export function callCountCheck(file: FileInput, node: SgNode, callee: string): string {
  const pattern = new RegExp(`^(?:${callee})$`);
  const count = node
    .getRoot()
    .root()
    .findAll(pythonCall(`^(?:${callee})$`))
    .filter((call) => pattern.test(calleeText(call).replace(/\s+/g, ''))).length;
  const text = file.lines[node.range().start.line]?.trim() ?? '';
  return `${CALL_COUNT_PREFIX}${[file.path, callee, text, String(Math.max(1, count))].map(shellQuote).join(' ')}`;
}
