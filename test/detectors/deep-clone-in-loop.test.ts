import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deepCloneInLoop } from '../../src/detectors/performance/deep-clone-in-loop.ts';
import { detect } from '../helpers/detector.ts';

const summary = (findings: ReturnType<typeof detect>) =>
  findings.map((f) => [f.evidence[0]?.startLine, f.confidence, f.evidence[1]?.startLine]);

describe('performance/deep-clone-in-loop', () => {
  it('flags deep copies of one outer object made per iteration (JS and Python)', () => {
    const findings = detect(deepCloneInLoop, {
      'src/render.ts': [
        "import cloneDeep from 'lodash/cloneDeep';",
        'export function render(rows: Row[], theme: Theme) {',
        '  return rows.map((row) => {',
        '    const style = JSON.parse(JSON.stringify(theme));',
        '    const base = structuredClone(DEFAULTS);',
        '    const extra = cloneDeep(theme.extra);',
        '    return { row, color: style.color, base, extra };',
        '  });',
        '}',
      ].join('\n'),
      'app/report.py': [
        'import copy',
        'def report(users, template):',
        '    for user in users:',
        '        page = copy.deepcopy(template)',
        '        yield render(page, user)',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), [
      [4, 'LOW', 3],
      [5, 'LOW', 3],
      [6, 'LOW', 3],
      [4, 'LOW', 3],
    ]);
    assert.match(findings[0]?.message ?? '', /JSON\.parse\(JSON\.stringify\(…\)\)` copies all of `theme`/);
  });

  it('leaves per-item copies, snapshots of state the loop changes, and copies before the loop alone', () => {
    const findings = detect(deepCloneInLoop, {
      'src/ok.ts': [
        'export function snapshots(items: Item[], state: State) {',
        '  const base = structuredClone(state);',
        '  const copies = items.map((item) => structuredClone(item));',
        '  const history = [];',
        '  for (const item of items) {',
        '    state.count += item.n;',
        '    history.push(structuredClone(state));',
        '  }',
        '  return { base, copies, history };',
        '}',
      ].join('\n'),
      'app/ok.py': [
        'from copy import deepcopy',
        'def each(rows):',
        '    return [deepcopy(row) for row in rows]',
      ].join('\n'),
    });
    assert.deepEqual(summary(findings), []);
  });
});
