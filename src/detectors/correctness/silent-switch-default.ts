import type { SgNode } from '@ast-grep/napi';
import type { Confidence } from '../../core/types.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { findingAt } from './finding-at.ts';
import { enumMembers, isPlainString, literalUnion } from './literal-union.ts';

/** Lines that hold an exhaustiveness check: `const x: never = …`, `assertNever(…)`, `satisfies never`. */
const EXHAUSTIVE = /:\s*never\s*=|assertNever\(|assertUnreachable\(|exhaustive\w*\(|satisfies never/i;
const EXHAUSTIVE_GREP =
  ':[[:space:]]*never[[:space:]]*=|assertNever[(]|assertUnreachable[(]|[Ee]xhaustive[A-Za-z]*[(]|satisfies never';

/** Statements that make a `default:` do nothing: `break;`, `return;`, `continue;`. */
const NO_OP = /^(?:break|return|continue)\s*;?$/;

function unwrapParens(node: SgNode): SgNode {
  let current = node;
  while (current.kind() === 'parenthesized_expression') {
    const inner = current.children().find((c) => c.isNamed());
    if (!inner) break;
    current = inner;
  }
  return current;
}

/** The values the cases test, when every case is a string literal or a member of one enum. */
function caseValues(cases: readonly SgNode[]): { values: string[]; enumName?: string } | undefined {
  const values = cases.map((c) => c.field('value'));
  if (values.every((v) => v?.kind() === 'string')) {
    return { values: values.map((v) => (v?.text() ?? '').slice(1, -1)) };
  }
  const members = values.map((v) =>
    v?.kind() === 'member_expression' ? /^([A-Z]\w*)\.(\w+)$/.exec(v.text()) : null,
  );
  const enumName = members[0]?.[1];
  if (!enumName || !members.every((m) => m?.[1] === enumName)) return undefined;
  return { values: members.map((m) => m?.[2] ?? ''), enumName };
}

/** The statements of a `default:` clause, and whether it is silent (no statements or only a no-op). */
function isSilentDefault(clause: SgNode, last: boolean, lines: readonly string[]): boolean {
  const statements = clause.children().filter((c) => c.isNamed());
  // A comment says what the default is for: a decision, not an oversight. The parser may hang a
  // trailing comment (`default: break; // nothing to do`) outside the clause, so read the lines too.
  const { start, end } = clause.range();
  const text = lines
    .slice(start.line, end.line + 1)
    .join('\n')
    .slice(start.column);
  if (statements.some((s) => s.kind() === 'comment') || /\/\/|\/\*/.test(text)) return false;
  // An empty default that is not last falls through to the next case: it does something.
  if (statements.length === 0) return last;
  return statements.length === 1 && NO_OP.test(statements[0]?.text() ?? '');
}

function matchSwitch(node: SgNode, file: FileInput): RawFinding | undefined {
  const clauses =
    node
      .field('body')
      ?.children()
      .filter((c) => c.kind() === 'switch_case' || c.kind() === 'switch_default') ?? [];
  const cases = clauses.filter((c) => c.kind() === 'switch_case');
  const index = clauses.findIndex((c) => c.kind() === 'switch_default');
  const fallback = clauses[index];
  if (!fallback || cases.length < 2 || !isSilentDefault(fallback, index === clauses.length - 1, file.lines))
    return undefined;
  const tested = caseValues(cases);
  if (!tested) return undefined;
  const discriminant = node.field('value');
  const subject = discriminant ? unwrapParens(discriminant) : undefined;
  const members = tested.enumName
    ? enumMembers(tested.enumName, node.getRoot().root())
    : subject
      ? literalUnion(subject)
      : undefined;
  if (subject && isPlainString(subject)) return undefined;
  const what = subject ? `\`${subject.text().slice(0, 40)}\`` : 'the value';
  let confidence: Confidence = 'LOW';
  let message = `This \`switch\` over ${what} tests ${tested.enumName ? `members of \`${tested.enumName}\`` : 'string literals'} and its \`default:\` does nothing. If ${what} is a union, a member added later is silently ignored here instead of failing the typecheck.`;
  if (members) {
    const missing = [...members].filter((m) => !tested.values.includes(m));
    confidence = 'MED';
    message =
      missing.length === 0
        ? `Every member of ${what}’s type has a case, so this \`default:\` is unreachable today; when a member is added, it will land here and silently do nothing instead of failing the typecheck.`
        : `This \`default:\` silently does nothing for ${missing.map((m) => `\`${m}\``).join(', ')}, which ${what}’s type allows but no case handles; the compiler cannot point out the gap.`;
  }
  // Done once the file has one more exhaustiveness check than now (the typecheck proves it is sound).
  const checks = file.lines.filter((line) => EXHAUSTIVE.test(line)).length;
  return findingAt(file, fallback, {
    confidence,
    message,
    doneCheck: `[ "$(grep -cE -- ${shellQuote(EXHAUSTIVE_GREP)} ${shellQuote(file.path)})" -gt ${checks} ]`,
  });
}

/** A `default:` that silently does nothing in a switch over string literals or enum members (TS). */
export const silentSwitchDefault: FileDetector = {
  id: 'correctness/silent-switch-default',
  category: 'correctness',
  scope: 'file',
  requires: /\bdefault\s*:/,
  languages: ['typescript', 'tsx'],
  title: 'Silent `default:` hides unhandled union members',
  description:
    'A `switch` over a union of string literals (or an enum) ends in a `default:` that does nothing. TypeScript can check that such a switch handles every member, but only without a catch-all: with this default, a member nobody handles — today or added later — is silently ignored at runtime.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'An exhaustiveness check changes behaviour only for values the switch did not handle, which were being ignored.',
  confidence: 'MED',
  fixSketch:
    'List every member as a case (an explicit `case "x": break; // nothing to do for x` where ignoring is right), and make the default an exhaustiveness check: `default: { const unhandled: never = value; throw new Error("Unhandled: " + String(unhandled)); }`.',
  steps: [
    'Open the cited switch and find the type of the value it switches on (its declaration or the type alias/enum).',
    'Add a case for every member that is not handled yet; where doing nothing is correct, write `case "member": break;` with a comment saying why.',
    'Replace the silent default with an exhaustiveness check: `default: { const unhandled: never = value; throw new Error("Unhandled value: " + String(unhandled)); }` (use the switched expression for `value`), or the project’s `assertNever` helper if it has one.',
    'Run the typecheck (it must pass) and the tests; add a test for any member that now gets explicit handling.',
  ],
  rule: { rule: { kind: 'switch_statement' } },
  match: matchSwitch,
};
