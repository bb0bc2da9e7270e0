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
  const body = ownBody(fn, name);
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

/**
 * Whether the function only ever stores into the parameter (`reason['expired'] = 1`), never reads
 * it: fail2ban's `addBanTicket(self, ticket, reason={})`, an out-parameter for callers that pass
 * their own dict. What lands in the shared default is never read back.
 */
function writeOnly(fn: SgNode, name: string): boolean {
  const body = ownBody(fn, name);
  const uses = [...body.matchAll(new RegExp(`(?<![\\w.])${escapeRegExp(name)}(?![\\w])`, 'g'))];
  return (
    uses.length > 0 &&
    uses.every((use) => /^\[[^\]\n]*\]\s*=(?!=)/.test(body.slice((use.index ?? 0) + name.length)))
  );
}

/**
 * The function's body without the nested functions that take a parameter of the same name: in
 * pecan's `ForwardRequestException.__init__(self, url=None, environ={})`, the `environ` that an
 * inner `__call__(self, environ, start_response)` changes is its own.
 */
function ownBody(fn: SgNode, name: string): string {
  const body = fn.field('body');
  if (!body) return '';
  let text = body.text();
  const start = body.range().start.index;
  const own = new RegExp(`(?<![\\w.])${escapeRegExp(name)}(?![\\w])`);
  const shadowing = body
    .findAll({ rule: { any: [{ kind: 'function_definition' }, { kind: 'lambda' }] } })
    .filter((inner) => own.test(inner.field('parameters')?.text() ?? ''))
    .sort((a, b) => b.range().start.index - a.range().start.index);
  for (const inner of shadowing) {
    const from = inner.range().start.index - start;
    const to = inner.range().end.index - start;
    if (from >= 0 && to <= text.length)
      text = `${text.slice(0, from)}${' '.repeat(to - from)}${text.slice(to)}`;
  }
  return text;
}

/** A Python default argument that is a mutable list, dict or set, shared by every call. */
/**
 * Whether the function is private (`_name`) and every call of it in the file passes `name`, by
 * keyword or by position: Ironic's `_create_config_job(…, raid_config_job_ids=[])`, whose five
 * callers all pass their own lists. A public function's callers are elsewhere too.
 */
function alwaysPassed(fn: SgNode, parameter: SgNode, name: string): boolean {
  const functionName = fn.field('name')?.text() ?? '';
  if (!/^_[A-Za-z]/.test(functionName) || /^__\w+__$/.test(functionName)) return false;
  const parameters = (fn.field('parameters')?.children() ?? []).filter(
    (c) => c.isNamed() && c.kind() !== 'comment',
  );
  const bound = /^(?:self|cls)$/.test(parameters[0]?.text() ?? '') ? 1 : 0;
  const position = parameters.findIndex((c) => c.id() === parameter.id()) - bound;
  const calls = fn
    .getRoot()
    .root()
    .findAll({ rule: { kind: 'call', has: { field: 'function', regex: `(?:^|\\.)${functionName}$` } } });
  if (calls.length === 0 || position < 0) return false;
  return calls.every((call) => {
    const args = (call.field('arguments')?.children() ?? []).filter(
      (c) => c.isNamed() && c.kind() !== 'comment',
    );
    // `f(*args)`, `f(**options)`: what they pass is not written here.
    if (args.some((arg) => /^(?:list_splat|dictionary_splat)$/.test(String(arg.kind())))) return false;
    const positional = args.filter((arg) => arg.kind() !== 'keyword_argument');
    return (
      positional.length > position ||
      args.some((arg) => arg.kind() === 'keyword_argument' && arg.field('name')?.text() === name)
    );
  });
}

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
    // `def __repr__(self, _repr_running={})` (the OrderedDict recipe's recursion guard): a leading
    // underscore keeps a parameter out of the signature callers use, the usual way to hold state
    // between calls on purpose.
    if (mutated && name.startsWith('_')) {
      return findingAt(file, node, {
        confidence: 'LOW',
        impact: 'LOW',
        message: `\`${name}\` defaults to \`${shown}\`, one object shared by every call, and the function modifies it; the leading underscore marks it private, the idiom for state kept between calls on purpose (a cache, a recursion guard). If that is the intent, a module-level object says so more plainly.`,
      });
    }
    if (mutated && fn && writeOnly(fn, name)) {
      return findingAt(file, node, {
        confidence: 'LOW',
        impact: 'LOW',
        message: `\`${name}\` defaults to \`${shown}\`, one object shared by every call, but the function only stores into it and never reads it: an out-parameter for callers that pass their own. Calls that leave it out fill the shared default, which nothing reads; \`None\` and a fresh object would still be clearer.`,
      });
    }
    if (mutated && fn && alwaysPassed(fn, node, name)) {
      return findingAt(file, node, {
        confidence: 'LOW',
        impact: 'LOW',
        message: `\`${name}\` defaults to \`${shown}\`, one object shared by every call, and the function modifies it; every call of this private function in the file passes \`${name}\`, so the shared default is not reached today. The first call that leaves it out will leak state between calls.`,
      });
    }
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
