import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
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

/** A temp checkout of a file tree in which done checks run, as an executor would run them. */
export interface CheckTree {
  /** The exit status of a shell command run at the tree's root (-1 when it did not exit). */
  run(command: string): number;
  /** Replace a file's text (repo-relative path). */
  write(file: string, text: string): void;
}

/** Write `files` to a temp dir, hand `body` a way to run done checks there, and remove it after. */
export function withCheckTree<T>(files: FileTree, body: (tree: CheckTree) => T): T {
  const temp = tempDir('improve-checks-');
  try {
    writeTree(temp.dir, files);
    return body({
      run: (command) => spawnSync('sh', ['-c', command], { cwd: temp.dir, stdio: 'ignore' }).status ?? -1,
      write: (file, text) => writeFileSync(path.join(temp.dir, file), text),
    });
  } finally {
    temp.dispose();
  }
}
