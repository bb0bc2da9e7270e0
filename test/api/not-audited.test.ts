import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeNotAudited } from '../../src/api/not-audited.ts';
import { minimalProfile } from '../../src/core/minimal-profile.ts';
import type { RepoProfile, SourceFile } from '../../src/core/types.ts';

function profile(files: SourceFile[], overrides: Partial<RepoProfile> = {}): RepoProfile {
  return { ...minimalProfile('/repo', files, 'not a git repository'), ...overrides };
}

describe('describeNotAudited', () => {
  it('groups skipped paths by reason, in reason order, with three examples and a count of the rest', () => {
    const lines = describeNotAudited(
      profile([], {
        skipped: [
          { path: 'dist/app.min.js', reason: 'minified' },
          { path: 'assets/logo.png', reason: 'binary' },
          { path: 'vendor/a.min.js', reason: 'minified' },
          { path: 'vendor/b.min.js', reason: 'minified' },
          { path: 'vendor/c.min.js', reason: 'minified' },
          { path: 'data/dump.sql', reason: 'too-large' },
        ],
      }),
    );
    assert.deepEqual(lines, [
      '1 path skipped as binary: assets/logo.png',
      '4 paths skipped as minified: dist/app.min.js, vendor/a.min.js, vendor/b.min.js and 1 more',
      '1 path skipped as over 1 MiB: data/dump.sql',
    ]);
  });

  it('says when git refused the repository (another owner), and how to trust it; not for a plain folder', () => {
    const refused = profile([], {
      git: {
        available: false,
        reason: 'git refused the repository (dubious ownership; see git config safe.directory)',
        hotspots: [],
      },
    });
    assert.deepEqual(describeNotAudited(refused), [
      'git history (hotspots, commit style, branch): git refused the repository, which another user owns; to trust it, run `git config --global --add safe.directory /repo`',
    ]);
    assert.deepEqual(describeNotAudited(profile([])), []);
  });

  it('lists a path inside a skipped folder with its folder only (a vendored theme’s minified files)', () => {
    const lines = describeNotAudited(
      profile([], {
        skipped: [
          { path: 'content/themes/casper', reason: 'vendored' },
          { path: 'content/themes/casper/assets/built', reason: 'build-output' },
          { path: 'content/themes/casper/assets/js/lib/photoswipe.min.js', reason: 'minified' },
          { path: 'core/built', reason: 'build-output' },
          { path: 'content/themes/casperless/app.min.js', reason: 'minified' },
        ],
      }),
    );
    assert.deepEqual(lines, [
      '1 path skipped as build output: core/built',
      '1 path skipped as minified: content/themes/casperless/app.min.js',
      '1 path skipped as vendored code: content/themes/casper',
    ]);
  });

  it('names code in languages without detectors, but not data, docs, config, type declarations or stubs', () => {
    const lines = describeNotAudited(
      profile([
        { path: 'src/app.ts', size: 10, role: 'source', language: 'typescript', languageName: 'TypeScript' },
        { path: 'cmd/main.go', size: 10, role: 'source', languageName: 'Go' },
        { path: 'cmd/util.go', size: 10, role: 'source', languageName: 'Go' },
        { path: 'scripts/build.sh', size: 10, role: 'source', languageName: 'Shell' },
        { path: 'src/App.vue', size: 10, role: 'source', languageName: 'Vue' },
        { path: 'views/products.ejs', size: 10, role: 'source', languageName: 'EJS' },
        { path: 'types/index.d.ts', size: 10, role: 'source', languageName: 'TypeScript' },
        { path: 'celery/app/task.pyi', size: 10, role: 'source', languageName: 'Python' },
        { path: 'data/seed.json', size: 10, role: 'source', languageName: 'JSON' },
        { path: 'docs/guide.md', size: 10, role: 'docs', languageName: 'Markdown' },
        { path: 'Makefile', size: 10, role: 'config', languageName: 'Makefile' },
      ]),
    );
    assert.deepEqual(lines, [
      '1 EJS file: views checked for raw HTML output of request data only; their code is not audited',
      '2 Go files: no code detectors for Go yet (repo-level checks still ran)',
      '1 Shell file: no code detectors for Shell yet (repo-level checks still ran)',
      '1 Vue file: templates checked for raw HTML output only; their script code is not audited',
    ]);
  });

  it('says when the audited folder is an installed package and appends the caller’s notes last', () => {
    const lines = describeNotAudited(profile([], { publishedPackage: 'node_modules/left-pad' }), [
      'dependency advisories: offline',
    ]);
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /^an installed package \(inside node_modules\/left-pad\), not a repository/);
    assert.equal(lines[1], 'dependency advisories: offline');
  });
});
