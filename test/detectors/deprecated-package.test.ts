import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deprecatedPackage } from '../../src/detectors/dependencies/deprecated-package.ts';
import { detect } from '../helpers/detector.ts';

describe('dependencies/deprecated-package', () => {
  it('flags deprecated npm packages at their package.json line with the replacement', () => {
    const manifest = JSON.stringify(
      {
        name: 'app',
        dependencies: { request: '^2.88.0', express: '^4' },
        devDependencies: { tslint: '^6.1.0' },
      },
      null,
      2,
    );
    const findings = detect(deprecatedPackage, {
      'package.json': manifest,
      'src/client.js': "const express = require('express');\nconst request = require('request');\n",
      'src/sync.js': "import request from 'request';\n",
      'src/other.js': "export const x = 'request';\n",
    });
    // The files that import it are cited too: the migration changes them, so a plan holds them.
    assert.deepEqual(
      findings[0]?.evidence.map((e) => `${e.file}:${e.startLine}`),
      ['package.json:4', 'src/client.js:2', 'src/sync.js:1'],
    );
    assert.deepEqual(
      findings.map((f) => [f.title, f.evidence[0]?.startLine]),
      [
        ['Deprecated package `request` in package.json', 4],
        ['Deprecated package `tslint` in package.json', 8],
      ],
    );
    assert.match(findings[0]?.message ?? '', /fetch/);
    assert.match(findings[1]?.message ?? '', /typescript-eslint/);
    assert.equal(findings[0]?.doneCheck, `! grep -qE '"request"[[:space:]]*:' 'package.json'`);
  });

  it('flags unmaintained Python packages in requirements files', () => {
    const findings = detect(deprecatedPackage, { 'requirements-dev.txt': 'pytest\nnose==1.3.7\n' });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine]),
      [['requirements-dev.txt', 2]],
    );
  });

  it('ignores maintained look-alikes and names that appear only in scripts', () => {
    const manifest = JSON.stringify({
      scripts: { lint: 'tslint --help || eslint .' },
      dependencies: { 'request-ip': '^3', sass: '^1', '@babel/eslint-parser': '^7', uuid: '^9' },
    });
    assert.deepEqual(detect(deprecatedPackage, { 'package.json': manifest }), []);
  });
});
