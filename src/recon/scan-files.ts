import { closeSync, lstatSync, openSync, readFileSync, readSync, type Stats } from 'node:fs';
import path from 'node:path';
import { isBinaryFileSync } from 'isbinaryfile';
import type { SkippedFile, SourceFile } from '../core/types.ts';
import { roleOf } from './file-role.ts';
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

/**
 * Called with the decoded text of each listed file that was read whole. `exact` is false when it
 * differs from `readFileSync(file, 'utf8')`: the decoder drops a leading byte-order mark.
 */
export type TextVisitor = (file: SourceFile, text: string, exact: boolean) => void;

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

/** The audited language an extensionless program's `#!` line names, if any. */
function shebangLanguage(head: Buffer): { language: 'javascript' | 'python'; name: string } | undefined {
  const interpreter = SHEBANG.exec(head.subarray(0, 200).toString('latin1'))?.[1];
  if (!interpreter) return undefined;
  return interpreter === 'node'
    ? { language: 'javascript', name: 'JavaScript' }
    : { language: 'python', name: 'Python' };
}

type Classified =
  | { kind: 'file'; file: SourceFile; text?: string; exact?: boolean }
  | { kind: 'skip'; reason: SkipReason }
  | undefined;

function classify(root: string, relative: string): Classified {
  const absolute = path.join(root, relative);
  let stats: Stats;
  try {
    stats = lstatSync(absolute);
  } catch (error) {
    // Tracked but deleted in the work tree: nothing to list.
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    return { kind: 'skip', reason: 'unreadable' };
  }
  if (stats.isSymbolicLink()) return { kind: 'skip', reason: 'symlink' };
  // A directory in the file list is a submodule: someone else's code.
  if (stats.isDirectory()) return { kind: 'skip', reason: 'vendored' };
  if (!stats.isFile()) return undefined;
  const byName = nameSkipReason(relative);
  if (byName) return { kind: 'skip', reason: byName };
  if (stats.size > MAX_FILE_BYTES) return { kind: 'skip', reason: 'too-large' };

  const file: SourceFile = { path: relative, size: stats.size, role: roleOf(relative) };
  const language = languageOf(relative);
  const languageName = languageNameOf(relative);
  if (language) file.language = language;
  if (languageName) file.languageName = languageName;
  let decode = languageName !== undefined || file.role === 'docs' || file.role === 'config';

  let bytes: Buffer;
  try {
    bytes = decode ? readFileSync(absolute) : readHead(absolute);
    // `bin/handlebars` with `#!/usr/bin/env node`: a program whose name has no extension.
    const interpreter = decode || path.extname(relative) !== '' ? undefined : shebangLanguage(bytes);
    if (interpreter) {
      file.language = interpreter.language;
      file.languageName = interpreter.name;
      decode = true;
      bytes = readFileSync(absolute);
    }
  } catch {
    return { kind: 'skip', reason: 'unreadable' };
  }
  if (looksBinary(bytes)) return { kind: 'skip', reason: 'binary' };
  if (!decode) return { kind: 'file', file };
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { kind: 'skip', reason: 'invalid-utf8' };
  }
  const byContent = textSkipReason(relative, text);
  if (byContent) return { kind: 'skip', reason: byContent };
  // TextDecoder drops a UTF-8 byte-order mark (EF BB BF); readFileSync keeps it.
  const exact = !(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf);
  return { kind: 'file', file, text, exact };
}

/**
 * Classify each path: list it as a source file (language, role) or skip it with a reason.
 * Each file is read at most once; `visit` sees the text of every file that was read whole.
 */
export function scanFiles(root: string, paths: readonly string[], visit: TextVisitor): ScanResult {
  const files: SourceFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const relative of paths) {
    const result = classify(root, relative);
    if (!result) continue;
    if (result.kind === 'skip') {
      skipped.push({ path: relative, reason: result.reason });
      continue;
    }
    files.push(result.file);
    if (result.text !== undefined) visit(result.file, result.text, result.exact !== false);
  }
  return { files, skipped };
}
