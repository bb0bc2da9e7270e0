/**
 * What JavaScript/TypeScript module resolution needs from a repository's configuration: tsconfig
 * (or jsconfig) `baseUrl` and `paths`, following relative `extends`, and the packages the
 * repository defines (by package.json `name`, for self-references and workspace imports).
 * Reads only those few files.
 */
import path from 'node:path';
import { isRecord, parseJsonc } from './jsonc.ts';

export type ReadText = (file: string) => string | undefined;

/** tsconfig path aliases; every path is repo-relative ('' is the root). */
export interface PathAliases {
  /** Where non-relative specifiers resolve from, when `baseUrl` is set. */
  baseUrl?: string;
  /** `paths` patterns (at most one `*`), targets already joined with the directory they resolve from. */
  patterns: { key: string; targets: string[] }[];
}

export interface PackageEntry {
  /** Repo-relative folder of the package.json ('' for the root). */
  dir: string;
  name: string;
  manifest: Record<string, unknown>;
}

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];
const MAX_EXTENDS = 5;

function normalise(file: string): string {
  const joined = path.posix.normalize(file);
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

function readOptions(file: string, read: ReadText, depth: number): PathAliases {
  const data = parseJsonc(read(file) ?? '');
  if (!isRecord(data)) return { patterns: [] };
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  const parents = (Array.isArray(data.extends) ? data.extends : [data.extends]).filter(
    (entry): entry is string => typeof entry === 'string' && entry.startsWith('.'),
  );
  const inherited: PathAliases = { patterns: [] };
  for (const parent of depth < MAX_EXTENDS ? parents : []) {
    const target = normalise(path.posix.join(dir, parent));
    const resolved = readOptions(target.endsWith('.json') ? target : `${target}.json`, read, depth + 1);
    if (resolved.baseUrl !== undefined) inherited.baseUrl = resolved.baseUrl;
    if (resolved.patterns.length > 0) inherited.patterns = resolved.patterns;
  }
  const options = isRecord(data.compilerOptions) ? data.compilerOptions : {};
  const baseUrl =
    typeof options.baseUrl === 'string'
      ? normalise(path.posix.join(dir, options.baseUrl))
      : inherited.baseUrl;
  const result: PathAliases = { patterns: inherited.patterns };
  if (baseUrl !== undefined) result.baseUrl = baseUrl;
  if (isRecord(options.paths)) {
    const from = baseUrl ?? dir;
    result.patterns = Object.entries(options.paths).map(([key, targets]) => ({
      key,
      targets: (Array.isArray(targets) ? targets : [])
        .filter((target): target is string => typeof target === 'string')
        .map((target) => normalise(path.posix.join(from, target))),
    }));
  }
  return result;
}

/** Path aliases of the tsconfig/jsconfig nearest to each file, loaded once per config file. */
export class ProjectConfig {
  readonly packages: PackageEntry[];
  private readonly configs = new Map<string, string>();
  private readonly loaded = new Map<string, PathAliases>();
  private readonly read: ReadText;

  constructor(paths: readonly string[], read: ReadText) {
    this.read = read;
    for (const file of paths) {
      const name = path.posix.basename(file);
      const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
      if (CONFIG_NAMES.includes(name) && !this.configs.has(dir)) this.configs.set(dir, file);
    }
    this.packages = paths
      .filter((file) => path.posix.basename(file) === 'package.json')
      .flatMap((file): PackageEntry[] => {
        const data = parseJsonc(read(file) ?? '');
        if (!isRecord(data) || typeof data.name !== 'string' || data.name === '') return [];
        const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
        return [{ dir, name: data.name, manifest: data }];
      });
  }

  /** The aliases that apply to `file`: its nearest tsconfig.json or jsconfig.json. */
  aliasesFor(file: string): PathAliases | undefined {
    let dir = path.posix.dirname(file);
    for (;;) {
      const key = dir === '.' ? '' : dir;
      const config = this.configs.get(key);
      if (config !== undefined) {
        let aliases = this.loaded.get(config);
        if (!aliases) {
          aliases = readOptions(config, this.read, 0);
          this.loaded.set(config, aliases);
        }
        return aliases;
      }
      if (key === '') return undefined;
      dir = path.posix.dirname(dir);
    }
  }

  /** Alias keys without a wildcard: an import of one names no file, so it is searched for as is. */
  exactAliasKeys(): string[] {
    const keys = new Set<string>();
    for (const config of this.configs.values()) {
      for (const pattern of this.aliasesFor(config)?.patterns ?? []) {
        if (!pattern.key.includes('*')) keys.add(pattern.key);
      }
    }
    return [...keys];
  }
}
