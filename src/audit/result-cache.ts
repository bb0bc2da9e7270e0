import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { asciiJson } from '../core/ascii-json.ts';
import { shortHash } from '../core/hash.ts';
import { changedRecently, type FileStat, sameStat, statRecord } from '../core/stat-record.ts';
import type { FileRole, Language } from '../core/types.ts';
import type { RawFinding } from '../detectors/types.ts';
import type { ContextUse } from './file-pass.ts';

const FORMAT = 3;

/** What a cached result depended on besides its own file: the profile (by digest) and files it read. */
interface CachedContext {
  profile?: string;
  /** The files read: a shared path list (by key in `Pack.lists`) and a digest of their hashes. */
  reads?: { list: string; digest: string };
}

interface FileEntry {
  hash: string;
  language: Language;
  role: FileRole;
  /** Hash of the detector ids that ran on the file. */
  ran: string;
  findings?: Record<string, RawFinding[]>;
  context?: Record<string, CachedContext>;
}

interface RepoEntry extends CachedContext {
  findings: RawFinding[];
}

interface Pack {
  format: number;
  ruleVersion: string;
  /** path → [size, mtimeMs, ctimeMs, ino, content hash], for files hashed long enough after their last change. */
  stats: Record<string, [number, number, number, number, string]>;
  files: Record<string, FileEntry>;
  repo: Record<string, RepoEntry>;
  /** Path lists that results read, shared: most repo-level detectors read the same files. */
  lists: Record<string, string[]>;
}

/**
 * The pack as written: each path list as indexes into one table of paths. The lists of the
 * repo-level detectors hold nearly every file each, so the file is half the size this way.
 */
interface StoredPack extends Omit<Pack, 'lists'> {
  paths: string[];
  lists: Record<string, number[]>;
}

function toStored(pack: Pack): StoredPack {
  const paths: string[] = [];
  const index = new Map<string, number>();
  const at = (file: string) => {
    let found = index.get(file);
    if (found === undefined) {
      found = paths.length;
      index.set(file, found);
      paths.push(file);
    }
    return found;
  };
  const lists = Object.fromEntries(Object.entries(pack.lists).map(([key, list]) => [key, list.map(at)]));
  return { ...pack, lists, paths };
}

/** The lists of a stored pack as paths; undefined when one refers to a path the table lacks. */
function storedLists(data: Record<string, unknown>): Record<string, string[]> | undefined {
  const { paths, lists } = data;
  if (!Array.isArray(paths) || !isRecord(lists)) return undefined;
  const out: Record<string, string[]> = {};
  for (const [key, list] of Object.entries(lists)) {
    if (!Array.isArray(list)) return undefined;
    const files = list.map((index) => paths[index as number]);
    if (!files.every((file): file is string => typeof file === 'string')) return undefined;
    out[key] = files;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readPack(file: string, ruleVersion: string): { pack: Pack; text: string } | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    const data: unknown = JSON.parse(text);
    if (
      isRecord(data) &&
      data.format === FORMAT &&
      data.ruleVersion === ruleVersion &&
      isRecord(data.stats) &&
      isRecord(data.files) &&
      isRecord(data.repo)
    ) {
      const lists = storedLists(data);
      if (lists) return { pack: { ...(data as unknown as Omit<Pack, 'lists'>), lists }, text };
    }
  } catch {
    // missing, unreadable or corrupt: start empty; the file is rewritten at the end of the run
  }
  return undefined;
}

/** The hash detectors' results are keyed by: the file's text as read (UTF-8). */
export function contentHash(text: string): string {
  return shortHash(text, 32);
}

function readsDigest(hashes: readonly (string | null)[]): string {
  return shortHash(hashes.map((hash) => hash ?? '-').join('\n'), 32);
}

const NO_FINDINGS: Readonly<Record<string, RawFinding[]>> = Object.freeze({});

const setHashes = new WeakMap<readonly string[], string>();

/**
 * Hash of a list of detector ids, to know whether a cached entry covers the same detectors;
 * remembered per list, which callers share between files of one language and role.
 */
export function detectorSetHash(ids: readonly string[]): string {
  let hash = setHashes.get(ids);
  if (hash === undefined) {
    hash = shortHash(ids.join('\n'), 16);
    setHashes.set(ids, hash);
  }
  return hash;
}

/**
 * Per-file and per-detector results from earlier runs, in one JSON file. Entries are trusted only
 * when the rule-set version matches and the inputs they depended on are unchanged: the file's
 * content hash (found through a stat index, as git's index does, so unchanged files are not read),
 * the repository profile's digest and the hashes of other files a detector read. Corrupt or
 * mismatched caches are ignored and rewritten.
 */
export class ResultCache {
  readonly file: string;
  private readonly root: string;
  private readonly profileDigest: string;
  private readonly old: Pack | undefined;
  private readonly oldText: string | undefined;
  private readonly next: Pack;
  private readonly hashes = new Map<string, string | null>();
  /** Whether anything differs from what was read, so that an unchanged cache is not rewritten. */
  private dirty = false;
  /** Stats taken earlier in the run (recon's), used instead of statting those files again. */
  private readonly stats: ReadonlyMap<string, FileStat> | undefined;

  constructor(
    file: string,
    root: string,
    ruleVersion: string,
    profileDigest: string,
    stats?: ReadonlyMap<string, FileStat>,
  ) {
    this.file = file;
    this.root = root;
    this.profileDigest = profileDigest;
    this.stats = stats;
    const read = readPack(file, ruleVersion);
    this.old = read?.pack;
    this.oldText = read?.text;
    this.next = { format: FORMAT, ruleVersion, stats: {}, files: {}, repo: { ...this.old?.repo }, lists: {} };
  }

  /** The current content hash of a repo file (null when it is missing), read only when its stat changed. */
  hashOf(file: string): string | null {
    const known = this.hashes.get(file);
    if (known !== undefined) return known;
    const absolute = path.join(this.root, file);
    let hash: string | null = null;
    try {
      const stat = this.stats?.get(file) ?? statSync(absolute);
      const record = this.old?.stats[file];
      if (sameStat(record, stat) && typeof record?.[4] === 'string') {
        hash = record[4];
      } else {
        hash = contentHash(readFileSync(absolute, 'utf8'));
      }
      this.noteStat(file, hash, stat);
    } catch {
      hash = null;
    }
    this.hashes.set(file, hash);
    return hash;
  }

  private noteStat(file: string, hash: string, stat: FileStat) {
    if (changedRecently(stat)) {
      this.dirty = true;
      return;
    }
    const record = statRecord(stat, hash);
    const old = this.old?.stats[file];
    if (!old || old.some((value, index) => value !== record[index])) this.dirty = true;
    this.next.stats[file] = record;
  }

  /**
   * Record the hash a worker computed from the text it read, with recon's stat of the file when
   * there is one: taken before the read, so a change after it shows as a changed stat next time.
   * Otherwise the stat is taken now.
   */
  noteHash(file: string, hash: string): void {
    this.hashes.set(file, hash);
    try {
      this.noteStat(file, hash, this.stats?.get(file) ?? statSync(path.join(this.root, file)));
    } catch {
      // gone since it was read: nothing to remember
    }
  }

  private contextHolds(context: CachedContext | undefined): boolean {
    if (!context) return true;
    if (context.profile !== undefined && context.profile !== this.profileDigest) return false;
    if (!context.reads) return true;
    const paths = this.old?.lists[context.reads.list];
    if (!Array.isArray(paths)) return false;
    return readsDigest(paths.map((file) => this.hashOf(file))) === context.reads.digest;
  }

  private toCached(use: ContextUse | undefined): CachedContext | undefined {
    if (!use) return undefined;
    const cached: CachedContext = {};
    if (use.profile) cached.profile = this.profileDigest;
    const paths = Object.keys(use.reads);
    // Remember the stat of each file read with the hash of its text, as for audited files, so the
    // next run checks these reads by stat instead of reading and hashing every one again.
    for (const file of paths) {
      const hash = use.reads[file];
      if (typeof hash === 'string' && !this.hashes.has(file)) this.noteHash(file, hash);
    }
    if (paths.length > 0) {
      const list = shortHash(paths.join('\n'), 16);
      this.next.lists[list] = paths;
      cached.reads = { list, digest: readsDigest(paths.map((file) => use.reads[file] ?? null)) };
    }
    return cached;
  }

  /**
   * Cached raw findings by detector id for a file (detectors without any are absent), when every
   * one is still valid.
   */
  fileFindings(
    file: string,
    language: Language,
    role: FileRole,
    detectorIds: readonly string[],
  ): Readonly<Record<string, RawFinding[]>> | undefined {
    const entry = this.old?.files[file];
    if (!isRecord(entry) || entry.language !== language || entry.role !== role) return undefined;
    if (entry.ran !== detectorSetHash(detectorIds) || this.hashOf(file) !== entry.hash) return undefined;
    if (entry.context)
      for (const id of detectorIds) if (!this.contextHolds(entry.context[id])) return undefined;
    this.next.files[file] = entry;
    return entry.findings ?? NO_FINDINGS;
  }

  /** Remember a file's results; outcomes that failed are not stored, so the file runs again next time. */
  storeFile(
    file: string,
    entry: { hash: string; language: Language; role: FileRole },
    outcomes: readonly { detector: string; findings: RawFinding[]; error?: string; context?: ContextUse }[],
  ): void {
    if (outcomes.some((o) => o.error !== undefined)) return;
    const stored: FileEntry = { ...entry, ran: detectorSetHash(outcomes.map((o) => o.detector)) };
    for (const outcome of outcomes) {
      if (outcome.findings.length > 0) {
        stored.findings ??= {};
        stored.findings[outcome.detector] = outcome.findings;
      }
      const context = this.toCached(outcome.context);
      if (context) {
        stored.context ??= {};
        stored.context[outcome.detector] = context;
      }
    }
    this.next.files[file] = stored;
    this.dirty = true;
  }

  /** Cached raw findings of a repo-level detector, when the inputs it read are unchanged. */
  repoFindings(detector: string): RawFinding[] | undefined {
    const entry = this.old?.repo[detector];
    if (!isRecord(entry) || !Array.isArray(entry.findings) || !this.contextHolds(entry)) return undefined;
    return entry.findings;
  }

  storeRepo(detector: string, use: ContextUse, findings: RawFinding[]): void {
    this.next.repo[detector] = { ...this.toCached(use), findings };
    this.dirty = true;
  }

  /**
   * Write the cache (atomically); a cache that cannot be written is simply not kept. Entries of
   * files this run did not look at (outside a branch scope, say) are kept while the file exists.
   */
  save(current: ReadonlySet<string>): void {
    for (const [file, entry] of Object.entries(this.old?.files ?? {})) {
      if (!current.has(file)) this.dirty = true;
      else if (!(file in this.next.files)) this.next.files[file] = entry;
    }
    if (!this.dirty && this.old) return;
    const referenced = [
      ...Object.values(this.next.files).flatMap((e) => Object.values(e.context ?? {})),
      ...Object.values(this.next.repo),
    ];
    for (const context of referenced) {
      const key = context.reads?.list;
      const paths = key === undefined ? undefined : (this.next.lists[key] ?? this.old?.lists[key]);
      if (key !== undefined && paths) this.next.lists[key] = paths;
    }
    for (const [file, record] of Object.entries(this.old?.stats ?? {})) {
      if (current.has(file) && !(file in this.next.stats) && !this.hashes.has(file))
        this.next.stats[file] = record;
    }
    const text = asciiJson(toStored(this.next));
    if (text === this.oldText) return;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileAtomic.sync(this.file, text);
    } catch {
      // read-only repository or full disk: the next run is a cold one
    }
  }
}
