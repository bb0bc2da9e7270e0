/** A throw-away detached checkout of one commit under `.git/improve/tmp`, for checks at that commit. */
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { addDetachedWorktree, removeWorktree } from '../git/worktree.ts';
import { type Project, projectDirIn, tmpDir } from './workspace.ts';
import { linkWorkspacePackages } from './workspace-links.ts';

export interface Checkout {
  /** The project folder inside the checkout. */
  dir: string;
  /** The checkout's top level (a git worktree). */
  worktree: string;
  dispose(): Promise<void>;
}

export async function openCheckout(project: Project, rev: string, label = 'checkout'): Promise<Checkout> {
  const holder = mkdtempSync(path.join(tmpDir(project), `${label}-`));
  const worktree = path.join(holder, 'tree');
  try {
    await addDetachedWorktree(project.top, worktree, rev);
    await linkWorkspacePackages(project.top, worktree);
  } catch (error) {
    rmSync(holder, { recursive: true, force: true });
    throw error;
  }
  return {
    dir: projectDirIn(project, worktree),
    worktree,
    async dispose() {
      await removeWorktree(project.top, worktree);
      rmSync(holder, { recursive: true, force: true });
    },
  };
}

/** One checkout of `rev`, made the first time it is asked for; `dispose` removes it if it was made. */
export function lazyCheckout(
  project: Project,
  rev: string,
): { dir(): Promise<string>; dispose(): Promise<void> } {
  let pending: Promise<Checkout> | undefined;
  return {
    async dir() {
      pending ??= openCheckout(project, rev);
      return (await pending).dir;
    },
    async dispose() {
      if (pending) await (await pending).dispose();
    },
  };
}
