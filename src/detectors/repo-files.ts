import type { RepoContext } from './types.ts';

const knownFiles = new WeakMap<RepoContext['profile'], ReadonlySet<string>>();

/** The repository's listed file paths, as a set built once per profile (for resolving imports). */
export function repoFiles(context: RepoContext): ReadonlySet<string> {
  let files = knownFiles.get(context.profile);
  if (!files) {
    files = new Set(context.profile.files.map((file) => file.path));
    knownFiles.set(context.profile, files);
  }
  return files;
}
