import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { shortHash } from '../core/hash.ts';
import type { FileStat } from '../core/stat-record.ts';
import type { RepoProfile } from '../core/types.ts';
import { forgetProfile } from '../detectors/tech-debt/profile-memo.ts';
import type { Detector, FileDetector, RawFinding, RepoContext, RepoDetector } from '../detectors/types.ts';
import { languageOf } from '../recon/languages.ts';
import { detectorCacheFile } from './cache-location.ts';
import { applicableDetectors, type DetectorOutcome, type FileTask, runFilePass } from './file-pass.ts';
import { runFileTasks, startWorkers, type WarmWorkers } from './file-scheduler.ts';
import { collectIfGrown } from './native-memory.ts';
import { RepoReader } from './repo-reader.ts';
import { contentHash, ResultCache } from './result-cache.ts';
import { ruleSetVersion } from './rule-set-version.ts';
import {
  addFileFindings,
  auditedFiles,
  type DetectorRunOptions,
  type DetectorRunResult,
  type FindingSink,
  type RepoDetectorCache,
  runRepoDetectors,
  selectDetectors,
} from './run-detectors.ts';
import { describeDetectors, type WorkerFileResult } from './worker-setup.ts';

export interface ParallelRunOptions extends DetectorRunOptions {
  /**
   * Worker threads for the file detectors, besides this thread. Default: one per core (at most
   * 4), or none when there is little to do; `IMPROVE_WORKERS` overrides the default.
   */
  workers?: number;
  /** Reuse and update the result cache under `.git/improve/cache/` (default true). */
  cache?: boolean;
  /** Text of the repository's own rule files: part of the cache's rule-set version. */
  ruleSources?: readonly string[];
  /** Reads (and redacts) repository files; pass the one vet will use to share its work. */
  reader?: RepoReader;
  /** Stats of the repository's files taken earlier in this run (recon's), for the result cache. */
  stats?: ReadonlyMap<string, FileStat>;
  /** Worker threads started ahead (`startWarmWorkers`): used first, the rest stopped. */
  warm?: WarmWorkers;
}

export interface CacheStats {
  /** The cache file, when caching was on. */
  file?: string;
  /** Files whose detector results came from the cache, out of the files that had detectors to run. */
  fileHits: number;
  files: number;
  /** Repo-level detectors whose findings came from the cache. */
  repoHits: number;
}

export interface ParallelRunResult extends DetectorRunResult {
  cache: CacheStats;
  /** Worker threads that were started. */
  workers: number;
  /** Why worker threads failed (their files were then processed on the main thread). */
  workerFailures: string[];
}

/** Below this much source to analyse, starting threads costs more than it saves. */
const SMALL_WORK_BYTES = 2 * 1024 * 1024;
/**
 * Code in a repository this large keeps the repository-level detectors busy for a second or more
 * on this thread, so even a small file pass (`improve branch` on a few files) is worth one worker
 * to run beside them.
 */
const LARGE_REPO_BYTES = 8 * 1024 * 1024;
/**
 * …but not below this much: a worker's start-up (about 0.1 s of CPU, 10 MB) then costs more than
 * the file pass it takes off this thread. A branch of a few small files is the common case.
 */
const WORKER_WORTH_BYTES = 256 * 1024;

function forcedWorkers(env: NodeJS.ProcessEnv): number | undefined {
  const forced = env.IMPROVE_WORKERS;
  return forced !== undefined && /^\d+$/.test(forced) ? Number(forced) : undefined;
}

const fullWorkers = () => Math.max(1, Math.min(availableParallelism(), 4));

/**
 * Worker threads for a file pass of `bytes` of source, in a repository with `repoBytes` of code
 * (0 when no repository-level detector runs beside the pass).
 */
export function defaultWorkers(
  bytes: number,
  repoBytes: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const forced = forcedWorkers(env);
  if (forced !== undefined) return forced;
  if (bytes < WORKER_WORTH_BYTES) return 0;
  if (bytes < SMALL_WORK_BYTES) return repoBytes >= LARGE_REPO_BYTES ? 1 : 0;
  return fullWorkers();
}

/** Code files in a listing from which a first audit is sure to want every worker (≈ 2 MB of code). */
const WARM_START_FILES = 300;

/**
 * Start the file pass's worker threads now, from the repository's listing, when they will surely
 * be needed: a first audit (no result cache yet, so every file is parsed) of a repository with
 * many code files. They then load while recon reads the repository (about 0.2 s of one core each)
 * instead of competing with the repository-level detectors. Undefined when they may not be needed;
 * the run then starts its own. Close what this returns (`close`) once the run is over.
 */
export function startWarmWorkers(
  root: string,
  paths: readonly string[],
  options: { cache?: boolean; workers?: number },
  env: NodeJS.ProcessEnv = process.env,
): WarmWorkers | undefined {
  const count = options.workers ?? forcedWorkers(env) ?? fullWorkers();
  if (count === 0) return undefined;
  if (options.cache !== false && existsSync(detectorCacheFile(root, env))) return undefined;
  let code = 0;
  for (const file of paths) if (languageOf(file) !== undefined && ++code >= WARM_START_FILES) break;
  if (code < WARM_START_FILES) return undefined;
  try {
    return startWorkers(count);
  } catch {
    return undefined; // the run starts its own, or works on this thread
  }
}

/** No findings: one array for every detector that has none in a cached file. */
const NONE: RawFinding[] = [];

interface Pending {
  file: FileTask;
  detectors: FileDetector[];
  /** The detectors' ids, one list shared by the files of a language and role. */
  ids: string[];
  outcomes?: DetectorOutcome[];
}

/**
 * Run the selected detectors like `runDetectors`, with the same findings in the same order, but
 * faster: file detectors run on worker threads (all rules in one pass per file) while this thread
 * runs the repo-level detectors, and results of unchanged files and inputs come from a cache.
 */
export async function runDetectorsParallel(
  profile: RepoProfile,
  detectors: readonly Detector[],
  options: ParallelRunOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ParallelRunResult> {
  const selected = selectDetectors(detectors, options, profile);
  const fileDetectors = selected.filter((d): d is FileDetector => d.scope === 'file');
  const repoDetectors = selected.filter((d): d is RepoDetector => d.scope === 'repo');
  const reader = options.reader ?? new RepoReader(profile.root);
  const cache =
    options.cache === false
      ? undefined
      : new ResultCache(
          detectorCacheFile(profile.root, env),
          profile.root,
          ruleSetVersion(detectors, options.ruleSources),
          shortHash(JSON.stringify(profile), 32),
          options.stats,
        );
  const stats: CacheStats = { fileHits: 0, files: 0, repoHits: 0, ...(cache ? { file: cache.file } : {}) };

  const files = auditedFiles(profile, options);
  // One detector list (and id list) per language and role, shared by the files that have them.
  const kinds = new Map<string, { detectors: FileDetector[]; ids: string[] }>();
  const kindOf = (file: FileTask) => {
    const key = `${file.language}\0${file.role}`;
    let kind = kinds.get(key);
    if (!kind) {
      const detectors = applicableDetectors(fileDetectors, file);
      kind = { detectors, ids: detectors.map((d) => d.id) };
      kinds.set(key, kind);
    }
    return kind;
  };
  const pending: Pending[] = files.map((file) => ({ file, ...kindOf(file) }));
  const toRun: number[] = [];
  let done = 0;
  const progress = () => {
    done += 1;
    options.onFile?.(done, files.length);
  };
  pending.forEach((entry, index) => {
    if (entry.detectors.length === 0) {
      entry.outcomes = [];
      progress();
      return;
    }
    stats.files += 1;
    const { ids } = entry;
    const hit = cache?.fileFindings(entry.file.path, entry.file.language, entry.file.role, ids);
    if (hit) {
      stats.fileHits += 1;
      entry.outcomes = ids.map((id) => ({ detector: id, findings: hit[id] ?? NONE }));
      progress();
    } else {
      toRun.push(index);
    }
  });
  // Largest files first, so that no core is left with one big file at the end.
  toRun.sort((a, b) => (files[b]?.size ?? 0) - (files[a]?.size ?? 0) || a - b);
  const tasks: FileTask[] = toRun.flatMap((index) => pending[index]?.file ?? []);
  const bytes = tasks.reduce((sum, _task, i) => sum + (files[toRun[i] ?? 0]?.size ?? 0), 0);
  const described = describeDetectors(fileDetectors);
  const context: RepoContext = { profile, read: (file) => reader.read(file) };

  const repoSink: FindingSink = {
    lines: (file) => reader.excerptLines(file),
    occurrences: new Map(),
    findings: [],
    errors: [],
  };
  const repoCache: RepoDetectorCache | undefined = cache && {
    lookup: (detector) => {
      const found = cache.repoFindings(detector.id);
      if (found) stats.repoHits += 1;
      return found;
    },
    store: (detector, use, findings: RawFinding[]) =>
      cache.storeRepo(detector.id, use ?? { profile: false, reads: {} }, findings),
  };

  const onResult = (result: WorkerFileResult) => {
    const entry = pending[toRun[result.index] ?? -1];
    if (!entry) return;
    entry.outcomes = result.outcomes;
    if (cache && result.hash !== undefined) {
      cache.noteHash(entry.file.path, result.hash);
      const { language, role } = entry.file;
      cache.storeFile(entry.file.path, { hash: result.hash, language, role }, result.outcomes);
    }
    progress();
  };
  const runLocal = (index: number): WorkerFileResult => {
    const task = tasks[index];
    if (!task) return { index, outcomes: [] };
    let text: string | undefined;
    try {
      text = readFileSync(path.join(profile.root, task.path), 'utf8');
    } catch {
      return { index, outcomes: [] };
    }
    const applicable = applicableDetectors(fileDetectors, task);
    return {
      index,
      hash: contentHash(text),
      outcomes: runFilePass(task, text, applicable, context, fileDetectors),
    };
  };
  const run = await runFileTasks({
    tasks,
    workers:
      options.workers ??
      defaultWorkers(
        bytes,
        repoDetectors.length > 0
          ? profile.files.reduce((sum, file) => sum + (file.language ? file.size : 0), 0)
          : 0,
        env,
      ),
    setup: described && { root: profile.root, profile, detectors: described },
    ...(options.warm ? { warm: options.warm } : {}),
    runLocal,
    onResult,
    meanwhile: () => {
      runRepoDetectors(profile, repoDetectors, options, reader, repoSink, repoCache, collectIfGrown);
      // Texts repo detectors read are no longer needed (redacted lines stay, for building
      // findings): let them go now rather than while the workers finish.
      reader.releaseAll();
      forgetProfile(profile);
      collectIfGrown();
    },
  });
  reader.releaseAll();
  const fileSink: FindingSink = { ...repoSink, occurrences: new Map(), findings: [], errors: [] };
  for (const entry of pending) addFileFindings(entry.file, entry.detectors, entry.outcomes ?? [], fileSink);
  cache?.save(new Set(profile.files.map((file) => file.path)));
  return {
    findings: [...fileSink.findings, ...repoSink.findings],
    errors: [...fileSink.errors, ...repoSink.errors],
    detectorsRun: selected.map((d) => d.id),
    filesAudited: files.length,
    cache: stats,
    workers: run.workers,
    workerFailures: run.failures,
  };
}
