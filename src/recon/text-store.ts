import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Texts recon already decoded, so later steps do not read a file twice. */
export class TextStore {
  readonly root: string;
  private readonly texts = new Map<string, string | undefined>();

  constructor(root: string) {
    this.root = root;
  }

  set(file: string, text: string): void {
    this.texts.set(file, text);
  }

  /** The file's text: from memory when recon kept it, otherwise read once from disk. */
  get(file: string): string | undefined {
    if (this.texts.has(file)) return this.texts.get(file);
    let text: string | undefined;
    try {
      // Without a byte-order mark, like the texts recon decoded (TextDecoder drops it).
      text = readFileSync(path.join(this.root, file), 'utf8').replace(/^\uFEFF/, '');
    } catch {
      text = undefined;
    }
    this.texts.set(file, text);
    return text;
  }
}
