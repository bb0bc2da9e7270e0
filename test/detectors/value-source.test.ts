import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSource } from '../../src/audit/parse.ts';
import type { Language } from '../../src/core/types.ts';
import { builtString, valueSource } from '../../src/detectors/security/value-source.ts';

/**
 * The source of each value interpolated into the last `query(…)` / `execute(…)` call of `code`, as
 * the injection detectors see it.
 */
function sources(language: Language, code: string): string[] {
  const python = language === 'python';
  const root = parseSource(language, code)?.root();
  assert.ok(root, 'the snippet parses');
  const calls = root.findAll({
    rule: { kind: python ? 'call' : 'call_expression', regex: '^[\\w.]*(?:query|execute)\\(' },
  });
  const call = calls[calls.length - 1];
  const first = call
    ?.field('arguments')
    ?.children()
    .find((child) => child.isNamed());
  assert.ok(first, 'the snippet has a query call with an argument');
  const built = builtString(first, python);
  assert.ok(built, 'the argument is a built string');
  return built.dynamic.map((part) => `${part.text()}: ${valueSource(part, python)}`);
}

describe('value sources of interpolated values', () => {
  it('follows local assignments to request data, whatever the variable is called', () => {
    assert.deepEqual(
      sources(
        'javascript',
        'const table = req.query.table;\nconst id = req.params.id;\ndb.query(`SELECT * FROM ${table} WHERE id = ${id}`);',
      ),
      ['table: request', 'id: request'],
    );
    assert.deepEqual(
      sources(
        'python',
        '@app.route("/t/<table>")\ndef dump(table):\n    cursor.execute(f"SELECT * FROM {table}")',
      ),
      ['table: request'],
    );
  });

  it("reads a class's literal table and a counter attribute as constants (Django's database backends)", () => {
    assert.deepEqual(
      sources(
        'python',
        [
          'class DatabaseWrapper:',
          "    _standard_operators = {'contains': \"LIKE TRANSLATE(%s USING NCHAR_CS) ESCAPE '\\\\'\", 'exact': '= %s'}",
          '    def init(self, cursor, table_name, other):',
          '        cursor.execute("SELECT {} WHERE DUMMY {} AND {} > 0 AND {}".format(',
          "            self.quote_name(table_name), self._standard_operators['contains'],",
          '            self.cache_bust_counter, self.other_table[other]))',
        ].join('\n'),
      ),
      [
        'self.quote_name(table_name): constant',
        "self._standard_operators['contains']: constant",
        'self.cache_bust_counter: constant',
        'self.other_table[other]: unknown',
      ],
    );
  });

  it('leaves out values a % format turns into numbers (%d, %.2f), by position and by name', () => {
    // The interpolated values the detectors weigh, without their sources.
    const view = (line: string) =>
      sources('python', `def items(q):\n    ${line}`).map((part) => part.slice(0, part.lastIndexOf(':')));
    assert.deepEqual(
      view(
        `cursor.execute("SELECT * FROM t WHERE name = '%s' LIMIT %d OFFSET %.0f" % (q["name"], q["n"], q["o"]))`,
      ),
      ['q["name"]'],
    );
    assert.deepEqual(view('cursor.execute("SELECT * FROM t LIMIT %d" % q["n"])'), []);
    assert.deepEqual(
      view('cursor.execute("SELECT %(col)s FROM t LIMIT %(n)d" % {"col": q["c"], "n": q["n"]})'),
      ['q["c"]'],
    );
    // `%%` is a literal percent sign; a `*` width takes a value of its own, so nothing is left out.
    assert.deepEqual(view(`cursor.execute("SELECT '100%%', %s LIMIT %d" % (q["a"], q["n"]))`), ['q["a"]']);
    assert.deepEqual(view('cursor.execute("SELECT %*d, %s" % (q["w"], q["n"], q["s"]))'), [
      'q["w"]',
      'q["n"]',
      'q["s"]',
    ]);
  });

  it('reads identifier names word by word: camelCase, snake_case, qualified, joined lists', () => {
    assert.deepEqual(
      sources(
        'javascript',
        'function f(parsed, tableSchemas, enumName, schemaNamesString, view, typeName) {\n  db.query(`${parsed.tableName} ${parsed.database} ${tableSchemas} ${enumName} ${schemaNamesString} ${view} ${typeName}`);\n}',
      ),
      [
        'parsed.tableName: constant',
        'parsed.database: constant',
        'tableSchemas: constant',
        'enumName: constant',
        'schemaNamesString: constant',
        // `view` alone is too common a word to say "identifier"; `typeName` is not.
        'view: unknown',
        'typeName: constant',
      ],
    );
  });

  it('reads a name a callback captures from the function around it (Uptime Kuma prepareChromeExecutable)', () => {
    const js = (body: string[]) => sources('javascript', body.join('\n'));
    // Set in the branch the callback runs in; the other branches' values never reach it.
    assert.deepEqual(
      js([
        'async function prepareChromeExecutable(executablePath) {',
        '  if (executablePath === "#playwright_chromium") {',
        '    executablePath = undefined;',
        '  } else if (!executablePath) {',
        '    if (process.env.UPTIME_KUMA_IS_CONTAINER) {',
        '      executablePath = "/usr/bin/chromium";',
        '      await new Promise((resolve, reject) => {',
        '        child.on("exit", (code) => { execute(`${executablePath} --version`); });',
        '      });',
        '    } else {',
        '      executablePath = findChrome(allowedList);',
        '    }',
        '  }',
        '}',
      ]),
      ['executablePath: constant'],
    );
    // Request data built in the handler reaches its promise callback.
    assert.deepEqual(
      js([
        'function log(req, res) {',
        '  const ref = req.query.ref;',
        '  return new Promise((resolve) => { execute(`git log ${ref}`, resolve); });',
        '}',
      ]),
      ['ref: request'],
    );
    // What may still reach the callback: the parameter when only some paths replace it, a later
    // assignment (the callback runs later), and the other branch when a loop goes round again.
    assert.deepEqual(
      js([
        'function run(dir) {',
        '  if (clean) dir = "/tmp";',
        '  return new Promise(() => { execute(`ls ${dir}`); });',
        '}',
      ]),
      ['dir: unknown'],
    );
    assert.deepEqual(
      js([
        'function later(req) {',
        '  let dir = "/tmp";',
        '  setTimeout(() => { execute(`ls ${dir}`); }, 10);',
        '  dir = req.body.dir;',
        '}',
      ]),
      ['dir: request'],
    );
    assert.deepEqual(
      js([
        'function each(req) {',
        '  let dir = "/tmp";',
        '  for (const item of req.body.items) {',
        '    if (item.go) { setTimeout(() => { execute(`ls ${dir}`); }, 10); }',
        '    else { dir = item.dir; }',
        '  }',
        '}',
      ]),
      ['dir: unknown'],
    );
    // The callback's own parameter is its own.
    assert.deepEqual(
      js([
        'function own(req) {',
        '  const dir = req.body.dir;',
        '  return (dir) => { execute(`ls ${dir}`); };',
        '}',
      ]),
      ['dir: unknown'],
    );
  });

  it('reads a loop variable over a literal list as one of its elements (scrapy get_engine_status)', () => {
    assert.deepEqual(
      sources(
        'python',
        [
          'def status(engine, extra):',
          '    tests = ["len(engine.downloader.active)", "engine.spider.name"]',
          '    for test in tests:',
          '        cursor.execute("SELECT %s" % test)',
        ].join('\n'),
      ),
      ['test: constant'],
    );
    assert.deepEqual(
      sources(
        'python',
        'def f(extra):\n    for name in ["a", extra]:\n        cursor.execute("SELECT %s" % name)',
      ),
      ['name: unknown'],
    );
    assert.deepEqual(
      sources(
        'javascript',
        'for (const kind of ["users", "orders"]) db.query(`DELETE FROM t WHERE kind = ${kind}`);',
      ),
      ['kind: constant'],
    );
    assert.deepEqual(
      sources(
        'javascript',
        'for (const id of ["1", req.query.id]) db.query(`SELECT * FROM t WHERE id = ${id}`);',
      ),
      ['id: request'],
    );
  });

  it('treats constant-key look-ups, enum members and literal tables of constants as constants', () => {
    assert.deepEqual(
      sources(
        'javascript',
        'function f(dbTable, row, kind, value) {\n  db.query(`${dbTable["table_schema"]} ${row["kind"]} ${MetadataTableType_1.MetadataTableType.VIEW} ${({ a: "x", b: "y" })[value]} ${({ a: "x", b: kind })[value]}`);\n}',
      ),
      [
        'dbTable["table_schema"]: constant',
        'row["kind"]: unknown',
        'MetadataTableType_1.MetadataTableType.VIEW: constant',
        '({ a: "x", b: "y" })[value]: constant',
        '({ a: "x", b: kind })[value]: unknown',
      ],
    );
    assert.deepEqual(
      sources(
        'python',
        'def f(value):\n    cursor.execute("SELECT %s" % {True: "true", False: "false", None: "null"}[value])',
      ),
      ['{True: "true", False: "false", None: "null"}[value]: constant'],
    );
  });

  it('reads route handlers’ and Server Actions’ parameters as request data (Next.js, SvelteKit)', () => {
    assert.deepEqual(
      sources(
        'typescript',
        'export async function GET(req: Request, { params }: { params: { id: string } }) {\n  return db.query(`SELECT * FROM posts WHERE id = ${params.id}`);\n}',
      ),
      ['params.id: request'],
    );
    assert.deepEqual(
      sources(
        'typescript',
        "export async function POST({ request, url }) {\n  const tag = url.searchParams.get('tag');\n  return db.query(`SELECT * FROM posts WHERE tag = '${tag}'`);\n}",
      ),
      ['tag: request'],
    );
    assert.deepEqual(
      sources(
        'typescript',
        "'use server';\nexport async function search(formData: FormData) {\n  const q = formData.get('q');\n  return db.query(`SELECT * FROM posts WHERE title = '${q}'`);\n}",
      ),
      ['q: request'],
    );
    assert.deepEqual(
      sources(
        'typescript',
        "export async function rename(formData: FormData) {\n  'use server';\n  await db.query(`UPDATE posts SET title = '${formData.get('title')}'`);\n}",
      ),
      ["formData.get('title'): request"],
    );
    // NestJS: what the parameter decorators fill; an undecorated parameter stays unknown.
    assert.deepEqual(
      sources(
        'typescript',
        "class UsersController {\n  search(@Query('q') q: string, @Body() body: Dto, tenant: string) {\n    return this.db.query(`SELECT * FROM users WHERE name = '${q}' AND x = ${body.x} AND t = ${tenant}`);\n  }\n}",
      ),
      ['q: request', 'body.x: request', 'tenant: unknown'],
    );
    // tRPC: a procedure's input is what the client sent; another callback's `input` is not.
    assert.deepEqual(
      sources(
        'typescript',
        "export const postRouter = router({\n  byTitle: publicProcedure.input(z.object({ title: z.string() })).query(({ input, ctx }) =>\n    ctx.db.query(`SELECT * FROM posts WHERE title = '${input.title}'`),\n  ),\n});",
      ),
      ['input.title: request'],
    );
    assert.deepEqual(
      sources(
        'typescript',
        "fields.forEach(({ input }) => {\n  db.query(`SELECT * FROM t WHERE a = '${input.name}'`);\n});",
      ),
      ['input.name: unknown'],
    );
    // Express: request parts destructured in the handler's parameters, nested too, and a part of a
    // local that holds the request body.
    assert.deepEqual(
      sources(
        'typescript',
        "router.get('/b/:id', async ({ params: { id }, query }, res) => {\n  res.json(await db.query(`SELECT * FROM b WHERE id = ${id} AND q = ${query.q}`));\n});",
      ),
      ['id: request', 'query.q: request'],
    );
    assert.deepEqual(
      sources(
        'typescript',
        'router.post(\'/d\', async (req, res) => {\n  const body = req.body as Body;\n  res.json(await pool.query("SELECT * FROM d WHERE x = \'" + body.x + "\'"));\n});',
      ),
      ['body.x: request'],
    );
    // Django class-based views: self.kwargs holds the URL's captures; elsewhere it is whatever
    // the class stored.
    assert.deepEqual(
      sources(
        'python',
        "class ArticleView(generics.RetrieveAPIView):\n    def get_object(self):\n        return cursor.execute(\"SELECT * FROM articles WHERE slug = '%s'\" % self.kwargs['slug'])",
      ),
      ["self.kwargs['slug']: request"],
    );
    assert.deepEqual(
      sources(
        'python',
        "class Job:\n    def run(self):\n        return cursor.execute(\"SELECT * FROM jobs WHERE name = '%s'\" % self.kwargs['name'])",
      ),
      ["self.kwargs['name']: unknown"],
    );
    // GraphQL resolver maps: the second parameter holds the query's arguments.
    assert.deepEqual(
      sources(
        'typescript',
        "export const resolvers = {\n  Query: {\n    user: (_parent, { id }, ctx) => ctx.db.query(`SELECT * FROM users WHERE id = '${id}'`),\n  },\n};",
      ),
      ['id: request'],
    );
    assert.deepEqual(
      sources(
        'typescript',
        "export const resolvers = {\n  Mutation: {\n    rename(_parent, args) {\n      return db.query(`UPDATE users SET name = '${args.name}'`);\n    },\n  },\n  User: {\n    posts: (user, args) => db.query(`SELECT * FROM posts WHERE author = '${user.name}'`),\n  },\n};",
      ),
      ['user.name: unknown'],
    );
    assert.deepEqual(
      sources(
        'typescript',
        "export const resolvers = {\n  Mutation: {\n    rename(_parent, args) {\n      return db.query(`UPDATE users SET name = '${args.name}'`);\n    },\n  },\n};",
      ),
      ['args.name: request'],
    );
    // Not a Server Action module, nor a handler named for a method: what it is given is unknown.
    assert.deepEqual(
      sources(
        'typescript',
        "export async function search(formData: FormData) {\n  const q = formData.get('q');\n  return db.query(`SELECT * FROM posts WHERE title = '${q}'`);\n}\nfunction GET(params) {\n  return db.query(`SELECT ${params.id}`);\n}",
      ),
      ['params.id: unknown'],
    );
  });
});
