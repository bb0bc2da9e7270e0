import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { testWithoutAssertion } from '../../src/detectors/tests/test-without-assertion.ts';
import { detect, linesAndConfidence, withCheckTree } from '../helpers/detector.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

describe('tests/test-without-assertion', () => {
  it('flags JS tests with empty bodies or no checks at full confidence in test files', () => {
    const findings = detect(testWithoutAssertion, {
      'test/cart.test.ts': [
        "import { describe, it, expect } from 'vitest';",
        "describe('cart', () => {",
        "  it('adds an item', () => {",
        '    const cart = new Cart();',
        "    cart.add({ sku: 'A1', qty: 2 });",
        '  });',
        "  it('applies discounts', () => {});",
        "  test('totals', async () => {",
        '    expect(await total()).toBe(3);',
        '  });',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['test/cart.test.ts', 3, 'MED'],
      ['test/cart.test.ts', 7, 'HIGH'],
    ]);
    assert.equal(findings[0]?.fileRole, 'test');
    assert.equal(findings[0]?.doneCheck, undefined);
    assert.equal(
      findings[1]?.doneCheck,
      "! grep -qF -- 'it('\\''applies discounts'\\'', () => {});' 'test/cart.test.ts'",
    );
  });

  it("rates LOW a placeholder test that is one branch of an if/else around the real tests (Saltcorn's sync tests)", () => {
    const findings = detect(testWithoutAssertion, {
      'tests/sync.test.js': [
        'describe("load remote updates", () => {',
        '  if (!db.isSQLite) {',
        '    it("loads updates", async () => {',
        '      expect((await load()).rows.length).toBe(1);',
        '    });',
        '  } else',
        '    it("only pq support", () => {',
        '      expect(true).toBe(true);',
        '    });',
        '});',
        'describe("uploads", () => {',
        '  if (db.isSQLite) {',
        '    it("only pq support", () => {});',
        '  } else {',
        '    it("uploads", async () => { expect(await upload()).toBe(true); });',
        '  }',
        '});',
        // Without an else, the placeholder stands alone: still HIGH.
        'describe("other", () => {',
        '  if (db.isSQLite) it("placeholder", () => { expect(true).toBe(true); });',
        '  it("todo", () => {});',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['tests/sync.test.js', 7, 'LOW'],
      ['tests/sync.test.js', 13, 'LOW'],
      ['tests/sync.test.js', 19, 'HIGH'],
      ['tests/sync.test.js', 20, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /it\.skip/);
  });

  it('reads a test named for not failing as a smoke test (LOW), and keeps other names MED', () => {
    const findings = detect(testWithoutAssertion, {
      'test/close.test.js': [
        "test('http/2 closes successfully with async await', async (t) => {",
        '  await fastify.listen({ port: 0 });',
        '  await fastify.close();',
        '});',
        "test('side effect on schema let the server crash', async (t) => {",
        '  await fastify.ready();',
        '});',
        "test('reports validation errors', async (t) => {",
        '  await fastify.inject({ url: "/" });',
        '});',
        "it('should be able to publish the product', async function() {",
        '  await apos.product.publish(req, product);',
        '});',
        "it('should allow a single lock without contention uneventfully', async function() {",
        "  await apos.lock.lock('test');",
        '});',
        "it('cleanup', async function() {",
        '  await apos.lock.db.deleteMany({});',
        '});',
        "it('can archive a product', async function() {",
        '  await apos.http.patch(url, { body: { archived: true } });',
        '});',
        "it('publishes the product', async function() {",
        '  await apos.product.publish(req, product);',
        '});',
      ].join('\n'),
      'tests/test_parser.py': [
        'def test_does_not_raise_on_empty_input():',
        '    parse("")',
        '',
        'def test_parses_header():',
        '    parse("a: b")',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['test/close.test.js', 1, 'LOW'],
      ['test/close.test.js', 5, 'LOW'],
      ['test/close.test.js', 8, 'MED'],
      ['test/close.test.js', 11, 'LOW'],
      ['test/close.test.js', 14, 'LOW'],
      ['test/close.test.js', 17, 'LOW'],
      ['test/close.test.js', 20, 'LOW'],
      ['test/close.test.js', 23, 'MED'],
      ['tests/test_parser.py', 1, 'LOW'],
      ['tests/test_parser.py', 4, 'MED'],
    ]);
  });

  it('accepts Tornado checks (ExpectLog, self.wait) and reads "# No errors." as a smoke test', () => {
    const findings = detect(testWithoutAssertion, {
      'tornado/test/httpserver_test.py': [
        'class HTTPServerTest(AsyncTestCase):',
        '    def test_malformed_first_line_log(self):',
        '        with ExpectLog(gen_log, ".*Malformed HTTP request line", level=logging.INFO):',
        '            self.stream.write(b"asdf")',
        '    def test_add_timeout_timedelta(self):',
        '        self.io_loop.add_timeout(datetime.timedelta(microseconds=1), self.stop)',
        '        self.wait()',
        '    def test_repr(self):',
        '        lock = locks.Lock()',
        '        # No errors.',
        '        repr(lock)',
        '    def test_stop_twice(self):',
        '        server.stop()',
        '        server.stop()',
        '    def test_remove_not_indexable(self):',
        '        if not cleanup:',
        '            raise unittest.SkipTest("Suite cleanup is disabled")',
        '        suite._removeTestAtIndex(2)',
        '    def test_break_outside_loop(self):',
        '        try:',
        '            Template(utf8("{% break %}"))',
        '            raise Exception("Did not get expected exception")',
        '        except ParseError:',
        '            pass',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['tornado/test/httpserver_test.py', 8, 'LOW'],
      ['tornado/test/httpserver_test.py', 12, 'MED'],
      ['tornado/test/httpserver_test.py', 15, 'MED'],
    ]);
  });

  it('counts tearDown checks, rethrow(), inherited tests, assert aliases and comments about not failing (Tornado, passlib)', () => {
    const findings = detect(testWithoutAssertion, {
      'tornado/test/testing_test.py': [
        'class GenTest(AsyncTestCase):',
        '    def setUp(self):',
        '        self.finished = False',
        '    def tearDown(self):',
        '        self.assertTrue(self.finished)',
        '    def test_sync(self):',
        '        self.finished = True',
        'class IOStreamTest(AsyncHTTPTestCase):',
        '    def test_connection_closed(self):',
        '        response = self.fetch("/", headers={"Connection": "close"})',
        '        response.rethrow()',
        '    def test_add_callback_while_closing(self):',
        '        # add_callback should not fail if it races with another thread closing the IOLoop.',
        '        other_ioloop.add_callback(other_ioloop.stop)',
        '    def test_timeout_environment_variable(self):',
        "        # Uses provided timeout of 0.5 seconds, doesn't time out.",
        '        test_long_timeout(self)',
        '    def test_listen(self):',
        '        server = app.listen(0)',
        '        server.stop()',
      ].join('\n'),
      'passlib/tests/test_handlers.py': [
        'class bsdi_crypt_test(HandlerCase):',
        '    def test_77_fuzz_input(self, **kwds):',
        '        warnings.filterwarnings("ignore", "bsdi_crypt rounds should be odd.*")',
        '        super(bsdi_crypt_test, self).test_77_fuzz_input(**kwds)',
        '    def test_match_w_skew(self):',
        '        assertMatches = partial(self.assertVerifyMatches, otp=self.otp)',
        '        assertMatches(0, token, time)',
        '    def test_10_repr(self):',
        '        repr(apache.HtpasswdFile("fakepath"))',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['tornado/test/testing_test.py', 12, 'LOW'],
      ['tornado/test/testing_test.py', 15, 'LOW'],
      ['tornado/test/testing_test.py', 18, 'MED'],
      // Only that repr does not raise: a smoke test, LOW.
      ['passlib/tests/test_handlers.py', 8, 'LOW'],
    ]);
  });

  it('rates a TypeScript test that only checks types LOW (react-admin), not a JavaScript one', () => {
    const findings = detect(testWithoutAssertion, {
      'src/dataProvider/useGetMany.spec.tsx': [
        "describe('TypeScript', () => {",
        "  it('should return the parametric type', () => {",
        '    type Foo = { id: number; name: string };',
        '    const _Dummy = () => {',
        "      const { data } = useGetMany<Foo>('posts', { ids: [1] });",
        '      return <div>{data[0].name}</div>;',
        '    };',
        '    // no render needed, only checking types',
        '  });',
        "  it('renders', () => {",
        '    render(<List />);',
        '  });',
        '});',
      ].join('\n'),
      'test/types.test.js': [
        "it('checks types', () => {",
        '  // only checking types',
        '  build();',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/dataProvider/useGetMany.spec.tsx', 2, 'LOW'],
      ['src/dataProvider/useGetMany.spec.tsx', 10, 'MED'],
      ['test/types.test.js', 1, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /checks types only/);
  });

  it('takes type-level assertions for assertions in TypeScript (WordPress core-data, type-fest, vitest)', () => {
    const findings = detect(testWithoutAssertion, {
      'src/entity-types/test/types.test.ts': [
        "describe('Entity record types', () => {",
        "  it('resolves root entities', () => {",
        '    () => {',
        "      true satisfies Expect<EntityRecordOf<'root', 'globalStyles'>, GlobalStyles<'edit'>>;",
        '    };',
        '  });',
        "  it('resolves posts', () => {",
        "    type Check = Expect<Equal<EntityRecordOf<'postType', 'post'>, Post<'edit'>>>;",
        '  });',
        "  it('infers the record', () => {",
        '    assertType<Post>(record);',
        '  });',
        "  it('builds a record', () => {",
        '    buildRecord();',
        '  });',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [['src/entity-types/test/types.test.ts', 13, 'MED']]);
  });

  it('rates a test that only sets up state for the next ones LOW (Apostrophe)', () => {
    const findings = detect(testWithoutAssertion, {
      'test/change-doc-ids.js': [
        "describe('change doc ids', function() {",
        '  let apos;',
        '  const categories = [];',
        "  it('should initialize the apos object', async function() {",
        "    apos = await t.create({ root: module, modules: { article: { extend: 'piece-type' } } });",
        '  });',
        "  it('should insert categories', async function() {",
        '    for (let i = 0; i < 10; i++) {',
        "      categories.push(await apos.category.insert(apos.task.getReq(), { title: 'Category ' + i }));",
        '    }',
        '  });',
        "  it('should publish the product', async function() {",
        '    const req = apos.task.getReq();',
        '    const local = [];',
        '    local.push(req);',
        '    await apos.product.publish(req, categories[0]);',
        '  });',
        "  it('has ten categories', function() {",
        '    assert.strictEqual(categories.length, 10);',
        '  });',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['test/change-doc-ids.js', 4, 'LOW'],
      ['test/change-doc-ids.js', 7, 'LOW'],
      ['test/change-doc-ids.js', 12, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /sets up state for the tests after it/);
  });

  it('accepts a wait for a condition as the check (magic-wormhole poll_until, WebdriverIO waitUntil)', () => {
    const findings = detect(testWithoutAssertion, {
      'wormhole/test/test_wormhole.py': [
        'class Wormholes(ServerBase, unittest.TestCase):',
        '    @inlineCallbacks',
        '    def test_allocate_code(self):',
        '        dg = Delegate()',
        '        w1 = wormhole.create(APPID, self.relayurl, reactor, delegate=dg)',
        '        w1.allocate_code()',
        '        yield poll_until(lambda: dg.code is not None)',
        '        w1.close()',
        '    def test_priorities(self):',
        '        # a placeholder to fill in once we implement priorities.',
        '        pass',
      ].join('\n'),
      'test/e2e/editor.test.js':
        "it('saves', async () => { await $('#save').click(); await browser.waitUntil(() => saved()); });\n",
    });
    assert.deepEqual(summary(findings), [['wormhole/test/test_wormhole.py', 9, 'HIGH']]);
  });

  it('accepts nose-style checks (eq_, is_) and methods of the test class that use them (SQLAlchemy)', () => {
    const findings = detect(testWithoutAssertion, {
      'tests/test_ddl.py': [
        'from sqlalchemy.testing import eq_, is_',
        'class TableDDLTest(fixtures.TestBase):',
        '    def _simple_roundtrip(self, table):',
        '        eq_(conn.execute(table.select()).first(), (1, "some data"))',
        '    def test_create_table(self):',
        '        table = self._simple_fixture()',
        '        self._simple_roundtrip(table)',
        '    def test_is_none(self):',
        '        is_(lookup("x"), None)',
        '    def test_drop_table(self):',
        '        table.drop(config.db)',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [['tests/test_ddl.py', 10, 'MED']]);
  });

  it('accepts a decorator that expects an exception as the check (Pony raises_exception, nose raises)', () => {
    const findings = detect(testWithoutAssertion, {
      'pony/orm/tests/test_array.py': [
        'class TestArray(unittest.TestCase):',
        '    @raises_exception(TypeError, err_msg)',
        '    @db_session',
        '    def test_5(self):',
        '        Foo.select().first().array3.append(123)',
        '    @raises(ValueError)',
        '    def test_6(self):',
        '        parse("x")',
        '    @db_session',
        '    def test_8(self):',
        "        Foo.select().first().array3.extend(['str1'])",
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [['pony/orm/tests/test_array.py', 10, 'MED']]);
  });

  it('accepts expect/assert/t.is/should, supertest .expect and asserting helpers', () => {
    const findings = detect(testWithoutAssertion, {
      'test/api.test.ts': [
        "const assert = require('node:assert/strict');",
        'function expectOk(res) { assert.equal(res.status, 200); }',
        "it('a', () => { assert.equal(add(1, 2), 3); });",
        "it('b', () => request(app).get('/').expect(200));",
        "test('c', (t) => { t.is(add(1, 1), 2); });",
        "it('d', () => { result.should.equal(3); });",
        "it('e', async () => { expectOk(await get('/')); });",
        "it('f', () => { t.assert.deepEqual(x, y); });",
        "it.todo('g');",
        // zod's type-level tests: an assertion helper called with type arguments.
        "test('h', () => { util.assertEqual<z.infer<typeof Test>, TestType>(true); });",
        "test('i', () => { expectTypeOf<Schema>().toEqualTypeOf<Expected>(); });",
        "test('j', () => { util.assertEqual<Merged, { a?: string | undefined; b: string }>(true); });",
        // Etherpad's front-end tests fail themselves on a condition.
        "it('k', async function () {",
        "  const version = content.split(': ')[1].split('.');",
        '  if (version.length !== 3) {',
        "    throw new Error('Not displaying a semver version number');",
        '  }',
        '});',
        "it('l', () => { if (helper.admin$('dt').length <= 20) throw new Error('Not enough hooks'); });",
        "it('m', async () => { press('tab'); await helper.waitForPromise(() => inner$('ul li').length === 1); });",
        "it('n', async () => { render(form); await screen.findByText('Saved'); });",
        "it('o', async () => { await page.goto('/'); await page.waitForSelector('#editor'); });",
        // NodeBB: mocha's done as the node-style callback fails the test on an error.
        "it('p', function (done) { topics.getTopicData(tid, done); });",
        // Sails: done only once the output shows the build ran, else mocha's time-out fails it.
        "it('q', function (done) {",
        "  child.stdout.on('data', function (data) {",
        "    if (String(data).indexOf('`grunt build`') !== -1) {",
        '      return done();',
        '    }',
        '  });',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });

  it('accepts assert methods given local names by tuple assignment, by a condition, or as class attributes (calibre, Manila)', () => {
    const findings = detect(testWithoutAssertion, {
      'calibre/db/tests/test_add_remove.py': [
        'class AddRemoveTest(BaseTest):',
        '    def test_add_format(self):',
        '        af, ae, at = self.assertFalse, self.assertEqual, self.assertTrue',
        '        cache = self.init_cache()',
        "        ae(cache.format(1, 'FMT1'), b'x')",
        '    def test_names_only(self):',
        '        af, ae = self.assertFalse, self.assertEqual',
        '        cache = self.init_cache()',
      ].join('\n'),
      // calibre's FTS tests: the alias is a class attribute, the check `self.ae(…)`.
      'calibre/db/tests/test_fts.py': [
        'class FTSTest(BaseTest):',
        '    ae = BaseTest.assertEqual',
        '    def test_fts_tokenize(self):',
        "        self.ae(tokenize('a b'), ['a', 'b'])",
        '    def test_other(self):',
        "        self.af(tokenize('a b'))",
      ].join('\n'),
      // Manila's capability filter tests: a helper picks the assertion by the case.
      'manila/tests/scheduler/filters/test_capabilities.py': [
        'class CapabilitiesFilterTestCase(test.TestCase):',
        '    def _do_test_type_filter_extra_specs(self, ecaps, especs, passes):',
        "        host = fakes.FakeHostState('host1', {'capabilities': ecaps})",
        '        assertion = self.assertTrue if passes else self.assertFalse',
        '        assertion(self.filter.host_passes(host, especs))',
        '    def test_capability_filter_passes_extra_specs_simple(self):',
        "        self._do_test_type_filter_extra_specs({'opt1': 1}, {'opt1': '1'}, passes=True)",
        '    def test_capability_filter_unknown(self):',
        "        self._do_test_type_filter({'opt1': 1}, {'opt1': '1'})",
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file.split('/').pop(), f.evidence[0]?.startLine, f.confidence]),
      [
        ['test_add_remove.py', 6, 'MED'],
        ['test_fts.py', 5, 'LOW'],
        // A helper this file does not define: a lead.
        ['test_capabilities.py', 8, 'LOW'],
      ],
    );
  });

  it('reads a module-level asserting helper after blank lines whole (calibre run_funcs)', () => {
    const findings = detect(testWithoutAssertion, {
      'calibre/db/tests/test_legacy.py': [
        'import os',
        '',
        '',
        'def run_funcs(self, db, ndb, funcs):',
        '    for meth, args in funcs:',
        '        res1, res2 = getattr(db, meth)(*args), getattr(ndb, meth)(*args)',
        '        self.assertEqual(res1, res2)',
        '',
        '',
        'def load_only(db):',
        '    return db.load()',
        '',
        '',
        'class LegacyTest(BaseTest):',
        '    def test_delete_using(self):',
        "        run_funcs(self, self.old, self.new, (('delete_tag_using_id', 1),))",
        '    def test_loads(self):',
        '        load_only(self.old)',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [[17, 'MED']]);
  });

  it('reads an asserting helper of the file handed to a callback by name as a check (Horizon user-session spec)', () => {
    const findings = detect(testWithoutAssertion, {
      'static/app/user-session.service.spec.js': [
        "describe('isCurrentProject', function() {",
        "  it('resolves when the project matches', function() {",
        "    factory.isCurrentProject('abc').then(pass, fail);",
        '    $timeout.flush();',
        '  });',
        "  it('logs the project', function() {",
        "    factory.isCurrentProject('abc').then(log);",
        '  });',
        '  function pass() {',
        '    expect(true).toBe(true);',
        '  }',
        '  function fail() {',
        '    expect(true).toBe(false);',
        '  }',
        '  function log(value) {',
        '    console.log(value);',
        '  }',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [[6, 'MED']]);
  });

  it('accepts asserting helpers written as function expressions, even one named test (mongo-express)', () => {
    const findings = detect(testWithoutAssertion, {
      'test/lib/csvSpec.js': [
        "import { expect } from 'chai';",
        'const test = function (data, result) {',
        '  expect(csv(data)).to.eql(result);',
        '};',
        'var check = async function checkRows(rows) { expect(rows).to.have.length(2); };',
        "describe('CSV', function () {",
        "  it('handles nested objects', function () { test([{ a: { b: 2 } }], '\"a.b\"\\n2'); });",
        "  it('reads rows', async function () { await check(await load()); });",
        "  it('only loads', async function () { await load(); });",
        '});',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [[9, 'MED']]);
  });

  it('reads helpers handed over by name and done after a callback as checks, a done-only hook test as LOW (LoopBack)', () => {
    const findings = detect(testWithoutAssertion, {
      'test/model-definition.test.js': [
        "it('removes hidden properties', function() {",
        '  return Child.find({ where: { secret: 1 } }).then(assertHiddenPropertyIsIgnored);',
        '});',
        "it('allows multiple connects', function(done) {",
        '  async.times(10, function(n, next) {',
        '    ds.connect(next);',
        '  }, done);',
        '});',
        "it('is triggered on new', function(done) {",
        '  User.afterInitialize = function() {',
        '    done();',
        '  };',
        '  new User;',
        '});',
        "it('sends a reset code', function(done) {",
        '  User.reset.send(email, function(err, code) { if (err) { console.log(err); } done(); });',
        '});',
        "it('throws if a relation is missing its type', function(done) {",
        "  try { ds.define('User', {}, { relations: { posts: { model: 'Post' } } }); } catch (e) { done(); }",
        '});',
        "it('allows find(filter, options)', function() {",
        '  User.find({ limit: 3 }, options);',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [9, 'LOW'],
      [15, 'MED'],
      [21, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /only checks that a callback runs/);
  });

  it('reads a test titled for resolving, or one that awaits an event, as a LOW lead (Etherpad)', () => {
    const findings = detect(testWithoutAssertion, {
      'tests/backend/specs/promises.js': [
        "it('resolves', async function () {",
        '  await timesLimitPromise;',
        '});',
        "it('resolves the path against the root', async function () {",
        "  await resolvePath('a/b');",
        '});',
        "it('reloads the pad', async function () {",
        '  this.timeout(10000);',
        "  await new Promise((resolve) => $originalPadFrame.one('load', resolve));",
        '});',
        "it('reloads the settings', async function () {",
        '  await new Promise((resolve) => setTimeout(resolve, 100));',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [1, 'LOW'],
      [4, 'MED'],
      [7, 'LOW'],
      [11, 'MED'],
    ]);
    assert.match(findings[2]?.message ?? '', /only checks that an event fires/);
  });

  it('does not take a throw inside code the test calls, or a sleep, for a check', () => {
    const findings = detect(testWithoutAssertion, {
      'test/runner.test.js': [
        "it('runs the task', () => { run(() => { throw new Error('boom'); }); });",
        "it('loads', async () => { await page.goto('/'); await page.waitForTimeout(500); });",
        "it('sends', function (done) { send('x', function (err) { console.log(err); done(); }); });",
        "it('calls', (t, done) => { run(); done(); });",
      ].join('\n'),
    });
    assert.equal(findings.length, 4);
  });

  it('flags pytest functions without assert and accepts assert, pytest.raises and unittest asserts', () => {
    const findings = detect(testWithoutAssertion, {
      'tests/test_orders.py': [
        'import pytest',
        'def test_create_order(client):',
        '    client.post("/orders", json={"sku": "A1"})',
        '',
        'def test_placeholder():',
        '    pass',
        '',
        'def test_total():',
        '    assert total([1, 2]) == 3',
        '',
        'def test_rejects_negative():',
        '    with pytest.raises(ValueError):',
        '        total([-1])',
        '',
        'class TestApi(unittest.TestCase):',
        '    def test_get(self):',
        '        self.assertEqual(get("/").status_code, 200)',
        '',
        '@pytest.mark.skip(reason="flaky")',
        'def test_skipped():',
        '    pass',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['tests/test_orders.py', 2, 'MED'],
      ['tests/test_orders.py', 5, 'HIGH'],
    ]);
  });

  it('skips tests nested in another class or test, and test_suite() builders (unittest self-tests)', () => {
    const findings = detect(testWithoutAssertion, {
      'unittest/test/test_case.py': [
        'class Test(object):',
        '    "Keep these TestCase classes out of the main namespace"',
        '    class Foo(unittest.TestCase):',
        '        def runTest(self): pass',
        '        def test1(self): pass',
        'class Test_TestCase(unittest.TestCase):',
        '    def test_loadTestsFromTestCase(self):',
        '        class Foo(unittest.TestCase):',
        '            def test_1(self): pass',
        '        self.assertEqual(loader.loadTestsFromTestCase(Foo).countTestCases(), 1)',
        '    def test_placeholder(self):',
        '        pass',
        '    def test_skip_decorators(self):',
        '        for deco, do_skip in op_table:',
        '            class Foo(unittest.TestCase):',
        '                @deco(do_skip, "testing")',
        '                def test_skip(self): pass',
        '            self.assertTrue(Foo("test_skip").run().wasSuccessful())',
        '    def test_object_lookup_is_quite_lazy(self):',
        "        @patch('%s.something' % __name__, sentinel.Something2)",
        '        def test():',
        '            pass',
        '        self.assertEqual(something, sentinel.replacement_value)',
        'def test_suite():',
        '    return unittest.makeSuite(Test_TestCase)',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [[11, 'HIGH']]);
  });

  it('treats crash-regression tests as LOW and skips helper modules runners do not collect', () => {
    const findings = detect(testWithoutAssertion, {
      'unittest/test/testmock/testhelpers.py': [
        'class SpecSignatureTest(unittest.TestCase):',
        '    def test_builtins(self):',
        '        # used to fail with infinite recursion',
        '        create_autospec(1)',
        '    def testOldResultWithRunner(self):',
        '        runner = unittest.TextTestRunner(resultclass=OldResult, stream=io.StringIO())',
        "        # This will raise an exception if TextTestRunner can't handle old test result objects",
        "        runner.run(Test('testFoo'))",
        '    def test_spec_inheritance(self):',
        '        create_autospec(Sub)',
      ].join('\n'),
      'unittest/test/_test_warnings.py': [
        'class TestWarnings(unittest.TestCase):',
        '    def test_deprecation(self):',
        "        warnings.warn('dw', DeprecationWarning)",
      ].join('\n'),
      'test/parser.test.js': [
        "it('parses a deeply nested expression', () => {",
        '  // regression: this used to throw RangeError',
        '  parse(deep);',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['unittest/test/testmock/testhelpers.py', 2, 'LOW'],
        ['unittest/test/testmock/testhelpers.py', 5, 'LOW'],
        ['unittest/test/testmock/testhelpers.py', 9, 'MED'],
        ['test/parser.test.js', 1, 'LOW'],
      ],
    );
  });

  it('counts functions outside classes only in files pytest collects', () => {
    const findings = detect(testWithoutAssertion, {
      // sqlite3/test/dump.py: a runner entry point, not a collected test.
      'sqlite3/test/dump.py': [
        'class DumpTests(unittest.TestCase):',
        '    def test_table_dump(self):',
        '        self.cx.iterdump()',
        '',
        'def test():',
        '    runner = unittest.TextTestRunner()',
        '    runner.run(suite())',
      ].join('\n'),
      'tests/orders_test.py': ['@pytest.mark.slow', 'def test_totals():', '    total([])'].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['sqlite3/test/dump.py', 2, 'MED'],
      ['tests/orders_test.py', 2, 'MED'],
    ]);
  });

  it('accepts _assert helpers, and rates a test handing its case to a fixture method defined elsewhere LOW (alembic)', () => {
    const findings = detect(testWithoutAssertion, {
      'tests/test_op.py': [
        'class BackendAlterColumnTest(AlterColRoundTripFixture, TestBase):',
        '    def test_rename_column(self):',
        '        self._run_alter_col({}, {"name": "newname"})',
        '    def test_remove_fk(self):',
        '        diffs = self._fixture(m1, m2)',
        '        self._assert_fk_diff(diffs[0], "remove_fk", "user", ["test2"])',
        '    def test_local_helper(self):',
        '        self._setup()',
        '    def _setup(self):',
        '        self.conn = connect()',
        '    def test_minimal(self):',
        '        project_dir, dist = self.create_dist()',
        '        cmd = bdist_msi(dist)',
        '        cmd.ensure_finalized()',
        // Trove's scenario groups hand each test to a runner object, which asserts.
        '    def test_log_list(self):',
        '        self.test_runner.run_test_log_list()',
        // Trove's API tests fail by hand through proboscis' asserts.
        '    def test_resize_should_use_new_flavor(self):',
        '        if flavor_id != new_flavor_id:',
        '            asserts.fail("resize did not change the flavor")',
        // Another object of the test's, not a runner: nothing checks what it did.
        '    def test_client_list(self):',
        '        self.client.list()',
      ].join('\n'),
    });
    // A fixture call that sets up, followed by code that checks nothing, is still a test without
    // assertions (distutils' test_bdist_msi).
    assert.deepEqual(summary(findings), [
      ['tests/test_op.py', 2, 'LOW'],
      ['tests/test_op.py', 7, 'MED'],
      ['tests/test_op.py', 11, 'MED'],
      ['tests/test_op.py', 15, 'LOW'],
      ['tests/test_op.py', 20, 'MED'],
    ]);
    assert.match(findings[3]?.message ?? '', /`self\.test_runner\.run_test_log_list\(\)`/);
    assert.match(
      findings[0]?.message ?? '',
      /calls `self\._run_alter_col\(\)`, which is not defined in this file/,
    );
  });

  it('reads a test that only parses valid input with a throwing validator as a LOW lead (zod)', () => {
    const findings = detect(testWithoutAssertion, {
      'src/v3/tests/parser.test.ts': [
        'test("parse nonstrict object with unknown keys", () => {',
        '  z.object({ name: z.string() }).nonstrict().parse({ name: "bill", unknownKey: 12 });',
        '});',
        'test("builds the schema", () => {',
        '  z.object({ name: z.string() }).strict();',
        '});',
        // Actionhero: a task definition's validate() throws when the task is invalid.
        'test("validates tasks", () => {',
        '  api.tasks.tasks.regularTask.validate();',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/v3/tests/parser.test.ts', 1, 'LOW'],
      ['src/v3/tests/parser.test.ts', 4, 'MED'],
      ['src/v3/tests/parser.test.ts', 7, 'LOW'],
    ]);
    assert.match(findings[0]?.message ?? '', /only checks that a validator accepts its input/);
  });

  it('reads a Python smoke test of a management command or a repr as a LOW lead, not names bound and never checked (django-q, passlib, locust)', () => {
    const findings = detect(testWithoutAssertion, {
      'django_q/tests/test_commands.py': [
        'from django.core.management import call_command',
        'def test_qcluster():',
        '    call_command("qcluster", run_once=True)',
        'def test_qmonitor():',
        '    call_command("qmonitor", run_once=True)',
        '    call_command("qinfo")',
      ].join('\n'),
      'passlib/tests/test_apache.py': [
        'from passlib import apache',
        'class HtpasswdFileTest(TestCase):',
        '    def test_repr(self):',
        '        ht = apache.HtpasswdFile()',
        '        repr(ht)',
      ].join('\n'),
      'locust/test/test_load_locustfile.py': [
        'def test_load_locust_file_from_absolute_path():',
        '    docstring, user_classes, shape_class = main.load_locustfile(mocked.file_path)',
        'def test_runs_the_script():',
        '    run_script("locustfile.py")',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['django_q/tests/test_commands.py', 2, 'LOW'],
      ['django_q/tests/test_commands.py', 4, 'LOW'],
      ['passlib/tests/test_apache.py', 3, 'LOW'],
      ['locust/test/test_load_locustfile.py', 1, 'MED'],
      ['locust/test/test_load_locustfile.py', 3, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /smoke test: it calls `call_command\(\)`/);
  });

  it('rates a check whose result a Python test drops HIGH, and says where (django-otp)', () => {
    const findings = detect(testWithoutAssertion, {
      'django_otp/tests/test_email.py': [
        'class EmailTest(TestCase):',
        '    def test_token_generator(self):',
        '        self.device.generate_token()',
        '        self.device.token.isnumeric()',
        '    def test_count(self):',
        '        self.device.refresh()',
        '        self.device.count == 3',
        '    def test_generates(self):',
        '        self.device.generate_token()',
        '        Device.objects.all()',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['django_otp/tests/test_email.py', 2, 'HIGH'],
      ['django_otp/tests/test_email.py', 5, 'HIGH'],
      ['django_otp/tests/test_email.py', 8, 'MED'],
    ]);
    assert.match(
      findings[0]?.message ?? '',
      /computes `self\.device\.token\.isnumeric\(\)` on line 4 and drops the result/,
    );
  });

  it('accepts whatever name a file gives an assertion library (keystone: var demand = require("must"))', () => {
    const findings = detect(testWithoutAssertion, {
      'fields/types/boolean/test/filters.test.js': [
        "var demand = require('must');",
        "it('should filter true values', function (done) {",
        "  filter({ bool: { value: 'true' } }, 'bool', function (results) {",
        '    demand(results).eql([true]);',
        '    done();',
        '  });',
        '});',
        "it('should return a slug of the provided string', function () {",
        "  List.fields.key.generateKey('A b ç').must.be('a-b-c');",
        '});',
        // waterline: the error is checked by hand, failing the test with a throw of its own.
        "it('should throw E_VALIDATION error when a value cannot be cast', function () {",
        "  try { Person.validate('activated', 'not yet'); } catch (e) {",
        "    if (e.code !== 'E_VALIDATION') throw new Error('wrong code ' + e.code);",
        '  }',
        '});',
      ].join('\n'),
      'test/chai.test.ts': [
        "import { expect as check2, assert as a } from 'chai';",
        "it('a', () => { check2(1).to.equal(1); });",
        "it('b', () => { a.equal(1, 1); });",
        "it('c', () => { run(); });",
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [['test/chai.test.ts', 4, 'MED']]);
  });

  it('accepts a stated expected status and a test run by another test with arguments (Keystone)', () => {
    const findings = detect(testWithoutAssertion, {
      'keystone/tests/unit/test_v3_assignment.py': [
        'class AssignmentTestCase(test_v3.RestfulTestCase):',
        '    def test_get_role_assignments_by_project(self, **filters):',
        "        r = self.get('/role_assignments?scope.project.id=%s' % self.project_id)",
        '        self.assertValidRoleAssignmentListResponse(r)',
        '',
        '    def test_get_role_assignments_by_project_and_group(self, **filters):',
        '        self.test_get_role_assignments_by_project(',
        '            group_id=self.default_group_id, **filters)',
        '',
        '    def test_user_cannot_get_non_existent_user_not_found(self):',
        '        with self.test_client() as c:',
        "            c.get('/v3/users/%s' % uuid.uuid4().hex, headers=self.headers,",
        '                  expected_status_code=http.client.NOT_FOUND)',
        '',
        '    def test_lists_users(self):',
        '        with self.test_client() as c:',
        "            c.get('/v3/users', headers=self.headers)",
      ].join('\n'),
    });
    // The client fails the test unless the status is the expected one (200 when not given).
    assert.deepEqual(linesAndConfidence(findings), [[15, 'LOW']]);
  });

  it('follows helpers that hand their case to an asserting helper, and stated expectations (Mailman)', () => {
    const findings = detect(testWithoutAssertion, {
      'mailman/model/tests/test_member.py': [
        'class TestMembers(unittest.TestCase):',
        '    def _test_membership_pending_x(self, *args):',
        '        pending = list(self._service.pending(*args[:-2]))',
        '        self.assertEqual(len(pending), args[-2])',
        '',
        '    def _test_membership_pending_warning(self, *args):',
        '        self._test_membership_pending_x(*args)',
        '',
        '    def _log_only(self, *args):',
        '        log.info(args)',
        '',
        '    def test_membership_pending_warnings(self):',
        '        self._test_membership_pending_warning(2, None, 0, [])',
        '',
        '    def test_probe_sends_one_message(self):',
        '        send_probe(self._member, self._msg)',
        "        get_queue_messages('virgin', expected_count=1)",
        '',
        '    def test_only_logs(self):',
        '        expected = compute()',
        '        self._log_only(expected)',
        '',
        // Nova's API sample tests: the client fails the test unless the status is 410.
        '    def test_agent_create(self):',
        "        self.api.api_post('/os-agents', {}, check_response_status=[410])",
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [[19, 'MED']]);
  });

  it('reads a Tornado @gen_test that only waits for something to complete as a LOW lead', () => {
    const findings = detect(testWithoutAssertion, {
      'tornado/test/locks_test.py': [
        'class ConditionTest(AsyncTestCase):',
        '    @gen_test',
        '    def test_notify(self):',
        '        c = locks.Condition()',
        '        self.io_loop.call_later(0.01, c.notify)',
        '        yield c.wait()',
        '',
        '    def test_plain(self):',
        '        c = locks.Condition()',
        '        c.notify()',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [3, 'LOW'],
      [8, 'MED'],
    ]);
  });

  it('reads a Python test that only validates valid input as a LOW lead (jsonschema)', () => {
    const findings = detect(testWithoutAssertion, {
      'jsonschema/tests/test_validators.py': [
        'class TestDraft3(TestCase):',
        '    def test_any_type_is_valid_for_type_any(self):',
        '        validator = self.Validator({"type": "any"})',
        '        validator.validate(object())',
        '    def test_builds(self):',
        '        validator = self.Validator({"type": "any"})',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['jsonschema/tests/test_validators.py', 2, 'LOW'],
      ['jsonschema/tests/test_validators.py', 5, 'MED'],
    ]);
  });

  it('does not run on source files', () => {
    const findings = detect(testWithoutAssertion, { 'src/routes.ts': "it('x', () => {});\n" });
    assert.deepEqual(findings, []);
  });

  it('reads requests through a status-checking test client as a status check (LOW), Keystone protection tests', () => {
    const findings = detect(testWithoutAssertion, {
      'keystone/tests/protection/v3/test_domain_config.py': [
        'class DomainConfigTests(base.TestCase):',
        '    def test_user_can_get_security_compliance_domain_config(self):',
        '        with self.test_client() as c:',
        "            c.get('/v3/domains/default/config', headers=self.headers)",
        '',
        '    def test_user_cannot_delete_domain_config(self):',
        '        with self.test_client() as c:',
        "            c.delete('/v3/domains/default/config', headers=self.headers,",
        '                     expected_status_code=http.client.FORBIDDEN)',
        '',
        '    def test_sync_config(self):',
        '        PROVIDERS.domain_config_api.sync(domain)',
      ].join('\n'),
      'tests/test_views.py': [
        'class ViewTests(TestCase):',
        '    def test_index(self):',
        "        self.client.get('/')",
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['keystone/tests/protection/v3/test_domain_config.py', 2, 'LOW'],
      ['keystone/tests/protection/v3/test_domain_config.py', 11, 'MED'],
      ['tests/test_views.py', 2, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /only the response status/);
  });

  it('reads a request helper the file calls with an expected status as a status check (LOW), Keystone auth tests', () => {
    const findings = detect(testWithoutAssertion, {
      'keystone/tests/unit/test_v3_auth.py': [
        'class TestMFARules(test_v3.RestfulTestCase):',
        '    def test_MFA_rules_all_bogus_rules_results_in_default_behavior(self):',
        "        self._update_user_with_MFA_rules(rule_list=[['password', 'totp']], rules_enabled=False)",
        '        with freezegun.freeze_time(time):',
        '            self.v3_create_token(',
        '                self.build_authentication_request(',
        "                    user_id=self.user_id, password=self.user['password']))",
        '',
        '    def test_MFA_rules_enabled_MFA_fails(self):',
        '        self.v3_create_token(',
        '            self.build_authentication_request(user_id=self.user_id),',
        '            expected_status=http.client.UNAUTHORIZED)',
        '',
        '    def test_list_user_groups(self):',
        "        PROVIDERS.identity_api.list_groups_for_user(self.user['id'])",
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['keystone/tests/unit/test_v3_auth.py', 2, 'LOW'],
      ['keystone/tests/unit/test_v3_auth.py', 14, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /only the response status/);
  });

  it('follows inherited tests run over a line break or a name for super, and validators named validate_* (Keystone)', () => {
    const findings = detect(testWithoutAssertion, {
      'keystone/tests/unit/test_backend_ldap.py': [
        'class MultiLDAP(BaseLDAPIdentity):',
        '    def test_list_role_assignments_filtered_by_role(self):',
        '        base = super(BaseLDAPIdentity, self)',
        '        base.test_list_role_assignments_filtered_by_role()',
        '',
        '    def test_create_project_with_domain_id(self):',
        '        super(BaseLDAPIdentity, self).\\',
        '            test_create_project_with_domain_id()',
        '',
        '    def test_mapping_validation_with_group_name(self):',
        '        mapping = fixtures.MAPPING_GROUP_NAMES',
        '        mapping_utils.validate_mapping_structure(mapping)',
        '',
        // Heat: a private validator of the service under test.
        '    def test_validate_deferred_auth_context_trusts(self):',
        '        self.man._validate_deferred_auth_context(ctx, stk)',
        '',
        '    def test_same_domain_gets_sql_driver(self):',
        "        PROVIDERS.domain_config_api.create_config(domain_id, {'driver': 'sql'})",
        '',
        // Heat's domain-name variants run the parent's tests through `p`.
        '    def test_enable_stack_domain_user_error_project(self):',
        '        p = super(KeystoneClientTestDomainName, self)',
        '        p.test_enable_stack_domain_user_error_project()',
        '',
        // A name that is not the parent: the helper's own test-like method checks nothing here.
        '    def test_delete_user(self):',
        '        p = self.make_client()',
        '        p.test_connection()',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [10, 'LOW'],
      [14, 'LOW'],
      [17, 'MED'],
      [24, 'MED'],
    ]);
  });

  it('reads a test named for passing without an error as a smoke test (Barbican policy tests)', () => {
    const findings = detect(testWithoutAssertion, {
      'barbican/tests/api/test_resources_policy.py': [
        'class WhenTestingVersionsResource(BaseTestCase):',
        '    def test_should_pass_get_versions_with_bad_roles(self):',
        "        self.req = self._generate_req(roles=[None, 'bunkrolehere'])",
        '        self.resource.on_get(self.req, self.resp)',
        '',
        '    def test_get_versions_with_bad_roles(self):',
        "        self.req = self._generate_req(roles=[None, 'bunkrolehere'])",
        '        self.resource.on_get(self.req, self.resp)',
        '',
        // "pass" as in hand on: the test should check what arrives.
        '    def test_should_pass_the_roles_to_the_enforcer(self):',
        '        self.resource.on_get(self.req, self.resp)',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [2, 'LOW'],
      [6, 'MED'],
      [10, 'MED'],
    ]);
  });

  it('reads a docstring that names a smoke test as a title would (deluge test_write)', () => {
    const findings = detect(testWithoutAssertion, {
      'deluge/tests/test_stats.py': [
        'class StatsTestCase(BaseTestCase):',
        '    def test_write(self):',
        '        """',
        '        writing to a file-like object; need this for webui.',
        '',
        '        Not strictly a unit test, but tests if calls do not fail...',
        '        """',
        '        graph.write(io.BytesIO())',
        '',
        '    def test_read(self):',
        '        """Reads the stats back."""',
        '        graph.read(io.BytesIO())',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [2, 'LOW'],
      [10, 'MED'],
    ]);
  });

  it('reads a test a helper builds around a function its caller passes as a LOW lead (sails test helpers)', () => {
    const findings = detect(testWithoutAssertion, {
      'test/helpers/sails.js': [
        'module.exports = {',
        '  get: function (passbackFn) {',
        "    it('should get a Sails instance', function () {",
        '      passbackFn(this.sails);',
        '    });',
        '  },',
        '  lift: function (options) {',
        "    it('lifts', function () {",
        '      sails.lift(options);',
        '    });',
        '  },',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [3, 'LOW'],
      [8, 'MED'],
    ]);
  });

  it('quotes the whole test for the plan, and keeps its id when the body changes', () => {
    const test = (body: string) =>
      detect(testWithoutAssertion, {
        'jupyterhub/tests/test_roles.py': [
          'async def test_user_role_from_config(app, role, expected_members):',
          '    config = {"load_roles": [role]}',
          `    ${body}`,
          '    await app.init_role_assignment()',
          '',
        ].join('\n'),
      });
    const [before] = test('app.config = config');
    const [after] = test('app.load_config(config)');
    assert.deepEqual([before?.evidence[0]?.startLine, before?.evidence[0]?.endLine], [1, 4]);
    assert.match(before?.evidence[0]?.excerpt ?? '', /init_role_assignment/);
    assert.ok(before && after);
    assert.equal(after.id, before.id);
  });

  it("gives Python tests a done check that passes once the test asserts, read by Python's own parser", (t) => {
    if (spawnSync('python3', ['--version']).status !== 0) return t.skip('python3 is not installed');
    const file = 'tests/test_orders.py';
    const source = (body: string) =>
      `class TestOrders(unittest.TestCase):\n    def test_total(self):\n        order = make()\n${body}\n`;
    const [finding] = detect(testWithoutAssertion, {
      [file]: source('        print(order)  # the total should be 3'),
    });
    const check = finding?.doneCheck ?? '';
    assert.match(check, /^python3 -c /);
    const run = (text: string) => {
      const temp = tempDir();
      try {
        writeTree(temp.dir, { [file]: text });
        return spawnSync('sh', ['-c', check], { cwd: temp.dir }).status;
      } finally {
        temp.dispose();
      }
    };
    assert.equal(run(source('        print(order)  # the total should be 3')), 1);
    assert.equal(run(source('        assert order.total == 3')), 0);
    assert.equal(run(source('        self.assertEqual(order.total, 3)')), 0);
    assert.equal(run(source('        with pytest.raises(ValueError):\n            order.pay()')), 0);
    // A test that runs code is fixed by asserting, not by deleting it.
    assert.equal(run('class TestOrders(unittest.TestCase):\n    pass\n'), 1);
    // An assertion about constants is no assertion.
    assert.equal(run(source('        assert True')), 1);
    assert.equal(run(source('        self.assertEqual(1, 1)')), 1);
    assert.equal(run(source('        self.fail("not written yet")')), 0);
  });

  it('lets a Python placeholder test be deleted, but not a test that runs code (aodh test_impl_log)', (t) => {
    if (spawnSync('python3', ['--version']).status !== 0) return t.skip('python3 is not installed');
    const files = {
      'aodh/tests/functional/storage/test_impl_log.py': [
        'class ConnectionTest(base.BaseTestCase):',
        '    @staticmethod',
        '    def test_get_connection():',
        '        impl_log.Connection(cfg.CONF, None)',
        '',
        '    def test_todo(self):',
        '        pass',
        '',
      ].join('\n'),
    };
    const findings = detect(testWithoutAssertion, files);
    assert.deepEqual(
      findings.map((f) => f.evidence[0]?.startLine),
      [3, 6],
    );
    const [runsCode, placeholder] = findings.map((f) => f.doneCheck ?? '');
    withCheckTree(files, (tree) => {
      tree.write(
        'aodh/tests/functional/storage/test_impl_log.py',
        'class ConnectionTest(base.BaseTestCase):\n    pass\n',
      );
      assert.equal(tree.run(runsCode ?? ''), 1, 'deleting the test that runs code does not fix it');
      assert.equal(tree.run(placeholder ?? ''), 0, 'deleting an empty placeholder does');
      const merged = testWithoutAssertion.mergeDoneChecks?.([runsCode ?? '', placeholder ?? '']) ?? '';
      assert.equal(tree.run(merged), 1);
      tree.write(
        'aodh/tests/functional/storage/test_impl_log.py',
        'class ConnectionTest(base.BaseTestCase):\n    def test_get_connection(self):\n        self.assertIsNotNone(impl_log.Connection(cfg.CONF, None))\n',
      );
      assert.equal(tree.run(merged), 0);
    });
  });

  it('merges the checks of Python tests into one command that passes once each of them asserts', (t) => {
    if (spawnSync('python3', ['--version']).status !== 0) return t.skip('python3 is not installed');
    const files = {
      'tests/test_orders.py': 'def test_total():\n    order = make()\n    print(order)\n',
      'tests/test_users.py': 'def test_name():\n    user = make_user()\n    print(user)\n',
    };
    const findings = detect(testWithoutAssertion, files);
    assert.equal(findings.length, 2);
    const merged = testWithoutAssertion.mergeDoneChecks?.(findings.map((f) => f.doneCheck ?? '')) ?? '';
    assert.equal(merged.match(/python3 -c/g)?.length, 1, merged);
    assert.equal(testWithoutAssertion.mergeDoneChecks?.(['! grep -qF -- x y']), undefined);
    withCheckTree(files, (tree) => {
      assert.equal(tree.run(merged), 1);
      tree.write('tests/test_orders.py', 'def test_total():\n    assert make().total == 3\n');
      assert.equal(tree.run(merged), 1, 'test_name still asserts nothing');
      tree.write('tests/test_users.py', 'def test_name():\n    assert make_user().name\n');
      assert.equal(tree.run(merged), 0);
    });
  });

  it('reads a test whose call another test expects to raise as the other half of that check (Ironic policy)', () => {
    const findings = detect(testWithoutAssertion, {
      'ironic/tests/unit/common/test_policy.py': [
        'class PolicyTestCase(base.TestCase):',
        '    def test_authorize_passes(self):',
        "        creds = {'roles': ['foo']}",
        "        policy.authorize('has_foo_role', creds, creds)",
        '',
        '    def test_authorize_access_forbidden(self):',
        "        creds = {'roles': ['bar']}",
        '        self.assertRaises(exception.HTTPForbidden, policy.authorize, "has_foo_role", creds, creds)',
        '',
        '    def test_ensure_path_ok(self):',
        "        conductor.ensure_path('/var/lib/ironic')",
        '',
        '    def test_ensure_path_bad(self):',
        '        with self.assertRaises(ValueError):',
        "            conductor.ensure_path('relative')",
        '',
        '    def test_destroy_node(self):',
        '        self.dbapi.destroy_node(self.node.id)',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [2, 'LOW'],
      [10, 'LOW'],
      [17, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /`policy\.authorize` does not raise here/);
  });

  it('reads testtools.ExpectedException around the call as its raising half (Designate central)', () => {
    const findings = detect(testWithoutAssertion, {
      'designate/tests/unit/test_central/test_basic.py': [
        'class CentralBasic(TestCase):',
        '    def test_is_valid_zone_name_valid(self):',
        '        self.service._is_blacklisted_zone_name = mock.Mock()',
        "        self.service._is_valid_zone_name(self.context, 'valid.org.')",
        '',
        '    def test_is_valid_zone_name_invalid(self):',
        '        self.service._is_blacklisted_zone_name = mock.Mock()',
        '        with testtools.ExpectedException(exceptions.InvalidZoneName):',
        '            self.service._is_valid_zone_name(self.context,',
        "                                             'example^org.')",
        '',
        '    def test_update_zone(self):',
        '        self.backend.update_zone(self.context, self.zone)',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [2, 'LOW'],
      [12, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /`self\.service\._is_valid_zone_name` does not raise here/);
  });

  it('reads an empty test that switches off the one it inherits as a LOW lead, and skip decorators as skips (Nova)', () => {
    const findings = detect(testWithoutAssertion, {
      'nova/tests/functional/api_sample_tests/test_evacuate.py': [
        'class EvacuateJsonTest(test_servers.ServersSampleBase):',
        '    def test_server_evacuate(self):',
        '        self._test_evacuate({}, {})',
        'class EvacuateJsonTestV268(EvacuateJsonTest):',
        '    def test_server_evacuate(self):',
        '        pass',
        '    def test_server_evacuate_with_force(self):',
        "        # doesn't apply to v2.68+, which removed the ability to force migrate",
        '        pass',
        "    @testtools.skip('Password is not returned from Microversion 2.14')",
        '    def test_evacuate_disable_password_return(self):',
        '        pass',
        '    def test_evacuate_new(self):',
        '        pass',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [2, 'LOW'],
      [5, 'LOW'],
      [7, 'LOW'],
      [13, 'HIGH'],
    ]);
    assert.match(findings[1]?.message ?? '', /switch it off here/);
  });

  it('follows a self. helper into the module of the class’s base, where it asserts (Mistral DSL tests)', () => {
    const findings = detect(testWithoutAssertion, {
      'mistral/tests/unit/lang/v2/base.py': [
        'from mistral.tests.unit import base',
        'class WorkflowSpecValidationTestCase(base.BaseTest):',
        '    def _parse_dsl_spec(self, changes=None, expect_error=False):',
        '        if not expect_error:',
        '            return self._spec_parser(changes)',
        '        return self.assertRaises(DSLParsingException, self._spec_parser, changes)',
        '    def _build(self, changes):',
        '        return dict(changes)',
      ].join('\n'),
      'mistral/tests/unit/lang/v2/test_tasks.py': [
        'from mistral.tests.unit.lang.v2 import base as v2_base',
        'class TaskSpecValidationTest(v2_base.WorkflowSpecValidationTestCase):',
        '    def test_join(self):',
        "        for changes, error in [({'join': 'all'}, False), ({'join': ''}, True)]:",
        '            self._parse_dsl_spec(changes=changes, expect_error=error)',
        '    def test_build(self):',
        "        spec = self._build({'join': 'all'})",
        '        spec.to_dict()',
      ].join('\n'),
    });
    // `_build` asserts nothing: the test that only builds a spec is still reported.
    assert.deepEqual(summary(findings), [['mistral/tests/unit/lang/v2/test_tasks.py', 6, 'MED']]);
  });

  it('leaves a test() method of a class no runner collects, and rates a silent-by-contract test LOW (Mistral, Zaqar)', () => {
    const findings = detect(testWithoutAssertion, {
      'mistral/tests/unit/engine/test_race_condition.py': [
        'import unittest',
        'class RandomSleepEchoAction(actions_base.Action):',
        '    def run(self, context):',
        '        return self.output',
        '    def test(self):',
        '        utils.random_sleep(1)',
        'class Base(unittest.TestCase):',
        '    pass',
        'class Checks(Base):',
        '    def test(self):',
        '        run_echo()',
        'class TestPools:',
        '    def test_delete_nonexistent_is_silent(self):',
        "        self.pools_controller.delete('nonexisting')",
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['mistral/tests/unit/engine/test_race_condition.py', 10, 'MED'],
      ['mistral/tests/unit/engine/test_race_condition.py', 13, 'LOW'],
    ]);
  });

  it('reads a helper past text written at column 0 inside a triple-quoted string (fail2ban jail.conf)', () => {
    const findings = detect(testWithoutAssertion, {
      'fail2ban/tests/clientreadertestcase.py': [
        'class JailsReaderTest(unittest.TestCase):',
        '\tdef testLogPathSystemdBackend(self):',
        "\t\tself._testLogPath(backend='systemd')",
        '',
        '\tdef _testLogPath(self, basedir, backend):',
        '\t\tjailfd = open(os.path.join(basedir, "jail.conf"), "w")',
        '\t\tjailfd.write("""',
        '[testjail1]',
        'backend = %s',
        '""" % backend)',
        '\t\tjailfd.close()',
        '\t\tself.assertTrue(JailsReader(basedir=basedir).read())',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });

  it('counts assertions about constants as none (assert.equal(1, 1), expect(true).toBe(true), assert True)', () => {
    const findings = detect(testWithoutAssertion, {
      'packages/web/test/profile.test.ts': [
        "import assert from 'node:assert/strict';",
        "import { test } from 'node:test';",
        "test('escapes the bio', () => {",
        '  assert.equal(1, 1);',
        '});',
        "test('renders', () => {",
        '  render(profile);',
        '  expect(true).toBe(true);',
        '  expect(1).toEqual(1);',
        '  assert.ok(true);',
        '  expect(true).to.be.true;',
        '});',
        // Real assertions, on what the code returns.
        "test('adds', () => {",
        '  assert.equal(add(1, 1), 2);',
        '});',
        "test('renders to true', () => {",
        '  expect(render()).toBe(true);',
        '});',
        "test('returns something', () => {",
        '  const result = run();',
        '  assert.ok(result);',
        '});',
        "test('looks the same', () => {",
        '  expect(render(profile)).toMatchSnapshot();',
        '});',
        "test('counts assertions', (t) => {",
        '  t.plan(1);',
        '  t.pass();',
        '});',
        // A constant that always fails says a line must not run (Sails): a real assertion.
        "test('sends no event', (done) => {",
        "  socket.on('user', () => {",
        "    assert(false, 'User event received when it should not have been!');",
        '  });',
        '  setTimeout(done, 1000);',
        '});',
        "test('throws', () => {",
        '  try {',
        "    app.getRouteFor('Juice.make');",
        "    assert.ok(false, 'Should have thrown');",
        '  } catch (e) {}',
        '});',
        "test('never resolves', async () => {",
        '  await start();',
        '  expect(true).toBeFalsy();',
        '});',
      ].join('\n'),
      'tests/test_profile.py': [
        'def test_bio():',
        '    assert True',
        '',
        'def test_name():',
        '    profile = load()',
        '    assert 1 == 1',
        '',
        'def test_real():',
        '    assert load().name == "Ada"',
        '',
        'def test_fails_on_purpose():',
        '    pytest.fail("not written yet")',
        '',
        'def test_unreachable():',
        '    try:',
        '        load("missing")',
        '        assert False, "should have raised"',
        '    except KeyError:',
        '        pass',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['packages/web/test/profile.test.ts', 3, 'HIGH'],
      ['packages/web/test/profile.test.ts', 6, 'MED'],
      ['tests/test_profile.py', 1, 'HIGH'],
      ['tests/test_profile.py', 4, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /asserts only about constants \(`assert\.equal\(1, 1\)`\)/);
  });
});
