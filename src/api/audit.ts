import ignore from 'ignore';
import { RepoReader } from '../audit/repo-reader.ts';
import { runDetectors } from '../audit/run-detectors.ts';
import { type ImproveConfig, loadConfig } from '../config/config.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { UsageError } from '../core/errors.ts';
import type { AuditLevel, Category, Finding, Rejection, RepoProfile } from '../core/types.ts';
import { DETECTORS } from '../detectors/index.ts';
import type { Detector } from '../detectors/types.ts';
import { choosePlansDir, type LoadedPlans, loadPlans } from '../plans/store.ts';
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

function requireAuditable(profile: RepoProfile): void {
  if (profile.files.length === 0) {
    throw new UsageError(
      `nothing to audit in ${profile.root}: it has no files (${profile.skipped.length} skipped)`,
      'Point improve at a repository with source files, e.g. `improve path/to/repo`.',
    );
  }
  if (!profile.files.some((file) => file.language)) {
    const found = profile.languages.map((l) => `${l.name} (${l.files})`).join(', ') || 'none recognised';
    throw new UsageError(
      `no supported language in ${profile.root}: improve audits JavaScript, TypeScript and Python; found ${found}`,
      'Run improve on a JavaScript, TypeScript or Python repository.',
    );
  }
}

/**
 * The offline advisor: recon → detectors → vet → rank. Pure reading: it writes nothing. Plans are
 * written by `writeAuditPlans` once the caller has chosen which findings to plan.
 */
export async function audit(options: AuditOptions = {}): Promise<AuditResult> {
  const clock = options.clock ?? systemClock();
  const level = options.level ?? 'standard';
  const focus = [...(options.focus ?? [])];
  options.onProgress?.('mapping the repository');
  const config0 = await recon(options.path ?? process.cwd());
  const config = loadConfig(config0.root);
  const profile = applyConfigIgnores(config0, config);
  requireAuditable(profile);

  const chosen = choosePlansDir(profile.root, options.plansDir);
  const loaded = loadPlans(chosen.dir);
  const plansFolder: PlansFolder = { dir: chosen.dir, relative: chosen.relative, loaded };
  if (chosen.reason) plansFolder.reason = chosen.reason;

  const reader = new RepoReader(profile.root);
  const run = runDetectors(profile, options.detectors ?? DETECTORS, {
    level,
    focus,
    onFile: (done, total) => options.onProgress?.('auditing', done, total),
  });
  options.onProgress?.('re-reading evidence');
  const rejectedBefore = new Map(loaded.index.rejected.map((r) => [r.findingId, r.reason]));
  const vetted = vet({
    findings: run.findings,
    lines: (file) => reader.lines(file),
    accepted: config.accepted,
    rejectedBefore,
  });
  const ranked = rank(vetted.findings);
  const plannedIds = new Map<string, string>();
  for (const plan of loaded.plans) for (const id of plan.findings) plannedIds.set(id, plan.id);

  const alreadyPlanned: AuditResult['alreadyPlanned'] = [];
  const findings: Finding[] = [];
  const direction: Finding[] = [];
  for (const finding of ranked) {
    const planId = plannedIds.get(finding.id);
    if (planId) alreadyPlanned.push({ finding, planId });
    else if (finding.category === 'direction') direction.push(finding);
    else findings.push(finding);
  }
  const errors = run.errors.map(
    (e) => `detector ${e.detector} failed${e.file ? ` on ${e.file}` : ''}: ${e.message}`,
  );
  return {
    root: profile.root,
    profile,
    level,
    focus,
    findings,
    alreadyPlanned,
    direction: direction.slice(0, MAX_DIRECTION),
    rejections: vetted.rejections,
    notAudited: describeNotAudited(profile, errors),
    unexplainedIgnores: vetted.unexplainedIgnores,
    detectorsRun: run.detectorsRun.length,
    filesAudited: run.filesAudited,
    plans: plansFolder,
    config,
    date: clock.today(),
  };
}
