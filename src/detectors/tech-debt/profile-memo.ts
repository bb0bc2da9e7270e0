import type { RepoProfile } from '../../core/types.ts';
import type { RepoContext, RepoScope } from '../types.ts';

/**
 * A value computed once per profile (and per branch scope: a branch view and the whole-repository
 * view of one profile are different values), with the files it was computed from.
 */
export interface ProfileMemo<T> {
  cache: WeakMap<RepoProfile, Map<RepoScope | undefined, { value: T; reads: string[] }>>;
}

/** Every memo made, so that a run can drop what it computed for a profile once it is done. */
const memos = new Set<ProfileMemo<unknown>>();

export function profileMemo<T>(): ProfileMemo<T> {
  const memo: ProfileMemo<T> = { cache: new WeakMap() };
  memos.add(memo as ProfileMemo<unknown>);
  return memo;
}

/**
 * Drop every whole-repository value computed for `profile` (the code index, the import graph…).
 * The profile outlives the detectors (it is part of the audit's result), so without this the
 * index of every file stays in memory until the run ends. Asking again recomputes it.
 */
export function forgetProfile(profile: RepoProfile): void {
  for (const memo of memos) memo.cache.delete(profile);
}

/**
 * Compute a whole-repository value once per profile and share it between detectors. Each
 * detector that uses it still reads the same files through its own `context` (from the reader's
 * cache), so a result cache that tracks what a detector read sees every file the value depends on.
 */
export function memoized<T>(
  memo: ProfileMemo<T>,
  context: RepoContext,
  build: (context: RepoContext) => T,
): T {
  const profile = context.profile;
  const views = memo.cache.get(profile) ?? new Map<RepoScope | undefined, { value: T; reads: string[] }>();
  const hit = views.get(context.scope);
  if (hit) {
    for (const file of hit.reads) context.read(file);
    return hit.value;
  }
  const reads = new Set<string>();
  const recording: RepoContext = {
    get profile() {
      return context.profile;
    },
    read(file) {
      reads.add(file);
      return context.read(file);
    },
    ...(context.scope ? { scope: context.scope } : {}),
  };
  const value = build(recording);
  views.set(context.scope, { value, reads: [...reads] });
  memo.cache.set(profile, views);
  return value;
}
