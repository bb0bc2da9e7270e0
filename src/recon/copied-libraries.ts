import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SkippedFile } from '../core/types.ts';

/**
 * `LICENSE`, `LICENSE.md`, `license`, `MIT.LICENSE`, `LICENSE-MIT`, `remarkable-license.txt`,
 * `LICENSE-APACHE-2.0.txt`, `COPYING`: plain text only (TiddlyWiki's `license.tid` is a page of the
 * wiki about a plugin), and never code (Directus's `handle-license-error.ts`).
 */
const LICENSE_NAME =
  /^(?:[\w-]+[.-])?(?:licen[cs]e|copying)(?:-\w+(?:\.\d+)*)*(?:\.(?:md|markdown|txt|rst))?$/i;
/** A project's own manifest: a folder with one is a package of the repository, not a copy. */
const MANIFEST_NAME =
  /^(?:package\.json|pyproject\.toml|setup\.py|setup\.cfg|Cargo\.toml|go\.mod|composer\.json|[\w.-]+\.gemspec|pom\.xml|build\.gradle(?:\.kts)?)$/;
/** Licence files are short; a longer one is read only this far. */
const MAX_LICENSE_BYTES = 64 * 1024;

function dirOf(file: string): string {
  const at = file.lastIndexOf('/');
  return at === -1 ? '' : file.slice(0, at);
}

function licenseText(root: string, file: string): string | undefined {
  try {
    return readFileSync(path.join(root, file), 'utf8')
      .slice(0, MAX_LICENSE_BYTES)
      .replace(/\s+/g, ' ')
      .trim();
  } catch {
    return undefined;
  }
}

/**
 * Where a package.json says its source lives, as `host/owner/name` in lower case: from
 * `git+https://github.com/TryGhost/Casper.git`, `git://…`, `git@github.com:o/n.git`,
 * `github:o/n` or `o/n`, as a string or as `repository.url`. Undefined without one.
 */
export function repositoryOf(manifest: string | undefined): string | undefined {
  if (manifest === undefined) return undefined;
  let field: unknown;
  try {
    field = (JSON.parse(manifest) as { repository?: unknown }).repository;
  } catch {
    return undefined;
  }
  const url =
    typeof field === 'string'
      ? field
      : typeof field === 'object' && field !== null && typeof (field as { url?: unknown }).url === 'string'
        ? (field as { url: string }).url
        : undefined;
  if (!url?.trim()) return undefined;
  const short = /^(?:(github|gitlab|bitbucket):)?([\w.-]+)\/([\w.-]+)$/.exec(url.trim());
  if (short) {
    const host =
      short[1] === 'gitlab' ? 'gitlab.com' : short[1] === 'bitbucket' ? 'bitbucket.org' : 'github.com';
    return `${host}/${short[2]}/${short[3]?.replace(/\.git$/, '')}`.toLowerCase();
  }
  return url
    .trim()
    .replace(/^git\+/, '')
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/^[^@/]+@([^:/]+):/, '$1/')
    .replace(/^[^@/]+@/, '')
    .replace(/\.git$|\/+$/g, '')
    .toLowerCase();
}

/** Fields npm (versions 2 to 6) writes into the package.json of a package it installs. */
const INSTALL_FIELDS = ['_from', '_resolved', '_requested', '_location', '_args'];

/** Whether a package.json is an installed copy: npm wrote its install fields into it. */
function installedCopy(manifest: string | undefined): boolean {
  if (manifest === undefined || !manifest.includes('"_')) return false;
  try {
    const fields = JSON.parse(manifest) as unknown;
    return (
      typeof fields === 'object' &&
      fields !== null &&
      INSTALL_FIELDS.some((field) => Object.hasOwn(fields, field))
    );
  } catch {
    return false;
  }
}

function readText(root: string, file: string): string | undefined {
  try {
    return readFileSync(path.join(root, file), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Folders that hold a copy of somebody else's code, besides the ones named `vendor/` or
 * `third_party/` (skip-rules.ts):
 *
 * - a folder whose package.json names another source repository than the root's (Ghost ships its
 *   default themes, TryGhost/Casper and TryGhost/Source, in `content/themes/`). A package of a
 *   monorepo names the monorepo, or nothing;
 * - a folder whose package.json npm wrote on install (`_from`, `_resolved`: pm2 ships
 *   `modules/pm2-axon/lib/configurable/` copied out of a `node_modules`);
 * - a folder with a licence of its own, different from the repository's, and no manifest
 *   (TiddlyWiki's `plugins/tiddlywiki/d3/files/` with d3's LICENSE, `jasmine-core/` with its
 *   `MIT.LICENSE`). A package of a monorepo has a manifest, and usually the same licence;
 * - the folder a browser writes beside a saved page (`Page_files/` next to `Page.htm`).
 *
 * Outermost folders only: what is inside a copy is part of it.
 */
export function copiedLibraries(root: string, paths: readonly string[]): SkippedFile[] {
  const byDir = new Map<string, string[]>();
  for (const file of paths) {
    const dir = dirOf(file);
    const names = byDir.get(dir);
    const name = file.slice(dir === '' ? 0 : dir.length + 1);
    if (names) names.push(name);
    else byDir.set(dir, [name]);
  }
  const found = new Set<string>();
  const rootRepository = (byDir.get('') ?? []).includes('package.json')
    ? repositoryOf(readText(root, 'package.json'))
    : undefined;
  for (const [dir, names] of byDir) {
    if (dir === '' || !names.includes('package.json')) continue;
    const manifest = readText(root, `${dir}/package.json`);
    if (installedCopy(manifest)) found.add(dir);
    if (rootRepository === undefined) continue;
    const repository = repositoryOf(manifest);
    if (repository !== undefined && repository !== rootRepository) found.add(dir);
  }
  const rootLicense = (byDir.get('') ?? []).find((name) => LICENSE_NAME.test(name));
  const own = rootLicense === undefined ? undefined : licenseText(root, rootLicense);
  for (const [dir, names] of byDir) {
    if (dir === '' || names.some((name) => MANIFEST_NAME.test(name))) continue;
    const license = names.find((name) => LICENSE_NAME.test(name));
    if (license === undefined || own === undefined) continue;
    const text = licenseText(root, `${dir}/${license}`);
    if (text !== undefined && text !== '' && text !== own) found.add(dir);
  }
  // A saved web page: `The great TiddlyWiki interview project_files/` beside its `.htm`.
  for (const file of paths) {
    const dir = dirOf(file);
    const name = path.posix.basename(dir);
    if (!name.endsWith('_files')) continue;
    const parent = dirOf(dir);
    const page = name.slice(0, -'_files'.length);
    const siblings = byDir.get(parent) ?? [];
    if (siblings.includes(`${page}.htm`) || siblings.includes(`${page}.html`)) found.add(dir);
  }
  const inside = (dir: string) => {
    for (let up = dirOf(dir); up !== ''; up = dirOf(up)) if (found.has(up)) return true;
    return false;
  };
  return [...found]
    .filter((dir) => !inside(dir))
    .sort()
    .map((dir) => ({ path: dir, reason: 'vendored' as const }));
}
