/**
 * Where the cost ledger lives: `.git/improve/ledger.jsonl` of the repository (the common git
 * directory, so linked worktrees share it), or the OS cache directory when there is no git. Found
 * by reading the file system, not by running git.
 */
import path from 'node:path';
import { shortHash } from '../core/hash.ts';
import { findGitDir, osCacheDir } from '../core/state-dirs.ts';

export const LEDGER_FILE = 'ledger.jsonl';

/** `.git/improve/ledger.jsonl`, or `<cache>/improve/<hash of the root>/ledger.jsonl` without git. */
export function ledgerPathFor(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const gitDir = findGitDir(root);
  if (gitDir) return path.join(gitDir, 'improve', LEDGER_FILE);
  return path.join(osCacheDir(env), 'improve', shortHash(path.resolve(root), 12), LEDGER_FILE);
}
