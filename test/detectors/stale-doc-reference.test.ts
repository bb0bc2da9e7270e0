import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDetectors } from '../../src/audit/run-detectors.ts';
import { staleDocReference } from '../../src/detectors/docs/stale-doc-reference.ts';
import { recon } from '../../src/recon/recon.ts';
import { detect } from '../helpers/detector.ts';
import { makeRepo } from '../helpers/repo.ts';

const PROJECT = {
  'package.json': JSON.stringify({ name: 'shopkit', main: 'src/index.js', bin: { shop: 'src/cli.js' } }),
  'src/cli.js': [
    "const { program } = require('commander');",
    "program.option('--dry-run', 'print what would change').option('-o, --output <file>', 'write JSON');",
    'program.parse();',
  ].join('\n'),
  'src/index.js': "export { createClient } from './client.js';\nexport * from './types.js';\n",
  'src/client.js': 'export function createClient() {}\n',
  'src/types.js': 'export const VERSION = 1;\n',
  'billing/__init__.py': 'from .charge import charge\n__all__ = ["charge"]\n',
  'billing/charge.py': 'def charge():\n    pass\n',
  'billing/invoices.py': 'def render():\n    pass\n',
};

describe('docs/stale-doc-reference', () => {
  it('flags documented flags of the own CLI and imports of the own packages that the code lacks', () => {
    const readme = [
      '# shopkit',
      '```sh',
      'npx shop sync --dry-run --output out.json \\',
      '  --force',
      'shop --version',
      '```',
      '| option | meaning |',
      '| --- | --- |',
      '| `-o, --output FILE` | where to write |',
      '| `--verbose` | more logs |',
      '```js',
      "import { createClient, connectLegacy, VERSION } from 'shopkit';",
      '```',
      '```python',
      'from billing import charge, refund, invoices',
      '```',
    ].join('\n');
    const findings = detect(staleDocReference, { ...PROJECT, 'README.md': readme });
    assert.equal(findings.length, 1);
    const finding = findings[0];
    assert.equal(finding?.title, 'README.md documents 4 flags and exports that no longer exist');
    assert.match(finding?.message ?? '', /the flag `--force` \(line 4\)/);
    assert.match(finding?.message ?? '', /the flag `--verbose` \(line 10\)/);
    assert.match(finding?.message ?? '', /`connectLegacy` imported from `shopkit` \(line 12\)/);
    assert.match(finding?.message ?? '', /`refund` imported from `billing` \(line 15\)/);
    assert.deepEqual(
      finding?.evidence.map((e) => e.startLine),
      [4, 10, 12, 15],
    );
    assert.match(finding?.doneCheck ?? '', /! grep -qwF -- 'connectLegacy' 'README\.md'/);
  });

  it('takes a flag written as a pattern for a family of flags, not a flag (Redis Commander `--redis-*`)', () => {
    const readme = [
      '# shopkit',
      '```sh',
      'shop sync --dry-run',
      '```',
      '- `--output-*` options choose where each report goes',
      '- `--output-<format>` for one format only',
      '- `--gone` was removed',
    ].join('\n');
    const findings = detect(staleDocReference, { ...PROJECT, 'README.md': readme });
    assert.equal(findings.length, 1);
    assert.deepEqual(
      findings[0]?.evidence.map((e) => e.startLine),
      [7],
    );
  });

  it('reads names a module exports by destructuring (socket.io wrapper.mjs)', () => {
    const findings = detect(staleDocReference, {
      'package.json': JSON.stringify({ name: 'socket.io', main: 'wrapper.mjs' }),
      'wrapper.mjs': [
        "import io from './lib/index.js';",
        'export const { Server, Namespace, Socket: ServerSocket, ...rest } = io;',
        'export const [first, , second = 2] = io.pair;',
      ].join('\n'),
      'lib/index.js': 'export default {};\n',
      'Readme.md': [
        '```js',
        "import { Server, ServerSocket, rest, first, second } from 'socket.io';",
        "import { Client } from 'socket.io';",
        '```',
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.title ?? '', /`Client`/);
  });

  it('accepts any documented flag a hand-written parser maps onto option keys (marked)', () => {
    const cli = (generic: boolean) => [
      'const defaults = { gfm: true, breaks: false, pedantic: false };',
      'for (const arg of process.argv.slice(2)) {',
      "  if (arg === '-o' || arg === '--output') continue;",
      generic ? "  if (arg.indexOf('--') === 0) options[arg.replace(/^--(no-)?/, '')] = true;" : '',
      '}',
    ];
    const project = (generic: boolean) => ({
      'package.json': JSON.stringify({ name: 'marked', bin: { marked: 'bin/main.js' } }),
      'bin/main.js': cli(generic).join('\n'),
      'man/marked.1.md': '```sh\nmarked -o out.html --gfm\nmarked --no-breaks --frobnicate-all\n```\n',
    });
    const generic = detect(staleDocReference, project(true));
    assert.equal(generic.length, 1);
    assert.match(generic[0]?.message ?? '', /--frobnicate-all/);
    assert.doesNotMatch(generic[0]?.message ?? '', /--gfm|--no-breaks/);
    assert.match(detect(staleDocReference, project(false))[0]?.message ?? '', /--gfm/);
  });

  it('accepts flags a CLI declares from its option names (parse-server: `--${opt} [${opt}]`)', () => {
    const project = (declared: string) => ({
      'package.json': JSON.stringify({ name: 'parse-server', bin: { 'parse-server': 'bin/parse-server' } }),
      'lib/cli/utils/commander.js': [
        'Command.prototype.loadDefinitions = function (definitions) {',
        '  return Object.keys(definitions).reduce((program, opt) => {',
        `    return program.option(${declared});`,
        '  }, this);',
        '};',
      ].join('\n'),
      'lib/Options/Definitions.js':
        "module.exports.ParseServerOptions = { appId: { env: 'PARSE_SERVER_APPLICATION_ID' }, logLevel: { env: 'PARSE_SERVER_LOG_LEVEL' } };\n",
      'README.md': '```sh\nparse-server --appId APP --logLevel debug\n```\n',
    });
    assert.deepEqual(detect(staleDocReference, project('`--${opt} [${opt}]`')), []);
    assert.match(detect(staleDocReference, project("'--verbose'"))[0]?.message ?? '', /--logLevel/);
  });

  it('does not judge flags of a CLI that accepts options it does not declare (Sails)', () => {
    const project = (passThrough: string) => ({
      'package.json': JSON.stringify({ name: 'sails', bin: { sails: 'bin/sails.js' } }),
      'bin/sails.js': [
        "const program = require('commander');",
        "let cmd = program.command('generate');",
        passThrough,
        "cmd.action(require('./sails-generate'));",
      ].join('\n'),
      'docs/tutorials/coffeeScript.md': '```sh\nsails generate api <foo> --coffee\n```\n',
    });
    assert.deepEqual(detect(staleDocReference, project('cmd.unknownOption = NOOP;')), []);
    assert.deepEqual(detect(staleDocReference, project('cmd.allowUnknownOption();')), []);
    assert.match(detect(staleDocReference, project('cmd.option("--dry");'))[0]?.message ?? '', /--coffee/);
  });

  it('ignores changelogs, other tools’ flags, and exports it cannot list', () => {
    const findings = detect(staleDocReference, {
      ...PROJECT,
      'src/index.js': "export { createClient } from './client.js';\nexport * from 'other-package';\n",
      'CHANGELOG.md': '## 2.0\n\n```sh\nshop sync --force\n```\n',
      'docs/setup.md': [
        '```sh',
        'npm install --save-dev shopkit',
        'git commit --amend',
        'shop sync --dry-run',
        '```',
        '```js',
        "import { anything } from 'shopkit';",
        '```',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });

  it('does not judge the exports of a package whose entry is build output it skipped (verdaccio)', async (t) => {
    const tree = (main: string) => ({
      'package.json': JSON.stringify({ name: 'verdaccio', main, bin: './bin/verdaccio' }),
      'bin/verdaccio': "#!/usr/bin/env node\nrequire('../build/lib/cli');\n",
      'index.js': "export { default as startVerdaccio } from './build/index';\n",
      'build/index.js': 'exports.runServer = function runServer() {};\n',
      'README.md': "```js\nimport { runServer } from 'verdaccio';\n```\n",
    });
    const run = async (main: string) => {
      const repo = makeRepo(tree(main));
      t.after(repo.dispose);
      return runDetectors(await recon(repo.dir), [staleDocReference], { level: 'standard', focus: [] })
        .findings;
    };
    assert.deepEqual(await run('build/index.js'), []);
    // With the entry in the repository's own code, a name it lacks is stale.
    assert.deepEqual(
      (await run('index.js')).map((f) => f.title),
      ['README.md documents an export `runServer`, which no longer exists'],
    );
  });
});
