import { toml } from '../core/toml.ts';
import type { Manifest, ReconProblem, SourceFile } from '../core/types.ts';
import { jsonErrorLine, jsonErrorMessage } from './json-problem.ts';
import { baseName } from './languages.ts';
import { isRecord, recordAt, stringRecord, stringsOf, type UnknownRecord } from './records.ts';
import type { TextStore } from './text-store.ts';

export interface PackageJson {
  path: string;
  name?: string;
  type?: string;
  packageManager?: string;
  scripts: Record<string, string>;
  /** Names from dependencies, devDependencies, peerDependencies and optionalDependencies. */
  dependencies: Set<string>;
}

export interface ManifestFacts {
  manifests: Manifest[];
  problems: ReconProblem[];
  /** The root package.json, when it parsed. */
  packageJson?: PackageJson;
  /** Every package.json that parsed, root first. */
  packageJsons: PackageJson[];
  /** The root pyproject.toml, when it parsed. */
  pyproject?: UnknownRecord;
  /** Lower-case Python distribution names from the root pyproject and requirements files → the declaring file. */
  pythonDependencies: Map<string, string>;
}

/** The manifest kind of a file name, or undefined. */
export function manifestKind(file: string): Manifest['kind'] | undefined {
  const name = baseName(file);
  if (/^requirements[^/]*\.txt$/i.test(name) || /(^|\/)requirements\/[^/]+\.txt$/i.test(file)) {
    return 'requirements.txt';
  }
  if (name === 'makefile' || name === 'GNUmakefile') return 'Makefile';
  if (name === 'build.gradle.kts') return 'build.gradle';
  const kinds: readonly Manifest['kind'][] = [
    'package.json',
    'pyproject.toml',
    'setup.py',
    'setup.cfg',
    'Pipfile',
    'Makefile',
    'go.mod',
    'Cargo.toml',
    'Gemfile',
    'pom.xml',
    'build.gradle',
  ];
  return kinds.find((kind) => kind === name);
}

function parsePackageJson(file: string, text: string, problems: ReconProblem[]): PackageJson | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = jsonErrorLine(text, message);
    const problem: ReconProblem = { path: file, message: `invalid JSON: ${jsonErrorMessage(message)}` };
    if (line !== undefined) problem.line = line;
    problems.push(problem);
    return undefined;
  }
  if (!isRecord(data)) {
    problems.push({ path: file, line: 1, message: 'package.json is not a JSON object' });
    return undefined;
  }
  const dependencies = new Set<string>();
  for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const name of Object.keys(recordAt(data, key) ?? {})) dependencies.add(name);
  }
  const result: PackageJson = { path: file, scripts: stringRecord(data.scripts), dependencies };
  if (typeof data.name === 'string') result.name = data.name;
  if (typeof data.type === 'string') result.type = data.type;
  if (typeof data.packageManager === 'string') result.packageManager = data.packageManager;
  return result;
}

function parseTomlFile(file: string, text: string, problems: ReconProblem[]): UnknownRecord | undefined {
  try {
    return toml().parse(text);
  } catch (error) {
    const problem: ReconProblem = { path: file, message: 'invalid TOML' };
    if (error instanceof toml().TomlError) {
      problem.line = error.line;
      problem.message = `invalid TOML: ${error.message.split('\n')[0] ?? ''}`.trim();
    }
    problems.push(problem);
    return undefined;
  }
}

/** `requests[socks]>=2.0 ; python_version<"3.8"` → `requests`. */
export function requirementName(spec: string): string | undefined {
  const match = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec);
  return match?.[1]?.toLowerCase().replace(/_/g, '-');
}

function pyprojectDependencies(pyproject: UnknownRecord, into: Map<string, string>): void {
  const add = (specs: unknown) => {
    for (const spec of stringsOf(specs)) {
      const name = requirementName(spec);
      if (name && !into.has(name)) into.set(name, 'pyproject.toml');
    }
  };
  add(recordAt(pyproject, 'project')?.dependencies);
  for (const group of Object.values(recordAt(pyproject, 'project', 'optional-dependencies') ?? {}))
    add(group);
  for (const group of Object.values(recordAt(pyproject, 'dependency-groups') ?? {})) add(group);
  add(recordAt(pyproject, 'tool', 'uv')?.['dev-dependencies']);
  for (const group of Object.values(recordAt(pyproject, 'tool', 'pdm', 'dev-dependencies') ?? {})) add(group);
  const poetry = recordAt(pyproject, 'tool', 'poetry');
  const poetryTables = [recordAt(poetry, 'dependencies'), recordAt(poetry, 'dev-dependencies')];
  for (const group of Object.values(recordAt(poetry, 'group') ?? {}))
    poetryTables.push(recordAt(group, 'dependencies'));
  for (const table of poetryTables) {
    for (const name of Object.keys(table ?? {}))
      if (!into.has(name.toLowerCase())) into.set(name.toLowerCase(), 'pyproject.toml');
  }
}

/** Find manifests among the listed files and parse the ones commands and conventions need. */
export function readManifests(files: readonly SourceFile[], texts: TextStore): ManifestFacts {
  const facts: ManifestFacts = {
    manifests: [],
    problems: [],
    packageJsons: [],
    pythonDependencies: new Map(),
  };
  for (const file of files) {
    if (file.role === 'fixture') continue;
    const kind = manifestKind(file.path);
    if (!kind) continue;
    facts.manifests.push({ path: file.path, kind });
    const isRoot = !file.path.includes('/');
    const text =
      kind === 'package.json' ||
      kind === 'pyproject.toml' ||
      kind === 'Pipfile' ||
      kind === 'Cargo.toml' ||
      (isRoot && kind === 'requirements.txt')
        ? texts.get(file.path)
        : undefined;
    if (text === undefined) continue;
    if (kind === 'package.json') {
      const parsed = parsePackageJson(file.path, text, facts.problems);
      if (!parsed) continue;
      if (isRoot) facts.packageJson = parsed;
      if (isRoot) facts.packageJsons.unshift(parsed);
      else facts.packageJsons.push(parsed);
    } else if (kind === 'requirements.txt') {
      for (const line of text.split('\n')) {
        const name = line.trim().startsWith('-') ? undefined : requirementName(line.replace(/#.*/, ''));
        if (name && !facts.pythonDependencies.has(name)) facts.pythonDependencies.set(name, file.path);
      }
    } else {
      const parsed = parseTomlFile(file.path, text, facts.problems);
      if (parsed && isRoot && kind === 'pyproject.toml') {
        facts.pyproject = parsed;
        pyprojectDependencies(parsed, facts.pythonDependencies);
      }
    }
  }
  return facts;
}
