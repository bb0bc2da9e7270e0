import type { RepoProfile } from '../../core/types.ts';

/**
 * Why advisory look-ups were skipped in an audit, per profile: the known-vulnerability detector
 * records them while it runs, and the audit adds them to the report's "not audited" list.
 */
const notes = new WeakMap<RepoProfile, string[]>();

export function recordAdvisoryNote(profile: RepoProfile, note: string): void {
  const list = notes.get(profile) ?? [];
  if (!list.includes(note)) list.push(note);
  notes.set(profile, list);
}

/** The notes recorded for this profile (empty when the detector did not run or skipped nothing). */
export function advisoryNotes(profile: RepoProfile): string[] {
  return [...(notes.get(profile) ?? [])];
}
