import { toml as smolToml } from '../../core/toml.ts';
import { entryInBuildOutput, isRecord, packageManifests } from '../dependencies/package-manifests.ts';
import { baseName, joinPath } from '../dx/find-line.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import { SUBSTITUTION } from '../tech-debt/code-scan.ts';
import { importGraph } from '../tech-debt/import-graph.ts';
import { publicNames, pythonModuleFile } from '../tech-debt/module-exports.ts';
import { wholeRepository } from '../tech-debt/scoped-graph.ts';
import type { RawFinding, RepoContext, RepoDetector } from '../types.ts';
import { type DocReference, type DocVocabulary, docReferences } from './doc-references.ts';

const MARKDOWN = /\.(?:md|mdx|markdown)$/i;
/** Documents about the past, where flags and exports that are gone belong. */
const HISTORY =
  /change-?log|(?:^|[/_.-])(?:changes|history|news|releases?|release-notes)(?:[/_.-]|$)|migrat|upgrad|deprecat|breaking/i;
const SKIPPED_DIR = /(?:^|\/)(?:node_modules|fixtures?|__fixtures__|testdata|vendor|third_party)\//;
const UNIVERSAL_FLAGS = new Set(['--help', '--version']);
/** Parsers that read flags by key (`argv.verbose`, function parameters) rather than by `--flag` text. */
const KEY_PARSERS =
  /^(?:minimist|mri|yargs|yargs-parser|nopt|optionator|getopts|arg|meow|typer|fire|docopt|sade|cac|clipanion|oclif|@oclif\/core)$/;
const MAX_LISTED = 6;

/** Documents this detector reads: markdown that is not a changelog or a vendored copy. */
function isChecked(path: string): boolean {
  return MARKDOWN.test(path) && !HISTORY.test(path) && !SKIPPED_DIR.test(path);
}

interface Project {
  vocabulary: DocVocabulary;
  /** npm package name → the folder of its package.json. */
  npm: Map<string, string>;
  pythonRoots: string[];
}

function pythonScripts(context: RepoContext, commands: Set<string>): void {
  for (const file of context.profile.files) {
    const name = baseName(file.path);
    if (name === 'pyproject.toml') {
      let toml: unknown;
      try {
        toml = smolToml().parse(context.read(file.path) ?? '');
      } catch {
        continue;
      }
      const project = isRecord(toml) ? toml.project : undefined;
      const tool = isRecord(toml) && isRecord(toml.tool) ? toml.tool : undefined;
      const poetry = tool && isRecord(tool.poetry) ? tool.poetry : undefined;
      for (const table of [isRecord(project) ? project.scripts : undefined, poetry?.scripts]) {
        if (isRecord(table)) for (const key of Object.keys(table)) commands.add(key);
      }
    } else if (name === 'setup.py' || name === 'setup.cfg') {
      for (const match of (context.read(file.path) ?? '').matchAll(/['"\n]\s*([\w.-]+)\s*=\s*[\w.]+:\w+/g)) {
        if (match[1]) commands.add(match[1]);
      }
    }
  }
}

function project(context: RepoContext): Project {
  const commands = new Set<string>();
  const packages = new Set<string>();
  const npm = new Map<string, string>();
  for (const manifest of packageManifests(context)) {
    const name = typeof manifest.json.name === 'string' ? manifest.json.name : undefined;
    if (name) {
      packages.add(name);
      // Exports built into a skipped folder (verdaccio's build/) are unknown, not missing.
      if (!entryInBuildOutput(context, manifest)) npm.set(name, manifest.dir);
    }
    const bin = manifest.json.bin;
    if (typeof bin === 'string' && name) commands.add(name.replace(/^@[^/]+\//, ''));
    else if (isRecord(bin)) for (const key of Object.keys(bin)) commands.add(key);
  }
  pythonScripts(context, commands);
  const pythonRoots = ['', 'src'];
  const files = new Set(context.profile.files.map((file) => file.path));
  for (const file of files) {
    const match = /^(?:src\/)?([A-Za-z_]\w*)\/__init__\.py$/.exec(file);
    if (match?.[1]) packages.add(match[1]);
  }
  return { vocabulary: { commands, packages }, npm, pythonRoots };
}

/**
 * Commander told to accept options it does not declare (`.allowUnknownOption()`, Sails'
 * `cmd.unknownOption = NOOP`) or to hand them on (`.passThroughOptions()`): the program passes
 * flags to code elsewhere (Sails' `sails generate` to the sails-generate package), so a flag missing
 * from this repository's code may still work.
 */
const PASS_THROUGH = ['allowUnknownOption', 'unknownOption', 'passThroughOptions'];

/**
 * Flags written anywhere in the code, whether some parser reads flags by key, and whether the CLI
 * accepts flags it does not know (then a missing one cannot be judged).
 */
function knownFlags(context: RepoContext): { flags: Set<string>; byKey: boolean; passThrough: boolean } {
  const graph = importGraph(context);
  const flags = new Set<string>();
  const collect = (text: string) => {
    for (const match of text.matchAll(/--([A-Za-z][\w-]*)/g)) flags.add(match[1] ?? '');
  };
  for (const value of graph.index.strings.keys()) if (value.includes('--')) collect(value);
  for (const file of context.profile.files) {
    // Extensionless programs (`bin/cli`) are not indexed as code.
    if (!file.language && /(?:^|\/)bin\/[^/.]+$/.test(file.path)) collect(context.read(file.path) ?? '');
  }
  // A hand-written parser that takes any `--name` and looks the name up (marked's CLI maps
  // `--gfm` onto `marked.defaults.gfm`) reads flags by key too: its code holds a bare `'--'`.
  // parse-server's commander setup declares `program.option(\`--${opt} [${opt}]\`)` for every key
  // of its option definitions: flags built from names.
  const generic =
    graph.index.strings.has('--') ||
    graph.index.strings.has('--no-') ||
    [...graph.index.strings.keys()].some((value) => value.startsWith(`--${SUBSTITUTION}`));
  const byKey = generic || [...graph.packages.keys()].some((name) => KEY_PARSERS.test(name));
  const passThrough = PASS_THROUGH.some((word) => graph.index.words.has(word));
  return { flags, byKey, passThrough };
}

function flagExists(
  flag: string,
  known: { flags: Set<string>; byKey: boolean },
  context: RepoContext,
): boolean {
  const graph = importGraph(context);
  const name = flag.slice(2);
  const base = name.replace(/^no-/, '');
  if (known.flags.has(name) || known.flags.has(base) || known.flags.has(`no-${base}`)) return true;
  const camel = base.replace(/-([a-z0-9])/g, (_all, c: string) => c.toUpperCase());
  const snake = base.replaceAll('-', '_');
  if ([base, camel, snake].some((key) => graph.index.strings.has(key))) return true;
  const distinctive = base.includes('-') || known.byKey;
  return distinctive && [camel, snake, base].some((key) => graph.index.words.has(key));
}

function exportExists(reference: DocReference, info: Project, context: RepoContext): boolean | undefined {
  const graph = importGraph(context);
  const module = reference.module ?? '';
  let file: string | undefined;
  if (reference.python) file = pythonModuleFile(graph, module, info.pythonRoots);
  else {
    const dir = info.npm.get(module);
    if (dir === undefined) return undefined;
    const resolution = graph.resolver.resolveJs(joinPath(dir, 'package.json'), module);
    file = resolution.kind === 'file' ? resolution.target : undefined;
  }
  if (!file) return undefined;
  const names = publicNames(graph, file);
  return names === undefined ? undefined : names.has(reference.name);
}

/** README and docs that describe CLI flags or package exports the code no longer has. */
export const staleDocReference: RepoDetector = {
  id: 'docs/stale-doc-reference',
  category: 'docs',
  scope: 'repo',
  title: 'Documentation describes flags or exports that no longer exist',
  description:
    'The documentation tells people to pass a command-line flag, or to import a name from this package, that the code no longer defines. Whoever follows it gets an "unknown option" error or an undefined import, and stops trusting the rest of the docs.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason: 'Only documentation changes, unless the missing flag or export is restored on purpose.',
  confidence: 'MED',
  fixSketch:
    'For each cited reference, find out what replaced it (search the history with `git log -S`): document the new flag or export, or restore it if removing it was a mistake.',
  steps: [
    'For each cited flag or name, search the source for it and for similar names, and run `git log -S "<name>" --oneline` to find the commit that removed or renamed it.',
    'If it was renamed, update the documentation to the new name; if it was removed on purpose, delete the passage or describe what to do instead.',
    'If it was removed by mistake, restore it with a test, and leave the documentation as it is.',
    'Run the done check; it must pass.',
  ],
  quick: false,
  check(context) {
    // Branch mode: findings cite documents, so a branch that touches none has nothing to report
    // here; one that does needs the whole repository's flags and exports.
    const scope = context.scope;
    if (scope)
      return [...scope.files].some(isChecked) ? staleDocReference.check(wholeRepository(context)) : [];
    const info = project(context);
    if (info.vocabulary.commands.size === 0 && info.vocabulary.packages.size === 0) return [];
    let known: ReturnType<typeof knownFlags> | undefined;
    const out: RawFinding[] = [];
    const docs = context.profile.files
      .map((file) => file.path)
      .filter(isChecked)
      .sort();
    for (const path of docs) {
      const text = context.read(path);
      if (text === undefined) continue;
      const stale: DocReference[] = [];
      const seen = new Set<string>();
      for (const reference of docReferences(text, info.vocabulary)) {
        const key = `${reference.kind}:${reference.module ?? ''}:${reference.name}`;
        if (seen.has(key) || UNIVERSAL_FLAGS.has(reference.name)) continue;
        seen.add(key);
        if (reference.kind === 'flag') {
          known ??= knownFlags(context);
          if (!known.passThrough && !flagExists(reference.name, known, context)) stale.push(reference);
        } else if (exportExists(reference, info, context) === false) stale.push(reference);
      }
      if (stale.length === 0) continue;
      stale.sort((a, b) => a.line - b.line);
      const [first, ...rest] = stale;
      if (!first) continue;
      const describe = (reference: DocReference) =>
        reference.kind === 'flag'
          ? `the flag \`${reference.name}\` (line ${reference.line}), which no source file defines`
          : `\`${reference.name}\` imported from \`${reference.module ?? ''}\` (line ${reference.line}), which that module does not export`;
      const checks = stale
        .slice(0, MAX_LISTED)
        .map((reference) =>
          reference.kind === 'flag'
            ? `{ ! grep -qF -- ${shellQuote(reference.name)} ${shellQuote(path)} || grep -rqsF --exclude-dir=node_modules --exclude-dir=.git --exclude='*.md' -- ${shellQuote(reference.name)} .; }`
            : `! grep -qwF -- ${shellQuote(reference.name)} ${shellQuote(path)}`,
        );
      out.push({
        file: path,
        startLine: first.line,
        endLine: first.line,
        related: [...new Set(rest.map((r) => r.line))]
          .filter((line) => line !== first.line)
          .slice(0, MAX_LISTED - 1)
          .map((line) => ({ file: path, startLine: line, endLine: line })),
        title:
          stale.length === 1
            ? `${path} documents ${first.kind === 'flag' ? `\`${first.name}\`` : `an export \`${first.name}\``}, which no longer exists`
            : `${path} documents ${stale.length} ${stale.every((r) => r.kind === 'flag') ? 'flags' : stale.every((r) => r.kind === 'export') ? 'exports' : 'flags and exports'} that no longer exist`,
        message: `${path} describes ${stale.slice(0, MAX_LISTED).map(describe).join('; ')}${stale.length > MAX_LISTED ? `; and ${stale.length - MAX_LISTED} more` : ''}. Readers who follow it get an error.`,
        key: `stale-doc:${path}`,
        doneCheck: checks.join(' && '),
      });
    }
    return out;
  },
};
