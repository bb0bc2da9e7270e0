import { installedCodeDigest } from '../core/code-digest.ts';
import { shortHash } from '../core/hash.ts';
import { VERSION } from '../core/version.ts';
import type { Detector } from '../detectors/types.ts';

/** Bump when the cache's layout or the meaning of a cached result changes. */
const CACHE_FORMAT = '1';

/** The code that decides what a detector reports: the detectors, the engine and the core helpers. */
const RESULT_CODE = ['detectors', 'audit', 'core'];

/** The detector's data (rules and metadata), without its functions. */
function describe(detector: Detector): string {
  return JSON.stringify(detector, (_key, value: unknown) =>
    typeof value === 'function' ? undefined : value,
  );
}

/**
 * The version of the rule set that cached results are valid for: the package version, improve's
 * code, every detector's id, rules and metadata, and the text of the repository's own rule files.
 */
export function ruleSetVersion(detectors: readonly Detector[], ruleSources: readonly string[] = []): string {
  const parts = [
    CACHE_FORMAT,
    VERSION,
    installedCodeDigest(RESULT_CODE),
    ...detectors.map(describe),
    ...ruleSources,
  ];
  return shortHash(parts.join('\0'), 32);
}
