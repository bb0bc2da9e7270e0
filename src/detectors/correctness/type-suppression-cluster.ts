import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { RepoProfile } from '../../core/types.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import type { FileDetector } from '../types.ts';
import { walkFile } from '../walk.ts';
import { findingAt } from './finding-at.ts';

/** Suppressions in one file from which the file counts as one where the type checker is routinely overruled. */
export const SUPPRESSION_THRESHOLD = 3;

/** A `@ts-ignore`/`@ts-expect-error` directive with nothing after it that says why. */
const BARE_DIRECTIVE = /^(?:\/\/\/?|\/\*+)\s*@ts-(?:ignore|expect-error)\s*(?:\*\/)?\s*$/;
// The same occurrences for grep -oE, as the done check (`<any>` also matches generics such as
// `Array<any>`; the count at detection time absorbs those).
const GREP =
  '@ts-(ignore|expect-error)[[:space:]]*([*]/)?[[:space:]]*$|(^|[^A-Za-z0-9_$])as any([^A-Za-z0-9_$]|$)|<any>';
const GREP_JS =
  /@ts-(?:ignore|expect-error)[ \t]*(?:\*\/)?[ \t]*$|(?:^|[^A-Za-z0-9_$])as any(?:[^A-Za-z0-9_$]|$)|<any>/gm;

/** The text of every suppression the tree query below can count (and more). */
const SUPPRESSION_TEXT = /@ts-(?:ignore|expect-error)|\bas\s+any\b|<\s*any\s*>/g;
const DIRECTIVE = { kind: 'comment', regex: '@ts-(ignore|expect-error)' };
const AS_ANY = { kind: 'as_expression', has: { kind: 'predefined_type', regex: '^any$' } };
const CASTS = [AS_ANY, { kind: 'type_assertion', has: { kind: 'type_arguments', regex: '^<\\s*any\\s*>$' } }];

/** Directives everywhere; casts only in TypeScript (the JavaScript grammar has no cast nodes). */
const TS_SUPPRESSIONS: NapiConfig = { rule: { any: [DIRECTIVE, ...CASTS] } };
/** TSX has no `<any>x` assertion (it would be an element), and its grammar no node kind for one. */
const TSX_SUPPRESSIONS: NapiConfig = { rule: { any: [DIRECTIVE, AS_ANY] } };
const JS_SUPPRESSIONS: NapiConfig = { rule: DIRECTIVE };

/**
 * Casts that overrule nothing: a runtime global probed for what the lib types leave out
 * (`(globalThis as any).navigator`, `window as any`), and a value that is `any` already
 * (`JSON.parse(data) as any`). openai-node's cross-runtime code is full of the first. (`self` is
 * left out: effect names its parameters `self`.)
 */
const NO_OP_CAST_OPERAND = /^(?:globalThis|window|global)$|^JSON\.parse\(/;

function isCounted(node: SgNode): boolean {
  if (node.kind() === 'as_expression') {
    const operand = node.children().find((child) => child.isNamed());
    return !NO_OP_CAST_OPERAND.test(operand?.text() ?? '');
  }
  if (node.kind() !== 'comment') return true;
  return BARE_DIRECTIVE.test(node.text().trim());
}

const declarationFiles = new WeakMap<RepoProfile, Set<string>>();

/** A `.js` file next to a `.d.ts` is a build output: its directives were copied from the TypeScript source. */
function isCompiledOutput(path: string, profile: RepoProfile): boolean {
  let declarations = declarationFiles.get(profile);
  if (!declarations) {
    declarations = new Set(profile.files.map((f) => f.path).filter((f) => /\.d\.[cm]?ts$/.test(f)));
    declarationFiles.set(profile, declarations);
  }
  const stem = path.replace(/\.[cm]?js$/, '');
  return ['.d.ts', '.d.cts', '.d.mts'].some((ext) => declarations.has(stem + ext));
}

/** Three or more `as any` casts and unexplained `@ts-ignore`/`@ts-expect-error` directives in one file. */
export const typeSuppressionCluster: FileDetector = {
  id: 'correctness/type-suppression-cluster',
  category: 'correctness',
  scope: 'file',
  // At least SUPPRESSION_THRESHOLD of them in the text (see `check`): most files that have one or
  // two are then neither parsed for this detector nor walked for their comments.
  requires: new RegExp(
    Array.from({ length: SUPPRESSION_THRESHOLD }, () => `(?:${SUPPRESSION_TEXT.source})`).join('[^]*?'),
  ),
  languages: ['typescript', 'tsx', 'javascript'],
  walks: { typescript: [TS_SUPPRESSIONS], tsx: [TSX_SUPPRESSIONS], javascript: [JS_SUPPRESSIONS] },
  title: 'Type checking overruled repeatedly (`as any`, bare `@ts-ignore`)',
  description:
    'This file silences the type checker in several places (`as any` casts, `@ts-ignore`/`@ts-expect-error` with no reason given). Each one hides whatever type error is there today and every one introduced later on those lines, so mistakes the compiler would catch reach runtime instead.',
  impact: 'MED',
  effort: 'M',
  risk: 'LOW',
  riskReason:
    'Replacing casts with real types changes only compile-time checking; where it reveals a genuine error, the fix is a bug fix.',
  confidence: 'MED',
  fixSketch:
    'For each suppression, find the real type: import or declare it, narrow with a type guard (`typeof`, `in`, a zod/valibot parse), or use `unknown` plus narrowing. Where a suppression must stay, use `@ts-expect-error` with a reason (`// @ts-expect-error -- lib types miss X`), which also fails once the error is gone.',
  steps: [
    'List the suppressions the finding cites and, for each, remove it and run the typecheck command to see the error it hides.',
    'Fix the error at its cause: give the value its real type (declare an interface, import the library’s type), narrow `unknown` with a type guard or schema parse, or correct a genuine mistake the error reveals.',
    'Where the library’s types are really wrong, keep one `// @ts-expect-error -- <reason>` on that line instead of `as any`.',
    'Run the typecheck and the tests; both must pass with the suppression count below the threshold.',
  ],
  check(file, context) {
    // Every suppression counted below is one of these texts, so a file with fewer of them than
    // the threshold has no cluster: most files stop here, without reading the suppression nodes.
    if ((file.text.match(SUPPRESSION_TEXT)?.length ?? 0) < SUPPRESSION_THRESHOLD) return [];
    const root = file.ast();
    if (!root || (file.language === 'javascript' && isCompiledOutput(file.path, context.profile))) return [];
    const config =
      file.language === 'javascript'
        ? JS_SUPPRESSIONS
        : file.language === 'tsx'
          ? TSX_SUPPRESSIONS
          : TS_SUPPRESSIONS;
    const found = walkFile(file, config).filter(isCounted);
    const [first, ...rest] = found;
    if (!first || found.length < SUPPRESSION_THRESHOLD) return [];
    const line = (n: SgNode) => n.range().start.line + 1;
    const grepCount = file.text.match(GREP_JS)?.length ?? 0;
    const limit = Math.max(1, grepCount - found.length + SUPPRESSION_THRESHOLD);
    // A few casts in a long file are routine; one every hundred lines is a habit. (Fifteen casts
    // in a 5,900-line library module are boundary casts, not a file gone unchecked.)
    const dense = found.length * 100 >= file.lines.length;
    const casts = found.filter((n) => n.kind() !== 'comment').length;
    const directives = found.length - casts;
    return [
      findingAt(file, first, {
        confidence: dense ? 'MED' : 'LOW',
        // A handful of casts is a smell; dozens mean the compiler has stopped checking this file.
        impact: found.length >= 10 ? 'MED' : 'LOW',
        endLine: line(first),
        related: rest.slice(0, 9).map((n) => ({ file: file.path, startLine: line(n), endLine: line(n) })),
        title: `${found.length} type-check suppressions in one file`,
        message: `This file overrules the type checker ${found.length} times (${casts} \`as any\` cast${casts === 1 ? '' : 's'}, ${directives} unexplained \`@ts-ignore\`/\`@ts-expect-error\`; lines ${found.map(line).join(', ')}). Errors on those lines, today’s and future ones, are invisible to the compiler.`,
        doneCheck: `[ "$(grep -oE -- ${shellQuote(GREP)} ${shellQuote(file.path)} | grep -c .)" -lt ${limit} ]`,
      }),
    ];
  },
};
