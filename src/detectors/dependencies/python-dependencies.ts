import { toml as smolToml } from '../../core/toml.ts';
import type { FileRole } from '../../core/types.ts';
import { baseName, splitLines } from '../dx/find-line.ts';
import type { RepoContext } from '../types.ts';
import { isRecord } from './package-manifests.ts';

/** One Python dependency and the line that declares it. */
export interface PythonDependency {
  /** Normalised (PEP 503): lower case, runs of `-_.` as `-`. */
  name: string;
  line: number;
}

export interface PythonManifest {
  path: string;
  dependencies: PythonDependency[];
}

const SKIPPED_ROLES: ReadonlySet<FileRole> = new Set(['fixture', 'example', 'test', 'vendored', 'generated']);

export function normalisePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function requirementName(spec: string): string | undefined {
  return /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec)?.[1];
}

function fromRequirements(lines: string[]): PythonDependency[] {
  const out: PythonDependency[] = [];
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('-')) return;
    const name = requirementName(trimmed);
    if (name) out.push({ name: normalisePythonName(name), line: index + 1 });
  });
  return out;
}

function collectNames(value: unknown, names: Set<string>, keysAreNames: boolean): void {
  if (typeof value === 'string') {
    const name = requirementName(value);
    if (name) names.add(normalisePythonName(name));
  } else if (Array.isArray(value)) {
    for (const item of value) collectNames(item, names, false);
  } else if (isRecord(value) && keysAreNames) {
    for (const key of Object.keys(value)) if (key !== 'python') names.add(normalisePythonName(key));
  }
}

function fromPyproject(text: string, lines: string[]): PythonDependency[] {
  let toml: unknown;
  try {
    toml = smolToml().parse(text);
  } catch {
    return [];
  }
  if (!isRecord(toml)) return [];
  const names = new Set<string>();
  const project = toml.project;
  if (isRecord(project)) {
    collectNames(project.dependencies, names, false);
    if (isRecord(project['optional-dependencies'])) {
      for (const group of Object.values(project['optional-dependencies'])) collectNames(group, names, false);
    }
  }
  if (isRecord(toml['dependency-groups'])) {
    for (const group of Object.values(toml['dependency-groups'])) collectNames(group, names, false);
  }
  const tool = toml.tool;
  const poetry = isRecord(tool) ? tool.poetry : undefined;
  if (isRecord(poetry)) {
    collectNames(poetry.dependencies, names, true);
    collectNames(poetry['dev-dependencies'], names, true);
    if (isRecord(poetry.group)) {
      for (const group of Object.values(poetry.group)) {
        if (isRecord(group)) collectNames(group.dependencies, names, true);
      }
    }
  }
  const out: PythonDependency[] = [];
  for (const name of [...names].sort()) {
    const index = lines.findIndex((line) => {
      const match = /^\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line);
      return (
        match?.[1] !== undefined && normalisePythonName(match[1]) === name && /["'=<>~!;[,\s]|$/.test(line)
      );
    });
    if (index !== -1) out.push({ name, line: index + 1 });
  }
  return out;
}

/** requirements*.txt and pyproject.toml files of the project with the dependencies they declare. */
export function pythonManifests(context: RepoContext): PythonManifest[] {
  const out: PythonManifest[] = [];
  for (const file of context.profile.files) {
    if (SKIPPED_ROLES.has(file.role)) continue;
    const name = baseName(file.path);
    const isRequirements = /^requirements[\w.-]*\.txt$/i.test(name);
    if (!isRequirements && name !== 'pyproject.toml') continue;
    const text = context.read(file.path);
    if (text === undefined) continue;
    const lines = splitLines(text);
    const dependencies = isRequirements ? fromRequirements(lines) : fromPyproject(text, lines);
    out.push({ path: file.path, dependencies });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
