/**
 * Assertions about constants only: `assert.equal(1, 1)`, `expect(true).toBe(true)`,
 * `assert.ok(true)`, `assert True`, `self.assertEqual(1, 1)`. They pass whatever the code under
 * test does, so a test whose only assertions are these asserts nothing: an executor that added
 * `assert.equal(1, 1)` to a new test got it past the review's test audit as "asserts".
 */
import type { SgNode } from '@ast-grep/napi';
import { callArguments } from '../correctness/enclosing-function.ts';

const JS_LITERAL_KINDS: ReadonlySet<string> = new Set([
  'number',
  'string',
  'true',
  'false',
  'null',
  'undefined',
  'regex',
]);
const PY_LITERAL_KINDS: ReadonlySet<string> = new Set([
  'integer',
  'float',
  'string',
  'concatenated_string',
  'true',
  'false',
  'none',
]);

/** A value written out in full: a literal, or an array, object, sign or comparison of literals. */
function isLiteral(node: SgNode, python: boolean): boolean {
  const kind = String(node.kind());
  if ((python ? PY_LITERAL_KINDS : JS_LITERAL_KINDS).has(kind)) {
    // An f-string or a template with substitutions reads variables.
    return !node.find({ rule: { kind: python ? 'interpolation' : 'template_substitution' } });
  }
  if (!python && kind === 'identifier') return node.text() === 'undefined' || node.text() === 'NaN';
  if (kind === 'template_string') return !node.find({ rule: { kind: 'template_substitution' } });
  const parts = node.children().filter((child) => child.isNamed() && child.kind() !== 'comment');
  switch (kind) {
    case 'parenthesized_expression':
    case 'unary_expression':
    case 'unary_operator':
    case 'not_operator':
    case 'binary_expression':
    case 'comparison_operator':
    case 'boolean_operator':
    case 'array':
    case 'list':
    case 'tuple':
    case 'object':
    case 'dictionary':
      return parts.every((part) => isLiteral(part, python));
    case 'pair':
      // `{ a: 1 }`, `{"a": 1}`: the key is a name or a literal, the value must be one.
      return node.field('value') ? isLiteral(node.field('value') as SgNode, python) : false;
    default:
      return false;
  }
}

/** A single constant: a number, a string without interpolation, a boolean, null or undefined. */
function isConstant(node: SgNode, python: boolean): boolean {
  const kind = String(node.kind());
  if (kind === 'parenthesized_expression') {
    const inner = node.children().filter((child) => child.isNamed());
    return inner.length === 1 && inner[0] !== undefined && isConstant(inner[0], python);
  }
  // `-1`: a sign on a number.
  if (kind === 'unary_expression' || kind === 'unary_operator') {
    const operand = node.field('argument');
    return (
      /^[-+]/.test(node.text()) &&
      operand !== null &&
      /^(?:number|integer|float)$/.test(String(operand.kind()))
    );
  }
  return (
    /^(?:number|integer|float|string|concatenated_string|template_string|true|false|null|none|undefined|identifier)$/.test(
      kind,
    ) && isLiteral(node, python)
  );
}

/**
 * What a constant is as a value, for telling an assertion that always passes from one that always
 * fails (`assert(false, 'unreachable')`, `self.assertTrue(False)`: how a test says a line must not
 * run, a real assertion). Undefined when it is not a single constant.
 */
function constantValue(node: SgNode, python: boolean): { truthy: boolean; nullish: boolean } | undefined {
  if (!isConstant(node, python)) return undefined;
  const text = node
    .text()
    .replace(/^\((.*)\)$/s, '$1')
    .trim();
  if (/^(?:null|undefined|None)$/.test(text)) return { truthy: false, nullish: true };
  if (/^(?:false|False|NaN)$/.test(text)) return { truthy: false, nullish: false };
  if (/^(?:true|True)$/.test(text)) return { truthy: true, nullish: false };
  if (/^[-+]?(?:0+(?:\.0*)?|0x0+|0b0+|0o0+)$/i.test(text)) return { truthy: false, nullish: false };
  if (/^(?:[rbuf]*)?(?:''|""|``)$/i.test(text)) return { truthy: false, nullish: false };
  return { truthy: true, nullish: false };
}

/** Whether a truth assertion named `name` passes for `value`; undefined for an unknown name. */
function truthPasses(name: string, value: { truthy: boolean; nullish: boolean }): boolean | undefined {
  if (/^(?:assert|ok|true|truthy|isTrue|isOk|toBeTruthy|toBeTrue|assertTrue|assert_)$/.test(name))
    return value.truthy;
  if (/^(?:false|falsy|isFalse|isNotOk|toBeFalsy|toBeFalse|assertFalse)$/.test(name)) return !value.truthy;
  if (/^(?:exists?|isDefined|toBeDefined|assertIsNotNone)$/.test(name)) return !value.nullish;
  if (/^(?:isNull|toBeNull|null|toBeUndefined|undefined|assertIsNone)$/.test(name)) return value.nullish;
  return undefined;
}

/**
 * Two values that are the same constant written the same way (`1, 1`, `true, true`, `[1], [1]`).
 * Constants written differently (`0x0, 0X0`, `1 in {}, False`) are how a language's own test suite
 * checks its parser and operators (CPython's test_int_literal), so they are left alone.
 */
function sameConstant(left: SgNode | undefined, right: SgNode | undefined, python: boolean): boolean {
  if (!left || !right || !isLiteral(left, python) || !isLiteral(right, python)) return false;
  const flat = (node: SgNode) => node.text().replace(/\s+/g, '');
  return flat(left) === flat(right);
}

/** Assertions of one value's truth: `assert(x)`, `assert.ok(x)`, `t.true(x)`. */
const JS_TRUTH_CALLEE =
  /^(?:assert|(?:assert|t|chai\.assert)\.(?:ok|true|false|truthy|falsy|isTrue|isFalse|isOk|isNotOk|exists|isDefined|isNull))$/;
/** Assertions comparing two values: `assert.equal(a, b)`, `t.is(a, b)`. */
const JS_COMPARE_CALLEE =
  /^(?:assert|t|chai\.assert)\.(?:equal|equals|strictEqual|deepEqual|deepStrictEqual|is|same|strictSame|eq|deepEquals)$/;
/** Jest, Vitest and Chai words of an `expect(…)` chain that compare or test truth: not snapshots, not throwing. */
const JS_MATCHER =
  /^(?:toBe|toEqual|toStrictEqual|toBeTruthy|toBeFalsy|toBeDefined|toBeUndefined|toBeNull|toBeTrue|toBeFalse|equal|equals|eql|deep|be|to|not|true|false|ok|null|undefined|exist|is|and)$/;
const PY_TRUTH_METHOD = /^self\.(?:assertTrue|assertFalse|assertIsNone|assertIsNotNone|assert_)$/;
const PY_COMPARE_METHOD =
  /^self\.(?:assertEqual|assertEquals|assertIs|assertListEqual|assertDictEqual|assertTupleEqual|assertCountEqual|assertSequenceEqual)$/;

/** A constant as the first value of an assertion-like call: the text every finding here has. */
const JS_CONSTANT_ASSERTION =
  /\b(?:assert|expect|ok|equal\w*|strictEqual|deepEqual\w*|is|same|eq|true|false|truthy|falsy|isTrue|isFalse|isOk|isNotOk|exists|isDefined|isNull)\s*\(\s*(?:true|false|null|undefined|NaN|[-+]?\.?\d|['"`[{(])/;
const PY_CONSTANT_ASSERTION =
  /\bassert\s+(?:True|False|None|[-+]?\.?\d|[rbuRBU]?['"[({])|\bassert\w*\s*\(\s*(?:True|False|None|[-+]?\.?\d|[rbuRBU]?['"[({])/;

/**
 * The outermost expression of `expect(constant)…`, the chain of members and calls built on it
 * (`expect(1).toEqual(1)`, `expect(true).to.be.true`), when every word in it compares or tests
 * truth and every value it compares with is the same constant. Undefined otherwise (a snapshot, a
 * throw, a value the code computed, a different constant).
 */
function constantExpectChain(expectCall: SgNode): SgNode | undefined {
  const [subject] = callArguments(expectCall);
  if (!subject || !isConstant(subject, false)) return undefined;
  let top = expectCall;
  let negated = false;
  let compared = false;
  let last = '';
  for (;;) {
    const parent = top.parent();
    if (parent?.kind() === 'member_expression' && parent.field('object')?.id() === top.id()) {
      last = parent.field('property')?.text() ?? '';
      if (!JS_MATCHER.test(last)) return undefined;
      if (last === 'not') negated = !negated;
      top = parent;
    } else if (parent?.kind() === 'call_expression' && parent.field('function')?.id() === top.id()) {
      const [expected, ...rest] = callArguments(parent);
      if (rest.length > 0 || (expected && !sameConstant(subject, expected, false))) return undefined;
      if (expected) compared = true;
      top = parent;
    } else break;
  }
  if (top === expectCall) return undefined;
  // `expect(1).toEqual(1)` always passes, `expect(1).not.toEqual(1)` always fails. With no value to
  // compare with, the last word says what is asserted: `expect(true).toBeFalsy()` always fails,
  // which is a test saying a line must not run.
  const value = constantValue(subject, false);
  const passes = compared ? true : value === undefined ? undefined : truthPasses(last, value);
  if (passes === undefined) return compared && !negated ? top : undefined;
  return passes !== negated ? top : undefined;
}

/**
 * The assertions in `body` (a test's body) that hold whatever the code does: a constant that
 * passes its truth test (`assert.ok(true)`, `assert True`; not `assert(false, 'unreachable')`,
 * which always fails and so asserts a line is never reached), or a constant compared with itself
 * (`assert.equal(1, 1)`, `expect(true).toBe(true)`, `assert 1 == 1`, `self.assertEqual(1, 1)`).
 */
export function literalAssertions(body: SgNode, python: boolean): SgNode[] {
  const found: SgNode[] = [];
  // Most tests assert about what the code computed: without a constant where an assertion's
  // first value goes, there is nothing to find, and no call of the body needs reading.
  if (!(python ? PY_CONSTANT_ASSERTION : JS_CONSTANT_ASSERTION).test(body.text())) return found;
  if (python) {
    for (const statement of body.findAll({ rule: { kind: 'assert_statement' } })) {
      const [test] = statement.children().filter((child) => child.isNamed() && child.kind() !== 'comment');
      if (!test) continue;
      const sides = test.children().filter((child) => child.isNamed());
      const operators = test
        .children()
        .filter((child) => !child.isNamed())
        .map((child) => child.text());
      const compared =
        test.kind() === 'comparison_operator' &&
        operators.length === 1 &&
        /^(?:==|is)$/.test(operators[0] ?? '') &&
        sameConstant(sides[0], sides[1], true);
      const value = constantValue(test, true);
      if (compared || value?.truthy) found.push(statement);
    }
    for (const call of body.findAll({ rule: { kind: 'call' } })) {
      const callee = call.field('function')?.text() ?? '';
      const args = callArguments(call).filter((arg) => arg.kind() !== 'keyword_argument');
      const value = args[0] ? constantValue(args[0], true) : undefined;
      if (
        (PY_TRUTH_METHOD.test(callee) && value && truthPasses(callee.replace(/^self\./, ''), value)) ||
        (PY_COMPARE_METHOD.test(callee) && sameConstant(args[0], args[1], true))
      )
        found.push(call);
    }
    return found;
  }
  for (const call of body.findAll({ rule: { kind: 'call_expression' } })) {
    const callee = call.field('function')?.text() ?? '';
    const args = callArguments(call);
    const value = args[0] ? constantValue(args[0], false) : undefined;
    if (
      (JS_TRUTH_CALLEE.test(callee) && value && truthPasses(callee.replace(/^.*\./, ''), value)) ||
      (JS_COMPARE_CALLEE.test(callee) && sameConstant(args[0], args[1], false))
    )
      found.push(call);
    else if (callee === 'expect' || callee === 'chai.expect') {
      const chain = constantExpectChain(call);
      if (chain) found.push(chain);
    }
  }
  return found;
}
/**
 * `body`'s text with its literal-only assertions taken out, for the checks that look for an
 * assertion in a test's text; the same text when it has none.
 */
export function withoutLiteralAssertions(body: SgNode, python: boolean): { text: string; removed: string[] } {
  const found = literalAssertions(body, python);
  const text = body.text();
  if (found.length === 0) return { text, removed: [] };
  const start = body.range().start.index;
  // Outermost first, so a chain inside another found node is not cut twice.
  const ranges = found
    .map((node) => ({ from: node.range().start.index - start, to: node.range().end.index - start }))
    .sort((a, b) => a.from - b.from || b.to - a.to);
  let out = '';
  let at = 0;
  for (const range of ranges) {
    if (range.from < at) continue;
    out += text.slice(at, range.from);
    at = range.to;
  }
  out += text.slice(at);
  return { text: out, removed: found.map((node) => node.text()) };
}
