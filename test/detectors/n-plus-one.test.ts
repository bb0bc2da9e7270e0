// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are fixture source code that contains template literals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nPlusOne } from '../../src/detectors/performance/n-plus-one.ts';
import { detect, linesAndConfidence } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.startLine, f.confidence, f.evidence[1]?.startLine]);

describe('performance/n-plus-one', () => {
  it('flags awaited queries and requests inside for-of loops and DB calls in map callbacks', () => {
    const findings = detect(nPlusOne, {
      'src/report.ts': [
        'export async function report(orders: Order[]) {',
        '  const rows = [];',
        '  for (const order of orders) {',
        '    const user = await prisma.user.findUnique({ where: { id: order.userId } });',
        '    const rate = await fetch(`https://fx.example.com/${order.currency}`);',
        '    rows.push({ user, rate });',
        '  }',
        '  const authors = await Promise.all(',
        '    orders.map(async (o) => User.findById(o.authorId)),',
        '  );',
        '  for (let i = 0; i < orders.length; i++) {',
        "    await pool.query('UPDATE orders SET seen = true WHERE id = $1', [orders[i].id]);",
        '  }',
        '  return { rows, authors };',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [4, 'HIGH', 3],
      [5, 'MED', 3],
      [9, 'MED', undefined],
      [12, 'HIGH', 11],
    ]);
    assert.match(findings[0]?.message ?? '', /the loop over `orders` on line 3/);
    assert.equal(
      findings[0]?.doneCheck,
      "! grep -qF -- 'const user = await prisma.user.findUnique({ where: { id: order.userId } });' 'src/report.ts'",
    );
  });

  it('leaves batched queries, concurrent HTTP, pagination loops and queries before the loop alone', () => {
    const findings = detect(nPlusOne, {
      'src/ok.ts': [
        'export async function load(ids: string[], urls: string[]) {',
        '  const users = await prisma.user.findMany({ where: { id: { in: ids } } });',
        '  const byId = new Map(users.map((u) => [u.id, u]));',
        '  for (const id of ids) console.log(byId.get(id));',
        '  const pages = await Promise.all(urls.map((url) => fetch(url)));',
        '  let next = urls[0];',
        '  while (next) {',
        '    const res = await fetch(next);',
        '    next = (await res.json()).next;',
        '  }',
        '  for (const row of await db.query("SELECT * FROM t")) console.log(row);',
        '  for (const key of ids) Object.create(null);',
        '  return pages;',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });

  it('leaves one call per batch alone, rates a loop over a constant LOW, and still flags one per item (Ghost)', () => {
    const findings = detect(nPlusOne, {
      'core/server/services/members/jobs.js': [
        'export async function clean(trx, statusEvents, repository, ids) {',
        '  for (const chunk of chunkArray(statusEvents, 6553)) {',
        "    await trx('members_status_events').insert(chunk);",
        '  }',
        '  for (let batch = 0; batch < maxBatches; batch++) {',
        '    const deliveries = await repository.findRecoverable(now, staleBefore, batchSize);',
        '  }',
        '  for (const page of pages) await db.query("SELECT * FROM t LIMIT 100 OFFSET ?", [page]);',
        '  for (const [status, slug] of Object.entries(MEMBER_WELCOME_EMAIL_SLUGS)) {',
        '    const row = await Automation.findOne({ slug });',
        '  }',
        '  for (const id of ids) {',
        "    await trx('members').where({ id }).update({ status: 'free' });",
        '  }',
        '  for (let i = 0; i < ids.length; i++) await repository.findOne(ids[i]);',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [10, 'LOW', 9],
      [13, 'HIGH', 12],
      [15, 'HIGH', undefined],
    ]);
    assert.match(findings[0]?.message ?? '', /a constant of the code/);
  });

  it('rates a loop over the entries of an object written out LOW, and over one filled at run time as data (LobeChat)', () => {
    // LobeChat's Python interpreter worker fetches each font of a fixed table.
    const findings = detect(nPlusOne, {
      'packages/python-interpreter/src/worker.ts': [
        'class PythonWorker {',
        '  async patchFonts() {',
        '    const fontFiles = {',
        "      'STSong.ttf': 'https://cdn.example.com/fonts/STSong.ttf',",
        '    };',
        '    for (const [filename, url] of Object.entries(fontFiles)) {',
        "      const buffer = await fetch(url, { cache: 'force-cache' }).then((res) => res.arrayBuffer());",
        '    }',
        '  }',
        '  async loadAll(files: File[]) {',
        '    const urls = {};',
        '    for (const file of files) urls[file.name] = file.url;',
        '    for (const url of Object.values(urls)) {',
        '      await fetch(url);',
        '    }',
        '    for (const url of Object.values({ ...this.extra, a: 1 })) await fetch(url);',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.startLine, f.confidence]),
      [
        [7, 'LOW'],
        [14, 'MED'],
        [16, 'MED'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /constant of the code/);
  });

  it('leaves a loop over a list of batches alone, by its making or its name (Directus)', () => {
    const findings = detect(nPlusOne, {
      'src/services/collections.js': [
        'export async function deleteMany(trx, ids, groups) {',
        '  const chunks = chunk(ids, 10000);',
        '  for (const keys of chunks) {',
        '    await trx("directus_fields").update({ group: null }).whereIn("group", keys);',
        '  }',
        '  for (const keys of idBatches) await trx("directus_files").delete().whereIn("id", keys);',
        '  const names = ids.map((id) => String(id));',
        '  for (const name of names) {',
        '    await trx("directus_collections").update({ group: null }).where({ collection: name });',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => f.evidence[0]?.startLine),
      [9],
    );
  });

  it('rates a call made only when an in-memory lookup misses LOW (Ghost member repository)', () => {
    const findings = detect(nPlusOne, {
      'core/server/repositories/member-repository.js': [
        'async function linkSubscriptions(subscriptions, prices, products) {',
        '  for (const subscription of subscriptions) {',
        '    const price = prices.find((p) => p.currency === subscription.currency);',
        '    if (!price) {',
        '      await this._productRepository.update({ id: subscription.product_id, currency: subscription.currency });',
        '    }',
        '  }',
        '  for (const product of products) {',
        '    const known = await this._productRepository.get({ id: product.id });',
        '    if (!known) await this._productRepository.update({ id: product.id });',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.startLine, f.confidence]),
      [
        [5, 'LOW'],
        // A miss of a lookup that is itself a round trip is no exception.
        [10, 'HIGH'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /only for the items a lookup in memory just before it misses/);
  });

  it('quotes a long loop collection cut with an ellipsis, not mid-expression (django-oauth-toolkit)', () => {
    const findings = detect(nPlusOne, {
      'oauth2_provider/models.py': [
        'def revoke(self, user, token_types):',
        '    for token_type in [_t for _t in token_types.values() if _t.revocable]:',
        '        Token.objects.filter(user=user, kind=token_type).delete()',
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /over `\[_t for _t in token_types\.values\(\) if _…` on line 2/);
  });

  it('rates a Python loop over a constant of the code LOW (Glances), and over data MED', () => {
    const findings = detect(nPlusOne, {
      'glances/plugins/cloud.py': [
        'import requests',
        'class ThreadOpenStack:',
        "    OPENSTACK_API_METADATA = {'ami-id': 'latest/meta-data/ami-id'}",
        '    def run(self):',
        '        for k, v in iteritems(self.OPENSTACK_API_METADATA):',
        '            r = requests.get(self.URL + v, timeout=3)',
        '        for k in self.OPENSTACK_API_METADATA.keys():',
        '            r = requests.get(self.URL + k, timeout=3)',
        '        for host in self.hosts:',
        '            r = requests.get(host, timeout=3)',
      ].join('\n'),
    });
    assert.deepEqual(
      summary(findings).map(([line, confidence]) => [line, confidence]),
      [
        [6, 'LOW'],
        [8, 'LOW'],
        [10, 'MED'],
      ],
    );
  });

  it('rates a query per model class LOW, and so every query of a management command (django-extensions)', () => {
    const findings = detect(nPlusOne, {
      'django_extensions/utils/files.py': [
        'from django.apps import apps',
        'def referenced_files(model_dict):',
        '    for model in model_dict:',
        '        rows = list(model.objects.all())',
        '    for field in meta.local_many_to_many:',
        "        related_model = getattr(field.remote_field, 'related_model', field.remote_field.model)",
        '        count = related_model.objects.all().count()',
        '    for field in generic_fields:',
        '        found = field.model.objects.filter(object_id=1).count()',
        '    for user in users:',
        '        orders = Order.objects.filter(user=user).count()',
      ].join('\n'),
      'django_extensions/management/commands/update_permissions.py': [
        'from django.core.management.base import BaseCommand',
        'class Command(BaseCommand):',
        '    def handle(self, *args, **options):',
        '        for codename in codenames:',
        '            perm = Permission.objects.get(codename=codename)',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['django_extensions/utils/files.py', 4, 'LOW'],
        ['django_extensions/utils/files.py', 7, 'LOW'],
        ['django_extensions/utils/files.py', 9, 'LOW'],
        ['django_extensions/utils/files.py', 11, 'HIGH'],
        ['django_extensions/management/commands/update_permissions.py', 5, 'LOW'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /each query is of one model/);
    assert.match(findings[4]?.message ?? '', /management command, run by an operator/);
  });

  it("rates a script's per-item queries LOW: it runs by hand, not per request (Etherpad's bin/)", () => {
    const loop = [
      "const db = require('../node/db/DB');",
      'async function main(padIds) {',
      '  for (const padId of padIds) {',
      '    const pad = await db.get(`pad:${padId}`);',
      '    check(pad);',
      '  }',
      '}',
    ].join('\n');
    const findings = detect(nPlusOne, {
      'src/bin/checkAllPads.js': loop,
      'scripts/backfill.js': loop,
      'src/node/handler/PadMessageHandler.js': loop,
      // A page's own scripts run on every visit: a request per item there is a real N+1.
      'public/scripts/feed.js': [
        'async function loadFeed(ids) {',
        '  for (const id of ids) {',
        '    const res = await fetch(`/api/items/${id}`);',
        '    render(await res.json());',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.confidence]),
      [
        ['src/bin/checkAllPads.js', 'LOW'],
        ['scripts/backfill.js', 'LOW'],
        ['src/node/handler/PadMessageHandler.js', 'HIGH'],
        ['public/scripts/feed.js', 'MED'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /a script someone runs by hand/);
  });

  it('leaves counted loops that follow redirects or pages, and retry loops, alone; still flags a counted loop over items (Budibase, Keystone, sqlmap, Glance)', () => {
    const findings = detect(nPlusOne, {
      'src/fetch.ts': [
        'export async function fetchWithBlacklist(url: string, request: RequestInit = {}) {',
        '  let nextUrl = url;',
        "  let nextRequest = { ...request, redirect: 'manual' };",
        '  for (let redirects = 0; redirects <= 5; redirects++) {',
        '    const response = await fetch(nextUrl, nextRequest);',
        '    if (!isRedirect(response.status)) return response;',
        "    const location = response.headers.get('location');",
        '    if (!location) return response;',
        '    nextUrl = new URL(location, nextUrl).toString();',
        '  }',
        '}',
        'export async function touch(ids: string[]) {',
        '  for (let i = 0; i < ids.length; i++) {',
        '    const id = ids[i];',
        "    await fetch(`https://api.example.com/items/${id}`, { method: 'POST' });",
        '  }',
        '}',
      ].join('\n'),
      'app/pages.py': [
        'import requests',
        '',
        'def all_pages(url):',
        '    out = []',
        '    for _ in range(100):',
        '        page = requests.get(url).json()',
        '        out.extend(page["items"])',
        '        url = page.get("next")',
        '        if not url:',
        '            return out',
        '    return out',
        '',
        'def consume_use(session, trust_id):',
        '    for attempt in range(MAXIMUM_CONSUME_ATTEMPTS):',
        '        remaining = session.query(Trust.remaining_uses).filter_by(id=trust_id).one()',
        '        if session.query(Trust).filter_by(remaining_uses=remaining).update({"n": remaining - 1}):',
        '            return',
        '',
        'def retrieve(cursor, key):',
        '    for _ in xrange(HASHDB_RETRIEVE_RETRIES):',
        '        try:',
        '            for row in cursor.execute("SELECT value FROM storage WHERE id=?", (key,)):',
        '                return row[0]',
        '        except sqlite3.OperationalError:',
        '            time.sleep(1)',
        '',
        'def ranges(path):',
        '    body = ""',
        '    for x in range(15):',
        '        headers = {"Content-Range": "bytes %s-%s/15" % (x, x)}',
        '        body += requests.get(path, headers=headers).text',
        '    return body',
        '',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [15, 'MED', 13],
      [31, 'MED', 29],
    ]);
  });

  it('flags Django, SQLAlchemy and requests calls in Python loops and comprehensions', () => {
    const findings = detect(nPlusOne, {
      'app/sync.py': [
        'import requests',
        'def sync(order_ids, session):',
        '    for order_id in order_ids:',
        '        order = Order.objects.get(id=order_id)',
        '        owner = session.query(User).filter_by(id=order.owner_id).one()',
        '        requests.post("https://hooks.example.com", json={"id": order.id})',
        '    return [Invoice.objects.filter(order_id=i).first() for i in order_ids]',
        'def push(orders, base):',
        '    for order in orders:',
        '        requests.put(f"{base}/orders/{order.id}", json=order.to_dict())',
      ].join('\n'),
    });
    // The two queries of the loop are one finding (one loop to rewrite), the request another: a
    // POST of each item to one address (a webhook) is a lead, a request per item's URL is not.
    assert.deepEqual(summary(findings), [
      [4, 'HIGH', 3],
      [6, 'LOW', 3],
      [7, 'HIGH', undefined],
      [10, 'MED', 9],
    ]);
    assert.match(findings[1]?.message ?? '', /sent to the same address/);
    assert.deepEqual(
      findings[0]?.evidence.map((e) => e.startLine),
      [4, 3, 5],
    );
    assert.match(
      findings[0]?.message ?? '',
      /`Order\.objects\.get\(\)` and 1 more call \(line 5\) make 2 round trips/,
    );
    assert.match(findings[0]?.message ?? '', /1,000 items means 2,000 queries/);
  });

  it('leaves the HTTP session of a request alone (django-debug-toolbar)', () => {
    const findings = detect(nPlusOne, {
      'debug_toolbar/panels/request.py': [
        'def generate_stats(self, request, response):',
        '    session_list = [(k, request.session.get(k)) for k in sorted(request.session.keys())]',
        '    rows = [(k, db.session.get(Item, k)) for k in ids]',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => f.evidence[0]?.startLine),
      [3],
    );
  });

  it('leaves a dict held in self.objects alone: managers are reached through the model (Sphinx)', () => {
    const findings = detect(nPlusOne, {
      'sphinx/domains/rst.py': [
        'class ReSTDomain(Domain):',
        '    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):',
        '        results = []',
        '        for objtype in self.object_types:',
        '            todocname, node_id = self.objects.get((objtype, target), (None, None))',
        '            if todocname:',
        '                results.append(todocname)',
        '        for pk in ids:',
        '            results.append(self.model.objects.get(pk=pk))',
        '        return results',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => f.evidence[0]?.startLine),
      [9],
    );
  });

  it('flags a sqlite3 or psycopg query per item through a cursor or a connection, not executemany or one query beside the loop', () => {
    const findings = detect(nPlusOne, {
      'shop/db.py': [
        'import sqlite3',
        'def order_totals(conn, order_ids):',
        '    cur = conn.cursor()',
        '    totals = []',
        '    for oid in order_ids:',
        '        cur.execute("SELECT SUM(price) FROM items WHERE order_id = ?", (oid,))',
        '        totals.append(cur.fetchone()[0])',
        '    return totals',
        'def customer_names(conn, customer_ids):',
        '    names = {}',
        '    for cid in customer_ids:',
        '        row = conn.execute("SELECT name FROM customers WHERE id = ?", (cid,)).fetchone()',
        '        names[cid] = row[0]',
        '    return names',
        'class Store:',
        '    def prices(self, skus):',
        '        return [self._conn.execute("SELECT price FROM items WHERE sku = %s", (s,)).fetchone() for s in skus]',
        '',
      ].join('\n'),
      // django-cas-server's SqlAuthUser: the same query again after a database error, not one per item.
      'cas_server/auth.py': [
        'class SqlAuthUser(DBAuthUser):',
        '    def __init__(self, username):',
        '        for retry_nb in range(3):',
        '            try:',
        '                with connections["cas_server"].cursor() as curs:',
        '                    curs.execute(settings.CAS_SQL_USER_QUERY, (username,))',
        '                    results = dictfetchall(curs)',
        '                break',
        '            except DatabaseError:',
        '                connections["cas_server"].close()',
        '',
      ].join('\n'),
      'shop/batch.py': [
        'def insert_many(conn, rows):',
        '    conn.executemany("INSERT INTO items (order_id, price) VALUES (?, ?)", rows)',
        '    conn.commit()',
        'def names(conn, ids):',
        '    marks = ",".join("?" for _ in ids)',
        '    rows = conn.execute(f"SELECT id, name FROM customers WHERE id IN ({marks})", ids).fetchall()',
        '    by_id = dict(rows)',
        '    for cid in ids:',
        '        print(by_id.get(cid))',
        '    conn.execute("UPDATE stats SET seen = seen + 1")',
        'def reset(conn):',
        '    for table in ("users", "items", "customers"):',
        '        conn.execute(f"DELETE FROM {table}")',
        '    conn.commit()',
        '',
      ].join('\n'),
    });
    // The loop over three tables written in the code is a lead, not a hot path.
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['shop/db.py', 6, 'HIGH'],
        ['shop/db.py', 12, 'HIGH'],
        ['shop/db.py', 17, 'HIGH'],
        ['shop/batch.py', 13, 'LOW'],
      ],
    );
  });

  it('leaves batched Python queries alone', () => {
    const findings = detect(nPlusOne, {
      'app/ok.py': [
        'def load(order_ids):',
        '    orders = Order.objects.filter(id__in=order_ids).select_related("owner")',
        '    by_id = {o.id: o for o in orders}',
        '    for order_id in order_ids:',
        '        print(by_id.get(order_id))',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });

  it('leaves loops that run a list of statements alone, and still flags one query per item (Django)', () => {
    const findings = detect(nPlusOne, {
      'management/commands/loaddata.py': [
        'def reset_sequences(connection, models):',
        '    sequence_sql = connection.ops.sequence_reset_sql(no_style(), models)',
        '    with connection.cursor() as cursor:',
        '        for line in sequence_sql:',
        '            cursor.execute(line)',
        '        for sql, params in compiler.as_sql():',
        '            cursor.execute(sql, params)',
        '        for table in tables:',
        '            cursor.execute("SELECT sql FROM sqlite_master WHERE tbl_name = %s", [table])',
      ].join('\n'),
      'src/migrate.ts': [
        'export async function migrate(db: Db, statements: string[]) {',
        '  for (const statement of statements) await db.query(statement);',
        '}',
      ].join('\n'),
      // sequelize's query interfaces: one schema statement per item, then a real per-item query.
      'lib/query-interface.js': [
        'async function dropAll(tableName, foreignKeys, subQueries, ids) {',
        '  for (const foreignKey of foreignKeys) {',
        '    await this.sequelize.query(this.queryGenerator.dropForeignKeyQuery(tableName, foreignKey));',
        '  }',
        '  for (const subQuery of subQueries) await this.sequelize.query(`${subQuery};`, { raw: true });',
        '  for (const id of ids) await this.sequelize.query(`SELECT * FROM users WHERE id = ${id}`);',
        '}',
      ].join('\n'),
      // SQLAlchemy's dialects: session pragmas per setting (peewee: one ATTACH per database), and
      // executemany emulated by a loop.
      'dialects/sqlite/pysqlcipher.py': [
        'def on_connect(conn):',
        '    cursor = conn.cursor()',
        '    for prag in self.pragmas:',
        '        cursor.execute(\'pragma %s="%s"\' % (prag, value))',
        '    for name, db in self._attached.items():',
        '        cursor.execute(\'ATTACH DATABASE "%s" AS "%s"\' % (db, name))',
        '    for user in users:',
        '        cursor.execute("select * from orders where user_id = %s" % user)',
        'def do_executemany(self, cursor, statement, parameters, context=None):',
        '    for param in parameters:',
        '        cursor.execute(statement, param)',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine]),
      [
        ['management/commands/loaddata.py', 9],
        ['lib/query-interface.js', 6],
        ['dialects/sqlite/pysqlcipher.py', 8],
      ],
    );
  });

  it('leaves SQL fragments and schema changes built per item alone, and still flags a lookup per table (knex, sequelize)', () => {
    const findings = detect(nPlusOne, {
      'lib/schema/tablecompiler.js': [
        'class TableCompiler {',
        '  _addChecks() {',
        '    return this.grouped.checks',
        '      .map((c) => {',
        '        return `check (${this.client.raw(c.args[0], c.args[1])})`;',
        '      })',
        "      .join(', ');",
        '  }',
        '}',
      ].join('\n'),
      'core/server/services/activitypub/ActivityPubService.js': [
        'async function saveAll(items) {',
        '  for (const item of items) {',
        "    rows.push({ id: item.id, created_at: this.knex.raw('current_timestamp') });",
        "    const now = db.knex.raw('CURRENT_TIMESTAMP');",
        '  }',
        "  await Promise.all(items.map((item) => this.knex.raw('select ?', [item.id])));",
        "  const refs = columns.map((column) => knex.raw('??', column));",
        "  for (const item of items) await this.knex.raw('update t set x = 1 where id = ?', [item.id]);",
        '}',
      ].join('\n'),
      // json-server: lowdb collections are lodash chains in memory.
      'lib/server/router/plural.js': [
        'function expand(resource, e) {',
        '  e && [].concat(e).forEach((innerResource) => {',
        '    if (db.get(innerResource).value()) {',
        '      resource[innerResource] = db.get(plural).getById(resource[prop]).value();',
        '    }',
        '  });',
        '}',
      ].join('\n'),
      'lib/dialects/postgres/query-interface.js': [
        'class PostgresQueryInterface {',
        '  async dropAllEnums(options) {',
        '    const enums = await this.pgListEnums(null, options);',
        '    return await Promise.all(enums.map((result) => this.sequelize.query(this.queryGenerator.pgEnumDrop(null, null, result.enum_name), options)));',
        '  }',
        '  async removeColumn(tableName, columnName, options) {',
        '    const [results] = await this.sequelize.query(this.queryGenerator.getForeignKeyQuery(tableName, columnName), options);',
        '    await Promise.all(results.map((constraint) => this.sequelize.query(this.queryGenerator.dropForeignKeyQuery(tableName, constraint.constraint_name), options)));',
        '  }',
        '  async getForeignKeyReferencesForTables(tableNames, options) {',
        '    return Promise.all(tableNames.map((tableName) => this.sequelize.query(this.queryGenerator.getForeignKeysQuery(tableName), options)));',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine]),
      [
        ['core/server/services/activitypub/ActivityPubService.js', 6],
        ['core/server/services/activitypub/ActivityPubService.js', 8],
        ['lib/dialects/postgres/query-interface.js', 11],
      ],
    );
  });

  it('rates one statement per table of the schema LOW (Glance purge, sequelize)', () => {
    const findings = detect(nPlusOne, {
      'glance/db/sqlalchemy/api.py': [
        'def purge_deleted_rows(context, age_in_days, max_rows, session=None):',
        '    for tbl in tables:',
        '        tab = Table(tbl, metadata, autoload=True)',
        '        with session.begin():',
        '            result = session.execute(DeleteFromSelect(tab, query_delete, column))',
        '    for image in images:',
        '        session.execute(update_image(image))',
      ].join('\n'),
      'lib/query-interface.js': [
        'async function references(tableNames, options) {',
        '  return Promise.all(tableNames.map((tableName) => this.sequelize.query(getForeignKeysQuery(tableName), options)));',
        '}',
      ].join('\n'),
      // SQLAlchemy-Utils: one UPDATE per aggregate a model defines, one per referencing foreign key.
      'sqlalchemy_utils/aggregates.py': [
        'def construct_aggregate_queries(self, session, ctx):',
        '    for class_, objects in object_dict.items():',
        '        for aggregate_value in self.generator_registry[class_]:',
        '            session.execute(aggregate_value.update_query(objects))',
        'def merge_references(from_, to, session):',
        '    foreign_keys = get_referencing_foreign_keys(from_)',
        '    for fk in foreign_keys:',
        '        session.execute(fk.constraint.table.update())',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['glance/db/sqlalchemy/api.py', 5, 'LOW'],
        ['glance/db/sqlalchemy/api.py', 7, 'HIGH'],
        ['lib/query-interface.js', 2, 'LOW'],
        ['sqlalchemy_utils/aggregates.py', 4, 'LOW'],
        ['sqlalchemy_utils/aggregates.py', 8, 'LOW'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /goes over the schema/);
  });

  it("rates a table's columns and indexes, statement lists and catalog queries as schema work (Django backends)", () => {
    const findings = detect(nPlusOne, {
      'django/db/backends/mysql/base.py': [
        'def check_constraints(self, table_names):',
        '    with self.cursor() as cursor:',
        '        for table_name in table_names:',
        '            key_columns = self.introspection.get_key_columns(cursor, table_name)',
        '            for column_name, referenced_table_name, referenced_column_name in key_columns:',
        '                cursor.execute("SELECT REFERRING.`%s` FROM `%s` AS REFERRING" % (column_name, table_name))',
      ].join('\n'),
      'django/db/backends/sqlite3/introspection.py': [
        'def get_constraints(self, cursor, table_name):',
        '    cursor.execute("PRAGMA index_list(%s)" % self.connection.ops.quote_name(table_name))',
        '    for row in cursor.fetchall():',
        '        number, index, unique = row[:3]',
        '        cursor.execute(',
        '            "SELECT sql FROM sqlite_master "',
        '            "WHERE type=\'index\' AND name=%s" % self.connection.ops.quote_name(index)',
        '        )',
        'def load_orders(self, cursor, order_ids):',
        '    for order_id in order_ids:',
        '        cursor.execute("SELECT * FROM orders WHERE id = %s", [order_id])',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['django/db/backends/mysql/base.py', 6, 'LOW'],
        ['django/db/backends/sqlite3/introspection.py', 5, 'LOW'],
        ['django/db/backends/sqlite3/introspection.py', 11, 'HIGH'],
      ],
    );
  });

  it('reads the statement a local variable holds: a DROP per view is schema work, a catalog query LOW (nocobase)', () => {
    const findings = detect(nPlusOne, {
      'lib/inherited-sync-runner.js': [
        'async function sync(db, views, parents, ids, transaction) {',
        '  for (const view of views) {',
        '    const removeSql = `DROP VIEW IF EXISTS "${view.schema}"."${view.name}"`;',
        '    await db.sequelize.query(removeSql, { transaction });',
        '  }',
        '  for (const parent of parents) {',
        "    const idColumnSql = `SELECT column_name FROM information_schema.columns WHERE table_name = '${parent}'`;",
        '    await db.sequelize.query(idColumnSql, { transaction });',
        '  }',
        '  for (const id of ids) {',
        '    const sql = `SELECT * FROM users WHERE id = ${id}`;',
        '    await db.sequelize.query(sql);',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [8, 'LOW'],
      [12, 'HIGH'],
    ]);
  });

  it('rates a query per row in a data migration or seed LOW: it runs once (Ghost migrations)', () => {
    const migration = [
      'module.exports = {',
      '  async up(knex) {',
      "    const newsletters = await knex('newsletters').select('id');",
      '    for (const newsletter of newsletters) {',
      "      await knex('newsletters').update('uuid', crypto.randomUUID()).where('id', newsletter.id);",
      '    }',
      '  },',
      '};',
    ].join('\n');
    const findings = detect(nPlusOne, {
      'core/server/data/migrations/versions/4.46/fill-uuid.js': migration,
      'db/seeds/01-users.js': migration,
      'core/server/services/newsletters.js': migration,
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.confidence]),
      [
        ['core/server/data/migrations/versions/4.46/fill-uuid.js', 'LOW'],
        ['db/seeds/01-users.js', 'LOW'],
        ['core/server/services/newsletters.js', 'HIGH'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /runs once/);
  });

  it('rates a loop over a list written in the code LOW, not one the code grows (Barbican clean-up)', () => {
    const findings = detect(nPlusOne, {
      'barbican/model/clean.py': [
        'def soft_delete_children(session, threshold_date):',
        '    secret_children = [models.SecretStoreMetadatum,',
        '                       models.EncryptedDatum]',
        '    for table in secret_children:',
        '        session.query(table.id).filter(table.deleted == False).count()',
        '    for model in (models.Order, models.Container):',
        '        session.query(model.id).filter(model.deleted == False).count()',
        'def purge(session, ids):',
        '    targets = [models.Secret]',
        '    targets.extend(load_plugins())',
        '    for table in targets:',
        '        session.query(table.id).filter(table.deleted == False).count()',
        '    for secret_id in ids:',
        '        session.query(models.Secret).filter(models.Secret.id == secret_id).count()',
      ].join('\n'),
      'src/services/roles.js': [
        'async function load(db, userIds) {',
        "  const kinds = ['admin', 'member'];",
        '  for (const kind of kinds) {',
        '    await db.query(`SELECT * FROM roles WHERE kind = $1`, [kind]);',
        '  }',
        '  for (const id of userIds) {',
        '    await db.query(`SELECT * FROM users WHERE id = $1`, [id]);',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['barbican/model/clean.py', 5, 'LOW'],
        ['barbican/model/clean.py', 7, 'LOW'],
        ['barbican/model/clean.py', 12, 'HIGH'],
        ['barbican/model/clean.py', 14, 'HIGH'],
        ['src/services/roles.js', 4, 'LOW'],
        ['src/services/roles.js', 7, 'HIGH'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /constant of the code/);
  });

  it('leaves Django querysets only collected per item alone, and rates a comprehension over a written list LOW (django-axes, django-cas-server)', () => {
    const findings = detect(nPlusOne, {
      'axes/attempts.py': [
        'def get_user_attempts(request, credentials):',
        '    filter_kwargs_list = get_client_parameters(request)',
        '    attempts_list = [AccessAttempt.objects.filter(**kwargs) for kwargs in filter_kwargs_list]',
        '    return attempts_list',
        'def counts(request, users):',
        '    return [AccessAttempt.objects.filter(username=u).count() for u in users]',
        'def collect(users):',
        '    found = []',
        '    for u in users:',
        '        found.append(AccessAttempt.objects.filter(username=u))',
        '    return found',
      ].join('\n'),
      'cas_server/models.py': [
        'class User(models.Model):',
        '    def logout(self, request=None):',
        '        ticket_classes = [ProxyGrantingTicket, ServiceTicket, ProxyTicket]',
        '        for user_id in [t.objects.get(user=self).id for t in ticket_classes]:',
        '            pass',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['axes/attempts.py', 6, 'HIGH'],
        ['cas_server/models.py', 4, 'LOW'],
      ],
    );
  });

  it('leaves Convex database reads in a loop alone, but not actions calling a query or mutation per item', () => {
    // Convex runs `ctx.db` reads inside the deployment, in the function's one transaction: its docs
    // join documents with a loop of `ctx.db.get`. `ctx.runMutation` from an action is a separate
    // transaction each time, a real round trip per item.
    const convexFile = [
      "import { action, query } from './_generated/server';",
      "import { api } from './_generated/api';",
      'export const withAuthors = query({',
      '  handler: async (ctx) => {',
      "    const posts = await ctx.db.query('posts').collect();",
      '    const out = [];',
      '    for (const post of posts) {',
      '      const author = await ctx.db.get(post.authorId);',
      "      const comments = await ctx.db.query('comments').withIndex('by_post', (q) => q.eq('postId', post._id)).collect();",
      '      out.push({ post, author, comments });',
      '    }',
      '    return Promise.all(posts.map((p) => ctx.db.get(p.authorId)));',
      '  },',
      '});',
      'export const touchAll = action({',
      '  handler: async (ctx, { ids }) => {',
      '    for (const id of ids) {',
      '      await ctx.runMutation(api.posts.touch, { id });',
      '    }',
      '  },',
      '});',
    ];
    const findings = detect(nPlusOne, {
      'convex/posts.ts': convexFile.join('\n'),
      // A helper typed with the generated context is Convex code too, whatever its folder.
      'backend/lib/joins.ts': [
        "import type { QueryCtx } from '../_generated/server';",
        'export async function authors(ctx: QueryCtx, posts) {',
        '  const out = [];',
        '  for (const post of posts) out.push(await ctx.db.get(post.authorId));',
        '  return out;',
        '}',
      ].join('\n'),
      // The same names with no Convex import: a Koa context carrying a database client.
      'convex/legacy.ts': [
        'export async function authors(ctx, posts) {',
        '  const out = [];',
        '  for (const post of posts) out.push(await ctx.db.get(post.authorId));',
        '  return out;',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['convex/posts.ts', 18, 'HIGH'],
        ['convex/legacy.ts', 3, 'HIGH'],
      ],
    );
    assert.match(
      findings[0]?.message ?? '',
      /`ctx\.runMutation\(\)` makes one database round trip.*its own transaction/,
    );
  });
});

describe('performance/n-plus-one steps', () => {
  it('say to stop when the client has no batched call', () => {
    // Etherpad 1.8.14 bin/checkAllPads.js: `await db.get(`pad:${pad.id}:revs:${revNum}`)` per
    // revision, on ueberdb, whose API has no multi-get. The steps asked for "one batched call" with
    // no word on what to do when there is none.
    const findings = detect(nPlusOne, {
      'bin/checkAllPads.js': [
        "const db = require('../node/db/DB');",
        'exports.check = async (pad, revisionsNeeded) => {',
        '  for (const revNum of revisionsNeeded) {',
        '    const revision = await db.get(`pad:${pad.id}:revs:${revNum}`);',
        '    if (revision == null) console.error(revNum);',
        '  }',
        '};',
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    for (const steps of [nPlusOne.steps, nPlusOne.python?.steps]) {
      const batch = steps?.[1] ?? '';
      assert.match(
        batch,
        /If the client offers no call that (?:fetches|fetches or writes) many keys at once/,
      );
      assert.match(batch, /STOP and report which client it is: do not write a batch call it lacks/);
    }
  });
});
