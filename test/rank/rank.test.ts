import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../src/core/types.ts';
import { BASELINE_RULE, leverage, rank } from '../../src/rank/rank.ts';

function f(id: string, overrides: Partial<Finding> = {}): Finding {
  return {
    id,
    ruleId: 'correctness/x',
    category: 'correctness',
    title: id,
    message: '',
    evidence: [{ file: `${id}.ts`, startLine: 1, endLine: 1, excerpt: 'x' }],
    impact: 'MED',
    effort: 'M',
    risk: 'LOW',
    riskReason: '',
    confidence: 'HIGH',
    fixSketch: '',
    ...overrides,
  };
}

describe('rank', () => {
  it('orders by impact ÷ effort discounted by confidence and risk', () => {
    assert.ok(
      leverage(f('a', { impact: 'HIGH', effort: 'S' })) > leverage(f('b', { impact: 'HIGH', effort: 'L' })),
    );
    assert.ok(leverage(f('a', { confidence: 'HIGH' })) > leverage(f('b', { confidence: 'LOW' })));
    assert.ok(leverage(f('a', { risk: 'LOW' })) > leverage(f('b', { risk: 'HIGH' })));
    const ordered = rank([f('low', { impact: 'LOW' }), f('high', { impact: 'HIGH', effort: 'S' }), f('mid')]);
    assert.deepEqual(
      ordered.map((x) => x.id),
      ['high', 'mid', 'low'],
    );
    assert.ok(ordered.every((x) => typeof x.leverage === 'number'));
  });

  it('puts LOW-confidence leads after every MED/HIGH finding, whatever their impact', () => {
    const lead = f('lead', { impact: 'HIGH', effort: 'S', confidence: 'LOW' });
    const modest = f('modest', { impact: 'MED', effort: 'M', confidence: 'MED' });
    assert.ok(leverage(lead) > leverage(modest), 'the lead has the higher leverage');
    assert.deepEqual(
      rank([lead, modest]).map((x) => x.id),
      ['modest', 'lead'],
    );
  });

  it('puts the verification baseline first, whatever its leverage', () => {
    const ordered = rank([
      f('sec', { impact: 'HIGH', effort: 'S' }),
      f('base', { ruleId: BASELINE_RULE, category: 'tests', effort: 'L' }),
    ]);
    assert.equal(ordered[0]?.id, 'base');
  });

  it('breaks ties: HIGH-confidence security first, then findings with a done check', () => {
    const ordered = rank([
      f('plain'),
      f('checked', { doneCheck: 'true' }),
      f('sec', { category: 'security' }),
    ]);
    assert.deepEqual(
      ordered.map((x) => x.id),
      ['sec', 'checked', 'plain'],
    );
  });

  it('is deterministic for equal findings', () => {
    const input = [f('b'), f('a'), f('c')];
    assert.deepEqual(
      rank(input).map((x) => x.id),
      rank([...input].reverse()).map((x) => x.id),
    );
  });
});
