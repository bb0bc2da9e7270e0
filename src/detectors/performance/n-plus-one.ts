import type { NapiConfig, SgNode } from '@ast-grep/napi';
import {
  callArguments,
  calleeText,
  callReceiving,
  enclosingFunction,
  FUNCTION_KINDS,
  kindOf,
} from '../correctness/enclosing-function.ts';
import { findingAt, lineOf } from '../correctness/finding-at.ts';
import { MANAGEMENT_COMMAND_PATH, ONE_OFF_PATH, OPERATOR_SCRIPT_PATH } from '../one-off-code.ts';
import { assignedValues } from '../security/value-source.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { contains, enclosingRepetition, isAwaited, type Repetition } from './enclosing-loop.ts';
import { identifiersIn } from './loop-bindings.ts';

const GLOBALS =
  /^(?:Object|Array|Promise|Reflect|JSON|Math|Date|Number|String|Buffer|URL|Map|Set|Symbol|Intl)\./;
const JS_DB = [
  /(?:^|\.)(?:prisma|db|tx|database)\.\w+\.(?:findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|findMany|create|update|upsert|delete|count|aggregate)$/,
  /^[A-Z][a-z]\w*\.(?:findOne|findById|findAll|findByPk|find|findOneAndUpdate|updateOne|updateMany|countDocuments)$/,
  /(?:[rR]epository|[rR]epo|manager|entityManager)\.(?:find\w*|save|insert|update|delete|count\w*|exist\w*|query)$/,
  /(?:^|\.)(?:pool|client|conn|connection|knex|sequelize|pg|mysql|database|db|trx|tx)\.(?:query|execute|raw|one|oneOrNone|many|manyOrNone|any|none)$/,
  /(?:^|\.)db\.(?:get|all|run)$/,
  /^(?:knex|trx)$/,
];
const JS_HTTP =
  /^(?:fetch|axios|got|ky|(?:axios|got|ky|superagent|this\.http|httpClient|apiClient)\.(?:get|post|put|patch|delete|head|request))$/;
const PY_DB = [
  /\.objects\.(?:get|filter|exclude|create|get_or_create|update_or_create|count|exists|first|last|aggregate|all|values|values_list)$/,
  /(?:^|\.)(?:session|db\.session|db)\.(?:query|get|execute|scalar|scalars)$/,
  // DB-API cursors (sqlite3, psycopg, MySQLdb) and the connections that execute directly
  // (sqlite3's `conn.execute`, SQLAlchemy's `connection.execute`).
  /(?:^|\.)_?(?:cursor|cur|curs|conn|connection|con|cnx)\.execute$/,
];
const PY_HTTP = /^(?:requests|httpx)\.(?:get|post|put|patch|delete|head|request)$/;

type Kind = 'database' | 'HTTP';

/**
 * Convex code: a module that imports from the deployment's generated server module
 * (`./_generated/server`, where `query`, `mutation`, `action` and `QueryCtx` come from) or from
 * `convex/server`.
 */
const CONVEX_IMPORT =
  /\bfrom\s*['"](?:\.{1,2}\/)+(?:[\w-]+\/)*_generated\/server(?:\.js)?['"]|\bfrom\s*['"]convex\/server['"]/;
const convexFiles = new WeakMap<FileInput, boolean>();
function isConvex(file: FileInput): boolean {
  let known = convexFiles.get(file);
  if (known === undefined) {
    known = file.language !== 'python' && CONVEX_IMPORT.test(file.text);
    convexFiles.set(file, known);
  }
  return known;
}
/**
 * A Convex read through the function's context (`ctx.db.get(id)`, `ctx.db.query('posts')`, or `db`
 * destructured from it): it runs inside the deployment, next to the data, in the function's one
 * transaction, so a read per item is not a round trip per item; Convex's docs join documents that
 * way.
 */
const CONVEX_DB_READ = /^(?:[A-Za-z_$][\w$]*\.)?db\.(?:get|query)$/;
/**
 * An action calling a query or mutation (`ctx.runMutation(internal.posts.touch, …)`): each call is
 * its own transaction, sent from the action's runtime to the deployment.
 */
const CONVEX_RUN = /^(?:[A-Za-z_$][\w$]*\.)?run(?:Query|Mutation)$/;

/** The HTTP session of a Django or Flask request: a dict loaded once per request, not a database session. */
const HTTP_SESSION = /(?:^|\.)request\.session\./;

/**
 * A Django manager is reached through the model class; `self.objects` is an attribute (Sphinx's
 * domain registry, a dict), since managers cannot be reached through an instance.
 */
const SELF_OBJECTS = /(?:^|\.)self\.objects\./;

function callKind(callee: string, python: boolean, convex: boolean): Kind | undefined {
  if (convex) {
    if (CONVEX_DB_READ.test(callee)) return undefined;
    if (CONVEX_RUN.test(callee)) return 'database';
  }
  if (python) {
    if (HTTP_SESSION.test(callee) || SELF_OBJECTS.test(callee)) return undefined;
    if (PY_DB.some((re) => re.test(callee))) return 'database';
    return PY_HTTP.test(callee) ? 'HTTP' : undefined;
  }
  if (GLOBALS.test(callee)) return undefined;
  if (JS_DB.some((re) => re.test(callee))) return 'database';
  return JS_HTTP.test(callee) ? 'HTTP' : undefined;
}

function confidenceFor(
  kind: Kind,
  loop: Repetition,
  awaited: boolean,
  python: boolean,
): RawFinding['confidence'] {
  if (loop.kind === 'while') return undefined;
  if (loop.kind === 'callback') {
    if (kind === 'HTTP' || !/^(?:map|forEach|flatMap)$/.test(loop.method ?? '')) return undefined;
    return 'MED';
  }
  if (python) return kind === 'database' ? 'HIGH' : 'MED';
  // JS clients are asynchronous: a call that is not awaited is more likely an array method.
  if (kind === 'database') return awaited ? 'HIGH' : undefined;
  return awaited ? 'MED' : undefined;
}

/**
 * Calls that build a schema statement (`dropForeignKeyQuery(table, key)`, sequelize's
 * `pgEnumDrop(…)`): DDL runs one at a time.
 */
const DDL_BUILDER =
  /(?:drop|create|alter|rename|truncate)\w*(?:Query|Sql|SQL|Statement)$|[a-z](?:Drop|Create|Alter|Rename|Truncate)$/;
/**
 * A statement that sets up the schema or the session (`'pragma %s="%s"' % (prag, value)`,
 * `` `SET ${name} = ${value}` ``): one per setting, not a query per item of data.
 */
const SETUP_STATEMENT =
  /^\s*(?:PRAGMA|SET|CREATE|DROP|ALTER|GRANT|REVOKE|TRUNCATE|COMMENT\s+ON|VACUUM|ANALYZE|SAVEPOINT|LOCK|ATTACH|DETACH)\b/i;
/**
 * A loop over the schema rather than over rows: its tables or models (`tables`, `self.tables`,
 * `tableNames`), a table's columns, indexes or constraints (`key_columns`, `table_info` in Django's
 * database backends), or a list of statements to run.
 */
const SCHEMA_COLLECTION =
  /^(?:[\w.]*\.)?(?:tables|table_?names|tbls|models|schemas|(?:key_)?columns|column_?names|indexes|constraints|table_?info|statements|foreign_?keys|\w*_registry)(?:\(\)|\[[^\]]*\])?$/i;
/**
 * A query of the database's own catalog (`SELECT sql FROM sqlite_master WHERE tbl_name = %s`,
 * `information_schema.columns`): introspection, one per table or index of the schema.
 */
const CATALOG_QUERY =
  /\b(?:sqlite_master|sqlite_schema|information_schema|pg_catalog|pg_(?:class|index|attribute|constraint|namespace|indexes|tables)|all_(?:tab_columns|constraints|indexes|tables)|user_(?:tab_columns|constraints|indexes|tables|cons_columns|ind_columns)|sys\.(?:tables|columns|indexes|objects))\b/i;
/** `def do_executemany(self, cursor, statement, parameters)`: the batch call itself, emulated by a loop. */
const BATCH_EMULATION = /^(?:do_)?execute_?many$/i;

/**
 * A loop over batches, not items: over a chunking call (`chunkArray(rows, 6553)`, `_.chunk(…)`,
 * `itertools.batched(…)`), with a loop variable named for a batch or page, or a counted loop over
 * batches (`for (let batch = 0; batch < maxBatches; batch++)` fetching `batchSize` rows each time).
 * One call per batch is what batching looks like (Ghost's comped-members cleanup and gift
 * delivery drain).
 */
const CHUNKING = /(?:^|[.\s(])(?:chunk\w*|batch(?:ed|es)?|split_?every|partition_?all|paginate|pages)\s*\(/i;
const BATCH_NAME = /^(?:chunk|batch|page)(?:_?\w+)?$|^\w*(?:Chunk|Batch|Page)$/;
const BATCH_SIZE = /\b(?:batch_?size|chunk_?size|page_?size|per_?page|limit)\b/i;

/** A list of batches by its name: `chunks`, `batches`, `idChunks`. */
const BATCHES_NAME = /^(?:chunks|batches|pages)$|[a-z](?:Chunks|Batches)$/;

function overBatches(call: SgNode, loop: Repetition, python: boolean): boolean {
  if (loop.collection !== undefined && CHUNKING.test(loop.collection)) return true;
  // `const chunks = chunk(ids, 10000); for (const keys of chunks) …` (Directus's collection delete).
  const collection = loop.iterated;
  if (collection?.kind() === 'identifier') {
    if (BATCHES_NAME.test(collection.text())) return true;
    const values = assignedValues(collection.text(), collection, python);
    if (values.length > 0 && values.every((value) => CHUNKING.test(value.text()))) return true;
  }
  const counters = counterNames(loop);
  if (counters.some((name) => BATCH_NAME.test(name))) return true;
  return isCountedLoop(loop) && callArguments(call).some((argument) => BATCH_SIZE.test(argument.text()));
}

/**
 * `Object.entries(MEMBER_WELCOME_EMAIL_SLUGS)`, `ROLES`, and in Python `self.API_METADATA.items()`
 * or `iteritems(self.API_METADATA)` (Glances' cloud plugin): a constant of the code, as long as it
 * is written.
 */
const CONSTANT_COLLECTION =
  /^(?:(?:Object\.(?:entries|keys|values)|(?:six\.)?iter(?:items|keys|values)|enumerate|sorted)\(\s*)?(?:[\w$]+\.)*[A-Z][A-Z0-9_]*(?:\.(?:items|keys|values)\(\))?\s*\)?$/;

const LIST_LITERALS: ReadonlySet<string> = new Set(['list', 'tuple', 'set', 'array']);
const OBJECT_LITERALS: ReadonlySet<string> = new Set(['object']);
const OBJECT_ENTRIES = /^Object\.(?:entries|keys|values)$/;

/**
 * A list written out in the code: `for table in [models.A, models.B]`, or a local name only ever
 * set to one and not grown (Barbican's `secret_children = [models.SecretStoreMetadatum, …]`, one
 * soft-delete per child table). No spread, no comprehension: the length is what is written.
 */
function literalCollection(loop: Repetition, python: boolean): boolean {
  // `[cls.objects.filter(user=self) for cls in ticket_classes]` (django-cas-server) too.
  let collection = loop.kind === 'for' || loop.kind === 'comprehension' ? loop.iterated : undefined;
  if (!collection) return false;
  // `Object.entries(fontFiles)` where `const fontFiles = { 'STSong.ttf': '…' }` (LobeChat's Python
  // interpreter worker): the entries of an object written out, as many as it has keys.
  const entriesOf =
    !python && collection.kind() === 'call_expression' && OBJECT_ENTRIES.test(calleeText(collection))
      ? callArguments(collection)
      : undefined;
  if (entriesOf) {
    if (entriesOf.length !== 1 || !entriesOf[0]) return false;
    collection = entriesOf[0];
  }
  const literalKinds = entriesOf ? OBJECT_LITERALS : LIST_LITERALS;
  const written = (node: SgNode) =>
    literalKinds.has(kindOf(node)) &&
    !node.children().some((c) => /spread|splat|comprehension/.test(kindOf(c)));
  if (written(collection)) return true;
  if (collection.kind() !== 'identifier') return false;
  const name = collection.text();
  const values = assignedValues(name, collection, python);
  const scope = enclosingFunction(loop.node)?.text() ?? '';
  const grown = new RegExp(
    entriesOf
      ? `\\b${name}\\s*(?:\\.\\s*[\\w$]+|\\[[^\\]]*\\])\\s*=(?!=)|\\bObject\\.assign\\(\\s*${name}\\b`
      : `\\b${name}\\s*\\.\\s*(?:append|extend|insert|push|unshift|splice|add|update)\\s*\\(`,
  );
  return values.length > 0 && values.every(written) && !grown.test(scope);
}

/** The start of a string literal (a Python prefix, triple or single quotes, a JS template). */
const STRING_START = /^[fFrRbBuU]*(?:"""|'''|["'`])/;

/**
 * The SQL text a query argument holds, after its opening quote: its own, or for a local variable
 * (`const removeSql = `DROP VIEW …``, nocobase) the values assigned to it, when every one is a
 * string literal. Empty when the argument is not (or not only) literal text.
 */
function statementTexts(argument: SgNode, python: boolean): string[] {
  const values =
    argument.kind() === 'identifier' ? assignedValues(argument.text(), argument, python) : [argument];
  const bodies = values.map((value) => {
    const open = STRING_START.exec(value.text());
    return open ? value.text().slice(open[0].length) : undefined;
  });
  return bodies.every((body) => body !== undefined) ? (bodies as string[]) : [];
}

/**
 * `for sql in statements: cursor.execute(sql)`: the loop runs a list of different statements (a
 * migration, a sequence reset, a fixture load) or one schema change per item, not one query per
 * item of data.
 */
function runsEachStatement(call: SgNode, loop: Repetition, python: boolean): boolean {
  const [first] = callArguments(call);
  if (!first) return false;
  if (statementTexts(first, python).some((text) => SETUP_STATEMENT.test(text))) return true;
  if (first.kind() === 'call_expression' || first.kind() === 'call')
    return DDL_BUILDER.test(calleeText(first).split('.').at(-1) ?? '');
  if (loop.kind !== 'for') return false;
  const target = loop.node.field('left');
  if (!target) return false;
  const names = identifiersIn(target);
  if (first.kind() === 'identifier') return names.includes(first.text());
  // `${subQuery};`: a template that is nothing but the loop variable (and a semicolon).
  if (first.kind() !== 'template_string') return false;
  const parts = first.findAll({ rule: { kind: 'template_substitution' } });
  let rest = first.text().slice(1, -1);
  for (const part of parts) rest = rest.replace(part.text(), '');
  return (
    parts.length > 0 &&
    /^[\s;]*$/.test(rest) &&
    parts.every((part) => names.includes(part.text().slice(2, -1).trim()))
  );
}

/** A counted loop rather than one over a collection: `for (let i = 0; …; i++)`, `for _ in range(n)`. */
function isCountedLoop(loop: Repetition): boolean {
  if (loop.kind !== 'for') return false;
  if (loop.node.kind() === 'for_statement' && loop.collection === undefined) return true;
  return /^x?range\(/.test(loop.collection ?? '');
}

/**
 * `for attempt in range(MAXIMUM_CONSUME_ATTEMPTS)`, `for (let retries = 0; …)`, django-cas-server's
 * `for retry_nb in range(3)`: a retry loop.
 */
const RETRY_COUNTER =
  /^(?:n_?)?(?:attempts?|retry|retries|tries|try)(?:_?(?:count|nb|no|num|number|left|index|idx))?$/i;
/** The bound of a retry loop: `range(HASHDB_RETRIEVE_RETRIES)` (sqlmap), `i < MAX_ATTEMPTS`. */
const RETRY_BOUND = /attempts|retries|tries\b|_RETRY\b|maxRetry/i;

function counterNames(loop: Repetition): string[] {
  const node = loop.node;
  const head = node.field('left') ?? node.field('initializer');
  return head ? identifiersIn(head) : [];
}

const JS_ASSIGNMENT = { rule: { kind: 'assignment_expression' } };
const PY_ASSIGNMENT = { rule: { kind: 'assignment' } };

/** The variables a call sends: identifiers in its arguments, not attribute or keyword names. */
function sentNames(call: SgNode): Set<string> {
  const out = new Set<string>();
  for (const argument of callArguments(call)) {
    const ids =
      argument.kind() === 'identifier' ? [argument] : argument.findAll({ rule: { kind: 'identifier' } });
    for (const id of ids) {
      const parent = id.parent();
      const kind = parent?.kind();
      if (kind === 'attribute' && parent?.field('attribute')?.id() === id.id()) continue;
      if (kind === 'keyword_argument' && parent?.field('name')?.id() === id.id()) continue;
      out.add(id.text());
    }
  }
  return out;
}

/**
 * A request that depends on the previous one's answer, or a retry: a counted loop that, after the
 * call, reassigns what the call sends (following redirects: `nextUrl = new URL(location, nextUrl)`,
 * paging: `url = page.get("next")`), or whose counter counts attempts (Keystone's optimistic
 * locking). The calls cannot be batched or run together: not one per item of a collection.
 */
function followsPrevious(call: SgNode, loop: Repetition, python: boolean): boolean {
  if (!isCountedLoop(loop)) return false;
  const counters = counterNames(loop);
  if (counters.some((name) => RETRY_COUNTER.test(name))) return true;
  const bound = loop.collection ?? loop.node.field('condition')?.text() ?? '';
  if (RETRY_BOUND.test(bound)) return true;
  const sent = sentNames(call);
  for (const name of counters) sent.delete(name);
  if (sent.size === 0) return false;
  const after = call.range().end.index;
  return loop.node.findAll(python ? PY_ASSIGNMENT : JS_ASSIGNMENT).some((assignment) => {
    const target = assignment.field('left');
    return (
      assignment.range().start.index > after && target?.kind() === 'identifier' && sent.has(target.text())
    );
  });
}

/** Whether what a callback returns gets run: the call taking it is awaited or sits in `Promise.all`. */
function callbacksRun(fn: SgNode): boolean {
  const call = callReceiving(fn);
  if (!call) return true;
  if (isAwaited(call)) return true;
  for (let up = call.parent(); up && !FUNCTION_KINDS.has(String(up.kind())); up = up.parent()) {
    if (up.kind() === 'call_expression' && /^Promise\.(?:all|allSettled|any|race)$/.test(calleeText(up)))
      return true;
    if (up.kind() === 'await_expression') return true;
  }
  return false;
}

/** Whether a lazy query's result is run: awaited, `.then`-ed, or handed back from a callback. */
function isRun(call: SgNode): boolean {
  let current = call;
  for (let up = call.parent(); up; current = up, up = up.parent()) {
    const kind = up.kind();
    if (kind === 'await_expression') return true;
    if (
      kind === 'member_expression' &&
      /^(?:then|catch|finally|asCallback)$/.test(up.field('property')?.text() ?? '')
    )
      return true;
    if (kind === 'call_expression' || kind === 'member_expression' || kind === 'parenthesized_expression')
      continue;
    if (kind === 'return_statement') {
      const fn = enclosingFunction(up);
      // Returned from a callback: run only when what collects the callbacks' results awaits them
      // (`Promise.all(items.map((x) => knex.raw(…)))`), not when it keeps the builders
      // (objection's `columns.map((column) => knex.raw('??', column))`).
      return (
        !fn || fn.kind() === 'function_declaration' || fn.kind() === 'method_definition' || callbacksRun(fn)
      );
    }
    return kind === 'arrow_function' && up.field('body')?.id() === current.id() && callbacksRun(up);
  }
  return false;
}

interface PerItemCall {
  callee: string;
  kind: NonNullable<ReturnType<typeof callKind>>;
  loop: Repetition;
  confidence: NonNullable<RawFinding['confidence']>;
}

/** `node` as a call made once per item of its innermost loop, or undefined when it is not one. */
/** Django queryset methods that build a query without running it. */
const LAZY_QUERYSET =
  /\.objects\.(?:filter|exclude|all|order_by|select_related|prefetch_related|annotate|values|values_list|only|defer)$/;

/**
 * Whether the call's result is only collected: the element of a list or generator comprehension,
 * or the argument of an `append`, with nothing chained on it that would run the query.
 */
function collectedUnevaluated(call: SgNode): boolean {
  const parent = call.parent();
  if (!parent) return false;
  if (/^(?:list_comprehension|generator_expression|set_comprehension)$/.test(String(parent.kind())))
    return parent.field('body')?.id() === call.id();
  if (parent.kind() !== 'argument_list') return false;
  const holder = parent.parent();
  return holder?.kind() === 'call' && /\.append$/.test(holder.field('function')?.text() ?? '');
}

function perItemCall(node: SgNode, file: FileInput): PerItemCall | undefined {
  const python = file.language === 'python';
  const callee = calleeText(node);
  const kind = callKind(callee, python, isConvex(file));
  if (!kind) return undefined;
  // A bare `knex(...)` only counts with a table name: `knex('users')`.
  if (/^(?:knex|trx)$/.test(callee) && !/^\(\s*['"`]/.test(node.field('arguments')?.text() ?? ''))
    return undefined;
  // `\`check (${this.client.raw(sql)})\``: a call whose result is written into a string builds a
  // fragment of SQL (knex's raw), it runs nothing.
  if (node.parent()?.kind() === 'template_substitution') return undefined;
  // Django's querysets are lazy: `[Model.objects.filter(**kw) for kw in kwargs_list]`
  // (django-axes) builds querysets per item and runs none, as long as nothing evaluates them here.
  if (python && LAZY_QUERYSET.test(callee) && collectedUnevaluated(node)) return undefined;
  // knex's `raw()` builds a query that runs only when awaited or `.then`-ed: a value built per item
  // (`created_at: this.knex.raw('current_timestamp')`) is a fragment of another query.
  if (!python && /\.raw$/.test(callee) && !isRun(node)) return undefined;
  // lowdb's `db.get('posts').value()` (json-server) reads an in-memory lodash chain; sqlite3's
  // `db.get(sql, cb)` is not chained on.
  if (!python && /(?:^|\.)db\.(?:get|all|run)$/.test(callee)) {
    const property =
      node.parent()?.kind() === 'member_expression' ? node.parent()?.field('property')?.text() : undefined;
    if (property !== undefined && !/^(?:then|catch|finally)$/.test(property)) return undefined;
  }
  const loop = enclosingRepetition(node);
  if (!loop || (kind === 'database' && runsEachStatement(node, loop, python))) return undefined;
  if (followsPrevious(node, loop, python) || overBatches(node, loop, python)) return undefined;
  if (BATCH_EMULATION.test(enclosingFunction(node)?.field('name')?.text() ?? '')) return undefined;
  const confidence = confidenceFor(kind, loop, isAwaited(node), python);
  return confidence ? { callee, kind, loop, confidence } : undefined;
}

const RANK: Record<string, number> = { LOW: 0, MED: 1, HIGH: 2 };

/** An in-memory lookup: `prices.find(…)`, `byId.get(id)`. */
const LOOKUP = /^[\w$.]+\.(?:find|get)\(/;

/**
 * Whether the call runs only for items an in-memory lookup in the loop misses (Ghost's member
 * repository: `const price = prices.find(…); if (!price) { await repo.update(…) }`): a fallback
 * for the odd item, not a round trip per item.
 */
function onLookupMiss(node: SgNode, loop: Repetition): boolean {
  for (let at = node.parent(); at && at.id() !== loop.node.id(); at = at.parent()) {
    if (at.kind() !== 'if_statement') continue;
    const condition = (at.field('condition')?.text() ?? '').replace(/^\(\s*|\s*\)$/g, '');
    const name = /^!\s*([\w$]+)$/.exec(condition)?.[1];
    const consequence = at.field('consequence');
    if (!name || !consequence || !contains(consequence, node)) continue;
    const values = assignedValues(name, at, false);
    if (values.length > 0 && values.every((value) => LOOKUP.test(value.text()) && contains(loop.node, value)))
      return true;
  }
  return false;
}

function matchCall(node: SgNode, file: FileInput): RawFinding | undefined {
  const call = perItemCall(node, file);
  if (!call) return undefined;
  const { loop, kind } = call;
  // The calls of one kind in one loop body are one finding, cited at the first: hyperkitty's tag
  // view gets and creates three rows per tag, which is one loop to rewrite, not three.
  const siblings: { node: SgNode; call: PerItemCall }[] = [];
  for (const other of loop.node.findAll(file.language === 'python' ? PY_RULE : JS_RULE)) {
    const found = other.id() === node.id() ? call : perItemCall(other, file);
    if (found && found.kind === kind && found.loop.node.id() === loop.node.id())
      siblings.push({ node: other, call: found });
  }
  if (siblings.length > 0 && siblings[0]?.node.id() !== node.id()) return undefined;
  const others = siblings.slice(1);
  const best = [call, ...others.map((o) => o.call)].reduce((a, b) =>
    (RANK[b.confidence] ?? 0) > (RANK[a.confidence] ?? 0) ? b : a,
  );
  // A data migration or seed runs once per deploy, not per request: a lead, not a hot path.
  const once = ONE_OFF_PATH.test(file.path);
  // `for tbl in tables:` (Glance's purge): one statement per table of the schema, a short list
  // fixed by the code, not one query per row of data.
  const query = callArguments(node)[0];
  const perTable =
    SCHEMA_COLLECTION.test(loop.collection ?? '') ||
    (query !== undefined &&
      statementTexts(query, file.language === 'python').some((text) => CATALOG_QUERY.test(text)));
  const constant =
    !perTable &&
    (CONSTANT_COLLECTION.test(loop.collection ?? '') || literalCollection(loop, file.language === 'python'));
  const delivery = others.length === 0 && kind === 'HTTP' && sendsItemToFixedUrl(node, call.callee, loop);
  // `for model in apps.get_models(): model.objects.all()` (django-extensions' syncdata): one query
  // per model class, as many as the schema has, not one per row.
  const perModel = !perTable && file.language === 'python' && queriesPerModelClass(call.callee, node, loop);
  // A Django management command runs when an operator starts it, not per request; so does a
  // script in `bin/` or `scripts/`.
  const command = !once && MANAGEMENT_COMMAND_PATH.test(file.path);
  const script = !once && !command && OPERATOR_SCRIPT_PATH.test(file.path);
  const miss = others.length === 0 && file.language !== 'python' && onLookupMiss(node, loop);
  const confidence =
    once || perTable || perModel || constant || delivery || command || script || miss
      ? 'LOW'
      : best.confidence;
  const loopLine = lineOf(loop.node);
  const shown =
    loop.collection && loop.collection.length > 40 ? `${loop.collection.slice(0, 39)}…` : loop.collection;
  const over = shown ? ` over \`${shown}\`` : '';
  const where =
    loop.kind === 'callback'
      ? `the \`.${loop.method}()\` callback${over} on line ${loopLine}${loop.concurrent ? ' (run concurrently by Promise.all, but still one query per item)' : ''}`
      : `the loop${over} on line ${loopLine}`;
  const line = lineOf(node);
  const related = [
    ...(line === loopLine ? [] : [{ file: file.path, startLine: loopLine, endLine: loopLine }]),
    ...others.map((o) => ({ file: file.path, startLine: lineOf(o.node), endLine: lineOf(o.node) })),
  ];
  const what =
    others.length === 0
      ? `\`${call.callee}()\` makes one ${kind} round trip`
      : `\`${call.callee}()\` and ${others.length} more call${others.length === 1 ? '' : 's'} (line${others.length === 1 ? '' : 's'} ${others.map((o) => lineOf(o.node)).join(', ')}) make ${others.length + 1} round trips`;
  const convexRun =
    isConvex(file) && CONVEX_RUN.test(call.callee)
      ? ' In Convex each `runQuery`/`runMutation` from an action is its own transaction: pass the whole list to one internal query or mutation that loops over `ctx.db` inside it.'
      : '';
  return findingAt(file, node, {
    endLine: line,
    confidence,
    related,
    message: `${what} per iteration of ${where}. The cost grows with the collection: 1,000 items means ${((others.length + 1) * 1000).toLocaleString('en-US')} ${kind === 'database' ? 'queries' : 'requests'} and their latency added together.${once ? ' This file is a migration or seed, which runs once: it matters only if the table is large enough to make the deploy slow.' : perTable ? ' The loop goes over the schema (tables, columns, indexes, the catalog) or a list of statements, which the code fixes: it matters only if there are many.' : perModel ? ' The loop goes over model classes or their fields, and each query is of one model: as many queries as the schema has models, not as the tables have rows.' : command ? ' This is a management command, run by an operator rather than per request: it matters only if the collection is large enough to make the command slow.' : script ? ' This is a script someone runs by hand (it is in a `bin/` or `scripts/` folder), not code that serves requests: it matters only if the collection is large enough to make the script slow.' : constant ? ' The loop goes over a constant of the code, as long as it is written there: it matters only if that list is long.' : delivery ? ' Each item is sent to the same address (a webhook, a subscriber callback), where one request per item is often the contract: batch only if the receiver accepts a batch, or send them concurrently.' : miss ? ' It runs only for the items a lookup in memory just before it misses: it matters only if many do.' : ''}${convexRun}`,
  });
}

/**
 * Whether a Django query is of the model the loop is at, not of a row: the loop variable is a
 * model class or a field (`model.objects.all()`, `field.model.objects.filter(…)`), or a local
 * taken from one (`related_model = getattr(field.remote_field, 'related_model', …)`).
 */
function queriesPerModelClass(callee: string, node: SgNode, loop: Repetition): boolean {
  const root = /^([A-Za-z_]\w*)(?:\.\w+)*\.objects\.\w+$/.exec(callee)?.[1];
  if (!root) return false;
  const names = loopVariables(loop);
  if (names.includes(root)) return true;
  const mentionsLoop = (text: string) => names.some((name) => new RegExp(`\\b${name}\\b`).test(text));
  const values = assignedValues(root, node, true);
  return (
    values.length > 0 && values.every((value) => /\bmodel\b/.test(value.text()) && mentionsLoop(value.text()))
  );
}

/** The names a loop binds for each item: `for msg in messages`, `for (const [k, v] of m)`, `(item) => …`. */
function loopVariables(loop: Repetition): string[] {
  const node = loop.node;
  const bound =
    loop.kind === 'callback'
      ? (node.field('parameters') ?? node.field('parameter'))?.text()
      : (node.field('left') ?? node.field('pattern'))?.text();
  return (
    (bound ?? '').match(/[A-Za-z_$][\w$]*/g)?.filter((name) => !/^(?:const|let|var|await)$/.test(name)) ?? []
  );
}

/**
 * Whether an HTTP call sends each item to one address (Zaqar's webhook delivery: `for msg in
 * messages: requests.post(subscription['subscriber'], data=…)`): a POST, PUT or PATCH whose URL
 * does not change with the item.
 */
function sendsItemToFixedUrl(node: SgNode, callee: string, loop: Repetition): boolean {
  if (!/(?:^|\.)(?:post|put|patch)$/i.test(callee)) return false;
  const url = callArguments(node)[0];
  if (!url || url.kind() === 'keyword_argument') return false;
  const names = loopVariables(loop);
  return (
    names.length > 0 &&
    !names.some((name) => new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`).test(url.text()))
  );
}

/** Any callee `callKind` can accept, so that only such calls reach `matchCall`. */
function calleeRegex(patterns: readonly RegExp[]): string {
  return patterns.map((re) => `(?:${re.source})`).join('|');
}

const JS_RULE: NapiConfig = {
  rule: {
    kind: 'call_expression',
    has: { field: 'function', regex: calleeRegex([...JS_DB, JS_HTTP, CONVEX_RUN]) },
  },
};
const PY_RULE: NapiConfig = {
  rule: { kind: 'call', has: { field: 'function', regex: calleeRegex([...PY_DB, PY_HTTP]) } },
};

/** A database or HTTP call made once per item of a loop (the N+1 pattern). */
export const nPlusOne: FileDetector = {
  id: 'performance/n-plus-one',
  category: 'performance',
  scope: 'file',
  // The names every database and HTTP callee above contains; in JS, also what confidenceFor needs
  // to report anything: an `await`, or a per-item callback.
  requires: {
    ...jsGate([
      /\b(?:prisma|db|tx|trx|database|pool|client|conn|connection|knex|sequelize|pg|mysql|fetch|axios|got|ky|superagent|httpClient|apiClient|http|runQuery|runMutation)\b|[rR]epo(?:sitory)?\s*\.|[mM]anager\s*\.|\b[A-Z][a-z]\w*\s*\.\s*(?:find|updateOne|updateMany|countDocuments)/,
      /\bawait\b|\.\s*(?:map|forEach|flatMap)\b/,
    ]),
    python: /\.objects\.|\b_?(?:session|db|cursor|cur|curs|conn|connection|con|cnx|requests|httpx)\b/,
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Query or request inside a loop (N+1)',
  description:
    'A database query or HTTP request runs once per item of a collection. Latency adds up linearly with the data: fine with 10 rows in development, seconds or timeouts with thousands in production, plus load on the database or the remote API.',
  impact: 'MED',
  effort: 'M',
  risk: 'MED',
  riskReason:
    'Batching changes the query shape (IN lists, joins) and the order or grouping of results; code that relied on per-item errors or ordering must be adapted.',
  confidence: 'HIGH',
  fixSketch:
    'Fetch everything in one batched call before the loop (`findMany({ where: { id: { in: ids } } })`, `WHERE id = ANY($1)`, `Model.objects.filter(id__in=ids)`, `select_related`/`prefetch_related`, a bulk API endpoint), index the result in a Map/dict by key, and look items up inside the loop.',
  steps: [
    'Open the cited call and the loop around it; list the keys the loop passes to the call on each iteration (usually an id from the current item).',
    'Before the loop, collect those keys (`const ids = items.map((i) => i.userId)`) and make one batched call that fetches all of them (an `IN`/`ANY` query, `findMany` with `in`, Django `filter(id__in=...)` or `select_related`, or the API’s bulk endpoint). If the client offers no call that fetches many keys at once (a key-value store with only `get(key)`), STOP and report which client it is: do not write a batch call it lacks.',
    'Build a Map/dict from key to result, and replace the call inside the loop with a lookup in that map, handling a missing key the same way the old code handled "not found".',
    'Run the existing tests; add one with several items that asserts the results are unchanged (and, if the test setup allows, that the query/request count is now 1).',
  ],
  python: {
    fixSketch:
      'Fetch everything in one query before the loop (Django `Model.objects.filter(id__in=ids)`, or `select_related`/`prefetch_related` on the queryset the loop goes over; SQLAlchemy `select(Model).where(Model.id.in_(ids))`; a DB-API query with one placeholder per id; a bulk API endpoint), index the rows in a dict by key, and look items up inside the loop. A loop that writes one row per item becomes one `executemany`, `bulk_create` or `bulk_update` call.',
    steps: [
      'Open the cited call and the loop around it; list the keys the loop passes to the call on each iteration (usually an id from the current item).',
      'Before the loop, collect those keys (`ids = [item.user_id for item in items]`) and make one call that fetches all of them: Django `filter(id__in=ids)` (or `select_related`/`prefetch_related` on the queryset the loop goes over), SQLAlchemy `.where(Model.id.in_(ids))`, a DB-API query with one placeholder per key (`"… WHERE id IN ({})".format(", ".join("?" * len(ids)))` for sqlite3, `WHERE id = ANY(%s)` with the list as one parameter for psycopg), or the API’s bulk endpoint. A loop that writes one row per item becomes one `executemany`, `bulk_create` or `bulk_update` call instead. If the client offers no call that fetches or writes many keys at once (a key-value store with only `get(key)`), STOP and report which client it is: do not write a batch call it lacks.',
      'Build a dict from key to result (`rows_by_id = {row[0]: row for row in rows}`), and replace the call inside the loop with a lookup in it (`rows_by_id.get(key)`), handling a missing key the same way the old code handled "not found" (`DoesNotExist`, `None` from `fetchone()`).',
      'Run the existing tests; add one with several items that asserts the results are unchanged (and, if the test setup allows, that the query/request count is now 1).',
    ],
  },
  rule: { typescript: JS_RULE, tsx: JS_RULE, javascript: JS_RULE, python: PY_RULE },
  match: matchCall,
};
