/**
 * Workspace roots: the package.json whose `workspaces` (npm, yarn, bun) or the folder whose
 * `pnpm-workspace.yaml` names other packages of the repository. A workspace installs as one: the
 * root's lockfile locks every member, and a member never gets a lockfile of its own.
 */
import picomatch from 'picomatch';
import { yaml } from '../../core/yaml.ts';
import { isRecord } from './package-manifests.ts';

/** The member folders a workspace root declares, as globs relative to the root (`packages/*`). */
export function workspaceGlobs(
  manifest: Record<string, unknown> | undefined,
  pnpmWorkspace?: string,
): string[] {
  const field = manifest?.workspaces;
  const listed = Array.isArray(field) ? field : isRecord(field) ? field.packages : undefined;
  return [...strings(listed), ...(pnpmWorkspace === undefined ? [] : pnpmPackages(pnpmWorkspace))];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((entry): entry is string => typeof entry === 'string') : [];
}

/** The `packages:` list of a pnpm-workspace.yaml; none when the file does not parse. */
function pnpmPackages(text: string): string[] {
  try {
    const document: unknown = yaml().parse(text);
    return isRecord(document) ? strings(document.packages) : [];
  } catch {
    return [];
  }
}

/**
 * Whether `member` (a folder relative to the workspace root) is one of the root's `globs`: it
 * matches a glob and no `!`-negated one, as npm and pnpm read them.
 */
export function isWorkspaceMember(member: string, globs: readonly string[]): boolean {
  if (member === '') return false;
  const clean = (glob: string) => glob.replace(/^\.\//, '').replace(/\/+$/, '');
  const included = globs.filter((glob) => !glob.startsWith('!')).map(clean);
  const excluded = globs.filter((glob) => glob.startsWith('!')).map((glob) => clean(glob.slice(1)));
  return (
    included.length > 0 &&
    picomatch.isMatch(member, included, { dot: false }) &&
    (excluded.length === 0 || !picomatch.isMatch(member, excluded))
  );
}
