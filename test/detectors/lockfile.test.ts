import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lockfile } from '../../src/detectors/dependencies/lockfile.ts';
import { detect } from '../helpers/detector.ts';

const pkg = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { express: '^4.19.0' }, ...extra }, null, 2);

describe('dependencies/lockfile', () => {
  it('flags a package.json with dependencies and no lockfile, citing "dependencies"', () => {
    const findings = detect(lockfile, {
      'package.json': pkg({ packageManager: 'pnpm@9.1.0' }),
      'src/a.js': '',
    });
    assert.equal(findings.length, 1);
    assert.deepEqual(
      [findings[0]?.evidence[0]?.file, findings[0]?.evidence[0]?.startLine],
      ['package.json', 4],
    );
    assert.equal(findings[0]?.doneCheck, "test -f 'pnpm-lock.yaml'");
    assert.match(findings[0]?.fixSketch ?? '', /pnpm install --lockfile-only/);
  });

  it('flags lockfiles of two different managers', () => {
    const findings = detect(lockfile, { 'package.json': pkg(), 'package-lock.json': '{}', 'yarn.lock': '' });
    assert.equal(findings.length, 1);
    assert.match(findings[0]?.title ?? '', /several package managers \(npm, yarn\)/);
  });

  it('is silent with one lockfile, a workspace package under a root lockfile, no dependencies, or package-lock=false', () => {
    assert.deepEqual(detect(lockfile, { 'package.json': pkg(), 'package-lock.json': '{}' }), []);
    assert.deepEqual(
      detect(lockfile, {
        'package.json': pkg(),
        'yarn.lock': '',
        'packages/ui/package.json': pkg({ name: 'ui' }),
      }),
      [],
    );
    assert.deepEqual(
      detect(lockfile, { 'package.json': JSON.stringify({ name: 'x', scripts: { a: 'b' } }) }),
      [],
    );
    assert.deepEqual(detect(lockfile, { 'package.json': pkg(), '.npmrc': 'package-lock=false\n' }), []);
    assert.deepEqual(detect(lockfile, { 'fixtures/app/package.json': pkg() }), []);
  });

  it('leaves alone the template of a package.json the code generates, not a package whose name only looks odd', () => {
    // No lockfile anywhere (a package as published): the package itself is flagged, its
    // templates are not (Budibase's app directory template is named by a placeholder).
    const findings = detect(lockfile, {
      'package.json': pkg(),
      'src/utilities/appDirectoryTemplate/package.json': pkg({ name: '{{ name }}' }),
      'templates/plugin/package.json': pkg({ name: '<%= pluginName %>' }),
      'tools/gen/package.json': pkg({ name: '__PACKAGE_NAME__' }),
      'web/package.json': pkg({ name: '@shop/web_ui' }),
    });
    assert.deepEqual(
      findings.map((f) => f.evidence[0]?.file),
      ['package.json', 'web/package.json'],
    );
  });
});
