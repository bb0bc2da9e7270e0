import { closeSync, lstatSync, openSync, readFileSync, readSync, type Stats } from 'node:fs';
import path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { isBinaryFileSync } from 'isbinaryfile';
import { hasErrorCode } from '../core/errors.ts';
import type { SkippedFile, SourceFile } from '../core/types.ts';
import { namedLikeTestOnly, roleOf } from './file-role.ts';
import { languageNameOf, languageOf } from './languages.ts';
import {
  BINARY_SNIFF_BYTES,
  MAX_FILE_BYTES,
  nameSkipReason,
  type SkipReason,
  textSkipReason,
} from './skip-rules.ts';

export interface ScanResult {
  files: SourceFile[];
  skipped: SkippedFile[];
}

/** What the scan sees of the listed files' content. */
export interface TextVisitor {
  /**
   * The decoded text of a listed file that was read whole; returns what to remember of it, a
   * number from 0 to 63 (recon's convention bits), which `remembered` is given when a later scan
   * does not read the file again. `exact` is false when the text differs from
   * `readFileSync(file, 'utf8')`: the decoder drops a leading byte-order mark.
   */
  text(file: SourceFile, text: string, exact: boolean): number;
  /** A listed file the scan did not read: what `text` returned for it in the run that did. */
  remembered(file: SourceFile, facts: number): void;
  /** The stat of every listed regular file, as the scan took it (`lstat`). */
  stat?(file: string, stats: Stats): void;
}

/**
 * What a scan learned from a file's content: why it is skipped, or a number holding what the
 * visitor returned (bits 0-5), the language of its `#!` line (bit 6 node, bit 7 python), and
 * whether a file named like a test holds none (bit 8).
 */
export type Learned = SkipReason | number;

/** Where a scan keeps what it learned from files' content, by their stat (recon-cache.ts). */
export interface ScanMemory {
  /** What an earlier scan learned from the file, when its stat is unchanged since. */
  recall(file: string, stats: Stats): Learned | undefined;
  learn(file: string, stats: Stats, learned: Learned): void;
}

const TEXT_FACTS = 0x3f;
const NODE_SHEBANG = 0x40;
const PYTHON_SHEBANG = 0x80;
/** Named like a test, holding none (see `namedLikeTestOnly`): source. */
const NOT_A_TEST = 0x100;

const decoder = new TextDecoder('utf-8', { fatal: true });

function looksBinary(bytes: Buffer): boolean {
  const head = bytes.subarray(0, BINARY_SNIFF_BYTES);
  return head.includes(0) || isBinaryFileSync(head, head.length);
}

function readHead(absolute: string): Buffer {
  const descriptor = openSync(absolute, 'r');
  try {
    const buffer = Buffer.alloc(BINARY_SNIFF_BYTES);
    const bytesRead = readSync(descriptor, buffer, 0, BINARY_SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    closeSync(descriptor);
  }
}

const SHEBANG = /^#![^\n]*?\b(node|python3?)\b/;

/** The interpreter an extensionless program's `#!` line names, if improve audits its language. */
function shebangInterpreter(head: Buffer): 'node' | 'python' | undefined {
  const interpreter = SHEBANG.exec(head.subarray(0, 200).toString('latin1'))?.[1];
  if (!interpreter) return undefined;
  return interpreter === 'node' ? 'node' : 'python';
}

function setInterpreter(file: SourceFile, interpreter: 'node' | 'python'): void {
  file.language = interpreter === 'node' ? 'javascript' : 'python';
  file.languageName = interpreter === 'node' ? 'JavaScript' : 'Python';
}

type Classified = { kind: 'file'; file: SourceFile } | { kind: 'skip'; reason: SkipReason } | undefined;

/** The outcome of an earlier scan of the file's unchanged content. */
function recalled(file: SourceFile, learned: Learned, visit: TextVisitor): Classified {
  if (typeof learned === 'string') return { kind: 'skip', reason: learned };
  if (learned & NODE_SHEBANG) setInterpreter(file, 'node');
  else if (learned & PYTHON_SHEBANG) setInterpreter(file, 'python');
  if (learned & NOT_A_TEST) file.role = 'source';
  visit.remembered(file, learned & TEXT_FACTS);
  return { kind: 'file', file };
}

function classify(root: string, relative: string, visit: TextVisitor, memory?: ScanMemory): Classified {
  const absolute = path.join(root, relative);
  let stats: Stats;
  try {
    stats = lstatSync(absolute);
  } catch (error) {
    // Tracked but deleted in the work tree: nothing to list.
    if (hasErrorCode(error, 'ENOENT')) return undefined;
    return { kind: 'skip', reason: 'unreadable' };
  }
  if (stats.isSymbolicLink()) return { kind: 'skip', reason: 'symlink' };
  // A directory in the file list is a submodule: someone else's code.
  if (stats.isDirectory()) return { kind: 'skip', reason: 'vendored' };
  if (!stats.isFile()) return undefined;
  visit.stat?.(relative, stats);
  const byName = nameSkipReason(relative);
  if (byName) return { kind: 'skip', reason: byName };
  if (stats.size > MAX_FILE_BYTES) return { kind: 'skip', reason: 'too-large' };

  const file: SourceFile = { path: relative, size: stats.size, role: roleOf(relative) };
  const language = languageOf(relative);
  const languageName = languageNameOf(relative);
  if (language) file.language = language;
  if (languageName) file.languageName = languageName;
  const known = memory?.recall(relative, stats);
  if (known !== undefined) return recalled(file, known, visit);
  const skip = (reason: SkipReason): Classified => {
    memory?.learn(relative, stats, reason);
    return { kind: 'skip', reason };
  };
  let decode = languageName !== undefined || file.role === 'docs' || file.role === 'config';

  let bytes: Buffer;
  let shebang = 0;
  try {
    bytes = decode ? readFileSync(absolute) : readHead(absolute);
    // `bin/handlebars` with `#!/usr/bin/env node`: a program whose name has no extension.
    const interpreter = decode || path.extname(relative) !== '' ? undefined : shebangInterpreter(bytes);
    if (interpreter) {
      setInterpreter(file, interpreter);
      shebang = interpreter === 'node' ? NODE_SHEBANG : PYTHON_SHEBANG;
      decode = true;
      bytes = readFileSync(absolute);
    }
  } catch {
    return { kind: 'skip', reason: 'unreadable' };
  }
  if (looksBinary(bytes)) return skip('binary');
  if (!decode) {
    memory?.learn(relative, stats, 0);
    return { kind: 'file', file };
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return skip('invalid-utf8');
  }
  const byContent = textSkipReason(relative, text);
  if (byContent) return skip(byContent);
  // TextDecoder drops a UTF-8 byte-order mark (EF BB BF); readFileSync keeps it.
  const exact = !(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf);
  const notATest = file.role === 'test' && namedLikeTestOnly(relative, text) ? NOT_A_TEST : 0;
  if (notATest) file.role = 'source';
  const facts = visit.text(file, text, exact) & TEXT_FACTS;
  memory?.learn(relative, stats, facts | shebang | notATest);
  return { kind: 'file', file };
}

/** Where the scan puts each path's outcome. */
function record(result: Classified, relative: string, into: ScanResult): void {
  if (!result) return;
  if (result.kind === 'skip') into.skipped.push({ path: relative, reason: result.reason });
  else into.files.push(result.file);
}

/**
 * Classify each path: list it as a source file (language, role) or skip it with a reason.
 * Each file is read at most once, and not at all when `memory` recalls its unchanged content;
 * `visit` sees the text of every file that was read whole.
 */
export function scanFiles(
  root: string,
  paths: readonly string[],
  visit: TextVisitor,
  memory?: ScanMemory,
): ScanResult {
  const scan: ScanResult = { files: [], skipped: [] };
  for (const relative of paths) record(classify(root, relative, visit, memory), relative, scan);
  return scan;
}

/** How long the scan keeps the thread before it lets waiting I/O through. */
const SLICE_MS = 10;

/**
 * `scanFiles`, letting the event loop run every few milliseconds. Recon starts git commands
 * beside the scan (the history for hotspots; in branch mode, the comparison with the base): their
 * output would otherwise fill its pipe, and git would wait for the whole scan before it goes on.
 */
export async function scanFilesInSlices(
  root: string,
  paths: readonly string[],
  visit: TextVisitor,
  memory?: ScanMemory,
): Promise<ScanResult> {
  const scan: ScanResult = { files: [], skipped: [] };
  let sliceStart = performance.now();
  for (const relative of paths) {
    record(classify(root, relative, visit, memory), relative, scan);
    if (performance.now() - sliceStart < SLICE_MS) continue;
    await setImmediate();
    sliceStart = performance.now();
  }
  return scan;
}
