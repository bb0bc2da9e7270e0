import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runDetectors } from '../../src/audit/run-detectors.ts';
import { lockfile } from '../../src/detectors/dependencies/lockfile.ts';
import { detect, profileFor } from '../helpers/detector.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';

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

  describe('in a workspace (npm, yarn, pnpm), where the root lockfile locks every member', () => {
    const member = (name: string, deps: Record<string, string>) =>
      JSON.stringify({ name, version: '1.0.0', dependencies: deps }, null, 2);
    const npmWorkspace = {
      'package.json': JSON.stringify(
        {
          name: 'mono',
          private: true,
          workspaces: ['packages/*'],
          devDependencies: { typescript: '^5.6.0' },
        },
        null,
        2,
      ),
      'packages/api/package.json': member('@acme/api', { express: '^4.21.0', '@acme/shared': '1.0.0' }),
      'packages/web/package.json': member('@acme/web', { react: '^18.3.0', '@acme/shared': '1.0.0' }),
      'packages/shared/package.json': JSON.stringify({ name: '@acme/shared', version: '1.0.0' }),
    };

    it('flags the missing lockfile once, at the workspace root, not in each member folder', () => {
      const findings = detect(lockfile, npmWorkspace);
      assert.deepEqual(
        findings.map((f) => [f.evidence[0]?.file, f.doneCheck]),
        [['package.json', "test -f 'package-lock.json'"]],
      );
      assert.match(
        findings[0]?.message ?? '',
        /and the 3 workspace packages it installs declare 4 dependencies/,
      );
      assert.match(findings[0]?.fixSketch ?? '', /the workspace root/);
    });

    it('flags a root that declares no dependency of its own, citing its workspaces', () => {
      const findings = detect(lockfile, {
        ...npmWorkspace,
        'package.json': JSON.stringify(
          { name: 'mono', private: true, workspaces: { packages: ['packages/**'] } },
          null,
          2,
        ),
      });
      assert.deepEqual(
        findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine]),
        [['package.json', 4]],
      );
    });

    it('asks a pnpm workspace for pnpm-lock.yaml at its root', () => {
      const findings = detect(lockfile, {
        'package.json': JSON.stringify({ name: 'mono', private: true }),
        'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n  - '!apps/legacy'\n",
        'apps/site/package.json': member('site', { next: '^14.0.0' }),
        'apps/legacy/package.json': member('legacy', { jquery: '^3.0.0' }),
      });
      // apps/legacy is left out of the workspace: a project of its own, with a lockfile of its own.
      assert.deepEqual(
        findings.map((f) => [f.evidence[0]?.file, f.doneCheck?.endsWith("pnpm-lock.yaml'")]),
        [
          ['apps/legacy/package.json', false],
          ['package.json', true],
        ],
      );
    });

    it('reports conflicting root lockfiles once, not again for each member', () => {
      const findings = detect(lockfile, { ...npmWorkspace, 'package-lock.json': '{}', 'yarn.lock': '' });
      assert.deepEqual(
        findings.map((f) => f.evidence[0]?.file),
        ['package.json'],
      );
    });

    it('is silent when the audited folder is a member of a workspace declared above it', () => {
      const temp = tempDir('improve-lockfile-');
      try {
        writeTree(temp.dir, npmWorkspace);
        const root = path.join(temp.dir, 'packages/api');
        const profile = profileFor(
          root,
          { 'package.json': npmWorkspace['packages/api/package.json'] },
          { enclosing: { root: '../..', lockfiles: [], ciFiles: [], commands: [] } },
        );
        const result = runDetectors(profile, [lockfile], { level: 'deep', focus: [] });
        assert.deepEqual(result.findings, []);
      } finally {
        temp.dispose();
      }
    });
  });
});
