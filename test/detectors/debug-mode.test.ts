import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { debugMode } from '../../src/detectors/security/debug-mode.ts';
import { detect, withCheckTree } from '../helpers/detector.ts';

const SETTINGS = [
  'import os',
  "SECRET_KEY = os.environ['SECRET_KEY']",
  'DEBUG = True',
  "ALLOWED_HOSTS = ['*']",
  "INSTALLED_APPS = ['django.contrib.admin']",
  "ROOT_URLCONF = 'pygoat.urls'",
].join('\n');

const FLASK_APP = [
  'from flask import Flask',
  'app = Flask(__name__)',
  "if __name__ == '__main__':",
  "    app.run(host='0.0.0.0', port=8080, debug=True)",
].join('\n');

describe('security/debug-mode', () => {
  it("flags Django's DEBUG = True in the settings module and Flask's debugger on every interface (PyGoat)", () => {
    const findings = detect(debugMode, {
      'pygoat/settings.py': SETTINGS,
      'labs/xxe_lab/app.py': FLASK_APP,
      'serve.py': [
        'from werkzeug.serving import run_simple',
        'from app import application',
        "run_simple('0.0.0.0', 5000, application, use_debugger=True)",
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine]),
      [
        ['pygoat/settings.py', 3],
        ['labs/xxe_lab/app.py', 4],
        ['serve.py', 3],
      ],
    );
    assert.match(findings[0]?.message ?? '', /stack trace with local variables/);
    assert.match(findings[1]?.message ?? '', /Werkzeug debugger on every network interface/);
  });

  it('leaves development settings, settings read from the environment and the debugger on localhost alone', () => {
    const findings = detect(debugMode, {
      'mysite/settings/dev.py': SETTINGS,
      'mysite/local_settings.py': SETTINGS,
      'mysite/test_settings.py': SETTINGS,
      'mysite/settings.py': SETTINGS.replace('DEBUG = True', "DEBUG = os.environ.get('DJANGO_DEBUG') == '1'"),
      'other/settings.py': `${SETTINGS}\nDEBUG = os.environ.get('DEBUG', '') == '1'`,
      'prod/settings.py': SETTINGS.replace('DEBUG = True', "if os.environ.get('DEV'):\n    DEBUG = True"),
      'notdjango/config.py': 'DEBUG = True\nVERBOSE = False',
      'app.py': FLASK_APP.replace("host='0.0.0.0', ", ''),
      'web.py': FLASK_APP.replace('debug=True', 'debug=False'),
      'tasks.py': "import subprocess\nsubprocess.run(['ls'], host='0.0.0.0', debug=True)",
    });
    assert.deepEqual(
      findings.map((f) => f.evidence[0]?.file),
      [],
    );
  });

  it('gives done checks that pass only once debug mode is off', () => {
    const files = { 'pygoat/settings.py': SETTINGS, 'app.py': FLASK_APP };
    const findings = detect(debugMode, files);
    assert.equal(findings.length, 2);
    withCheckTree(files, (tree) => {
      for (const finding of findings)
        assert.notEqual(tree.run(finding.doneCheck ?? 'false'), 0, finding.doneCheck);
      tree.write(
        'pygoat/settings.py',
        SETTINGS.replace('DEBUG = True', "DEBUG = os.environ.get('DJANGO_DEBUG') == '1'"),
      );
      tree.write('app.py', FLASK_APP.replace('debug=True', "debug=os.environ.get('FLASK_DEBUG') == '1'"));
      for (const finding of findings)
        assert.equal(tree.run(finding.doneCheck ?? 'false'), 0, finding.doneCheck);
    });
  });
});
