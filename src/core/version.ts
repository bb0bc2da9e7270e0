import { readFileSync } from 'node:fs';
import path from 'node:path';
import { installRoot } from './install-root.ts';

/** The package version, read once from package.json (works from src/, dist/ and the bundles). */
export const VERSION: string = (() => {
  try {
    const text = readFileSync(path.join(installRoot().root, 'package.json'), 'utf8');
    const parsed: unknown = JSON.parse(text);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'version' in parsed &&
      typeof parsed.version === 'string'
    ) {
      return parsed.version;
    }
  } catch {
    // fall through: a broken install still runs, and says so in its version
  }
  return '0.0.0-unknown';
})();
