// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are fixture source code that contains template literals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandInjection } from '../../src/detectors/security/command-injection.ts';
import { detect, linesAndConfidence } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) => linesAndConfidence(findings);

describe('security/command-injection', () => {
  it('flags child_process exec with interpolated request data and spawn with shell: true', () => {
    const findings = detect(commandInjection, {
      'src/deploy.ts': [
        "import { exec, spawn } from 'node:child_process';",
        "import * as cp from 'child_process';",
        "app.post('/deploy', (req, res) => {",
        '  exec(`git checkout ${req.body.branch}`, (err) => res.sendStatus(err ? 500 : 204));',
        '});',
        'export function archive(dir: string) {',
        "  cp.execSync('tar czf out.tgz ' + dir);",
        '  spawn(`convert ${dir}/in.png out.png`, { shell: true });',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [4, 'HIGH'],
      [7, 'MED'],
      [8, 'MED'],
    ]);
    assert.equal(
      findings[1]?.doneCheck,
      "! grep -qF -- 'cp.execSync('\\''tar czf out.tgz '\\'' + dir);' 'src/deploy.ts'",
    );
  });

  it('knows a function picked from a required module (DVNA ping: `const exec = require(…).exec`)', () => {
    const findings = detect(commandInjection, {
      'core/appHandler.js': [
        "const exec = require('child_process').exec;",
        "var execSync = require('child_process') . execSync;",
        'module.exports.ping = function (req, res) {',
        "  exec('ping -c 2 ' + req.body.address, function (err, stdout) {",
        '    res.send(stdout);',
        '  });',
        "  execSync('nslookup ' + req.query.host);",
        '};',
      ].join('\n'),
      'src/other.js': [
        "const execFile = require('child_process').execFile;",
        "const exec = require('./exec').exec;",
        'function go(req) {',
        "  execFile('ping', ['-c', '2', req.body.address]);",
        "  exec('ping -c 2 ' + req.body.address);",
        '}',
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['core/appHandler.js', 4, 'HIGH'],
        ['core/appHandler.js', 7, 'HIGH'],
      ],
    );
  });

  it('leaves argument arrays, constant commands and unrelated exec methods alone', () => {
    const findings = detect(commandInjection, {
      'src/safe.js': [
        "const { execFile, execSync, spawn } = require('child_process');",
        'function run(req, dir) {',
        "  execFile('git', ['checkout', req.body.branch]);",
        "  spawn('convert', [`${dir}/in.png`, 'out.png']);",
        "  execSync('npm ci');",
        '  const DIST = "dist";',
        '  execSync(`rm -rf ${DIST}`);',
        '  const m = /(\\d+)/.exec(req.query.q);',
        '  db.exec(`VACUUM ${dir}`);',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });

  it('takes a parameter documented as a number for a constant (Parse Dashboard lsof -i :port)', () => {
    const findings = detect(commandInjection, {
      'browser-control/setup.js': [
        "const { execSync } = require('child_process');",
        '/**',
        ' * @param {number} port - Port number',
        ' */',
        'function getProcessOnPort(port) {',
        '  return execSync(`lsof -i :${port} -t || true`);',
        '}',
        '/** @param {string} host */',
        'function ping(host) {',
        '  return execSync(`ping -c 1 ${host}`);',
        '}',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [[10, 'MED']]);
  });

  it('rates a command built from the program’s configuration as a LOW lead (Haraka)', () => {
    const findings = detect(commandInjection, {
      'outbound/queue.js': [
        "const child_process = require('node:child_process');",
        'exports.ensure_queue_dir = async () => {',
        "  const cfg = config.get('smtp.ini');",
        '  const uid = child_process.execSync(`id -u ${cfg.user}`);',
        '  child_process.execSync(`git clone ${process.env.REPO_URL} ${dir}`);',
        '};',
        'exports.run = (req, name) => {',
        '  child_process.execSync(`id -u ${name}`);',
        '  child_process.execSync(`id -u ${cfg.user} ${req.query.group}`);',
        '};',
        // MeshCentral: a hook command the operator writes in the configuration file.
        'exports.updated = (obj) => {',
        "  child_process.exec(obj.config.settings.runonserverupdated + ' --restart');",
        '  child_process.exec(`npm install ${obj.config.settings.plugins[name]}`);',
        '};',
      ].join('\n'),
      'tools/build.py': [
        'import os, subprocess',
        'def build(target):',
        '    subprocess.run(f"make {os.environ[\'TARGET\']}", shell=True)',
        '    subprocess.run(f"make {target}", shell=True)',
      ].join('\n'),
    });
    // `dir` is no configuration: line 5 stays MED; request data stays HIGH.
    // A computed key (`plugins[name]`) is no longer a plain read of the configuration: MED.
    assert.deepEqual(summary(findings), [
      [4, 'LOW'],
      [5, 'MED'],
      [8, 'MED'],
      [9, 'HIGH'],
      [12, 'LOW'],
      [13, 'MED'],
      [3, 'LOW'],
      [4, 'MED'],
    ]);
  });

  it('rates a command built from a path in the program’s own folder as a LOW lead (LobeChat build script)', () => {
    const findings = detect(commandInjection, {
      'scripts/electronWorkflow/moveNextStandalone.ts': [
        "import { execSync } from 'node:child_process';",
        "import path from 'node:path';",
        "const rootDir = path.resolve(__dirname, '../..');",
        "const sourceDir: string = path.join(rootDir, '.next/standalone');",
        "const targetDir: string = path.join(rootDir, 'apps/desktop/dist/next');",
        'execSync(`rm -rf "${targetDir}"`, { stdio: \'inherit\' });',
        'execSync(`mv "${sourceDir}" "${targetDir}"`, { stdio: \'inherit\' });',
        'execSync(`tar czf out.tgz -C ${process.cwd()}/build .`);',
        'export function move(name: string) {',
        '  const target = path.join(rootDir, name);',
        '  execSync(`rm -rf "${target}"`);',
        '}',
      ].join('\n'),
      'tools/pack.py': [
        'import os, subprocess',
        'def pack(name):',
        '    here = os.path.dirname(os.path.abspath(__file__))',
        '    subprocess.run(f"tar czf out.tgz {here}", shell=True)',
        '    subprocess.run(f"tar czf {name}.tgz {here}", shell=True)',
      ].join('\n'),
    });
    // A name from elsewhere joined to the folder is no longer the program's own path: MED.
    assert.deepEqual(summary(findings), [
      [6, 'LOW'],
      [7, 'LOW'],
      [8, 'LOW'],
      [11, 'MED'],
      [4, 'LOW'],
      [5, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /program's own place/);
  });

  it('flags os.system and subprocess with shell=True on formatted strings (Python)', () => {
    const findings = detect(commandInjection, {
      'tools/convert.py': [
        'import os, subprocess',
        'from flask import request',
        '',
        'def convert(path):',
        '    os.system(f"convert {path} out.png")',
        '    subprocess.run("gzip %s" % path, shell=True, check=True)',
        '',
        'def ping():',
        "    host = request.args['host']",
        '    return subprocess.check_output("ping -c 1 " + host, shell=True)',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [5, 'MED'],
      [6, 'MED'],
      [10, 'HIGH'],
    ]);
  });

  it("rates a command built in a command-line tool's command LOW, not request data there (Scrapy edit)", () => {
    const edit = [
      'import os',
      'from flask import request',
      'class Command(ScrapyCommand):',
      '    def run(self, args, opts):',
      '        editor = self.settings["EDITOR"]',
      '        sfile = sys.modules[self.spidercls(args[0]).__module__].__file__',
      '        self.exitcode = os.system(f\'{editor} "{sfile}"\')',
      '        os.system("ping -c 1 " + request.args["host"])',
    ].join('\n');
    const findings = detect(commandInjection, {
      'scrapy/commands/edit.py': edit,
      'scrapy/utils/edit.py': edit,
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['scrapy/commands/edit.py', 7, 'LOW'],
        ['scrapy/commands/edit.py', 8, 'HIGH'],
        ['scrapy/utils/edit.py', 7, 'MED'],
        ['scrapy/utils/edit.py', 8, 'HIGH'],
      ],
    );
    assert.match(findings[0]?.message ?? '', /command-line tool/);
  });

  it('leaves list arguments, shell=False and constant commands alone (Python)', () => {
    const findings = detect(commandInjection, {
      'tools/safe.py': [
        'import os, shlex, subprocess',
        'def convert(path):',
        '    subprocess.run(["convert", path, "out.png"], check=True)',
        '    subprocess.run(f"convert {path} out.png", shell=False)',
        '    os.system("make clean")',
        '    subprocess.run(f"convert {shlex.quote(path)} out.png", shell=True)',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });

  it('takes a module-level list written once, and its elements cut by constants, as constants (pm2 OtelManager); not a list pushed to', () => {
    const otel = [
      "var execSync = require('child_process').execSync",
      "var which = require('./which')",
      'var PACKAGES = [',
      "  '@opentelemetry/api@1.9.1',",
      "  '@opentelemetry/sdk-node@0.221.0'",
      ']',
      'module.exports = {',
      '  install: function() {',
      "    var pm = which('npm') ? 'npm' : 'bun'",
      "    execSync(pm + ' install --no-save ' + PACKAGES.join(' '), { stdio: 'inherit' })",
      '  },',
      '  uninstall: function() {',
      "    var pm = which('npm') ? 'npm' : 'bun'",
      "    var names = PACKAGES.map(function(pkg) { return pkg.replace(/@[^@/]+$/, '') })",
      "    execSync(pm + ' remove --no-save ' + names.join(' '), { stdio: 'inherit' })",
      '  }',
      '}',
    ].join('\n');
    assert.deepEqual(summary(detect(commandInjection, { 'lib/OtelManager.js': otel })), []);
    const grown = detect(commandInjection, {
      'lib/OtelManager.js': otel.replace(
        '\nmodule.exports',
        '\nPACKAGES.push(process.argv[2])\nmodule.exports',
      ),
    });
    assert.ok(grown.length >= 1);
  });
});
