import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where improve's own code runs from: `src` (the TypeScript sources) or `dist` (the build). */
export type CodeFolder = 'src' | 'dist';

let found: { root: string; code: CodeFolder } | undefined;

function isImprovePackage(dir: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'name' in parsed && parsed.name === 'improve';
  } catch {
    return false;
  }
}

/**
 * The folder improve is installed in (the one with its package.json), and whether its code runs
 * from the sources or the build. Found by walking up from this module, so it is the same from a
 * module `tsc` wrote, from a bundle and its chunks (scripts/bundle.ts), and from the sources.
 */
export function installRoot(): { root: string; code: CodeFolder } {
  if (found) return found;
  const here = fileURLToPath(import.meta.url);
  const code: CodeFolder = here.endsWith('.ts') ? 'src' : 'dist';
  let dir = path.dirname(here);
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && isImprovePackage(dir)) break;
    const parent = path.dirname(dir);
    if (parent === dir) {
      // Not under a package named improve (copied out of one): the layout tsc and the bundle write.
      dir = path.resolve(path.dirname(here), '..', '..');
      break;
    }
    dir = parent;
  }
  found = { root: dir, code };
  return found;
}

/** The absolute path of one of improve's own files, given relative to its code folder. */
export function ownCodeFile(relative: string): string {
  const { root, code } = installRoot();
  return path.join(root, code, code === 'src' ? relative : relative.replace(/\.ts$/, '.js'));
}
