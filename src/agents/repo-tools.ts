/**
 * Read-only tools over the audited repository, confined to its root and to the files recon
 * listed (so ignored, dependency and build folders stay out). Sensitive files are refused, every
 * line comes redacted, and every result is wrapped as repository data.
 */
import { z } from 'zod';
import type { RepoReader } from '../audit/repo-reader.ts';
import type { RepoProfile } from '../core/types.ts';
import { type AgentTools, defineTool } from '../llm/agent-tool.ts';
import { asData, numbered } from './prompt-data.ts';
import { isSensitivePath } from './sensitive-path.ts';

const MAX_READ_LINES = 200;
const MAX_MATCHES = 60;
const MAX_LINE_CHARS = 300;

/** `./src//a.ts` → `src/a.ts`; undefined for paths that leave the root. */
export function normalisePath(input: string): string | undefined {
  const parts: string[] = [];
  for (const part of input.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  if (input.startsWith('/')) return undefined;
  return parts.join('/');
}

export interface RepoFiles {
  reader: RepoReader;
  /** Repo-relative paths the tools may show. */
  paths: readonly string[];
}

export function repoFiles(profile: RepoProfile, reader: RepoReader): RepoFiles {
  return { reader, paths: profile.files.map((file) => file.path).sort() };
}

type Access = { ok: true; path: string } | { ok: false; message: string };

function access(files: RepoFiles, input: string): Access {
  const file = normalisePath(input);
  if (file === undefined) return { ok: false, message: `refused: ${input} is outside the repository` };
  if (isSensitivePath(file))
    return { ok: false, message: `refused: ${file} may hold credentials and is never shown to a model` };
  if (!files.paths.includes(file))
    return { ok: false, message: `no such file in the audited repository: ${file}` };
  return { ok: true, path: file };
}

function clip(line: string): string {
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line;
}

const DEFINITION = (name: string) =>
  new RegExp(
    String.raw`(?:\b(?:function\*?|class|interface|type|enum|def|const|let|var)\s+${name}\b|^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?${name}\s*[=(:]|\b${name}\s*:\s*(?:async\s*)?(?:function|\())`,
  );

/** The four read-only repository tools, as tool definitions for the model. */
export function repoTools(files: RepoFiles): AgentTools {
  return {
    list_folder: defineTool({
      description:
        'List the files and folders directly inside a folder of the repository ("" or "." for the root). Ignored, dependency and build folders are not listed.',
      inputSchema: z.object({ path: z.string().describe('repo-relative folder path') }),
      run: ({ path }) => {
        const dir = normalisePath(path);
        if (dir === undefined) return `refused: ${path} is outside the repository`;
        const prefix = dir === '' ? '' : `${dir}/`;
        const entries = new Set<string>();
        for (const file of files.paths) {
          if (!file.startsWith(prefix)) continue;
          const rest = file.slice(prefix.length);
          const slash = rest.indexOf('/');
          const entry = slash < 0 ? rest : `${rest.slice(0, slash)}/`;
          entries.add(isSensitivePath(file) && slash < 0 ? `${entry} (sensitive: not readable)` : entry);
        }
        if (entries.size === 0) return `no such folder in the audited repository: ${dir || '.'}`;
        return asData([...entries].sort().join('\n'), { source: dir || '.', kind: 'folder listing' });
      },
    }),
    read_lines: defineTool({
      description: `Read a range of lines of a repository file, numbered (at most ${MAX_READ_LINES} lines per call).`,
      inputSchema: z.object({
        path: z.string(),
        start: z.number().int().min(1).describe('first line, 1-based'),
        end: z.number().int().min(1).describe('last line, inclusive'),
      }),
      run: ({ path, start, end }) => {
        const allowed = access(files, path);
        if (!allowed.ok) return allowed.message;
        const lines = files.reader.lines(allowed.path) ?? [];
        const first = Math.min(start, Math.max(lines.length, 1));
        const last = Math.min(Math.max(end, first), lines.length, first + MAX_READ_LINES - 1);
        const slice = lines.slice(first - 1, last).map(clip);
        const note = last < end && last < lines.length ? ` (cut at ${MAX_READ_LINES} lines)` : '';
        return asData(numbered(slice, first), {
          source: allowed.path,
          lines: `${first}-${last} of ${lines.length}${note}`,
        });
      },
    }),
    search_text: defineTool({
      description: `Search the repository's files for a literal text (case-sensitive), optionally only under a folder. Returns up to ${MAX_MATCHES} matching lines as path:line: text.`,
      inputSchema: z.object({
        text: z.string().min(2),
        folder: z.string().optional().describe('only search under this repo-relative folder'),
      }),
      run: ({ text, folder }) => searchLines(files, folder, (line) => line.includes(text), `"${text}"`),
    }),
    find_symbol: defineTool({
      description:
        'Find where a function, class, method, type, variable or Python def with this exact name is defined. Returns path:line: text.',
      inputSchema: z.object({ name: z.string().regex(/^[A-Za-z_$][\w$]*$/, 'an identifier') }),
      run: ({ name }) => {
        const pattern = DEFINITION(name.replace(/\$/g, '\\$'));
        return searchLines(files, undefined, (line) => pattern.test(line), `a definition of ${name}`);
      },
    }),
  };
}

function searchLines(
  files: RepoFiles,
  folder: string | undefined,
  matches: (line: string) => boolean,
  what: string,
): string {
  const dir = folder === undefined ? '' : normalisePath(folder);
  if (dir === undefined) return `refused: ${folder} is outside the repository`;
  const prefix = dir === '' ? '' : `${dir}/`;
  const found: string[] = [];
  let total = 0;
  for (const file of files.paths) {
    if (!file.startsWith(prefix) || isSensitivePath(file)) continue;
    const lines = files.reader.lines(file);
    if (!lines) continue;
    lines.forEach((line, index) => {
      if (!matches(line)) return;
      total += 1;
      if (found.length < MAX_MATCHES) found.push(`${file}:${index + 1}: ${clip(line.trim())}`);
    });
  }
  if (found.length === 0) return `no match for ${what}${dir ? ` under ${dir}` : ''}`;
  const more = total > found.length ? ` (showing ${found.length} of ${total})` : '';
  return asData(found.join('\n'), { kind: `matches for ${what}${more}` });
}
