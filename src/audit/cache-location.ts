import path from 'node:path';
import { shortHash } from '../core/hash.ts';
import { findGitDir, osCacheDir } from '../core/state-dirs.ts';

/**
 * Where detector results for the repository at `root` are cached: `.git/improve/cache/` of its
 * repository (the common git directory, so linked worktrees share it), or
 * `<user cache>/improve/cache/` when there is no git. Never inside the working tree.
 * The file name carries a hash of `root`, so two folders of one repository keep separate caches.
 */
export function detectorCacheFile(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return cacheFile('detectors', root, env);
}

/** Where recon remembers what it learned from the files of the repository at `root`, beside the detectors' cache. */
export function reconCacheFile(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return cacheFile('recon', root, env);
}

function cacheFile(kind: string, root: string, env: NodeJS.ProcessEnv): string {
  const absolute = path.resolve(root);
  const name = `${kind}-${shortHash(absolute, 12)}.json`;
  const gitDir = findGitDir(absolute);
  if (gitDir) return path.join(gitDir, 'improve', 'cache', name);
  return path.join(osCacheDir(env), 'improve', 'cache', name);
}
