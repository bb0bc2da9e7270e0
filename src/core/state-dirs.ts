/**
 * Where improve keeps its own state (caches, the cost ledger): under the repository's common git
 * directory, so linked worktrees share it, or the user's cache directory without git. Found by
 * reading the file system, not by running git.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

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

/** The (common) git directory that holds `dir`, walking up; undefined outside a repository. */
export function findGitDir(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    const found = gitDirAt(current);
    if (found) return found;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** The per-user cache directory of the OS: XDG_CACHE_HOME (or the platform's equivalent), else ~/.cache. */
export function osCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local');
  if (process.platform === 'darwin') return path.join(homedir(), 'Library', 'Caches');
  return env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
}
