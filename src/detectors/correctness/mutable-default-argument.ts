import type { SgNode } from '@ast-grep/napi';
import { escapeRegExp } from '../../core/regex-literal.ts';
import { codeText } from '../security/sink-finding.ts';
import type { FileDetector } from '../types.ts';
import { findingAt } from './finding-at.ts';

const MUTATORS = 'append|extend|insert|update|add|pop|popitem|setdefault|clear|remove|discard|sort|reverse';

/**
 * Whether the function body mutates the parameter in place (method call, item assignment, `+=`)
 * before rebinding it: `attrib = attrib.copy()` or `default_variables = copy.copy(…)` first makes
 * every later mutation touch a fresh object.
 */
function mutates(fn: SgNode, name: string): boolean {
  const body = fn.field('body')?.text() ?? '';
  const escaped = escapeRegExp(name);
  // The parameter itself, not an attribute of the same name (bottle's `self.env.globals.update(globals)`).
  const own = `(?<![\\w.])${escaped}`;
  const mutation = new RegExp(
    `${own}\\.(?:${MUTATORS})\\(|${own}\\[[^\\]]*\\]\\s*=(?!=)|${own}\\s*(?:\\+=|\\|=)|\\bdel\\s+${escaped}\\[`,
  ).exec(body);
  if (!mutation) return false;
  const rebind = new RegExp(`^[ \\t]*${escaped}\\s*=(?!=)`, 'm').exec(body);
  return !rebind || rebind.index > mutation.index;
}

/** A Python default argument that is a mutable list, dict or set, shared by every call. */
export const mutableDefaultArgument: FileDetector = {
  id: 'correctness/mutable-default-argument',
  category: 'correctness',
  scope: 'file',
  requires: /=\s*(?:[[{]|(?:collections\.)?(?:list|dict|set|defaultdict)\()/,
  languages: ['python'],
  title: 'Mutable default argument shared between calls',
  description:
    'Python evaluates a default value once, when the function is defined, so a list/dict/set default is one object shared by every call. Anything a call adds to it leaks into later calls, which gives order-dependent results and tests that pass alone but fail together.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Using `None` and creating a fresh object inside the function gives every call the behaviour callers already assume.',
  confidence: 'MED',
  fixSketch:
    'Default to `None` and create the object inside the function: `def f(items=None):` then `if items is None: items = []`. Update the type hint to `Optional[...]` / `X | None`.',
  steps: [
    'Open the cited function and change the mutable default (`[]`, `{}`, `set()`, `list()`, `dict()`) to `None`, updating the type annotation to allow None.',
    'As the first statement of the function body, add `if <param> is None:` followed by `<param> = <the original default>`.',
    'Add a test that calls the function twice without the argument (mutating the result of the first call if the function returns it) and asserts the second call is unaffected.',
  ],
  rule: {
    rule: {
      any: [{ kind: 'default_parameter' }, { kind: 'typed_default_parameter' }],
      has: {
        field: 'value',
        any: [
          { kind: 'list' },
          { kind: 'dictionary' },
          { kind: 'set' },
          { kind: 'call', regex: '^(list|dict|set|collections\\.defaultdict|defaultdict)\\(' },
        ],
      },
      inside: { kind: 'parameters', inside: { kind: 'function_definition' } },
    },
  },
  match(node, file) {
    const name = node.field('name')?.text() ?? '';
    // `_cache={}` / `memo={}`: the shared default is the point (a deliberate memoisation idiom).
    if (/cache|memo/i.test(name)) return undefined;
    const fn = node.parent()?.parent();
    const mutated = fn !== null && fn !== undefined && name !== '' && mutates(fn, name);
    const value = node.field('value');
    const shown = value ? codeText(value, 30) : '';
    return findingAt(file, node, {
      confidence: mutated ? 'HIGH' : 'LOW',
      // Never changed in place, the shared object does no harm today: a lead for the next edit.
      ...(mutated ? {} : { impact: 'LOW' as const }),
      message: mutated
        ? `\`${name}\` defaults to \`${shown}\`, one object shared by every call, and the function modifies it, so data from one call leaks into the next.`
        : `\`${name}\` defaults to \`${shown}\`, one object shared by every call; any caller or future edit that modifies it leaks state into later calls.`,
    });
  },
};
