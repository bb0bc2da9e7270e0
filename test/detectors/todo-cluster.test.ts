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
});
