import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unsafeDeserialization } from '../../src/detectors/security/unsafe-deserialization.ts';
import { detect, linesAndConfidence, withCheckTree } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) => linesAndConfidence(findings);

describe('security/unsafe-deserialization', () => {
  it('flags yaml.load without a safe loader and pickle of request data or bytes', () => {
    const findings = detect(unsafeDeserialization, {
      'app/load.py': [
        'import pickle, yaml',
        'from flask import request',
        'def upload():',
        '    obj = pickle.loads(request.data)',
        '    cfg = yaml.load(request.files["cfg"].read())',
        '    legacy = yaml.load(stream, Loader=yaml.Loader)',
        '    return obj, cfg, legacy',
        'def from_cache(blob):',
        '    return pickle.loads(blob)',
        'def from_disk(path):',
        '    with open(path, "rb") as fh:',
        '        return pickle.load(fh)',
        '# pydantic: the caller has to allow pickle explicitly',
        'def load_str_bytes(b, proto, allow_pickle=False):',
        '    if proto == Protocol.pickle:',
        '        if not allow_pickle:',
        "            raise RuntimeError('Trying to decode with pickle with allow_pickle=False')",
        '        return pickle.loads(b)',
        '# calibre: reviewed and allowed for a security linter',
        'def pickle_loads(dump):',
        "    return pickle.loads(dump, encoding='utf-8')  # nosec: only used for calibre's own serialized data",
        'def upload_reviewed():',
        '    return pickle.loads(request.data)  # nosec',
        // ansible's daemonize: the forked child pickles its result into a pipe this function opened.
        'def daemonize(cmd):',
        '    pipe = os.pipe()',
        '    if os.fork() == 0:',
        '        os.write(pipe[1], pickle.dumps([run(cmd)]))',
        '        os._exit(0)',
        '    return pickle.loads(os.read(pipe[0], 65536))',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [4, 'HIGH'],
      [5, 'HIGH'],
      [6, 'HIGH'],
      [9, 'MED'],
      [12, 'LOW'],
      [18, 'LOW'],
      [21, 'LOW'],
      [23, 'HIGH'],
      [29, 'LOW'],
    ]);
    assert.match(findings[5]?.message ?? '', /opt in first/);
    // Both checks count calls with Python's parser (the last tests): unsafe loads for YAML, every
    // unpickling call for pickle.
    assert.match(
      findings[1]?.doneCheck ?? '',
      /^python3 -c 'import ast,.*' 'app\/load\.py' 'yaml' '.*' '2'$/,
    );
    assert.match(
      findings[0]?.doneCheck ?? '',
      /^python3 -c 'import ast,.*' 'app\/load\.py' 'pickle' '.*' '7'$/,
    );
  });

  it('rates a class unpickling its own state from a local shelve LOW, one reading a cache MED (Celery worker state)', () => {
    const findings = detect(unsafeDeserialization, {
      'celery/worker/state.py': [
        'import pickle',
        'import shelve',
        'class Persistent:',
        '    storage = shelve',
        '    def _sync_with(self, d):',
        "        d['zrevoked'] = self.compress(pickle.dumps(self._revoked_tasks))",
        '    def _merge(self, d):',
        "        zrevoked = d.get('zrevoked')",
        '        self._revoked_tasks.update(pickle.loads(self.decompress(zrevoked)))',
        'class Cache:',
        '    def get(self, key):',
        '        return pickle.loads(self.redis.get(key))',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [9, 'LOW'],
      [12, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /local store it opens/);
  });

  it('says that a signature checked first moves the risk to the key (Bottle cookie_decode)', () => {
    const findings = detect(unsafeDeserialization, {
      'bottle.py': [
        'import base64, hmac, pickle',
        'def cookie_decode(data, key, digestmod=None):',
        "    sig, msg = data.split(b'?', 1)",
        '    if _lscmp(sig[1:], base64.b64encode(hmac.new(key, msg, digestmod=digestmod).digest())):',
        '        return pickle.loads(base64.b64decode(msg))',
        'def cache_get(client, key):',
        '    return pickle.loads(client.get(key))',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [5, 'MED'],
      [7, 'MED'],
    ]);
    assert.match(
      findings[0]?.message ?? '',
      /checks a signature \(HMAC\) of the bytes first.*whoever learns the key/,
    );
    assert.doesNotMatch(findings[1]?.message ?? '', /signature/);
  });

  it("rates a serializer class's own loads() of its parameter LOW: its users decide (django-q, Pyramid)", () => {
    const findings = detect(unsafeDeserialization, {
      'django_q/signing.py': [
        'import pickle',
        'class PickleSerializer:',
        '    @staticmethod',
        '    def loads(data):',
        '        return pickle.loads(data)',
        'class Inbox:',
        '    def loads(self, data):',
        '        return pickle.loads(data)',
        'class JobSerializer:',
        '    def loads(self, key):',
        '        return pickle.loads(self.redis.get(key))',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [5, 'LOW'],
      [8, 'MED'],
      [11, 'MED'],
    ]);
    assert.match(findings[0]?.message ?? '', /`loads` method of a serializer class/);
  });

  it('leaves safe_load, SafeLoader and json alone', () => {
    const findings = detect(unsafeDeserialization, {
      'app/safe.py': [
        'import json, yaml',
        'def load(stream):',
        '    a = yaml.safe_load(stream)',
        '    b = yaml.load(stream, Loader=yaml.SafeLoader)',
        '    c = yaml.load(stream, yaml.CSafeLoader)',
        '    return a, b, c, json.loads(stream.read())',
        // celery: a deep copy through pickle of an object this process made.
        'def copy_exception(exc):',
        '    return pickle.loads(pickle.dumps(exc))',
      ].join('\n'),
      // buildbot: a loader of the file's own that extends SafeLoader with an !include tag.
      'buildbot/util/raml.py': [
        'import yaml',
        'class RamlLoader(yaml.SafeLoader):',
        '    pass',
        'def load(f):',
        '    return yaml.load(f, Loader=RamlLoader)',
      ].join('\n'),
      // Heat: the base class is a name the file sets only to a safe loader, C or pure Python.
      'heat/common/template_format.py': [
        'import yaml',
        "if hasattr(yaml, 'CSafeLoader'):",
        '    _yaml_loader_base = yaml.CSafeLoader',
        'else:',
        '    _yaml_loader_base = yaml.SafeLoader',
        'class yaml_loader(_yaml_loader_base):',
        '    pass',
        'def simple_parse(tmpl_str):',
        '    return yaml.load(tmpl_str, Loader=yaml_loader)',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
    // A loader of the file's own on top of the unsafe one is no safer.
    const unsafe = detect(unsafeDeserialization, {
      'app/config.py': [
        'import yaml',
        'class ConfigLoader(yaml.UnsafeLoader):',
        '    pass',
        'def load(f):',
        '    return yaml.load(f, Loader=ConfigLoader)',
      ].join('\n'),
      // A name set to the full loader on one path is not safe on that path.
      'app/template.py': [
        'import yaml',
        "if hasattr(yaml, 'CSafeLoader'):",
        '    _base = yaml.CSafeLoader',
        'else:',
        '    _base = yaml.Loader',
        'class TemplateLoader(_base):',
        '    pass',
        'def parse(text):',
        '    return yaml.load(text, Loader=TemplateLoader)',
      ].join('\n'),
    });
    assert.equal(unsafe.length, 2);
  });

  it('reads a ruamel.yaml instance by its typ: unsafe is flagged, safe and round-trip are not', () => {
    // mitmproxy's optmanager.parse loads the options file with an unsafe ruamel.yaml instance.
    const optmanager = [
      'import ruamel.yaml',
      'def parse(text):',
      '    if not text:',
      '        return {}',
      '    try:',
      '        yaml = ruamel.yaml.YAML(typ="unsafe", pure=True)',
      '        data = yaml.load(text)',
      '    except ruamel.yaml.error.YAMLError as v:',
      '        raise ValueError(v)',
      '    return data',
    ].join('\n');
    const findings = detect(unsafeDeserialization, { 'mitmproxy/optmanager.py': optmanager });
    assert.deepEqual(summary(findings), [[7, 'HIGH']]);
    assert.match(findings[0]?.message ?? '', /`YAML\(typ="unsafe"\)` of line 6/);
    assert.doesNotMatch(findings[0]?.message ?? '', /SafeLoader/);
    assert.match(findings[0]?.fixSketch ?? '', /typ="safe"/);
    // The same instance made safe (mitmproxy's keymap), or ruamel's default round-trip loader.
    const safe = detect(unsafeDeserialization, {
      'mitmproxy/optmanager.py': optmanager.replace('typ="unsafe"', 'typ="safe"'),
      'app/config.py': [
        'from ruamel.yaml import YAML',
        'yaml = YAML()',
        'def read(path):',
        '    with open(path) as f:',
        '        return yaml.load(f)',
      ].join('\n'),
    });
    assert.deepEqual(summary(safe), []);
    // The done check passes once the instance is safe, and not before.
    withCheckTree({ 'mitmproxy/optmanager.py': optmanager }, (tree) => {
      const passes = (text: string) => {
        tree.write('mitmproxy/optmanager.py', text);
        return tree.run(findings[0]?.doneCheck ?? 'false') === 0;
      };
      assert.equal(passes(optmanager), false);
      assert.equal(passes(optmanager.replace('typ="unsafe"', 'typ="safe"')), true);
    });
  });

  it('reads a yaml.load by PyYAML when the ruamel instance is a local of another function', () => {
    const findings = detect(unsafeDeserialization, {
      'app/plugins.py': [
        'import yaml',
        'from ruamel.yaml import YAML',
        '',
        'def save_config(cfg, path):',
        '    yaml = YAML()',
        '    yaml.dump(cfg, path)',
        '',
        'def load_plugin(text):',
        '    return yaml.load(text, Loader=yaml.Loader)',
        '',
        'def load_config(path):',
        '    yaml = YAML()',
        '    return yaml.load(path)',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [[9, 'HIGH']]);
  });

  it('flags node-serialize unserialize but not other unserialize methods', () => {
    const vulnerable = detect(unsafeDeserialization, {
      'src/session.js': [
        "const serialize = require('node-serialize');",
        "app.get('/', (req, res) => {",
        '  const profile = serialize.unserialize(Buffer.from(req.cookies.profile, "base64").toString());',
        '});',
      ].join('\n'),
    });
    assert.deepEqual(summary(vulnerable), [[3, 'HIGH']]);
    const safe = detect(unsafeDeserialization, {
      'src/php.js': "import { unserialize } from 'php-serialize';\nconst data = unserialize(text);\n",
    });
    assert.deepEqual(safe, []);
  });

  it('gives YAML a done check that fails until the load names a safe loader, not merely a changed line', () => {
    const before = [
      'import yaml',
      'def read_config(path):',
      '    with open(path) as fh:',
      '        return yaml.load(fh)',
      'def read_defaults(fh):',
      '    return yaml.safe_load(fh)',
      '',
    ].join('\n');
    const findings = detect(unsafeDeserialization, { 'svc/config_loader.py': before });
    assert.equal(findings.length, 1);
    const check = findings[0]?.doneCheck ?? '';
    assert.match(check, /^python3 -c /);
    withCheckTree({ 'svc/config_loader.py': before }, (tree) => {
      const passes = (text: string) => {
        tree.write('svc/config_loader.py', text);
        return tree.run(check) === 0;
      };
      assert.equal(passes(before), false);
      assert.equal(
        passes(before.replace('yaml.load(fh)', 'yaml.load(fh, Loader=yaml.Loader)')),
        false,
        'still unsafe',
      );
      assert.equal(passes(before.replace('yaml.load(fh)', 'yaml.load(fh, Loader=yaml.SafeLoader)')), true);
      assert.equal(passes(before.replace('yaml.load(fh)', 'yaml.safe_load(fh)')), true);
    });
  });

  it('gives pickle a done check that fails while the data is still unpickled, however the call is laid out', () => {
    const before = [
      'import base64',
      'import pickle',
      'from flask import Flask, jsonify, request',
      'app = Flask(__name__)',
      '@app.route("/cart", methods=["POST"])',
      'def cart():',
      '    data = base64.b64decode(request.form["cart"])',
      '    cart = pickle.loads(data)',
      '    return jsonify(cart)',
      'def load_snapshot(path):',
      '    with open(path, "rb") as fh:',
      '        return pickle.load(fh)',
      '',
    ].join('\n');
    const findings = detect(unsafeDeserialization, { 'shop/views.py': before });
    const check = findings.find((finding) => finding.evidence[0]?.startLine === 8)?.doneCheck ?? '';
    assert.match(check, /^python3 -c /);
    withCheckTree({ 'shop/views.py': before }, (tree) => {
      const passes = (text: string) => {
        tree.write('shop/views.py', text);
        return tree.run(check) === 0;
      };
      assert.equal(passes(before), false);
      assert.equal(
        passes(before.replace('pickle.loads(data)', 'pickle.loads(\n        data\n    )')),
        false,
        'reformatted',
      );
      assert.equal(
        passes(before.replace('cart = pickle.loads(data)', 'cart = (pickle.loads(data))')),
        false,
        'wrapped',
      );
      assert.equal(
        passes(
          before.replace('    cart = pickle.loads(data)', '    raw = data\n    cart = pickle.loads(raw)'),
        ),
        false,
        'renamed',
      );
      assert.equal(passes(before.replace('pickle.loads(data)', 'json.loads(data)')), true);
      // Fixing the cited call is enough: the file's other unpickling (its own snapshot) may stay.
      assert.equal(passes(before.replace('pickle.load(fh)', 'json.load(fh)')), false, 'the other call');
    });
  });

  it('merges the checks of a YAML load and a pickle load in one file into one program', () => {
    const text = [
      'import pickle, yaml',
      'from flask import request',
      'def upload():',
      '    obj = pickle.loads(request.data)',
      '    cfg = yaml.load(request.data)',
      '    return obj, cfg',
      '',
    ].join('\n');
    const checks = detect(unsafeDeserialization, { 'app/load.py': text }).map((f) => f.doneCheck ?? '');
    assert.equal(checks.length, 2);
    const merged = unsafeDeserialization.mergeDoneChecks?.(checks) ?? '';
    assert.equal(merged.match(/python3 -c/g)?.length, 1);
    withCheckTree({ 'app/load.py': text }, (tree) => {
      const passes = (body: string) => {
        tree.write('app/load.py', body);
        return tree.run(merged) === 0;
      };
      assert.equal(passes(text), false);
      assert.equal(passes(text.replace('yaml.load(', 'yaml.safe_load(')), false, 'pickle still there');
      assert.equal(passes(text.replace('pickle.loads(', 'json.loads(')), false, 'yaml still unsafe');
      assert.equal(
        passes(text.replace('yaml.load(', 'yaml.safe_load(').replace('pickle.loads(', 'json.loads(')),
        true,
      );
    });
  });
});
