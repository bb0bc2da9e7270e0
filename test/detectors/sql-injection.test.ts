// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are fixture source code that contains template literals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sqlInjection } from '../../src/detectors/security/sql-injection.ts';
import { detect, linesAndConfidence } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]);

describe('security/sql-injection', () => {
  it('flags request data interpolated into a query (JS/TS), following local variables', () => {
    const findings = detect(sqlInjection, {
      'src/routes/users.ts': [
        "router.get('/users/:id', async (req, res) => {",
        '  const rows = await db.query(`SELECT * FROM users WHERE id = ${req.params.id}`);',
        '  const { sort } = req.query;',
        "  const sql = 'SELECT name FROM users ORDER BY ' + sort;",
        '  await pool.query(sql);',
        '  res.json(rows);',
        '});',
        // A name that says "identifier" does not make request data safe.
        "router.get('/export', async (req, res) => {",
        '  const table = req.query.table;',
        '  await db.query(`SELECT * FROM ${table}`);',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/routes/users.ts', 2, 'HIGH'],
      ['src/routes/users.ts', 5, 'HIGH'],
      ['src/routes/users.ts', 10, 'HIGH'],
    ]);
    assert.equal(
      findings[0]?.doneCheck,
      "! grep -qF -- 'const rows = await db.query(`SELECT * FROM users WHERE id = ${req.params.id}`);' 'src/routes/users.ts'",
    );
    // The done check watches the line where the request value enters the SQL, and the call.
    assert.equal(
      findings[1]?.doneCheck,
      "! grep -qF -- 'const sql = '\\''SELECT name FROM users ORDER BY '\\'' + sort;' 'src/routes/users.ts' || ! grep -qF -- 'await pool.query(sql);' 'src/routes/users.ts'",
    );
    assert.deepEqual(
      findings[1]?.evidence.map((e) => e.startLine),
      [5, 4],
    );
    assert.match(findings[0]?.message ?? '', /request data \(`req\.params\.id`\)/);
  });

  it('gives MED confidence when the interpolated value is an unknown parameter', () => {
    const findings = detect(sqlInjection, {
      'src/repo.js': [
        'export function findByEmail(email) {',
        '  return knex.raw("select * from accounts where email = \'" + email + "\'");',
        '}',
        // TypeORM's query runners compose SQL from fragments built elsewhere: a lead (LOW).
        'export async function loadTables(tablesCondition, schemaNamesString, id) {',
        '  const tablesSql = `SELECT * FROM information_schema.tables WHERE ` + tablesCondition;',
        '  await this.query(tablesSql);',
        '  await this.query(`SELECT * FROM pg_views WHERE schemaname IN (${schemaNamesString})`);',
        '  await this.query(`SELECT * FROM t WHERE ${tablesCondition} AND id = ${id}`);',
        '}',
        // Catalog look-ups by names, constant keys and enum members: identifiers, not data.
        'export async function enums(dbTable, tableSchemas, enumName) {',
        "  await this.query(`SELECT * FROM pg_type WHERE nspname = '${dbTable[\"table_schema\"]}' AND typname = '${enumName}'`);",
        '  await this.query(`SELECT * FROM pg_namespace WHERE nspname IN (${tableSchemas})`);',
        "  await this.query(`SELECT * FROM t WHERE type = '${MetadataTableType_1.MetadataTableType.VIEW}'`);",
        "  await this.query(`SELECT * FROM t WHERE kind = '${row[\"kind\"]}' AND view = '${view}'`);",
        '}',
        // More of TypeORM: optional fragments, identifier getters and joined identifier lists.
        'export async function views(viewsCondition, ancestorColumnNames, descendantColumnNames) {',
        '  await this.query(`SELECT * FROM v ${viewsCondition ? `AND (${viewsCondition})` : ""}`);',
        '  await this.query(`SELECT * FROM "${this.getTypeormMetadataTableName()}" "t"`);',
        '  await this.query(`SELECT ${[...ancestorColumnNames, ...descendantColumnNames].join(", ")} FROM closure`);',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/repo.js', 2, 'MED'],
      ['src/repo.js', 6, 'LOW'],
      ['src/repo.js', 8, 'MED'],
      ['src/repo.js', 14, 'MED'],
      ['src/repo.js', 17, 'LOW'],
    ]);
  });

  it('leaves parameterised queries, constants, placeholder lists and tagged templates alone', () => {
    const findings = detect(sqlInjection, {
      'src/safe.ts': [
        "const TABLE = 'users';",
        'export async function get(req, res) {',
        "  await db.query('SELECT * FROM users WHERE id = $1', [req.params.id]);",
        '  await db.query(`SELECT * FROM ${TABLE} WHERE id = $1`, [req.params.id]);',
        "  const placeholders = ids.map(() => '?').join(', ');",
        '  await db.query(`SELECT * FROM users WHERE id IN (${placeholders})`, ids);',
        '  await prisma.$queryRaw`SELECT * FROM users WHERE id = ${req.params.id}`;',
        '  await db.query(sql`SELECT * FROM users WHERE id = ${req.params.id}`);',
        '  const limit = Number(req.query.limit);',
        '  await db.query(`SELECT * FROM users LIMIT ${limit}`);',
        '  await queue.execute(`job-${req.params.id}`);',
        "  await db.query(`SELECT * FROM orders ORDER BY created_at ${desc ? 'DESC' : 'ASC'}`);",
        '}',
      ].join('\n'),
      // Directus: placeholders mapped without a join, and a dialect helper held by a constant.
      'src/services/users.js': [
        'export async function byEmail(knex, emails) {',
        '  return knex("users").whereRaw(`LOWER(??) IN (${emails.map(() => "?")})`, ["email", ...emails]);',
        '}',
      ].join('\n'),
      'src/database/dialects/postgres.js': [
        'const parseLocaltime = (type) => {',
        '  if (type === "timestamp") return " AT TIME ZONE \'UTC\'";',
        '  return "";',
        '};',
        'const zone = (type) => (type === "date" ? "" : " AT TIME ZONE \'UTC\'");',
        'export function year(knex, table, column, options) {',
        '  return knex.raw(`EXTRACT(YEAR FROM ??.??${parseLocaltime(options.type)})`, [table, column]);',
        '}',
        'export function month(knex, table, column, options) {',
        '  return knex.raw(`EXTRACT(MONTH FROM ??.??${zone(options.type)})`, [table, column]);',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
    // A helper held by a constant that returns its argument is not constant.
    const passthrough = detect(sqlInjection, {
      'src/database/dialects/mysql.js': [
        'const pick = (type) => type;',
        'export function year(knex, table, column, options) {',
        '  return knex.raw(`EXTRACT(YEAR FROM ??.??${pick(options.type)})`, [table, column]);',
        '}',
      ].join('\n'),
    });
    assert.equal(passthrough.length, 1);
  });

  it('reads a list mapped by a function that returns only placeholders as constant (Objection where-in)', () => {
    const findings = detect(sqlInjection, {
      'lib/operations/WhereInCompositeOperation.js': [
        'function buildCompositeArgs(knex, columns, subquery) {',
        '  const sql = `(${columns',
        '    .map((col) => {',
        '      if (isObject(col)) {',
        "        return '?';",
        '      } else {',
        "        return '??';",
        '      }',
        '    })',
        "    .join(',')})`;",
        '  return [knex.raw(sql, columns), subquery];',
        '}',
        'function buildValues(knex, helperColumns, values) {',
        '  return knex.raw(',
        "    `(VALUES ${values.map((value) => `(${value.map((_) => '?').join(',')})`).join(',')}) AS V(${helperColumns.map((_) => '??')})`,",
        '    values.flat().concat(helperColumns),',
        '  );',
        '}',
        'function whereKeys(knex, field, keys) {',
        '  const marks = keys.map((key) => {',
        "    if (typeof key !== 'string') throw new Error('All keys to find must be strings.');",
        "    return '?';",
        '  });',
        "  return knex.raw('array[' + marks.join(',') + ']', keys);",
        '}',
        // Still flagged: the function returns the item itself, or a value it reads from it.
        'function byNames(knex, names, rows) {',
        "  knex.raw(`SELECT * FROM t WHERE name IN (${names.map((name) => `'${name}'`).join(',')})`);",
        '  const ids = rows.map((row) => { return row.id; });',
        "  return knex.raw(`SELECT * FROM t WHERE id IN (${ids.join(',')})`);",
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['lib/operations/WhereInCompositeOperation.js', 27, 'MED'],
      ['lib/operations/WhereInCompositeOperation.js', 29, 'MED'],
    ]);
  });

  it('still flags a mapped placeholder list that the function then pushes a request value onto', () => {
    const findings = detect(sqlInjection, {
      'src/routes/items.js': [
        'router.post("/items/:id", async (req, res) => {',
        '  const fields = Object.keys(req.body.fields);',
        "  const sets = fields.map(() => '?? = ?');",
        "  if (req.body.touch) sets.push(`updated_at = '${req.body.touch}'`);",
        "  await knex.raw(`UPDATE items SET ${sets.join(', ')} WHERE id = ?`, [req.params.id]);",
        '  res.sendStatus(204);',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(
      summary(findings).map(([, line]) => line),
      [5],
    );
  });

  it("takes a value passed through a SQL sanitiser named for it as safe (Saltcorn's db.sqlsanitize), not a generic sanitiser", () => {
    const findings = detect(sqlInjection, {
      'routes/sync.js': [
        'const getSyncRows = async (syncInfo, table, lastRef) => {',
        '  const tblName = syncInfo.tableName;',
        '  const pkName = table.pk_name;',
        '  const { rows } = await db.query(',
        '    `select info_tbl.ref from "${db.sqlsanitize(tblName)}_sync_info" "info_tbl"',
        '     right join "${db.sqlsanitize(tblName)}" "data_tbl"',
        '       on info_tbl.ref = data_tbl."${db.sqlsanitize(pkName)}"::text where info_tbl.ref > $1`,',
        '    [lastRef]',
        '  );',
        "  await db.query(`select * from logs where note = '${sanitizeHtml(syncInfo.note)}'`);",
        '  return rows;',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [['routes/sync.js', 10, 'MED']]);
  });

  it('reads raw() as a SQL fragment only where SQL is spoken, not an IRC client sending a raw line (The Lounge)', () => {
    const findings = detect(sqlInjection, {
      'src/plugins/inputs/whois.js': [
        'exports.input = function ({ irc }, chan, cmd, args) {',
        '  if (args.length === 1) {',
        '    irc.raw("WHOIS", args[0], args[0]);',
        '  } else {',
        '    irc.raw(`${cmd} ${args.join(" ")}`);',
        '  }',
        '};',
      ].join('\n'),
      'src/models/report.js': [
        "const knex = require('knex')(config);",
        'exports.byStatus = (status, order) => knex("reports").orderByRaw(`${order} ${status}`);',
        'exports.page = (n) => db.raw(`LIMIT ${n}`);',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/models/report.js', 2, 'MED'],
      ['src/models/report.js', 3, 'MED'],
    ]);
  });

  it('flags Python f-strings, % and .format() in execute/text, HIGH for request data and route params', () => {
    const findings = detect(sqlInjection, {
      'app/views.py': [
        'from flask import request',
        '',
        "@app.route('/search')",
        'def search():',
        "    term = request.args.get('q')",
        '    cursor.execute(f"SELECT * FROM items WHERE name LIKE \'%{term}%\'")',
        '    return cursor.fetchall()',
        '',
        '@router.get("/users/{user_id}")',
        'def read_user(user_id: str, db: Session = Depends(get_db)):',
        '    return db.execute(text("SELECT * FROM users WHERE id = \'%s\'" % user_id)).all()',
        '',
        'def by_name(cur, name):',
        '    query = "DELETE FROM users WHERE name = \'{}\'".format(name)',
        '    cur.execute(query)',
        '',
        '@app.route("/tables/<table>")',
        'def dump(table):',
        '    cursor.execute(f"SELECT * FROM {table}")',
        '',
        'def by_owner(cur, owner):',
        '    query = "SELECT * FROM items WHERE owner = \'%s\'" % \\',
        '        owner',
        '    cur.execute(query)',
        '',
        "# sqlalchemy-utils: SQLAlchemy imported as sa, and Flask-SQLAlchemy's db.text.",
        'def json_sql(value):',
        '    return sa.text("\'{0}\'".format(value))',
        'def by_tag(tag):',
        '    return db.session.execute(db.text(f"SELECT * FROM posts WHERE tag = \'{tag}\'"))',
        "# A text() that is not SQLAlchemy's (nothing imports it from there): UI text, not SQL.",
        'def label(name):',
        '    return text("Hello {}".format(name))',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['app/views.py', 6, 'HIGH'],
      ['app/views.py', 11, 'HIGH'],
      ['app/views.py', 15, 'MED'],
      ['app/views.py', 19, 'HIGH'],
      ['app/views.py', 24, 'MED'],
      ['app/views.py', 28, 'MED'],
      ['app/views.py', 30, 'MED'],
    ]);
    assert.match(findings[4]?.message ?? '', /from `owner`/);
  });

  it('leaves Python placeholders and constant formatting alone', () => {
    const findings = detect(sqlInjection, {
      'app/db.py': [
        'TABLE = "users"',
        'def load(cur, user_id, ids):',
        '    cur.execute("SELECT * FROM users WHERE id = %s", (user_id,))',
        '    cur.execute(f"SELECT * FROM {TABLE} WHERE id = %s", (user_id,))',
        '    marks = ", ".join(["%s"] * len(ids))',
        '    cur.execute(f"SELECT * FROM users WHERE id IN ({marks})", ids)',
        // Swift's account broker: the values of `%` on the next line, after a line continuation.
        "    query = ' ORDER BY name %s LIMIT ?' % \\",
        "        ('DESC' if reverse else '')",
        '    cur.execute(query, ids)',
        "    query = 'SELECT ' + \\",
        "        ', '.join(['name', 'size']) + ' FROM object'",
        '    cur.execute(query)',
        // JupyterHub's migration stamps existing rows with the time it runs.
        'def upgrade(c):',
        '    now = datetime.utcnow()',
        '    c.execute("""UPDATE users SET created=\'%s\'""" % (now,))',
        // matrix-nio: one row of placeholders per pair of values.
        "    cur.execute(f\"SELECT * FROM keys WHERE (user_id, device_id) IN (VALUES {','.join(['(?, ?)'] * (len(ids) // 2))})\", ids)",
        '    session.execute(text("SELECT * FROM users WHERE id = :id"), {"id": user_id})',
        // Django's schema editors: identifiers named as such (they cannot be parameters).
        'def check_constraints(cursor, table_name, primary_key_column_name, column_name, referenced_table_name):',
        '    cursor.execute("SELECT REFERRING.`%s` FROM `%s` LEFT JOIN `%s` WHERE REFERRING.`%s` IS NULL" % (',
        '        primary_key_column_name, table_name, referenced_table_name, column_name))',
        'def count(cursor, model):',
        '    cursor.execute("SELECT COUNT(*) FROM %s" % model._meta.db_table)',
        // TypeORM's query runners: database and table names from the caller.
        'def has_table(self, parsed, database):',
        "    cursor.execute(f\"SELECT * FROM COLUMNS WHERE TABLE_SCHEMA = '{parsed.database}' AND TABLE_NAME = '{parsed.tableName}'\")",
        '    cursor.execute(f"SELECT * FROM SCHEMATA WHERE SCHEMA_NAME = \'{database}\'")',
        // SQLAlchemy's identifier preparer quotes the name.
        'def show_create(self, connection, table):',
        '    full_name = self.identifier_preparer.format_table(table)',
        '    connection.exec_driver_sql("SHOW CREATE TABLE %s" % full_name)',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });

  it('reads a class table built with dict() from literal pairs as constant, one filled at run time not (fail2ban)', () => {
    const findings = detect(sqlInjection, {
      'server/database.py': [
        'class Fail2BanDb(object):',
        '    _CREATE_SCRIPTS = (',
        '        ("logs", "CREATE TABLE IF NOT EXISTS logs(jail TEXT, time INTEGER);"),',
        '        ("bans", "CREATE TABLE IF NOT EXISTS bans(jail TEXT, ip TEXT);"),',
        '    )',
        '    _CREATE_TABS = dict(_CREATE_SCRIPTS)',
        '    _QUERIES = dict(extra)',
        '    def upgrade(self, cur):',
        '        cur.executescript("BEGIN TRANSACTION;"',
        '                          "CREATE TEMPORARY TABLE logs_temp AS SELECT * FROM logs;"',
        '                          "DROP TABLE logs;"',
        '                          "%s;"',
        '                          "INSERT INTO logs SELECT * from logs_temp;"',
        '                          "COMMIT;" % Fail2BanDb._CREATE_TABS["logs"])',
        '        cur.executescript("BEGIN TRANSACTION;" "%s;" "UPDATE db SET version = 4;" % self._CREATE_TABS["bans"])',
        '        cur.executescript("BEGIN TRANSACTION;" "%s;" "UPDATE db SET version = 4;" % self._QUERIES["bans"])',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [['server/database.py', 16, 'MED']]);
  });
  it('follows a query variable only from its latest unconditional assignment, and trusts quote doubling (sqlite3 dump)', () => {
    const findings = detect(sqlInjection, {
      'lib/sqlite3/dump.py': [
        'def _iterdump(connection):',
        '    cu = connection.cursor()',
        '    for name, type, sql in schema_res.fetchall():',
        '        q = \'SELECT * FROM "{0}";\'.format(name)',
        '        query_res = cu.execute(q)',
        '    q = """',
        '        SELECT "name", "type", "sql" FROM "sqlite_master" WHERE "sql" NOT NULL',
        '        """',
        '    schema_res = cu.execute(q)',
        "    table_name_ident = name.replace('\"', '\"\"')",
        '    cols = ",".join(\'quote("{0}")\'.format(col.replace(\'"\', \'""\')) for col in column_names)',
        '    res = cu.execute(\'PRAGMA table_info("{0}") -- {1}\'.format(table_name_ident, cols))',
        '    if verbose:',
        '        q = "SELECT * FROM log WHERE msg = \'%s\'" % message',
        '    cu.execute(q)',
      ].join('\n'),
      'src/report.js': [
        'export async function report(db, req) {',
        '  let sql = `SELECT * FROM t WHERE id = ${req.query.id}`;',
        "  sql = 'SELECT count(*) FROM t';",
        '  return db.query(sql);',
        '}',
      ].join('\n'),
    });
    // Line 5 puts a table name between identifier quotes: a LOW lead.
    assert.deepEqual(summary(findings), [
      ['lib/sqlite3/dump.py', 5, 'LOW'],
      ['lib/sqlite3/dump.py', 15, 'MED'],
    ]);
  });

  it('trusts a value the code has just tested to be a number, but not under an `||` (knex fn.now)', () => {
    const findings = detect(sqlInjection, {
      'lib/knex-builder/FunctionHelper.js': [
        'class FunctionHelper {',
        '  now(precision) {',
        "    if (typeof precision === 'number') {",
        '      return this.client.raw(`CURRENT_TIMESTAMP(${precision})`);',
        '    }',
        "    return this.client.raw('CURRENT_TIMESTAMP');",
        '  }',
        '  limit(n, unsafe) {',
        '    if (Number.isInteger(n)) return this.client.raw(`LIMIT ${n}`);',
        "    if (typeof n === 'number' || unsafe) return this.client.raw(`LIMIT ${n}`);",
        '    return this.client.raw(`LIMIT ${n}`);',
        '  }',
        '}',
      ].join('\n'),
      'app/db.py': [
        'def page(cursor, size):',
        '    if isinstance(size, int):',
        '        cursor.execute(f"SELECT * FROM t LIMIT {size}")',
        '    cursor.execute(f"SELECT * FROM t LIMIT {size}")',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['lib/knex-builder/FunctionHelper.js', 10, 'MED'],
      ['lib/knex-builder/FunctionHelper.js', 11, 'MED'],
      ['app/db.py', 4, 'MED'],
    ]);
  });

  it('rates an operator interpolated before a bound value as a LOW lead, not request data or a value (Ghost comments)', () => {
    const findings = detect(sqlInjection, {
      'core/server/models/comment.js': [
        'function applyFilters(qb, options) {',
        "  const subquery = '(SELECT COUNT(*) FROM comment_reports WHERE comment_reports.comment_id = comments.id)';",
        '  qb.whereRaw(`${subquery} ${options.reportCount.op} ?`, [options.reportCount.value]);',
        '  qb.whereRaw(`${subquery} >= ${options.reportCount.value}`);',
        '}',
        "router.get('/comments', (req, res) => {",
        '  knex.raw(`SELECT * FROM comments WHERE reports ${req.query.op} ?`, [1]);',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['core/server/models/comment.js', 3, 'LOW'],
      ['core/server/models/comment.js', 4, 'MED'],
      ['core/server/models/comment.js', 7, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /comparison operator/);
  });

  it('rates a fragment edited in place (trimmed, suffixed) as a LOW lead, as the fragment itself (Ghost)', () => {
    const findings = detect(sqlInjection, {
      'core/server/data/schema/commands.js': [
        'async function addColumn(table, column, transaction, builder) {',
        '  for (const sqlQuery of builder.toSQL()) {',
        '    let sql = sqlQuery.sql;',
        "    sql = sql.replace(/;\\s*$/, '') + ', algorithm=copy';",
        '    await transaction.raw(sql);',
        '  }',
        '  await transaction.raw(`ALTER TABLE ${table} ADD ${options.extra.trim()} INT`);',
        '}',
      ].join('\n'),
    });
    // Line 7 is a schema statement: a lead too (see the knex case below).
    assert.deepEqual(linesAndConfidence(findings), [
      [5, 'LOW'],
      [7, 'LOW'],
    ]);
  });

  it('takes a parameter typed as a few literals (TypeScript or JSDoc) for a constant, not a wider one (Ghost)', () => {
    const findings = detect(sqlInjection, {
      'src/schema.js': [
        '/**',
        ' * @param {import("knex").Knex} transaction',
        ' * @param {string} sql - ALTER statement without a trailing semicolon',
        " * @param {'instant'|'inplace'|'copy'|'auto'} [algorithm]",
        ' */',
        'async function rawWithAlgorithm(transaction, sql, algorithm) {',
        '  return await transaction.raw(`${sql}, algorithm=${algorithm}`);',
        '}',
        '/** @param {string} order */',
        'const sorted = (db, order) => db.query(`SELECT * FROM posts ORDER BY id ${order}`);',
      ].join('\n'),
      'src/posts.ts': [
        "export function list(db: Db, dir: 'asc' | 'desc', limit?: 10 | 50) {",
        '  return db.query(`SELECT * FROM posts ORDER BY created ${dir} LIMIT ${limit}`);',
        '}',
        'export function byStatus(db: Db, status: string) {',
        '  return db.query(`SELECT * FROM posts WHERE status = ${status}`);',
        '}',
        // A number or a boolean holds no quote: as safe as a literal.
        'export function page(db: Db, offset: number, drafts: boolean) {',
        '  return db.query(`SELECT * FROM posts WHERE draft = ${drafts} OFFSET ${offset}`);',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      // The SQL fragment is still a lead; the algorithm is one of four words.
      ['src/schema.js', 7, 'LOW'],
      ['src/schema.js', 10, 'MED'],
      ['src/posts.ts', 5, 'MED'],
    ]);
  });

  it('reads schema-qualified names, FROM lists, bounded numbers and constant-returning helpers (calibre)', () => {
    const findings = detect(sqlInjection, {
      'calibre/db/fts/connect.py': [
        'def search(self, conn, ids, snippet_size):',
        "    name = f'fts_restrict_search_{next(self.counter)}'",
        "    conn.executemany(f'INSERT INTO temp.{name} VALUES (?)', tuple((x,) for x in ids))",
        "    text = f'snippet(books_fts, 0, ?, ?, {max(1, min(snippet_size, 64))})'",
        "    conn.execute('SELECT {0}.id, {1} FROM {0}'.format('books_text', text))",
        "    conn.execute('INSERT INTO {0}(book) SELECT {1}.id, {2}.id FROM {1}, {2}'.format(link, tables[0], tables[1]))",
        "    conn.execute(f'SELECT * FROM books WHERE title = {snippet_size}')",
        'def table_definition():',
        "    return 'CREATE TABLE IF NOT EXISTS modules (name TEXT);'",
        'def write_to_cache(db, name):',
        "    db.execute(table_definition() + 'INSERT INTO modules (name) VALUES (?)', (name,))",
        "    db.execute(user_prefix() + 'INSERT INTO modules (name) VALUES (?)', (name,))",
        'def search_in(conn, name, ids):',
        "    conn.execute(f'SELECT id FROM books WHERE book IN temp.{name}')",
        "    conn.execute(f'SELECT id FROM books WHERE book IN {ids}')",
        '    conn.execute(f\'SELECT rank FROM books_fts WHERE "{name}" MATCH ?\')',
        '    conn.execute(f\'SELECT id FROM books WHERE title = "{name}"\')',
        "    conn.execute('SELECT {0}.id {1} FROM {0} WHERE book IN temp.{2}'.format('books_text', ', rank', name))",
        'def delete_shelves(cursor):',
        '    query = ("DELETE FROM Shelf WHERE _IsDeleted = \'true\' "  # the deleted ones',
        '             "AND Name NOT IN (SELECT 1)")',
        '    cursor.execute(query)',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['calibre/db/fts/connect.py', 3, 'LOW'],
      ['calibre/db/fts/connect.py', 6, 'LOW'],
      ['calibre/db/fts/connect.py', 7, 'MED'],
      ['calibre/db/fts/connect.py', 12, 'MED'],
      ['calibre/db/fts/connect.py', 14, 'LOW'],
      ['calibre/db/fts/connect.py', 15, 'MED'],
      ['calibre/db/fts/connect.py', 16, 'LOW'],
      ['calibre/db/fts/connect.py', 17, 'MED'],
      ['calibre/db/fts/connect.py', 18, 'LOW'],
    ]);
  });

  it("knows a method of the caller's own class that returns only constants (graphite's tag database)", () => {
    const findings = detect(sqlInjection, {
      'graphite/tags/localdatabase.py': [
        'class LocalDatabaseTagDB(BaseTagDB):',
        '    def list_tags(self, tagFilter=None):',
        "        sql = 'SELECT t.id, t.tag FROM tags_tag AS t'",
        "        sql += ' WHERE t.tag ' + self._regexp_operator(connection) + ' %s'",
        '        cursor.execute(sql, [tagFilter])',
        '    def list_values(self, tag):',
        "        sql = 'SELECT v.value FROM tags_value AS v WHERE v.value ' + self._operator(connection) + ' %s'",
        '        cursor.execute(sql, [tag])',
        '    @staticmethod',
        '    def _regexp_operator(connection):',
        "        if connection.vendor == 'postgresql':",
        "            return '~*'",
        "        if connection.vendor in ('mysql', 'sqlite'):",
        "            return 'REGEXP'",
        "        raise Exception('Database vendor ' + connection.vendor + ' does not support regular expressions')",
        '    def _operator(self, connection):',
        '        return connection.ops.regex_operator',
      ].join('\n'),
      'src/repo.js': [
        'class TagRepo {',
        '  list(filter) {',
        "    return this.db.query('SELECT tag FROM tags WHERE tag ' + this.operator() + ' $1', [filter]);",
        '  }',
        '  find(name) {',
        "    return this.db.query('SELECT tag FROM tags WHERE tag ' + this.compare(name) + ' $1', [name]);",
        '  }',
        "  operator() { return this.pg ? '~*' : 'REGEXP'; }",
        '  compare(name) { return this.operators[name]; }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['graphite/tags/localdatabase.py', 8, 'MED'],
      ['src/repo.js', 6, 'MED'],
    ]);
  });

  it('follows a parameter of a private helper to the arguments every call in the file passes (graphite)', () => {
    const findings = detect(sqlInjection, {
      'graphite/tags/localdatabase.py': [
        'class LocalDatabaseTagDB(BaseTagDB):',
        '    @staticmethod',
        '    def _insert_ignore(table, cols, data):',
        "        sql = table + ' (' + ','.join(cols) + ') VALUES (%s)'",
        "        cursor.execute('INSERT INTO ' + sql, data)",
        "    def _find(self, name, kind='tag'):",
        '        cursor.execute("SELECT id FROM tags_tag WHERE kind = \'" + kind + "\' AND tag = \'" + name + "\'")',
        '    def _lookup(self, name):',
        '        cursor.execute("SELECT id FROM tags_tag WHERE tag = \'" + name + "\'")',
        '    def tag_series(self, series, tag):',
        "        self._insert_ignore('tags_tag', ['tag'], [[tag]])",
        "        self._insert_ignore('tags_series', ('hash', 'path'), [[series.hash, series.path]])",
        "        self._find('a')",
        "        self._find(name='b', kind='series')",
        '        self._lookup(tag)',
      ].join('\n'),
    });
    // _insert_ignore and _find get constants at every call; _lookup gets a caller's parameter.
    assert.deepEqual(summary(findings), [['graphite/tags/localdatabase.py', 9, 'MED']]);
    // An exported helper may be called from other modules with anything.
    const exported = detect(sqlInjection, {
      'src/db.js': [
        'export function _byName(db, name) {',
        '  return db.query("SELECT id FROM tags WHERE name = \'" + name + "\'");',
        '}',
        'function _byKind(db, kind) {',
        '  return db.query("SELECT id FROM tags WHERE kind = \'" + kind + "\'");',
        '}',
        "export const defaults = (db) => [_byName(db, 'a'), _byKind(db, 'b')];",
      ].join('\n'),
    });
    assert.deepEqual(summary(exported), [['src/db.js', 2, 'MED']]);
  });

  it('rates values from the command line of a command-line program as LOW leads (Ghost timetravel)', () => {
    const findings = detect(sqlInjection, {
      'core/cli/timetravel.js': [
        "const Command = require('./command');",
        'module.exports = class TimeTravel extends Command {',
        '  async handle(argv = {}) {',
        '    if (!argv.offset) argv.offset = 7;',
        '    const dateOffset = argv.offset;',
        '    await db(table).update(column, db.raw(`DATE_ADD(${column}, interval ${dateOffset} day)`));',
        '    await db.raw(`DELETE FROM posts WHERE slug = ${process.argv[2]}`);',
        '  }',
        '  async other(input) {',
        '    await db.raw(`DELETE FROM posts WHERE slug = ${input.slug}`);',
        '  }',
        '};',
      ].join('\n'),
      // Not a command-line program: a handler's options come from elsewhere.
      'src/jobs/handler.js': [
        'class Job {',
        '  async handle(options) {',
        '    await db.raw(`DELETE FROM posts WHERE slug = ${options.slug}`);',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['core/cli/timetravel.js', 6, 'LOW'],
      ['core/cli/timetravel.js', 7, 'LOW'],
      ['core/cli/timetravel.js', 10, 'MED'],
      ['src/jobs/handler.js', 3, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /passes on its command line/);
  });

  it('rates SQL built in a Django management command as a LOW lead, not the same code elsewhere (django-extensions)', () => {
    const command = [
      'from django.core.management.base import BaseCommand',
      'class Command(BaseCommand):',
      '    def handle(self, *args, **options):',
      "        for db_name in get_database_names('{}_{}'.format):",
      '            exists_query = "SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME=\'%s\';" % db_name',
      '            cursor.execute(exists_query)',
    ].join('\n');
    const findings = detect(sqlInjection, {
      'django_extensions/management/commands/drop_test_database.py': command,
      'django_extensions/utils/drop.py': command,
    });
    assert.deepEqual(summary(findings), [
      ['django_extensions/management/commands/drop_test_database.py', 6, 'LOW'],
      ['django_extensions/utils/drop.py', 6, 'MED'],
    ]);
  });

  it('follows a list the function pushes to and an object it writes, to their constant parts (Ghost)', () => {
    const findings = detect(sqlInjection, {
      'core/server/services/email-analytics/queries.js': [
        'async function aggregate(knex, memberIds, stats) {',
        '  const cases = [];',
        '  const bindings = [];',
        '  for (const id of memberIds) {',
        '    cases.push(`WHEN ? THEN ?`);',
        '    bindings.push(id, stats.get(id));',
        '  }',
        '  await knex.raw(`UPDATE members SET email_count = CASE id ${cases.join(" ")} END`, bindings);',
        '  const parts = [];',
        '  for (const value of stats.values) parts.push(`WHEN 1 THEN ${value}`);',
        '  await knex.raw(`UPDATE members SET a = CASE id ${parts.join(" ")} END`);',
        '}',
      ].join('\n'),
      'core/server/models/comment.js': [
        'function displayable(knex, excluded, parentIds, postId) {',
        "  const placeholders = excluded.map(() => '?').join(',');",
        '  const scope = {',
        '    sql: [',
        "      parentIds?.length ? `AND comments.parent_id IN (${parentIds.map(() => '?').join(',')})` : '',",
        "      postId ? 'AND comments.post_id = ?' : '',",
        "    ].filter(Boolean).join(' '),",
        '    bindings: [...parentIds, postId],',
        '  };',
        '  return knex.raw(`SELECT id FROM comments WHERE status NOT IN (${placeholders}) ${scope.sql}`, scope.bindings);',
        '}',
        'function unsafe(knex, req) {',
        '  const filter = { sql: `AND author = ${req.query.author}` };',
        '  return knex.raw(`SELECT id FROM comments WHERE 1 = 1 ${filter.sql}`);',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['core/server/services/email-analytics/queries.js', 11, 'MED'],
      ['core/server/models/comment.js', 14, 'HIGH'],
    ]);
  });

  it('rates values interpolated into a schema or file statement as LOW leads, request data as HIGH, other statements as before (knex, Ghost)', () => {
    const findings = detect(sqlInjection, {
      'lib/schema/tablecompiler.js': [
        'function setNullable(columnInfo, nullable) {',
        '  const alterColumnPrefix = this.alterColumnsPrefix;',
        "  const defaultValue = columnInfo.defaultValue ? `default '${columnInfo.defaultValue}'` : '';",
        '  const sql = `alter table ${this.tableName()} ${alterColumnPrefix} ${columnInfo.type} ${defaultValue}`;',
        '  return this.client.raw(sql);',
        '}',
        // A statement that starts on the template's second line.
        'function index(name, columns) {',
        '  return this.client.raw(`\n  CREATE INDEX ${name} ON t (${columns.join(", ")})`);',
        '}',
        'function update(target, value) {',
        '  return this.client.raw(`UPDATE t SET a = ${value} WHERE b = 1`);',
        '}',
      ].join('\n'),
      'app/migrate.py': [
        'def add(cursor, column_type):',
        '    cursor.execute(f"ALTER TABLE t ADD c {column_type}")',
      ].join('\n'),
      'src/routes/admin.js': [
        "router.post('/drop', async (req, res) => {",
        '  await db.query(`DROP TABLE ${req.body.table}`);',
        '});',
        "router.post('/import', async (req, res) => {",
        "  await db.raw(`LOAD DATA LOCAL INFILE '${req.body.path}' INTO TABLE t`);",
        '});',
      ].join('\n'),
      // Ghost's seeder: the CSV file it has just written, loaded with LOAD DATA.
      'core/server/data/seeders/importers/table-importer.js': [
        'async function importCsv(transaction, filePath, name, values) {',
        "  await transaction.raw(`LOAD DATA LOCAL INFILE '${filePath}' INTO TABLE \\`${name}\\` IGNORE 1 LINES`);",
        "  await transaction.raw(`COPY ${name} FROM '${filePath}' WITH (FORMAT csv)`);",
        "  await transaction.raw(`SELECT * FROM t WHERE path = '${filePath}'`);",
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['lib/schema/tablecompiler.js', 5, 'LOW'],
      ['lib/schema/tablecompiler.js', 8, 'LOW'],
      ['lib/schema/tablecompiler.js', 12, 'MED'],
      ['app/migrate.py', 2, 'LOW'],
      ['src/routes/admin.js', 2, 'HIGH'],
      ['src/routes/admin.js', 5, 'HIGH'],
      ['core/server/data/seeders/importers/table-importer.js', 2, 'LOW'],
      ['core/server/data/seeders/importers/table-importer.js', 3, 'LOW'],
      ['core/server/data/seeders/importers/table-importer.js', 4, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /schema statement .* cannot take bound parameters/i);
  });

  it('rates names interpolated where SQL expects a table or column as LOW leads, values and request names as before (Ghost)', () => {
    // `from`, `to`, `target` and `source` do not say they hold names; where they stand does.
    const findings = detect(sqlInjection, {
      'core/server/data/schema/commands.js': [
        'async function renameColumn(tableName, from, to, transaction) {',
        '  return await transaction.raw(`ALTER TABLE \\`${tableName}\\` RENAME COLUMN \\`${from}\\` TO \\`${to}\\`;`);',
        '}',
        'async function copy(target, source, id, knex) {',
        "  await knex.raw('INSERT INTO ' + target + ' SELECT * FROM \"' + source + '\";');",
        '  await knex.raw(`DELETE FROM ${target} WHERE id = ${id}`);',
        "  await knex.raw(`SELECT * FROM t WHERE name = '${target}'`);",
        '  await knex.raw(`${target} = 1`);',
        '}',
        // A join's alias qualifying its columns; the same name inside a quoted value is text.
        'const bindTo = (db, alias, port) => function () {',
        "  this.on(`${alias}.product_id`, 'products.id').andOn(db.raw(`${alias}.port = ?`, [port]));",
        '  this.andOn(db.raw(`"${alias}".port = ?`, [port])).andOn(db.raw(`file = \'${alias}.csv\'`));',
        '};',
      ].join('\n'),
      'app/migrate.py': [
        'def rename(cursor, target, source):',
        '    cursor.execute(f"ALTER TABLE `{target}` DROP COLUMN `{source}`")',
        '    cursor.execute(f"UPDATE {target} SET done = {source}")',
        // Swift's brokers: a table per kind of database, `account_stat`, `container_stat`.
        '    cursor.execute("UPDATE %s_stat SET metadata = ?" " WHERE id = ?" % self.db_type, (md, 1))',
        '    cursor.execute("SELECT * FROM stat WHERE kind = \'%s_stat\'" % self.db_type)',
      ].join('\n'),
      'src/routes/export.js': [
        "router.get('/export', async (req, res) => {",
        '  await db.query(`SELECT * FROM \\`${req.query.target}\\``);',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['core/server/data/schema/commands.js', 2, 'LOW'],
      ['core/server/data/schema/commands.js', 5, 'LOW'],
      ['core/server/data/schema/commands.js', 6, 'MED'],
      ['core/server/data/schema/commands.js', 7, 'MED'],
      ['core/server/data/schema/commands.js', 8, 'MED'],
      ['core/server/data/schema/commands.js', 11, 'LOW'],
      ['core/server/data/schema/commands.js', 12, 'LOW'],
      ['core/server/data/schema/commands.js', 12, 'MED'],
      ['app/migrate.py', 2, 'LOW'],
      ['app/migrate.py', 3, 'MED'],
      ['app/migrate.py', 4, 'LOW'],
      ['app/migrate.py', 5, 'MED'],
      ['src/routes/export.js', 2, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /as a table or column name/);
  });

  it('takes a selected column list and an insert’s column list for names, not a values list (Django’s table remake)', () => {
    const findings = detect(sqlInjection, {
      'django/db/backends/sqlite3/schema.py': [
        'def remake_table(self, model, new_model, mapping):',
        '    self.execute("INSERT INTO %s (%s) SELECT %s FROM %s" % (',
        '        self.quote_name(new_model._meta.db_table),',
        "        ', '.join(self.quote_name(x) for x in mapping),",
        "        ', '.join(mapping.values()),",
        '        self.quote_name(model._meta.db_table),',
        '    ))',
        'def insert(self, table, value):',
        '    self.execute("INSERT INTO %s (name) VALUES (%s)" % (table, value))',
      ].join('\n'),
      'src/copy.js': [
        'export async function copy(db, table, columns, values) {',
        "  await db.query(`INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.join(', ')} FROM old`);",
        "  await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values.join(', ')})`);",
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['django/db/backends/sqlite3/schema.py', 2, 'LOW'],
      ['django/db/backends/sqlite3/schema.py', 9, 'MED'],
      ['src/copy.js', 2, 'LOW'],
      ['src/copy.js', 3, 'MED'],
    ]);
  });

  it('rates a fragment returned with its own bindings as composed (LOW); a bare helper result stays MED (Directus JSON paths)', () => {
    const findings = detect(sqlInjection, {
      'src/database/helpers/json/postgres.js': [
        'export function jsonFilter(knex, table, column, path) {',
        '  const { template, bindings } = buildPostgresJsonPath(path);',
        '  return knex.raw(`??.??${template}`, [table, column, ...bindings]);',
        '}',
        'export function jsonOrder(knex, column, path) {',
        '  const suffix = buildPostgresJsonPath(path);',
        '  return knex.raw(`SELECT * FROM t ORDER BY ??${suffix}`, [column]);',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['src/database/helpers/json/postgres.js', 3, 'LOW'],
      ['src/database/helpers/json/postgres.js', 7, 'MED'],
    ]);
  });

  it('reads the name positions of .format() and % placeholders too (mailman sequence reset)', () => {
    const findings = detect(sqlInjection, {
      'mailman/database/postgresql.py': [
        'def _post_reset(store, tables):',
        '    for table in tables:',
        '        for column in table.primary_key:',
        "            store.execute(text('''SELECT setval('\"{0}_{1}_seq\"', coalesce(max(\"{1}\"), 1)) FROM \"{0}\";'''.format(table, column.name)))",
        'def drop(cursor, table, owner, name, target):',
        '    cursor.execute("DROP TABLE %s" % target)',
        '    cursor.execute("SELECT * FROM %(t)s WHERE owner = \'%(o)s\'" % {"t": table, "o": owner})',
        '    cursor.execute("SELECT * FROM {} WHERE name = \'{}\'".format(table, name))',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      ['mailman/database/postgresql.py', 4, 'LOW'],
      ['mailman/database/postgresql.py', 6, 'LOW'],
      ['mailman/database/postgresql.py', 7, 'MED'],
      ['mailman/database/postgresql.py', 8, 'MED'],
    ]);
  });

  it('rates conditions joined with AND/OR, or a SQL-named list joined, as composed fragments (LOW); joined values stay MED (jupyter_server)', () => {
    const findings = detect(sqlInjection, {
      'jupyter_server/services/sessions/sessionmanager.py': [
        'class SessionManager:',
        '    def get_session(self, **kwargs):',
        '        conditions = []',
        '        for column in kwargs.keys():',
        '            conditions.append("%s=?" % column)',
        '        query = "SELECT * FROM session WHERE %s" % (" AND ".join(conditions))',
        '        self.cursor.execute(query, list(kwargs.values()))',
        '',
        '    def find(self, clauses):',
        '        self.cursor.execute("SELECT * FROM session WHERE %s" % ", ".join(clauses))',
        '',
        '    def insert(self, values):',
        '        self.cursor.execute("INSERT INTO session VALUES (%s)" % ", ".join(values))',
      ].join('\n'),
      'src/search.js': [
        'export function search(db, filters) {',
        '  const where = filters.map((f) => `${f.column} = ?`);',
        "  return db.query(`SELECT * FROM items WHERE ${where.join(' AND ')}`);",
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['jupyter_server/services/sessions/sessionmanager.py', 7, 'LOW'],
        ['jupyter_server/services/sessions/sessionmanager.py', 10, 'LOW'],
        ['jupyter_server/services/sessions/sessionmanager.py', 13, 'MED'],
        ['src/search.js', 3, 'LOW'],
      ],
    );
  });

  it('rates a joined list built from names checked against an allow-list as a LOW lead (notebook, jupyter_server)', () => {
    const findings = detect(sqlInjection, {
      'notebook/services/sessions/sessionmanager.py': [
        'class SessionManager:',
        '    def update_session(self, session_id, **kwargs):',
        '        sets = []',
        '        for column in kwargs.keys():',
        '            if column not in self._columns:',
        '                raise TypeError(f"No such column: {column!r}")',
        '            sets.append(f"{column}=?")',
        '        query = f"UPDATE session SET {\', \'.join(sets)} WHERE session_id=?"',
        '        self.cursor.execute(query, list(kwargs.values()) + [session_id])',
        '',
        '    def update_unchecked(self, session_id, **kwargs):',
        '        sets = []',
        '        for column in kwargs.keys():',
        '            sets.append(f"{column}=?")',
        '        query = f"UPDATE session SET {\', \'.join(sets)} WHERE session_id=?"',
        '        self.cursor.execute(query, list(kwargs.values()) + [session_id])',
      ].join('\n'),
      'src/store.js': [
        'export function update(db, fields) {',
        '  const sets = [];',
        '  for (const key of Object.keys(fields)) {',
        '    if (!COLUMNS.includes(key)) throw new Error(`unknown column ${key}`);',
        '    sets.push(`${key} = ?`);',
        '  }',
        "  return db.query(`UPDATE items SET ${sets.join(', ')}`, Object.values(fields));",
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['notebook/services/sessions/sessionmanager.py', 9, 'LOW'],
        ['notebook/services/sessions/sessionmanager.py', 16, 'MED'],
        ['src/store.js', 7, 'LOW'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /allow-list/);
  });
});
