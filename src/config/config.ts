import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { UsageError } from '../core/errors.ts';

/** The repository's own `improve` configuration (`.improve.yml`), all optional. */
export interface ImproveConfig {
  /** File the config came from, repo-relative; undefined when there is none. */
  source?: string;
  /** Findings the team has accepted as they are: id → reason. */
  accepted: Map<string, string>;
  /** Extra paths (gitignore syntax) not to audit. */
  ignore: string[];
}

export const CONFIG_FILES = ['.improve.yml', '.improve.yaml', 'improve.config.yml', 'improve.config.yaml'];

const EXAMPLE = `accept:\n  - id: F-1a2b3c4d\n    reason: "the admin tool runs offline; eval input is ours"\nignore:\n  - legacy/**`;

function fail(file: string, what: string): never {
  throw new UsageError(`${file}: ${what}`, `Expected a file shaped like:\n${EXAMPLE}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseConfig(text: string, file: string): ImproveConfig {
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    const line = first.linePos?.[0]?.line;
    fail(file, `invalid YAML${line ? ` at line ${line}` : ''}: ${first.message.split('\n')[0]}`);
  }
  const data: unknown = document.toJS() ?? {};
  if (!isRecord(data)) fail(file, 'the top level must be a mapping');
  const known = new Set(['accept', 'ignore']);
  for (const key of Object.keys(data)) {
    if (!known.has(key)) fail(file, `unknown key "${key}" (known keys: ${[...known].join(', ')})`);
  }
  const accepted = new Map<string, string>();
  const accept = data.accept ?? [];
  if (!Array.isArray(accept)) fail(file, '"accept" must be a list');
  accept.forEach((entry: unknown, index: number) => {
    if (!isRecord(entry) || typeof entry.id !== 'string' || !/^F-[0-9a-f]{8}$/.test(entry.id)) {
      fail(file, `accept[${index}] needs an "id" like F-1a2b3c4d (the finding id from the report or JSON)`);
    }
    if (typeof entry.reason !== 'string' || entry.reason.trim() === '') {
      fail(file, `accept[${index}] (${entry.id}) needs a "reason": say why the finding is accepted`);
    }
    accepted.set(entry.id, entry.reason.trim());
  });
  const ignore = data.ignore ?? [];
  if (!Array.isArray(ignore) || !ignore.every((p): p is string => typeof p === 'string')) {
    fail(file, '"ignore" must be a list of path patterns');
  }
  return { source: file, accepted, ignore };
}

/** Reads the first config file found at the repo root; an empty config when there is none. */
export function loadConfig(root: string): ImproveConfig {
  for (const name of CONFIG_FILES) {
    let text: string;
    try {
      text = readFileSync(path.join(root, name), 'utf8');
    } catch {
      continue;
    }
    return parseConfig(text, name);
  }
  return { accepted: new Map(), ignore: [] };
}
