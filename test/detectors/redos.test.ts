import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nestedRepetition } from '../../src/detectors/security/nested-repetition.ts';
import { redos } from '../../src/detectors/security/redos.ts';
import { detect } from '../helpers/detector.ts';

describe('security/redos', () => {
  it('flags nested repetition matched against request data (NodeGoat bank routing number)', () => {
    const findings = detect(redos, {
      'app/routes/profile.js': [
        'this.handleProfileUpdate = (req, res, next) => {',
        '  const { firstName, bankRouting } = req.body;',
        '  const regexPattern = /([0-9]+)+\\#/;',
        '  const ok = regexPattern.test(bankRouting);',
        "  const words = req.query.q.match(new RegExp('^(\\\\w+\\\\s?)*$'));",
        '  const parts = String(req.query.tags).split(/(?:[a-z]+,?)+;/);',
        '  res.send({ ok, words, parts });',
        '};',
      ].join('\n'),
      'app/views.py': [
        'import re',
        "EMAIL = re.compile(r'^([a-zA-Z0-9_.+-])+@(([a-zA-Z0-9-])+.)+([a-zA-Z0-9]{2,4})+$')",
        'def signup(request):',
        "    if not EMAIL.match(request.POST['email']):",
        '        return None',
        "    return re.sub(r'(\\d+)*x', '', request.GET.get('n'))",
      ].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.confidence]),
      [
        ['app/routes/profile.js', 4, 'MED'],
        ['app/routes/profile.js', 5, 'MED'],
        ['app/routes/profile.js', 6, 'MED'],
        ['app/views.py', 4, 'MED'],
        ['app/views.py', 6, 'MED'],
      ],
    );
    assert.match(
      findings[0]?.message ?? '',
      /`\(\[0-9\]\+\)\+\\#`.*request data \(`req\.body`\).*event loop/,
    );
  });

  it('leaves linear patterns and patterns matched against constant text alone', () => {
    const findings = detect(redos, {
      'app/routes/safe.js': [
        'app.post("/p", (req, res) => {',
        '  const a = /([0-9]+)\\#/.test(req.body.bankRouting);',
        '  const b = req.query.q.replace(/\\s*,\\s*/g, ",");',
        "  const c = /([0-9]+)+#/.test('12345#');",
        '  const d = /^(\\w+\\s?)*$/.test(config.name);',
        '  const e = req.body.items.find((x) => x.id === 1);',
        '  res.send({ a, b, c, d, e });',
        '});',
      ].join('\n'),
      'app/safe.py': [
        'import re',
        'def view(request):',
        "    m = re.match(r'(?P<word>\\w+)$', request.GET['q'])",
        "    n = re.match(r'^[a-z]+$', request.GET['q'])",
        "    return re.sub(r'(\\d+)*x', '', SETTINGS['n'])",
      ].join('\n'),
    });
    assert.deepEqual(findings, []);
  });

  it('tells nested repetition that splits an input many ways from groups pinned by a separator', () => {
    // Exponential: the group's repetition can take any share of the input.
    assert.equal(nestedRepetition('([0-9]+)+\\#'), '([0-9]+)+');
    assert.equal(nestedRepetition('^(\\w+\\s?)*$'), '(\\w+\\s?)*');
    assert.equal(nestedRepetition('^(([a-z0-9-])+.)+[a-z]{2,4}$'), '(([a-z0-9-])+.)+');
    assert.equal(nestedRepetition('(a{1,8})*b'), '(a{1,8})*');
    assert.equal(nestedRepetition('(?P<word>\\w+)+$', '', true), '(?<word>\\w+)+');
    // Linear: each repetition of the group starts or ends with a character its insides cannot match
    // (parse-server's locale pattern, the common e-mail pattern, dotted host names).
    assert.equal(nestedRepetition('^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$'), undefined);
    assert.equal(
      nestedRepetition('^(([^<>()\\[\\]\\\\.,;:\\s@"]+(\\.[^<>()\\[\\]\\\\.,;:\\s@"]+)*)|(".+"))@x$'),
      undefined,
    );
    assert.equal(nestedRepetition('^([a-zA-Z0-9-]+\\.)+[a-zA-Z]{2,}$'), undefined);
    assert.equal(nestedRepetition('([0-9]+)\\#'), undefined);
    assert.equal(nestedRepetition('(unclosed'), undefined);
  });
});
