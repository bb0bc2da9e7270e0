import type { RepoProfile, SourceFile } from './types.ts';

/**
 * A profile that knows only its files: for running detectors over a handful of files without
 * recon (the review's test audit, detector tests). `gitReason` says why git facts are absent.
 */
export function minimalProfile(root: string, files: SourceFile[], gitReason: string): RepoProfile {
  return {
    root,
    files,
    skipped: [],
    languages: [],
    manifests: [],
    lockfiles: [],
    commands: [],
    missingCommands: [],
    ciFiles: [],
    conventions: { commitStyle: { kind: 'unknown', samples: [] } },
    intentDocs: [],
    git: { available: false, reason: gitReason, hotspots: [] },
    problems: [],
  };
}
