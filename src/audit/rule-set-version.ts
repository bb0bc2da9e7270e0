import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { shortHash } from '../core/hash.ts';
import { installRoot } from '../core/install-root.ts';
import { VERSION } from '../core/version.ts';
import type { Detector } from '../detectors/types.ts';

/** Bump when the cache's layout or the meaning of a cached result changes. */
const CACHE_FORMAT = '1';

let codeDigest: string | undefined;

function listCode(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listCode(file));
    else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(file);
  }
  return out.sort();
}

/** The code that decides what a detector reports: the detectors, the engine and the core helpers. */
const RESULT_CODE = ['detectors', 'audit', 'core'];

/**
 * A digest of the installed code that decides detector results, so that a changed detector
 * invalidates cached results even when the package version stays the same, as it does in
 * development. Computed once per process.
 */
function installedCodeDigest(): string {
  if (codeDigest === undefined) {
    const { root: installed, code } = installRoot();
    const root = path.join(installed, code);
    let text = '';
    try {
      for (const dir of RESULT_CODE) {
        for (const file of listCode(path.join(root, dir))) {
          text += `${path.relative(root, file)}\n${readFileSync(file, 'utf8')}\n`;
        }
      }
    } catch {
      text = 'unreadable';
    }
    codeDigest = shortHash(text, 32);
  }
  return codeDigest;
}

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
  const parts = [CACHE_FORMAT, VERSION, installedCodeDigest(), ...detectors.map(describe), ...ruleSources];
  return shortHash(parts.join('\0'), 32);
}
