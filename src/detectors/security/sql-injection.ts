import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { escapeRegExp } from '../../core/regex-literal.ts';
import { jsMethodCall } from '../call-rules.ts';
import {
  callArguments,
  calleeText,
  enclosingFunction,
  unparenthesized,
} from '../correctness/enclosing-function.ts';
import { MANAGEMENT_COMMAND_PATH } from '../one-off-code.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { codeText, describeSource, sinkFinding, worstPart } from './sink-finding.ts';
import {
  assignedValues,
  builtString,
  isNumberGuarded,
  isPython,
  literalText,
  PERCENT_PLACEHOLDER,
  unwrap,
  valueSource,
} from './value-source.ts';

const SQL =
  /\bselect\b[\s\S]*\bfrom\b|\binsert\s+into\b|\bupdate\b[\s\S]*\bset\b|\bdelete\s+from\b|\bwhere\b|\border\s+by\b|\bvalues\s*\(|\b(?:create|drop|alter|truncate)\s+table\b/i;
/**
 * Variables named as SQL (`tablesCondition`, `whereClause`, `subQuery`, `joinSql`): a query composed
 * from fragments built elsewhere in the program, where any injection would have to be found.
 */
const SQL_FRAGMENT_NAME = /(?:sql|query|condition|clause|where|fragment|statement)s?$/i;
/** Names of the values a SQL fragment comes with, to bind to its placeholders. */
const BINDINGS_NAME = /^(?:bindings|params|parameters|values|args|replacements)$/;

/**
 * `const { template, bindings } = buildPostgresJsonPath(path)` (Directus's JSON filters): a
 * fragment returned together with the values for its placeholders, built by a helper elsewhere.
 */
function destructuredWithBindings(part: SgNode): boolean {
  const scope = enclosingFunction(part) ?? part.getRoot().root();
  const name = part.text();
  return scope
    .findAll({ rule: { kind: 'object_pattern', inside: { kind: 'variable_declarator', field: 'name' } } })
    .some((pattern) => {
      const names = pattern
        .children()
        .filter((child) => child.kind() === 'shorthand_property_identifier_pattern')
        .map((child) => child.text());
      return names.includes(name) && names.some((other) => BINDINGS_NAME.test(other));
    });
}

/**
 * Whether a part of the SQL is made only of SQL-named fragments and constants: `tablesCondition`,
 * `viewsCondition ? `AND (${viewsCondition})` : ""`.
 */
function composesFragments(part: SgNode, python: boolean): boolean {
  const kind = part.kind();
  if (kind === 'parenthesized_expression') {
    const inner = unparenthesized(part);
    return inner !== undefined && composesFragments(inner, python);
  }
  if (kind === 'identifier' && SQL_FRAGMENT_NAME.test(part.text())) return true;
  if (!python && kind === 'identifier' && destructuredWithBindings(part)) return true;
  // `sql.replace(/;\s*$/, '') + ', algorithm=copy'` (Ghost, on knex's generated DDL): trimming or
  // editing a fragment leaves it a fragment.
  const callee = kind === (python ? 'call' : 'call_expression') ? part.field('function') : null;
  if (callee && /^(?:member_expression|attribute)$/.test(String(callee.kind()))) {
    const method = callee.field(python ? 'attribute' : 'property')?.text() ?? '';
    const receiver = callee.field('object');
    if (receiver && TEXT_EDIT.test(method)) return composesFragments(receiver, python);
    // `" AND ".join(conditions)` (jupyter_server's session look-up), `clauses.join(' OR ')`:
    // conditions joined into one, each built elsewhere; or a list named as SQL joined.
    if (receiver && method === 'join') {
      const [list] = callArguments(part);
      const separator = python ? receiver : list;
      const items = python ? list : receiver;
      if (separator && /^(?:string|template_string)$/.test(String(separator.kind()))) {
        if (LOGICAL_SEPARATOR.test(literalText(separator, python))) return true;
        if (items?.kind() === 'identifier') return composesFragments(items, python);
      }
    }
  }
  if (kind === 'ternary_expression' || kind === 'conditional_expression') {
    const branches = python
      ? part.children().filter((c, i) => c.isNamed() && i !== 2)
      : [part.field('consequence'), part.field('alternative')];
    return branches.every((branch) => branch !== null && composesFragments(branch, python));
  }
  const built = builtString(part, python);
  if (built && built.dynamic.length > 0) return built.dynamic.every((d) => composesFragments(d, python));
  return valueSource(part, python) === 'constant';
}

/**
 * Whether a part is a list joined into the query whose items are all built from names the
 * function checks against an allow-list first: jupyter_server's
 * `for column in kwargs: if column not in self._columns: raise TypeError(…)`, then
 * `sets.append(f"{column}=?")` and `", ".join(sets)`.
 */
function joinsAllowListedNames(part: SgNode, python: boolean): boolean {
  const joined = unparenthesized(part);
  const callee = joined?.kind() === (python ? 'call' : 'call_expression') ? joined.field('function') : null;
  if (!joined || !callee || callee.field(python ? 'attribute' : 'property')?.text() !== 'join') return false;
  const list = python ? callArguments(joined)[0] : callee.field('object');
  const fn = enclosingFunction(joined);
  if (list?.kind() !== 'identifier' || !fn) return false;
  const name = escapeRegExp(list.text());
  const adds = fn
    .findAll({ rule: { kind: python ? 'call' : 'call_expression', regex: `^${name}\\.(?:append|push)\\(` } })
    .map((call) => callArguments(call)[0]);
  if (adds.length === 0) return false;
  const text = fn.text();
  const guarded = (value: string) =>
    new RegExp(
      python
        ? `\\bif\\s+${value}\\s+not\\s+in\\s+[\\w.]+\\s*:\\s*(?:#.*)?\\n\\s*(?:raise|continue|return)\\b`
        : `\\bif\\s*\\(\\s*!\\s*[\\w.]+\\.(?:includes|has)\\(\\s*${value}\\s*\\)\\s*\\)\\s*\\{?\\s*(?:throw|continue|return)\\b`,
    ).test(text);
  return adds.every((item) => {
    if (!item) return false;
    const built = builtString(item, python);
    if (!built) return valueSource(item, python) === 'constant';
    return built.dynamic.every((d) => d.kind() === 'identifier' && guarded(escapeRegExp(d.text())));
  });
}

/** `" AND "`, `' OR '`: what it joins are conditions. */
const LOGICAL_SEPARATOR = /^\s*\)?\s*(?:AND|OR)\s*\(?\s*$/i;

/** Methods that edit text without bringing in any: what they return is still the fragment. */
const TEXT_EDIT =
  /^(?:replace|replaceAll|trim|trimEnd|trimStart|strip|rstrip|lstrip|toString|slice|substring)$/;

/**
 * A keyword that a table or column name follows (`ALTER TABLE `, `INSERT INTO "`, `FROM `, with a
 * schema before the name: `INSERT INTO temp.`, or SQLite's `IN temp.` table), a selected column
 * list (`SELECT `), the column list of an insert (`INSERT INTO t (`), or the next table of a
 * `FROM a, b` list.
 */
const NAME_KEYWORD =
  /(?:\b(?:table|into|from|join|update|column|index|view|schema|database|exists|references|truncate|select(?:\s+distinct)?)(?:\s*[\w"`[\]]+\.)?|\bin\s+[\w"`[\]]+\.|\binto\s+\S+\s*\(|\bfrom\s+(?:[^\s,;()]+\s*,\s*)+)\s*["[]?$/i;
/** Template, f-string and concatenation syntax around an interpolated value. */
const OPEN_SYNTAX = /(?:\$\{|\{|['"`]\s*\+)\s*$/;
const CLOSE_SYNTAX = /^\s*(?:\}|\+\s*['"`])/;

/**
 * Whether `part` stands where SQL expects a table or column name (`ALTER TABLE \`${table}\``,
 * `FROM ${table} WHERE`, `${alias}.id`): bound parameters cannot carry names, so this is how migrations and
 * query builders write them, and an injection needs the name itself to come from outside.
 */
function inNamePosition(part: SgNode, file: FileInput): boolean {
  const range = part.range();
  const before = file.text.slice(Math.max(0, range.start.index - 40), range.start.index);
  const after = file.text.slice(range.end.index, range.end.index + 20);
  const open = OPEN_SYNTAX.exec(before);
  const close = CLOSE_SYNTAX.exec(after);
  if (!open || !close) return false;
  // Inside a JS template literal a backtick in the SQL is escaped; a bare one delimits the template.
  const template = open[0].startsWith('${');
  const quote = template ? '\\`' : '`';
  const literalBefore = before.slice(0, open.index);
  const literalAfter = after.slice(close[0].length);
  if (literalBefore.endsWith(quote)) return literalAfter.startsWith(quote);
  // `"{fts_table}" MATCH ?` (calibre): an identifier in standard SQL's double quotes, where no
  // comparison or list before it makes it a value (MySQL reads "…" as a string by default).
  const dquoted = /\\?"$/.exec(literalBefore);
  if (dquoted && /^\\?"/.test(literalAfter))
    return !/(?:[=<>!,(]|\b(?:like|is|then|else|values|and|or|not)\s*)\s*$/i.test(
      literalBefore.slice(0, dquoted.index),
    );
  // `${alias}.port = ?` (Ghost's joins), `"${schema}".users`: a name qualifying a column or table;
  // in a quoted value (`'${name}.csv'`) it would be text.
  if (/^(?:"|\]|\\?`)?\.[A-Za-z_]\w*/.test(literalAfter) && !literalBefore.endsWith("'")) return true;
  if (template && literalBefore.endsWith('`')) return false;
  // After the name: a quote or bracket closing it, punctuation, or the end of the literal itself
  // (`f'… IN temp.{name}'`, a template ending in the name).
  return NAME_KEYWORD.test(literalBefore) && /^(?:["\]'`]|[\s.,;()]|$)/.test(literalAfter);
}

/** A name for a comparison operator: `op`, `filter.operator`, `comparator`. */
const OPERATOR_NAME = /(?:^|\.)(?:op|operator|comparator|cmp)$/i;

/**
 * Whether `part`, named as an operator, is interpolated right before a bound value's placeholder
 * (`${options.reportCount.op} ?`, `{op} %s`, `${cmp} $1`): the one slot of a comparison that no
 * driver binds.
 */
function inOperatorPosition(part: SgNode, file: FileInput): boolean {
  if (!OPERATOR_NAME.test(part.text())) return false;
  const after = file.text.slice(part.range().end.index, part.range().end.index + 12);
  return /^\s*\}?\s+(?:\?|\$\d+|%s|:[A-Za-z_]\w*)/.test(after);
}

/** A `str.format` field (`{}`, `{0}`, `{name}`, with a conversion or spec); `{{` is a literal brace. */
const FORMAT_FIELD = /\{\{|\{(\d*|[A-Za-z_]\w*)(?:![rsa])?(?::[^{}]*)?\}/g;
/**
 * Where the value `part` goes in a Python `'…'.format(…)` or `'…' % (…)`: the format string and
 * the offsets of every placeholder that takes it; undefined when `part` is not such a value.
 */
function formatSlots(part: SgNode): { body: string; slots: [number, number][] } | undefined {
  let value = part;
  let key: string | number | undefined;
  let holder = part.parent();
  if (holder?.kind() === 'keyword_argument' || holder?.kind() === 'pair') {
    const name = holder.kind() === 'pair' ? holder.field('key') : holder.field('name');
    key = holder.kind() === 'pair' ? (name ? literalText(name, true) : undefined) : name?.text();
    if (key === undefined) return undefined;
    value = holder;
    holder = holder.parent();
  }
  const positional = (container: SgNode) =>
    container
      .children()
      .filter((child) => child.isNamed() && child.kind() !== 'comment')
      .findIndex((child) => child.id() === value.id());
  let format: SgNode | null | undefined;
  let percent = false;
  if (holder?.kind() === 'argument_list') {
    const call = holder.parent();
    const fn = call?.kind() === 'call' ? call.field('function') : undefined;
    if (fn?.kind() !== 'attribute' || fn.field('attribute')?.text() !== 'format') return undefined;
    format = fn.field('object');
    key ??= positional(holder);
  } else {
    const operator = holder?.kind() === 'binary_operator' ? holder : holder?.parent();
    if (operator?.kind() !== 'binary_operator' || !operator.children().some((c) => c.text() === '%'))
      return undefined;
    percent = true;
    format = operator.field('left');
    if (key === undefined) key = holder?.kind() === 'binary_operator' ? 0 : holder ? positional(holder) : -1;
  }
  // `'UPDATE %s_stat SET put_timestamp = ?' ' WHERE put_timestamp < ?' % self.db_type` (Swift):
  // adjacent literals are one string.
  if (format?.kind() !== 'string' && format?.kind() !== 'concatenated_string') return undefined;
  const body = literalText(format, true);
  const slots: [number, number][] = [];
  let auto = 0;
  for (const match of body.matchAll(percent ? PERCENT_PLACEHOLDER : FORMAT_FIELD)) {
    if (match[0] === '{{' || (percent && match[4] === '%')) continue;
    if (percent && (match[2] === '*' || match[3] === '*')) return undefined;
    const field = percent
      ? (match[1] ?? auto++)
      : match[1] === ''
        ? auto++
        : /^\d+$/.test(match[1] ?? '')
          ? Number(match[1])
          : match[1];
    if (field === key) slots.push([match.index, match.index + match[0].length]);
  }
  return slots.length > 0 ? { body, slots } : undefined;
}

/**
 * Whether every placeholder that takes `part` in a Python format string stands where SQL expects a
 * name: inside a quoted identifier (`max("{1}")`, `'"{0}_{1}_seq"'` in mailman's sequence reset) or
 * after a keyword that a name follows (`FROM {0}`).
 */
function inFormatNamePosition(part: SgNode): boolean {
  const found = formatSlots(part);
  if (!found) return false;
  return found.slots.every(([start, end]) => {
    const before = found.body.slice(Math.max(0, start - 40), start);
    const after = found.body.slice(end, end + 20);
    const quoted =
      (/"[\w{}%().]*$/.test(before) && /^[\w{}%().]*"/.test(after)) ||
      (/`[\w{}%().]*$/.test(before) && /^[\w{}%().]*`/.test(after)) ||
      (/\[[\w{}%().]*$/.test(before) && /^[\w{}%().]*\]/.test(after));
    // `SELECT {1}.id, {2}.id`: a name qualifying a column, as in `inNamePosition`.
    const qualifies = /^\.[A-Za-z_]\w*/.test(after) && !before.endsWith("'");
    // `UPDATE %s_stat SET` (Swift's brokers, one table per kind of database), `FROM app_%s`: the
    // value is part of a name, with letters of it on either side.
    const named = NAME_KEYWORD.test(before.replace(/\w+$/, '')) && /^\w*(?:["\]]|[\s.,;()]|$)/.test(after);
    return quoted || qualifies || named;
  });
}

/**
 * A schema statement (`CREATE TABLE`, `ALTER TABLE … ADD`, `DROP INDEX`). No driver takes a bound
 * parameter in one, so what it interpolates is the program's schema (names, column types,
 * defaults), written the only way it can be: an injection needs that schema to come from outside.
 */
const SCHEMA_STATEMENT = /^\s*(?:create|alter|drop|truncate|rename|comment\s+on)\b/i;

/**
 * A statement that names a file (`LOAD DATA LOCAL INFILE '…'`, `COPY t FROM '…'`, `ATTACH DATABASE
 * '…'`): the path is part of the statement, never a bound parameter, so seeders and importers
 * interpolate the file they just wrote (Ghost's table importer).
 */
const FILE_STATEMENT =
  /^\s*(?:load\s+(?:data|xml)\b|copy\b[^;]*?\b(?:from|to)\s+'|attach\s+(?:database\s+)?')/i;

/** A file that defines a command-line program: a command class, or a CLI argument parser. */
const CLI_FILE =
  /\bextends\s+(?:[\w$]+\.)?(?:Base)?Command\b|(?:require\(|from\s+)['"](?:yargs|commander|@oclif\/core|meow|cac|sade)['"]|\bimport\s+(?:argparse|click)\b|\bfrom\s+django\.core\.management\b/;
/** The parameter that holds the parsed command line, and the method of a command class given it. */
const CLI_PARAMETER = /^(?:argv|args|options|opts|flags)$/;
const CLI_METHOD = /^(?:handle|run|execute|action|command|main|cli)$/i;

/**
 * Whether a value is what the person running a command-line program passed it: `process.argv`,
 * `sys.argv`, or an option of the parsed arguments a command class's `handle(argv)` receives
 * (Ghost's `timetravel` command shifting dates by `argv.offset` days), followed through local
 * assignments. That person can run SQL against the database anyway.
 */
function fromCommandLine(part: SgNode, python: boolean, file: FileInput, depth = 0): boolean {
  const expr = unwrap(part);
  const text = expr.text();
  if (python ? /^sys\.argv\b/.test(text) : /^process\.argv\b/.test(text)) return true;
  if (!CLI_FILE.test(file.text)) return false;
  const base = /^([\w$]+)(?:\s*(?:\.|\[)|$)/.exec(text)?.[1];
  if (base && CLI_PARAMETER.test(base)) {
    const fn = enclosingFunction(expr);
    const parameters = fn?.field('parameters')?.text() ?? '';
    if (CLI_METHOD.test(fn?.field('name')?.text() ?? '') && new RegExp(`\\b${base}\\b`).test(parameters))
      return true;
  }
  if (expr.kind() !== 'identifier' || depth > 2) return false;
  const values = assignedValues(text, expr, python);
  return (
    values.length > 0 &&
    values.every(
      (value) => valueSource(value, python) === 'constant' || fromCommandLine(value, python, file, depth + 1),
    )
  );
}

/**
 * A Django management command (`management/commands/drop_test_database.py`): it runs when an
 * operator starts it, with values from its options and the settings, never from a request.
 */
function djangoCommand(file: FileInput): boolean {
  return MANAGEMENT_COMMAND_PATH.test(file.path) && /\bBaseCommand\b/.test(file.text);
}

/**
 * Sinks whose argument is a SQL fragment, so it need not look like a whole statement: knex's
 * `raw`, postgres.js's `unsafe`, SQLAlchemy's `text()` (sqlalchemy-utils' `sa.text("'{0}'".format(value))`).
 */
const FRAGMENT_SINK = /(?:raw|unsafe)$/i;
const SQLALCHEMY_TEXT = /^(?:sqlalchemy|sa|db)\.text$/;
const TEXT_IMPORT = /^\s*from\s+sqlalchemy(?:\.sql)?(?:\.expression)?\s+import\s+[^\n]*\btext\b/m;

/**
 * What says a file works with SQL at all: a SQL library or query builder by name, the word SQL, a
 * statement keyword, or a query builder's own methods. `irc.raw(\`WHOIS ${nick}\`)` (The Lounge)
 * sends a raw IRC line; `raw` is only a SQL fragment where SQL is spoken.
 */
const SQL_CONTEXT =
  /\b(?:knex|Knex|sequelize|Sequelize|objection|bookshelf|kysely|Kysely|postgres|mysql2?|sqlite3?|pg|prisma|typeorm|drizzle|sql|SQL|Sql)\b|\b(?:SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|WHERE)\b|\.(?:whereRaw|orWhereRaw|havingRaw|orderByRaw|joinRaw|whereIn|leftJoin|innerJoin|orderBy|groupBy|returning)\(/;

/** Words only SQL fragments hold (`LIMIT ${n}`, `CURRENT_TIMESTAMP(${p})`, `LOAD DATA … INFILE`), in capitals. */
const SQL_FRAGMENT_WORD =
  /\b(?:LIMIT|OFFSET|CURRENT_(?:TIMESTAMP|DATE|TIME)|COALESCE|INTERVAL|NULL|IS\s+NOT|LOAD\s+DATA|INFILE|DISTINCT|ASC|DESC|COUNT\(|CAST\()/;

/**
 * Whether the call takes a SQL fragment (see FRAGMENT_SINK) that `literal`, its written-out text,
 * belongs to; a bare `text()` only when imported from SQLAlchemy.
 */
function takesFragment(callee: string, file: FileInput, literal: string): boolean {
  if (SQLALCHEMY_TEXT.test(callee)) return true;
  if (FRAGMENT_SINK.test(callee))
    return SQL_FRAGMENT_WORD.test(literal) || SQL.test(literal) || SQL_CONTEXT.test(file.text);
  return callee === 'text' && TEXT_IMPORT.test(file.text);
}

function matchSink(node: SgNode, file: FileInput): RawFinding | undefined {
  const python = isPython(file.language);
  const [first] = callArguments(node);
  if (!first || first.kind() === 'keyword_argument') return undefined;
  const built = builtString(first, python);
  if (!built) return undefined;
  const callee = calleeText(node);
  if (!takesFragment(callee, file, built.literal) && !SQL.test(built.literal)) return undefined;
  // A value the code just tested to be a number cannot change the query's syntax.
  const dynamic = built.dynamic.filter((d) => !isNumberGuarded(d, python));
  const { source, part } = worstPart(dynamic, python);
  if (source === 'constant' || !part) return undefined;
  const risky = dynamic.filter((d) => valueSource(d, python) !== 'constant');
  if (
    source === 'unknown' &&
    // Constant parts (a column list passed to `.format`) may stand anywhere.
    risky.every((d) => inNamePosition(d, file) || (python && inFormatNamePosition(d)))
  ) {
    const finding = sinkFinding(
      file,
      node,
      part,
      source,
      `The SQL passed to \`${codeText(node.field('function') ?? node, 40)}()\` interpolates \`${codeText(part)}\` as a table or column name, which bound parameters cannot carry. This is only a lead: it is an injection only if that name can come from outside the program; check where it is set, and map outside input through an allow-list of known names.`,
    );
    finding.confidence = 'LOW';
    return finding;
  }
  if (source === 'unknown' && risky.every((d) => inOperatorPosition(d, file))) {
    // Ghost's comment filter: `qb.whereRaw(`${subquery} ${options.reportCount.op} ?`, [value])`.
    const finding = sinkFinding(
      file,
      node,
      part,
      source,
      `The SQL passed to \`${codeText(node.field('function') ?? node, 40)}()\` interpolates \`${codeText(part)}\` as the comparison operator before a bound value, which a bound parameter cannot carry. This is only a lead: it is an injection only if that operator can come from outside the program; check that it is one of a fixed set (\`=\`, \`<\`, \`>=\`…).`,
    );
    finding.confidence = 'LOW';
    return finding;
  }
  if (risky.every((d) => joinsAllowListedNames(d, python))) {
    const finding = sinkFinding(
      file,
      node,
      part,
      source,
      `The SQL passed to \`${codeText(node.field('function') ?? node, 40)}()\` joins in \`${codeText(part)}\`, whose items are built from names the function first checks against an allow-list. This is only a lead: keep that check next to the query if the code moves.`,
    );
    finding.confidence = 'LOW';
    finding.impact = 'LOW';
    return finding;
  }
  if (source === 'unknown' && SCHEMA_STATEMENT.test(built.literal)) {
    // knex's own `alter table ${tableName} ${alterColumnPrefix} ${columnName} ${columnType} …`.
    const finding = sinkFinding(
      file,
      node,
      part,
      source,
      `The schema statement passed to \`${codeText(node.field('function') ?? node, 40)}()\` interpolates \`${codeText(part)}\`. Schema statements cannot take bound parameters, so migrations and query builders write them this way. This is only a lead: it is an injection only if that value can come from outside the program; check where it is set, quote names with the driver's identifier escaping, and map outside input through an allow-list.`,
    );
    finding.confidence = 'LOW';
    return finding;
  }
  if (source === 'unknown' && FILE_STATEMENT.test(built.literal)) {
    const finding = sinkFinding(
      file,
      node,
      part,
      source,
      `The file statement passed to \`${codeText(node.field('function') ?? node, 40)}()\` interpolates \`${codeText(part)}\`. A statement that reads or writes a file (LOAD DATA, COPY, ATTACH) cannot take its path or options as bound parameters. This is only a lead: it is an injection only if that value can come from outside the program; check where it is set, and never let outside input choose the file.`,
    );
    finding.confidence = 'LOW';
    return finding;
  }
  if (
    source === 'unknown' &&
    (djangoCommand(file) ||
      dynamic.every((d) => valueSource(d, python) === 'constant' || fromCommandLine(d, python, file)))
  ) {
    const finding = sinkFinding(
      file,
      node,
      part,
      source,
      `The SQL passed to \`${codeText(node.field('function') ?? node, 40)}()\` interpolates \`${codeText(part)}\`, which the person running this command passes on its command line. That person can usually run SQL anyway, so this is only a lead: it matters if a script or a service builds that command line from input it received; bind the value as a parameter all the same.`,
    );
    finding.confidence = 'LOW';
    return finding;
  }
  const composed = source === 'unknown' && dynamic.every((d) => composesFragments(d, python));
  if (composed) {
    const finding = sinkFinding(
      file,
      node,
      part,
      source,
      `The SQL passed to \`${codeText(node.field('function') ?? node, 40)}()\` is composed from \`${codeText(part)}\`, a SQL fragment built elsewhere. This is only a lead: check how that fragment is built, since an injection would be there.`,
    );
    finding.confidence = 'LOW';
    return finding;
  }
  return sinkFinding(
    file,
    node,
    part,
    source,
    `The SQL passed to \`${codeText(node.field('function') ?? node, 40)}()\` is built by string interpolation from ${describeSource(source, part)}. Whoever controls that value can change the query: read or delete other rows, or bypass a login check.`,
  );
}

const JS_RULE: NapiConfig = {
  rule: jsMethodCall(
    '^(query|execute|raw|\\$queryRawUnsafe|\\$executeRawUnsafe|whereRaw|havingRaw|orderByRaw|joinRaw|unsafe)$',
  ),
};

const PYTHON_RULE: NapiConfig = {
  rule: {
    kind: 'call',
    has: {
      field: 'function',
      any: [
        {
          kind: 'attribute',
          has: { field: 'attribute', regex: '^(execute|executemany|executescript|raw|exec_driver_sql)$' },
        },
        // SQLAlchemy's `text()`, as imported or through its usual aliases (`import sqlalchemy as
        // sa`, Flask-SQLAlchemy's `db.text`): sqlalchemy-utils' json_sql builds `sa.text(…)`.
        { regex: '^((sqlalchemy|sa|db)\\.)?text$' },
      ],
    },
  },
};

/** SQL text built by interpolation or concatenation and passed to a query call. */
export const sqlInjection: FileDetector = {
  id: 'security/sql-injection',
  category: 'security',
  scope: 'file',
  // The rule's callees: a method named like a query call (`db.query(`, `knex.raw(`).
  requires: {
    ...jsGate(
      /\.\s*(?:query|execute|raw|\$queryRawUnsafe|\$executeRawUnsafe|whereRaw|havingRaw|orderByRaw|joinRaw|unsafe)\b/,
    ),
    python: /execute|raw|exec_driver_sql|\btext\b/,
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'SQL built from interpolated values (SQL injection)',
  description:
    'A query string is assembled with string interpolation or concatenation and sent to the database. When any interpolated value comes from a request, an attacker can rewrite the query: read other users’ rows, change or delete data, or bypass authentication.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Switching to bound parameters keeps the query text and results identical for legitimate input; only the way values travel to the driver changes.',
  confidence: 'HIGH',
  fixSketch:
    'Use the driver’s placeholders and pass values separately (`db.query("… WHERE id = $1", [id])`, `cursor.execute("… WHERE id = %s", (id,))`). For identifiers such as a sort column, map the input through an allow-list of known names instead of interpolating it.',
  steps: [
    'Open the cited file at the cited line and find the query string and every value interpolated into it (follow local variables back to where they are assigned).',
    'Rewrite the query with the placeholder syntax this file already uses elsewhere (in JavaScript `$1` for pg, `?` for mysql and sqlite; in Python `?` for sqlite3, `%s` for psycopg and MySQLdb, `:name` for SQLAlchemy `text()`) and pass the values as the separate parameters argument of the same call.',
    'If a value is a column or table name or a sort direction, replace it with a lookup in a constant allow-list (in Python `SORTABLE = {"name": "name", "created": "created_at"}`, in JavaScript `const SORTABLE = { name: "name", created: "created_at" }`) and reject anything else.',
    "Add a test that calls the code path with a value containing a quote and SQL (e.g. `1 OR 1=1` or `x'; DROP TABLE users; --`) and asserts that it is treated as data (no extra rows, no error from malformed SQL).",
  ],
  python: {
    fixSketch:
      'Use the driver’s placeholders and pass the values separately: `cursor.execute("… WHERE name = ?", (name,))` for sqlite3, `%s` for psycopg, MySQLdb and Django’s `cursor.execute`, `text("… WHERE name = :name")` with a dict for SQLAlchemy. For identifiers such as a sort column, map the input through an allow-list of known names instead of interpolating it.',
    steps: [
      'Open the cited file at the cited line and find the query string and every value interpolated into it (follow local variables back to where they are assigned).',
      'Rewrite the query with the placeholder syntax of its driver, as this file already uses elsewhere (`?` for sqlite3; `%s` for psycopg, MySQLdb and Django’s `cursor.execute`; `:name` for SQLAlchemy `text()`), and pass the values as the separate parameters argument of the same call: a tuple such as `(name,)`, or a dict for `:name`. Build no part of the SQL with an f-string, `%` or `.format()`.',
      'If a value is a column or table name or a sort direction, replace it with a lookup in a constant allow-list (`SORTABLE = {"name": "name", "created": "created_at"}`, then `column = SORTABLE[key]`) and reject any other key with a clear error.',
      "Add a test that calls the code path with a value containing a quote and SQL (e.g. `1 OR 1=1` or `x'; DROP TABLE users; --`) and asserts that it is treated as data (no extra rows, no error from malformed SQL).",
    ],
  },
  rule: { typescript: JS_RULE, tsx: JS_RULE, javascript: JS_RULE, python: PYTHON_RULE },
  match: matchSink,
};
