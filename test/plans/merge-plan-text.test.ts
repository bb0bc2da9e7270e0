import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPlan } from '../../src/plans/build-plan.ts';
import { mergePlanText } from '../../src/plans/merge-plan-text.ts';
import { parsePlan } from '../../src/plans/parse-plan.ts';
import { renderPlan } from '../../src/plans/render-plan.ts';
import { DATE, sampleFinding, sampleProfile } from './fixtures.ts';

const plan = buildPlan({ finding: sampleFinding(), profile: sampleProfile(), number: 4, date: DATE });

describe('merging a reworked plan into the user’s file', () => {
  it('restores missing sections in order and keeps the user’s own sections where they were, and the Status text', () => {
    const original = renderPlan({ ...plan, status: { state: 'BLOCKED', reason: 'waiting for ops' } })
      .replace(/\n## Maintenance notes\n[\s\S]*$/, '\n')
      .replace(
        '## Git workflow',
        '## Context from Dana\n\nThe save path is also used by the importer.\n\n## Git workflow',
      )
      .replace('**BLOCKED** — waiting for ops', '**BLOCKED** — waiting for ops\n\nPinged ops on Monday.');
    const reworked = {
      ...plan,
      title: 'Report failed inserts from save()',
      maintenance: ['Keep the error path tested.'],
    };
    const merged = mergePlanText(original, reworked, '004-x.md');

    assert.deepEqual(
      merged.split('\n').filter((line) => line.startsWith('## ')),
      [
        '## Executor instructions',
        '## Status',
        '## Why this matters',
        '## Current state',
        '## Commands you will need',
        '## Scope',
        '## Context from Dana',
        '## Git workflow',
        '## Steps',
        '## Test plan',
        '## Done criteria',
        '## STOP conditions',
        '## Maintenance notes',
      ],
    );
    assert.ok(
      merged.includes(
        '## Context from Dana\n\nThe save path is also used by the importer.\n\n## Git workflow',
      ),
    );
    assert.ok(merged.includes('**BLOCKED** — waiting for ops\n\nPinged ops on Monday.'));
    assert.ok(merged.endsWith('## Maintenance notes\n\n- Keep the error path tested.\n'));
    const parsed = parsePlan(merged, '004-x.md');
    assert.equal(parsed.title, 'Report failed inserts from save()');
    assert.deepEqual(parsed.status, { state: 'BLOCKED', reason: 'waiting for ops' });
    assert.match(merged, /^# Plan 004: Report failed inserts from save\(\)$/m);
  });
});
