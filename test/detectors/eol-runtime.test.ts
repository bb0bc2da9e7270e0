import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eolRuntime, nodeRangeMax, pythonBounds } from '../../src/detectors/dependencies/eol-runtime.ts';
import { detect } from '../helpers/detector.ts';

describe('dependencies/eol-runtime', () => {
  it('parses common engines.node ranges to their newest allowed major', () => {
    assert.equal(nodeRangeMax('>=18'), Number.POSITIVE_INFINITY);
    assert.equal(nodeRangeMax('^16.14.0 || ^18.0.0'), 18);
    assert.equal(nodeRangeMax('>= 14 < 17'), 16);
    assert.equal(nodeRangeMax('16.x'), 16);
    assert.equal(nodeRangeMax('~20.11'), 20);
    assert.equal(nodeRangeMax('14 - 18'), 18);
    assert.equal(nodeRangeMax('*'), Number.POSITIVE_INFINITY);
    assert.equal(nodeRangeMax('lts/*'), undefined);
  });

  it('parses Python specifiers to their bounds', () => {
    assert.deepEqual(pythonBounds('>=3.8,<3.10'), { lower: 8, upper: 9 });
    assert.deepEqual(pythonBounds('>=3.7, <4'), { lower: 7, upper: Number.POSITIVE_INFINITY });
    assert.deepEqual(pythonBounds('~=3.9'), { lower: 9, upper: Number.POSITIVE_INFINITY });
    assert.deepEqual(pythonBounds('==3.9.*'), { lower: 9, upper: 9 });
    assert.equal(pythonBounds('>=3.8; python_version'), undefined);
  });

  it('flags engines.node allowing only end-of-life majors, .nvmrc pins and EOL Python requirements', () => {
    const findings = detect(eolRuntime, {
      'package.json': JSON.stringify({ name: 'a', engines: { node: '^16.0.0 || ^18.0.0' } }, null, 2),
      '.nvmrc': 'v18.19.0\n',
      'pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3.7,<3.10"\n',
      'svc/setup.py': 'setup(\n    name="svc",\n    python_requires=">=3.6",\n)\n',
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine, f.impact]),
      [
        ['package.json', 4, 'MED'],
        ['.nvmrc', 1, 'MED'],
        ['pyproject.toml', 3, 'MED'],
        ['svc/setup.py', 3, 'LOW'],
      ],
    );
    assert.match(findings[0]?.title ?? '', /only end-of-life Node\.js/);
    assert.equal(findings[0]?.doneCheck, `! grep -qF -- '"node": "^16.0.0 || ^18.0.0"' 'package.json'`);
  });

  it('is silent for supported or open-ended ranges and for forms it cannot parse', () => {
    const findings = detect(eolRuntime, {
      'package.json': JSON.stringify({ engines: { node: '>=18' } }),
      'web/package.json': JSON.stringify({ engines: { node: '^22 || ^24' } }),
      'api/package.json': JSON.stringify({ engines: { node: 'lts/*' } }),
      '.nvmrc': 'lts/iron\n',
      'pyproject.toml': '[project]\nname = "x"\nrequires-python = ">=3.11"\n',
    });
    assert.deepEqual(findings, []);
  });
});
