import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type LineView, redactedLines, redactSource } from '../core/redact.ts';

/**
 * Reads repository files once. Raw text is for detectors; redacted lines are what findings cite.
 * Paths are repo-relative with forward slashes and may not leave the root.
 */
export class RepoReader {
  readonly root: string;
  private readonly texts: Map<string, string | undefined>;
  private readonly redacted = new Map<string, string[] | undefined>();
  private readonly views = new Map<string, LineView | undefined>();

  /** `known`: texts already read from disk this run (by recon), exactly as `read` would return them. */
  constructor(root: string, known?: Map<string, string | undefined>) {
    this.root = root;
    this.texts = known ?? new Map();
  }

  private resolve(file: string): string | undefined {
    const absolute = path.resolve(this.root, file);
    const relative = path.relative(this.root, absolute);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    return absolute;
  }

  read(file: string): string | undefined {
    if (this.texts.has(file)) return this.texts.get(file);
    const absolute = this.resolve(file);
    let text: string | undefined;
    try {
      text = absolute ? readFileSync(absolute, 'utf8') : undefined;
    } catch {
      text = undefined;
    }
    this.texts.set(file, text);
    return text;
  }

  /** Redacted lines of a file, for excerpts. */
  lines(file: string): string[] | undefined {
    if (this.redacted.has(file)) return this.redacted.get(file);
    const text = this.read(file);
    const lines = text === undefined ? undefined : redactSource(text).lines;
    this.redacted.set(file, lines);
    return lines;
  }

  /**
   * Redacted lines of a file for evidence and vetting, each line redacted when first read (see
   * `redactedLines`): the same lines as `lines`, for the cost of the few an excerpt cites.
   */
  excerptLines(file: string): LineView | undefined {
    if (this.views.has(file)) return this.views.get(file);
    const text = this.redacted.has(file) ? undefined : this.read(file);
    const view = this.redacted.get(file) ?? (text === undefined ? undefined : redactedLines(text));
    this.views.set(file, view);
    return view;
  }

  /** Forget a file's raw text once it has been audited, keeping memory bounded on large repos. */
  release(file: string): void {
    this.texts.delete(file);
  }

  /** Forget every raw text (redacted lines stay, for re-reading evidence). */
  releaseAll(): void {
    this.texts.clear();
  }
}
