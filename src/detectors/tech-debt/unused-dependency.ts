import { isBuiltin } from 'node:module';
import { jsSpecifiers } from '../../audit/import-specifiers.ts';
import type { Confidence, SourceFile } from '../../core/types.ts';
import {
  DEPENDENCY_FIELDS,
  dependencyLine,
  entryInBuildOutput,
  isRecord,
  type PackageManifest,
  packageManifests,
} from '../dependencies/package-manifests.ts';
import { pythonManifests } from '../dependencies/python-dependencies.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import type { RawFinding, RepoContext, RepoDetector } from '../types.ts';
import { binNames, dependencyUsage, peersOf } from './dependency-usage.ts';
import { importGraph } from './import-graph.ts';
import { packageName } from './module-resolver.ts';
import { pythonModuleNames } from './python-module-names.ts';
import { wholeRepository } from './scoped-graph.ts';

const MAX_LISTED = 8;

/** npm packages used by convention (types, plugins, presets, loaders, runtimes a tool injects). */
const NPM_IMPLICIT =
  /^(?:@types\/.*|typescript|tslib|@tsconfig\/.*|(?:@[^/]+\/)?eslint-(?:plugin|config)(?:-.*)?|@[^/]+\/eslint-plugin.*|(?:@[^/]+\/)?prettier-(?:plugin|config)(?:-.*)?|(?:@[^/]+\/)?babel-(?:preset|plugin)-.*|@babel\/.*|postcss(?:-.*)?|autoprefixer|tailwindcss|@tailwindcss\/.*|(?:@[^/]+\/)?stylelint-.*|@commitlint\/.*|husky|lint-staged|.*-loader|karma-.*|jest-.*|@jest\/.*|ts-jest|ts-node|tsx|@swc\/.*|vite-plugin-.*|@vitejs\/.*|rollup-plugin-.*|@rollup\/plugin-.*|webpack-cli|nodemon|concurrently|cross-env|rimraf|npm-run-all2?|core-js|regenerator-runtime|@testing-library\/jest-dom|pg-hstore|sqlite3|mysql2?|pg|tedious|oracledb|better-sqlite3|reflect-metadata|source-map-support|dotenv|@next\/.*|eslint|prettier|@biomejs\/biome|node|npm|pnpm|yarn|corepack)$/;
/** Commands that packages install under another name. */
const KNOWN_BINS: Readonly<Record<string, readonly string[]>> = {
  typescript: ['tsc'],
  '@angular/cli': ['ng'],
  '@vue/cli': ['vue'],
  '@nestjs/cli': ['nest'],
  '@playwright/test': ['playwright'],
  '@cucumber/cucumber': ['cucumber-js'],
  '@changesets/cli': ['changeset'],
  'npm-run-all': ['run-s', 'run-p'],
  '@microsoft/api-extractor': ['api-extractor'],
  '@storybook/cli': ['storybook', 'sb'],
};
/** Python packages used as tools, servers, drivers or plugins rather than imported. */
const PYTHON_IMPLICIT =
  /^(?:pytest(?:-.*)?|black|ruff|flake8(?:-.*)?|isort|mypy|pylint(?:-.*)?|coverage|pre-commit|tox|nox|gunicorn|uvicorn|hypercorn|daphne|waitress|twine|build|setuptools|wheel|pip|pip-tools|types-.*|.*-stubs|sphinx(?:-.*)?|mkdocs(?:-.*)?|bandit|safety|pip-audit|ipython|ipdb|ipykernel|jupyter.*|notebook|debugpy|watchdog|honcho|invoke|poethepoet|hatch.*|flit.*|poetry.*|pdm.*|uv|flower|autopep8|yapf|pyright|pytype|psycopg2(?:-binary)?|psycopg(?:-binary)?|mysqlclient|pymysql|asyncpg|aiosqlite|cx-oracle|oracledb|python-dotenv|gevent|eventlet|uvloop|httptools|whitenoise|django-debug-toolbar|django-extensions|gunicorn|supervisor|cython|nuitka|pyinstaller|certifi|setuptools-scm)$/;

function unusedCheck(file: string, names: string[], python: boolean): string {
  const list = names.map(shellQuote).join(' ');
  if (python) {
    return `( for d in ${list}; do grep -qiE "^[[:space:]\\"']*$d([^A-Za-z0-9_.-]|$)" ${shellQuote(file)} && exit 1; done; exit 0 )`;
  }
  const program = `const p=JSON.parse(require("fs").readFileSync(${JSON.stringify(file)},"utf8"));const names=${JSON.stringify(names)};process.exit(names.some((n)=>[${DEPENDENCY_FIELDS.map((f) => `"${f}"`).join(',')}].some((f)=>p[f]&&p[f][n]!==undefined))?1:0)`;
  return `node -e ${shellQuote(program)}`;
}

function finding(
  file: string,
  lines: { name: string; line: number }[],
  confidence: Confidence,
  python: boolean,
): RawFinding {
  const listed = lines.slice(0, MAX_LISTED);
  const [first, ...rest] = listed;
  const names = listed.map((entry) => `\`${entry.name}\``).join(', ');
  const more = lines.length > MAX_LISTED ? ` and ${lines.length - MAX_LISTED} more` : '';
  return {
    file,
    startLine: first?.line ?? 1,
    endLine: first?.line ?? 1,
    related: rest.map((entry) => ({ file, startLine: entry.line, endLine: entry.line })),
    title:
      lines.length === 1
        ? `${first?.name ?? ''} is declared in ${file} but never used`
        : `${lines.length} dependencies in ${file} are never used`,
    message: `${file} declares ${names}${more}, but no file imports ${lines.length === 1 ? 'it' : 'them'} and no script, CI step or configuration file names ${lines.length === 1 ? 'it' : 'them'}.${
      confidence === 'LOW'
        ? ' Some tools are loaded by name or run as commands in ways a static scan cannot see, so confirm each one before removing it.'
        : ''
    } Every unused dependency still costs install time, upgrade work and security exposure.`,
    confidence,
    key: `unused-dependencies:${file}:${confidence}`,
    doneCheck: unusedCheck(
      file,
      listed.map((entry) => entry.name),
      python,
    ),
  };
}

/**
 * A package whose code is only its build output (socket.io from npm: dist/ and a top-level
 * wrapper, no sources): an entry point sits in a skipped build folder and no code in a subfolder
 * of the package was read. Its runtime dependencies are imported by code improve did not read.
 */
function builtOnly(context: RepoContext, manifest: PackageManifest): boolean {
  const { profile } = context;
  const base = manifest.dir === '' ? '' : `${manifest.dir}/`;
  if (!entryInBuildOutput(context, manifest)) return false;
  // `bin/verdaccio` holding only `require('../build/lib/cli')` is a wrapper of the build: it
  // imports no package itself, so it says nothing about where the dependencies are used.
  const modules = importGraph(context).index.modules;
  const importsAPackage = (file: string) =>
    modules
      .get(file)
      ?.facts.imports.some((ref) => !/^[./]/.test(ref.specifier) && !isBuiltin(ref.specifier)) ?? true;
  // `bin/hexo` holding only `require('hexo-cli')()` starts the package; n8n-core's
  // `bin/generate-metadata` is a build step run on the output. Either way, programs in `bin/` say
  // nothing about which dependencies the unread build uses.
  const inBin = (file: SourceFile) => file.path.slice(base.length).startsWith('bin/');
  return !profile.files.some(
    (file) =>
      file.language !== undefined &&
      file.language !== 'python' &&
      file.role === 'source' &&
      file.path.startsWith(base) &&
      file.path.slice(base.length).includes('/') &&
      !inBin(file) &&
      importsAPackage(file.path),
  );
}

/** A bundler or compiler run by a package script. */
const BUILD_TOOL = /\b(?:webpack|rollup|vite|esbuild|parcel|tsc|babel|tsup|swc)\b/;

/**
 * Whether an installed package was built from code it does not ship: a script runs a bundler on
 * a configuration or source folder missing from the tree (Parse Dashboard's `webpack --config
 * webpack/production.config.js` over `src/`, published as prebuilt bundles only). Its
 * dependencies are the bundle's, compiled in: that no shipped file imports them proves nothing.
 */
function builtFromUnshipped(context: RepoContext, manifest: PackageManifest): boolean {
  if (!context.profile.publishedPackage) return false;
  const scripts = isRecord(manifest.json.scripts) ? Object.values(manifest.json.scripts).join('\n') : '';
  if (!BUILD_TOOL.test(scripts)) return false;
  const base = manifest.dir === '' ? '' : `${manifest.dir}/`;
  const paths = context.profile.files.map((file) => file.path);
  const present = (target: string) => {
    const path = `${base}${target.replace(/^\.\//, '').replace(/\/$/, '')}`;
    return paths.some((file) => file === path || file.startsWith(`${path}/`));
  };
  const inputs = [
    ...scripts.matchAll(
      /(?:--config[= ]|\s)(\.?\.?\/?(?:[\w.-]+\/)*[\w.-]+\.config\.[cm]?[jt]s|\.\/src\b|\bsrc\/)/g,
    ),
  ].map((match) => match[1] ?? '');
  return inputs.length > 0 && inputs.every((input) => !present(input));
}

/**
 * Stylesheet compilers nothing imports: bundlers load them for the stylesheets they meet (Vite and
 * Next.js for `.scss`, sass-loader's default implementation), so the stylesheets are their use.
 */
const STYLE_COMPILERS: Readonly<Record<string, RegExp>> = {
  sass: /\.s[ac]ss$/,
  'node-sass': /\.s[ac]ss$/,
  'sass-embedded': /\.s[ac]ss$/,
  less: /\.less$/,
  stylus: /\.styl(?:us)?$/,
};

function npmFindings(context: RepoContext): RawFinding[] {
  const graph = importGraph(context);
  const usage = dependencyUsage(context);
  const out: RawFinding[] = [];
  for (const manifest of packageManifests(context)) {
    const inScope = (importer: string) => manifest.dir === '' || importer.startsWith(`${manifest.dir}/`);
    const peers = isRecord(manifest.json.peerDependencies) ? manifest.json.peerDependencies : {};
    const drivers =
      isRecord(manifest.json.dependencies) &&
      /"(?:knex|sequelize|typeorm|@mikro-orm\/[\w-]+|objection|bookshelf)"/.test(
        JSON.stringify(manifest.json.dependencies),
      );
    const groups: Record<'MED' | 'LOW', { name: string; line: number }[]> = { MED: [], LOW: [] };
    const declared = DEPENDENCY_FIELDS.flatMap((field) => {
      const section = manifest.json[field];
      return isRecord(section) ? Object.keys(section) : [];
    });
    const providedPeers = peersOf(context, manifest.dir, declared);
    // `@docusaurus/Link`, `@docusaurus/Translate`: imports of packages of a scope that nothing
    // declares are aliases a framework package of that scope provides (`@docusaurus/core`, with
    // `@docusaurus/module-type-aliases` typing them), so that scope's declared packages may be in use.
    const aliasScopes = new Set(
      [...graph.packages.entries()]
        .filter(
          ([name, importers]) =>
            name.startsWith('@') && !declared.includes(name) && [...importers].some(inScope),
        )
        .map(([name]) => name.split('/')[0]),
    );
    // `@jsreport/jsreport-core`, `@nestjs/core`: a core package imported here loads the packages of
    // its family (`@jsreport/jsreport-pdf`, `@nestjs/platform-express`) by name, as plugins.
    const families = [...graph.packages.entries()]
      .filter(([name, importers]) => /(?:^|[-/])core$/.test(name) && [...importers].some(inScope))
      .map(([name]) => name.slice(0, -'core'.length))
      .filter((prefix) => prefix !== '' && prefix !== '@');
    const onlyBuilt = builtOnly(context, manifest);
    const unshipped = builtFromUnshipped(context, manifest);
    // Vendored copies are not audited, but what they import is installed for them (Parse
    // Server's `lib/vendor/mongodbUrl.js` requires `punycode`). Read only when a package is left.
    let vendored: Set<string> | undefined;
    const vendoredImport = (name: string) => {
      vendored ??= new Set(
        (context.profile.vendoredCode ?? [])
          .filter(inScope)
          .flatMap((file) => jsSpecifiers(context.read(file) ?? ''))
          .map(packageName),
      );
      return vendored.has(name);
    };
    for (const field of DEPENDENCY_FIELDS) {
      const section = manifest.json[field];
      // An installed package ships without the tests and configs its dev dependencies serve.
      if (!isRecord(section) || (context.profile.publishedPackage && field !== 'dependencies')) continue;
      if (field === 'dependencies' && onlyBuilt) continue;
      for (const name of Object.keys(section).sort()) {
        if (NPM_IMPLICIT.test(name) || name in peers || providedPeers.has(name)) continue;
        if (drivers && /^(?:pg|mysql2?|sqlite3|tedious|oracledb)$/.test(name)) continue;
        const sheets = STYLE_COMPILERS[name];
        if (sheets && context.profile.files.some((file) => inScope(file.path) && sheets.test(file.path)))
          continue;
        const importers = graph.packages.get(name);
        if (importers && [...importers].some(inScope)) continue;
        if (usage.strings.has(name) || usage.tokens.has(name)) continue;
        const bins = [...binNames(context, manifest.dir, name), ...(KNOWN_BINS[name] ?? [])];
        if (bins.some((bin) => usage.tokens.has(bin) || usage.strings.has(bin))) continue;
        const line = dependencyLine(manifest, name);
        if (line === undefined) continue;
        if (vendoredImport(name)) continue;
        const aliased = name.startsWith('@') && aliasScopes.has(name.split('/')[0] ?? '');
        const plugin = families.some((prefix) => name.startsWith(prefix));
        groups[field === 'dependencies' && !aliased && !plugin && !unshipped ? 'MED' : 'LOW'].push({
          name,
          line,
        });
      }
    }
    // `strapi-generate` is imported, and builds `'strapi-generate-' + type` to require the
    // generator asked for: two or more unused packages named after an imported one, plus a
    // suffix, are its plugins (one alone, `express-session` beside `express`, is just unused).
    const suffixed = (name: string) =>
      [...graph.packages.entries()].find(
        ([base, importers]) => name.startsWith(`${base}-`) && [...importers].some(inScope),
      )?.[0];
    const byBase = new Map<string, number>();
    for (const { name } of groups.MED) {
      const base = suffixed(name);
      if (base) byBase.set(base, (byBase.get(base) ?? 0) + 1);
    }
    const loadedByName = (name: string) => (byBase.get(suffixed(name) ?? '') ?? 0) >= 2;
    groups.LOW.push(...groups.MED.filter(({ name }) => loadedByName(name)));
    groups.LOW.sort((a, b) => a.line - b.line);
    groups.MED = groups.MED.filter(({ name }) => !loadedByName(name));
    for (const confidence of ['MED', 'LOW'] as const) {
      if (groups[confidence].length > 0)
        out.push(finding(manifest.path, groups[confidence], confidence, false));
    }
  }
  return out;
}

function pythonFindings(context: RepoContext): RawFinding[] {
  const graph = importGraph(context);
  const usage = dependencyUsage(context);
  const imported = new Set<string>();
  for (const [name, files] of graph.packages) {
    if ([...files].some((file) => graph.index.modules.get(file)?.language === 'python'))
      imported.add(name.toLowerCase());
  }
  const tokens = new Set([...usage.tokens].map((token) => token.toLowerCase()));
  const out: RawFinding[] = [];
  for (const manifest of pythonManifests(context)) {
    const groups: Record<'MED' | 'LOW', { name: string; line: number }[]> = { MED: [], LOW: [] };
    for (const dependency of manifest.dependencies) {
      if (PYTHON_IMPLICIT.test(dependency.name)) continue;
      const { names, direct } = pythonModuleNames(dependency.name);
      const used = names.some(
        (module) => imported.has(module) || usage.stringHeads.has(module) || tokens.has(module),
      );
      if (used || tokens.has(dependency.name)) continue;
      groups[direct ? 'MED' : 'LOW'].push({ name: dependency.name, line: dependency.line });
    }
    for (const confidence of ['MED', 'LOW'] as const) {
      if (groups[confidence].length > 0)
        out.push(finding(manifest.path, groups[confidence], confidence, true));
    }
  }
  return out;
}

/** Dependencies a manifest declares that no code imports and no script or config names. */
export const unusedDependency: RepoDetector = {
  id: 'tech-debt/unused-dependency',
  category: 'tech-debt',
  scope: 'repo',
  title: 'Declared dependency never used',
  description:
    'A dependency is declared in the manifest, but no file imports it and no script, CI step or configuration file names it. It is still installed, audited, upgraded and shipped: install time, upgrade work and security exposure for nothing.',
  impact: 'LOW',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Removing a package nothing imports changes no code path; a tool that loads it by name fails loudly in the build or tests.',
  confidence: 'MED',
  fixSketch:
    'Search the repository for each package name (including configs and scripts). If nothing uses it, remove it with the package manager (`npm uninstall x`, `poetry remove x`, or delete the requirements line) so the lockfile updates too.',
  steps: [
    'For each listed package, search the whole repository for its name and its command name (e.g. `tsc` for `typescript`), including configuration files, CI workflows and scripts.',
    'If something uses it in a way the scan missed (a plugin loaded by name, a CLI run in CI), keep it and add a short note in the manifest’s neighbourhood (README or a comment in the requirements file).',
    'Otherwise remove it with the package manager so the lockfile updates (`npm uninstall <name>`, `pnpm remove <name>`, `yarn remove <name>`, `poetry remove <name>`, or delete the line from requirements.txt).',
    'Run the install, build and test commands; all must pass. Then run the done check.',
  ],
  python: {
    fixSketch:
      'Search the repository for each package’s import name (`beautifulsoup4` is imported as `bs4`, `PyYAML` as `yaml`) and command name, including configs and scripts. If nothing uses it, remove it where it is declared (its line in the requirements file, its entry in pyproject.toml’s dependencies), or with `poetry remove x` / `uv remove x` / `pdm remove x` where the project uses those, so the lockfile updates too.',
    steps: [
      'For each listed package, search the whole repository for its import name, which may differ from the package name (`beautifulsoup4` is imported as `bs4`, `PyYAML` as `yaml`, `python-dateutil` as `dateutil`), and for its command name (e.g. `uvicorn`), including configuration files, CI workflows and scripts.',
      'If something uses it in a way the scan missed (a plugin loaded by name, a server or CLI run in a Procfile, Dockerfile or CI), keep it and add a short comment next to it in the requirements file or a note in the README.',
      'Otherwise remove it where it is declared: delete its line from the requirements file, or its entry from `dependencies` in pyproject.toml; where the project uses Poetry, uv or PDM (a poetry.lock, uv.lock or pdm.lock), run `poetry remove <name>`, `uv remove <name>` or `pdm remove <name>` instead, so the lockfile updates.',
      'Run the install and test commands; both must pass. Then run the done check.',
    ],
  },
  quick: false,
  check(context) {
    // Branch mode: findings cite manifests, so a branch that changes none has nothing to report
    // here; one that does needs every file's imports.
    const scope = context.scope;
    if (scope) {
      const manifests = [...packageManifests(context), ...pythonManifests(context)];
      if (!manifests.some((manifest) => scope.files.has(manifest.path))) return [];
      return unusedDependency.check(wholeRepository(context));
    }
    return [...npmFindings(context), ...pythonFindings(context)];
  },
};
