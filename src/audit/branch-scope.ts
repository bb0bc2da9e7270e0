/**
 * Branch scope: the files a branch changed plus their direct importers, and which findings the
 * branch introduced (a cited line was added or changed by it) rather than found already there.
 */
import type { Finding, RepoProfile } from '../core/types.ts';
import type { DiffHunk } from '../git/diff-hunks.ts';
import { findImporters, type Importer, importQuery } from './import-graph.ts';
import { RepoReader } from './repo-reader.ts';

export interface BranchScope {
  /** Changed files and their importers: what the audit looks at. */
  files: Set<string>;
  /** Files that import a changed file (and were not changed themselves), with what they import. */
  importers: Importer[];
}

/**
 * A fast search for files containing any of the strings, among files matching the patterns, for
 * each group (e.g. `git grep`): the union of what the groups find; undefined: read them all.
 */
export type NeedleSearch = (
  groups: readonly { needles: readonly string[]; patterns: readonly string[] }[],
) => Promise<ReadonlySet<string> | undefined>;

const MAX_NEEDLES = 2000;

/** The changed files plus every file that directly imports one of them. */
export async function branchScope(
  profile: RepoProfile,
  changed: readonly string[],
  search?: NeedleSearch,
): Promise<BranchScope> {
  const reader = new RepoReader(profile.root);
  const read = (file: string) => {
    const text = reader.read(file);
    reader.release(file);
    return text;
  };
  const query = importQuery(profile.files, changed, read, profile.root);
  const candidates = search && query.needles.length <= MAX_NEEDLES ? await search(query.searches) : undefined;
  const importers = findImporters(profile.files, query, read, candidates);
  return { files: new Set([...changed, ...importers.map((importer) => importer.file)]), importers };
}

/** Whether any line a finding cites was added or changed by the branch. */
export function isIntroduced(finding: Finding, hunks: readonly DiffHunk[]): boolean {
  return finding.evidence.some((evidence) =>
    hunks.some(
      (hunk) =>
        hunk.file === evidence.file &&
        hunk.startLine <= evidence.endLine &&
        evidence.startLine <= hunk.endLine,
    ),
  );
}

/** Copies of the findings with `introduced` set. */
export function tagIntroduced(findings: readonly Finding[], hunks: readonly DiffHunk[]): Finding[] {
  return findings.map((finding) => ({ ...finding, introduced: isIntroduced(finding, hunks) }));
}
