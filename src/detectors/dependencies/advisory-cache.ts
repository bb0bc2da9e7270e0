import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { detectorCacheFile } from '../../audit/cache-location.ts';
import { shortHash } from '../../core/hash.ts';
import type { AdvisoryOutcome } from './npm-audit.ts';
import { isRecord } from './package-manifests.ts';

/** Advisories change slowly; a failed look-up is retried sooner (the network may be back). */
const AUDITED_TTL_MS = 6 * 60 * 60 * 1000;
const SKIPPED_TTL_MS = 10 * 60 * 1000;

interface Entry {
  at: number;
  outcome: AdvisoryOutcome;
}

function cacheFile(root: string, env: NodeJS.ProcessEnv): string {
  const detectors = detectorCacheFile(root, env);
  return path.join(path.dirname(detectors), `advisories-${shortHash(path.resolve(root), 12)}.json`);
}

/** A stored outcome, checked as far as the findings built from it rely on. */
function isOutcome(value: unknown): value is AdvisoryOutcome {
  if (!isRecord(value)) return false;
  if (value.kind === 'skipped') return typeof value.note === 'string';
  return (
    value.kind === 'audited' &&
    typeof value.tool === 'string' &&
    Array.isArray(value.dependencies) &&
    value.dependencies.every(
      (d) => isRecord(d) && typeof d.name === 'string' && Array.isArray(d.advisories) && isRecord(d.fix),
    )
  );
}

function readEntries(file: string): Record<string, Entry> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isRecord(parsed)) return {};
    const out: Record<string, Entry> = {};
    for (const [key, value] of Object.entries(parsed)) {
      if (isRecord(value) && typeof value.at === 'number' && isOutcome(value.outcome)) {
        out[key] = { at: value.at, outcome: value.outcome };
      }
    }
    return out;
  } catch {
    return {};
  }
}

/**
 * The outcome of an advisory look-up for exactly these inputs (tool, lockfile text, registry),
 * from `.git/improve/cache/` while fresh, else from `load` (then stored). A cache that cannot be
 * read or written is skipped.
 */
export function cachedAdvisories(
  root: string,
  /** Files whose content decides the outcome (the lockfile), and other inputs (tool, registry). */
  inputs: { files: readonly string[]; values: readonly string[] },
  load: () => AdvisoryOutcome,
  env: NodeJS.ProcessEnv = process.env,
  now: () => number = Date.now,
): AdvisoryOutcome {
  const file = cacheFile(root, env);
  const texts = inputs.files.map((name) => {
    try {
      return readFileSync(path.join(root, name), 'utf8');
    } catch {
      return '';
    }
  });
  const key = shortHash([...inputs.values, ...texts].join('\0'), 32);
  const entries = readEntries(file);
  const hit = entries[key];
  const ttl = hit?.outcome.kind === 'audited' ? AUDITED_TTL_MS : SKIPPED_TTL_MS;
  if (hit && now() - hit.at >= 0 && now() - hit.at < ttl) return hit.outcome;
  const outcome = load();
  if (outcome.kind === 'skipped' && outcome.transient !== true) return outcome;
  const fresh = Object.fromEntries(Object.entries(entries).filter(([, e]) => now() - e.at < AUDITED_TTL_MS));
  fresh[key] = { at: now(), outcome };
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic.sync(file, `${JSON.stringify(fresh)}\n`);
  } catch {
    // an unwritable cache only costs the next run a look-up
  }
  return outcome;
}
