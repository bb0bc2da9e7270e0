/**
 * Where the cost ledger lives: `.git/improve/ledger.jsonl` of the repository (the common git
 * directory, so linked worktrees share it), or the OS cache directory when there is no git. Found
 * by reading the file system, not by running git.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { shortHash } from '../core/hash.ts';

export const LEDGER_FILE = 'ledger.jsonl';

function gitDirAt(dir: string): string | undefined {
  const dotGit = path.join(dir, '.git');
  if (!existsSync(dotGit)) return undefined;
  if (statSync(dotGit).isDirectory()) return dotGit;
  const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
  if (!pointer) return undefined;
  const gitDir = path.resolve(dir, pointer);
  const common = path.join(gitDir, 'commondir');
  return existsSync(common) ? path.resolve(gitDir, readFileSync(common, 'utf8').trim()) : gitDir;
}

/** The git directory that holds `dir`, walking up; undefined outside a repository. */
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

/** The per-user cache directory of the OS. */
export function osCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32') return env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local');
  if (process.platform === 'darwin') return path.join(homedir(), 'Library', 'Caches');
  return env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
}

/** `.git/improve/ledger.jsonl`, or `<cache>/improve/<hash of the root>/ledger.jsonl` without git. */
export function ledgerPathFor(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const gitDir = findGitDir(root);
  if (gitDir) return path.join(gitDir, 'improve', LEDGER_FILE);
  return path.join(osCacheDir(env), 'improve', shortHash(path.resolve(root), 12), LEDGER_FILE);
}
