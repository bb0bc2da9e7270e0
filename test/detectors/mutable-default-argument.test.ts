import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mutableDefaultArgument } from '../../src/detectors/correctness/mutable-default-argument.ts';
import { detect, linesAndConfidence } from '../helpers/detector.ts';

describe('correctness/mutable-default-argument', () => {
  it('flags list, dict and set defaults: HIGH when the function mutates them, LOW when it only reads', () => {
    const findings = detect(mutableDefaultArgument, {
      'app/cart.py': [
        'def add_item(item, items=[]):',
        '    items.append(item)',
        '    return items',
        '',
        'def render(template, context: dict = {}):',
        '    return template.format(**context)',
        '',
        'class Registry:',
        '    def register(self, name, seen=set()):',
        '        seen.add(name)',
        '',
        // bottle: an attribute named like the parameter is changed, not the parameter.
        'class Jinja2Template:',
        '    def prepare(self, filters=None, globals={}):',
        '        if globals: self.env.globals.update(globals)',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [1, 'HIGH'],
      [5, 'LOW'],
      [9, 'HIGH'],
      [13, 'LOW'],
    ]);
    assert.equal(findings[0]?.doneCheck, "! grep -qF -- 'def add_item(item, items=[]):' 'app/cart.py'");
    assert.match(findings[0]?.message ?? '', /`items` defaults to `\[\]`/);
  });

  it('is a LOW lead when every call of a private function passes the argument, not when one leaves it out (Ironic)', () => {
    const findings = detect(mutableDefaultArgument, {
      'ironic/drivers/modules/drac/raid.py': [
        'def _create_config_job(node, controller, raid_config_job_ids=[], raid_config_parameters=[]):',
        '    raid_config_job_ids.append(job_id)',
        '    raid_config_parameters.append(controller)',
        'def create_configuration(node, controllers):',
        '    ids, params = [], []',
        '    for controller in controllers:',
        '        _create_config_job(node, controller, raid_config_job_ids=ids, raid_config_parameters=params)',
        '    _create_config_job(node, None, ids, params)',
        'class Builder:',
        '    def _collect(self, name, seen=set()):',
        '        seen.add(name)',
        '    def build(self, names):',
        '        for name in names:',
        '            self._collect(name, set())',
        '        self._collect("root")',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [1, 'LOW'],
      [1, 'LOW'],
      [10, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /not reached today/);
  });

  it('is a LOW lead when the function only stores into the default, never reads it (fail2ban out-parameter)', () => {
    const findings = detect(mutableDefaultArgument, {
      'fail2ban/server/banmanager.py': [
        'class BanManager:',
        '    def addBanTicket(self, ticket, reason={}):',
        '        if ticket.expired:',
        "            reason['expired'] = 1",
        '            return False',
        "        reason['ticket'] = ticket",
        '        return True',
        '    def addTicket(self, ticket, seen={}):',
        "        seen['count'] = seen.get('count', 0) + 1",
        '        return seen',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [2, 'LOW'],
      [8, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /only stores into it and never reads it/);
  });

  it('is a LOW lead for a private parameter kept between calls on purpose (passlib OrderedDict recursion guard)', () => {
    const findings = detect(mutableDefaultArgument, {
      'passlib/utils/compat/_ordered_dict.py': [
        'class OrderedDict(dict):',
        '    def __repr__(self, _repr_running={}):',
        '        call_key = id(self), _get_ident()',
        '        if call_key in _repr_running:',
        "            return '...'",
        '        _repr_running[call_key] = 1',
        '        try:',
        "            return '%s(%r)' % (self.__class__.__name__, self.items())",
        '        finally:',
        '            del _repr_running[call_key]',
        '    def update(self, pairs, seen=[]):',
        '        seen.append(pairs)',
        '        return seen',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [2, 'LOW'],
      [11, 'HIGH'],
    ]);
    assert.match(findings[0]?.message ?? '', /leading underscore marks it private/);
  });

  it('does not take a changed parameter of an inner function for the default it shadows (pecan)', () => {
    const findings = detect(mutableDefaultArgument, {
      'pecan/middleware/recursive.py': [
        'class ForwardRequestException(Exception):',
        '    def __init__(self, url=None, environ={}, factory=None):',
        '        if url and environ:',
        "            raise TypeError('no url and environ together')",
        '        class ChangeRequest(object):',
        '            def __call__(self, environ, start_response):',
        "                environ['PATH_INFO'] = url",
        '                return start_response',
        '        self.factory = ChangeRequest',
        '    def forward(self, environ={}):',
        "        environ['PATH_INFO'] = '/'",
        '        return environ',
      ].join('\n'),
    });
    // The outer default is only read; the second method changes its own.
    assert.deepEqual(linesAndConfidence(findings), [
      [2, 'LOW'],
      [10, 'HIGH'],
    ]);
  });

  it('leaves None defaults, tuples, frozensets, constants and deliberate memo caches alone', () => {
    const findings = detect(mutableDefaultArgument, {
      'app/ok.py': [
        'def add_item(item, items=None):',
        '    items = [] if items is None else items',
        'def fmt(parts=(), sep=", ", flags=frozenset(), limit=10):',
        '    return sep.join(parts)',
        'values = [1, 2]',
        'handler = lambda event, acc=None: acc',
        'def _normalize(path, _cache={}):',
        '    return _cache.setdefault(path, path.lower())',
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });
  it('is only a LOW lead when the function copies the default before changing it (gyp, ElementTree)', () => {
    const findings = detect(mutableDefaultArgument, {
      'pylib/gyp/__init__.py': [
        'def Load(build_files, format, default_variables={}, includes=[], params=None):',
        '    default_variables = copy.copy(default_variables)',
        '    default_variables["GENERATOR"] = format',
        '    return default_variables',
        'class Element:',
        '    def __init__(self, tag, attrib={}, **extra):',
        '        attrib = attrib.copy()',
        '        attrib.update(extra)',
        '        self.attrib = attrib',
        'def register(name, registry={}):',
        '    registry[name] = True',
        '    registry = dict(registry)',
      ].join('\n'),
    });
    assert.deepEqual(linesAndConfidence(findings), [
      [1, 'LOW'],
      [1, 'LOW'],
      [6, 'LOW'],
      [10, 'HIGH'],
    ]);
    assert.deepEqual(
      findings.map((f) => f.impact),
      ['LOW', 'LOW', 'LOW', 'MED'],
    );
  });
});
