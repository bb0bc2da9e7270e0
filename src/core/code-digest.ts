import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { shortHash } from './hash.ts';
import { installRoot } from './install-root.ts';

const digests = new Map<string, string>();

function listCode(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listCode(file));
    else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(file);
  }
  return out.sort();
}

/**
 * A digest of improve's installed code in these folders of `src/` (or `dist/`), so that a cache of
 * what that code computed is dropped when the code changes, even when the package version stays
 * the same, as it does in development. Computed once per process and folder list.
 */
export function installedCodeDigest(folders: readonly string[]): string {
  const key = folders.join('\0');
  const known = digests.get(key);
  if (known !== undefined) return known;
  const { root: installed, code } = installRoot();
  const root = path.join(installed, code);
  let text = '';
  try {
    for (const dir of folders) {
      for (const file of listCode(path.join(root, dir))) {
        text += `${path.relative(root, file)}\n${readFileSync(file, 'utf8')}\n`;
      }
    }
  } catch {
    text = 'unreadable';
  }
  const digest = shortHash(text, 32);
  digests.set(key, digest);
  return digest;
}
