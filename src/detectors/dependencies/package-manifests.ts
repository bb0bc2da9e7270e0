import path from 'node:path';
import type { FileRole } from '../../core/types.ts';
import { findLine, splitLines } from '../dx/find-line.ts';
import { escapeRegExp } from '../dx/shell-quote.ts';
import { importGraph } from '../tech-debt/import-graph.ts';
import type { RepoContext } from '../types.ts';

/** A parsed package.json with its text, for citing lines. */
export interface PackageManifest {
  path: string;
  /** Folder of the manifest ('' at the root). */
  dir: string;
  lines: string[];
  json: Record<string, unknown>;
}

export const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

const SKIPPED_ROLES: ReadonlySet<FileRole> = new Set(['fixture', 'example', 'test', 'vendored', 'generated']);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPackageJson(file: string): boolean {
  return (file === 'package.json' || file.endsWith('/package.json')) && !file.includes('node_modules/');
}

/** A name with a placeholder a generator fills in: `{{ name }}`, `<%= name %>`, `${name}`, `__NAME__`. */
const PLACEHOLDER_NAME = /\{\{|\{%|<%|\$\{|__[A-Z][A-Z_]*__/;

/**
 * A package.json that is a template for projects the code generates (Budibase's
 * `appDirectoryTemplate/package.json`, named `{{ name }}`): its dependencies are the generated
 * project's, not this repository's.
 */
function isTemplate(json: Record<string, unknown>): boolean {
  return typeof json.name === 'string' && PLACEHOLDER_NAME.test(json.name);
}

/** Every package.json of the project itself (not fixtures, examples, templates or vendored code) that parses. */
export function packageManifests(context: RepoContext): PackageManifest[] {
  const roles = new Map(context.profile.files.map((file) => [file.path, file.role]));
  const paths = new Set<string>();
  for (const manifest of context.profile.manifests) {
    if (manifest.kind === 'package.json') paths.add(manifest.path);
  }
  for (const file of context.profile.files) if (isPackageJson(file.path)) paths.add(file.path);
  const out: PackageManifest[] = [];
  for (const path of [...paths].sort()) {
    const role = roles.get(path);
    if (!isPackageJson(path) || (role && SKIPPED_ROLES.has(role))) continue;
    const text = context.read(path);
    if (text === undefined) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      continue; // dx/broken-manifest reports files that do not parse
    }
    if (!isRecord(json) || isTemplate(json)) continue;
    const slash = path.lastIndexOf('/');
    out.push({ path, dir: slash === -1 ? '' : path.slice(0, slash), lines: splitLines(text), json });
  }
  return out;
}

/** Declared dependencies (name → version range) across the regular, dev and optional fields. */
export function dependencies(manifest: PackageManifest): Map<string, string> {
  const out = new Map<string, string>();
  for (const field of DEPENDENCY_FIELDS) {
    const section = manifest.json[field];
    if (!isRecord(section)) continue;
    for (const [name, range] of Object.entries(section)) {
      if (!out.has(name)) out.set(name, typeof range === 'string' ? range : '');
    }
  }
  return out;
}

/** 1-based line of a top-level key such as `"scripts"`, or undefined. */
export function keyLine(manifest: PackageManifest, key: string): number | undefined {
  return findLine(manifest.lines, new RegExp(`^\\s*"${escapeRegExp(key)}"\\s*:`));
}

/** 1-based line where `name` is declared inside one of the dependency fields. */
export function dependencyLine(manifest: PackageManifest, name: string): number | undefined {
  const entry = new RegExp(`^\\s*"${escapeRegExp(name)}"\\s*:`);
  for (const field of DEPENDENCY_FIELDS) {
    const start = keyLine(manifest, field);
    if (start === undefined) continue;
    for (let index = start; index < manifest.lines.length; index += 1) {
      const line = manifest.lines[index] ?? '';
      if (entry.test(line)) return index + 1;
      if (/^\s*}/.test(line)) break;
    }
  }
  return undefined;
}

/** The manifest's scripts, or an empty record. */
export function scripts(manifest: PackageManifest): Record<string, string> {
  const section = manifest.json.scripts;
  const out: Record<string, string> = {};
  if (!isRecord(section)) return out;
  for (const [name, value] of Object.entries(section)) if (typeof value === 'string') out[name] = value;
  return out;
}

/** `main`, `module`, `browser`, `bin` and `exports` targets of a package.json, as written. */
export function entryTargets(json: Record<string, unknown>): string[] {
  const out: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (isRecord(value)) Object.values(value).forEach(collect);
  };
  for (const field of ['main', 'module', 'browser', 'bin', 'exports']) collect(json[field]);
  return out;
}

/**
 * Whether an entry point of the package sits in a folder recon skipped as build output
 * (verdaccio's `"main": "build/index.js"`): what the package exports and imports there was built
 * by a tool and not read.
 */
export function entryInBuildOutput(context: RepoContext, manifest: PackageManifest): boolean {
  const base = manifest.dir === '' ? '' : `${manifest.dir}/`;
  const built = context.profile.skipped
    .filter((entry) => entry.reason === 'build-output' && entry.path.startsWith(base))
    .map((entry) => entry.path);
  if (built.length === 0) return false;
  return entryTargets(manifest.json).some((entry) => {
    const file = path.posix.normalize(`${base}${entry}`);
    return built.some((dir) => file === dir || file.startsWith(`${dir}/`));
  });
}

/** At most this many importing files are cited beside a dependency's manifest line. */
const MAX_IMPORTERS = 10;

/**
 * The code files under a manifest's folder that import `name`, cited at their first line naming
 * it: where a plan to replace or remove the package must make its changes, so they are in its scope.
 */
export function importersOf(
  context: RepoContext,
  manifest: Pick<PackageManifest, 'dir'>,
  name: string,
): { file: string; startLine: number; endLine: number }[] {
  const files = [...(importGraph(context).packages.get(name) ?? [])]
    .filter((file) => manifest.dir === '' || file.startsWith(`${manifest.dir}/`))
    .sort()
    .slice(0, MAX_IMPORTERS);
  const quoted = new RegExp(`['"\`]${escapeRegExp(name)}`);
  return files.map((file) => {
    const line = findLine(splitLines(context.read(file) ?? ''), quoted) ?? 1;
    return { file, startLine: line, endLine: line };
  });
}
