import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDetectors } from '../../src/audit/run-detectors.ts';
import { unusedFile } from '../../src/detectors/tech-debt/unused-file.ts';
import { recon } from '../../src/recon/recon.ts';
import { detect } from '../helpers/detector.ts';
import { makeRepo } from '../helpers/repo.ts';

const PACKAGE = JSON.stringify({
  name: 'shop',
  private: true,
  main: 'dist/index.js',
  bin: { shop: 'dist/cli.js' },
  scripts: { seed: 'tsx tools/seed.ts', worker: 'node dist/jobs/runner.js' },
});

describe('tech-debt/unused-file', () => {
  it('lists source files nothing imports, MED when nothing names them, LOW when a string might', () => {
    const findings = detect(unusedFile, {
      'package.json': PACKAGE,
      'src/index.ts': "export { total } from './orders.js';\n",
      'src/cli.ts': "#!/usr/bin/env node\nimport { total } from './orders.js';\nconsole.log(total([]));\n",
      'src/orders.ts':
        "import { money } from './format.js';\nexport const PARSERS = ['old-parser'];\nexport const total = (xs: number[]) => money(xs.length);\n",
      'src/format.ts': 'export const money = (n: number) => `$${n}`;\n',
      'src/legacy-report.ts': "import { money } from './format.js';\nexport const report = () => money(1);\n",
      'src/old-parser.ts': 'export const parse = (s: string) => s.split(",");\n',
      'src/jobs/runner.ts': "import { total } from '../orders.js';\ntotal([]);\n",
      'app/__init__.py': '',
      'app/main.py': 'from app.services.billing import charge\n\ncharge()\n',
      'app/services/__init__.py': '',
      'app/services/billing.py': 'def charge():\n    return 1\n',
      'app/services/legacy_sync.py': 'def sync():\n    return 2\n',
    });
    assert.deepEqual(
      findings.map((f) => [f.confidence, f.evidence.map((e) => e.file)]),
      [
        ['MED', ['app/services/legacy_sync.py', 'src/legacy-report.ts']],
        ['LOW', ['src/old-parser.ts']],
      ],
    );
    assert.equal(findings[0]?.title, '2 source files are imported by nothing');
    assert.match(findings[0]?.doneCheck ?? '', /\[ ! -e 'src\/legacy-report\.ts' \] \|\| grep -rlsE/);
  });

  it('leaves entry points, scripts, framework files, tests, loaders and standalone folders alone', () => {
    const findings = detect(unusedFile, {
      'package.json': PACKAGE,
      'src/index.ts': "import { a } from './lib/a.js';\nexport const x = a;\n",
      'src/lib/a.ts': 'export const a = 1;\n',
      'src/cli.ts': 'console.log(1);\n',
      'src/jobs/runner.ts': 'console.log(2);\n',
      'src/pages/home.tsx': 'export default function Home() { return null; }\n',
      'src/lib/a.test.ts': "import { a } from './a.js';\n",
      'src/lib/worker.ts': 'export const w = 1;\n',
      'src/lib/pool.ts': "export const spawn = () => new Worker(new URL('./worker.ts', import.meta.url));\n",
      'src/index-pool.ts': "import { spawn } from './lib/pool.js';\nspawn();\n",
      'src/commands/load.ts':
        "import { readdirSync } from 'node:fs';\nexport const all = readdirSync(__dirname).map((f) => require(`./${f}`));\n",
      'src/commands/deploy.ts': 'export const run = () => 1;\n',
      'tools/seed.ts': 'console.log("seed");\n',
      'tools/gen/one-off.ts': 'console.log("standalone");\n',
      'app/__main__.py': 'print(1)\n',
      'app/cron.py': 'if __name__ == "__main__":\n    print(2)\n',
    });
    assert.deepEqual(findings, []);
  });

  it('counts an import through a scope no manifest declares as an alias that may name a file (Docusaurus @theme/)', () => {
    const findings = detect(unusedFile, {
      'package.json': JSON.stringify({
        name: 'site-theme',
        private: true,
        main: 'src/index.ts',
        dependencies: { '@docusaurus/theme-common': '3.10.2', clsx: '^2.0.0' },
      }),
      'src/index.ts': "import CodeBlock from './theme/CodeBlock/index.js';\nexport { CodeBlock };\n",
      'src/theme/CodeBlock/index.tsx': [
        "import ElementContent from '@theme/CodeBlock/Content/Element';",
        "import { useThemeConfig } from '@docusaurus/theme-common';",
        "import { Legacy } from './Legacy.js';",
        'export default function CodeBlock(props: Props) {',
        '  useThemeConfig();',
        '  return <ElementContent {...props} fallback={Legacy} />;',
        '}',
      ].join('\n'),
      'src/theme/CodeBlock/Legacy.tsx': 'export const Legacy = () => null;\n',
      'src/theme/CodeBlock/Content/Element.tsx': 'export default function Element() { return null; }\n',
      'src/theme/CodeBlock/Content/Old.tsx': 'export default function Old() { return null; }\n',
      'src/theme/CodeBlock/Content/Plain.tsx':
        "import { Legacy } from '../Legacy.js';\nexport const Plain = Legacy;\n",
      'src/theme/CodeBlock/Content/Used.tsx':
        "import { Plain } from './Plain.js';\nexport const Used = Plain;\n",
      'src/theme/CodeBlock/Content/common.ts': "import { Used } from './Used.js';\nexport const x = Used;\n",
      'src/theme/CodeBlock/Content/index.tsx': "import { x } from './common.js';\nexport default x;\n",
    });
    // Element is what `@theme/CodeBlock/Content/Element` names; Old is still imported by nothing.
    assert.deepEqual(
      findings.flatMap((f) => f.evidence.map((e) => e.file)),
      ['src/theme/CodeBlock/Content/Old.tsx'],
    );
  });

  it('counts a worker started through a namespace (`new Threads.Worker(...)`) as used (Etherpad)', () => {
    const findings = detect(unusedFile, {
      'package.json': JSON.stringify({ name: 'pad', private: true, main: 'node/server.js' }),
      'node/server.js': "const minify = require('./utils/Minify');\nminify.run();\n",
      'node/utils/Minify.js': [
        "const Threads = require('threads');",
        "const pool = new Threads.Pool(() => Threads.spawn(new Threads.Worker('./MinifyWorker')), 2);",
        'exports.run = () => pool;',
      ].join('\n'),
      'node/utils/MinifyWorker.js': "const Threads = require('threads');\nThreads.expose({ x: () => 1 });\n",
      'node/utils/Unused.js': 'exports.y = () => 2;\n',
    });
    assert.deepEqual(
      findings.flatMap((f) => f.evidence.map((e) => e.file)),
      ['node/utils/Unused.js'],
    );
  });

  it('rates files a root `"./*"` export publishes LOW: a consumer may import them (@nestjs/core)', () => {
    const files = {
      'package.json': JSON.stringify({
        name: '@nestjs/core',
        type: 'module',
        main: './index.js',
        exports: { '.': './index.js', './*.js': './*.js', './*': './*.js' },
      }),
      'index.js': "export * from './nest-factory.js';\n",
      'nest-factory.js':
        "import { barrier } from './helpers/barrier.js';\nexport const NestFactory = { barrier };\n",
      'helpers/barrier.js': 'export const barrier = 1;\n',
      'helpers/destroy-streamable-file.js':
        'export function destroyStreamableFile(value) {\n  value.getStream().destroy();\n}\n',
    };
    const summary = (pkg: unknown) =>
      detect(unusedFile, { ...files, 'package.json': JSON.stringify(pkg) }).map((f) => [
        f.confidence,
        f.evidence.map((e) => e.file),
      ]);
    assert.deepEqual(summary(JSON.parse(files['package.json'])), [
      ['LOW', ['helpers/destroy-streamable-file.js']],
    ]);
    assert.deepEqual(summary({ name: '@nestjs/core', private: true, exports: { '.': './index.js' } }), [
      ['MED', ['helpers/destroy-streamable-file.js']],
    ]);
  });

  it('rates sources of a compiled wildcard export LOW: @auth/core publishes src/providers/ as providers/*', () => {
    const files = {
      'package.json': JSON.stringify({
        name: '@auth/core',
        type: 'module',
        exports: {
          '.': { types: './index.d.ts', import: './index.js' },
          './providers/*': { types: './providers/*.d.ts', import: './providers/*.js' },
        },
      }),
      'src/index.ts': "export { signIn } from './lib/sign-in.js';\n",
      'src/lib/sign-in.ts':
        "import type { OAuthConfig } from '../providers/oauth.js';\nexport const signIn = 1;\n",
      'src/providers/oauth.ts': 'export interface OAuthConfig { id: string }\n',
      'src/providers/ory-hydra.ts': 'export default function OryHydra(options) {\n  return options;\n}\n',
      'src/lib/unused-helper.ts': 'export const helper = 1;\n',
    };
    assert.deepEqual(
      detect(unusedFile, files).map((f) => [f.confidence, f.evidence.map((e) => e.file)]),
      [
        ['MED', ['src/lib/unused-helper.ts']],
        ['LOW', ['src/providers/ory-hydra.ts']],
      ],
    );
  });

  it('sees Python imports that come after an f-string with a field (httpie man_pages)', () => {
    const findings = detect(unusedFile, {
      'httpie/__init__.py': '',
      'httpie/__main__.py': 'from httpie.cli.argparser import Parser\n\nParser().print_manual()\n',
      'httpie/cli/__init__.py': '',
      'httpie/cli/argparser.py': [
        'from httpie.output.ui.palette import COLORS',
        '',
        'class Parser:',
        '    def error(self, invalid):',
        '        raise SystemExit(f\'unrecognized arguments: {" ".join(invalid)}\')',
        '',
        '    def print_manual(self):',
        '        from httpie.output.ui import man_pages',
        '',
        "        man_pages.display_for('http')",
        '',
      ].join('\n'),
      'httpie/output/__init__.py': '',
      'httpie/output/ui/__init__.py': '',
      'httpie/output/ui/palette.py': 'COLORS = {}\n',
      'httpie/output/ui/man_pages.py': 'def display_for(name):\n    return name\n',
      'httpie/output/ui/_unused.py': 'def nothing():\n    return None\n',
    });
    assert.deepEqual(
      findings.map((f) => [f.confidence, f.evidence.map((e) => e.file)]),
      [['MED', ['httpie/output/ui/_unused.py']]],
    );
  });

  it('leaves modules a Python entry point names alone: console scripts, [project.scripts], entry_points.txt (Patroni)', () => {
    const code = (name: string) => `from pkg import core\n\ndef ${name}():\n    core.run()\n`;
    const findings = detect(unusedFile, {
      'setup.py': [
        'from setuptools import setup',
        'setup(',
        '    name="pkg",',
        '    entry_points={"console_scripts": ["pkg_raft = pkg._raft_controller:main"]},',
        ')',
        '',
      ].join('\n'),
      'setup.cfg': '[options.entry_points]\nconsole_scripts =\n    pkg-aws = pkg._aws:main\n',
      'tools/pyproject.toml': '[project]\nname = "tools"\n\n[project.scripts]\ntool = "pkg._tool:run"\n',
      'pkg.egg-info/entry_points.txt': '[console_scripts]\npkg_restore = pkg._restore:main\n',
      'pkg/__init__.py': '',
      'pkg/__main__.py': code('main'),
      'pkg/core.py': 'def run():\n    return 1\n',
      'pkg/_raft_controller.py': code('main'),
      'pkg/_aws.py': code('main'),
      'pkg/_tool.py': code('run'),
      'pkg/_restore.py': code('main'),
      'pkg/_orphan.py': code('main'),
    });
    assert.deepEqual(
      findings.map((f) => [f.confidence, f.evidence.map((e) => e.file)]),
      [['MED', ['pkg/_orphan.py']]],
    );
  });

  it('rates public modules of an installed Python distribution LOW, private ones MED (pymongo event_loggers)', () => {
    const files = {
      'pyproject.toml': '[project]\nname = "foo"\nversion = "1.0"\n',
      'foo/__init__.py': 'from foo.a import x\n',
      'foo/a.py': 'x = 1\n',
      'foo/event_loggers.py': 'import logging\n\nclass CommandLogger:\n    pass\n',
      'foo/_legacy.py': 'def old():\n    return 1\n',
    };
    const summary = (tree: Record<string, string>) =>
      detect(unusedFile, tree).map((f) => [f.confidence, f.evidence.map((e) => e.file)]);
    assert.deepEqual(summary(files), [
      ['MED', ['foo/_legacy.py']],
      ['LOW', ['foo/event_loggers.py']],
    ]);
    // A pyproject.toml with tool settings only builds nothing: an application's modules.
    assert.deepEqual(summary({ ...files, 'pyproject.toml': '[tool.ruff]\nline-length = 100\n' }), [
      ['MED', ['foo/_legacy.py', 'foo/event_loggers.py']],
    ]);
    // An installed distribution (django-filter from site-packages): its metadata says so.
    const { 'pyproject.toml': _, ...installed } = files;
    assert.deepEqual(summary({ ...installed, 'foo-1.0.dist-info/METADATA': 'Name: foo\n' }), [
      ['MED', ['foo/_legacy.py']],
      ['LOW', ['foo/event_loggers.py']],
    ]);
  });

  it('rates modules LOW where plugins load by entry point and no packaging metadata lists them (Mistral, Glance)', () => {
    const files = {
      'mistral/__init__.py': '',
      'mistral/rpc/__init__.py': '',
      'mistral/rpc/base.py':
        "from stevedore import driver\nfrom mistral.rpc.oslo import oslo_client\nfrom mistral.scheduler import base\ndef get_server(impl):\n    return driver.DriverManager('mistral.rpc.backends', '%s_server' % impl).driver\n",
      'mistral/rpc/oslo/__init__.py': '',
      'mistral/rpc/oslo/oslo_client.py': 'x = 1\n',
      'mistral/rpc/oslo/oslo_server.py': 'class OsloRPCServer(object):\n    pass\n',
      'mistral/scheduler/__init__.py': '',
      'mistral/scheduler/base.py': 'y = 1\n',
      'mistral/scheduler/scheduler_server.py': 'class SchedulerServer(object):\n    pass\n',
      'mistral/cmd/launch.py':
        'from mistral.rpc import base\nif __name__ == "__main__":\n    base.get_server("oslo")\n',
    };
    const summary = (tree: Record<string, string>) =>
      detect(unusedFile, tree).map((f) => [f.confidence, f.evidence.map((e) => e.file)]);
    assert.deepEqual(summary(files), [
      ['LOW', ['mistral/rpc/oslo/oslo_server.py', 'mistral/scheduler/scheduler_server.py']],
    ]);
    // With its setup.cfg the entry points are known: the one they name is no finding; the other
    // is a public module of the distribution, LOW as before.
    assert.deepEqual(
      summary({
        ...files,
        'setup.cfg':
          '[metadata]\nname = mistral\n[entry_points]\nmistral.rpc.backends =\n    oslo_server = mistral.rpc.oslo.oslo_server:OsloRPCServer\n',
      }),
      [['LOW', ['mistral/scheduler/scheduler_server.py']]],
    );
    // A plain application that loads no plugins: MED, unless an option value names the module.
    const plain = {
      ...files,
      'mistral/rpc/base.py': 'from mistral.rpc.oslo import oslo_client\nfrom mistral.scheduler import base\n',
    };
    assert.deepEqual(summary(plain), [
      ['MED', ['mistral/rpc/oslo/oslo_server.py', 'mistral/scheduler/scheduler_server.py']],
    ]);
    assert.deepEqual(
      summary({
        ...plain,
        'mistral/scheduler/base.py': "y = 1\nopt = Opt('servers', sample_default='[oslo_server]')\n",
      }),
      [
        ['MED', ['mistral/scheduler/scheduler_server.py']],
        ['LOW', ['mistral/rpc/oslo/oslo_server.py']],
      ],
    );
  });

  it('rates a module of UPPER_CASE settings LOW: a framework loads it by itself (Horizon enabled/ files)', () => {
    const files = {
      'designatedashboard/__init__.py': 'from designatedashboard import api\n',
      'designatedashboard/api.py': 'from designatedashboard.enabled import base\n',
      'designatedashboard/enabled/__init__.py': '',
      'designatedashboard/enabled/base.py': 'def register(panel):\n    return panel\n',
      'designatedashboard/enabled/_1721_dns_zones_panel.py':
        "# The slug of the panel.\nPANEL = 'dnszones'\nADD_PANEL = (\n    'designatedashboard.dashboards.zones.panel.Zones')\nAUTO_DISCOVER_STATIC_FILES = True\n",
      // Code beside its constants: a module to import, which nothing does.
      'designatedashboard/enabled/old_panel.py': "PANEL = 'old'\ndef register():\n    return PANEL\n",
      // Falcon's shim for a renamed module: kept for its users' old imports.
      'designatedashboard/enabled/api_helpers.py':
        "import warnings\nfrom .base import *  # NOQA\nwarnings.warn('The api_helpers module was renamed to base.', DeprecationWarning)\n",
      // Social Auth's config.py: one re-export kept for backward compatibility.
      'designatedashboard/enabled/config.py':
        '# For backward compatibility. You should use the configuration from the base module\nfrom .base import register  # noqa: F401\n',
      // A Django context processor is named in the project's settings, not imported.
      'designatedashboard/enabled/context_processors.py': 'def backends(request):\n    return {}\n',
    };
    assert.deepEqual(
      detect(unusedFile, files).map((f) => [f.confidence, f.evidence.map((e) => e.file)]),
      [
        ['MED', ['designatedashboard/enabled/old_panel.py']],
        [
          'LOW',
          [
            'designatedashboard/enabled/_1721_dns_zones_panel.py',
            'designatedashboard/enabled/api_helpers.py',
            'designatedashboard/enabled/config.py',
          ],
        ],
      ],
    );
  });

  it("counts what a generated module imports, though the module itself is skipped (CyberChef's operations index)", async (t) => {
    const repo = makeRepo({
      'package.json': JSON.stringify({ name: 'chef', private: true, main: 'src/node/index.mjs' }),
      'src/node/index.mjs':
        "import * as operations from '../core/operations/index.mjs';\nimport AESEncrypt from '../core/operations/AESEncrypt.mjs';\nexport default { operations, AESEncrypt };\n",
      'src/core/operations/index.mjs':
        '/**\n * THIS FILE IS AUTOMATICALLY GENERATED BY src/core/config/scripts/generateConfig.mjs\n */\nimport AESDecrypt from "./AESDecrypt.mjs";\nimport AESEncrypt from "./AESEncrypt.mjs";\nexport { AESDecrypt, AESEncrypt };\n',
      'src/core/operations/AESDecrypt.mjs': 'export default class AESDecrypt {}\n',
      'src/core/operations/AESEncrypt.mjs': 'export default class AESEncrypt {}\n',
      'src/core/operations/Retired.mjs': 'export default class Retired {}\n',
    });
    t.after(repo.dispose);
    const profile = await recon(repo.dir);
    assert.ok(
      profile.skipped.some(
        (file) => file.path === 'src/core/operations/index.mjs' && file.reason === 'generated',
      ),
    );
    const { findings } = runDetectors(profile, [unusedFile], { level: 'standard', focus: [] });
    assert.deepEqual(
      findings.map((f) => f.evidence.map((e) => e.file)),
      [['src/core/operations/Retired.mjs']],
    );
  });
});
