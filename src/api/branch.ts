import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { type BranchBase, readBranch } from '../audit/branch-base.ts';
import { branchScope, tagIntroduced } from '../audit/branch-scope.ts';
import { reconCacheFile } from '../audit/cache-location.ts';
import type { Importer } from '../audit/import-graph.ts';
import { UsageError } from '../core/errors.ts';
import { plural } from '../core/plural.ts';
import type { Confidence, Finding, RepoProfile } from '../core/types.ts';
import type { RepoScope } from '../detectors/types.ts';
import { type Git, openGit } from '../git/git.ts';
import { grepSync } from '../git/grep-sync.ts';
import { choosePlansDir } from '../plans/store.ts';
import { recon } from '../recon/recon.ts';
import { type AuditOptions, type AuditResult, audit } from './audit.ts';
import { tableFindings } from './select.ts';

export interface BranchOptions extends Omit<AuditOptions, 'files' | 'profile' | 'branch' | 'changedLines'> {
  /** The ref to compare with; default: `origin/HEAD`'s branch, else `main`, else `master`. */
  base?: string;
  /** Count uncommitted and untracked changes as part of the branch. */
  includeUncommitted?: boolean;
  /**
   * From how many bytes of JS/TS/Python code on the repo-level detectors read only what the scope
   * needs (found with `git grep`); below it, reading every file is faster. Default 4 MB.
   */
  scopedReadsFrom?: number;
}

const SCOPED_READS_FROM = 4 * 1024 * 1024;

/** What the branch is and what it changed. */
export interface BranchInfo {
  /** The checked-out branch; null on a detached HEAD. */
  name: string | null;
  base: BranchBase;
  mergeBase: string;
  head: string;
  commitsAhead: number;
  /** Files added or modified since the merge-base. */
  changed: string[];
  /** Unchanged files pulled into scope because they import a changed file. */
  importers: Importer[];
  includeUncommitted: boolean;
  /**
   * Auditing a subfolder: the files the branch changed outside it, relative to the folder
   * (`../shared/src/index.ts`). Neither they nor the files here that import them are audited.
   */
  outside: string[];
  /** The repository's top level from the audited folder (`../..`), or `.`. */
  repositoryRoot: string;
}

/** An audit of the branch's scope. `findings` lists the introduced ones first, each group by leverage. */
export interface BranchAuditResult extends AuditResult {
  branch: BranchInfo;
}

export type BranchResult =
  | { kind: 'audited'; result: BranchAuditResult }
  /** Nothing to compare: on the default branch, or no commits (or only deletions) ahead of the base. */
  | {
      kind: 'skipped';
      reason: 'default-branch' | 'not-ahead';
      branch: string | null;
      base: BranchBase;
      commitsAhead: number;
      /**
       * Auditing a subfolder: what the branch changed outside it, relative to the folder
       * (`../shared/src/index.ts`), when it changed nothing inside.
       */
      outside: string[];
      /** The repository's top level from the audited folder (`../..`), or `.`. */
      repositoryRoot: string;
    };

function checkDirectory(dir: string, given: string): void {
  if (!existsSync(dir))
    throw new UsageError(`${given} does not exist`, 'Pass the path of a repository directory.');
  if (!statSync(dir).isDirectory())
    throw new UsageError(
      `${given} is not a directory`,
      'Pass the repository directory, not a file inside it.',
    );
}

/** A plan or the plans index improve wrote for an audit of another folder (the root's `plans/`). */
const PLAN_FILE = /(^|\/)(advisor-)?plans\/(\d{3}-[^/]+\.md|README\.md)$/;

/**
 * Repository paths as seen from the audited folder (`../shared/src/index.ts`), without improve's
 * own plan files: those are its output, not the branch's code.
 */
function fromFolder(git: Git, files: readonly string[]): string[] {
  return files
    .filter((file) => !PLAN_FILE.test(file))
    .map((file) => path.relative(git.dir, path.join(git.root, file)).split(path.sep).join('/'));
}

/** The repository's top level as seen from the audited folder: `../..`, or `.`. */
function repositoryRoot(git: Git): string {
  return path.relative(git.dir, git.root).split(path.sep).join('/') || '.';
}

/** The branch's changes outside the audited folder, for "Not audited". */
function outsideNote(outside: readonly string[], root: string): string[] {
  if (outside.length === 0) return [];
  const shown = outside.slice(0, 3).join(', ');
  const more = outside.length > 3 ? ` and ${outside.length - 3} more` : '';
  return [
    `${plural(outside.length, 'file')} this branch changes outside this folder (${shown}${more}): not audited, nor the files here that import them; run \`improve branch\` at the repository root (${root}) to audit every change with its importers`,
  ];
}

function byIntroduced(findings: readonly Finding[]): Finding[] {
  return [...findings.filter((f) => f.introduced), ...findings.filter((f) => !f.introduced)];
}

/**
 * Audit what the current branch changes: the files it added or modified since the merge-base with
 * its base, plus their direct importers. Every finding is tagged `introduced` or pre-existing.
 * Reads only; writes nothing.
 */
export async function auditBranch(options: BranchOptions = {}): Promise<BranchResult> {
  const given = options.path ?? '.';
  const dir = path.resolve(given);
  checkDirectory(dir, given);
  const git = await openGit(dir);
  if (!git) {
    throw new UsageError(
      `${given} is not in a git repository: improve branch compares a branch with its base`,
      'Run `improve` for a full audit instead.',
    );
  }
  // Map the repository while git compares the branch with its base: recon's file scan keeps this
  // thread busy while git's processes run (about 0.1 s saved on a 4,000-file repository). Not
  // started on the base branch itself, where there is nothing to compare.
  let mapping: Promise<RepoProfile> | undefined;
  const state = await readBranch(git, {
    ...(options.base === undefined ? {} : { base: options.base }),
    includeUncommitted: options.includeUncommitted === true,
    ...(git.opened ? { head: git.opened } : {}),
    onCompare: () => {
      // A dry run writes nothing, not even the caches.
      const cache = options.cache ?? options.model?.dryRun !== true;
      mapping = recon(dir, { opened: git, ...(cache ? { cacheFile: reconCacheFile } : {}) });
      mapping.catch(() => {}); // awaited below when the branch is ahead; ignored otherwise
    },
  });
  if (state.kind !== 'ahead') {
    return {
      kind: 'skipped',
      reason: state.kind,
      branch: state.branch ?? null,
      base: state.base,
      commitsAhead: state.kind === 'not-ahead' ? state.commitsAhead : 0,
      outside: state.kind === 'not-ahead' ? fromFolder(git, state.outside) : [],
      repositoryRoot: repositoryRoot(git),
    };
  }
  options.onProgress?.('mapping the repository');
  const profile = await (mapping ?? recon(dir));
  // The plans folder is improve's own output, not the branch's code.
  const plans = choosePlansDir(profile.root, options.plansDir).relative.replace(/\/+$/, '');
  const changed = state.changed.filter((file) => file !== plans && !file.startsWith(`${plans}/`));
  const outside = fromFolder(git, state.outside);
  options.onProgress?.('finding importers of the changed files');
  let found: RepoScope['found'];
  const scope = await branchScope(profile, changed, async (groups) => {
    try {
      // One search per language, side by side; what a later search needs is covered when it asks
      // for these needles in these files (see `RepoScope.found`).
      const lists = await Promise.all(
        groups.map((group) => git.filesContaining(group.needles, group.patterns)),
      );
      const files = new Set(lists.flat());
      found = {
        groups: groups.map((group) => ({ needles: new Set(group.needles), globs: new Set(group.patterns) })),
        files,
      };
      return files;
    } catch {
      return undefined; // git grep refused (very old git): read the files instead
    }
  });
  const { base: _base, includeUncommitted: _include, scopedReadsFrom, ...auditOptions } = options;
  const codeBytes = profile.files.reduce((sum, file) => sum + (file.language ? file.size : 0), 0);
  const search = codeBytes >= (scopedReadsFrom ?? SCOPED_READS_FROM) ? grepSync(git.dir) : undefined;
  const result = await audit({
    ...auditOptions,
    path: dir,
    profile,
    files: scope.files,
    changedLines: state.hunks,
    branch: { changed: new Set(changed), ...(search ? { search } : {}), ...(found ? { found } : {}) },
  });
  const tag = (findings: readonly Finding[]) => tagIntroduced(findings, state.hunks);
  return {
    kind: 'audited',
    result: {
      ...result,
      notAudited: [...outsideNote(outside, repositoryRoot(git)), ...result.notAudited],
      findings: byIntroduced(tag(result.findings)),
      direction: tag(result.direction),
      alreadyPlanned: result.alreadyPlanned.map((entry) => ({
        ...entry,
        finding: { ...entry.finding, introduced: tag([entry.finding])[0]?.introduced ?? false },
      })),
      branch: {
        name: state.branch ?? null,
        base: state.base,
        mergeBase: state.mergeBase,
        head: state.head,
        commitsAhead: state.commitsAhead,
        changed,
        importers: scope.importers,
        includeUncommitted: state.includeUncommitted,
        outside,
        repositoryRoot: repositoryRoot(git),
      },
    },
  };
}

/**
 * The rows of the branch table, which `--select` numbers refer to: every introduced finding (LOW
 * confidence too: they are few and they are the branch's own), then the pre-existing ones a
 * normal table shows.
 */
export function branchTable(result: BranchAuditResult): Finding[] {
  const introduced = result.findings.filter((finding) => finding.introduced);
  const existing = result.findings.filter((finding) => !finding.introduced);
  return [...introduced, ...tableFindings(existing, result.level)];
}

export type FailOn = 'high' | 'medium' | 'low';
export const FAIL_ON_LEVELS: readonly FailOn[] = ['high', 'medium', 'low'];

const REACHES: Record<FailOn, readonly Confidence[]> = {
  high: ['HIGH'],
  medium: ['HIGH', 'MED'],
  low: ['HIGH', 'MED', 'LOW'],
};

/**
 * The introduced findings that fail a `--fail-on LEVEL` gate: `high` = HIGH confidence, `medium` =
 * MED or HIGH, `low` = any. Findings that already have a plan still count (a plan is not a fix);
 * pre-existing findings never do.
 */
export function gateFailures(result: BranchAuditResult, level: FailOn): Finding[] {
  const all = [...result.findings, ...result.alreadyPlanned.map((entry) => entry.finding)];
  return all.filter((finding) => finding.introduced && REACHES[level].includes(finding.confidence));
}
