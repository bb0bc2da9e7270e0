import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { duplicatePurpose } from '../../src/detectors/dependencies/duplicate-purpose.ts';
import { detect } from '../helpers/detector.ts';

describe('dependencies/duplicate-purpose', () => {
  it('flags two date libraries and two HTTP clients in one package.json, citing both lines', () => {
    const manifest = JSON.stringify(
      {
        name: 'app',
        dependencies: {
          axios: '^1.7.0',
          moment: '^2.30.0',
          'date-fns': '^3.6.0',
          uuid: '^9.0.0',
          nanoid: '^5.0.0',
        },
        devDependencies: { 'node-fetch': '^3.3.0', jest: '^29.0.0' },
      },
      null,
      2,
    );
    const findings = detect(duplicatePurpose, { 'package.json': manifest });
    assert.deepEqual(
      findings.map((f) => [f.title, f.evidence.map((e) => e.startLine)]),
      [
        ['2 libraries for date handling in package.json: moment, date-fns', [5, 6]],
        ['2 libraries for HTTP requests in package.json: axios, node-fetch', [4, 11]],
      ],
    );
    assert.equal(findings[0]?.confidence, 'MED');
    assert.match(findings[0]?.doneCheck ?? '', /-le 1$/);
  });

  it('cites the files that import each library: the call sites a plan rewrites', () => {
    const manifest = JSON.stringify(
      { name: 'app', dependencies: { moment: '^2', 'date-fns': '^3' } },
      null,
      2,
    );
    const findings = detect(duplicatePurpose, {
      'package.json': manifest,
      'src/report.js': "import moment from 'moment';\n",
      'src/invoice.js': "import { format } from 'date-fns';\n",
    });
    assert.deepEqual(
      findings[0]?.evidence.map((e) => `${e.file}:${e.startLine}`),
      ['package.json:4', 'package.json:5', 'src/report.js:1', 'src/invoice.js:1'],
    );
  });

  it('flags requests + httpx in requirements.txt and pyproject.toml', () => {
    const findings = detect(duplicatePurpose, {
      'requirements.txt': '# HTTP\nrequests==2.32.0\nhttpx>=0.27\nflask\n',
      'pyproject.toml':
        '[project]\nname = "x"\ndependencies = [\n  "requests>=2",\n  "aiohttp[speedups]>=3.9",\n]\n',
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence.map((e) => e.startLine)]),
      [
        ['pyproject.toml', [5, 4]],
        ['requirements.txt', [2, 3]],
      ],
    );
  });

  it('is silent for one library per job, uuid + nanoid, and example manifests', () => {
    const manifest = JSON.stringify({
      dependencies: { dayjs: '1', axios: '1', uuid: '9', nanoid: '5', lodash: '4' },
    });
    assert.deepEqual(detect(duplicatePurpose, { 'package.json': manifest }), []);
    const examples = JSON.stringify({ dependencies: { moment: '2', luxon: '3' } });
    assert.deepEqual(detect(duplicatePurpose, { 'examples/demo/package.json': examples }), []);
  });
});
