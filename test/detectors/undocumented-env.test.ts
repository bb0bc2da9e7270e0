import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { undocumentedEnv } from '../../src/detectors/dx/undocumented-env.ts';
import { detect } from '../helpers/detector.ts';

const CODE = {
  'src/config.ts': [
    'export const config = {',
    '  db: process.env.DATABASE_URL,',
    "  key: process.env['STRIPE_KEY'],",
    "  env: process.env.NODE_ENV ?? 'development',",
    '  port: Number(process.env.PORT ?? 3000),',
    '};',
    'const { SENTRY_DSN, LOG_LEVEL = "info" } = process.env;',
    '// process.env.IN_A_COMMENT is not a read',
    "process.env.FOR_THE_CHILD = '1';",
    // NodeBB's installer: a method of the object, not a variable.
    'for (const i in req.body) if (req.body.hasOwnProperty(i) && !process.env.hasOwnProperty(i)) set(i);',
    // Eleventy: a debug message that names the variable it sets.
    'debug("Setting process.env.ELEVENTY_ROOT: %o", env.root);',
    "log('Read process.env.IN_QUOTES here');",
    // nodemon: Windows matches its own variables in any case.
    "const shell = process.env.comspec || 'cmd';",
    'const appData = process.env.AppData;',
  ].join('\n'),
  'app/settings.py': [
    'import os',
    'SECRET = os.environ["DJANGO_SECRET_KEY"]',
    'REDIS = os.getenv("REDIS_URL", "redis://localhost")',
    'DEBUG = os.environ.get("DEBUG") == "1"',
    'os.environ["TZ_FOR_CHILD"] = "UTC"',
  ].join('\n'),
  'test/config.test.ts': 'process.env.ONLY_IN_TESTS = "1";\n',
};

describe('dx/undocumented-env', () => {
  it('lists the variables code reads that no doc, example env or deployment file names', () => {
    const findings = detect(undocumentedEnv, {
      ...CODE,
      'README.md': '# api\n\nSet `DATABASE_URL` to your Postgres database.\n',
      'docker-compose.yml': 'services:\n  api:\n    environment:\n      - REDIS_URL=redis://cache:6379\n',
    });
    assert.equal(findings.length, 1);
    const finding = findings[0];
    assert.equal(finding?.title, '4 environment variables are read but documented nowhere');
    assert.match(
      finding?.message ?? '',
      /`DJANGO_SECRET_KEY` \(app\/settings\.py:2\), `STRIPE_KEY` \(src\/config\.ts:3\), `SENTRY_DSN` \(src\/config\.ts:7\), `LOG_LEVEL` \(src\/config\.ts:7\)/,
    );
    assert.doesNotMatch(
      finding?.message ?? '',
      /NODE_ENV|PORT|DEBUG|ONLY_IN_TESTS|IN_A_COMMENT|FOR_THE_CHILD|TZ_FOR_CHILD|DATABASE_URL|REDIS_URL|hasOwnProperty|ELEVENTY_ROOT|IN_QUOTES|comspec|AppData/,
    );
    assert.deepEqual(
      finding?.evidence.map((e) => `${e.file}:${e.startLine}`),
      ['app/settings.py:2', 'src/config.ts:3', 'src/config.ts:7'],
    );
    assert.equal(finding?.impact, 'MED');
    assert.match(
      finding?.doneCheck ?? '',
      /for v in 'DJANGO_SECRET_KEY' 'STRIPE_KEY' 'SENTRY_DSN' 'LOG_LEVEL'; do grep -rqsFw/,
    );
  });

  it("reads os.environ and an imported environ, not a WSGI request's environ (designate)", () => {
    const findings = detect(undocumentedEnv, {
      // Kubernetes sets KUBERNETES_* in every pod (buildbot's kubeclientservice): nobody documents them.
      'app/kube.py': "import os\nport = os.environ.get('KUBERNETES_PORT')\n",
      // pm2: what the shell and nvm set.
      'lib/env.js': 'const shell = process.env.OSTYPE;\nconst nvm = process.env.NVM_DIR;\n',
      'app/handler.py': [
        'import os',
        'from os import environ',
        'def criterion(request):',
        "    tsigkey = request.environ.get('tsigkey')",
        "    self.request.environ.setdefault('wsgi.errors', None)",
        "    region = os.environ.get('DNS_REGION')",
        "    zone = environ.get('DNS_ZONE')",
        '    return tsigkey, region, zone',
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    assert.match(
      findings[0]?.message ?? '',
      /`DNS_REGION` \(app\/handler\.py:6\), `DNS_ZONE` \(app\/handler\.py:7\)/,
    );
    assert.doesNotMatch(findings[0]?.message ?? '', /tsigkey|wsgi|KUBERNETES|OSTYPE|NVM_DIR/);
  });

  it('takes an option’s help text anywhere in the code that names the variable for documentation (Glance)', () => {
    const findings = detect(undocumentedEnv, {
      'glance/image_cache/client.py': [
        'import os',
        'def get_client(host, username=None, token=None):',
        "    username = username or os.environ.get('OS_USERNAME')",
        "    token = token or os.environ.get('OS_TOKEN')",
      ].join('\n'),
      'glance/cmd/cache_manage.py': [
        'def env(*names):',
        '    return next((os.environ[n] for n in names if n in os.environ), None)',
        "parser.add_argument('--os-username', default=env('OS_USERNAME'),",
        "                    help='Defaults to env[OS_USERNAME].')",
      ].join('\n'),
      // Celery's remote debugger documents its variables for Sphinx in the module docstring.
      'celery/contrib/rdb.py': [
        '"""Remote Debugger.',
        '',
        '.. envvar:: CELERY_RDB_HOST',
        '',
        '    Hostname to bind to.',
        '"""',
        'import os',
        "HOST = os.environ.get('CELERY_RDB_HOST') or '127.0.0.1'",
        "TRACE = os.environ.get('CELERY_TRACE_APP')  # see :envvar:`CELERY_TRACE_APP`",
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /`OS_TOKEN`/);
    assert.doesNotMatch(findings[0]?.message ?? '', /OS_USERNAME|CELERY_RDB_HOST|CELERY_TRACE_APP/);
  });

  it('takes a bare environ for the WSGI environment where os.environ is not imported by that name (aodh)', () => {
    const findings = detect(undocumentedEnv, {
      'aodh/api/middleware.py': [
        'import os',
        'class ParsableErrorMiddleware(object):',
        '    def __call__(self, environ, start_response):',
        "        error = environ.get('translatable_error')",
        "        debug = environ['wsgi.errors']",
        "        region = os.environ.get('AODH_REGION')",
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /`AODH_REGION`/);
    assert.doesNotMatch(findings[0]?.message ?? '', /translatable_error/);
  });

  it('still reads a variable used inside a template literal or a string built around it', () => {
    const findings = detect(undocumentedEnv, {
      'src/client.ts': [
        'export const base = `${process.env.API_URL}/v1`;',
        "export const token = 'Bearer ' + process.env.API_TOKEN;",
        'export const note = `uses process.env.NOT_A_READ`;',
      ].join('\n'),
    });
    assert.match(findings[0]?.message ?? '', /`API_URL`.*`API_TOKEN`/);
    assert.doesNotMatch(findings[0]?.message ?? '', /NOT_A_READ/);
  });

  it('counts a variable named by a message of the program as documented (mongoose SUPPRESS_JEST_WARNINGS)', () => {
    const findings = detect(undocumentedEnv, {
      'lib/helpers/printJestWarning.js': [
        "if (typeof jest !== 'undefined' && !process.env.SUPPRESS_JEST_WARNINGS) {",
        '  utils.warn(',
        "    'Mongoose: looks like you\\'re trying to test a Mongoose app with Jest. See: ' +",
        "      'https://mongoosejs.com/docs/jest.html. Set the SUPPRESS_JEST_WARNINGS to true ' +",
        "      'to hide this warning.'",
        '  );',
        '}',
        "const timeout = Number(process.env['MONGOOSE_TIMEOUT'] ?? 10);",
        "const region = process.env.AWS_REGION || 'eu-west-1';",
        "console.log('region', region);",
      ].join('\n'),
      // jupyter_server: an option's help text names the variable that sets its default.
      'jupyter_server/gateway/gateway_client.py': [
        'class GatewayClient(SingletonConfigurable):',
        '    connect_timeout = Float(',
        '        help="""The time allowed for HTTP connection establishment with the Gateway server.',
        '        (JUPYTER_GATEWAY_CONNECT_TIMEOUT env var)""",',
        '    )',
        '    @default("connect_timeout")',
        '    def connect_timeout_default(self):',
        '        return float(os.environ.get("JUPYTER_GATEWAY_CONNECT_TIMEOUT", 40.0))',
        '    def retries(self):',
        '        """How often to retry."""',
        '        return int(os.environ.get("JUPYTER_GATEWAY_MAX_REQUEST_RETRIES", 5))',
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.message ?? '', /`JUPYTER_GATEWAY_MAX_REQUEST_RETRIES`.*`MONGOOSE_TIMEOUT`/);
    assert.doesNotMatch(findings[0]?.message ?? '', /SUPPRESS_JEST_WARNINGS|JUPYTER_GATEWAY_CONNECT_TIMEOUT/);
  });

  it('is silent when a .env.example lists every variable', () => {
    const example =
      'DATABASE_URL=\nSTRIPE_KEY=\nSENTRY_DSN=\nLOG_LEVEL=info\nDJANGO_SECRET_KEY=\nREDIS_URL=\n';
    assert.deepEqual(detect(undocumentedEnv, { ...CODE, '.env.example': example }), []);
  });

  it('leaves out variables the program sets to a constant itself, not those it sets from a value (celery)', () => {
    const findings = detect(undocumentedEnv, {
      'celery/app/log.py': [
        'import os',
        'def setup(loglevel, logfile):',
        '    os.environ.update(',
        "        _MP_FORK_LOGLEVEL_='1',",
        "        CELERY_LOG_FILE=str(logfile) if logfile else '',",
        '    )',
        "    os.environ.update({'CELERY_MP': '1'})",
        '    os.environ["CELERY_CHILD"] = "1"',
        "    os.putenv('CELERY_PUT', '1')",
      ].join('\n'),
      'celery/bin/celery.py': [
        'import os',
        'def main(broker):',
        "    os.environ['CELERY_BROKER_URL'] = broker",
      ].join('\n'),
      'celery/apps/worker.py': [
        'import os',
        "os.environ.setdefault('celery_dummy_proxy', 'set_by_celeryd')",
        "if os.environ.get('celery_dummy_proxy'): pass",
        "level = os.environ.get('_MP_FORK_LOGLEVEL_')",
        "logfile = os.environ.get('CELERY_LOG_FILE') or None",
        "mp = os.environ.get('CELERY_MP') or os.environ.get('CELERY_CHILD') or os.getenv('CELERY_PUT')",
        "broker = os.environ.get('CELERY_BROKER_URL')",
      ].join('\n'),
      'src/cli.js': ["process.env.APP_CHILD_MODE = '1';", 'process.env.APP_TARGET = target;'].join('\n'),
      'src/child.js': [
        'export const child = process.env.APP_CHILD_MODE === "1";',
        'export const target = process.env.APP_TARGET;',
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    // Set from a command-line option or a computed value: still a way in that nobody documented.
    assert.equal(findings[0]?.title, '3 environment variables are read but documented nowhere');
    assert.match(findings[0]?.message ?? '', /`CELERY_LOG_FILE` .*`CELERY_BROKER_URL` .*`APP_TARGET`/);
    assert.doesNotMatch(
      findings[0]?.message ?? '',
      /celery_dummy_proxy|_MP_FORK|CELERY_MP|CELERY_CHILD|CELERY_PUT|APP_CHILD_MODE/,
    );
  });

  it('leaves out variables set to a constant in the environment handed to a child, those sudo sets, and a standard name in lower case (Express Gateway, Signal K, Botkit)', () => {
    const findings = detect(undocumentedEnv, {
      'bin/execution-scope.js': [
        'if (!process.env.EG_LOCAL_EXEC && fs.existsSync(localBin)) {',
        '  const childEnv = process.env;',
        '  childEnv.EG_LOCAL_EXEC = true;',
        '  spawn(localBin, args, { env: childEnv });',
        '}',
        "const copy = Object.assign({}, process.env); copy['GW_COPIED'] = '1';",
        "spawn(cmd, { env: { ...process.env, GW_SPREAD: 'yes', GW_TARGET: target } });",
        'if (process.env.GW_COPIED || process.env.GW_SPREAD || process.env.GW_TARGET) run();',
      ].join('\n'),
      'bin/setup.js': 'const uid = process.env.SUDO_UID; const gid = process.env.SUDO_GID;',
      // Botkit: the lower-case spelling of PORT.
      'src/core.ts': 'const port = process.env.port || process.env.PORT || 3000;',
      // CherryPy: systemd's socket activation says which process its sockets are for.
      'cherrypy/process/servers.py': "import os\nif not os.environ.get('LISTEN_PID', None):\n    bind()\n",
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.title, 'Environment variable GW_TARGET is read but documented nowhere');
  });

  it("leaves out what a Python program sets in its child's copy of the environment, and reads in docstrings (Bottle, Quart)", () => {
    const findings = detect(undocumentedEnv, {
      'bottle.py': [
        'import os, subprocess, sys, tempfile',
        'def run(reloader=False):',
        "    if reloader and not os.environ.get('BOTTLE_CHILD'):",
        "        fd, lockfile = tempfile.mkstemp(prefix='bottle.', suffix='.lock')",
        '        environ = os.environ.copy()',
        "        environ['BOTTLE_CHILD'] = 'true'",
        "        environ['BOTTLE_LOCKFILE'] = lockfile",
        '        subprocess.Popen([sys.executable] + sys.argv, env=environ)',
        "    lockfile = os.environ.get('BOTTLE_LOCKFILE')",
        "    subprocess.run(['x'], env={**os.environ, 'BOTTLE_MERGED': lockfile})",
        "    return os.environ.get('BOTTLE_MERGED'), os.environ.get('BOTTLE_HOME')",
      ].join('\n'),
      // Gunicorn's re-exec: a copy of the environment it started with, handed to execvpe.
      'gunicorn/arbiter.py': [
        'import os',
        'class Arbiter:',
        '    def start(self):',
        "        if 'GUNICORN_PID' in os.environ:",
        "            self.master_pid = int(os.environ.get('GUNICORN_PID'))",
        "        fds = os.environ.pop('GUNICORN_FD')",
        '    def reexec(self):',
        '        environ = self.cfg.env_orig.copy()',
        "        environ['GUNICORN_PID'] = str(os.getpid())",
        "        environ['GUNICORN_FD'] = ','.join(fds)",
        "        os.execvpe(self.START_CTX[0], self.START_CTX['args'], environ)",
      ].join('\n'),
      // httpx: OpenSSL's and curl's standard variables.
      'httpx/_utils.py': [
        'import os',
        "cert_file = os.environ.get('SSL_CERT_FILE')",
        "cert_dir = os.environ.get('SSL_CERT_DIR')",
        "netrc = os.environ.get('NETRC')",
        "keylog = os.environ.get('SSLKEYLOGFILE')",
      ].join('\n'),
      'quart/config.py': [
        'import os',
        'class Config(dict):',
        '    def from_envvar(self, variable_name):',
        '        """Load the configuration from a file named by an environment variable.',
        '',
        '        .. code-block:: python',
        '',
        "            filename = os.environ['CONFIG']",
        '        """',
        '        return os.environ.get(variable_name)',
        '    label = "os.environ.get(\'IN_A_STRING\')"',
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    // Read and never set by the program itself: still undocumented.
    assert.equal(findings[0]?.title, 'Environment variable BOTTLE_HOME is read but documented nowhere');
  });

  it('takes doc comments for documentation and their code examples for no reads (Auth.js, openai, passlib)', () => {
    const findings = detect(undocumentedEnv, {
      // Auth.js: a whole example inside JSDoc, on lines without a leading `*`.
      'src/providers/fusionauth.ts': [
        '/**',
        ' * #### Configuration',
        ' *```ts',
        'export const { handlers } = NextAuth({',
        '  providers: [{ issuer: process.env.AUTH_FUSIONAUTH_ISSUER! }],',
        '})',
        ' * ```',
        ' */',
        'export default function FusionAuth(options) {',
        '  return { issuer: options.issuer ?? process.env.FUSIONAUTH_FALLBACK };',
        '}',
      ].join('\n'),
      // openai: the default named in TSDoc.
      'src/azure.ts': [
        '/**',
        " * @param {string | undefined} [opts.endpoint=process.env['AZURE_OPENAI_ENDPOINT'] ?? undefined]",
        ' */',
        "export const endpoint = (opts) => opts.endpoint ?? process.env['AZURE_OPENAI_ENDPOINT'];",
      ].join('\n'),
      // passlib: read in one module, documented in another's docstring.
      'passlib/utils/__init__.py':
        "import os\nMAX_PASSWORD_SIZE = int(os.environ.get('PASSLIB_MAX_PASSWORD_SIZE') or 4096)\n",
      'passlib/exc.py': [
        'class PasswordSizeError(ValueError):',
        '    """Error raised if a password exceeds the maximum size allowed.',
        '',
        '    Applications wishing to use a different limit should set the',
        '    ``PASSLIB_MAX_PASSWORD_SIZE`` environmental variable before Passlib is loaded.',
        '    """',
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    assert.equal(
      findings[0]?.title,
      'Environment variable FUSIONAUTH_FALLBACK is read but documented nowhere',
    );
  });
});
