import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { circularImport } from '../../src/detectors/tech-debt/circular-import.ts';
import { detect } from '../helpers/detector.ts';

describe('tech-debt/circular-import', () => {
  it('reports each cycle once, with the import lines that close it', () => {
    const findings = detect(circularImport, {
      'src/orders.ts':
        "import { priceOf } from './pricing.js';\nexport const total = (ids: string[]) => ids.map(priceOf);\n",
      'src/pricing.ts':
        "import { total } from './orders.js';\nexport const priceOf = (id: string) => id.length;\nexport const sum = total;\n",
      'src/a.js': "const { b } = require('./b');\nmodule.exports = { a: () => b() };\n",
      'src/b.js': "const { c } = require('./c');\nmodule.exports = { b: () => c() };\n",
      'src/c.js': "const { a } = require('./a');\nmodule.exports = { c: () => a() };\n",
    });
    assert.deepEqual(
      findings.map((f) => [f.title, f.evidence.map((e) => `${e.file}:${e.startLine}`)]),
      [
        ['Circular import between src/orders.ts and src/pricing.ts', ['src/orders.ts:1', 'src/pricing.ts:1']],
        [
          'Circular import through 3 modules starting at src/a.js',
          ['src/a.js:1', 'src/b.js:1', 'src/c.js:1'],
        ],
      ],
    );
    assert.match(findings[1]?.message ?? '', /src\/a\.js → src\/b\.js → src\/c\.js → src\/a\.js/);
    assert.equal(
      findings[0]?.doneCheck,
      "{ ! grep -qF -- 'import { priceOf } from '\\''./pricing.js'\\'';' 'src/orders.ts'; } || { ! grep -qF -- 'import { total } from '\\''./orders.js'\\'';' 'src/pricing.ts'; }",
    );
  });

  it('calls an ES-module cycle that uses its imports only inside functions safe to load (LOW)', () => {
    const findings = detect(circularImport, {
      // svelte's internal/client: context.js and runtime.js call each other, at run time only.
      'src/context.js':
        "import { active_effect, run } from './runtime.js';\nexport function owner() {\n  return active_effect;\n}\nexport { run } from './runtime.js';\nexport { run as start };\n",
      'src/runtime.js': [
        'import {',
        '  owner,',
        "} from './context.js';",
        'export let active_effect = null;',
        'export const run = () => owner();',
      ].join('\n'),
      // One import read while loading is enough: entering at pricing.ts runs orders.ts first.
      'src/orders.ts':
        "import { priceOf } from './pricing.js';\nexport const total = (ids: string[]) => ids.map(priceOf);\n",
      'src/pricing.ts':
        "import { total } from './orders.js';\nexport const priceOf = (id: string) => id.length;\nexport const sum = total;\n",
      // svelte's reactivity: an instance field and methods, both run after loading; a static field
      // runs while loading.
      'src/url.js':
        "import { REPLACE, Params } from './params.js';\nexport class Url {\n  #params = new Params();\n  update() { this.#params[REPLACE](); }\n}\n",
      'src/params.js':
        "import { current } from './url-state.js';\nexport const REPLACE = Symbol();\nexport class Params {\n  #url = current();\n  [REPLACE]() {}\n}\n",
      'src/url-state.js': "import { Url } from './url.js';\nexport const current = () => new Url();\n",
      'src/static-a.js': "import { B } from './static-b.js';\nexport class A {\n  static b = B;\n}\n",
      'src/static-b.js': "import { A } from './static-a.js';\nexport const B = () => new A();\n",
      // require() copies while loading, whatever the code does later.
      'src/a.js': "const { b } = require('./b');\nmodule.exports = { a: () => b() };\n",
      'src/b.js': "const { a } = require('./a');\nmodule.exports = { b: () => a() };\n",
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.confidence]),
      [
        ['src/a.js', 'MED'],
        ['src/context.js', 'LOW'],
        ['src/orders.ts', 'MED'],
        ['src/static-a.js', 'MED'],
        ['src/params.js', 'LOW'],
      ],
    );
    assert.match(findings[1]?.message ?? '', /only inside functions, so they load in either order/);
  });

  it('finds Python cycles and ignores TYPE_CHECKING and function-level imports', () => {
    const findings = detect(circularImport, {
      'app/models.py': 'from app.services import notify\n\nclass User:\n    pass\n',
      'app/services.py': 'from app.models import User\n\ndef notify(user: User):\n    return user\n',
      'app/views.py': [
        'from typing import TYPE_CHECKING',
        'if TYPE_CHECKING:',
        '    from app.forms import Form',
        'def render():',
        '    from app.forms import build',
        '    return build()',
      ].join('\n'),
      'app/forms.py': 'from app.views import render\n\ndef build():\n    return 1\n',
      // Flask: `import typing as t`, then `if t.TYPE_CHECKING:`.
      'app/cli.py': 'import typing as t\nif t.TYPE_CHECKING:\n    from app.core import App\n',
      'app/core.py': 'from app import cli\n',
      // passlib's hash.py: `if False:` imports, for IDE completion only.
      'app/hash.py': 'if False:\n    from app.django import django_bcrypt\n',
      'app/django.py': 'from app import hash\n',
    });
    assert.deepEqual(
      findings.map((f) => f.evidence.map((e) => `${e.file}:${e.startLine}`)),
      [['app/models.py:1', 'app/services.py:1']],
    );
  });

  it('rates a Python cycle broken by an import after every definition LOW (paramiko sftp_handle/sftp_server)', () => {
    const findings = detect(circularImport, {
      'paramiko/sftp_handle.py': [
        'from paramiko.util import ClosingContextManager',
        'class SFTPHandle(ClosingContextManager):',
        '    def close(self):',
        '        pass',
        '',
        'from paramiko.sftp_server import SFTPServer',
      ].join('\n'),
      'paramiko/sftp_server.py': [
        'from paramiko.sftp_handle import SFTPHandle',
        'class SFTPServer(object):',
        '    handle_class = SFTPHandle',
      ].join('\n'),
      'paramiko/util.py': 'class ClosingContextManager(object):\n    pass\n',
      // Both at the top: a real cycle.
      'app/models.py': 'from app.services import notify\n\nclass User:\n    pass\n',
      'app/services.py': 'from app.models import User\n\ndef notify(user: User):\n    return user\n',
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.confidence]),
      [
        ['app/models.py', 'MED'],
        ['paramiko/sftp_handle.py', 'LOW'],
      ],
    );
    assert.match(
      findings[1]?.message ?? '',
      /imports paramiko\/sftp_server\.py at its end, after all its definitions/,
    );
  });

  it('takes a name re-exported as a type only for a type (Stainless SDK resources)', () => {
    const findings = detect(circularImport, {
      'src/resources/agents.ts': [
        "import * as VersionsAPI from './versions';",
        'export class Agents { versions: VersionsAPI.Versions = new VersionsAPI.Versions(); }',
        'export type AgentsPageCursor = { next?: string };',
        '',
      ].join('\n'),
      'src/resources/versions.ts': [
        "import * as AgentsAPI from './agents';",
        "import { AgentsPageCursor } from './agents';",
        'export class Versions {',
        '  list(): Promise<AgentsPageCursor> {',
        '    return this.client.getAPIList(path, PageCursor<AgentsAPI.Agent>, {});',
        '  }',
        '}',
        'export { type AgentsPageCursor };',
        '',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });

  it('does not take a setup.py module of a package for a project root (Ansible modules/setup.py)', () => {
    const findings = detect(circularImport, {
      'ansible/__init__.py': '',
      'ansible/module_utils/__init__.py': '',
      'ansible/module_utils/basic.py':
        'import stat\nimport os\n\ndef mode(path):\n    return stat.S_IMODE(os.stat(path).st_mode)\n',
      'ansible/modules/__init__.py': '',
      'ansible/modules/setup.py': 'from ansible.module_utils.basic import mode\n',
      'ansible/modules/stat.py': 'from ansible.module_utils.basic import mode\n',
    });
    assert.deepEqual(findings, []);
  });

  it('ignores type-only imports, lazy imports, imports TypeScript elides, and tests', () => {
    const findings = detect(circularImport, {
      'src/node.ts': "import type { Tree } from './tree.js';\nexport class Node { tree?: Tree }\n",
      'src/tree.ts': "import { Node } from './node.js';\nexport class Tree { root = new Node(); }\n",
      'src/scheduler.ts':
        "import { Action } from './action.js';\nexport class Scheduler { run(a: Action) { return a; } }\n",
      'src/action.ts':
        "import { Scheduler } from './scheduler.js';\nexport class Action { constructor(public s?: Scheduler) {} }\n",
      'src/plugin.js': "export async function load() { return import('./host.js'); }\n",
      'src/host.js': "import { load } from './plugin.js';\nexport const host = load;\n",
      // webpack's RuntimeTemplate: the require back into Compilation is deferred behind memoize.
      'lib/Compilation.js':
        'const RuntimeTemplate = require("./template/RuntimeTemplate");\nmodule.exports = class Compilation {};\n',
      'lib/template/RuntimeTemplate.js':
        'const memoize = require("../util/memoize");\nconst getCompilation = memoize(() => require("../Compilation"));\nmodule.exports = class RuntimeTemplate {};\n',
      'lib/util/memoize.js': 'module.exports = (fn) => fn;\n',
      'test/a.test.ts': "import './b.test.ts';\n",
      'test/b.test.ts': "import './a.test.ts';\n",
    });
    assert.deepEqual(findings, []);
  });
});
