import type { SgNode } from '@ast-grep/napi';
import { escapeRegExp } from '../../core/regex-literal.ts';
import { PYTEST_FILE } from '../../recon/file-role.ts';
import { jsAndPython, jsCall } from '../call-rules.ts';
import { docstringOf, enclosingFunction, kindOf } from '../correctness/enclosing-function.ts';
import { findingAt } from '../correctness/finding-at.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import { programWithArguments } from '../merge-checks.ts';
import { parametersOf } from '../security/local-bindings.ts';
import { enclosingClass } from '../security/value-source.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding, RepoContext } from '../types.ts';
import { withoutLiteralAssertions } from './literal-assertions.ts';

/**
 * Anything that checks a result: assertion libraries, test-context assertions, helpers named like
 * them, a test that fails itself on a condition (`if (version.length !== 3) throw new Error(…)`,
 * as Etherpad's front-end tests do), a wait for a condition that fails on time-out
 * (`helper.waitForPromise(() => …)`, `page.waitForSelector(…)`, `browser.waitUntil(…)`; not a
 * plain sleep), and Testing
 * Library queries that throw when nothing matches (`screen.getByText('Saved')`), and mocha's `done`
 * handed over as the callback (`topics.getTopicData(tid, done)` fails the test on an error) or
 * called only when a condition holds (`if (out.includes('grunt build')) return done();`: otherwise
 * the test times out, as Sails' CLI tests rely on), or last in a call's arguments after a
 * callback (`async.times(10, (n, next) => ds.connect(next), done)`) or only in a `catch` (the
 * test times out unless the code throws), and an asserting helper
 * handed over by name (`.then(assertHiddenPropertyIsIgnored)` in LoopBack's tests).
 */
const JS_ASSERTION =
  /\b(?:expect|assert|should|chai|sinon\.assert|t\.(?:is|not|deepEqual|notDeepEqual|true|false|truthy|falsy|throws|throwsAsync|notThrows|snapshot|pass|fail|regex|like|ok|equal|same|match|plan|assert|rejects|resolves|strictSame|has)|\w*[eE]xpect\w*|\w*[aA]ssert\w*|\w*[vV]erify\w*|\w*[cC]heck\w*)\s*(?:<[\s\S]{0,400}?>\s*)?[.(]|\.to\.|\.should\b|\.must\b|\bcatch\s*(?:\(\s*\w*\s*\))?\s*\{[\s\S]*\bthrow\s+new\b|\.expect\(|\.toMatch\w*\(|\bfail\(|\bdone\(\s*\w|\bif\s*\([^;{}]{0,300}\)\s*\{?\s*(?:throw\b|(?:return\s+)?done\(\s*\))|\bwaitFor(?!Timeout\b|Navigation\b|LoadState\b)\w*\s*\(|\b(?:wait|poll)Until\s*\(|\b(?:get|getAll|find|findAll)By[A-Z]\w*\s*\(|[\w$]\s*\((?:[^()]*,)?\s*done\s*\)(?!\s*(?:=>|\{))|[}\w$)]\s*,\s*done\s*\)(?!\s*(?:=>|\{))|\bcatch\s*(?:\(\s*\w*\s*\))?\s*\{\s*(?:return\s+)?done\(\s*\)|[(,]\s*(?:[\w$.]*[aA]ssert\w*|\w*[eE]xpect\w*|\w*[vV]erify\w*)\s*[,)]/;
/**
 * Python checks, including nose-style helpers (`eq_`, `ne_`, `is_`, `in_`, `is_true`), which
 * SQLAlchemy's and other suites import from their testing package, Tornado's `with ExpectLog(…)`
 * and `self.wait()` (which fails the test when the awaited callback never comes), and a `raise`
 * that fails the test by hand (`raise Exception("Did not get expected exception")`), and a call
 * that states what it must get (`c.get(url, expected_status_code=404)`: Keystone's test client
 * fails the test otherwise; Mailman's `get_queue_messages('virgin', expected_count=1)`; Nova's
 * `self.api.api_post(url, body, check_response_status=[410])`), and a
 * wait for a condition (`yield poll_until(lambda: dg.code is not None)` in magic-wormhole: the test
 * times out unless it holds), a local alias of an assert method (`assertMatches = partial(…)` in
 * passlib), and calls that raise on failure (`response.rethrow()`, `raise_for_status()`), and
 * proboscis' `asserts.fail(…)` (Trove's API tests).
 */
const PY_ASSERTION =
  /\.(?:rethrow|raise_for_status|check_returncode)\(\s*\)|\bassert[A-Z]\w*\(|\b(?:poll|wait)_until\s*\(|[(,]\s*(?:expected(?:_\w+)?|check_\w*status\w*)\s*=(?!=)|\bassert\b|\.assert\w*\(|\b\w*_assert\w*\(|\bpytest\.(?:raises|warns|fail|approx)|\b(?:self|asserts)\.fail\w*\(|\bassert_\w+\(|\b\w*(?:[eE]xpect|[vV]erify|[cC]heck)\w*\(|\bself\.wait\(|(?:^|\n)[ \t]*raise\s+(?!(?:\w+\.)*Skip)\w|\bbenchmark\(|\b(?:eq|ne|ok|is|is_not|in|not_in|le|lt|ge|gt)_\(|\b(?:is_true|is_false|is_none|is_not_none|is_instance_of)\(/;

/**
 * A comment that talks about the code raising or crashing (`# used to fail with infinite
 * recursion`, `# This will raise an exception if …`, `// regression: must not throw`): the test is a
 * deliberate does-not-raise check, so passing without an exception is the assertion.
 */
const CRASH_REGRESSION =
  /(?:#|\/\/|\/\*).*\b(?:used to|regression|crash\w*|segfault\w*|recursion|blow up|rais(?:e|es|ed|ing)|throw\w*|exceptions?|errors?|break\w*|hang\w*|fail\w*|time[sd]?[- ]?out)\b/i;

/** A comment saying the test is for the type checker: `only checking types`, `type test`, `compiles`. */
/**
 * A type-level assertion the type checker fails on, as `expectTypeOf` is one at run time:
 * WordPress core-data's `true satisfies Expect<EntityRecordOf<'root', 'site'>, Site<'edit'>>`,
 * type-fest's `Expect<Equal<A, B>>`, tsd's `expectType<T>(value)`, vitest's `assertType<T>(value)`.
 */
const TYPE_ASSERTION =
  /\bsatisfies\s+\w*(?:Expect|Equal|Assert)\w*\s*<|\bExpect\s*<\s*Equal\w*\s*<|\b(?:assertType|expectType|expectAssignable|expectNotType)\s*</;

const TYPE_TEST_COMMENT =
  /(?:\/\/|\/\*).*\b(?:check(?:s|ing)?\s+(?:the\s+)?types?|types?[- ](?:checks?|checking|tests?|only|level)|compiles?|type\s*errors?)\b/i;

/**
 * Schema validators that throw on input they reject: zod's `.parse()`, yup's `.validateSync()`,
 * and methods named for validating (Actionhero's `api.tasks.tasks.regularTask.validate()`).
 */
const THROWING_VALIDATOR = /\.(?:parse|parseAsync|validate\w*|assertValid)\(/;
/**
 * Python's: jsonschema's `validate`/`check_schema`, Django's `full_clean`, pydantic's `parse_obj`,
 * and functions named for validating or enforcing (Keystone's `validate_mapping_structure`,
 * `schema.validate_issue_token_auth`, oslo.policy's `enforce`, Heat's private
 * `self.man._validate_deferred_auth_context(ctx, stk)`), which raise on what they reject.
 */
const PY_RAISING_VALIDATOR =
  /(?:\.|\b)_*(?:validate\w*|check_schema|full_clean|parse_obj|parse_raw|model_validate|enforce)\(/;
/**
 * An inherited test run from an override: `super().test_x()` (passlib), or through a name for
 * the parent, `base = super(Cls, self)` then `base.test_x()` (Heat's `p = super(…)`, `p.test_x()`),
 * or over a line break (Keystone's LDAP tests). The inherited test's checks run.
 */
const INHERITED_TEST =
  /\bsuper\([^)]*\)\s*\.\s*(?:\\\s*)?test\w*\s*\(|\b(\w+)\s*=\s*super\([^)]*\)[\s\S]*\b\1\s*\.\s*test\w*\s*\(/;
/**
 * A test named for not failing (`closes successfully`, `side effect on schema let the server
 * crash`, `test_does_not_raise_on_empty`), or for being able to do something (`should be able to
 * publish the product`, `should allow a single lock without contention uneventfully`, Apostrophe's
 * mocha steps), or for passing (Barbican's policy tests, `test_should_pass_get_versions`, where a
 * refused request raises; not `should pass the options to the callback`, which hands something on):
 * a deliberate smoke test, where passing without an exception is the check. So is a title that ends
 * in `resolves` (Etherpad's `it('resolves', async () => { await timesLimitPromise; })`): the awaited
 * promise rejecting or never settling is what fails it.
 * Underscores in Python names read as spaces.
 */
const SMOKE_TITLE =
  /\b(?:crash\w*|hangs?|hanging|successfully|succeeds?|uneventfully|silent(?:ly)?|no\s?op|(?:does|do|should|must|will)\s*(?:not|n'?t)\s+(?:throw|raise|fail|crash|error|hang|reject)\w*|without\s+(?:an?\s+)?(?:errors?|exceptions?|throwing|raising|crash\w*)|no\s+(?:errors?|exceptions?|crash\w*)|(?:should|must|can|is|are)\s+(?:be\s+)?able\s+to|(?:should|must|will)\s+allow|(?:should|must|will)\s+pass\b(?!\s+(?:through|along|on|down|back)\b|.*\bto\b)|can\s+be\s+\w+ed|resolves?(?=\s*['"`]?\s*$))\b/i;
/**
 * A test that is a step of its suite (`it('cleanup', …)`, `it('setup', …)`): state for the tests
 * around it; or one whose title starts with what it can do (`it('can archive a product', …)`).
 */
const STEP_TITLE =
  /^['"`]?\s*(?:test\s+)?(?:clean\s*up|set\s*up|tear\s*down|reset|init(?:iali[sz]e)?|can)\b/i;

/**
 * A file whose HTTP test client checks response statuses: some request passes the status it
 * expects (Keystone's `c.get(url, expected_status_code=403)`, webtest's `app.get(url, status=404)`),
 * so the client raises on any other status, and a request without it expects success.
 */
const STATUS_CHECKING_CLIENT =
  /\bexpected_status(?:_code)?\s*=|\.(?:get|post|put|patch|delete|head|options)(?:_json)?\([^()\n]*\bstatus\s*=\s*\d/;
const REQUEST_CALL = /\.(?:get|post|put|patch|delete|head|options)(?:_json)?\s*\(/;
const EXPECTED_STATUS = /\bexpected_status(?:_code)?\s*=(?!=)/g;

/** Names of the calls this file passes an expected status to, per file. */
const statusCallsOf = new WeakMap<FileInput, string[]>();

/**
 * The methods this file calls with an expected status (`self.v3_create_token(auth,
 * expected_status=http.client.UNAUTHORIZED)` in Keystone's auth tests): request helpers that fail
 * the test on any other status, success when none is given. Found by walking back from each
 * `expected_status=` to the parenthesis its call opened.
 */
function statusCheckingCalls(file: FileInput): string[] {
  let names = statusCallsOf.get(file);
  if (names) return names;
  const found = new Set<string>();
  const text = file.text;
  for (const m of text.matchAll(EXPECTED_STATUS)) {
    let depth = 0;
    for (let i = m.index - 1; i >= 0 && i > m.index - 2000; i -= 1) {
      const c = text[i];
      if (c === ')' || c === ']' || c === '}') depth += 1;
      else if (c === '(' || c === '[' || c === '{') {
        if (depth === 0) {
          const name = /(\w+)\s*$/.exec(text.slice(Math.max(0, i - 80), i))?.[1];
          if (c === '(' && name) found.add(name);
          break;
        }
        depth -= 1;
      }
    }
  }
  names = [...found];
  statusCallsOf.set(file, names);
  return names;
}

/** Whether the test makes a request: a client call, or a helper this file calls with an expected status. */
function makesCheckedRequest(body: string, file: FileInput): boolean {
  if (REQUEST_CALL.test(body)) return true;
  return statusCheckingCalls(file).some((name) => new RegExp(`\\.${name}\\s*\\(`).test(body));
}

function isSmokeTitle(title: string): boolean {
  const words = title.replace(/_/g, ' ');
  return SMOKE_TITLE.test(words) || STEP_TITLE.test(words);
}

/**
 * Local names a test gives the assert methods: calibre's
 * `af, ae, at = self.assertFalse, self.assertEqual, self.assertTrue`, then `ae(a, b)`.
 */
function assertAliases(body: string): string[] {
  const names: string[] = [];
  for (const m of body.matchAll(
    /^[ \t]*([\w, \t]+?)\s*=\s*((?:self\.assert\w+\s*,\s*)*self\.assert\w+)\s*$/gm,
  )) {
    const targets = (m[1] ?? '').split(',').map((name) => name.trim());
    const values = (m[2] ?? '').split(',');
    if (targets.length === values.length) names.push(...targets.filter((name) => /^\w+$/.test(name)));
  }
  // `assertion = self.assertTrue if passes else self.assertFalse` (Manila's filter tests).
  for (const m of body.matchAll(
    /^[ \t]*(\w+)\s*=\s*self\.assert\w+\s+if\s+.+\s+else\s+self\.assert\w+\s*$/gm,
  ))
    if (m[1]) names.push(m[1]);
  return names;
}

/** Class attributes of this file bound to an assert method, per file. */
const attributesOf = new WeakMap<FileInput, string[]>();

/**
 * Assert methods given another name as class attributes in this file: calibre's FTS tests say
 * `ae = BaseTest.assertEqual` in the class body and check with `self.ae(…)`.
 */
function assertAttributes(file: FileInput): string[] {
  let names = attributesOf.get(file);
  if (!names) {
    names = [...file.text.matchAll(/^[ \t]+(\w+)[ \t]*=[ \t]*[\w.]+\.assert\w+[ \t]*$/gm)].map(
      (m) => m[1] ?? '',
    );
    attributesOf.set(file, names);
  }
  return names;
}

/** Asserting helpers per file: every test of a file asks, and the answer is the file's. */
const helpersOf = new WeakMap<FileInput, string[]>();

/** Names of helper functions in this file whose bodies assert, so tests that call them count as asserting. */
function assertingHelpers(file: FileInput, python: boolean): string[] {
  let names = helpersOf.get(file);
  if (!names) {
    names = findAssertingHelpers(file, python);
    helpersOf.set(file, names);
  }
  return names;
}

function findAssertingHelpers(file: Pick<FileInput, 'text'>, python: boolean): string[] {
  const pattern = python
    ? // Indentation only: `\s*` would start the match on a blank line above and cut the body.
      /^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)\s*\(/gm
    : // `function check(`, `const check = (`, and `const test = function (data, result) {` (mongo-express).
      /\bfunction\s+(\w+)\s*\(|\b(?:const|let|var)\s+(\w+)\s*=\s*(?:async\s*)?(?:function\b\s*\*?\s*\w*\s*)?\(/g;
  const names: string[] = [];
  const others: { name: string; body: string }[] = [];
  for (const m of file.text.matchAll(pattern)) {
    const name = m[1] ?? m[2];
    // A test method counts as a helper when another test runs it with arguments
    // (`self.test_get_role_assignments_by_project(group_id=…)`, Keystone), so it is kept.
    if (!name) continue;
    // Python: the function's own lines; JS: the next 2,000 characters (a cheap upper bound).
    const window = file.text.slice(m.index, m.index + 2000);
    const body = python
      ? pythonFunctionBody(file.text, m.index)
      : window.slice(window.indexOf(name) + name.length);
    if (
      (python ? PY_ASSERTION : JS_ASSERTION).test(body) ||
      (python && callsHelper(body, assertAliases(body)))
    )
      names.push(name);
    else if (python) others.push({ name, body });
  }
  // A helper that hands its case to an asserting helper asserts too (Mailman's
  // `_test_membership_pending_warning(*args)` calls `_test_membership_pending_x`, which asserts).
  for (let round = 0; round < 3 && others.length > 0; round += 1) {
    const found = others.filter((helper) => callsHelper(helper.body, names, true));
    if (found.length === 0) break;
    for (const helper of found) {
      names.push(helper.name);
      others.splice(others.indexOf(helper), 1);
    }
  }
  return names;
}

/** The lines of the Python function whose `def` starts at `at`, up to its end (its indentation). */
function pythonFunctionBody(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at) + 1;
  const indentOf = (from: number) => {
    let i = from;
    while (text[i] === ' ' || text[i] === '\t') i += 1;
    return i - from;
  };
  const indent = indentOf(start);
  const bodyStart = text.indexOf('\n', start);
  if (bodyStart === -1) return '';
  // Line by line from the `def`, stopping at the first non-blank line indented no deeper, unless
  // it is inside a triple-quoted string (fail2ban's tests write config files from such text).
  let end = bodyStart + 1;
  let quote: string | undefined;
  while (end < text.length) {
    const next = text.indexOf('\n', end);
    const lineEnd = next === -1 ? text.length : next;
    const depth = indentOf(end);
    if (!quote && end + depth < lineEnd && text[end + depth] !== '\r' && depth <= indent) break;
    for (const match of text.slice(end, lineEnd).matchAll(/"""|'''/g)) {
      if (!quote) quote = match[0];
      else if (match[0] === quote) quote = undefined;
    }
    end = lineEnd + 1;
  }
  return text.slice(bodyStart + 1, Math.min(end, text.length));
}

/**
 * The method a test's last statement hands its case to (`self._run_alter_col(…)`), when this file
 * does not define it: a fixture elsewhere runs and checks the case.
 */
function delegatedHelper(statement: string, fileText: string): string | undefined {
  // Trove's scenario groups: `self.test_runner.run_test_log_list()`, where the runner asserts.
  const runner = /^self\.(\w*(?:runner|helper|checker)\w*\.\w+)\s*\(/i.exec(statement)?.[1];
  if (runner) return runner;
  const method = /^self\.(\w+)\s*\(/.exec(statement)?.[1];
  if (!method) return undefined;
  const defined = new RegExp(`^\\s*(?:async\\s+)?def\\s+${method}\\s*\\(`, 'm').test(fileText);
  return defined ? undefined : method;
}

/** Assertion libraries whose import names a function or object that checks. */
const ASSERTION_MODULE =
  /^(?:must|chai|should|assert|assert\/strict|node:assert(?:\/strict)?|power-assert|unexpected|code|@hapi\/code|expect|expect\.js|better-assert|proclaim|uvu\/assert|earl|@std\/assert)$/;

/**
 * Names this file binds to an assertion library: `var demand = require('must')` (keystone),
 * `import { expect as e } from 'chai'`, `import assert from 'node:assert'`.
 */
function assertionBindings(text: string): string[] {
  const names: string[] = [];
  const required = /\b(?:const|let|var)\s+(\w+|\{[^}]*\})\s*=\s*require\(\s*['"]([^'"]+)['"]\s*\)/g;
  const imported = /\bimport\s+(?:(\w+)\s*,?\s*)?(?:\*\s+as\s+(\w+)|\{([^}]*)\})?\s*from\s*['"]([^'"]+)['"]/g;
  const fromList = (list: string) =>
    list
      .split(',')
      .map(
        (part) =>
          part
            .trim()
            .split(/\s+as\s+|\s*:\s*/)
            .at(-1) ?? '',
      )
      .filter((name) => /^\w+$/.test(name));
  for (const m of text.matchAll(required)) {
    if (!ASSERTION_MODULE.test(m[2] ?? '')) continue;
    const binding = m[1] ?? '';
    names.push(...(binding.startsWith('{') ? fromList(binding.slice(1, -1)) : [binding]));
  }
  for (const m of text.matchAll(imported)) {
    if (!ASSERTION_MODULE.test(m[4] ?? '')) continue;
    for (const name of [m[1], m[2]]) if (name) names.push(name);
    if (m[3]) names.push(...fromList(m[3]));
  }
  return names;
}

/** Whether the body calls or reads a member of one of `names` (`demand(x).eql(y)`, `chai.expect`). */
function usesBinding(body: string, names: readonly string[]): boolean {
  return names.some((name) => new RegExp(`(?<![\\w$.])${name}\\s*[.(]`).test(body));
}

function callsHelper(body: string, helpers: readonly string[], python = false): boolean {
  // A Python test method counts only when run through `self.` (a nested `def testFoo(self):` in
  // the body is not a call of it).
  return helpers.some((name) =>
    new RegExp(`${python && /^test/i.test(name) ? '\\bself\\.' : '\\b'}${name}\\s*\\(`).test(body),
  );
}

/**
 * Whether the body hands an asserting helper of this file over by name, as an argument
 * (`factory.isCurrentProject('abc').then(pass, fail)` in Horizon's specs, where `fail` expects
 * `true` to be `false`): the callback runs the helper's assertions.
 */
function handsOverHelper(body: string, helpers: readonly string[]): boolean {
  return helpers.some((name) => new RegExp(`[(,]\\s*${escapeRegExp(name)}\\s*[,)]`).test(body));
}

const JS_ASSIGNMENT = { rule: { kind: 'assignment_expression' } };
const JS_DECLARATOR = { rule: { kind: 'variable_declarator' } };
const JS_PUSH = { rule: { kind: 'call_expression', has: { field: 'function', regex: '^[\\w$]+\\.push$' } } };

/**
 * Whether a test sets state of its suite: it assigns a variable, or pushes into an array, declared
 * outside it (`apos = await t.create(…)`, `categories.push(await insert(…))` in Apostrophe's
 * suites). Such a test is a setup step the next tests check, written as a test instead of a
 * `before` hook: a lead, not a test that forgot to assert.
 */
function setsSuiteState(callback: SgNode): boolean {
  const declared = new Set(
    callback.findAll(JS_DECLARATOR).flatMap((declarator) => declarator.field('name')?.text() ?? []),
  );
  const outer = (name: string | undefined) => name !== undefined && !declared.has(name);
  return (
    callback.findAll(JS_ASSIGNMENT).some((assignment) => {
      const target = assignment.field('left');
      return target?.kind() === 'identifier' && outer(target.text());
    }) || callback.findAll(JS_PUSH).some((push) => outer(push.field('function')?.field('object')?.text()))
  );
}

/**
 * Whether the test takes mocha's `done` and calls it only from a function nested in its body
 * (`User.afterInitialize = function () { done(); }` in LoopBack's hook tests): the test fails by
 * time-out unless that callback runs, which checks that much.
 */
/**
 * The parameter of a function around the test that its body calls: a test factory in a helper
 * module hands its work to what each caller passes (sails' `test/helpers/sails.js`:
 * `get(passbackFn) { it('should get a Sails instance', function () { passbackFn(this.sails); }) }`).
 */
function callsFactoryParameter(test: SgNode, body: string): string | undefined {
  const factory = enclosingFunction(test);
  if (!factory) return undefined;
  for (const parameter of parametersOf(factory)) {
    if (parameter.kind() !== 'identifier') continue;
    const name = parameter.text();
    if (new RegExp(`(?<![\\w$.])${escapeRegExp(name)}\\s*\\(`).test(body)) return name;
  }
  return undefined;
}

/**
 * `await new Promise((resolve) => frame.one('load', resolve))`: the test waits for an event and
 * times out unless it comes (Etherpad's reconnect test waits for the pad to reload), as a test that
 * hands `done` to a callback does.
 */
const AWAITS_EVENT =
  /\bawait\s+new\s+Promise\s*\(\s*(?:async\s+)?(?:function\s*)?\(?\s*([\w$]+)[^=>{]*?(?:=>|\{)[\s\S]{0,300}?\.(?:on|once|one|addEventListener|addListener)\s*\(\s*(['"`])[^'"`]+\2\s*,\s*\1\s*[,)]/;

function onlyAwaitsCallback(callback: SgNode, body: string): boolean {
  const name = firstParameterName(callback);
  if (!name || !/^(?:done|cb|callback|next|end)$/.test(name) || !body.includes(`${name}(`)) return false;
  const calls = callback
    .findAll({ rule: { kind: 'call_expression', has: { field: 'function', regex: `^${name}$` } } })
    .filter(
      (call) =>
        call
          .field('arguments')
          ?.children()
          .filter((c) => c.isNamed()).length === 0,
    );
  // A callback that receives an error and drops it (`function (err) { console.log(err); done(); }`,
  // NodeBB) passes whether the code failed or not: that checks nothing.
  return (
    calls.length > 0 &&
    calls.every((call) => {
      const fn = enclosingFunction(call);
      return (
        fn !== undefined &&
        fn.id() !== callback.id() &&
        !/^(?:err|error|e|ex)$/.test(firstParameterName(fn) ?? '')
      );
    })
  );
}

/** The name of a function's first parameter, when it is a plain identifier. */
function firstParameterName(fn: SgNode): string | undefined {
  const [first] = parametersOf(fn);
  return first?.kind() === 'identifier' ? first.text() : undefined;
}

function matchJsTest(node: SgNode, file: FileInput): RawFinding | undefined {
  const args =
    node
      .field('arguments')
      ?.children()
      .filter((c) => c.isNamed()) ?? [];
  const callback = args.find((a) => a.kind() === 'arrow_function' || a.kind() === 'function_expression');
  const title = args[0];
  if (!callback || !title || !/^(?:string|template_string)$/.test(kindOf(title))) return undefined;
  const body = callback.field('body');
  if (!body) return undefined;
  // `assert.equal(1, 1)`, `expect(true).toBe(true)`: assertions about constants check nothing.
  const { text, removed } = withoutLiteralAssertions(body, false);
  if (
    JS_ASSERTION.test(text) ||
    (file.language !== 'javascript' && TYPE_ASSERTION.test(text)) ||
    callsHelper(text, assertingHelpers(file, false)) ||
    handsOverHelper(text, assertingHelpers(file, false)) ||
    usesBinding(text, assertionBindings(file.text))
  )
    return undefined;
  const empty = body.kind() === 'statement_block' && body.children().filter((c) => c.isNamed()).length === 0;
  // `z.object({ name: z.string() }).parse({ name: "bill" })` (zod's tests): a validator that throws
  // on bad input checks that the input is accepted, though not what comes out.
  if (!empty && THROWING_VALIDATOR.test(text)) {
    return findingAt(file, node, {
      ...wholeTest(node),
      confidence: 'LOW',
      message: `The test ${title.text()} only checks that a validator accepts its input (it throws otherwise), not what it returns: assert the parsed value too.`,
    });
  }
  if (!empty && AWAITS_EVENT.test(text)) {
    return findingAt(file, node, {
      ...wholeTest(node),
      confidence: 'LOW',
      message: `The test ${title.text()} only checks that an event fires (it times out otherwise), not what the code did: assert the state the event leaves behind.`,
    });
  }
  if (!empty && onlyAwaitsCallback(callback, text)) {
    return findingAt(file, node, {
      ...wholeTest(node),
      confidence: 'LOW',
      message: `The test ${title.text()} only checks that a callback runs (it times out otherwise), not what the code did: assert the value or state the callback receives.`,
    });
  }
  // `// no render needed, only checking types` (react-admin): in TypeScript the type checker runs
  // the test, on code that is compiled but never called.
  if (!empty && file.language !== 'javascript' && TYPE_TEST_COMMENT.test(text)) {
    return findingAt(file, node, {
      ...wholeTest(node),
      confidence: 'LOW',
      message: `The test ${title.text()} checks types only: it passes at run time whatever the code does, and the type checker (\`tsc\`) is what fails on a wrong type. Make sure the typecheck command covers this file, or use \`expectTypeOf\`/\`@ts-expect-error\` so the intent is explicit.`,
    });
  }
  const handedTo = empty ? undefined : callsFactoryParameter(node, text);
  if (handedTo) {
    return findingAt(file, node, {
      ...wholeTest(node),
      confidence: 'LOW',
      message: `The test ${title.text()} is built by a helper and hands its work to \`${handedTo}\`, which each caller passes: check that the callers' functions assert.`,
    });
  }
  if (!empty && setsSuiteState(callback)) {
    return findingAt(file, node, {
      ...wholeTest(node),
      confidence: 'LOW',
      message: `The test ${title.text()} asserts nothing: it sets up state for the tests after it. As a \`before\` hook it would not count as a passing test, and a failure there would skip the tests that depend on it.`,
    });
  }
  const finding =
    removed.length > 0
      ? literalOnly(file, node, title.text(), text, removed)
      : findingAt(file, node, {
          ...wholeTest(node),
          confidence: empty
            ? 'HIGH'
            : CRASH_REGRESSION.test(text) || isSmokeTitle(title.text())
              ? 'LOW'
              : 'MED',
          message: empty
            ? `The test ${title.text()} has an empty body: it always passes and tests nothing.`
            : `The test ${title.text()} runs code but asserts nothing, so it passes whatever the code returns; it only fails if something throws.`,
        });
  if (finding.confidence === 'HIGH' && isBranchOfIfElse(node)) {
    finding.confidence = 'LOW';
    finding.message = `The test ${title.text()} checks nothing and stands in one branch of an \`if … else\`: a placeholder that keeps the suite from being empty where the other branch's tests do not run. It reports a pass for tests that did not run; \`it.skip\` (or \`describe.skip\` for the suite) would report them as skipped.`;
  }
  return finding;
}

/**
 * Whether the test call is the whole of one branch of an `if` that has an `else`: `if
 * (!db.isSQLite) { …tests… } else it("only pq support", () => { expect(true).toBe(true); })`
 * (Saltcorn's sync tests), written so that Jest does not fail the file for having no test.
 */
function isBranchOfIfElse(test: SgNode): boolean {
  const statement = test.parent();
  if (statement?.kind() !== 'expression_statement') return false;
  let branch: SgNode = statement;
  let holder = statement.parent();
  if (holder?.kind() === 'statement_block') {
    if (holder.children().filter((child) => child.isNamed() && child.kind() !== 'comment').length !== 1)
      return false;
    branch = holder;
    holder = holder.parent();
  }
  if (holder?.kind() === 'else_clause') return true;
  return (
    holder?.kind() === 'if_statement' &&
    holder.field('consequence')?.id() === branch.id() &&
    holder.field('alternative') !== null
  );
}

/**
 * A test whose only assertions compare constants (`assert.equal(1, 1)`, `assert True`): HIGH when
 * that is all it does (a placeholder), else as a test that asserts nothing.
 */
function literalOnly(
  file: FileInput,
  node: SgNode,
  title: string,
  rest: string,
  removed: readonly string[],
  extra: Omit<RawFinding, 'file'> = {},
): RawFinding {
  const shown = (removed[0] ?? '').replace(/\s+/g, ' ').slice(0, 60);
  const placeholder = /^[\s{}();:]*(?:pass[\s;]*)?$/.test(
    rest.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\/|#[^\n]*/g, ''),
  );
  return findingAt(file, node, {
    ...wholeTest(node),
    ...extra,
    confidence: placeholder ? 'HIGH' : CRASH_REGRESSION.test(rest) || isSmokeTitle(title) ? 'LOW' : 'MED',
    message: `The test ${title} asserts only about constants (\`${shown}\`), which holds whatever the code does: it ${placeholder ? 'tests nothing' : 'passes whatever the code returns'}. Assert on what the code under test returns or changes.`,
  });
}

/**
 * A test function defined inside another function, or a method of a test class that is itself
 * defined inside a function or another class: test data for a test of the test framework
 * (`class Foo(unittest.TestCase): def test1(self): pass` built inside
 * `test_loadTestsFromTestCase`, `@patch(…) def test(): pass` inside a test), never collected alone.
 */
function isNestedDefinition(node: SgNode): boolean {
  let classes = 0;
  for (let up = node.parent(); up; up = up.parent()) {
    if (up.kind() === 'function_definition') return true;
    if (up.kind() === 'class_definition') classes += 1;
    if (classes > 1) return true;
  }
  return false;
}

/** `def test_suite(): return unittest.makeSuite(…)`: returns a value, so it builds tests, it is not one. */
function returnsValue(fn: SgNode): boolean {
  return fn.findAll({ rule: { kind: 'return_statement' } }).some((r) => {
    let owner = r.parent();
    while (owner && owner.kind() !== 'function_definition' && owner.kind() !== 'lambda')
      owner = owner.parent();
    return owner?.id() === fn.id() && r.children().some((c) => c.isNamed());
  });
}

/**
 * A function outside any class is a test only where pytest collects it: in `test_*.py` or
 * `*_test.py`. Elsewhere (`sqlite3/test/dump.py`'s `def test(): runner.run(suite())`) it is a
 * runner or a helper; unittest collects only methods of `TestCase` classes.
 */
function isUncollectedFunction(node: SgNode, file: FileInput): boolean {
  let owner = node.parent();
  if (owner?.kind() === 'decorated_definition') owner = owner.parent();
  const inClass = owner?.kind() === 'block' && owner.parent()?.kind() === 'class_definition';
  return !inClass && !PYTEST_FILE.test(file.path);
}

/**
 * Whether the test's class checks every test in `tearDown` (Tornado's `GenTest`: each test sets
 * `self.finished = True`, and `tearDown` asserts it).
 */
function tearDownAsserts(test: SgNode): boolean {
  let owner = test.parent();
  if (owner?.kind() === 'decorated_definition') owner = owner.parent();
  if (owner?.kind() !== 'block' || owner.parent()?.kind() !== 'class_definition') return false;
  return owner.children().some((child) => {
    const fn = child.kind() === 'decorated_definition' ? child.field('definition') : child;
    return (
      fn?.kind() === 'function_definition' &&
      fn.field('name')?.text() === 'tearDown' &&
      PY_ASSERTION.test(fn.field('body')?.text() ?? '')
    );
  });
}

/** The base classes a Python class statement names, as written (`base.BaseTest`), keywords left out. */
function baseNames(cls: SgNode): string[] {
  return (
    cls
      .field('superclasses')
      ?.children()
      .filter((child) => child.isNamed() && child.kind() !== 'keyword_argument')
      .map((child) => child.text()) ?? []
  );
}

/** The last base-class module scanned for asserting helpers, and what it holds. */
let lastBase: { text: string; helpers: string[] } | undefined;

/** The module a base class named in a class statement comes from, by this file's imports. */
function baseModule(base: string, text: string): string | undefined {
  const dot = base.lastIndexOf('.');
  const qualifier = dot === -1 ? undefined : base.slice(0, dot);
  const name = dot === -1 ? base : base.slice(dot + 1);
  const imported = qualifier ?? name;
  // `from a.b import c as d` or `from a.b import (c, d as e,\n f)`.
  for (const match of text.matchAll(/^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)/gm)) {
    for (const part of (match[2] ?? '').replace(/[()\\]/g, '').split(',')) {
      const [original, alias] = part.trim().split(/\s+as\s+/);
      if ((alias ?? original) !== imported || !original) continue;
      // `from pkg.v2 import base as v2_base` + `v2_base.Cls`: the module pkg.v2.base; `from
      // pkg.base import Cls` + `Cls`: the module pkg.base.
      return qualifier === undefined ? match[1] : `${match[1]}.${original}`;
    }
  }
  if (qualifier && new RegExp(`^[ \\t]*import[ \\t]+${escapeRegExp(qualifier)}\\b`, 'm').test(text))
    return qualifier;
  const aliased = new RegExp(
    `^[ \\t]*import[ \\t]+([\\w.]+)[ \\t]+as[ \\t]+${escapeRegExp(imported)}\\b`,
    'm',
  ).exec(text);
  return aliased?.[1];
}

/**
 * Whether the test calls a method of its own (`self._parse_dsl_spec(…)`) that this file does not
 * define but the module of one of its class's bases does, and that method asserts (Mistral's DSL
 * tests: the base class in `lang/v2/base.py` runs `assertRaises` when `expect_error` is true).
 */
function inheritedHelperAsserts(test: SgNode, file: FileInput, context: RepoContext | undefined): boolean {
  if (!context) return false;
  const body = test.field('body')?.text() ?? '';
  const called = [...new Set([...body.matchAll(/\bself\.(\w+)\s*\(/g)].map((m) => m[1] ?? ''))].filter(
    (name) =>
      name !== '' && !new RegExp(`^[ \\t]*(?:async[ \\t]+)?def[ \\t]+${name}\\s*\\(`, 'm').test(file.text),
  );
  if (called.length === 0) return false;
  const owner = enclosingClass(test, true);
  for (const base of owner ? baseNames(owner) : []) {
    const module = baseModule(base, file.text);
    if (!module) continue;
    const stem = module.replace(/\./g, '/');
    const source = context.profile.files.find((candidate) =>
      [`${stem}.py`, `${stem}/__init__.py`].some(
        (path) => candidate.path === path || candidate.path.endsWith(`/${path}`),
      ),
    );
    const text = source ? context.read(source.path) : undefined;
    if (!text) continue;
    // The tests of one file share their base classes: its module is scanned once for them all.
    if (lastBase?.text !== text) lastBase = { text, helpers: findAssertingHelpers({ text }, true) };
    const helpers = lastBase.helpers;
    if (called.some((name) => helpers.includes(name))) return true;
  }
  return false;
}

/**
 * Whether a class is no test class: neither its name nor any of its bases' names says test or case
 * (Mistral's `RandomSleepEchoAction(actions_base.Action)`, whose `test()` method is part of the
 * action API), and no base defined in this file is a test class. Asked only for a method named
 * `test`: a base imported from elsewhere may well be a test class (Keystone's `BaseLDAPIdentity`).
 */
function notATestClass(cls: SgNode, depth = 0): boolean {
  if (/test/i.test(cls.field('name')?.text() ?? '') || depth > 3) return false;
  const bases = baseNames(cls);
  if (bases.some((base) => /test|case/i.test(base))) return false;
  const root = cls.getRoot().root();
  return bases.every((base) => {
    const local = root.find({
      rule: { kind: 'class_definition', has: { field: 'name', regex: `^${escapeRegExp(base)}$` } },
    });
    return !local || notATestClass(local, depth + 1);
  });
}

function matchPyTest(node: SgNode, file: FileInput, context?: RepoContext): RawFinding | undefined {
  const name = node.field('name')?.text() ?? '';
  // `_test_warnings.py`: a helper module test runners do not collect (loaded by a real test).
  if (
    !name.startsWith('test') ||
    isNestedDefinition(node) ||
    /(?:^|\/)_[^/]*$/.test(file.path) ||
    isUncollectedFunction(node, file)
  )
    return undefined;
  const body = node.field('body');
  if (!body || returnsValue(node)) return undefined;
  // A method named just `test` is often part of a class's own API (a plugin's self-test).
  const owner = name === 'test' ? enclosingClass(node, true) : undefined;
  if (owner && notATestClass(owner)) return undefined;
  // `assert True`, `self.assertEqual(1, 1)`: assertions about constants check nothing.
  const { text, removed } = withoutLiteralAssertions(body, true);
  if (PY_ASSERTION.test(text) || callsHelper(text, assertingHelpers(file, true), true)) return undefined;
  if (callsHelper(text, assertAliases(text))) return undefined;
  const attributes = assertAttributes(file);
  if (attributes.some((name) => new RegExp(`\\bself\\.${name}\\s*\\(`).test(text))) return undefined;
  if (tearDownAsserts(node)) return undefined;
  if (INHERITED_TEST.test(text)) return undefined;
  if (inheritedHelperAsserts(node, file, context)) return undefined;
  const decorated = node.parent()?.kind() === 'decorated_definition' ? (node.parent()?.text() ?? '') : '';
  // `@pytest.mark.skip`, `@unittest.skipIf(…)`, Nova's `@testtools.skip('…')`: a test switched off.
  if (/@(?:[\w.]+\.)?(?:skip\w*|xfail)\b/.test(decorated)) return undefined;
  // A decorator that expects an exception is the check (Pony's `@raises_exception(TypeError, msg)`,
  // nose's `@raises(ValueError)`, `@expectedFailure`).
  if (/^\s*@\s*(?:[\w.]+\.)?(?:raises\w*|expect\w*|assert\w*|throws\w*)\b/im.test(decorated))
    return undefined;
  const statements = body.children().filter((c) => c.isNamed() && c.kind() !== 'comment');
  const empty = statements.every(
    (s) =>
      s.kind() === 'pass_statement' ||
      (s.kind() === 'expression_statement' && /^(?:\.\.\.|["'])/.test(s.text())),
  );
  // A placeholder may be deleted (the fix sketch says so); a test that runs code must stay and
  // assert: deleting it passes no check a reviewer would accept.
  const cited = { ...wholeTest(node), doneCheck: pythonAssertsCheck(file.path, name, !empty) };
  // Nova's microversion test classes: `def test_server_evacuate_with_force(self): # doesn't apply
  // to v2.68+ … pass` in a subclass switches off the test of that name it inherits.
  if (empty && switchesOffInherited(node, name, file.text)) {
    return findingAt(file, node, {
      ...cited,
      confidence: 'LOW',
      impact: 'LOW',
      message: `\`${name}\` overrides the test of the same name it inherits with an empty body, to switch it off here; \`self.skipTest("why")\` or \`@unittest.skip("why")\` would say so in the test report instead of passing silently.`,
    });
  }
  // Tornado's `@gen_test`: the test fails when what it yields or awaits does not complete within
  // the time-out (`yield c.wait()` checks that the condition is notified).
  if (!empty && /@(?:[\w.]+\.)?gen_test\b/.test(decorated) && /\b(?:yield|await)\b/.test(text)) {
    return findingAt(file, node, {
      ...cited,
      confidence: 'LOW',
      message: `\`${name}\` only checks that what it waits for completes before \`@gen_test\`'s time-out; assert the results too.`,
    });
  }
  // `validator.validate(object())` (jsonschema's tests): a validator that raises on bad input.
  if (!empty && PY_RAISING_VALIDATOR.test(text)) {
    return findingAt(file, node, {
      ...cited,
      confidence: 'LOW',
      message: `\`${name}\` only checks that a validator accepts its input (it raises otherwise), not what it returns: assert the result too.`,
    });
  }
  // django-q's `call_command("qcluster", run_once=True)` (a management command raises CommandError
  // when it fails) and `repr(ht)` (passlib): a smoke test of one entry point, whose only check is
  // that it does not raise. Names bound and never checked are not this (a forgotten assertion).
  // django-otp's `self.device.token.isnumeric()` on a line of its own: a check whose result is
  // dropped, where an `assert` was meant. The test passes whatever it computes.
  const dropped = empty ? undefined : droppedCheck(statements);
  if (dropped) {
    return findingAt(file, node, {
      ...cited,
      confidence: 'HIGH',
      message: `\`${name}\` computes \`${dropped.text().slice(0, 60)}\` on line ${dropped.range().start.line + 1} and drops the result: an \`assert\` (or \`self.assertTrue\`) is probably missing, and the test passes whatever that check says.`,
    });
  }
  const smokeCall = empty ? undefined : pythonSmokeCall(statements);
  if (smokeCall) {
    return findingAt(file, node, {
      ...cited,
      confidence: 'LOW',
      message: `\`${name}\` is a smoke test: it calls \`${smokeCall}()\` and checks only that it does not raise. Assert what it prints, returns or changes too.`,
    });
  }
  // Keystone's protection tests: `with self.test_client() as c: c.get(url, headers=…)`, where the
  // client fails the test unless the status is the expected one (200 when not given).
  if (!empty && STATUS_CHECKING_CLIENT.test(file.text) && makesCheckedRequest(text, file)) {
    return findingAt(file, node, {
      ...cited,
      confidence: 'LOW',
      message: `\`${name}\` checks only the response status, through a test client that fails on an unexpected one; assert what the response holds too.`,
    });
  }
  // `self._run_alter_col({}, {"nullable": False})` (alembic's test suite): the test hands its
  // case to a fixture method defined in another file, which may well assert.
  const last = statements.at(-1);
  const delegate = empty || !last ? undefined : delegatedHelper(last.text(), file.text);
  if (delegate) {
    return findingAt(file, node, {
      ...cited,
      confidence: 'LOW',
      message: `\`${name}\` asserts nothing itself; it calls \`self.${delegate}()\`, which is not defined in this file. Check that the fixture method asserts, or the test passes whatever the code does.`,
    });
  }
  const counterpart = empty ? undefined : raisingCounterpart(statements, file.text);
  if (counterpart) {
    return findingAt(file, node, {
      ...cited,
      confidence: 'LOW',
      message: `\`${name}\` checks only that \`${counterpart}\` does not raise here; another test checks that it raises when it should (\`assertRaises\`), so this is its other half. Assert what it returns or changes too.`,
    });
  }
  if (removed.length > 0)
    return literalOnly(file, node, `\`${name}\``, text, removed, { doneCheck: cited.doneCheck });
  return findingAt(file, node, {
    ...cited,
    confidence: empty
      ? 'HIGH'
      : CRASH_REGRESSION.test(node.text()) || isSmokeTitle(name) || isSmokeTitle(docstringOf(node))
        ? 'LOW'
        : 'MED',
    message: empty
      ? `\`${name}\` has an empty body: it always passes and tests nothing.`
      : `\`${name}\` runs code but asserts nothing, so it passes whatever the code returns; it only fails if something raises.`,
  });
}

/** A predicate's name: `isnumeric`, `is_valid`, `has_perm`, `startswith`, `exists`, `isinstance`. */
const PREDICATE_CALL =
  /(?:^|\.)(?:is[_A-Za-z]\w*|has[_A-Z]\w*|startswith|endswith|exists|contains)$|^(?:isinstance|issubclass|callable|all|any)$/;

/** A statement that only computes a check and drops it: a comparison, or a predicate's call. */
function droppedCheck(statements: readonly SgNode[]): SgNode | undefined {
  for (const statement of statements) {
    const expression = statement.kind() === 'expression_statement' ? statement.child(0) : undefined;
    if (!expression) continue;
    if (expression.kind() === 'comparison_operator') return expression;
    if (expression.kind() === 'not_operator') return expression;
    if (expression.kind() !== 'call') continue;
    const callee = expression.field('function')?.text() ?? '';
    if (PREDICATE_CALL.test(callee)) return expression;
  }
  return undefined;
}

/** Calls that only exercise an entry point: a Django management command, or an object's repr/str. */
const PY_SMOKE_CALL = /^(?:(?:django\.core\.)?(?:management\.)?call_command|repr|str)$/;

/**
 * The smoke call of a test whose statements are set-up assignments and bare calls of
 * PY_SMOKE_CALL only, ending in one (`ht = HtpasswdFile(); repr(ht)`), with every name it binds
 * used by a later statement; undefined otherwise.
 */
function pythonSmokeCall(statements: readonly SgNode[]): string | undefined {
  let smoke: string | undefined;
  for (const [index, statement] of statements.entries()) {
    const expression = statement.kind() === 'expression_statement' ? statement.child(0) : undefined;
    if (expression?.kind() === 'call') {
      const callee = expression.field('function')?.text() ?? '';
      if (!PY_SMOKE_CALL.test(callee)) return undefined;
      smoke = callee;
      continue;
    }
    if (expression?.kind() !== 'assignment' || smoke) return undefined;
    const bound = expression.field('left');
    if (bound?.kind() !== 'identifier') return undefined;
    const later = statements.slice(index + 1).map((s) => s.text());
    const use = new RegExp(`\\b${bound.text()}\\b`);
    if (!later.some((text) => use.test(text))) return undefined;
  }
  return smoke;
}

/**
 * A function this test calls that another test of the file expects to raise: Ironic's
 * `test_authorize_passes` calls `policy.authorize(…)`, and `test_authorize_access_forbidden` runs
 * `self.assertRaises(exception.HTTPForbidden, policy.authorize, …)`, or (Designate's central
 * tests) `with testtools.ExpectedException(exceptions.InvalidZoneName):` around the call. Then not
 * raising is the check, by design.
 */
function raisingCounterpart(statements: readonly SgNode[], text: string): string | undefined {
  for (const statement of statements) {
    const call = statement.kind() === 'expression_statement' ? statement.child(0) : undefined;
    const callee = call?.kind() === 'call' ? call.field('function')?.text() : undefined;
    const last = callee?.split('.').pop();
    if (!callee || !last || /^(?:self|cls)$/.test(callee)) continue;
    const name = escapeRegExp(last);
    const raises = new RegExp(
      `assertRaises\\w*\\(\\s*[\\w.]+\\s*,\\s*(?:[\\w.]+\\.)?${name}\\b|(?:assertRaises\\w*|pytest\\.raises|(?:testtools\\.)?ExpectedException)\\([^)\\n]*\\)[^:\\n]*:[ \\t]*\\n[ \\t]+[^\\n]*\\b${name}\\(`,
    );
    if (raises.test(text)) return callee;
  }
  return undefined;
}

/**
 * Whether a test method sits in a class that inherits from another class and the file defines a
 * method of the same name elsewhere (the parent's), or its body's comment says it does not apply.
 */
function switchesOffInherited(test: SgNode, name: string, text: string): boolean {
  const cls = enclosingClass(test, true);
  if (!cls?.field('superclasses')) return false;
  const comments = [...test.text().matchAll(/#(.*)$/gm)].map((m) => m[1]).join(' ');
  if (/does(?:n'?t| not) apply|not applicable|\bskip|no longer|removed|not supported/i.test(comments))
    return true;
  const definitions = text.match(
    new RegExp(`^[ \\t]*(?:async[ \\t]+)?def[ \\t]+${escapeRegExp(name)}[ \\t]*\\(`, 'gm'),
  );
  return (definitions?.length ?? 0) > 1;
}

/**
 * The cited range of a test: all of it, clipped by the engine to the excerpt's length, so a plan
 * quotes the body to fix; its first line identifies it, so editing the body keeps the finding's id.
 */
function wholeTest(node: SgNode): { endLine: number; anchorEndLine: number } {
  return { endLine: node.range().end.line + 1, anchorEndLine: node.range().start.line + 1 };
}

/**
 * Passes once every Python function of that name in the file asserts something (an `assert`, a
 * `raise`, or a call to something named for asserting, raising, failing, expecting, checking or
 * verifying; a constant tested for truth or compared with itself, `assert True`, does not count),
 * and, where its flag is 0 (an empty placeholder), also once it is gone: Python's own parser reads
 * the test, so a comment or string that says "assert" does not count. It takes any number of file,
 * name and flag triples (mergeDoneChecks).
 */
const PY_ASSERTS = [
  'import ast,sys',
  'a=sys.argv[1:]',
  'T=lambda x:all(isinstance(y,(ast.Constant,ast.List,ast.Tuple,ast.Dict,ast.Set,ast.UnaryOp,ast.unaryop,ast.expr_context)) for y in ast.walk(x))',
  'S=lambda x,y:T(x) and T(y) and ast.dump(x)==ast.dump(y)',
  'Z=lambda t:T(t) or isinstance(t,ast.Compare) and len(t.ops)==1 and isinstance(t.ops[0],(ast.Eq,ast.Is)) and S(t.left,t.comparators[0])',
  'L=lambda n:"assert" in ast.unparse(n.func).lower() and len(n.args)>0 and (T(n.args[0]) if len(n.args)==1 else S(n.args[0],n.args[1]))',
  'c=lambda n:isinstance(n,ast.Assert) and not Z(n.test) or isinstance(n,ast.Raise) or isinstance(n,ast.Call) and any(w in ast.unparse(n.func).lower() for w in ("assert","raises","fail","expect","check","verify")) and not L(n)',
  'sys.exit(0 if all((lambda F:(F or k=="0") and all(any(c(m) for m in ast.walk(x)) for x in F))([x for x in ast.walk(ast.parse(open(p).read())) if isinstance(x,(ast.FunctionDef,ast.AsyncFunctionDef)) and x.name==q]) for p,q,k in zip(a[::3],a[1::3],a[2::3])) else 1)',
].join(';');
const PY_PREFIX = `python3 -c ${shellQuote(PY_ASSERTS)} `;

/**
 * Passes once every function named `name` in `path` asserts; when `mustStay`, only if there is
 * one: a test that runs code is fixed by asserting, not by deleting it.
 */
function pythonAssertsCheck(path: string, name: string, mustStay: boolean): string {
  return `${PY_PREFIX}${shellQuote(path)} ${shellQuote(name)} ${mustStay ? '1' : '0'}`;
}

const JS_RULE = jsCall('^(it|test)(\\.only|\\.concurrent)?$');

/** A test that checks nothing: it passes whatever the code under test does. */
export const testWithoutAssertion: FileDetector = {
  id: 'tests/test-without-assertion',
  category: 'tests',
  scope: 'file',
  requires: { ...jsGate(/\b(?:it|test)(?:\.only|\.concurrent)?\s*\(/), python: /def\s+test/ },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Test without any assertion',
  description:
    'This test calls code but never checks the result, so it passes whatever the code returns and only catches crashes. It adds to the coverage number and to the feeling of safety without protecting the behaviour its name promises.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason: 'Adding assertions changes only the test; a new failure reveals an existing bug.',
  confidence: 'MED',
  fixSketch:
    'Assert the behaviour the test name promises: the return value, the state change, the emitted event or the error (`expect(...)`, `assert ...`, `pytest.raises`). If the test is a placeholder, implement it or delete it.',
  steps: [
    'Read the test name and body and find the function or endpoint it exercises.',
    'Decide what observable result proves the behaviour in the name (return value, stored row, response status/body, raised error), following the assertion style of the other tests in the same file.',
    'Add those assertions; for "does not throw" tests, assert the result as well as the absence of an error.',
    'Run the test, then temporarily break the code under test (e.g. return a wrong value) and confirm the test now fails; revert the break.',
  ],
  roles: ['test'],
  targetRoles: ['test'],
  rule: jsAndPython(JS_RULE, { rule: { kind: 'function_definition', regex: '^(async\\s+)?def\\s+test' } }),
  match(node, file, context) {
    const finding = file.language === 'python' ? matchPyTest(node, file, context) : matchJsTest(node, file);
    // Adding assertions leaves a multi-line test's first line as it was, so only a one-line test
    // (whose line must change to gain an assertion) gets a line-gone done check. Python tests get
    // one that reads the test with Python's parser.
    if (finding && file.language !== 'python' && node.range().start.line !== node.range().end.line)
      delete finding.doneCheck;
    return finding;
  },
  mergeDoneChecks: programWithArguments(PY_PREFIX),
};
