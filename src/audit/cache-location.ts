import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { shortHash } from '../core/hash.ts';

/** The git directory of `dir` itself (a `.git` folder, or the common dir a `.git` file points to). */
function gitDirAt(dir: string): string | undefined {
  const dotGit = path.join(dir, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    if (!pointer) return undefined;
    const gitDir = path.resolve(dir, pointer);
    const common = path.join(gitDir, 'commondir');
    return existsSync(common) ? path.resolve(gitDir, readFileSync(common, 'utf8').trim()) : gitDir;
  } catch {
    return undefined;
  }
}

/** The git directory that holds `dir`, walking up; undefined outside a repository. Reads files only. */
function findGitDir(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    const found = gitDirAt(current);
    if (found) return found;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** The per-user cache directory: XDG_CACHE_HOME (or the platform's equivalent), else ~/.cache. */
function userCacheDir(env: NodeJS.ProcessEnv): string {
  if (process.platform === 'win32') return env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local');
  if (process.platform === 'darwin') return path.join(homedir(), 'Library', 'Caches');
  return env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
}

/**
 * Where detector results for the repository at `root` are cached: `.git/improve/cache/` of its
 * repository (the common git directory, so linked worktrees share it), or
 * `<user cache>/improve/cache/` when there is no git. Never inside the working tree.
 * The file name carries a hash of `root`, so two folders of one repository keep separate caches.
 */
export function detectorCacheFile(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const absolute = path.resolve(root);
  const name = `detectors-${shortHash(absolute, 12)}.json`;
  const gitDir = findGitDir(absolute);
  if (gitDir) return path.join(gitDir, 'improve', 'cache', name);
  return path.join(userCacheDir(env), 'improve', 'cache', name);
}
