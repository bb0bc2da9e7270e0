/**
 * Which test files `vitest` and `jest` run in a package, read from their configuration as text
 * (`vitest.config.*`/`vite.config.*` `test.include`; `jest.config.*` or package.json `jest`:
 * `testMatch`, `testRegex`, `roots`), never by running it. A configuration that could say
 * something this reading does not see (a spread, a merged or imported config, a preset, projects,
 * another root, a value computed in code) gives no answer: a test is never failed on a guess.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Lang, parse, type SgNode } from '@ast-grep/napi';
import picomatch from 'picomatch';

/** The test files one runner's command runs, and what says so. */
export interface RunnerReach {
  /** The globs (or regular expressions) that pick the files, as written. */
  patterns: string[];
  /** Where they come from: a config file relative to the package, or the runner's defaults. */
  source: string;
  /** Whether the runner runs `relative` (to the package folder; `absolute` for `testRegex`). */
  runs(relative: string, absolute: string): boolean;
}

const VITEST_DEFAULT = ['**/*.{test,spec}.?(c|m)[jt]s?(x)'];
/** Jest 30's defaults, which also take `.mts`/`.cjs` tests; Jest 29's (`*.[jt]s?(x)`) are a subset. */
const JEST_DEFAULT = ['**/__tests__/**/*.?([mc])[jt]s?(x)', '**/?(*.)+(spec|test).?([mc])[jt]s?(x)'];

const CONFIG_EXTENSIONS = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'];

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A string literal's value, when it has no substitution. */
function stringValue(node: SgNode | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind() === 'string') return node.text().slice(1, -1);
  if (node.kind() === 'template_string' && !node.text().includes('${')) return node.text().slice(1, -1);
  return undefined;
}

/** An array of string literals' values; undefined for anything else (a spread, a variable). */
function stringArray(node: SgNode | null | undefined): string[] | undefined {
  if (node?.kind() !== 'array') return undefined;
  const values: string[] = [];
  for (const child of node.children()) {
    if (/^[[\],]$/.test(String(child.kind())) || child.kind() === 'comment') continue;
    const value = stringValue(child);
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}

function keyOf(pair: SgNode): string {
  return (pair.field('key')?.text() ?? '').replace(/^(["'`])(.*)\1$/, '$2');
}

/** The value under `as`/`satisfies`/parentheses. */
function unwrap(node: SgNode | null | undefined): SgNode | undefined {
  let at = node ?? undefined;
  while (at && /^(?:satisfies_expression|as_expression|parenthesized_expression)$/.test(String(at.kind())))
    at = at.children().find((child) => child.kind() !== '(' && child.kind() !== ')') ?? undefined;
  return at;
}

/**
 * The configuration object a config module exports: `export default {…}`, `module.exports = {…}`,
 * `defineConfig({…})` or `defineConfig(() => ({…}))`, or a local `const config = {…}` exported by
 * name. Undefined for anything else (an imported config, a computed one).
 */
function exportedObject(root: SgNode): SgNode | undefined {
  const exported: SgNode[] = [];
  for (const statement of root.findAll({ rule: { kind: 'export_statement' } })) {
    if (!statement.children().some((child) => child.kind() === 'default')) continue;
    const value = statement
      .children()
      .find((child) => !/^(?:export|default|;|comment)$/.test(String(child.kind())));
    if (value) exported.push(value);
  }
  for (const assignment of root.findAll({ rule: { kind: 'assignment_expression' } }))
    if (assignment.field('left')?.text() === 'module.exports') {
      const right = assignment.field('right');
      if (right) exported.push(right);
    }
  if (exported.length !== 1) return undefined;
  let value = unwrap(exported[0]);
  if (value?.kind() === 'identifier') {
    const name = value.text();
    const declarators = root
      .findAll({ rule: { kind: 'variable_declarator' } })
      .filter((declarator) => declarator.field('name')?.text() === name);
    if (declarators.length !== 1) return undefined;
    value = unwrap(declarators[0]?.field('value'));
  }
  if (value?.kind() === 'call_expression' && value.field('function')?.text() === 'defineConfig') {
    const args =
      value
        .field('arguments')
        ?.children()
        .filter((child) => !/^[(),]$/.test(String(child.kind()))) ?? [];
    if (args.length !== 1) return undefined;
    value = unwrap(args[0]);
  }
  if (value?.kind() === 'arrow_function') value = unwrap(value.field('body'));
  return value?.kind() === 'object' ? value : undefined;
}

/** The modules a config imports or requires, type-only imports left out. */
function importedModules(text: string): string[] {
  const modules: string[] = [];
  const found =
    /\b(?:import(?!\s+type\b)[^'"`;]*?from\s*|import\s*\(\s*|require\s*\(\s*|export\s[^'"`;]*?from\s*)(['"])([^'"]+)\1/g;
  for (const match of text.matchAll(found)) modules.push(match[2] ?? '');
  return modules;
}

/** A parsed config with nothing this reading cannot see: no spread into an object, no relative import. */
function readableConfig(text: string): SgNode | undefined {
  if (importedModules(text).some((name) => name.startsWith('.'))) return undefined;
  const root = parse(Lang.TypeScript, text).root();
  if (root.find({ rule: { kind: 'ERROR' } })) return undefined;
  if (root.find({ rule: { kind: 'spread_element', inside: { kind: 'object' } } })) return undefined;
  return root;
}

function globReach(patterns: string[], source: string, base = ''): RunnerReach {
  // A negated pattern only takes files away: leaving it out can only make the answer "it runs".
  const positive = patterns.filter((pattern) => !pattern.startsWith('!'));
  const matcher = picomatch(positive, { dot: true });
  return {
    patterns,
    source,
    runs: (relative) => (base === '' || relative.startsWith(base)) && matcher(relative),
  };
}

/** Config options that move the root or split the run: then this reading does not answer. */
const VITEST_UNREAD_KEYS = /^(?:root|dir|workspace|projects)$/;

/** The `test.include` of a Vitest or Vite config; null when the config has none (defaults apply). */
function vitestInclude(text: string): string[] | null | undefined {
  if (/\b(?:mergeConfig|defineWorkspace|defineProject)\b/.test(text)) return undefined;
  const root = readableConfig(text);
  const config = root && exportedObject(root);
  if (!root || !config) return undefined;
  const pairs = root.findAll({ rule: { kind: 'pair' } });
  if (pairs.some((pair) => VITEST_UNREAD_KEYS.test(keyOf(pair)))) return undefined;
  if (
    root.find({
      rule: {
        kind: 'shorthand_property_identifier',
        regex: '^(?:test|include|root|dir|workspace|projects)$',
      },
    })
  )
    return undefined;
  const tests = config.children().filter((child) => child.kind() === 'pair' && keyOf(child) === 'test');
  // A `test` set anywhere else (a conditional object, a helper) is not the one this reads.
  if (pairs.filter((pair) => keyOf(pair) === 'test').length !== tests.length) return undefined;
  if (tests.length === 0) return null;
  const test = unwrap(tests[0]?.field('value'));
  if (tests.length > 1 || test?.kind() !== 'object') return undefined;
  const include = test.children().filter((child) => child.kind() === 'pair' && keyOf(child) === 'include');
  if (include.length === 0) return null;
  return include.length === 1 ? stringArray(include[0]?.field('value')) : undefined;
}

/** `--config x`, `--config=x`, `-c x`; the words left, or undefined when a flag's value is missing. */
function takeConfigFlag(words: readonly string[]): { config?: string; rest: string[] } | undefined {
  const rest: string[] = [];
  let config: string | undefined;
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] ?? '';
    const inline = /^--config=(.+)$/.exec(word);
    if (inline) config = inline[1];
    else if (word === '--config' || word === '-c') {
      config = words[index + 1];
      if (config === undefined) return undefined;
      index += 1;
    } else rest.push(word);
  }
  return config === undefined ? { rest } : { config, rest };
}

/** Vitest flags that change which files run or from where. */
const VITEST_UNREAD_FLAGS =
  /^(?:-r|--root|--dir|--project|--workspace|--changed|--related|--shard|--include|--standalone)(?:=|$)/;
const VITEST_COMMANDS = new Set(['run', 'watch', 'dev']);

/**
 * What `vitest [run] …` (its words after the program) runs in the package at `dir`; undefined when
 * that cannot be told for certain (a file filter, a flag that moves the root, an unreadable config).
 */
export function vitestReach(dir: string, args: readonly string[]): RunnerReach | undefined {
  const taken = takeConfigFlag(args);
  if (!taken) return undefined;
  const words = [...taken.rest];
  if (VITEST_COMMANDS.has(words[0] ?? '')) words.shift();
  // A positional word filters files by name (or is a flag's value this reading cannot place).
  if (words.some((word) => !word.startsWith('-') || VITEST_UNREAD_FLAGS.test(word))) return undefined;
  const exists = (name: string) => existsSync(path.join(dir, name));
  if (CONFIG_EXTENSIONS.some((ext) => exists(`vitest.workspace.${ext}`) || exists(`vitest.projects.${ext}`)))
    return undefined;
  if (exists('vitest.workspace.json')) return undefined;
  const config =
    taken.config ??
    [
      ...CONFIG_EXTENSIONS.map((ext) => `vitest.config.${ext}`),
      ...CONFIG_EXTENSIONS.map((ext) => `vite.config.${ext}`),
    ].find(exists);
  if (config === undefined) return globReach(VITEST_DEFAULT, 'vitest defaults');
  const text = readText(path.resolve(dir, config));
  if (text === undefined) return undefined;
  const include = vitestInclude(text);
  if (include === undefined) return undefined;
  const source = path.posix.normalize(config.replace(/^\.\//, ''));
  return include === null
    ? globReach(VITEST_DEFAULT, `vitest defaults (${source} sets no test.include)`)
    : globReach(include, `${source} test.include`);
}

interface JestOptions {
  testMatch?: string[];
  testRegex?: string[];
  roots?: string[];
}

const JEST_KEYS = ['testMatch', 'testRegex', 'roots', 'rootDir', 'projects', 'preset'] as const;
/** Modules a Jest config may load without changing which tests run. */
const JEST_SAFE_MODULES = /^(?:node:)?(?:path|url|os)$|^(?:jest|@jest\/types|ts-jest|jest-config)(?:\/|$)/;

function asStrings(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}

/** The options that pick test files from a Jest config object; undefined when one cannot be read. */
function jestOptions(config: Record<string, unknown>): JestOptions | undefined {
  if (config.rootDir !== undefined || config.projects !== undefined) return undefined;
  // A preset can set testMatch; ts-jest's presets set only transforms.
  if (config.preset !== undefined && !/^ts-jest(?:\/|$)/.test(String(config.preset))) return undefined;
  const options: JestOptions = {};
  for (const key of ['testMatch', 'testRegex', 'roots'] as const) {
    if (config[key] === undefined) continue;
    const values = asStrings(config[key]);
    if (!values || (key !== 'testRegex' && typeof config[key] === 'string')) return undefined;
    options[key] = values;
  }
  return options;
}

/** A Jest config module's options, read from its literal values. */
function jestModuleOptions(text: string): JestOptions | undefined {
  if (importedModules(text).some((name) => !JEST_SAFE_MODULES.test(name))) return undefined;
  const root = readableConfig(text);
  if (!root || !exportedObject(root)) return undefined;
  const config: Record<string, unknown> = {};
  for (const pair of root.findAll({ rule: { kind: 'pair' } })) {
    const key = keyOf(pair);
    if (!(JEST_KEYS as readonly string[]).includes(key)) continue;
    if (key in config) return undefined;
    const value = pair.field('value');
    const literal = stringValue(value) ?? stringArray(value);
    if (literal === undefined) return undefined;
    config[key] = literal;
  }
  if (root.find({ rule: { kind: 'shorthand_property_identifier', regex: `^(?:${JEST_KEYS.join('|')})$` } }))
    return undefined;
  return jestOptions(config);
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Jest flags that change which files run. */
const JEST_UNREAD_FLAGS =
  /^(?:--rootDir|--roots|--testMatch|--testRegex|--selectProjects|--projects|--testPathPatterns?|--findRelatedTests|-o|--onlyChanged|--changedSince|--lastCommit|--shard|--listTests|--runTestsByPath|-t|--testNamePattern)(?:=|$)/;

/** A `<rootDir>`-relative folder of `roots`, '' for the root itself; undefined for any other form. */
function rootFolder(entry: string): string | undefined {
  const relative = entry.replace(/^<rootDir>(?:\/|$)/, '').replace(/^\.\/?/, '');
  if (entry.startsWith('/') || /[*?[{<]/.test(relative)) return undefined;
  return relative === '' ? '' : `${relative.replace(/\/+$/, '')}/`;
}

/**
 * What `jest …` (its words after the program) runs in the package at `dir`, whose package.json is
 * `manifest`; undefined when that cannot be told for certain.
 */
export function jestReach(dir: string, manifest: unknown, args: readonly string[]): RunnerReach | undefined {
  const taken = takeConfigFlag(args);
  if (!taken) return undefined;
  if (taken.rest.some((word) => !word.startsWith('-') || JEST_UNREAD_FLAGS.test(word))) return undefined;
  let options: JestOptions | undefined;
  let source: string;
  if (taken.config !== undefined) {
    source = taken.config;
    if (taken.config.startsWith('{')) {
      const inline = parseJson(taken.config);
      options = isRecord(inline) ? jestOptions(inline) : undefined;
    } else {
      source = path.posix.normalize(taken.config.replace(/^\.\//, ''));
      const text = readText(path.resolve(dir, taken.config));
      if (text === undefined) return undefined;
      if (taken.config.endsWith('.json')) {
        const json = parseJson(text);
        options = isRecord(json) ? jestOptions(json) : undefined;
      } else options = jestModuleOptions(text);
    }
  } else {
    const files = [...CONFIG_EXTENSIONS, 'json']
      .map((ext) => `jest.config.${ext}`)
      .filter((name) => existsSync(path.join(dir, name)));
    const field = isRecord(manifest) ? manifest.jest : undefined;
    // Jest refuses to start with two configs; a string field names a config file.
    if (files.length + (field === undefined ? 0 : 1) > 1) return undefined;
    const [file] = files;
    if (file) {
      source = file;
      const text = readText(path.join(dir, file));
      if (text === undefined) return undefined;
      if (file.endsWith('.json')) {
        const json = parseJson(text);
        options = isRecord(json) ? jestOptions(json) : undefined;
      } else options = jestModuleOptions(text);
    } else if (field !== undefined) {
      source = 'package.json jest';
      options = isRecord(field) ? jestOptions(field) : undefined;
    } else {
      source = 'jest defaults';
      options = {};
    }
  }
  if (!options) return undefined;
  if (options.testMatch && options.testRegex) return undefined;
  const roots = (options.roots ?? ['<rootDir>']).map(rootFolder);
  if (roots.some((root) => root === undefined)) return undefined;
  const inRoots = (relative: string) => roots.some((root) => relative.startsWith(root ?? ''));
  if (options.testRegex) {
    let regexes: RegExp[];
    try {
      regexes = options.testRegex.map((pattern) => new RegExp(pattern));
    } catch {
      return undefined;
    }
    return {
      patterns: options.testRegex,
      source: `${source} testRegex`,
      runs: (relative, absolute) => inRoots(relative) && regexes.some((regex) => regex.test(absolute)),
    };
  }
  const written = options.testMatch;
  // Jest matches testMatch against absolute paths: a pattern read relative to the package must
  // start at `<rootDir>` or with `**/`, or this reading cannot place it.
  const globs = (written ?? JEST_DEFAULT).map((glob) =>
    glob.startsWith('!') ? glob : glob.replace(/^<rootDir>\//, ''),
  );
  if ((written ?? []).some((glob) => !glob.startsWith('!') && !/^(?:<rootDir>\/|\*\*\/)/.test(glob)))
    return undefined;
  const reach = globReach(
    globs,
    written
      ? `${source} testMatch`
      : source === 'jest defaults'
        ? source
        : `jest defaults (${source} sets no testMatch)`,
  );
  return {
    ...reach,
    patterns: written ?? JEST_DEFAULT,
    runs: (relative, absolute) => inRoots(relative) && reach.runs(relative, absolute),
  };
}
