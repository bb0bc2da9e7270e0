import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { escapeRegExp } from '../../core/regex-literal.ts';
import { jsAndPython, pythonCall } from '../call-rules.ts';
import {
  branchConditions,
  callArguments,
  calleeText,
  enclosingFunction,
} from '../correctness/enclosing-function.ts';
import { callCountCheck, mergeCallCounts } from '../python-call-count.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { moduleValues } from './local-bindings.ts';
import { describeSource, sinkFinding, worstPart } from './sink-finding.ts';
import {
  assignedValues,
  baseValues,
  builtString,
  COMMAND_LINE_MODULE,
  enclosingClass,
  isPython,
  unwrap,
  valueSource,
} from './value-source.ts';

const VM_FUNCTIONS = /^(?:vm\.)?(?:runInNewContext|runInThisContext|runInContext|compileFunction)$/;

/** The values that flow into the evaluated code: the built string's parts, or the argument itself. */
function evaluatedParts(arg: SgNode, python: boolean): SgNode[] {
  // `eval(compile('def _raise(*a): raise a[0], a[1], a[2]', '<py3fix>', 'exec'))` (bottle): what
  // runs is the compiled source, so a literal source is constant code.
  if (python && arg.kind() === 'call' && calleeText(arg) === 'compile') {
    const [source] = callArguments(arg);
    if (source && source.kind() !== 'keyword_argument' && valueSource(source, true) === 'constant') return [];
  }
  return builtString(arg, python)?.dynamic ?? [arg];
}

function matchCode(node: SgNode, file: FileInput): RawFinding | undefined {
  const python = isPython(file.language);
  let parts: SgNode[] = [];
  let what: string;
  if (node.kind() === 'new_expression') {
    const ctor = node.field('constructor')?.text() ?? '';
    const args =
      node
        .field('arguments')
        ?.children()
        .filter((c) => c.isNamed()) ?? [];
    if (ctor === 'Function') parts = args.flatMap((a) => evaluatedParts(a, false));
    else if (ctor === 'vm.Script' && args[0]) parts = evaluatedParts(args[0], false);
    else return undefined;
    what = `new ${ctor}()`;
  } else {
    const callee = calleeText(node);
    const [first] = callArguments(node);
    if (!first || first.kind() === 'keyword_argument') return undefined;
    if (callee === 'setTimeout' || callee === 'setInterval') {
      parts = builtString(first, false)?.dynamic ?? [];
    } else if (callee === 'eval' || (python && callee === 'exec')) {
      parts = evaluatedParts(first, python);
    } else if (
      !python &&
      VM_FUNCTIONS.test(callee) &&
      (callee.startsWith('vm.') || /['"](?:node:)?vm['"]/.test(file.text))
    ) {
      parts = evaluatedParts(first, false);
    } else return undefined;
    what = `${callee}()`;
  }
  const { source, part } = worstPart(parts, python);
  if (source === 'constant' || !part) return undefined;
  const finding = sinkFinding(
    file,
    node,
    part,
    source,
    `\`${what}\` evaluates code built from ${describeSource(source, part)}. Anyone who can influence that value can run arbitrary code inside this process, with all its credentials and data.`,
  );
  // `eval(…)` rewritten over three lines is still `eval`: the check counts the calls.
  if (python) finding.doneCheck = callCountCheck(file, node, 'eval|exec');
  // A code generator (ajv, template engines) evaluates text it assembled itself in this function,
  // named as code: a lead for a reviewer to check what feeds the generator, not a finding to act on.
  const argumentNodes =
    node
      .field('arguments')
      ?.children()
      .filter((c) => c.isNamed()) ?? [];
  if (source !== 'unknown') return finding;
  if (
    argumentNodes.some(
      (arg) => isGeneratedHere(arg, python) || wrapsCode(arg, python) || fillsCodeTemplate(arg, python),
    )
  ) {
    finding.confidence = 'LOW';
    finding.message = `${finding.message} The evaluated text is assembled in this function from code written here (or under a name that says it is code): this looks like deliberate code generation, as in a bundler, template engine or validator compiler; check that nothing outside the program reaches the generator.`;
  } else if (
    python &&
    // `bytecode = compile(script, filename, "exec"); eval(bytecode, globs, locs)` (attrs'
    // `_compile_and_eval`) runs a code object as much as `eval(compile(…))` does.
    (what === 'exec()' || what === 'eval()') &&
    argumentNodes.length > 1 &&
    (runsProgram(argumentNodes[0]) || newModuleNamespace(argumentNodes[1]))
  ) {
    // `exec(code, module.__dict__)`, `exec(f.read(), g, l)`, a `code: CodeType` parameter run in a
    // namespace (Jinja's Template.from_code, Werkzeug's console), Flask's shell running PYTHONSTARTUP
    // with `eval(compile(f.read(), startup, "exec"), ctx)`: a module loader or script runner runs
    // a code object or a whole file in a namespace it prepared; that is its job.
    finding.confidence = 'LOW';
    finding.message = `${finding.message} The call runs a compiled code object or a whole file in a namespace it prepared, as a module loader or script runner does; check who can write what it loads.`;
  } else if (
    python &&
    (what === 'exec()' || what === 'eval()') &&
    argumentNodes.length === 1 &&
    readsAFile(argumentNodes[0])
  ) {
    // Horizon's settings: each `local_settings.d/*.py` snippet is opened and `exec(f.read())`-ed
    // into the settings module, on purpose.
    finding.confidence = 'LOW';
    finding.message = `${finding.message} The code is the text of a file this module opened, run in its own namespace, as a settings or plugin loader does; check who can write the files it runs.`;
  } else if (!python && jsReadsAFile(part)) {
    // statsd's configuration loader: `fs.readFile(file, (err, data) => eval('config = ' + data))`.
    finding.confidence = 'LOW';
    finding.message = `${finding.message} The code is the text of a file this function reads (a configuration or script written as JavaScript), as a loader does; check who can write that file, and prefer JSON where it holds only data.`;
  } else if (python && importFallback(node)) {
    // CherryPy's reprconf: `try: import ast except ImportError: return eval(s)`, for IronPython 1.0.
    finding.confidence = 'LOW';
    finding.message = `${finding.message} It runs only where a module fails to import (\`except ImportError:\`), a fallback for old platforms that is dead code on current Python: delete it rather than harden it.`;
  } else if (lintAllowed(file, node)) {
    finding.confidence = 'LOW';
    finding.message = `${finding.message} A comment here turns off the linter's rule against it (\`pylint: disable=exec-used\`, \`eslint-disable no-eval\`, \`nosec\`): someone decided to evaluate this; check that its source is still what they expected.`;
  } else if (!python && runsPluginCode(what, argumentNodes)) {
    // Joplin's PluginRunner: `vm.runInContext(plugin.scriptText, vmSandbox)`. Running the code of
    // the plugins a user installed is what a plugin host does.
    finding.confidence = 'LOW';
    finding.message = `${finding.message} The code is a plugin's, run by a plugin host in a context it prepared, which is its job; \`vm\` is no security boundary, so check who can install the plugins it runs.`;
  } else if (!python && runsNamedFile(what, argumentNodes, file)) {
    // Haraka's plugin loader: `vm.runInNewContext(code, sandbox, pluginPath)` with the text of the
    // plugin file it read. A loader runs files; what matters is who can write them.
    finding.confidence = 'LOW';
    finding.message = `${finding.message} The call names the file the code comes from, in a module that reads files: a loader running a plugin or script file in a context it prepared. Check who can write the files it loads.`;
  } else if (python && membershipChecked(part, node)) {
    // Manila's XML parser: `if func in vars(XMLAPIParser): eval('self.' + func)(elem, result)`.
    finding.confidence = 'LOW';
    finding.message = `${finding.message} The branch runs only when \`${part.text()}\` is one of a known set (an \`in\` test around it), so the evaluated text is one of those names; a \`getattr\` would say the same without \`eval\`.`;
  } else if ((python && fromOperator(part)) || COMMAND_LINE_MODULE.test(file.path)) {
    finding.confidence = 'LOW';
    finding.message = `${finding.message} The code is what the person running the program types at its prompt or passes on its command line (\`input()\`, \`sys.argv\`, a management command's options, an interactive shell or console, arguments parsed with argparse or optparse), who can run code anyway; it is a risk only if that input can come from someone else, such as a script that feeds it text it received.`;
  } else if (python && argumentNodes.slice(1).some(restrictsBuiltins)) {
    // `eval(text, {"__builtins__": {}})`: the author knew this evaluates foreign text and chose to
    // evaluate it (a build-file or condition language); the restriction is no sandbox, but it is a
    // deliberate design to review, not an accident.
    finding.confidence = 'LOW';
    finding.message = `${finding.message} The call restricts \`__builtins__\`, so the evaluation is deliberate; that restriction is not a sandbox (attribute access still reaches \`object.__subclasses__()\`), so check who writes the evaluated text and prefer \`ast.literal_eval\` where it is only data.`;
  }
  return finding;
}

/** Whether a branch around `node` runs only when `part`, a name, is in some collection. */
function membershipChecked(part: SgNode, node: SgNode): boolean {
  const expr = unwrap(part);
  if (expr.kind() !== 'identifier') return false;
  const member = new RegExp(`^\\s*${escapeRegExp(expr.text())}\\s+in\\s+\\S`);
  return branchConditions(node).some((condition) => member.test(condition));
}

/** Whether a `vm` call runs a plugin's code: `plugin.scriptText`, `pluginSource`, `this.plugin.code`. */
function runsPluginCode(what: string, args: readonly SgNode[]): boolean {
  const code = args[0];
  return (
    /runIn(?:New|This)?Context|vm\.Script|compileFunction/.test(what) &&
    code !== undefined &&
    /^(?:this\.)?(?:plugin\w*\.\w*(?:script|code|source|text)\w*|plugin\w*(?:Script|Code|Source|Text))$/i.test(
      code.text(),
    )
  );
}

/**
 * Whether a `vm` call runs a file's code as a loader does: it passes the file name the code is
 * compiled under (`vm.runInNewContext(code, sandbox, filename)`, `runInThisContext(code,
 * filename)`, `new vm.Script(code, { filename })`) and the module reads files.
 */
function runsNamedFile(what: string, args: readonly SgNode[], file: FileInput): boolean {
  if (!/readFile(?:Sync)?\(/.test(file.text)) return false;
  const nameAt = /runInThisContext|vm\.Script/.test(what) ? 1 : 2;
  const named = args[nameAt];
  if (!named) return false;
  return named.kind() === 'object' ? /\bfilename\b/.test(named.text()) : named.kind() !== 'null';
}

/** Python's prompt for a line of input. */
function isInputCall(node: SgNode): boolean {
  const expr = unwrap(node);
  return expr.kind() === 'call' && /^(?:input|raw_input)$/.test(expr.field('function')?.text() ?? '');
}

/**
 * Whether Python code to run comes from the person running the program: a line read with
 * `input()` (Django's makemigrations prompting for a default, `code = input(prompt)`), the command
 * line (`sys.argv`), or an option of a Django management command's `handle(self, **options)`
 * (`manage.py shell -c CODE`).
 */
function fromOperator(part: SgNode): boolean {
  const expr = unwrap(part);
  const text = expr.text();
  if (isInputCall(expr) || /^sys\.argv\b/.test(text)) return true;
  if (/^options(?:\[|\.get\()/.test(text)) {
    const fn = enclosingFunction(expr);
    return (
      fn?.field('name')?.text() === 'handle' && /\*\*options\b/.test(fn.field('parameters')?.text() ?? '')
    );
  }
  if (expr.kind() === 'identifier') {
    const prompt = promptClass(expr);
    // A console widget evaluates what its user typed, whatever local holds it (Electrum's
    // `command = self.getCommand()`); a cmd.Cmd shell gets the typed line as a parameter.
    if (prompt === 'console' || (prompt === 'cmd' && isParameter(expr))) return true;
  }
  // `opts, args = option_parser().parse_args(args)`, then `exec(opts.command)` (calibre-debug -c):
  // the parsed command line.
  const parsed = baseValues(expr, true);
  if (parsed.length > 0 && parsed.every((value) => /\.parse_(?:known_)?args\(/.test(value.text())))
    return true;
  return expr.kind() === 'identifier' && assignedValues(text, expr, true).some(isInputCall);
}

/**
 * The interactive prompt a method of the class around `node` serves: a `cmd.Cmd` shell, whose
 * methods get the line the user typed (ansible's strategy debugger evaluates `p <expression>`), or a
 * Python console (a `code.InteractiveConsole`, or a class named as a console or REPL, such as
 * Electrum's Qt `Console` widget), which evaluates what its user types.
 */
function promptClass(node: SgNode): 'cmd' | 'console' | undefined {
  const scope = enclosingClass(node, true);
  if (!scope) return undefined;
  const bases = scope.field('superclasses')?.text() ?? '';
  if (/\bInteractive(?:Console|Interpreter)\b/.test(bases)) return 'console';
  if (/(?:Console|Repl|REPL)$/.test(scope.field('name')?.text() ?? '')) return 'console';
  return /\b(?:cmd\.)?Cmd\b/.test(bases) ? 'cmd' : undefined;
}

/** Whether an identifier names a parameter of the function it is used in. */
function isParameter(id: SgNode): boolean {
  const parameters = enclosingFunction(id)?.field('parameters');
  if (!parameters) return false;
  return parameters.findAll({ rule: { kind: 'identifier', regex: `^${id.text()}$` } }).length > 0;
}

/** A globals argument that sets `__builtins__`, written in the call or in a local it names. */
function restrictsBuiltins(arg: SgNode): boolean {
  const values = arg.kind() === 'identifier' ? assignedValues(arg.text(), arg, true) : [arg];
  return values.some((value) => /['"]__builtins__['"]\s*:/.test(value.text()));
}

/** Literal text that is itself code: the string wraps its parts in a function, statements or a return. */
const CODE_TEXT = /\bfunction\b|=>|\breturn\b|\b(?:var|let|const)\s+[\w$]/;

/** `(function(${a}, ${b}) {\n${code}\n})`: a string built here whose constant text is code around the parts. */
function wrapsCode(arg: SgNode, python: boolean): boolean {
  const built = builtString(arg, python) ?? closureBuilt(arg, python);
  return built !== undefined && CODE_TEXT.test(built.literal);
}

/**
 * `var functionText = "… (async function(msg){ " + node.func + "})"` in the node's constructor,
 * then `new vm.Script(functionText)` in a callback inside it (Node-RED's Function node): the string
 * an enclosing function built, read through the closure.
 */
function closureBuilt(arg: SgNode, python: boolean) {
  if (python || arg.kind() !== 'identifier') return undefined;
  const name = arg.text();
  for (let fn = enclosingFunction(arg); fn; fn = enclosingFunction(fn)) {
    const outer = enclosingFunction(fn) ?? fn.getRoot().root();
    const declarations = outer
      .findAll({
        rule: { kind: 'variable_declarator', has: { field: 'name', regex: `^${escapeRegExp(name)}$` } },
      })
      .filter((d) => (enclosingFunction(d) ?? d.getRoot().root()).id() === outer.id());
    if (declarations.length === 0) continue;
    const value = declarations.length === 1 ? declarations[0]?.field('value') : null;
    return value ? builtString(value, python) : undefined;
  }
  return undefined;
}

/** A code object from a loader or compiler, or the text of a whole file. */
const PROGRAM_SOURCE =
  /^(?:compile|marshal\.loads|\w+\.get_code|\w+\.source_to_code|_call_with_frames_removed|(?:types\.)?CodeType)\(|^\w+\.replace\(\s*co_\w+\s*=|\.read\(\)$/;

/** A parameter annotated as a compiled code object: `def runcode(self, code: CodeType)`. */
function isCodeObjectParameter(arg: SgNode): boolean {
  const fn = enclosingFunction(arg);
  return (fn?.field('parameters')?.children() ?? []).some(
    (param) =>
      (param.kind() === 'typed_parameter' || param.kind() === 'typed_default_parameter') &&
      (param.child(0)?.text() === arg.text() || param.field('name')?.text() === arg.text()) &&
      /\bCodeType\b/.test(param.field('type')?.text() ?? ''),
  );
}

/**
 * `mod.__dict__` of a module this function just created (`mod = types.ModuleType(name)`,
 * `importlib.util.module_from_spec(spec)`): Mistral's dynamic actions load their source as a
 * module, as an importer does.
 */
function newModuleNamespace(arg: SgNode | undefined): boolean {
  const name = arg ? /^(\w+)\.__dict__$/.exec(arg.text())?.[1] : undefined;
  if (!arg || !name) return false;
  const values = assignedValues(name, arg, true);
  return (
    values.length > 0 &&
    values.every((value) =>
      /^(?:types\.)?ModuleType\(|^(?:imp\.)?new_module\(|^(?:importlib\.util\.)?module_from_spec\(/.test(
        value.text(),
      ),
    )
  );
}

function runsProgram(arg: SgNode | undefined): boolean {
  if (!arg) return false;
  if (PROGRAM_SOURCE.test(arg.text()) || readsOpenedFile(arg, arg)) return true;
  if (arg.kind() !== 'identifier') return false;
  const values = assignedValues(arg.text(), arg, true);
  // `with open(optfile) as f: options = f.read()`, then `exec(options, localDict)` (buildbot's
  // options file): whatever the name, the text of a file this function opened.
  if (values.length > 0 && values.every((value) => readsOpenedFile(value, arg))) return true;
  if (!GENERATED_CODE.test(arg.text())) return false;
  if (values.length === 0) return isCodeObjectParameter(arg);
  return values.every((value) => PROGRAM_SOURCE.test(value.text()));
}

/** The text of a file this function (or module) opened: `f.read()`, or a name assigned only that. */
function readsAFile(arg: SgNode | undefined): boolean {
  if (!arg) return false;
  if (readsOpenedFile(arg, arg)) return true;
  if (arg.kind() !== 'identifier') return false;
  const values = assignedValues(arg.text(), arg, true);
  return values.length > 0 && values.every((value) => readsOpenedFile(value, arg));
}

/** Whether `node` is in the handler of a failed import (`except ImportError:`, `except ModuleNotFoundError:`). */
function importFallback(node: SgNode): boolean {
  for (let up = node.parent(); up; up = up.parent()) {
    if (up.kind() === 'function_definition') return false;
    if (
      up.kind() === 'except_clause' &&
      /^except\s*\(?\s*(?:ImportError|ModuleNotFoundError)\b/.test(up.text())
    )
      return true;
  }
  return false;
}

/** A call that reads a whole file: `fs.readFileSync(path)`, `readFile(path, …)`, `fsPromises.readFile`. */
const READ_FILE_CALL = /(?:^|\.)readFile(?:Sync)?$/;
/** A value that is such a call's result: `fs.readFileSync(p, 'utf8')`, `await fs.promises.readFile(p)`. */
const READ_FILE_VALUE = /^(?:await\s+)?(?:[\w$]+\.)*readFile(?:Sync)?\(/;

/**
 * Whether a JavaScript value is the text of a file read here: the data parameter of a
 * `fs.readFile(path, (err, data) => …)` callback, or a local assigned from `readFileSync(…)` (or an
 * awaited `readFile(…)`), through `.toString()`.
 */
function jsReadsAFile(part: SgNode): boolean {
  const expr = unwrap(part);
  const name = /^([\w$]+)(?:\.toString\(\))?$/.exec(expr.text())?.[1];
  if (!name) return false;
  const values = assignedValues(name, expr, false);
  if (values.length > 0) return values.every((value) => READ_FILE_VALUE.test(value.text()));
  const callback = enclosingFunction(expr);
  const args = callback?.parent();
  const call = args?.kind() === 'arguments' ? args.parent() : undefined;
  if (!callback || call?.kind() !== 'call_expression' || !READ_FILE_CALL.test(calleeText(call))) return false;
  const params = (callback.field('parameters') ?? callback.field('parameter'))
    ?.children()
    .filter((c) => c.isNamed());
  return params?.[1]?.text() === name;
}

/** A linter's rule against evaluating code, turned off on the call's line or the line above. */
const LINT_ALLOWS_EVAL =
  /pylint:\s*disable=[^\n]*\b(?:exec-used|eval-used)\b|noqa:[^\n]*\bS(?:102|307)\b|#\s*nosec\b|eslint-disable(?:-next-line|-line)?\b[^\n]*\b(?:no-eval|no-new-func|no-implied-eval)\b/;

function lintAllowed(file: FileInput, node: SgNode): boolean {
  const line = node.range().start.line;
  return [file.lines[line], file.lines[line - 1]].some(
    (text) => text !== undefined && LINT_ALLOWS_EVAL.test(text),
  );
}

/** `f.read()` where the function around `use` bound `f` to `open(…)` (`with open(…) as f`, `f = open(…)`). */
function readsOpenedFile(value: SgNode, use: SgNode): boolean {
  // Decoded as read, too: `exec(fp.read().decode('utf-8'), env)` (Pyramid's pshell and $PYTHONSTARTUP).
  const handle = /^([A-Za-z_]\w*)\.read\(\)(?:\.decode\([^()]*\))?$/.exec(value.text())?.[1];
  if (!handle) return false;
  const scope = enclosingFunction(use)?.text() ?? use.getRoot().root().text();
  return new RegExp(
    `\\bwith\\s+(?:io\\.)?open\\([^\\n]*\\)\\s+as\\s+${handle}\\s*:|\\b${handle}\\s*=\\s*(?:io\\.)?open\\(`,
  ).test(scope);
}

/** The string a Python `%` or `.format` fills in: `template` in `template % (name,)`. */
function filledString(arg: SgNode): SgNode | undefined {
  const expr = unwrap(arg);
  if (expr.kind() === 'binary_operator' && expr.field('operator')?.text() === '%')
    return expr.field('left') ?? undefined;
  const fn = expr.kind() === 'call' ? expr.field('function') : null;
  return fn?.kind() === 'attribute' && fn.field('attribute')?.text() === 'format'
    ? (fn.field('object') ?? undefined)
    : undefined;
}

/** `template % (name,)`: a code template (a module-level constant named as code) filled in. */
function fillsCodeTemplate(arg: SgNode, python: boolean, hops = 0): boolean {
  // `definition = FUNHEAD_TEMPLATE.format(...)`, then `exec(definition, namespace)` (celery).
  if (python && arg.kind() === 'identifier') {
    const values = hops < 3 ? assignedValues(arg.text(), arg, python) : [];
    return values.length > 0 && values.every((value) => fillsCodeTemplate(value, python, hops + 1));
  }
  const template = python ? filledString(arg) : undefined;
  if (template?.kind() !== 'identifier') return false;
  const local = assignedValues(template.text(), template, python);
  // `func_body = """def __init__(%(apply_kw)s): …"""` then `exec(func_body % func_vars, env)`
  // (SQLAlchemy's instrumentation): a template of Python code written in this function.
  if (local.length > 0)
    return local.every((value) => value.kind() === 'string' && PY_CODE_TEXT.test(value.text()));
  return (
    GENERATED_CODE.test(template.text()) &&
    moduleValues(template, python).some((value) => BUILT.has(String(value.kind())))
  );
}

/** Python source text: a function or class definition, or a return statement. */
const PY_CODE_TEXT = /\bdef\s+\w+\s*\(|\bclass\s+\w+\s*[(:]|\breturn\b/;

const GENERATED_CODE = /(?:code|source|src|script|template|compiled|generated)\w*$/i;
const BUILT = new Set([
  'template_string',
  'binary_expression',
  'string',
  'concatenated_string',
  'binary_operator',
]);

function isGeneratedHere(part: SgNode, python: boolean): boolean {
  if (part.kind() !== 'identifier' || !GENERATED_CODE.test(part.text())) return false;
  const values = assignedValues(part.text(), part, python);
  return (
    values.length > 0 &&
    values.some(
      (value) => BUILT.has(String(value.kind())) || /\.(?:toString|join)\([^()]*\)$/.test(value.text()),
    )
  );
}

const JS_RULE: NapiConfig = {
  rule: {
    any: [
      {
        kind: 'call_expression',
        has: {
          field: 'function',
          regex:
            '^(eval|setTimeout|setInterval|(vm\\.)?(runInNewContext|runInThisContext|runInContext|compileFunction))$',
        },
      },
      { kind: 'new_expression', has: { field: 'constructor', regex: '^(Function|vm\\.Script)$' } },
    ],
  },
};

/** eval and its relatives applied to a value that is not a constant. */
export const codeInjection: FileDetector = {
  id: 'security/code-injection',
  category: 'security',
  scope: 'file',
  requires: {
    // The rule's callees and constructors as words (not `TypeScript`, not the `Function` type).
    ...jsGate([
      /eval|setTimeout|setInterval|runIn|compileFunction|Function|Script/,
      /\b(?:eval|setTimeout|setInterval|runInNewContext|runInThisContext|runInContext|compileFunction)\b|\bnew\s+(?:Function|vm\.Script)\b/,
    ]),
    python: /\beval\b|\bexec\b/,
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Code evaluated from a non-constant value (code injection)',
  description:
    'A string that is not a constant is evaluated as code (eval, new Function, vm, exec, setTimeout with a string). If any part of it can be influenced from outside, an attacker runs arbitrary code in this process; even when it cannot, evaluated strings defeat static analysis, type checking and CSP.',
  impact: 'HIGH',
  effort: 'M',
  risk: 'MED',
  riskReason:
    'Replacing evaluation with explicit parsing or a dispatch table changes which inputs are accepted; inputs that relied on arbitrary expressions stop working.',
  confidence: 'HIGH',
  fixSketch:
    'Replace evaluation with a parser for the data format (`JSON.parse`, `ast.literal_eval`), a lookup table of allowed operations, or a function reference (`setTimeout(() => run(x), ms)`).',
  steps: [
    'Open the cited line and work out what the evaluated string is used for: parsing data, choosing an operation, or computing an expression.',
    'Replace it with the matching safe construct: `JSON.parse` / `ast.literal_eval` for data, a `Map`/dict from allowed names to functions for choosing an operation, or a small expression parser for formulas; for `setTimeout` pass a function instead of a string.',
    'Reject any input the safe construct does not accept with a clear error instead of evaluating it.',
    'Add a test that passes a malicious value (e.g. `process.exit(1)` or `__import__("os").system("id")`) and asserts it is rejected and never executed.',
  ],
  python: {
    fixSketch:
      'Replace evaluation with a parser for the data format (`ast.literal_eval` for Python literals, `json.loads` for JSON), a dict from allowed names to functions for choosing an operation, or a small expression parser for formulas.',
    steps: [
      'Open the cited line and work out what the evaluated string is used for: parsing data, choosing an operation, or computing an expression.',
      'Replace it with the matching safe construct: `ast.literal_eval(text)` or `json.loads(text)` for data, a dict from allowed names to functions (`OPERATIONS = {"sum": sum, "max": max}`) for choosing an operation, or a small expression parser for formulas.',
      'Reject any input the safe construct does not accept with a clear error (`ValueError`) instead of evaluating it.',
      'Add a test that passes a malicious value (e.g. `__import__("os").system("id")`) and asserts it is rejected and never executed.',
    ],
  },
  rule: jsAndPython(JS_RULE, pythonCall('^(eval|exec)$')),
  mergeDoneChecks: mergeCallCounts,
  match: matchCode,
};
