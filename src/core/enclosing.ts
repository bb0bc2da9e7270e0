import type { RepoCommand, RepoProfile } from './types.ts';

/**
 * Whether the profile's `command` is one the repository around the audited folder defines
 * (`profile.enclosing`, from recon/enclosing-project.ts), compared by what it runs: a profile that
 * crossed a thread or a cache is a copy.
 */
export function fromEnclosingProject(profile: Pick<RepoProfile, 'enclosing'>, command: RepoCommand): boolean {
  return profile.enclosing?.commands.some((enclosing) => enclosing.run === command.run) ?? false;
}
