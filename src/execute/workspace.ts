/**
 * Where execution keeps its things: everything lives under `.git/improve/` (worktrees, prompts,
 * run state), never in the user's working tree.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Git } from '../git/git.ts';
import { gitCommonDir, listWorktrees, type WorktreeInfo } from '../git/worktree.ts';
import type { Plan } from '../plans/plan.ts';

/** A project inside a git repository: the folder improve audited and where its plans live. */
export interface Project {
  /** The audited folder (plan paths are relative to it), absolute. */
  root: string;
  /** The git work tree's top level, absolute. */
  top: string;
  /** `root` relative to `top` with forward slashes; '' when they are the same. */
  prefix: string;
  git: Git;
  /** `.git/improve`, absolute. */
  improveDir: string;
}

export async function openProject(git: Git, root: string): Promise<Project> {
  const common = await gitCommonDir(git.root);
  const prefix = path.relative(git.root, root).split(path.sep).join('/');
  return { root, top: git.root, prefix, git, improveDir: path.join(common, 'improve') };
}

/** `003-fix-empty-catch`: names the branch, the worktree and the run files of a plan. */
export function attemptName(plan: Pick<Plan, 'id' | 'slug'>): string {
  return `${plan.id}-${plan.slug}`;
}

export function branchName(plan: Pick<Plan, 'id' | 'slug'>): string {
  return `improve/${attemptName(plan)}`;
}

export function worktreePath(project: Project, plan: Pick<Plan, 'id' | 'slug'>): string {
  return path.join(project.improveDir, 'worktrees', attemptName(plan));
}

/** The run folder (prompts, plan copies, state), created on demand. */
export function runsDir(project: Project): string {
  const dir = path.join(project.improveDir, 'runs');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A temporary folder under `.git/improve/tmp`, for detached check worktrees. */
export function tmpDir(project: Project): string {
  const dir = path.join(project.improveDir, 'tmp');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The project folder inside a worktree (the worktree itself unless the project is a subfolder). */
export function projectDirIn(project: Project, worktree: string): string {
  return project.prefix === '' ? worktree : path.join(worktree, project.prefix);
}

/** A path for messages and front matter: relative to the project root when inside it. */
export function displayPath(project: Project, absolute: string): string {
  const relative = path.relative(project.root, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return absolute;
  return relative.split(path.sep).join('/');
}

/** The absolute path of a worktree recorded in front matter (relative to the project root). */
export function resolveRecorded(project: Project, recorded: string): string {
  return path.resolve(project.root, recorded);
}

/** Every worktree git knows in the repository (the user's own included). */
export function knownWorktrees(project: Project): Promise<WorktreeInfo[]> {
  return listWorktrees(project.top);
}
