import { type Dirent, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { SkippedFile } from '../core/types.ts';
import { BUILD_MANIFESTS, directorySkipReason, skippedDirectoryOf, sourceDespiteName } from './skip-rules.ts';

/** Paths to classify, plus what was skipped before reading anything. */
export interface WalkResult {
  /** Repo-relative posix paths, sorted. */
  paths: string[];
  skipped: SkippedFile[];
  /** JavaScript/TypeScript files inside vendored folders, sorted (see `RepoProfile.vendoredCode`). */
  vendored: string[];
}

export const VENDORED_CODE = /\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/;
/** Vendored files kept at most: enough for the packages they import, bounded for huge copies. */
export const MAX_VENDORED = 2000;

/**
 * Apply whole-directory skips to a list of paths (from `git ls-files`): each skipped directory is
 * listed once, and none of its files are returned.
 */
export function filterListedPaths(listed: readonly string[]): WalkResult {
  const paths: string[] = [];
  const vendored: string[] = [];
  const directories = new Map<string, SkippedFile>();
  const packages = new Set(
    listed
      .filter((file) => file.endsWith('/__init__.py'))
      .map((file) => file.slice(0, -'/__init__.py'.length)),
  );
  const manifestDirs = new Set(
    listed
      .filter((file) => BUILD_MANIFESTS.includes(file.slice(file.lastIndexOf('/') + 1)))
      .map((file) => (file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '')),
  );
  for (const file of listed) {
    if (file === '.git' || file.startsWith('.git/')) continue;
    const directory = skippedDirectoryOf(file, packages, manifestDirs);
    if (!directory) {
      paths.push(file);
      continue;
    }
    directories.set(directory.path, directory);
    if (directory.reason === 'vendored' && VENDORED_CODE.test(file)) vendored.push(file);
  }
  return {
    paths: paths.sort(),
    skipped: [...directories.values()],
    vendored: vendored.sort().slice(0, MAX_VENDORED),
  };
}

interface IgnoreLevel {
  /** The directory (repo-relative, '' for the root) whose .gitignore this is. */
  base: string;
  rules: Ignore;
}

function readIgnore(root: string, directory: string): IgnoreLevel | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(root, directory, '.gitignore'), 'utf8');
  } catch {
    return undefined;
  }
  return { base: directory, rules: ignore().add(text) };
}

function isIgnored(levels: readonly IgnoreLevel[], file: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const level of levels) {
    const relative = level.base === '' ? file : file.slice(level.base.length + 1);
    const result = level.rules.test(isDirectory ? `${relative}/` : relative);
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

function readEntries(directory: string): Dirent[] {
  try {
    return readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * Walk a directory that is not a git work tree. Never follows symlinks (they are listed as
 * skipped), honours root and nested .gitignore files, and lists skipped directories once.
 */
export function walkDirectory(root: string): WalkResult {
  const paths: string[] = [];
  const skipped: SkippedFile[] = [];
  const vendored: string[] = [];
  const listVendored = (directory: string) => {
    let entries: string[];
    try {
      entries = readdirSync(path.join(root, directory), { recursive: true, encoding: 'utf8' });
    } catch {
      return;
    }
    for (const entry of entries) {
      const file = `${directory}/${entry.split(path.sep).join('/')}`;
      if (VENDORED_CODE.test(file) && vendored.length < MAX_VENDORED) vendored.push(file);
    }
  };
  const visit = (directory: string, levels: readonly IgnoreLevel[]) => {
    const entries = readEntries(path.join(root, directory));
    const hasIgnoreFile = entries.some((entry) => entry.name === '.gitignore' && entry.isFile());
    const own = hasIgnoreFile ? readIgnore(root, directory) : undefined;
    const active = own ? [...levels, own] : levels;
    for (const entry of entries) {
      const file = directory === '' ? entry.name : `${directory}/${entry.name}`;
      if (entry.name === '.git') continue;
      const isDirectory = entry.isDirectory();
      if (isIgnored(active, file, isDirectory)) continue;
      if (entry.isSymbolicLink()) {
        skipped.push({ path: file, reason: 'symlink' });
      } else if (isDirectory) {
        const named = directorySkipReason(entry.name);
        const reason =
          named &&
          sourceDespiteName(
            file,
            () => existsSync(path.join(root, file, '__init__.py')),
            () => BUILD_MANIFESTS.some((manifest) => existsSync(path.join(root, directory, manifest))),
          )
            ? undefined
            : named;
        if (reason) skipped.push({ path: file, reason });
        else visit(file, active);
        if (reason === 'vendored') listVendored(file);
      } else if (entry.isFile()) {
        paths.push(file);
      }
    }
  };
  visit('', []);
  return { paths: paths.sort(), skipped, vendored: vendored.sort() };
}
