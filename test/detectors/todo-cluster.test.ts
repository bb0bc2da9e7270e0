import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { todoCluster } from '../../src/detectors/tech-debt/todo-cluster.ts';
import { detect } from '../helpers/detector.ts';

describe('tech-debt/todo-cluster', () => {
  it('flags a source file with five or more TODO/FIXME/HACK/XXX comments, citing the first', () => {
    const findings = detect(todoCluster, {
      'src/sync.ts': [
        'export function sync() {',
        '  // TODO: retry on network errors',
        '  const a = 1; // FIXME off by one',
        '  /* HACK: work around the vendor bug */',
        '  // XXX this blocks the event loop',
        '  // TODO(ana): batch the writes',
        '  return a;',
        '}',
      ].join('\n'),
      'app/jobs.py': '# TODO a\n# TODO b\n# FIXME c\n# TODO d\n# HACK e\n# TODO f\n',
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.evidence[0]?.startLine]),
      [
        ['app/jobs.py', 1],
        ['src/sync.ts', 2],
      ],
    );
    assert.match(findings[1]?.message ?? '', /5 deferred-work comments \(2 TODO, 1 FIXME, 1 HACK, 1 XXX\)/);
    assert.match(findings[0]?.doneCheck ?? '', /-lt 5$/);
    assert.deepEqual(
      findings.map((f) => f.confidence),
      ['HIGH', 'HIGH'],
    );
  });

  it('rates a file whose markers are mostly XXX notes MED (pysaml2 entity.py)', () => {
    const findings = detect(todoCluster, {
      'saml2/entity.py': [
        '# XXX DONE calls pre_signature_part',
        '# XXX ava ok',
        '# XXX would this be useful?',
        '# XXX not sure about this one',
        '# TODO: sign the response',
        '# XXX calls sign_assertion',
      ].join('\n'),
    });
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.confidence, 'MED');
    assert.match(findings[0]?.message ?? '', /Most are XXX, which also marks notes and warnings/);
  });

  it('rates the FIXMEs of a migration MED and sends the work to a new migration (Keystone initial version)', () => {
    const fixmes = [
      '# FIXME(stephenfin): Remove this as soon as we are done reworking the SQL models',
      '# FIXME(stephenfin): This should have a foreign key constraint on project.id',
      '# TODO(stephenfin): Remove these procedures in a future contract migration',
      '# FIXME(stephenfin): Remove these indexes, left over from attempts at FKs',
      '# FIXME(stephenfin): This should be dropped when we add the FK',
    ].join('\n');
    const findings = detect(todoCluster, {
      'keystone/common/sql/migrations/versions/27e647c0fad4_initial_version.py': `${fixmes}\n`,
      'keystone/assignment/core.py': `${fixmes.replaceAll('Remove', 'Drop').replaceAll('This', 'It')}\n`,
      // The code that runs migrations is live code: its TODOs are work to do in place.
      'lib/migrations/migrate/Migrator.js': `${fixmes.replaceAll('#', '//').replaceAll('Remove', 'Rework')}\n`,
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.confidence]),
      [
        ['keystone/assignment/core.py', 'HIGH'],
        ['keystone/common/sql/migrations/versions/27e647c0fad4_initial_version.py', 'MED'],
        ['lib/migrations/migrate/Migrator.js', 'HIGH'],
      ],
    );
    assert.match(findings[1]?.message ?? '', /line 1\. This file is a migration .* goes in a new migration/);
    assert.match(findings[0]?.message ?? '', /line 1\. Together they mark this file as unfinished/);
  });

  it('reports a file whose TODOs other files copy word for word once, naming the copies', () => {
    const todos = Array.from({ length: 5 }, (_, i) => `// TODO: step ${i} of the terminal`).join('\n');
    const findings = detect(todoCluster, {
      'views/default.handlebars': `<script>\n${todos}\n</script>\n`,
      'views/translations/default_de.handlebars': `<script>\n${todos}\n</script>\n`,
      'views/translations/default_fr.handlebars': `<html>\n<script>\n${todos}\n</script>\n`,
      // The same comments but one: a file of its own.
      'views/other.handlebars': `<script>\n${todos.replace('step 4', 'step 5')}\n</script>\n`,
    });
    assert.deepEqual(
      findings.map((f) => f.evidence.map((e) => `${e.file}:${e.startLine}`)),
      [
        [
          'views/default.handlebars:2',
          'views/translations/default_de.handlebars:2',
          'views/translations/default_fr.handlebars:3',
        ],
        ['views/other.handlebars:2'],
      ],
    );
    assert.match(
      findings[0]?.message ?? '',
      /copied, word for word, into 2 other files \(views\/translations\/default_de\.handlebars, views\/translations\/default_fr\.handlebars\)/,
    );
  });

  it('counts one TODO repeated at each place of a pending change once (Glance policy fallbacks)', () => {
    const fallback =
      '    # TODO(danms): Remove this legacy fallback when secure RBAC replaces the legacy policy.';
    const findings = detect(todoCluster, {
      'glance/api/v2/policy.py': [
        ...Array.from({ length: 6 }, () => fallback),
        '    # TODO: cache the rules',
      ].join('\n'),
      'glance/api/v2/images.py': [
        ...Array.from({ length: 3 }, () => fallback),
        ...Array.from({ length: 5 }, (_, i) => `    # TODO: step ${i}`),
      ].join('\n'),
      // Short notes on their own lines are as many items as lines, however alike.
      'gyp/generator/android.py': Array.from(
        { length: 5 },
        () => '    assert ok  # TODO: not supported?',
      ).join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => f.evidence[0]?.file),
      ['glance/api/v2/images.py', 'gyp/generator/android.py'],
    );
    assert.match(findings[0]?.message ?? '', /8 deferred-work comments \(8 TODO; 6 different ones\)/);
  });

  it('ignores files under the threshold, markers outside comments, tests and docs', () => {
    const findings = detect(todoCluster, {
      'src/few.ts': '// TODO one\n// TODO two\n// TODO three\n// TODO four\n',
      'src/strings.ts': Array.from(
        { length: 6 },
        (_, i) => `const s${i} = "TODO list item ${i}"; const t${i} = TODOS;`,
      ).join('\n'),
      'src/phone.ts': Array.from({ length: 6 }, () => 'format("XXX-XXX-XXXX");').join('\n'),
      'test/a.test.ts': Array.from({ length: 6 }, (_, i) => `// TODO test ${i}`).join('\n'),
      'docs/plan.md': Array.from({ length: 6 }, (_, i) => `- TODO item ${i}`).join('\n'),
    });
    assert.deepEqual(findings, []);
  });
  it('does not count TODOs scheduled for a future release (webpack "next major" markers)', () => {
    const scheduled = [
      '// TODO in the next major release: remove',
      '// TODO in the next major release: deprecate',
      '// TODO webpack 6: make chunkGraph argument non-optional',
      '/* TODO(v3): drop the alias */',
      '// TODO: breaking change, rename the hook',
      // paramiko's
      '# TODO 3.0: remove entirely',
      '# TODO: remove in 3.x re #670',
    ];
    const findings = detect(todoCluster, {
      'lib/Compilation.js': [
        ...scheduled,
        '// TODO: fix issue 42: crash on empty chunk',
        'module.exports = {};',
      ].join('\n'),
      'lib/Chunk.js': [...scheduled, ...Array.from({ length: 5 }, (_, i) => `// FIXME step ${i}`)].join('\n'),
    });
    assert.deepEqual(
      findings.map((f) => [f.evidence[0]?.file, f.title]),
      [['lib/Chunk.js', '5 TODO/FIXME comments in lib/Chunk.js']],
    );
  });
});
