// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are fixture source code that contains template literals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeInjection } from '../../src/detectors/security/code-injection.ts';
import { detect, linesAndConfidence, withCheckTree } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) => linesAndConfidence(findings);

describe('security/code-injection', () => {
  it('flags eval, new Function, vm and string setTimeout on non-constant values', () => {
    const findings = detect(codeInjection, {
      'src/calc.js': [
        "const vm = require('node:vm');",
        "app.get('/calc', (req, res) => {",
        '  res.send(String(eval(req.query.expr)));',
        '});',
        'function compile(body) {',
        "  const fn = new Function('row', body);",
        '  vm.runInNewContext(body, {});',
        '  setTimeout(`refresh(${body})`, 100);',
        '  return fn;',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [3, 'HIGH'],
      [6, 'MED'],
      [7, 'MED'],
      [8, 'MED'],
    ]);
    assert.equal(
      findings[0]?.doneCheck,
      "! grep -qF -- 'res.send(String(eval(req.query.expr)));' 'src/calc.js'",
    );
  });

  it('leaves literals, function callbacks and JSON parsing alone', () => {
    const findings = detect(codeInjection, {
      'src/safe.ts': [
        "const add = new Function('a', 'b', 'return a + b');",
        'setTimeout(() => refresh(id), 100);',
        'setTimeout(refresh, 100);',
        "eval('1 + 1');",
        'const data = JSON.parse(input);',
        'const m = regex.exec(input);',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });

  it('flags Python eval/exec of non-literals and leaves literal_eval alone', () => {
    const findings = detect(codeInjection, {
      'app/rules.py': [
        'import ast',
        'from flask import request',
        'def evaluate():',
        "    return eval(request.form['expr'])",
        'def run_plugin(source):',
        '    exec(source, {})',
        'def parse(text):',
        '    return ast.literal_eval(text)',
        'def constant():',
        '    return eval("1 + 2")',
        '# bottle: a literal compiled once at import',
        "eval(compile('def _raise(*a): raise a[0], a[1], a[2]', '<py3fix>', 'exec'))",
        'def compiled(source):',
        "    return eval(compile(source, '<input>', 'eval'))",
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [4, 'HIGH'],
      [6, 'MED'],
      [14, 'MED'],
    ]);
  });

  it('treats Python loaders, script runners and filled code templates as LOW leads', () => {
    const findings = detect(codeInjection, {
      // importlib/_bootstrap.py, distutils/core.py, multiprocessing/sharedctypes.py
      'lib/loader.py': [
        'template = """',
        'def get%s(self):',
        '    return self._obj.%s',
        '"""',
        'def exec_module(module, name):',
        '    code = _call_with_frames_removed(_imp.get_frozen_object, name)',
        '    exec(code, module.__dict__)',
        'def run_setup(script_name, g, l):',
        "    with open(script_name, 'rb') as f:",
        '        exec(f.read(), g, l)',
        'def make_property(name):',
        '    d = {}',
        '    exec(template % ((name,)*7), d)',
        '    return d[name]',
        'def run_plugin(source):',
        '    exec(source, {})',
        'def shell_command(startup, ctx):',
        '    with open(startup) as f:',
        '        eval(compile(f.read(), startup, "exec"), ctx)',
        'def calculate(expression, ctx):',
        '    return eval(expression, ctx)',
        'def from_code(cls, environment, code: CodeType, globals):',
        '    exec(code, {"environment": environment})',
        'def fake_traceback(source, location):',
        '    code: CodeType = compile(source, "<template>", "exec")',
        '    code = code.replace(co_name=location)',
        '    exec(code, {}, {})',
        'def run_untyped(code, env):',
        '    exec(code, env)',
        // celery's head_from_fun: a module-level code template filled in, then run.
        'FUNHEAD_TEMPLATE = """',
        'def {fun_name}({fun_args}):',
        '    return {fun_value}',
        '"""',
        'def head_from_fun(fun, namespace):',
        '    definition = FUNHEAD_TEMPLATE.format(fun_name=fun.__name__, fun_args="x", fun_value=1)',
        '    exec(definition, namespace)',
        // attrs: a code object compiled into a local, then evaluated in prepared namespaces.
        'def _compile_and_eval(script, globs, locs=None, filename=""):',
        '    bytecode = compile(script, filename, "exec")',
        '    eval(bytecode, globs, locs)',
        // SQLAlchemy's instrumentation: a template of Python code written in this function.
        'def _generate_init(class_, original_init):',
        '    func_body = """def __init__(%(apply_pos)s):',
        '    return original_init(%(apply_kw)s)',
        '"""',
        '    func_text = func_body % util.format_argspec_init(original_init)',
        '    env = locals().copy()',
        '    exec(func_text, env)',
        'def run_text(text, env):',
        '    body = "print(1)"',
        '    exec(body % text, env)',
        // buildbot's options file, read under any name; a socket's bytes are no file.
        'def load_options(optfile, localDict):',
        "    with open(optfile, 'r', encoding='utf-8') as f:",
        '        options = f.read()',
        '        exec(options, localDict)',
        'def serve(sock, ns):',
        '    data = sock.read()',
        '    exec(data, ns)',
        // CherryPy's reprconf: eval only where `ast` fails to import (IronPython 1.0).
        'def astnode(self, s):',
        '    try:',
        '        import ast',
        '    except ImportError:',
        '        return eval(s)',
        // Mistral's dynamic actions: source loaded as a module it creates; a plain dict is not one.
        'def _load_python_module(fullname, content):',
        '    mod = types.ModuleType(fullname)',
        '    exec(content, mod.__dict__)',
        '    state = dict(fullname=fullname)',
        '    exec(content, state.__dict__)',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [7, 'LOW'],
      [10, 'LOW'],
      [13, 'LOW'],
      [16, 'MED'],
      [19, 'LOW'],
      [21, 'MED'],
      [23, 'LOW'],
      [27, 'LOW'],
      [29, 'MED'],
      [36, 'LOW'],
      [39, 'LOW'],
      [46, 'LOW'],
      [49, 'MED'],
      [53, 'LOW'],
      [56, 'MED'],
      [61, 'LOW'],
      [64, 'LOW'],
      [66, 'MED'],
    ]);
  });

  it('treats a loader running a named file in a prepared context as a LOW lead (Haraka plugins)', () => {
    const findings = detect(codeInjection, {
      'plugins.js': [
        "const vm = require('node:vm');",
        "const fs = require('node:fs');",
        'class Plugin {',
        '  _get_code(path) { return `"use strict";${fs.readFileSync(path)}`; }',
        '  _compile() {',
        '    const code = this._get_code(this.plugin_path);',
        '    vm.runInNewContext(code, sandbox, this.plugin_path);',
        '    new vm.Script(code, { filename: this.plugin_path }).runInThisContext();',
        '    vm.runInNewContext(code, sandbox);',
        '  }',
        '}',
      ].join('\n'),
      // No file read here: a file name alone says nothing about where the code came from.
      'src/run.js': [
        "const vm = require('node:vm');",
        'export const run = (code, name) => vm.runInThisContext(code, name);',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [7, 'LOW'],
      [8, 'LOW'],
      [9, 'MED'],
      [2, 'MED'],
    ]);
  });

  it('treats eval of a file this function read as a LOW lead (statsd configuration), not of other text', () => {
    const findings = detect(codeInjection, {
      'lib/config.js': [
        "const fs = require('fs');",
        'function Configurator(file, socket) {',
        '  fs.readFile(file, function (err, data) {',
        "    self.config = eval('config = ' + data);",
        '  });',
        "  const text = fs.readFileSync(file, 'utf8');",
        '  const fallback = eval(`(${text})`);',
        "  socket.on('data', function (err, data) {",
        '    eval(data.toString());',
        '  });',
        '}',
      ].join('\n'),
    });
    // A socket's data is no file.
    assert.deepEqual(summary(findings), [
      [4, 'LOW'],
      [7, 'LOW'],
      [9, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /text of a file this function reads/);
  });

  it("treats exec of a startup file this function opened and decoded as a LOW lead (Pyramid's pshell)", () => {
    const findings = detect(codeInjection, {
      'pyramid/scripts/pshell.py': [
        'import os',
        'class PShellCommand:',
        "    pystartup = os.environ.get('PYTHONSTARTUP')",
        '    def run(self, env, conn):',
        '        if self.pystartup and os.path.isfile(self.pystartup):',
        "            with open(self.pystartup, 'rb') as fp:",
        "                exec(fp.read().decode('utf-8'), env)",
        "        exec(conn.recv(4096).decode('utf-8'), env)",
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [7, 'LOW'],
      [8, 'MED'],
    ]);
  });

  it('treats exec of a settings file this module opened, and a linter-allowed eval, as LOW leads (Horizon)', () => {
    const findings = detect(codeInjection, {
      'openstack_dashboard/settings.py': [
        'import os',
        'for (dirpath, dirnames, filenames) in os.walk(LOCAL_SETTINGS_DIR_PATH):',
        '    for filename in sorted(filenames):',
        '        with open(os.path.join(dirpath, filename)) as f:',
        '            exec(f.read())',
        'def load(sock):',
        '    exec(sock.read())',
        'def evaluate(expression):',
        '    # pylint: disable=eval-used',
        '    return eval(expression)',
        'def run(snippet):',
        '    exec(snippet)',
      ].join('\n'),
      'src/calc.js': [
        'export function calc(expression) {',
        '  // eslint-disable-next-line no-eval',
        '  return eval(expression);',
        '}',
        'export const run = (code) => eval(code);',
        // Horizon's version check: the block form of the comment.
        'export function compare(actual, operator, expected) {',
        '  /*eslint-disable no-eval */',
        '  return eval(actual + operator + expected);',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [5, 'LOW'],
      [7, 'MED'],
      [10, 'LOW'],
      [12, 'MED'],
      [3, 'LOW'],
      [5, 'MED'],
      [8, 'LOW'],
    ]);
  });

  it("treats a plugin host running a plugin's code in a vm context as a LOW lead (Joplin)", () => {
    const findings = detect(codeInjection, {
      'services/plugins/PluginRunner.ts': [
        "import vm from 'node:vm';",
        'export class PluginRunner {',
        '  run(plugin: Plugin, sandbox: object) {',
        '    const context = vm.createContext(sandbox);',
        '    vm.runInContext(plugin.scriptText, context);',
        '    vm.runInContext(pluginSource, context);',
        '    vm.runInContext(request.body.script, context);',
        '    vm.runInContext(message.text, context);',
        '  }',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [5, 'LOW'],
      [6, 'LOW'],
      [7, 'HIGH'],
      [8, 'MED'],
    ]);
  });

  it('treats a code generator evaluating code it assembled itself as a LOW lead', () => {
    const findings = detect(codeInjection, {
      'src/compile.ts': [
        'export function compile(gen: Gen, plugin: string) {',
        '  const sourceCode = `${gen.scopeRefs()}return ${gen.toString()}`;',
        "  const validate = new Function('self', sourceCode);",
        "  const loaded = new Function('api', plugin);",
        '  return [validate, loaded];',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [3, 'LOW'],
      [4, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /deliberate code generation/);
  });
  it('treats a bundler wrapping module code in a function it writes as a LOW lead (webpack)', () => {
    const findings = detect(codeInjection, {
      'lib/JavascriptModulesPlugin.js': [
        'const vm = require("vm");',
        'compilation.hooks.executeModule.tap(PLUGIN_NAME, (options, context) => {',
        '  const { module } = options;',
        '  const code = options.codeGenerationResult.sources.get("javascript").source();',
        '  const fn = vm.runInThisContext(',
        '    `(function(${module.moduleArgument}, ${module.exportsArgument}, ${RuntimeGlobals.require}) {\\n${code}\\n/**/})`,',
        '    { filename: module.identifier(), lineOffset: -1 }',
        '  );',
        '});',
        'const compile = (arg1, arg2, suffix) => {',
        '  const fnArgList = [arg1, arg2, "function dispatchBinarySearch", suffix];',
        '  const fnSource = fnArgList.join("");',
        '  const result = new Function(fnSource);',
        '  return result();',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [5, 'LOW'],
      [13, 'LOW'],
    ]);
  });

  it('treats Python code typed at a prompt or passed on the command line as a LOW lead (Django, ansible debugger)', () => {
    const findings = detect(codeInjection, {
      'django/core/management/commands/shell.py': [
        'import sys',
        'class Command(BaseCommand):',
        '    def handle(self, **options):',
        "        if options['command']:",
        "            exec(options['command'], globals())",
        'def run(options):',
        "    exec(options['command'], globals())",
        'def main():',
        '    eval(sys.argv[1])',
      ].join('\n'),
      'django/db/migrations/questioner.py': [
        'def ask_default(default=""):',
        '    while True:',
        '        code = input(">>> ")',
        '        if not code and default:',
        '            code = default',
        '        return eval(code, {}, {"datetime": datetime})',
        'def evaluate(code):',
        '    return eval(code, {}, {})',
      ].join('\n'),
      // ansible's strategy debugger: a cmd.Cmd shell evaluates what is typed after `p`.
      'ansible/plugins/strategy/__init__.py': [
        'import cmd',
        'class Debugger(cmd.Cmd):',
        '    def evaluate(self, args):',
        '        return eval(args, globals(), self.scope)',
        '    def replay(self):',
        '        return eval(self.saved_expression)',
      ].join('\n'),
      // calibre-debug -c CODE: the parsed command line.
      'calibre/debug.py': [
        'def main(args=sys.argv):',
        '    opts, args = option_parser().parse_args(args)',
        '    if opts.command:',
        '        exec(opts.command)',
        '    exec(args[-1])',
        '    exec(load_plugin_source(opts.plugin))',
      ].join('\n'),
      // Electrum's Qt console widget evaluates the line its user typed.
      'electrum/gui/qt/console.py': [
        'class Console(QtWidgets.QPlainTextEdit):',
        '    def runCommand(self):',
        '        command = self.getCommand()',
        '        result = eval(command, self.namespace, self.namespace)',
        'class Exporter:',
        '    def run(self):',
        '        command = self.getCommand()',
        '        return eval(command, self.namespace)',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file.split('/').pop(), f.evidence[0]?.startLine, f.confidence]),
      [
        ['shell.py', 5, 'LOW'],
        // Any code a management command's module runs comes from the person running it.
        ['shell.py', 7, 'LOW'],
        ['shell.py', 9, 'LOW'],
        ['questioner.py', 6, 'LOW'],
        ['questioner.py', 8, 'MED'],
        ['__init__.py', 4, 'LOW'],
        ['__init__.py', 6, 'MED'],
        ['debug.py', 4, 'LOW'],
        ['debug.py', 5, 'LOW'],
        ['debug.py', 6, 'MED'],
        ['console.py', 4, 'LOW'],
        ['console.py', 8, 'MED'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /types at its prompt or passes on its command line/);
  });

  it('treats Python eval with restricted __builtins__ as a deliberate LOW lead (gyp build files)', () => {
    const findings = detect(codeInjection, {
      'pylib/gyp/input.py': [
        'def LoadOneBuildFile(build_file_path):',
        '    build_file_contents = open(build_file_path, encoding="utf-8").read()',
        '    return eval(build_file_contents, {"__builtins__": {}}, None)',
        'def EvalSingleCondition(cond_expr, variables):',
        '    ast_code = compile(cond_expr, "<string>", "eval")',
        '    env = {"__builtins__": {}, "v": Version}',
        '    return eval(ast_code, env, variables)',
        'def ExpandCommand(contents):',
        '    return eval(contents)',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [3, 'LOW'],
      [7, 'LOW'],
      [9, 'MED'],
    ]);
  });

  it("reads eval of a name checked against a known set, or of a class's own name, as a lead (Manila's Dell EMC drivers)", () => {
    const findings = detect(codeInjection, {
      'manila/share/drivers/dell_emc/common/enas/xml_api_parser.py': [
        'class XMLAPIParser(object):',
        '    def parse(self, xml):',
        '        for action, elem in etree.iterparse(io.BytesIO(xml)):',
        '            func = self._get_func(action, elem.tag)',
        '            if func in vars(XMLAPIParser):',
        '                eval("self." + func)(elem, result)',
        '            eval("self." + func)()',
      ].join('\n'),
      'manila/share/drivers/dell_emc/plugins/vnx/object_manager.py': [
        'class StorageObjectManager(object):',
        '    def __init__(self, configuration):',
        '        for item in StorageObject.__subclasses__():',
        '            key = item.__name__',
        '            self.context[key] = eval(key)(self.connectors)',
        '    def load(self, name):',
        '        return eval(name)(self.connectors)',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file.split('/').pop(), f.evidence[0]?.startLine, f.confidence]),
      [
        ['xml_api_parser.py', 6, 'LOW'],
        ['xml_api_parser.py', 7, 'MED'],
        ['object_manager.py', 7, 'MED'],
      ],
    );
  });

  it('reads code a constructor wrapped in a function, used by a callback inside it, as code it runs on purpose: LOW (Node-RED Function node)', () => {
    const findings = detect(codeInjection, {
      'nodes/core/function/10-function.js': [
        "const vm = require('vm');",
        'module.exports = function (RED) {',
        '    function FunctionNode(n) {',
        '        var node = this;',
        '        node.func = n.func;',
        '        var functionText = "var results = null;" +',
        '            "results = (async function(msg){ " +',
        '                node.func + "\\n" +',
        '            "})(msg);";',
        '        Promise.resolve().then(() => {',
        '            node.script = new vm.Script(functionText, { filename: "fn" });',
        '        });',
        '    }',
        '    RED.nodes.registerType("function", FunctionNode);',
        '};',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => f.confidence),
      ['LOW'],
    );
  });

  it('gives Python a done check that fails while eval is still called, however the call is laid out (django-q)', () => {
    const before = [
      'def run(s):',
      '    kwargs = eval(f"dict({s.kwargs})")',
      '    return s.func(**kwargs)',
      'def defaults():',
      '    return eval("dict(a=1)")',
      '',
    ].join('\n');
    const findings = detect(codeInjection, { 'django_q/cluster.py': before });
    assert.deepEqual(linesAndConfidence(findings), [[2, 'MED']]);
    const check = findings[0]?.doneCheck ?? '';
    withCheckTree({ 'django_q/cluster.py': before }, (tree) => {
      const passes = (text: string) => {
        tree.write('django_q/cluster.py', text);
        return tree.run(check) === 0;
      };
      assert.equal(passes(before), false);
      assert.equal(
        passes(before.replace('eval(f"dict({s.kwargs})")', 'eval(\n        f"dict({s.kwargs})"\n    )')),
        false,
        'reformatted',
      );
      assert.equal(
        passes(
          before.replace(
            '    kwargs = eval(',
            '    code = f"dict({s.kwargs})"\n    kwargs = eval(code) if code else eval(',
          ),
        ),
        false,
        'moved',
      );
      assert.equal(passes(before.replace('eval(f"dict({s.kwargs})")', 'ast.literal_eval(s.kwargs)')), true);
      // The file's other, constant eval may stay.
      assert.equal(passes(before.replace('eval("dict(a=1)")', 'dict(a=1)')), false, 'the other call');
    });
  });
});
