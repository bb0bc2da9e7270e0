import { jsSpecifiers, pythonImports } from '../../audit/import-specifiers.ts';
import { isRecord, type PackageManifest, packageManifests } from '../dependencies/package-manifests.ts';
import { joinPath } from '../dx/find-line.ts';
import type { RepoContext } from '../types.ts';
import { SUBSTITUTION } from './code-scan.ts';
import { importGraph } from './import-graph.ts';
import { packageName } from './module-resolver.ts';
import { memoized, profileMemo } from './profile-memo.ts';

/** Everything that shows a package is used without a plain import. */
export interface DependencyUsage {
  /** Words in scripts, CI, container, task-runner, style and config files (commands, plugin names). */
  tokens: Set<string>;
  /**
   * Package names that appear as a string literal in code (`require.resolve('x')`, `client: 'pg'`),
   * or that generated code imports.
   */
  strings: Set<string>;
  /** Python: first dotted segment of every string literal, lower case (`INSTALLED_APPS`). */
  stringHeads: Set<string>;
}

/**
 * Files whose words can name a package or its command, besides code; and declaration files
 * (`types/models.d.ts` importing `@standard-schema/spec` in mongoose), which the code index leaves
 * out but whose imports use the package for its types.
 */
const TOKEN_FILE =
  /(?:^|\/)(?:Dockerfile[^/]*|Procfile|Makefile|Justfile|Taskfile[^/]*|[^/]+\.(?:ya?ml|toml|cfg|ini|json|jsonc|json5|html?|sh|css|scss|sass|less|vue|svelte|astro|mdx|conf|txt|d\.[cm]?ts)|\.[^/]*rc(?:\.[a-z]+)?|\.husky\/[^/]+)$/i;
const PACKAGE_SHAPE = /^(?:@[\w.-]+\/)?[\w.-]+(?:\/[\w./-]*)?$/;
const SPLIT = /[^\w@./:+-]+/;

function addWords(tokens: Set<string>, text: string): void {
  for (const word of text.split(SPLIT)) {
    if (word === '') continue;
    tokens.add(word);
    const bare = word.replace(/^[~.:/]+|[.:,]+$/g, '');
    if (PACKAGE_SHAPE.test(bare)) {
      tokens.add(bare);
      tokens.add(packageName(bare));
    }
  }
}

/** package.json without its dependency lists: what remains names tools, presets and plugins. */
function manifestWithoutDependencies(manifest: PackageManifest): string {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(manifest.json)) {
    if (
      !/^(?:dependencies|devDependencies|optionalDependencies|peerDependencies|peerDependenciesMeta|bundledDependencies|bundleDependencies|resolutions|overrides)$/.test(
        key,
      )
    )
      rest[key] = value;
  }
  return JSON.stringify(rest);
}

const cache = profileMemo<DependencyUsage>();

/** Gather usage evidence once per profile. */
export function dependencyUsage(context: RepoContext): DependencyUsage {
  return memoized(cache, context, buildDependencyUsage);
}

function buildDependencyUsage(context: RepoContext): DependencyUsage {
  const tokens = new Set<string>();
  const manifests = packageManifests(context);
  const manifestPaths = new Set(manifests.map((m) => m.path));
  for (const manifest of manifests) addWords(tokens, manifestWithoutDependencies(manifest));
  for (const file of context.profile.files) {
    if (manifestPaths.has(file.path) || file.path.includes('node_modules/') || file.size > 500_000) continue;
    if (
      /(?:^|\/)(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|uv\.lock|Pipfile\.lock)$/.test(
        file.path,
      )
    )
      continue;
    if (/(?:^|\/)requirements[^/]*\.txt$|(?:^|\/)pyproject\.toml$/.test(file.path)) continue;
    if (!TOKEN_FILE.test(file.path)) continue;
    const text = context.read(file.path);
    if (text !== undefined) addWords(tokens, text);
  }
  for (const pyproject of context.profile.files.filter((f) => /(?:^|\/)pyproject\.toml$/.test(f.path))) {
    // Tool sections (`[tool.pytest.ini_options] addopts`, plugins) name packages; dependency lists do not count.
    const text = context.read(pyproject.path) ?? '';
    const tools = text
      .split(/^\[/m)
      .filter(
        (section) =>
          section.startsWith('tool.') &&
          !/^tool\.poetry\.(?:dev-)?dependencies|^tool\.poetry\.group/.test(section),
      );
    for (const section of tools) addWords(tokens, section);
  }
  const strings = new Set<string>();
  const stringHeads = new Set<string>();
  for (const value of importGraph(context).index.strings.keys()) {
    if (PACKAGE_SHAPE.test(value) && value.length <= 80) strings.add(packageName(value));
    // `infima/dist/css/default/default${rtl}.css`: a path into a package, built at run time.
    const built = value.includes(SUBSTITUTION) ? value.slice(0, value.indexOf(SUBSTITUTION)) : '';
    if (built.includes('/') && !/^[./]/.test(built) && PACKAGE_SHAPE.test(built))
      strings.add(packageName(built));
    const head = /^[A-Za-z_][\w]*/.exec(value)?.[0];
    if (head) stringHeads.add(head.toLowerCase());
  }
  addGeneratedImports(context, tokens, strings);
  const usage: DependencyUsage = { tokens, strings, stringHeads };
  return usage;
}

const JS_CODE = /\.(?:[cm]?[jt]sx?)$/;

/**
 * Generated code (`*_pb2.py`, a compiled validator marked `@generated`) is not audited, so the
 * import graph leaves it out, but it runs: a package only it imports (protobuf for `*_pb2.py`) is
 * used. JavaScript packages go to `strings`, Python top-level modules to `tokens`.
 */
function addGeneratedImports(context: RepoContext, tokens: Set<string>, strings: Set<string>): void {
  for (const skipped of context.profile.skipped) {
    if (skipped.reason !== 'generated') continue;
    const python = skipped.path.endsWith('.py');
    if (!python && !JS_CODE.test(skipped.path)) continue;
    const text = context.read(skipped.path);
    if (text === undefined || text.length > 1_000_000) continue;
    if (python) {
      for (const { level, module } of pythonImports(text))
        if (level === 0 && module !== '') tokens.add(module.split('.')[0] ?? module);
    } else {
      for (const specifier of jsSpecifiers(text))
        if (!/^[./]|^node:/.test(specifier)) strings.add(packageName(specifier));
    }
  }
}

function installedManifest(
  context: RepoContext,
  dir: string,
  name: string,
): Record<string, unknown> | undefined {
  for (const base of dir === '' ? [''] : [dir, '']) {
    const text = context.read(joinPath(joinPath(base, 'node_modules'), `${name}/package.json`));
    if (text === undefined) continue;
    try {
      const json: unknown = JSON.parse(text);
      return isRecord(json) ? json : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Command names a package installs: from its installed package.json when present, else a guess. */
export function binNames(context: RepoContext, dir: string, name: string): string[] {
  const out = new Set<string>([name.replace(/^@[^/]+\//, '')]);
  const bin = installedManifest(context, dir, name)?.bin;
  if (isRecord(bin)) for (const key of Object.keys(bin)) out.add(key);
  return [...out];
}

/** Packages that installed dependencies declare as peers: the project provides them on purpose. */
export function peersOf(context: RepoContext, dir: string, names: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const name of names) {
    const peers = installedManifest(context, dir, name)?.peerDependencies;
    if (isRecord(peers)) for (const peer of Object.keys(peers)) out.add(peer);
  }
  return out;
}
