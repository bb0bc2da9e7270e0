import path from 'node:path';
import ignore from 'ignore';
import type { LlmAuditReport } from '../agents/llm-audit.ts';
import type { BranchFocus } from '../agents/repo-brief.ts';
import { reconCacheFile } from '../audit/cache-location.ts';
import type { WarmWorkers } from '../audit/file-scheduler.ts';
import { RepoReader } from '../audit/repo-reader.ts';
import { runDetectorsParallel, startWarmWorkers } from '../audit/run-detectors-parallel.ts';
import { type ImproveConfig, loadConfig } from '../config/config.ts';
import { loadUserRules } from '../config/user-rules.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { UsageError } from '../core/errors.ts';
import type { FileStat } from '../core/stat-record.ts';
import type { AuditLevel, Category, Finding, Rejection, RepoProfile } from '../core/types.ts';
import { advisoryNotes } from '../detectors/dependencies/advisory-notes.ts';
import { DETECTORS } from '../detectors/index.ts';
import type { Detector, RepoScope } from '../detectors/types.ts';
import { userRuleDetector } from '../detectors/user-rule.ts';
import type { DiffHunk } from '../git/diff-hunks.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { FIXED_INDEPENDENTLY, STALE, VERIFIED } from '../plans/plan.ts';
import { choosePlansDir, INDEX_FILE, type LoadedPlans, loadPlans } from '../plans/store.ts';
import { rank } from '../rank/rank.ts';
import { recon } from '../recon/recon.ts';
import { vet } from '../vet/vet.ts';
import { describeNotAudited } from './not-audited.ts';

export interface AuditOptions {
  /** The repository to audit (default: the current directory). */
  path?: string;
  level?: AuditLevel;
  focus?: readonly Category[];
  /** Plans folder relative to the repo root; default `plans/` (or `advisor-plans/`). */
  plansDir?: string;
  clock?: Clock;
  detectors?: readonly Detector[];
  onProgress?: (stage: string, done?: number, total?: number) => void;
  /**
   * Branch scope: audit only these repo-relative files. Repo-level findings are kept only when
   * one of their cited files is in scope.
   */
  files?: ReadonlySet<string>;
  /**
   * Branch mode, with `files`: the files the branch changed, and a search of the repository, so
   * that repo-level detectors read only what conclusions about those files need.
   */
  branch?: Omit<RepoScope, 'files'>;
  /** A profile recon already made of `path` (branch mode maps the repository first). */
  profile?: RepoProfile;
  /**
   * Reuse what recon learned from unchanged files and the detector results of unchanged files and
   * inputs, from `.git/improve/cache/` (or the user cache directory without git), and update them.
   * Default true; false reads and writes no cache.
   */
  cache?: boolean;
  /** Worker threads for the file detectors (default: one per core, none for small repositories). */
  workers?: number;
  /**
   * Models for the advisor (see createModelSession). With a planner, LLM auditors add findings
   * that the planner vets; without one (the default) the audit is offline. A dry-run session adds
   * nothing.
   */
  model?: ModelSession;
  /** Branch mode: the lines the branch added or changed, which the model auditors look at first. */
  changedLines?: readonly DiffHunk[];
}

export interface PlansFolder {
  /** Absolute path. */
  dir: string;
  /** Repo-relative path for messages, e.g. `plans`. */
  relative: string;
  /** Set when the default `plans/` was taken for something else. */
  reason?: string;
  loaded: LoadedPlans;
}

export interface AuditResult {
  root: string;
  profile: RepoProfile;
  level: AuditLevel;
  focus: Category[];
  /** Vetted and ranked, without direction findings and without findings already planned. */
  findings: Finding[];
  /** Findings that an existing plan already covers (by finding id). */
  alreadyPlanned: { finding: Finding; planId: string }[];
  /** Two to four direction suggestions, shown apart from the table. */
  direction: Finding[];
  /** Dropped by vet this run, with reasons (including suppressions and earlier rejections). */
  rejections: Rejection[];
  notAudited: string[];
  unexplainedIgnores: string[];
  detectorsRun: number;
  filesAudited: number;
  plans: PlansFolder;
  config: ImproveConfig;
  date: string;
  /** What the LLM auditors and the planner's vetting did, when a planner was used. */
  llm?: LlmAuditReport;
}

const MAX_DIRECTION = 4;

function applyConfigIgnores(profile: RepoProfile, config: ImproveConfig): RepoProfile {
  if (config.ignore.length === 0) return profile;
  const matcher = ignore().add(config.ignore);
  const kept = profile.files.filter((file) => !matcher.ignores(file.path));
  const dropped = profile.files.filter((file) => matcher.ignores(file.path));
  return {
    ...profile,
    files: kept,
    skipped: [
      ...profile.skipped,
      ...dropped.map((file) => ({ path: file.path, reason: 'ignored' as const })),
    ],
  };
}

/**
 * The repository without improve's own plan files: its output, not the repository's docs. A plan
 * quotes the variables, commands and links it is about, so read as docs it would document them and
 * its finding would pass for fixed on the next run. Only improve's files go (the plans, an index
 * with improve's markers and its backups): a folder given with --plans-dir may hold the user's own
 * docs too. Not listed as skipped: they are not the user's.
 */
function withoutPlans(profile: RepoProfile, relative: string, loaded: LoadedPlans): RepoProfile {
  const folder = path.posix.normalize(relative.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (folder.startsWith('../') || path.posix.isAbsolute(folder)) return profile;
  const prefix = folder === '.' || folder === '' ? '' : `${folder}/`;
  const own = new Set([...loaded.files.values()].map((name) => `${prefix}${name}`));
  if (loaded.index.ours) own.add(`${prefix}${INDEX_FILE}`);
  const mine = (file: string) => own.has(file) || file.startsWith(`${prefix}${INDEX_FILE}.bak`);
  if (!profile.files.some((file) => mine(file.path))) return profile;
  return { ...profile, files: profile.files.filter((file) => !mine(file.path)) };
}

function requireAuditable(profile: RepoProfile): void {
  if (profile.files.length === 0) {
    throw new UsageError(
      `nothing to audit in ${profile.root}: it has no files (${profile.skipped.length} skipped)`,
      'Point improve at a repository with source files, e.g. `improve path/to/repo`.',
    );
  }
  if (!profile.files.some((file) => file.language)) {
    // nodemailer or bullmq from npm: all of their code is dist/, which recon skips as build output.
    const built = profile.skipped.filter(
      (entry) =>
        (entry.reason === 'build-output' || entry.reason === 'minified') &&
        !entry.path.includes('node_modules'),
    );
    if (built.length > 0) {
      const listed = built
        .slice(0, 3)
        .map((entry) => entry.path)
        .join(', ');
      throw new UsageError(
        `nothing to audit in ${profile.root}: its code is build output (${listed}${built.length > 3 ? ` and ${built.length - 3} more` : ''}), which improve skips`,
        'Run improve on the repository that builds it, where the sources are.',
      );
    }
    const found = profile.languages.map((l) => `${l.name} (${l.files})`).join(', ') || 'none recognised';
    throw new UsageError(
      `no supported language in ${profile.root}: improve audits JavaScript, TypeScript and Python; found ${found}`,
      'Run improve on a JavaScript, TypeScript or Python repository.',
    );
  }
}

/**
 * Recon (unless the caller mapped the repository), then every detector. Worker threads for the file
 * pass start as soon as recon has listed the files, when a first audit of a large repository will
 * surely want them (`startWarmWorkers`); any the run does not take are stopped here.
 */
async function mapAndDetect(
  options: AuditOptions,
  { level, focus, cache }: { level: AuditLevel; focus: Category[]; cache: boolean },
) {
  let warm: WarmWorkers | undefined;
  try {
    // Recon reads every file whole; the detectors read most of them again. Keep its texts for them
    // (released with the reader's once the repository-level detectors are done).
    const texts = options.profile ? undefined : new Map<string, string>();
    // …and its stats, so the result cache need not stat every file again.
    const stats = options.profile ? undefined : new Map<string, FileStat>();
    const config0 =
      options.profile ??
      (await recon(options.path ?? process.cwd(), {
        ...(texts ? { texts } : {}),
        ...(stats ? { stats } : {}),
        ...(cache ? { cacheFile: reconCacheFile } : {}),
        onListed: (root, paths) => {
          warm = startWarmWorkers(root, paths, {
            cache,
            ...(options.workers !== undefined ? { workers: options.workers } : {}),
          });
        },
      }));
    const config = loadConfig(config0.root);
    const chosen = choosePlansDir(config0.root, options.plansDir);
    const loaded = loadPlans(chosen.dir);
    const profile = withoutPlans(applyConfigIgnores(config0, config), chosen.relative, loaded);
    requireAuditable(profile);

    const plansFolder: PlansFolder = { dir: chosen.dir, relative: chosen.relative, loaded };
    if (chosen.reason) plansFolder.reason = chosen.reason;

    const builtins = options.detectors ?? DETECTORS;
    const userRules = loadUserRules(profile.root, new Set(builtins.map((d) => d.id)));
    const reader = new RepoReader(profile.root, texts);
    const scope = options.files;
    const run = await runDetectorsParallel(profile, [...builtins, ...userRules.specs.map(userRuleDetector)], {
      level,
      focus,
      ...(scope ? { files: scope } : {}),
      ...(scope && options.branch ? { branch: options.branch } : {}),
      onFile: (done, total) => options.onProgress?.('auditing', done, total),
      cache,
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
      ruleSources: userRules.sources,
      reader,
      ...(stats ? { stats } : {}),
      ...(warm ? { warm } : {}),
    });
    return { config, profile, plansFolder, loaded, reader, scope, builtins, run };
  } finally {
    warm?.close();
  }
}

/**
 * The advisor: recon → detectors (→ LLM auditors and the planner's vetting, with `model`) → vet →
 * rank. Offline by default. It writes nothing in the working tree (the detector result cache lives
 * under `.git/improve/`, a model session's cost ledger beside it).
 * Plans are written by `writeAuditPlans` once the caller has chosen which findings to plan.
 */
export async function audit(options: AuditOptions = {}): Promise<AuditResult> {
  const clock = options.clock ?? systemClock();
  const level = options.level ?? 'standard';
  const focus = [...(options.focus ?? [])];
  options.onProgress?.('mapping the repository');
  // A dry run writes nothing, not even the caches.
  const cache = options.cache ?? options.model?.dryRun !== true;
  const { config, profile, plansFolder, loaded, reader, scope, builtins, run } = await mapAndDetect(options, {
    level,
    focus,
    cache,
  });
  if (scope) run.findings = run.findings.filter((f) => f.evidence.some((e) => scope.has(e.file)));
  options.onProgress?.('re-reading evidence');
  const rejectedBefore = new Map(loaded.index.rejected.map((r) => [r.findingId, r.reason]));
  const session = options.model;
  const llm =
    session?.has('planner') && !session.dryRun
      ? await (await import('../agents/llm-audit.ts')).llmAudit({
          session,
          profile,
          reader,
          level,
          focus,
          leads: run.findings,
          settled: new Set([...config.accepted.keys(), ...rejectedBefore.keys()]),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          ...(scope && options.branch ? { branch: branchFocus(scope, options.branch.changed, options) } : {}),
        })
      : undefined;
  if (llm && scope) llm.findings = llm.findings.filter((f) => f.evidence.some((e) => scope.has(e.file)));
  const vetted = vet({
    findings: llm ? [...run.findings, ...llm.findings] : run.findings,
    lines: (file) => reader.excerptLines(file),
    accepted: config.accepted,
    rejectedBefore,
  });
  const ranked = rank(vetted.findings);
  // A plan reconcile retired because its finding was gone, or verified as merged, stands for
  // nothing once the finding is back (a branch's plan reconciled on main, then the branch merged;
  // a fix undone): report it again. A plan reconcile found stale quotes code that is no longer
  // there: its finding is planned again for the code as it is, and the next reconcile retires the
  // stale plan as superseded.
  const plannedIds = new Map<string, string>();
  for (const plan of loaded.plans) {
    if (plan.status.state === 'REJECTED' && plan.status.reason?.startsWith(FIXED_INDEPENDENTLY)) continue;
    if (plan.status.state === 'DONE' && plan.status.reason?.startsWith(VERIFIED)) continue;
    if (plan.status.state === 'TODO' && plan.status.reason?.startsWith(STALE)) continue;
    for (const id of plan.findings) plannedIds.set(id, plan.id);
  }

  const alreadyPlanned: AuditResult['alreadyPlanned'] = [];
  const findings: Finding[] = [];
  const direction: Finding[] = [];
  for (const finding of ranked) {
    const planId = plannedIds.get(finding.id);
    if (planId) alreadyPlanned.push({ finding, planId });
    else if (finding.category === 'direction') direction.push(finding);
    else findings.push(finding);
  }
  const errors = [
    ...run.errors.map((e) => `detector ${e.detector} failed${e.file ? ` on ${e.file}` : ''}: ${e.message}`),
    // Nothing is missed (this thread audits the files), but the run was slower than it should be.
    ...[...new Set(run.workerFailures)].map(
      (message) => `a worker thread failed (${message}); its files were audited on the main thread instead`,
    ),
  ];
  return {
    root: profile.root,
    profile,
    level,
    focus,
    findings,
    alreadyPlanned,
    direction: direction.slice(0, MAX_DIRECTION),
    rejections: llm ? [...vetted.rejections, ...llmRejections(llm)] : vetted.rejections,
    notAudited: describeNotAudited(profile, [
      ...advisoryNotes(profile),
      ...errors,
      ...(scope ? [branchNote(builtins, run.detectorsRun)] : []),
    ]),
    unexplainedIgnores: vetted.unexplainedIgnores,
    detectorsRun: run.detectorsRun.length,
    filesAudited: run.filesAudited,
    plans: plansFolder,
    config,
    date: clock.today(),
    ...(llm ? { llm } : {}),
  };
}

/** What the model auditors are told about the branch: its changed files and lines, and the importers. */
function branchFocus(
  scope: ReadonlySet<string>,
  changed: ReadonlySet<string>,
  options: AuditOptions,
): BranchFocus {
  return {
    changed: [...changed].filter((file) => scope.has(file)).sort(),
    importers: [...scope].filter((file) => !changed.has(file)).sort(),
    lines: (options.changedLines ?? []).filter((hunk) => scope.has(hunk.file)),
  };
}

/** What branch mode looks at less than a full audit does, in one line. */
function branchNote(detectors: readonly Detector[], run: readonly string[]): string {
  const skipped = detectors
    .filter((d) => d.scope === 'repo' && d.branchReads === 'none' && run.includes(d.id))
    .map((d) => d.id);
  return `branch mode: unused files and exports, import cycles, oversized modules and unread flags are checked in the changed files only, not in their importers${skipped.length > 0 ? `; not run (they judge the repository as a whole): ${skipped.join(', ')}` : ''}`;
}

/** The planner's rejections and what code dropped from the model's findings, for this run's report. */
function llmRejections(llm: LlmAuditReport): Rejection[] {
  return [...llm.rejected.map((r) => ({ ...r })), ...llm.dropped];
}
