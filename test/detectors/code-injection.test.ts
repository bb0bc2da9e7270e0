// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are fixture source code that contains template literals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeInjection } from '../../src/detectors/security/code-injection.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.startLine, f.confidence]);

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
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [4, 'HIGH'],
      [6, 'MED'],
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
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.startLine, f.confidence]),
      [
        [3, 'LOW'],
        [4, 'MED'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /deliberate code generation/);
  });
});
