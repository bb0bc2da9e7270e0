import { jsSpecifiers } from '../../audit/import-specifiers.ts';
import type { Confidence } from '../../core/types.ts';
import { dependencies, isRecord, packageManifests } from '../dependencies/package-manifests.ts';
import { baseName, dirOf } from '../dx/find-line.ts';
import { escapeEre, shellQuote } from '../dx/shell-quote.ts';
import type { RawFinding, RepoContext, RepoDetector } from '../types.ts';
import { entryPoints, isNamedEntry, stemOf } from './entry-points.ts';
import { type ImportGraph, importGraph, isDynamicallyLoaded } from './import-graph.ts';
import {
  aliasTail,
  concludableModules,
  ensureAnyAlias,
  ensureLoaders,
  ensureNamed,
  folderImported,
} from './scoped-graph.ts';

const MAX_LISTED = 10;
/** Folders whose files a JavaScript framework loads by location (Next, Remix, SvelteKit, Nuxt, Vercel). */
const JS_CONVENTION_DIR =
  /(?:^|\/)(?:pages|routes|api|app|server|functions|middleware|plugins|composables|layouts)\//;
/** Folders whose files a framework, tool or person runs directly. */
const CONVENTION_DIR =
  /(?:^|\/)(?:bin|scripts?|tools?|tasks|migrations?|seeds?|seeders|commands|management|templatetags|workers?|public|static|e2e|cypress|playwright|bench(?:marks?)?|benchmark|docs?|examples?|demos?|stories|\.storybook|\.github|\.husky|alembic|hooks|jobs|cron|lambdas?|handlers|netlify|supabase|deploy|config|settings)\//i;
/** File names a runtime, framework or tool picks up by name. */
const CONVENTION_NAME =
  /^(?:index|main|app|server|cli|worker|entry|bootstrap|start|run|setup|manage|wsgi|asgi|conftest|__main__|__init__|settings|urls|admin|apps|models|signals|context_processors|tasks|celery|fabfile|noxfile|tasks|env|handler|lambda_function|middleware|instrumentation|sw|service-?worker|polyfills?|setupTests|setupProxy|global-setup|global-teardown|vite-env|next-env|remix\.env|_app|_document|_middleware|\+[\w.-]+|gulpfile|gruntfile|jakefile|webpack|rollup|vite|babel|jest|vitest|karma|eslint|prettier|postcss|tailwind|commitlint)(?:\.[\w-]+)*$/i;
const SKIP_FILE = /\.d\.[cm]?ts$|\.(?:stories|story|test|spec|bench|e2e|config|setup)\.[^.]+$/;

function removedOrImportedCheck(file: string): string {
  const stem = baseName(stemOf(file));
  const pattern = file.endsWith('.py')
    ? `(from|import)[[:space:]]+([[:alnum:]_.]*[.])?${escapeEre(stem)}([^[:alnum:]_]|$)|import[[:space:]].*[^[:alnum:]_]${escapeEre(stem)}([^[:alnum:]_]|$)`
    : `['"/]${escapeEre(stem)}(\\.[cm]?[jt]sx?)?['"]`;
  return `{ [ ! -e ${shellQuote(file)} ] || grep -rlsE --exclude-dir=node_modules --exclude-dir=.git -e ${shellQuote(pattern)} . | grep -qvxF ${shellQuote(`./${file}`)}; }`;
}

const JS_MODULE = /\.(?:[cm]?[jt]sx?)$/;

/**
 * The files that generated modules import: they are skipped as generated, but their imports are
 * real (CyberChef's generated `operations/index.mjs` imports its 390 operations).
 */
function importedByGenerated(context: RepoContext, graph: ImportGraph): Set<string> {
  const targets = new Set<string>();
  for (const skipped of context.profile.skipped) {
    if (skipped.reason !== 'generated' || !JS_MODULE.test(skipped.path)) continue;
    for (const specifier of jsSpecifiers(context.read(skipped.path) ?? '')) {
      const resolved = graph.resolver.resolveJs(skipped.path, specifier);
      if (resolved.kind === 'file') targets.add(resolved.target);
    }
  }
  return targets;
}

/** Source files nothing imports, that are not entry points, scripts or framework files. */
/**
 * Whether a short string of the code (a few words, not a sentence) names the file's stem as an item
 * of a list or option value (Glance's `sample_default='[no_op]'`, `'plugins = a,b'`). Only
 * distinctive stems: a generic one (`utils`, `base`) is a word of many strings.
 */
function namedInString(strings: ReadonlyMap<string, number>, stem: string): boolean {
  if (stem.length < 5 && !stem.includes('_')) return false;
  const word = new RegExp(
    `(?:^|[\\[\\s,;:='"])${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[\\]\\s,;:'"])`,
  );
  for (const value of strings.keys())
    if (value !== stem && value.includes(stem) && value.split(/\s+/).length <= 4 && word.test(value))
      return true;
  return false;
}

/**
 * Whether a module re-exports another wholesale and warns that it is deprecated (Falcon's
 * `api_helpers.py`: `from .app_helpers import *` and `warnings.warn('… was renamed …')`): kept so
 * that old imports by its users keep working, which nothing in the repository needs.
 */
function deprecatedShim(text: string): boolean {
  if (
    /^\s*(?:from\s+\S+\s+import\s+\*|export\s+\*\s+from\s)/m.test(text) &&
    /\bwarn(?:ings\.warn)?\s*\(|@deprecated\b/.test(text) &&
    /deprecat|renamed|moved to/i.test(text)
  )
    return true;
  // Social Auth's `config.py`: `# For backward compatibility. You should use … the apps module`
  // over a single re-export.
  const code = text.split('\n').filter((line) => line.trim() !== '' && !/^\s*(?:#|\/\/)/.test(line));
  return (
    /^\s*(?:#|\/\/).*\b(?:backwards? compat\w*|deprecated)\b/im.test(text) &&
    code.length > 0 &&
    code.every((line) => /^(?:from\s+\S+\s+import\s|import\s|export\s.*\bfrom\s)/.test(line.trim()))
  );
}

/**
 * Whether a Python module only sets UPPER_CASE names (besides imports and its docstring): a
 * settings file that a framework finds and loads by itself (Horizon's pluggable
 * `enabled/_1721_dns_zones_panel.py`, a Django settings module), not a module to import.
 */
function settingsOnly(text: string): boolean {
  const code = text
    .replace(/("""|''')[\s\S]*?\1/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^\s*#/.test(line));
  const tops = code.filter((line) => !/^\s/.test(line) && !/^[)\]}]/.test(line));
  return (
    tops.length > 0 &&
    tops.some((line) => /^[A-Z][A-Z0-9_]*\s*=/.test(line)) &&
    tops.every((line) => /^[A-Z][A-Z0-9_]*\s*=|^(?:from\s+\S+\s+)?import\s/.test(line))
  );
}

export const unusedFile: RepoDetector = {
  id: 'tech-debt/unused-file',
  category: 'tech-debt',
  scope: 'repo',
  title: 'Source files nothing imports',
  description:
    'No file in the repository imports these source files, and they are not entry points (package.json `main`/`bin`/`exports`, scripts, framework folders, programs with a `__main__` guard or shebang). Dead files still cost: they are read, searched, refactored and kept compiling by everyone, and they suggest features that no longer run.',
  impact: 'LOW',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Deleting a file nothing imports changes no behaviour, unless something loads it by a computed name; the tests and the build catch that.',
  confidence: 'LOW',
  fixSketch:
    'For each file, search the repository for its name (a plugin loader, a build config or a script may use it by string). If nothing uses it, delete it; if it is meant to be used, import it where it belongs or add it to the entry points.',
  steps: [
    'For each listed file, search the whole repository (including configuration, scripts and docs) for its file name without extension.',
    'If a loader, script or config uses it by name, leave it and add `improve-ignore tech-debt/unused-file: <who loads it>` as a comment on its first line.',
    'Otherwise delete the file (and its now-unused test or fixture, if one exists only for it).',
    'Run the build, typecheck and test commands; all must pass. Then run the done check.',
  ],
  quick: false,
  check(context) {
    const graph = importGraph(context);
    const importedDirs = new Map<string, boolean>();
    const dirImported = (dir: string) => {
      if (!importedDirs.has(dir)) importedDirs.set(dir, folderImported(context, graph, dir));
      return importedDirs.get(dir) === true;
    };
    const byConfidence: Record<'MED' | 'LOW', string[]> = { MED: [], LOW: [] };
    let aliasTails: Set<string> | undefined;
    let generated: Set<string> | undefined;
    for (const module of concludableModules(context, graph)) {
      const file = module.path;
      if (module.role !== 'source' || graph.importers.has(file)) continue;
      const name = baseName(file);
      const stem = stemOf(name);
      if (SKIP_FILE.test(name) || CONVENTION_NAME.test(stem) || CONVENTION_DIR.test(file)) continue;
      if (module.language !== 'python' && JS_CONVENTION_DIR.test(file)) continue;
      if (module.facts.script) continue;
      // Branch mode: index what may name or load this file first (no-ops otherwise).
      ensureNamed(context, file);
      ensureLoaders(context);
      const entries = entryPoints(context);
      if (isNamedEntry(entries, file) || isDynamicallyLoaded(graph, file)) continue;
      generated ??= importedByGenerated(context, graph);
      if (generated.has(file)) continue;
      const tail = stemOf(file).split('/').slice(-2).join('/');
      aliasTails ??= new Set([
        ...graph.unresolved.map((edge) => aliasTail(edge.ref.specifier)),
        ...undeclaredScopeTails(context, graph),
      ]);
      if ([...aliasTails].some((alias) => tail.endsWith(alias) || alias.endsWith(stem))) continue;
      // A folder none of whose files is imported is a set of standalone programs, not dead code.
      if (!dirImported(dirOf(file))) continue;
      const mentioned =
        entries.mentionedNames.has(stem) ||
        (graph.index.strings.get(stem) ?? 0) > 0 ||
        namedInString(graph.index.strings, stem);
      // An installed package ships without its tests, which may be what imports a file.
      const confidence: Confidence =
        mentioned ||
        entries.deepImportable(file) ||
        entries.unseenPlugins(file) ||
        (module.language === 'python' && settingsOnly(context.read(file) ?? '')) ||
        deprecatedShim(context.read(file) ?? '') ||
        context.profile.publishedPackage ||
        anyUnresolvedAlias(context, graph)
          ? 'LOW'
          : 'MED';
      byConfidence[confidence === 'MED' ? 'MED' : 'LOW'].push(file);
    }
    const out: RawFinding[] = [];
    for (const confidence of ['MED', 'LOW'] as const) {
      const files = byConfidence[confidence].sort();
      if (files.length === 0) continue;
      const listed = files.slice(0, MAX_LISTED);
      const [first = '', ...rest] = listed;
      const more = files.length > MAX_LISTED ? `, and ${files.length - MAX_LISTED} more` : '';
      out.push({
        file: first,
        startLine: 1,
        endLine: 1,
        related: rest.map((file) => ({ file, startLine: 1, endLine: 1 })),
        title:
          files.length === 1
            ? `${first} is imported by nothing`
            : `${files.length} source files are imported by nothing${confidence === 'LOW' ? ' (may be loaded by name)' : ''}`,
        message:
          files.length === 1
            ? `Nothing imports ${first}, and it is not an entry point, a script or a framework file.${
                confidence === 'LOW'
                  ? ' It may still be loaded by name (a string in the code or config, a deep import by a package consumer), so check before deleting.'
                  : ' Its name appears in no string or configuration either.'
              }`
            : `Nothing imports ${listed.join(', ')}${more}, and none of them is an entry point, a script or a framework file.${
                confidence === 'LOW'
                  ? ' Some may still be loaded by name (a string in the code or config, a deep import by a package consumer), so check each before deleting.'
                  : ' Their names appear in no string or configuration either.'
              }`,
        confidence,
        key: `unused-files:${confidence}`,
        doneCheck: listed.map(removedOrImportedCheck).join(' && '),
      });
    }
    return out;
  },
};

/**
 * Tails of `@scope/…` imports where no manifest declares a package of that scope: aliases a
 * framework provides, which read as packages (Docusaurus's `@theme/CodeBlock/Content/Element`,
 * `@site/…`, `@generated/…`). Like an unresolved alias, each may name a file of the repository.
 */
function undeclaredScopeTails(context: RepoContext, graph: ImportGraph): string[] {
  const scopes = new Set(
    packageManifests(context).flatMap((manifest) => {
      const peers = manifest.json.peerDependencies;
      const names = [...dependencies(manifest).keys(), ...(isRecord(peers) ? Object.keys(peers) : [])];
      return names.flatMap((name) => (name.startsWith('@') ? [name.split('/')[0]] : []));
    }),
  );
  const tails: string[] = [];
  for (const edges of graph.edges.values())
    for (const edge of edges)
      if (edge.package?.startsWith('@') && !scopes.has(edge.package.split('/')[0]))
        tails.push(aliasTail(edge.ref.specifier));
  return tails;
}

/** Whether some import goes through an alias nobody configured (branch mode: searched for first). */
function anyUnresolvedAlias(context: RepoContext, graph: ImportGraph): boolean {
  ensureAnyAlias(context);
  return graph.unresolved.length > 0;
}
