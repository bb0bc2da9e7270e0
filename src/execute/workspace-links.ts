/**
 * A workspace's own packages, linked in an attempt's worktree. npm, yarn and pnpm link the
 * packages of a workspace into node_modules (`node_modules/@acme/shared` → `packages/shared`).
 * node_modules is not in git, so a worktree has none, and Node resolves `@acme/shared` from the
 * worktree (under `.git/improve/`) up to the main checkout's node_modules, whose link points at the
 * main checkout's `packages/shared`: the tests a review runs would try a changed package's
 * importers against its unchanged copy. These links are mirrored into the worktree, pointing at
 * the worktree's own packages; every other dependency still resolves from the main checkout.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { isIgnored } from '../git/worktree.ts';

const MAX_DEPTH = 3;

function entries(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** `node_modules` entries of `dir`: `name` and, for a scope, `@scope/name`. */
function packageEntries(dir: string): string[] {
  return entries(dir).flatMap((name) =>
    name.startsWith('@') ? entries(path.join(dir, name)).map((inner) => `${name}/${inner}`) : [name],
  );
}

/** Folders of the worktree holding a package.json, up to a few levels down (workspace members). */
function packageFolders(top: string, dir = '', depth = 0): string[] {
  const out: string[] = [];
  for (const name of entries(path.join(top, dir))) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const rel = dir === '' ? name : `${dir}/${name}`;
    let folder = false;
    try {
      folder = lstatSync(path.join(top, rel)).isDirectory();
    } catch {}
    if (!folder) continue;
    if (existsSync(path.join(top, rel, 'package.json'))) out.push(rel);
    if (depth + 1 < MAX_DEPTH) out.push(...packageFolders(top, rel, depth + 1));
  }
  return out;
}

/** Whether `target` (absolute, resolved) is a package of the main checkout itself, not an installed one. */
function ownPackage(mainTop: string, target: string): string | undefined {
  const relative = path.relative(mainTop, target);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const parts = relative.split(path.sep);
  return parts.includes('node_modules') || parts[0] === '.git' ? undefined : parts.join('/');
}

/**
 * Mirror one node_modules folder (`node_modules`, or a member's `packages/api/node_modules` as
 * pnpm makes them) of the main checkout into the worktree. At the top, only the workspace's own
 * packages are linked (the rest resolves from the main checkout above); in a member's folder,
 * which resolution would not reach otherwise, every entry is.
 */
function mirror(mainTop: string, worktree: string, folder: string, top: boolean): number {
  const from = path.join(mainTop, folder);
  let made = 0;
  for (const name of packageEntries(from)) {
    const link = path.join(worktree, folder, name);
    if (existsSync(link)) continue;
    let target: string;
    let symlink: boolean;
    try {
      symlink = lstatSync(path.join(from, name)).isSymbolicLink();
      target = realpathSync(path.join(from, name));
    } catch {
      continue; // a dangling link
    }
    const own = symlink ? ownPackage(mainTop, target) : undefined;
    const inWorktree = own === undefined ? undefined : path.join(worktree, own);
    if (!inWorktree && top) continue;
    const destination = inWorktree && existsSync(inWorktree) ? inWorktree : target;
    try {
      mkdirSync(path.dirname(link), { recursive: true });
      symlinkSync(path.relative(path.dirname(link), destination), link, 'junction');
      made += 1;
    } catch {
      // Best effort: without the link, resolution falls back to the main checkout's copy.
    }
  }
  return made;
}

/**
 * Link the workspace's own packages into a fresh worktree of the repository at `mainTop`, when its
 * node_modules folders are git-ignored (so the links never show as changes). Returns how many
 * links were made; never throws.
 */
export async function linkWorkspacePackages(mainTop: string, worktree: string): Promise<number> {
  if (path.resolve(mainTop) === path.resolve(worktree)) return 0;
  try {
    const folders = [
      ...(existsSync(path.join(mainTop, 'node_modules')) ? [{ folder: 'node_modules', top: true }] : []),
      ...packageFolders(worktree)
        .map((member) => `${member}/node_modules`)
        .filter((folder) => existsSync(path.join(mainTop, folder)))
        .map((folder) => ({ folder, top: false })),
    ];
    let made = 0;
    for (const { folder, top } of folders) {
      if (!(await isIgnored(worktree, `${folder}/.improve-probe`))) continue;
      made += mirror(mainTop, worktree, folder, top);
    }
    return made;
  } catch {
    return 0;
  }
}
