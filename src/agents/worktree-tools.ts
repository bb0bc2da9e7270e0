/**
 * The builtin executor's tools, confined to one worktree: read, list, search, edit by exact
 * replacement, write, and run a command with a timeout and an output limit. Paths may not leave
 * the worktree (symbolic links included), touch `.git`, or name a credential file; command output
 * is redacted, and commands do not inherit the provider keys.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { redactSource, redactText } from '../core/redact.ts';
import { projectEnv, runProcess } from '../execute/run-process.ts';
import { type AgentTools, defineTool } from '../llm/agent-tool.ts';
import { numbered } from './prompt-data.ts';
import { normalisePath } from './repo-tools.ts';
import { isSensitivePath } from './sensitive-path.ts';

export interface WorktreeToolOptions {
  /** Absolute path of the worktree. */
  root: string;
  commandTimeoutMs?: number;
  /** Characters of a command's output (the end of it) shown to the model. */
  outputLimit?: number;
  signal?: AbortSignal;
  /** Called for every file written and command run, for the executor's record. */
  onAction?: (action: { kind: 'write' | 'run'; detail: string }) => void;
}

const MAX_READ_LINES = 400;
const MAX_MATCHES = 60;
const MAX_FILE_BYTES = 1_000_000;
const SKIP_DIRS = new Set(['.git', 'node_modules', 'dist', 'build', '.venv', '__pycache__']);
/** Environment variables a command in the worktree must not see. */
const SECRET_VARIABLE = /API_KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|PRIVATE_KEY/i;

type Resolved = { ok: true; relative: string; absolute: string } | { ok: false; message: string };

function inside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The nearest existing ancestor's real path must stay inside the worktree's real path. */
export function resolveInWorktree(root: string, input: string): Resolved {
  const relative = normalisePath(input);
  if (relative === undefined) return { ok: false, message: `refused: ${input} is outside the worktree` };
  if (relative.split('/').includes('.git'))
    return { ok: false, message: 'refused: .git is not yours to read or change' };
  if (isSensitivePath(relative)) return { ok: false, message: `refused: ${relative} may hold credentials` };
  const realRoot = realpathSync(root);
  const absolute = path.join(realRoot, relative);
  let probe = absolute;
  while (!existsSync(probe)) probe = path.dirname(probe);
  if (!inside(realRoot, realpathSync(probe)))
    return { ok: false, message: `refused: ${relative} leads outside the worktree` };
  return { ok: true, relative, absolute };
}

function walk(root: string, dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (out.length > 5000) return;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(root, path.join(dir, entry.name), out);
    } else if (entry.isFile()) {
      out.push(path.relative(root, path.join(dir, entry.name)).split(path.sep).join('/'));
    }
  }
}

function readText(absolute: string): string | undefined {
  const stat = statSync(absolute);
  if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
  const text = readFileSync(absolute, 'utf8');
  return text.includes('\0') ? undefined : text;
}

function commandEnv(dir: string): NodeJS.ProcessEnv {
  const env = projectEnv(dir);
  for (const name of Object.keys(env)) if (SECRET_VARIABLE.test(name)) delete env[name];
  return env;
}

export function worktreeTools(options: WorktreeToolOptions): AgentTools {
  const { root } = options;
  const timeout = options.commandTimeoutMs ?? 120_000;
  const limit = options.outputLimit ?? 8000;
  return {
    list_folder: defineTool({
      description: 'List a folder of the worktree ("" for the root).',
      inputSchema: z.object({ path: z.string() }),
      run: ({ path: input }) => {
        const where =
          input === '' || input === '.'
            ? { ok: true as const, relative: '', absolute: realpathSync(root) }
            : resolveInWorktree(root, input);
        if (!where.ok) return where.message;
        if (!existsSync(where.absolute) || !statSync(where.absolute).isDirectory())
          return `not a folder: ${where.relative}`;
        return readdirSync(where.absolute, { withFileTypes: true })
          .filter((e) => e.name !== '.git')
          .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
          .sort()
          .join('\n');
      },
    }),
    read_file: defineTool({
      description: `Read a file of the worktree, numbered; optionally a line range (at most ${MAX_READ_LINES} lines).`,
      inputSchema: z.object({
        path: z.string(),
        start: z.number().int().min(1).optional(),
        end: z.number().int().min(1).optional(),
      }),
      run: ({ path: input, start = 1, end }) => {
        const where = resolveInWorktree(root, input);
        if (!where.ok) return where.message;
        if (!existsSync(where.absolute)) return `no such file: ${where.relative}`;
        const text = readText(where.absolute);
        if (text === undefined) return `not a readable text file: ${where.relative}`;
        const lines = redactSource(text).lines;
        const last = Math.min(end ?? lines.length, lines.length, start + MAX_READ_LINES - 1);
        return numbered(lines.slice(start - 1, last), start);
      },
    }),
    search_text: defineTool({
      description: `Search the worktree's files for a literal text. Up to ${MAX_MATCHES} matches as path:line: text.`,
      inputSchema: z.object({ text: z.string().min(2), folder: z.string().optional() }),
      run: ({ text, folder }) => {
        const base = folder
          ? resolveInWorktree(root, folder)
          : { ok: true as const, relative: '', absolute: realpathSync(root) };
        if (!base.ok) return base.message;
        const files: string[] = [];
        walk(realpathSync(root), base.absolute, files);
        const found: string[] = [];
        for (const file of files.sort()) {
          if (isSensitivePath(file) || found.length >= MAX_MATCHES) continue;
          const content = readText(path.join(realpathSync(root), file));
          if (content === undefined) continue;
          redactSource(content).lines.forEach((line, index) => {
            if (line.includes(text) && found.length < MAX_MATCHES)
              found.push(`${file}:${index + 1}: ${line.trim().slice(0, 300)}`);
          });
        }
        return found.length > 0 ? found.join('\n') : `no match for "${text}"`;
      },
    }),
    edit_file: defineTool({
      description:
        'Replace one exact piece of text in a file. "old" must appear exactly once in the file (copy it exactly, with its indentation, without line numbers).',
      inputSchema: z.object({ path: z.string(), old: z.string().min(1), new: z.string() }),
      run: ({ path: input, old, new: replacement }) => {
        const where = resolveInWorktree(root, input);
        if (!where.ok) return where.message;
        if (!existsSync(where.absolute))
          return `no such file: ${where.relative} (use write_file to create it)`;
        const text = readFileSync(where.absolute, 'utf8');
        const count = text.split(old).length - 1;
        if (count !== 1)
          return `error: "old" appears ${count} times in ${where.relative}; it must appear exactly once`;
        writeFileSync(
          where.absolute,
          text.replace(old, () => replacement),
        );
        options.onAction?.({ kind: 'write', detail: where.relative });
        return `edited ${where.relative}`;
      },
    }),
    write_file: defineTool({
      description: 'Create a file, or replace a whole file, with the given content.',
      inputSchema: z.object({ path: z.string(), content: z.string() }),
      run: ({ path: input, content }) => {
        const where = resolveInWorktree(root, input);
        if (!where.ok) return where.message;
        mkdirSync(path.dirname(where.absolute), { recursive: true });
        writeFileSync(where.absolute, content);
        options.onAction?.({ kind: 'write', detail: where.relative });
        return `wrote ${where.relative} (${content.split('\n').length} lines)`;
      },
    }),
    run_command: defineTool({
      description: `Run a shell command in the worktree root (timeout ${Math.round(timeout / 1000)} s). Returns the exit code and the end of the output.`,
      inputSchema: z.object({ command: z.string().min(1) }),
      run: async ({ command }) => {
        options.onAction?.({ kind: 'run', detail: command });
        const result = await runProcess({
          command: [command],
          shell: true,
          cwd: realpathSync(root),
          env: commandEnv(realpathSync(root)),
          timeoutMs: timeout,
          maxOutputBytes: 5 * 1024 * 1024,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        const output = redactText(`${result.stdout}${result.stderr ? `\n[stderr]\n${result.stderr}` : ''}`);
        const tail = output.length > limit ? `…(cut)\n${output.slice(-limit)}` : output;
        const status = result.timedOut
          ? `timed out after ${Math.round(timeout / 1000)} s`
          : result.startError
            ? `could not start: ${result.startError}`
            : `exit ${result.exitCode ?? 'killed'}`;
        return `${status}${result.outputLimited ? ' (output limit reached)' : ''}\n${tail}`;
      },
    }),
  };
}
