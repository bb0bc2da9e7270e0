import { CODE_DETECTORS } from './code-detectors.ts';
import { REPO_DETECTORS } from './repo-detectors.ts';
import type { Detector } from './types.ts';

/** The registry: a plain array. Add a detector by adding it to one of the two lists. */
export const DETECTORS: readonly Detector[] = [...CODE_DETECTORS, ...REPO_DETECTORS];

export type { Detector, FileDetector, RawFinding, RepoDetector } from './types.ts';
