import type * as Sarif from 'sarif';
import type { Finding } from '../core/types.ts';
import type { DetectorMeta } from '../detectors/types.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

function level(finding: Finding): Sarif.Result.level {
  if (finding.confidence === 'LOW') return 'note';
  if (finding.impact === 'HIGH' && finding.confidence === 'HIGH') return 'error';
  return finding.impact === 'LOW' ? 'note' : 'warning';
}

function rule(meta: DetectorMeta): Sarif.ReportingDescriptor {
  return {
    id: meta.id,
    name: meta.id.replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase()),
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.description },
    help: { text: meta.fixSketch },
    defaultConfiguration: {
      level: meta.confidence === 'LOW' ? 'note' : meta.impact === 'HIGH' ? 'error' : 'warning',
    },
    properties: { category: meta.category, tags: [meta.category] },
  };
}

function location(file: string, startLine: number, endLine: number): Sarif.Location {
  return {
    physicalLocation: {
      artifactLocation: { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' },
      region: { startLine, endLine },
    },
  };
}

/**
 * SARIF 2.1.0, one run. Every known rule is listed with its category; every result carries its
 * locations and the finding's metadata. Excerpts are not included (`snippet` would be the only place a
 * file's text could go, and findings' excerpts are already redacted, but GitHub does not need them).
 */
export function toSarif(
  findings: readonly Finding[],
  rules: readonly DetectorMeta[],
  version: string,
  /** Where repo-level findings (no cited lines) point: GitHub needs one location per result. */
  fallbackUri = 'README.md',
  /** Findings a plan already covers, by id: still in the code, so still results, with the plan. */
  planned: ReadonlyMap<string, string> = new Map(),
): Sarif.Log {
  const ruleIds = [...new Set([...rules.map((r) => r.id), ...findings.map((f) => f.ruleId)])].sort();
  const byId = new Map(rules.map((r) => [r.id, r]));
  // Rules without metadata (model-found ones) take the category of their first finding.
  const categories = new Map<string, string>();
  for (const finding of findings)
    if (!categories.has(finding.ruleId)) categories.set(finding.ruleId, finding.category);
  const descriptors = ruleIds.map((id) => {
    const meta = byId.get(id);
    return meta ? rule(meta) : { id, properties: { category: categories.get(id) } };
  });
  const results: Sarif.Result[] = findings.map((finding) => {
    const locations = finding.evidence.map((e) => location(e.file, e.startLine, e.endLine));
    const result: Sarif.Result = {
      ruleId: finding.ruleId,
      ruleIndex: ruleIds.indexOf(finding.ruleId),
      level: level(finding),
      message: { text: `${finding.title}. ${finding.message}` },
      // GitHub code scanning needs a location; repo-level findings point at the repository root.
      locations: locations.length > 0 ? locations : [location(fallbackUri, 1, 1)],
      partialFingerprints: { improveFindingId: finding.id },
      properties: {
        category: finding.category,
        confidence: finding.confidence,
        effort: finding.effort,
        risk: finding.risk,
        impact: finding.impact,
        leverage: finding.leverage ?? 0,
        findingId: finding.id,
        ...(finding.introduced === undefined ? {} : { introduced: finding.introduced }),
        ...(planned.has(finding.id) ? { planId: planned.get(finding.id) } : {}),
      },
    };
    return result;
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'improve',
            version,
            informationUri: 'https://www.npmjs.com/package/improve',
            rules: descriptors,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The root of the audited repository.' } } },
        results,
      },
    ],
  };
}
