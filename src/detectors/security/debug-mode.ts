import type { NapiConfig, SgNode } from '@ast-grep/napi';
import { callArguments, keywordValue } from '../correctness/enclosing-function.ts';
import { findingAt, patternGoneCheck } from '../correctness/finding-at.ts';
import type { FileDetector, FileInput, RawFinding } from '../types.ts';

/** A Django settings module: the names only settings define. */
const DJANGO_SETTINGS = /^(?:INSTALLED_APPS|ROOT_URLCONF|MIDDLEWARE|ALLOWED_HOSTS)\s*=/m;
/** Settings meant for a developer's machine or a test run: `settings/dev.py`, `local_settings.py`, `test_settings.py`. */
const DEV_SETTINGS =
  /(?:^|[/_.-])(?:dev|devel|develop|development|local|localhost|test|tests|testing|ci|debug)(?:[/_.-]|$)/i;
const FLASK = /\b(?:flask|Flask|werkzeug)\b/;
/** Addresses that listen on every interface. */
const EVERY_INTERFACE = /^[rbuRBU]?(['"])(?:0\.0\.0\.0|::|)\1$/;

/** `DEBUG = True` at the top level of a Django settings module that is not a developer's or a test run's. */
function matchSettings(node: SgNode, file: FileInput): RawFinding | undefined {
  if (node.field('right')?.text() !== 'True') return undefined;
  // Top level only: `if env == 'dev': DEBUG = True` is already a decision.
  if (node.parent()?.kind() !== 'expression_statement' || node.parent()?.parent()?.kind() !== 'module')
    return undefined;
  if (!DJANGO_SETTINGS.test(file.text) || DEV_SETTINGS.test(file.path.replace(/\.py$/, ''))) return undefined;
  // Set again further down (from the environment, or per deployment): the literal is a default.
  if ((file.text.match(/^\s*DEBUG\s*=/gm) ?? []).length > 1) return undefined;
  return findingAt(file, node, {
    doneCheck: patternGoneCheck(file, '^DEBUG[[:space:]]*=[[:space:]]*True'),
    message: `\`DEBUG = True\` in the Django settings module \`${file.path}\`: every error page shows the stack trace with local variables, the settings and the URL patterns to whoever triggered it, and Django keeps every SQL query in memory. A deployment that uses these settings as they are runs in debug mode.`,
  });
}

/** Flask's `app.run(host='0.0.0.0', debug=True)`: the Werkzeug debugger on every interface. */
function matchRun(node: SgNode, file: FileInput): RawFinding | undefined {
  if (!FLASK.test(file.text)) return undefined;
  const callee = node.field('function');
  const method = callee?.kind() === 'attribute' ? callee.field('attribute')?.text() : callee?.text();
  const args = callArguments(node);
  const debug = keywordValue(args, method === 'run_simple' ? 'use_debugger' : 'debug');
  if (debug?.text() !== 'True') return undefined;
  const positional = args.find((a) => a.kind() !== 'keyword_argument');
  const host = keywordValue(args, method === 'run_simple' ? 'hostname' : 'host') ?? positional;
  // On localhost (the default) the debugger is the development loop it is made for.
  if (!host || !EVERY_INTERFACE.test(host.text())) return undefined;
  return findingAt(file, node, {
    doneCheck: patternGoneCheck(file, `(debug|use_debugger)[[:space:]]*=[[:space:]]*True`),
    message: `\`${method}(…, ${host.text()}, debug=True)\` serves the Werkzeug debugger on every network interface: anyone who can reach the port and trigger an error gets a Python console on the server (its PIN is derived from machine details an attacker can often read), so running the app this way anywhere but a developer's laptop is remote code execution.`,
  });
}

const PY_RULE: NapiConfig = {
  rule: {
    any: [
      { kind: 'assignment', has: { field: 'left', regex: '^DEBUG$' } },
      { kind: 'call', has: { field: 'function', regex: '(^|\\.)(run|run_simple)$' } },
    ],
  },
};

/** Debug mode left on: Django `DEBUG = True` in the settings module, Flask's debugger on every interface. */
export const debugMode: FileDetector = {
  id: 'security/debug-mode',
  category: 'security',
  scope: 'file',
  requires: { python: /\bDEBUG\s*=\s*True\b|\b(?:debug|use_debugger)\s*=\s*True\b/ },
  languages: ['python'],
  title: 'Debug mode left on (Django DEBUG, Flask debugger)',
  description:
    "The application is configured to run in debug mode: Django's `DEBUG = True` in the settings module, or Flask's development server with the Werkzeug debugger listening on every interface. Debug pages hand out stack traces, settings and source to anyone who triggers an error, and the Werkzeug debugger runs arbitrary Python for them.",
  impact: 'HIGH',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Developers turn debug mode on from the environment or a local settings file; only deployments that relied on the literal stop showing debug pages.',
  confidence: 'MED',
  fixSketch:
    "Read the switch from the environment with a safe default: `DEBUG = os.environ.get('DJANGO_DEBUG') == '1'` (or keep `DEBUG = True` only in a `settings/dev.py` that production never loads); for Flask drop `debug=True` from `app.run` and use `flask run --debug` on a developer's machine, serving production with gunicorn or waitress.",
  steps: [
    'Open the cited line and find how the application is started in production (Dockerfile `CMD`, Procfile, systemd unit, `manage.py` settings module).',
    "Replace the literal with a value read from the environment that defaults to off (`os.environ.get('DJANGO_DEBUG') == '1'`, `debug=os.environ.get('FLASK_DEBUG') == '1'`), or move it to a settings file only development loads.",
    'Document the variable in the README or `.env.example` so developers still get debug mode locally.',
    'Add a test (or a `python -c` check) that imports the settings without the variable set and asserts debug mode is off (`settings.DEBUG is False`, `app.debug is False`).',
  ],
  rule: { python: PY_RULE },
  match: (node, file) => (node.kind() === 'assignment' ? matchSettings(node, file) : matchRun(node, file)),
};
