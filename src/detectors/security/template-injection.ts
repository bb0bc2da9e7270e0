import type { SgNode } from '@ast-grep/napi';
import { jsAndPython, jsCall, pythonCall } from '../call-rules.ts';
import { callArguments, calleeText, kindOf } from '../correctness/enclosing-function.ts';
import { jsGate } from '../text-gate.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';
import { requestFlow } from './request-flow.ts';
import { codeText, describeSource, sinkFinding, worstPart } from './sink-finding.ts';
import { builtString, isPython } from './value-source.ts';

/** Template engines that compile their first argument as template source. */
const JS_COMPILERS =
  /^(?:Handlebars|handlebars|hbs|ejs|pug|jade|nunjucks|Mustache|mustache|swig|doT|dot|_|lodash|Sqrl|eta|Eta|liquid|engine)\.(?:compile|precompile|render|renderString|template)$|^(?:renderString|compileTemplate)$/;
/** Python callables that compile a template from a string. */
const PY_DIRECT = /^(?:flask\.)?render_template_string$|(?:^|\.)from_string$/;
const PY_TEMPLATE_CLASS = /^(?:jinja2\.|mako\.template\.|django\.template\.)?Template$/;
const PY_ENGINE_IMPORT =
  /^\s*(?:from\s+(?:jinja2|mako\.template|django\.template)\b|import\s+(?:jinja2|mako))/m;

/**
 * A template's own text read from a file (`fs.readFileSync(path).toString()`, Python's
 * `open(path).read()` or `Path(path).read_text()`): that is how templates are loaded, not data put
 * into one. Who chooses the path is a path-traversal question, asked by that detector.
 */
const FILE_TEXT =
  /^(?:await\s+)?(?:[\w.]+\.)?(?:readFileSync|readFile)\s*\([\s\S]*\)(?:\.toString\(\s*(?:['"][\w-]+['"])?\s*\))?$|^(?:open|[\w.]*Path)\s*\([\s\S]*\)\.(?:read|read_text)\(\s*\)$/;

function templateSource(node: SgNode, file: FileInput, python: boolean): SgNode | undefined {
  const callee = calleeText(node);
  const [first] = callArguments(node);
  if (!first) return undefined;
  const value = first.kind() === 'keyword_argument' ? first.field('value') : first;
  if (!value) return undefined;
  if (!python) return JS_COMPILERS.test(callee) ? value : undefined;
  if (PY_DIRECT.test(callee)) return value;
  // `Template` is also `string.Template`, which only substitutes `$names`.
  return PY_TEMPLATE_CLASS.test(callee) && PY_ENGINE_IMPORT.test(file.text) ? value : undefined;
}

function matchTemplate(node: SgNode, file: FileInput): RawFinding | undefined {
  const python = isPython(file.language);
  const source = templateSource(node, file, python);
  if (!source || (kindOf(source) === 'identifier' && /^[A-Z][A-Z0-9_]*$/.test(source.text())))
    return undefined;
  const callee = calleeText(node);
  const fromRequest = requestFlow(source, { python });
  if (fromRequest) {
    return sinkFinding(
      file,
      node,
      fromRequest,
      'request',
      `\`${callee}()\` compiles request data (\`${codeText(fromRequest)}\`) as a template. Template syntax in it (\`{{ … }}\`, \`<% … %>\`) is executed on the server: in Jinja2, EJS, Pug and Handlebars that reaches the interpreter and runs arbitrary code.`,
    );
  }
  const built = builtString(source, python);
  if (!built) return undefined;
  const dynamic = built.dynamic.filter((part) => !FILE_TEXT.test(part.text()));
  const { source: kind, part } = worstPart(dynamic, python);
  if (kind === 'constant' || !part) return undefined;
  return sinkFinding(
    file,
    node,
    part,
    kind,
    `\`${callee}()\` compiles a template whose source interpolates ${describeSource(kind, part)}. Data belongs in the render context, not in the template text: template syntax inside the value is executed on the server.`,
  );
}

const JS_RULE = jsCall('(^|\\.)(compile|precompile|render|renderString|template|compileTemplate)$');

/** Request data (or interpolated data) compiled as template source: server-side template injection. */
export const templateInjection: FileDetector = {
  id: 'security/template-injection',
  category: 'security',
  scope: 'file',
  requires: {
    // Every compiler call above is `<engine>.<method>(` or a bare `renderString(`/`compileTemplate(`
    // (not three.js's `renderer.render(scene, camera)`).
    // A cheap literal scan first: most files fail it, and it is a third of the cost of the second.
    ...jsGate([
      /\.(?:compile|precompile|render|template)|renderString|compileTemplate/,
      /\b(?:Handlebars|handlebars|hbs|ejs|pug|jade|nunjucks|Mustache|mustache|swig|doT|dot|_|lodash|Sqrl|eta|Eta|liquid|engine)\.(?:compile|precompile|render|renderString|template)\b|\b(?:renderString|compileTemplate)\b/,
    ]),
    // `Template` only counts with a template engine imported.
    python: /render_template_string|from_string|\b(?:jinja2|mako|django\.template)\b/,
  },
  languages: ['typescript', 'tsx', 'javascript', 'python'],
  title: 'Template compiled from request data (server-side template injection)',
  description:
    'Text from the request, or text with data interpolated into it, is compiled as a template (`render_template_string`, Jinja2 `Template`, `Handlebars.compile`, `ejs.render`, `pug.render`, …). Template languages can reach the interpreter, so whoever controls that text runs code on the server; at best they read every variable in the render context.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Moving the data into the render context produces the same output for ordinary values; only template syntax in the data stops being executed.',
  confidence: 'HIGH',
  fixSketch:
    'Keep the template text constant (a file or a literal) and pass the data as context: `render_template_string(PAGE, name=name)`, `ejs.render(TEMPLATE, { name })`. If users must author templates, use a logic-less engine in a sandbox (Jinja2 `SandboxedEnvironment`) and never render them with server secrets in the context.',
  steps: [
    'Open the cited line and find which part of the template text comes from data.',
    'Move that data into the render context: replace the interpolation in the template text with a variable (`{{ name }}`, `<%= name %>`) and pass the value as a context argument to the same call.',
    'If the whole template comes from a user on purpose, switch to a sandboxed environment (`jinja2.sandbox.SandboxedEnvironment().from_string(...)`) and render it with a context that holds only the fields it may show.',
    'Add a test that sends `{{7*7}}` (or `<%= 7*7 %>`) as the value and asserts the response contains the literal text, not `49`.',
  ],
  rule: jsAndPython(
    JS_RULE,
    pythonCall(
      '^(flask\\.)?render_template_string$|(^|\\.)from_string$|^(jinja2\\.|mako\\.template\\.|django\\.template\\.)?Template$',
    ),
  ),
  match: matchTemplate,
};
