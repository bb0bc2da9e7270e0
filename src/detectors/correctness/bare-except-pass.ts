import type { SgNode } from '@ast-grep/napi';
import type { Confidence, Impact } from '../../core/types.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import { parametersOf } from '../security/local-bindings.ts';
import { enclosingClass } from '../security/value-source.ts';
import type { FileDetector, FileInput } from '../types.ts';
import { docstringOf, enclosingFunction, kindOf } from './enclosing-function.ts';
import { findingAt } from './finding-at.ts';

const EXCEPT_ANY = '^except\\s*(\\(?\\s*(Base)?Exception\\s*\\)?)?(\\s+as\\s+\\w+)?\\s*:';
// The same shapes for awk (POSIX classes only), over one line or a header line followed by `pass`.
const AWK_EXCEPT =
  '^[[:space:]]*except([[:space:]]*[(]?[[:space:]]*(Base)?Exception[[:space:]]*[)]?)?([[:space:]]+as[[:space:]]+[A-Za-z_][A-Za-z0-9_]*)?[[:space:]]*:';
const AWK_PASS = '[[:space:]]*(pass|[.][.][.])[[:space:]]*$';
const JS_EXCEPT = /^\s*except(\s*\(?\s*(Base)?Exception\s*\)?)?(\s+as\s+[A-Za-z_]\w*)?\s*:/;
const JS_PASS = /^\s*(?:pass|\.\.\.)\s*$/;

/** How many catch-all handlers whose body is just `pass`/`...` the file has, counted as the done check counts. */
function countSwallowing(file: FileInput): number {
  let count = 0;
  file.lines.forEach((line, index) => {
    const header = JS_EXCEPT.exec(line);
    if (!header) return;
    const rest = line.slice(header[0].length);
    if (JS_PASS.test(rest) || (/^\s*$/.test(rest) && JS_PASS.test(file.lines[index + 1] ?? ''))) count += 1;
  });
  return count;
}

/** Exits non-zero while the file still has `count` or more swallowing handlers. */
function doneCheck(file: FileInput): string | undefined {
  const count = countSwallowing(file);
  if (count === 0) return undefined;
  const program = `$0 ~ /${AWK_EXCEPT}${AWK_PASS}/ { n++ } prev ~ /${AWK_EXCEPT}[[:space:]]*$/ && $0 ~ /^${AWK_PASS}/ { n++ } { prev = $0 } END { exit (n >= ${count}) }`;
  return `awk ${shellQuote(program)} ${shellQuote(file.path)}`;
}

const STATEMENTS = (block: SgNode | null | undefined): SgNode[] =>
  block?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];

/** Names a statement list assigns with `=` (`a = …`, `a, b = …`). */
function assignedNames(statements: readonly SgNode[]): Set<string> {
  const names = new Set<string>();
  for (const statement of statements) {
    const assignments =
      statement.kind() === 'expression_statement' && statement.child(0)?.kind() === 'assignment'
        ? [statement.child(0) as SgNode]
        : statement.findAll({ rule: { kind: 'assignment' } });
    for (const top of assignments) {
      // `text = errors = None` (hvac) nests the second target's assignment as the first's value.
      for (let assignment: SgNode | null = top; assignment?.kind() === 'assignment'; ) {
        const left = assignment.field('left');
        const ids = !left
          ? []
          : left.kind() === 'identifier'
            ? [left]
            : left.findAll({ rule: { kind: 'identifier' } });
        for (const id of ids) names.add(id.text());
        assignment = assignment.field('right');
      }
    }
  }
  return names;
}

/** A statement that only logs: `self.bus.log(…)`, `logger.info(…)`, `LOG.debug(…)`. */
const LOG_LINE =
  /^[\w.]*\b(?:log|logger|logging|LOG|LOGGER)\.(?:debug|info|warning|warn|error)\(|^[\w.]*\.log\(/;

/** Calls that release something; a failure while releasing has nowhere useful to go. */
const RELEASE_CALL =
  /^[\w.[\]()]*\.(?:\w+_)?(?:close|kill|terminate|shutdown|cancel|release|disconnect|stop|join|flush)(?:_\w+)?\([^;]*\)$/;
/**
 * Dropping or removing what may not exist before creating it again (`_mysql_drop_db(cfg, conn,
 * ident)`, `table.drop(engine)`, `os.remove(path)`, deluge's `sclient.label_remove('test')`), or
 * rolling back: failing means there was nothing to undo.
 */
const UNDO_CALL = /^(?:[\w.[\]()]*[._])?(?:drop|rollback|remove|unlink|rmtree|rmdir)(?:_\w*)?\([^;]*\)$/;
/** Creating a directory that may exist already (`os.makedirs(dest_dirname)`, ansible's git module). */
const MAKE_DIRECTORY_CALL = /^(?:[\w.[\]()]*\.)?(?:makedirs|mkdir)\([^;]*\)$/;
/** Converting text to a number or a date: what fails on input that is not one. */
const CONVERSION_CALL =
  /\b(?:int|float|Decimal|complex|strptime|fromtimestamp|utcfromtimestamp|fromisoformat)\(/;
/** A statement that only stores a value: `x = …`, `d['k'] = …`, `results.append(…)`. */
function storesOnly(statement: SgNode): boolean {
  if (statement.kind() !== 'expression_statement') return false;
  const inner = statement.child(0);
  if (inner?.kind() === 'assignment') return true;
  return (
    inner?.kind() === 'call' &&
    /^[\w.[\]'"]+\.(?:append|add|update|setdefault)$/.test(inner.field('function')?.text() ?? '')
  );
}

/** A curses drawing call: `self.term_window.addnstr(y, x, msg, width, colour)`. */
const CURSES_DRAWING = /^[\w.[\]()]*\.(?:addn?str|addch|insn?str|insch|chgat|curs_set)\([\s\S]*\)$/;
/** Setting a dunder attribute from another object's: `wrapped.__doc__ = func.__doc__`. */
const COPIES_METADATA =
  /^(?:if [\w.]+\.__\w+__ ?: ?)?[\w.]+\.__\w+__(?: ?= ?[\w.]+\.__\w+__$|\.update\([\w.]+\.__\w+__\)$)/;
/** Functions that describe an object (`__repr__`, `generic_repr`): they must not raise. */
/** Functions named for swallowing errors: `ignore_exceptions`, `suppress_errors`, `silently`. */
const SWALLOWING_FUNCTION = /(?:^|_)(?:ignor\w*|suppress\w*|swallow\w*|silen\w*)(?:_|$)/i;
const DESCRIBING_FUNCTION = /^__(?:repr|str|format)__$|(?:^|_)repr(?:_|$)/;
const BEST_EFFORT_FUNCTION =
  /(?:^|_)(?:close|stop|terminate|unlink)|clean_?up|shutdown|finali[sz]e|dispose|teardown|__del__|__exit__|^(?:_*)(?:disconnect|log_?out|log_?off|sign_?out)(?:_|$)/i;
/**
 * A socket option set for speed or convenience (`sock.setsockopt(socket.IPPROTO_TCP,
 * socket.TCP_NODELAY, 1)` in pyVmomi): the connection works without it where the platform refuses.
 */
const SOCKET_OPTION = /^[\w.[\]()]*\.setsockopt\([^;]*\)$/;

/**
 * Words of a comment that says a failure here is expected and may be ignored ("Abort is an
 * idempotent operation" in Nova, "We eat the exception" and "will be fine" in Cinder's drivers).
 */
const EXPLAINS_IGNORING =
  /ignor|silen|harmless|optional|best[- ]?effort|\bok(?:ay)?\b|expected|\b(?:may|might|can) (?:not|fail)|\bcannot\b|can'?t\b|unavailable|not (?:available|installed|supported|critical|fatal|important)|doesn'?t matter|\bfails?\b|idempotent|\beat(?:s|ing)?\b|\bfine\b|\bif (?:it is |it's )?still\b|\bwill try\b/i;

/**
 * Comments next to a `try`: on the lines just above it (which tree-sitter places before the block
 * when the `try` opens one), and before or at the top of its body.
 */
function commentsAround(tryStatement: SgNode): string[] {
  const texts: string[] = [];
  const above = (node: SgNode | null) => {
    for (let prev = node?.prev() ?? null; prev?.kind() === 'comment'; prev = prev.prev())
      texts.push(prev.text());
  };
  above(tryStatement);
  const block = tryStatement.parent();
  if (!tryStatement.prev() && block?.kind() === 'block') above(block);
  for (const child of tryStatement.children()) if (child.kind() === 'comment') texts.push(child.text());
  for (const child of tryStatement.field('body')?.children() ?? []) {
    if (child.kind() !== 'comment') break;
    texts.push(child.text());
  }
  return texts;
}

/** `def parse_http_date_safe(date): """… return None if the input is invalid."""`. */
function returnsNoneByDesign(fn: SgNode): boolean {
  const name = fn.field('name')?.text() ?? '';
  if (/(?:^|_)safe$|^(?:try|maybe)_/i.test(name)) return true;
  // `def get_netaddress(self, key) -> Optional[NetAddress]` (Electrum): None is a declared answer.
  if (/^(?:(?:typing\.)?Optional\[|.*\|\s*None\s*$|\s*None\s*\|)/.test(fn.field('return_type')?.text() ?? ''))
    return true;
  return /\bNone\b/.test(docstringOf(fn));
}

/**
 * Whether nothing runs in the function after `statement`: it is the last statement of its block,
 * and so is each `if`/`else`/`with`/`try` around it, up to the function's body (a loop goes on).
 */
function endsFunction(statement: SgNode, fn: SgNode): boolean {
  let node: SgNode = statement;
  for (;;) {
    const block = node.parent();
    if (block?.kind() !== 'block' || STATEMENTS(block).at(-1)?.id() !== node.id()) return false;
    const holder = block.parent();
    if (!holder) return false;
    if (holder.id() === fn.id()) return true;
    const kind = kindOf(holder);
    if (kind === 'else_clause' || kind === 'elif_clause') {
      const statementOf = holder.parent();
      if (!statementOf) return false;
      node = statementOf;
    } else if (/^(?:if_statement|with_statement|try_statement|finally_clause|except_clause)$/.test(kind)) {
      node = kind === 'finally_clause' || kind === 'except_clause' ? (holder.parent() ?? holder) : holder;
    } else return false;
  }
}

/** `x = f(x, …)` or `self.x = f(self.x)`: one assignment that replaces a value with a conversion of it. */
function convertsInPlace(statement: SgNode | undefined): boolean {
  const assignment = statement?.kind() === 'expression_statement' ? statement.child(0) : undefined;
  if (assignment?.kind() !== 'assignment') return false;
  const target = assignment.field('left');
  const value = assignment.field('right');
  if (!target || value?.kind() !== 'call') return false;
  if (target.kind() !== 'identifier' && target.kind() !== 'attribute') return false;
  const name = target.text();
  // `one = one.decode(encoding, 'replace')` (calibre's collators): a method of the value itself.
  if (value.field('function')?.field('object')?.text() === name) return true;
  return (
    value
      .field('arguments')
      ?.children()
      .some((argument) => argument.isNamed() && argument.text() === name) ?? false
  );
}

/**
 * `subprocess.run([...], check=True)`, `subprocess.check_call([...])`: a call made only to raise
 * when something is not so (mitmproxy checks it runs from its own git checkout this way).
 */
function isCheckCall(statement: SgNode): boolean {
  const call = statement.kind() === 'expression_statement' ? statement.child(0) : undefined;
  if (call?.kind() !== 'call') return false;
  const callee = call.field('function')?.text() ?? '';
  if (/(?:^|\.)check_(?:call|output)$/.test(callee)) return true;
  return (
    /(?:^|\.)run$/.test(callee) &&
    (call.field('arguments')?.children() ?? []).some(
      (argument) => argument.kind() === 'keyword_argument' && /^check\s*=\s*True$/.test(argument.text()),
    )
  );
}

/**
 * Whether the `try` sets only attributes of `self` that the class's `__init__` sets first:
 * Manila's NetApp driver starts with `self._version = 'unknown version'` and later tries
 * `self._version = version.version_info.version_string()`.
 */
function initialisedAttributes(tryStatement: SgNode): boolean {
  const body = tryStatement.field('body');
  // Locals on the way (`ver = self._get_version_info_version()`, then `self._version = ver`).
  const targets = (body?.findAll({ rule: { kind: 'assignment' } }) ?? [])
    .map((a) => a.field('left'))
    .filter((target) => target?.kind() !== 'identifier');
  if (targets.length === 0) return false;
  const names = targets.map((target) =>
    target?.kind() === 'attribute' && target.field('object')?.text() === 'self'
      ? target.field('attribute')?.text()
      : undefined,
  );
  if (names.some((name) => name === undefined)) return false;
  const init = enclosingClass(tryStatement, true)
    ?.field('body')
    ?.children()
    .find((child) => child.kind() === 'function_definition' && child.field('name')?.text() === '__init__');
  const initText = init?.text() ?? '';
  return names.every((name) => new RegExp(`\\bself\\.${name}\\s*=[^=]`).test(initText));
}

/** The name a Python parameter binds: `x`, `x=1`, `x: int`, `*args`. */
function parameterName(parameter: SgNode): string {
  return (
    parameter.field('name') ??
    parameter.children().find((c) => c.kind() === 'identifier') ??
    parameter
  ).text();
}

/**
 * A statement that only releases something: `sock.close()`, and Swift's memcached client's
 * `if sock: sock.close(); del sock` after a failed connection.
 */
function releases(statement: SgNode): boolean {
  if (statement.kind() === 'expression_statement') return RELEASE_CALL.test(statement.text());
  if (statement.kind() !== 'if_statement' || statement.field('alternative')) return false;
  const inside = STATEMENTS(statement.field('consequence'));
  return inside.some(releases) && inside.every((n) => n.kind() === 'delete_statement' || releases(n));
}

/**
 * Whether an earlier clause of the same `try` handles `Exception`: `except Exception:
 * LOG.exception(…)` then `except BaseException: pass` (Heat's thread callbacks). Errors are
 * handled there; this clause only lets a killed thread, an exit or an interrupt end quietly.
 */
function afterExceptionClause(handler: SgNode): boolean {
  for (let clause = handler.prev(); clause?.kind() === 'except_clause'; clause = clause.prev())
    if (/^except\s*\(?\s*Exception\b/.test(clause.text())) return true;
  return false;
}

/** `x.__name__ = f.__name__`, `x.func_name = f.func_name`, `x.__doc__ = f.__doc__`. */
const METADATA_COPY =
  /^[\w.]+\.(?:__(?:name|qualname|doc|module|dict|wrapped)__|func_(?:name|doc))\s*=\s*[\w.]+\.(?:__(?:name|qualname|doc|module|dict|wrapped)__|func_(?:name|doc))$/;

/**
 * Why swallowing here is a deliberate best effort rather than an accident, or undefined:
 * a fallback (the try returns or overrides a default set just before, and other code produces the
 * result), releasing a resource, or reporting inside another handler or in a `finally`.
 */
function bestEffort(handler: SgNode): string | undefined {
  const tryStatement = handler.parent();
  if (tryStatement?.kind() !== 'try_statement') return undefined;
  const fn = enclosingFunction(handler);
  // `def do_pprint(self, args): try: … except Exception: pass` in ansible's task debugger, a
  // `cmd.Cmd` shell: a command that fails must not end the session (it reported the error itself).
  const method = fn?.field('name')?.text() ?? '';
  if (
    /^(?:do_\w+|default|onecmd)$/.test(method) &&
    /\bcmd\.Cmd\b|\(\s*Cmd\s*\)/.test(handler.getRoot().root().text())
  )
    return 'it is a command of an interactive shell (`cmd.Cmd`), where a failing command must not end the session';
  if (afterExceptionClause(handler))
    return 'an earlier clause handles `Exception`, so this one only ends quietly on an exit, an interrupt or a killed thread';
  // paramiko's `def __del__(self): try: self.close() except: pass`: Python prints and ignores
  // whatever a finaliser raises, so nothing can reach a caller either way.
  if (method === '__del__')
    return 'it is in `__del__`, where Python prints and ignores any exception anyway (there is no caller to tell)';
  const body = STATEMENTS(tryStatement.field('body'));
  // `try: view = resolve(url) except Exception: pass else: …`: a value is probed for, and only
  // success is acted on. (A write in the `try`, `save(x)`, is not a probe; a check that raises is.)
  if (
    tryStatement.children().some((child) => child.kind() === 'else_clause') &&
    body.length > 0 &&
    body.every((statement) => statement.child(0)?.kind() === 'assignment' || isCheckCall(statement))
  )
    return 'the `try` is a probe whose success the `else` acts on; failing means there is nothing to do';
  // `try: key = json.loads(key) except Exception: pass` (python-jose): convert the value if it
  // converts, else keep it as it was.
  if (body.length === 1 && convertsInPlace(body[0]))
    return 'the `try` converts a value in place when it can, and keeps it as it was otherwise';
  // `try: replacement.func_name = new_func.func_name except: pass` (Paste's deprecation wrappers),
  // `wrapper.__doc__ = fn.__doc__`: a function's metadata copied where the object allows it.
  if (
    body.length > 0 &&
    body.every((statement) => METADATA_COPY.test(statement.text().replace(/\s+/g, ' ').trim()))
  )
    return "the `try` only copies a function's metadata (name, docstring, module) where the object allows it";
  const last = body[body.length - 1];
  // `if isinstance(fileobj.getvalue(), str): return True` (boltons): the `try` may return early too.
  // `with open(path) as f: return json.loads(f.read())` (Electrum's cached currency list) too.
  // `try: parse(…) except Exception: pass else: return` (Electrum's pay-to field tries formats in
  // turn): the `else` returns when the `try` worked.
  const elseClause = tryStatement.children().find((child) => child.kind() === 'else_clause');
  const returnsEarly =
    last?.kind() === 'return_statement' ||
    STATEMENTS(elseClause?.field('body')).at(-1)?.kind() === 'return_statement' ||
    (last?.kind() === 'if_statement' &&
      STATEMENTS(last.field('consequence')).at(-1)?.kind() === 'return_statement') ||
    (last?.kind() === 'with_statement' &&
      STATEMENTS(last.field('body')).at(-1)?.kind() === 'return_statement') ||
    // `with open(f) as f: for line in f: if prog.match(line): return True` (ansible's find
    // module), then `return False` after the handler: any return of this function in the `try`.
    (tryStatement
      .field('body')
      ?.findAll({ rule: { kind: 'return_statement' } })
      .some((r) => enclosingFunction(r)?.id() === fn?.id()) ??
      false);
  if (returnsEarly && fn) {
    const after = fn.findAll({ rule: { kind: 'return_statement' } });
    if (after.some((r) => r.range().start.index > tryStatement.range().end.index))
      return 'the `try` returns early and the code after it produces the result another way (a fallback)';
    // `try: ENFORCER.enforce_call(action='admin_required'); return except Exception: pass`, then
    // `raise exception.ForbiddenAction(…)` (Keystone's credentials API): a check that lets the
    // caller through when it passes, and refuses after it otherwise.
    const raises = fn.findAll({ rule: { kind: 'raise_statement' } });
    if (raises.some((r) => r.range().start.index > tryStatement.range().end.index))
      return 'the `try` returns early when it succeeds, and the code after it raises an error otherwise: the failure is turned into that error, not ignored';
    // `for cls in mro: try: return cls.__new__(t) except Exception: pass` (boltons): the first
    // candidate that works wins, and a failure moves on to the next.
    if (tryStatement.parent()?.parent()?.kind() === 'for_statement')
      return 'the loop tries candidates in turn: the first that works returns, a failure moves on to the next';
  }
  // `for frame in inspect.stack()[1:]: try: …; break except Exception: pass else: raise
  // ValueError(…)` (SQLAlchemy-Utils' mock engine): the first candidate that works ends the loop.
  if (last?.kind() === 'break_statement' && tryStatement.parent()?.parent()?.kind() === 'for_statement')
    return 'the loop tries candidates in turn: the first that works ends it, a failure moves on to the next';
  // Statements before the `try` in its block and in each block around it, up to the function:
  // rich sets `rich_repr_result = None` outside the `if` that holds the `try`.
  const before: SgNode[] = [];
  for (let node: SgNode | null = tryStatement; node && node.id() !== fn?.id(); node = node.parent()) {
    const block = node.parent();
    if (block?.kind() !== 'block' && block?.kind() !== 'module') continue;
    const statements = STATEMENTS(block);
    before.push(
      ...statements.slice(
        0,
        Math.max(
          0,
          statements.findIndex((n) => n.id() === node?.id()),
        ),
      ),
    );
  }
  const defaults = assignedNames(before);
  const overridden = assignedNames(body);
  if (overridden.size > 0 && [...overridden].some((name) => defaults.has(name)))
    return 'a default value is set before the `try`, which only improves on it (a fallback)';
  // A parameter is set before it too: ansible's `randomize_list(mylist)` tries
  // `mylist = list(mylist); shuffle(mylist)` and returns `mylist` either way.
  const rebound = body.flatMap((statement) => {
    const left = statement.kind() === 'expression_statement' ? statement.child(0)?.field('left') : undefined;
    return left?.kind() === 'identifier' ? [left.text()] : [];
  });
  if (fn && parametersOf(fn).some((parameter) => rebound.includes(parameterName(parameter))))
    return 'the `try` only improves on a value the caller passed in, which is kept when it fails (a fallback)';
  if (initialisedAttributes(tryStatement))
    return 'the attributes it sets start with a default in `__init__`, which stays when this fails (a fallback)';
  // `if config is None: try: config = load() except Exception: pass`: the value is still missing
  // afterwards, which the code after it handles.
  const guard = tryStatement.parent()?.parent();
  const condition = guard?.kind() === 'if_statement' ? (guard.field('condition')?.text() ?? '') : '';
  const unset = /^(?:not\s+([\w.]+)|([\w.]+)\s+is\s+None)$/.exec(condition);
  const guarded = unset?.[1] ?? unset?.[2];
  if (guarded && overridden.has(guarded))
    return `it only runs while \`${guarded}\` is still unset, and leaves it unset on failure (a fallback)`;
  if (last?.kind() === 'return_statement' && fn && endsFunction(tryStatement, fn) && returnsNoneByDesign(fn))
    return 'the function is documented, typed or named to return None when it fails (a `…_safe` variant, an `Optional` result)';
  if (body.length > 0 && body.every(releases)) return 'the `try` only releases a resource';
  if (
    body.length > 0 &&
    body.every((n) => n.kind() === 'expression_statement' && SOCKET_OPTION.test(n.text()))
  )
    return 'the `try` only sets a socket option, which the platform may refuse; the socket works without it';
  // `stats_socket = parse_haproxy_file(lb_id)[0]; os.remove(stats_socket)` (Octavia deleting a
  // load balancer): finding what to delete, then deleting it, is still only deleting.
  const undoes = (n: SgNode) =>
    n.kind() === 'delete_statement' || (n.kind() === 'expression_statement' && UNDO_CALL.test(n.text()));
  // CherryPy's PID file plugin logs that it removed the file, in the same `try`.
  const logs = (n: SgNode) => n.kind() === 'expression_statement' && LOG_LINE.test(n.text());
  const firstUndo = body.findIndex(undoes);
  if (
    firstUndo !== -1 &&
    body
      .slice(0, firstUndo)
      .every((n) => n.kind() === 'expression_statement' && n.child(0)?.kind() === 'assignment') &&
    body.slice(firstUndo).every((n) => undoes(n) || logs(n))
  )
    return 'the `try` only deletes, drops or rolls back what may not exist';
  if (
    body.length > 0 &&
    body.every((n) => n.kind() === 'expression_statement' && MAKE_DIRECTORY_CALL.test(n.text()))
  )
    return 'the `try` only creates a directory, which fails when it exists already';
  // `wrapped.__module__ = func.__module__` (boltons' wrappers, like functools.update_wrapper): some
  // objects refuse new attributes, and the copy is a courtesy.
  if (body.length > 0 && body.every((n) => COPIES_METADATA.test(n.text().replace(/\s+/g, ' '))))
    return 'the `try` copies metadata (`__module__`, `__dict__`) onto an object that may refuse it';
  // `results.append({'number_of_results': int(extract_text(n))})`, `date = datetime.fromtimestamp(
  // float(result["added"]))` (searx's engines): optional fields of scraped data, kept when they parse.
  if (body.length > 0 && body.every(storesOnly) && body.some((n) => CONVERSION_CALL.test(n.text())))
    return 'the `try` only converts text to a number or a date and stores it, so a value that does not parse is left out';
  // `items.append((key, self.repr(getattr(obj, key))))` over `dir(obj)`: any property can raise.
  if (body.length === 1 && /\bgetattr\(\s*[\w.]+\s*,\s*[A-Za-z_]/.test(body[0]?.text() ?? ''))
    return 'the `try` reads an attribute by a computed name, which any property of the object can make raise';
  // `try: from mysql.connector.constants import ClientFlag …`: a probe for an optional dependency.
  if (body.some((n) => n.kind() === 'import_statement' || n.kind() === 'import_from_statement'))
    return 'the `try` imports an optional dependency and goes on without it';
  // `if hasattr(curses, 'curs_set'): try: curses.curs_set(0) except Exception: pass` (Glances):
  // the code probed for an optional capability, and the platform may still refuse it.
  if (/^(?:hasattr|callable)\(/.test(condition) && body.length === 1)
    return `it calls an optional capability the code has just probed for (\`${condition}\`), which the platform may still refuse`;
  // curses raises when text reaches the edge of the screen; drawing code ignores that on purpose.
  if (body.length > 0 && body.every((n) => CURSES_DRAWING.test(n.text())))
    return 'the `try` only draws on a curses window, which raises when text reaches the edge of the screen';
  for (let up = tryStatement.parent(); up && up.id() !== fn?.id(); up = up.parent()) {
    if (kindOf(up) === 'except_clause' || kindOf(up) === 'finally_clause')
      return 'it runs while another error is being handled or in a `finally`, where a second failure must not replace the first';
  }
  // `try: tx.deserialize() except: pass else: raise InnerNodeOfSpvProofIsValidTx()` (Electrum's
  // SPV check): failing is the expected outcome, and succeeding is the error.
  if (STATEMENTS(elseClause?.field('body')).at(-1)?.kind() === 'raise_statement')
    return 'the `try` is expected to fail: its `else` raises when it does not';
  const name = fn?.field('name')?.text() ?? '';
  if (BEST_EFFORT_FUNCTION.test(name)) return `it is part of \`${name}\`, a clean-up routine`;
  // `def ignore_exceptions(func): … async def wrapper(…): try: … except Exception: pass` (Electrum):
  // a decorator or helper that exists to swallow errors.
  const outer = fn ? enclosingFunction(fn) : undefined;
  const swallower = [name, outer?.field('name')?.text() ?? ''].find((n) => SWALLOWING_FUNCTION.test(n));
  if (swallower) return `it is part of \`${swallower}\`, which exists to swallow errors`;
  if (DESCRIBING_FUNCTION.test(name))
    return `it is part of \`${name}\`, which describes an object and must not raise`;
  if (commentsAround(tryStatement).some((text) => EXPLAINS_IGNORING.test(text)))
    return 'a comment next to the `try` says that failing here is expected';
  return undefined;
}

/** `except:` / `except Exception:` whose body only passes: every error, bugs included, vanishes. */
export const bareExceptPass: FileDetector = {
  id: 'correctness/bare-except-pass',
  category: 'correctness',
  scope: 'file',
  requires: /\bexcept\b/,
  languages: ['python'],
  title: 'Every exception silently ignored (`except: pass`)',
  description:
    'This handler catches every exception (a bare `except:` also catches KeyboardInterrupt and SystemExit) and does nothing, so typos, failed I/O and real bugs disappear without a trace and the code continues in a broken state.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Narrowing the exception type or logging it changes only the failure path; errors that were hidden may now surface, which is the point.',
  confidence: 'HIGH',
  fixSketch:
    'Catch only the exception you expect (`except FileNotFoundError:`), and handle it: log with context, return a fallback, or re-raise. If ignoring really is intended, use `contextlib.suppress(SpecificError)` or add a comment saying why.',
  steps: [
    'Open the cited `try` block and work out which exception the author expected from the guarded code (read the called functions’ documentation or code).',
    'Replace `except:` / `except Exception:` with that specific exception type, and replace `pass` with real handling: `logger.warning(...)` with context and a fallback value, or `raise` with context.',
    'If the exception is genuinely expected and harmless, use `with contextlib.suppress(SpecificError):` instead, or keep the handler and add a comment inside it explaining why.',
    'Add a test that makes the guarded call fail with an unexpected exception and asserts that it is no longer swallowed.',
  ],
  rule: {
    rule: {
      kind: 'except_clause',
      regex: EXCEPT_ANY,
      has: {
        kind: 'block',
        all: [
          {
            has: {
              any: [{ kind: 'pass_statement' }, { kind: 'expression_statement', regex: '^\\.\\.\\.$' }],
            },
          },
          {
            not: {
              has: {
                not: {
                  any: [{ kind: 'pass_statement' }, { kind: 'expression_statement', regex: '^\\.\\.\\.$' }],
                },
              },
            },
          },
        ],
      },
      not: { has: { kind: 'comment', stopBy: 'end' } },
    },
  },
  match(node, file) {
    const range = node.range();
    const extra: {
      endLine: number;
      doneCheck?: string;
      confidence?: Confidence;
      impact?: Impact;
      message?: string;
      title?: string;
    } = {
      endLine: range.end.line + 1,
    };
    const check = doneCheck(file);
    if (check) extra.doneCheck = check;
    // A bare `except:` still swallows KeyboardInterrupt and SystemExit, so it keeps more weight.
    const bare = !/^except\s*\(?\s*Exception\b/.test(node.text()) && !afterExceptionClause(node);
    if (/^except\s*\(?\s*Exception\b/.test(node.text())) {
      // Zaqar's optional catalogue lookup: `except Exception: pass` is no bare `except:`.
      extra.title = 'Every exception silently ignored (`except Exception: pass`)';
      extra.message =
        'This handler catches every `Exception` and does nothing, so typos, failed I/O and real bugs disappear without a trace and the code continues in a broken state. Catch the exceptions this call is expected to raise instead.';
    } else if (/^except\s*\(?\s*BaseException\b/.test(node.text())) {
      // aiohttp's GunicornWebWorker._run: `except BaseException: pass` is no bare `except:` either.
      extra.title = 'Every exception silently ignored (`except BaseException: pass`)';
      extra.message =
        'This handler catches every `BaseException` (KeyboardInterrupt, SystemExit and asyncio cancellation included) and does nothing, so typos, failed I/O and real bugs disappear without a trace and the code continues in a broken state. Catch the exceptions this call is expected to raise instead.';
    }
    const reason = bestEffort(node);
    if (reason) {
      // In `__del__` even an interrupt raised there is only printed and ignored.
      const finaliser = enclosingFunction(node)?.field('name')?.text() === '__del__';
      extra.confidence = bare && !finaliser ? 'MED' : 'LOW';
      extra.impact = 'LOW';
      extra.message = `This handler ignores every exception${bare ? ' (a bare `except:` also catches KeyboardInterrupt and SystemExit)' : ''}, but ${reason}. Narrowing it to the exceptions expected here would still keep real bugs from vanishing.`;
    }
    return findingAt(file, node, extra);
  },
};
