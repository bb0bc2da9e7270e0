import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { joinPath } from '../dx/find-line.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import type { RawFinding, RepoContext, RepoDetector } from '../types.ts';
import {
  dependencies,
  isRecord,
  keyLine,
  type PackageManifest,
  packageManifests,
} from './package-manifests.ts';
import { isWorkspaceMember, workspaceGlobs } from './workspaces.ts';

type Manager = 'npm' | 'yarn' | 'pnpm' | 'bun';

const LOCKFILES: readonly { name: string; manager: Manager }[] = [
  { name: 'package-lock.json', manager: 'npm' },
  { name: 'npm-shrinkwrap.json', manager: 'npm' },
  { name: 'yarn.lock', manager: 'yarn' },
  { name: 'pnpm-lock.yaml', manager: 'pnpm' },
  { name: 'bun.lock', manager: 'bun' },
  { name: 'bun.lockb', manager: 'bun' },
];

const INSTALL: Record<Manager, { lockfile: string; command: string }> = {
  npm: { lockfile: 'package-lock.json', command: 'npm install --package-lock-only' },
  yarn: { lockfile: 'yarn.lock', command: 'yarn install' },
  pnpm: { lockfile: 'pnpm-lock.yaml', command: 'pnpm install --lockfile-only' },
  bun: { lockfile: 'bun.lock', command: 'bun install --lockfile-only' },
};

function exists(context: RepoContext, file: string, known: ReadonlySet<string>): boolean {
  return known.has(file) || existsSync(path.join(context.profile.root, file));
}

function declaredManager(manifest: PackageManifest, context: RepoContext, pnpmWorkspace: boolean): Manager {
  const field = manifest.json.packageManager;
  const name = typeof field === 'string' ? field.split('@')[0] : undefined;
  if (name === 'npm' || name === 'yarn' || name === 'pnpm' || name === 'bun') return name;
  if (pnpmWorkspace) return 'pnpm';
  const profiled = context.profile.packageManager;
  if (profiled === 'npm' || profiled === 'yarn' || profiled === 'pnpm' || profiled === 'bun') return profiled;
  return 'npm';
}

/** Lockfiles in the manifest's folder or any folder above it (workspaces share the root lockfile). */
function lockfilesFor(
  dir: string,
  context: RepoContext,
  known: ReadonlySet<string>,
): { file: string; manager: Manager }[] {
  let current: string | undefined = dir;
  while (current !== undefined) {
    const folder: string = current;
    const found = LOCKFILES.filter((lock) => exists(context, joinPath(folder, lock.name), known)).map(
      (lock) => ({
        file: joinPath(folder, lock.name),
        manager: lock.manager,
      }),
    );
    if (found.length > 0) return found;
    current =
      folder === '' ? undefined : folder.includes('/') ? folder.slice(0, folder.lastIndexOf('/')) : '';
  }
  return [];
}

/** `dir` relative to `root` when it is inside it (both repo-relative folders), else undefined. */
function inside(root: string, dir: string): string | undefined {
  if (root === '') return dir;
  return dir.startsWith(`${root}/`) ? dir.slice(root.length + 1) : undefined;
}

function readAbove(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Whether the audited folder is a member of a workspace declared in a folder above it (auditing
 * `packages/api` of an npm or pnpm workspace): the workspace root's lockfile locks it.
 */
function memberOfWorkspaceAbove(context: RepoContext): boolean {
  const enclosing = context.profile.enclosing;
  if (!enclosing) return false;
  const top = path.resolve(context.profile.root, enclosing.root);
  let folder = path.dirname(context.profile.root);
  while (folder.length >= top.length) {
    const text = readAbove(path.join(folder, 'package.json'));
    let json: unknown;
    try {
      json = text === undefined ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const globs = workspaceGlobs(
      isRecord(json) ? json : undefined,
      readAbove(path.join(folder, 'pnpm-workspace.yaml')),
    );
    const member = path.relative(folder, context.profile.root).split(path.sep).join('/');
    if (isWorkspaceMember(member, globs)) return true;
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return false;
}

/** A package.json with dependencies but no lockfile, or lockfiles of several package managers. */
export const lockfile: RepoDetector = {
  id: 'dependencies/lockfile',
  category: 'dependencies',
  scope: 'repo',
  // Looks at the disk itself (files outside the profile), so it runs every time.
  cacheable: false,
  repoHygiene: true,
  title: 'Dependency lockfile missing or conflicting',
  description:
    'Without exactly one lockfile, installs are not reproducible: each install resolves version ranges afresh, so CI, colleagues and production can run different dependency code than the code that was tested.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Generating a lockfile pins what is resolved today; it changes no code, though the pinned versions may differ from what an old install had.',
  confidence: 'HIGH',
  fixSketch:
    'Generate the lockfile with the project’s package manager and commit it; when several managers’ lockfiles exist, keep the one the team uses and delete the others.',
  steps: [
    'Find out which package manager the project uses (the "packageManager" field of package.json, the README, or the CI workflow).',
    'For a missing lockfile: run that manager’s lockfile-only install command at the folder of package.json and keep the lockfile it writes.',
    'For several lockfiles: delete the lockfiles of the other managers and keep the one that matches; mention the choice in the README install section.',
    'Run the install and test commands; both must pass.',
  ],
  check(context) {
    const known = new Set([...context.profile.lockfiles, ...context.profile.files.map((file) => file.path)]);
    const out: RawFinding[] = [];
    const manifests = packageManifests(context);
    const pnpmWorkspace = (manifest: PackageManifest) =>
      context.read(joinPath(manifest.dir, 'pnpm-workspace.yaml'));
    const roots = manifests
      .map((manifest) => ({ manifest, globs: workspaceGlobs(manifest.json, pnpmWorkspace(manifest)) }))
      .filter((root) => root.globs.length > 0);
    // A workspace installs as one, from its root: the root's lockfile (or its missing lockfile,
    // or its conflicting lockfiles) is the finding, never each member's.
    const rootOf = (manifest: PackageManifest) =>
      roots.find((root) => {
        const member = inside(root.manifest.dir, manifest.dir);
        return root.manifest !== manifest && member !== undefined && isWorkspaceMember(member, root.globs);
      })?.manifest;
    const members = new Map<PackageManifest, PackageManifest[]>();
    for (const manifest of manifests) {
      const root = rootOf(manifest);
      if (root) members.set(root, [...(members.get(root) ?? []), manifest]);
    }
    const aboveIsRoot = manifests.some((manifest) => manifest.dir === '') && memberOfWorkspaceAbove(context);
    for (const manifest of manifests) {
      if (rootOf(manifest) || (manifest.dir === '' && aboveIsRoot)) continue;
      const locked = [manifest, ...(members.get(manifest) ?? [])].filter((m) => dependencies(m).size > 0);
      if (locked.length === 0) continue;
      const locks = lockfilesFor(manifest.dir, context, known);
      const managers = [...new Set(locks.map((lock) => lock.manager))].sort();
      if (managers.length > 1) {
        const line = keyLine(manifest, 'packageManager') ?? keyLine(manifest, 'dependencies') ?? 1;
        const names = LOCKFILES.map((lock) => shellQuote(joinPath(manifest.dir, lock.name))).join(' ');
        out.push({
          file: manifest.path,
          startLine: line,
          endLine: line,
          title: `Lockfiles of several package managers (${managers.join(', ')}) for ${manifest.path}`,
          message: `${locks.map((lock) => lock.file).join(', ')} all lock ${manifest.path}. Each manager installs from its own lockfile, so different people and CI can get different dependency trees.`,
          doneCheck: `test "$(ls ${names} 2>/dev/null | grep -cv shrinkwrap)" -le 1`,
        });
        continue;
      }
      // A package of a larger repository is locked by the lockfile above it (a workspace root's).
      if (locks.length > 0 || (context.profile.enclosing?.lockfiles.length ?? 0) > 0) continue;
      const npmrc = context.read(joinPath(manifest.dir, '.npmrc')) ?? context.read('.npmrc') ?? '';
      if (/^\s*package-lock\s*=\s*false/m.test(npmrc)) continue; // a deliberate, documented choice
      const manager = declaredManager(manifest, context, pnpmWorkspace(manifest) !== undefined);
      const install = INSTALL[manager];
      const line =
        keyLine(manifest, 'dependencies') ??
        keyLine(manifest, 'devDependencies') ??
        keyLine(manifest, 'workspaces') ??
        1;
      const target = joinPath(manifest.dir, install.lockfile);
      const count = new Set(locked.flatMap((m) => [...dependencies(m).keys()])).size;
      const workspace = members.get(manifest)?.length ?? 0;
      const declares =
        workspace > 0
          ? `${manifest.path} and the ${workspace} workspace package${workspace === 1 ? '' : 's'} it installs declare ${count} dependencies`
          : `${manifest.path} declares ${count} dependencies`;
      out.push({
        file: manifest.path,
        startLine: line,
        endLine: line,
        title: `No lockfile for ${manifest.path}`,
        message: `${declares} but no lockfile is committed, so every install may resolve different versions than the ones that were tested.`,
        fixSketch: `Run \`${install.command}\`${manifest.dir ? ` in ${manifest.dir}` : ''}${workspace > 0 ? ' (the workspace root: one lockfile locks every workspace package)' : ''} and commit the resulting ${install.lockfile}.`,
        doneCheck: `test -f ${shellQuote(target)}`,
      });
    }
    return out;
  },
};
