import { runDetectors } from '../../src/audit/run-detectors.ts';
import { minimalProfile } from '../../src/core/minimal-profile.ts';
import type { FileRole, Finding, Language, RepoProfile, SourceFile } from '../../src/core/types.ts';
import type { Detector } from '../../src/detectors/types.ts';
import { roleOf } from '../../src/recon/file-role.ts';
import { languageNameOf } from '../../src/recon/languages.ts';
import { type FileTree, tempDir, writeTree } from './repo.ts';

const LANGUAGES: Record<string, Language> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
};

function guessRole(file: string): FileRole {
  if (/(^|\/)(tests?|__tests__)\/|\.(test|spec)\.[a-z]+$|(^|\/)test_[^/]+\.py$/.test(file)) return 'test';
  if (/(^|\/)examples?\//.test(file)) return 'example';
  if (/(^|\/)fixtures?\//.test(file)) return 'fixture';
  if (/\.md$/.test(file)) return 'docs';
  // Manifests and settings (package.json, pyproject.toml) are configuration, as recon says.
  return roleOf(file) === 'config' ? 'config' : 'source';
}

/**
 * A minimal profile for detector tests, without running recon: every file is listed with its
 * language by extension and a role guessed from its path. `overrides` fills in what a test needs.
 */
export function profileFor(root: string, files: FileTree, overrides: Partial<RepoProfile> = {}): RepoProfile {
  const sourceFiles: SourceFile[] = Object.keys(files).map((file) => {
    const ext = file.slice(file.lastIndexOf('.'));
    const entry: SourceFile = { path: file, size: String(files[file]).length, role: guessRole(file) };
    const language = LANGUAGES[ext];
    if (language) entry.language = language;
    const languageName = languageNameOf(file);
    if (languageName) entry.languageName = languageName;
    return entry;
  });
  return { ...minimalProfile(root, sourceFiles, 'not a git repository'), ...overrides };
}

/** Write `files` to a temp dir and run the given detectors over them (standard level). */
export function detect(
  detectors: Detector | readonly Detector[],
  files: FileTree,
  overrides: Partial<RepoProfile> = {},
): Finding[] {
  const temp = tempDir('improve-detector-');
  try {
    writeTree(temp.dir, files);
    const list = Array.isArray(detectors) ? detectors : [detectors as Detector];
    const result = runDetectors(profileFor(temp.dir, files, overrides), list, { level: 'deep', focus: [] });
    if (result.errors.length > 0) throw new Error(`detector failed: ${JSON.stringify(result.errors)}`);
    return result.findings;
  } finally {
    temp.dispose();
  }
}

/** Each finding's first cited line and confidence, in order: what most detector tests compare. */
export function linesAndConfidence(findings: readonly Finding[]): [number | undefined, string][] {
  return findings.map((f) => [f.evidence[0]?.startLine, f.confidence]);
}
