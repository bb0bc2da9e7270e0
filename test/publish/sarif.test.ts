import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import AjvModule from 'ajv-draft-04';
import type { Finding } from '../../src/core/types.ts';
import { DETECTORS } from '../../src/detectors/index.ts';
import { toSarif } from '../../src/publish/sarif.ts';

const require = createRequire(import.meta.url);
const schema: unknown = JSON.parse(
  readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
);

export function validateSarif(log: unknown): string[] {
  const Ajv = AjvModule.default;
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    unicodeRegExp: false,
    validateFormats: false,
    logger: false,
  });
  const validate = ajv.compile(schema as object);
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

const finding: Finding = {
  id: 'F-0123abcd',
  ruleId: 'correctness/empty-catch',
  category: 'correctness',
  title: 'Error swallowed',
  message: 'The error is discarded.',
  evidence: [{ file: 'src/a b.ts', startLine: 3, endLine: 4, excerpt: 'catch (e) {}' }],
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason: 'r',
  confidence: 'HIGH',
  fixSketch: 'f',
  leverage: 10,
};

describe('SARIF', () => {
  it('validates against the SARIF 2.1.0 schema and lists every rule with its category', () => {
    const log = toSarif([finding, { ...finding, id: 'F-1', evidence: [] }], DETECTORS, '1.2.3');
    assert.deepEqual(validateSarif(log), []);
    const run = log.runs[0]!;
    assert.equal(run.tool.driver.name, 'improve');
    const ruleIds = (run.tool.driver.rules ?? []).map((r) => r.id);
    for (const detector of DETECTORS) assert.ok(ruleIds.includes(detector.id), detector.id);
    assert.ok((run.tool.driver.rules ?? []).every((r) => typeof r.properties?.category === 'string'));
  });

  it('carries locations relative to the repo root and the finding metadata', () => {
    const result = toSarif([finding], DETECTORS, '1.2.3').runs[0]!.results![0]!;
    const location = result.locations?.[0]?.physicalLocation;
    assert.equal(location?.artifactLocation?.uri, 'src/a%20b.ts');
    assert.deepEqual(location?.region, { startLine: 3, endLine: 4 });
    assert.deepEqual(result.properties, {
      category: 'correctness',
      confidence: 'HIGH',
      effort: 'S',
      risk: 'LOW',
      impact: 'MED',
      leverage: 10,
      findingId: 'F-0123abcd',
    });
    assert.equal(result.ruleId, 'correctness/empty-catch');
  });
});
