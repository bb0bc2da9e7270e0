/**
 * Workspace roots: the package.json whose `workspaces` (npm, yarn, bun) or the folder whose
 * `pnpm-workspace.yaml` names other packages of the repository. A workspace installs as one: the
 * root's lockfile locks every member, and a member never gets a lockfile of its own.
 */
import { isRecord } from './package-manifests.ts';

/** The member folders a workspace root declares, as globs relative to the root (`packages/*`). */
export function workspaceGlobs(
  manifest: Record<string, unknown> | undefined,
  pnpmWorkspace?: string,
): string[] {
  const field = manifest?.workspaces;
  const listed = Array.isArray(field) ? field : isRecord(field) ? field.packages : undefined;
  const globs = Array.isArray(listed)
    ? listed.filter((entry): entry is string => typeof entry === 'string')
    : [];
  return [...globs, ...(pnpmWorkspace === undefined ? [] : pnpmPackages(pnpmWorkspace))];
}

/**
 * The `packages:` list of a pnpm-workspace.yaml, read line by line: the file is a list of quoted
 * or bare globs, and reading it this way does not load a YAML parser for three lines.
 */
function pnpmPackages(text: string): string[] {
  const out: string[] = [];
  let inPackages = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\S/.test(line)) {
      inPackages = /^packages\s*:/.test(line);
      const inline = /^packages\s*:\s*\[(.*)\]/.exec(line)?.[1];
      if (inline !== undefined) out.push(...inline.split(',').map(unquote).filter(Boolean));
      continue;
    }
    const item = inPackages ? /^\s+-\s*(.+?)\s*(#.*)?$/.exec(line)?.[1] : undefined;
    if (item) out.push(unquote(item));
  }
  return out;
}

function unquote(text: string): string {
  return text.trim().replace(/^(['"])(.*)\1$/, '$2');
}

/** A workspace glob as a regex over folder paths: `*` within one folder, `**` across any number. */
function globRegex(glob: string): RegExp {
  const parts = glob.replace(/^\.\//, '').replace(/\/+$/, '').split('/');
  const body = parts.map((part, index) => {
    if (part === '**') return index === 0 ? '(?:[^/]+/)*' : '(?:/[^/]+)*';
    const text = part
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]');
    // A leading `**/` brings its own slash; every other part follows one.
    return index === 0 || (index === 1 && parts[0] === '**') ? text : `/${text}`;
  });
  return new RegExp(`^${body.join('')}$`);
}

/**
 * Whether `member` (a folder relative to the workspace root) is one of the root's `globs`: it
 * matches a glob and no `!`-negated one.
 */
export function isWorkspaceMember(member: string, globs: readonly string[]): boolean {
  if (member === '') return false;
  const included = globs.filter((glob) => !glob.startsWith('!'));
  const excluded = globs.filter((glob) => glob.startsWith('!')).map((glob) => glob.slice(1));
  return (
    included.some((glob) => globRegex(glob).test(member)) &&
    !excluded.some((glob) => globRegex(glob).test(member))
  );
}
