import type { IntentDoc, SourceFile } from '../core/types.ts';
import { baseName } from './languages.ts';
import type { TextStore } from './text-store.ts';

const NAMED_KINDS: Record<string, IntentDoc['kind']> = {
  'context.md': 'context',
  'design.md': 'design',
  'product.md': 'product',
  'agents.md': 'agents',
  'claude.md': 'agents',
  'gemini.md': 'agents',
  'roadmap.md': 'roadmap',
  'architecture.md': 'architecture',
  'contributing.md': 'contributing',
};

/** The kind of intent document a path is, or undefined. */
export function intentKind(file: string): IntentDoc['kind'] | undefined {
  if (!/\.md$/i.test(file)) return undefined;
  const lower = file.toLowerCase();
  if (/^(docs?\/(adr|adrs|decisions|architecture\/decisions)|adr|adrs|decisions)\//.test(lower)) return 'adr';
  const inPlace = !lower.includes('/') || /^(docs?|\.github)\/[^/]+$/.test(lower);
  const name = baseName(lower);
  if (inPlace && Object.hasOwn(NAMED_KINDS, name)) return NAMED_KINDS[name];
  if ((inPlace || lower.startsWith('docs/')) && /(^|[^a-z])prd([^a-z]|$)/.test(name)) return 'prd';
  return undefined;
}

/** The first markdown heading outside code fences and front matter, else the file name. */
export function markdownTitle(file: string, text: string | undefined): string {
  let inFence = false;
  const lines = (text ?? '').split('\n');
  let start = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
    start = end === -1 ? 0 : end + 1;
  }
  for (const line of lines.slice(start)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading?.[1]) return heading[1];
  }
  return baseName(file);
}

/** ADRs, PRDs and the documents that say what the project is for and how to work on it. */
export function findIntentDocs(files: readonly SourceFile[], texts: TextStore): IntentDoc[] {
  const docs: IntentDoc[] = [];
  for (const file of files) {
    const kind = intentKind(file.path);
    if (kind) docs.push({ path: file.path, kind, title: markdownTitle(file.path, texts.get(file.path)) });
  }
  return docs;
}
