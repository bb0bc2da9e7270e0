import { mkdirSync, readFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { installedCodeDigest } from '../core/code-digest.ts';
import { shortHash } from '../core/hash.ts';
import { changedRecently, type StatRecord, sameStat, statRecord } from '../core/stat-record.ts';
import { VERSION } from '../core/version.ts';
import { isRecord } from './records.ts';
import type { Learned, ScanMemory } from './scan-files.ts';

/** Bump when the layout or the meaning of a remembered outcome changes. */
const FORMAT = 1;
/** The code whose answers are remembered: recon's classification and the core helpers it uses. */
const RECON_CODE = ['recon', 'core'];

/** path → [size, mtimeMs, ctimeMs, ino, what the scan learned from the content]. */
type Entry = StatRecord<Learned>;

interface Pack {
  format: number;
  version: string;
  files: Record<string, Entry>;
}

function readPack(file: string, version: string): Pack | undefined {
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (isRecord(data) && data.format === FORMAT && data.version === version && isRecord(data.files))
      return data as unknown as Pack;
  } catch {
    // missing, unreadable or corrupt: every file is read, and the cache is rewritten
  }
  return undefined;
}

/**
 * What recon learned from each file's content (binary, not UTF-8, generated or minified, the
 * language a `#!` line names, the convention facts in its text), remembered by the file's stat as
 * git's index does, so that a re-run on an unchanged repository lists its files without reading
 * them. Trusted only for the same improve version and recon code; files changed within two seconds
 * of being read are not remembered.
 */
export class ReconCache implements ScanMemory {
  readonly file: string;
  private readonly version = shortHash([FORMAT, VERSION, installedCodeDigest(RECON_CODE)].join('\0'), 32);
  private readonly old: Pack | undefined;
  private readonly next: Record<string, Entry> = {};
  private recalled = 0;
  private changed = false;

  private readonly now: () => number;

  /** `now` is for tests: a clock under which no file was changed recently. */
  constructor(file: string, now: () => number = Date.now) {
    this.file = file;
    this.now = now;
    this.old = readPack(file, this.version);
  }

  recall(file: string, stats: Stats): Learned | undefined {
    const entry = this.old?.files[file];
    if (!entry || !sameStat(entry, stats)) return undefined;
    const learned = entry[4];
    if (typeof learned !== 'number' && typeof learned !== 'string') return undefined;
    this.next[file] = entry;
    this.recalled += 1;
    return learned;
  }

  learn(file: string, stats: Stats, learned: Learned): void {
    this.changed = true;
    if (changedRecently(stats, this.now())) return;
    this.next[file] = statRecord(stats, learned);
  }

  /**
   * Write what this run knows (atomically), unless it is what the cache held already; files no
   * longer listed are dropped. A cache that cannot be written is simply not kept.
   */
  save(): void {
    const held = this.old ? Object.keys(this.old.files).length : -1;
    if (!this.changed && this.recalled === held) return;
    const pack: Pack = { format: FORMAT, version: this.version, files: this.next };
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileAtomic.sync(this.file, JSON.stringify(pack));
    } catch {
      // read-only repository or full disk: the next run reads every file again
    }
  }
}
