import type {
  AuditLevel,
  Category,
  FileRole,
  Finding,
  Language,
  RepoProfile,
  SourceFile,
} from '../core/types.ts';
import type {
  Detector,
  FileDetector,
  RawFinding,
  RepoContext,
  RepoDetector,
  RepoScope,
} from '../detectors/types.ts';
import { buildFinding, type LineSource } from './build-finding.ts';
import {
  applicableDetectors,
  type ContextUse,
  type DetectorOutcome,
  type HashMemo,
  runFilePass,
  watchedContext,
} from './file-pass.ts';
import { RepoReader } from './repo-reader.ts';

export interface DetectorRunOptions {
  level: AuditLevel;
  /** Only these categories; empty means all. */
  focus: readonly Category[];
  /**
   * Only these repo-relative files (branch scope); undefined means every file recon listed. File
   * detectors run on these files only; repo-level detectors see what their `branchReads` says.
   */
  files?: ReadonlySet<string>;
  /**
   * Branch mode: the files the branch changed (what absence checks conclude about), and a search
   * of the whole repository so that repo-level detectors read only what those conclusions need.
   */
  branch?: Omit<RepoScope, 'files'>;
  /** Called after each file, for progress on long runs. */
  onFile?: (done: number, total: number) => void;
}

export interface DetectorRunResult {
  findings: Finding[];
  /** Detectors that failed, with the error; the run goes on without them. */
  errors: { detector: string; file?: string; message: string }[];
  detectorsRun: string[];
  filesAudited: number;
}

const DEFAULT_TARGET_ROLES: readonly FileRole[] = ['source'];
const CODE_ROLES: ReadonlySet<FileRole | undefined> = new Set(['source', 'test']);

export function selectDetectors(
  detectors: readonly Detector[],
  options: Pick<DetectorRunOptions, 'level' | 'focus'>,
  profile?: Pick<RepoProfile, 'publishedPackage'>,
): Detector[] {
  return detectors.filter(
    (detector) =>
      (options.focus.length === 0 || options.focus.includes(detector.category)) &&
      (options.level !== 'quick' || detector.quick !== false) &&
      !(profile?.publishedPackage && detector.repoHygiene),
  );
}

/** Run the selected detectors over the profile's files, then the repo-level ones. */
export function runDetectors(
  profile: RepoProfile,
  detectors: readonly Detector[],
  options: DetectorRunOptions,
  reader = new RepoReader(profile.root),
): DetectorRunResult {
  const selected = selectDetectors(detectors, options, profile);
  const fileDetectors = selected.filter((d): d is FileDetector => d.scope === 'file');
  const repoDetectors = selected.filter((d): d is RepoDetector => d.scope === 'repo');
  const context: RepoContext = { profile, read: (file) => reader.read(file) };
  const occurrences = new Map<string, number>();
  const findings: Finding[] = [];
  const errors: DetectorRunResult['errors'] = [];
  const lines = (file: string) => reader.excerptLines(file);

  const files = auditedFiles(profile, options);
  let done = 0;
  for (const file of files) {
    const applicable = applicableDetectors(fileDetectors, file);
    const text = applicable.length > 0 ? reader.read(file.path) : undefined;
    if (text !== undefined) {
      const outcomes = runFilePass(file, text, applicable, context, fileDetectors);
      addFileFindings(file, applicable, outcomes, { lines, occurrences, findings, errors });
      reader.release(file.path);
    }
    done += 1;
    options.onFile?.(done, files.length);
  }

  runRepoDetectors(profile, repoDetectors, options, reader, { lines, occurrences, findings, errors });
  return { findings, errors, detectorsRun: selected.map((d) => d.id), filesAudited: files.length };
}

/** Where built findings and detector errors go, shared by the file and repo phases of a run. */
export interface FindingSink {
  lines: LineSource;
  occurrences: Map<string, number>;
  findings: Finding[];
  errors: DetectorRunResult['errors'];
}

/** The files file detectors look at: every file with a supported language (in scope, in branch mode). */
export function auditedFiles(
  profile: RepoProfile,
  options: Pick<DetectorRunOptions, 'files'>,
): (SourceFile & { language: Language })[] {
  return profile.files.filter(
    (file): file is SourceFile & { language: Language } =>
      file.language !== undefined && (!options.files || options.files.has(file.path)),
  );
}

/** Turn one file's detector outcomes into findings (downgraded outside the detector's target roles). */
export function addFileFindings(
  file: Pick<SourceFile, 'path' | 'role'>,
  detectors: readonly FileDetector[],
  outcomes: readonly DetectorOutcome[],
  sink: FindingSink,
): void {
  outcomes.forEach((outcome, index) => {
    const detector = detectors[index];
    if (!detector) return;
    if (outcome.error !== undefined) {
      sink.errors.push({ detector: detector.id, file: file.path, message: outcome.error });
      return;
    }
    const downgrade = !(detector.targetRoles ?? DEFAULT_TARGET_ROLES).includes(file.role);
    for (const raw of outcome.findings) {
      const finding = buildFinding(detector, raw, sink.lines, sink.occurrences, file.role, downgrade);
      if (finding) sink.findings.push(finding);
    }
  });
}

/** Earlier results of cacheable repo-level detectors, valid while what they read is unchanged. */
export interface RepoDetectorCache {
  lookup(detector: RepoDetector): RawFinding[] | undefined;
  store(detector: RepoDetector, use: ContextUse | undefined, findings: RawFinding[]): void;
}

/** What each kind of repo-level detector sees in branch mode (see `DetectorMeta.branchReads`). */
function branchContexts(
  profile: RepoProfile,
  reader: RepoReader,
  options: Pick<DetectorRunOptions, 'files' | 'branch'>,
): Record<'files' | 'scope' | 'repo', RepoContext> | undefined {
  const files = options.files;
  if (!files) return undefined;
  const roles = new Map(profile.files.map((f) => [f.path, f.role]));
  const scope: RepoScope = { changed: files, ...options.branch, files };
  // Code outside the scope reads as missing; docs, config and manifests stay readable. Copies of
  // the profile, so that what detectors cache per profile never mixes the views.
  const read = (file: string) =>
    files.has(file) || !CODE_ROLES.has(roles.get(file)) ? reader.read(file) : undefined;
  return {
    files: { profile: { ...profile, files: profile.files.filter((f) => files.has(f.path)) }, read, scope },
    scope: { profile: { ...profile }, read, scope },
    repo: { profile, read: (file) => reader.read(file), scope },
  };
}

/** Run the repo-level detectors, in order, after the file detectors. */
export function runRepoDetectors(
  profile: RepoProfile,
  repoDetectors: readonly RepoDetector[],
  options: Pick<DetectorRunOptions, 'files' | 'branch'>,
  reader: RepoReader,
  sink: FindingSink,
  cache?: RepoDetectorCache,
  afterEach?: () => void,
): void {
  const { lines, occurrences, findings, errors } = sink;
  const context: RepoContext = { profile, read: (file) => reader.read(file) };
  const roles = new Map(profile.files.map((f) => [f.path, f.role]));
  const branch = branchContexts(profile, reader, options);
  // Cached results stand for the whole repository; a branch scope reads less, so it runs afresh.
  const reuse = branch ? undefined : cache;
  const hashes: HashMemo = new Map();
  for (const detector of repoDetectors) {
    const reads = detector.branchReads ?? 'repo';
    if (branch && reads === 'none') continue;
    try {
      const repoContext = branch && reads !== 'none' ? branch[reads] : context;
      const cacheable = reuse !== undefined && detector.cacheable !== false;
      let raws = cacheable ? reuse.lookup(detector) : undefined;
      if (!raws) {
        const watch = cacheable ? watchedContext(repoContext, hashes) : undefined;
        raws = detector.check(watch?.context ?? repoContext);
        if (watch) reuse?.store(detector, watch.use(), raws);
      }
      for (const raw of raws) {
        const role = raw.file ? roles.get(raw.file) : undefined;
        const finding = buildFinding(detector, raw, lines, occurrences, role, false);
        if (finding) findings.push(finding);
      }
    } catch (error) {
      errors.push({ detector: detector.id, message: String(error) });
    }
    afterEach?.();
  }
}
