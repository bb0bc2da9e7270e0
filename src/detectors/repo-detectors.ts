import type { RepoDetector } from './types.ts';

/** Detectors that look at the repository as a whole: profile, manifests, docs, history. */
export const REPO_DETECTORS: readonly RepoDetector[] = [];
