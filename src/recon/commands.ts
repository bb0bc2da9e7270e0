import { escapeRegExp } from '../core/regex-literal.ts';
import { COMMAND_KINDS, type MissingCommand, type ReconProblem, type RepoCommand } from '../core/types.ts';
import { workflowCommands } from './ci.ts';
import { docCommands } from './doc-commands.ts';
import { type MakefileTargets, parseMakefile } from './makefile.ts';
import type { ManifestFacts } from './manifests.ts';
import { installCommand, type PackageManager, pythonRunPrefix } from './package-manager.ts';
import { pythonCommands, toolchainCommands } from './python-commands.ts';
import { isPlaceholderTest, scriptCommands } from './script-commands.ts';
import { TARGET_NAMES } from './script-kinds.ts';
import { kindOfCommand, type ScriptReference, scriptReferences, tokenize } from './shell-command.ts';
import type { TextStore } from './text-store.ts';

export interface CommandInput {
  facts: ManifestFacts;
  /** Every listed path, skipped or not. */
  paths: ReadonlySet<string>;
  texts: TextStore;
  packageManager: PackageManager | undefined;
  /**
   * The other language's package manager in a repository of both (a Django app with a frontend
   * built by npm): its install command is kept too, for plans about that language's code.
   */
  otherPackageManager?: PackageManager | undefined;
  /** The Python package manager, whose `run` prefix Python's commands take (`poetry run pytest`). */
  pythonPackageManager?: PackageManager | undefined;
  /** The JavaScript package manager that runs package.json scripts. */
  scriptRunner: PackageManager;
  yarnBerry: boolean;
  lockfiles: readonly string[];
  workflowFiles: readonly string[];
  docFiles: readonly string[];
  problems: ReconProblem[];
}

export interface CommandFacts {
  commands: RepoCommand[];
  missingCommands: MissingCommand[];
}

/** Binaries that `yarn X`, `pnpm X` and `bun run X` run when X is not a script. */
const COMMON_BINARIES = new Set(
  'tsc eslint prettier jest vitest mocha ava tap biome tsx ts-node webpack vite rollup esbuild playwright cypress turbo nx lerna changeset'.split(
    ' ',
  ),
);

function makefileTargets(input: CommandInput): { file: string; targets: MakefileTargets } | undefined {
  const file = ['GNUmakefile', 'makefile', 'Makefile'].find((name) => input.paths.has(name));
  const text = file ? input.texts.get(file) : undefined;
  return file && text !== undefined ? { file, targets: parseMakefile(text) } : undefined;
}

function missingReason(
  reference: ScriptReference,
  input: CommandInput,
  makefile: ReturnType<typeof makefileTargets>,
) {
  if (reference.tool === 'make') {
    if (!makefile) return 'there is no Makefile at the repository root';
    if (makefile.targets.targets.has(reference.name) || !makefile.targets.complete) return undefined;
    return `${makefile.file} has no "${reference.name}" target`;
  }
  const packageJson = input.facts.packageJson;
  if (!packageJson)
    return input.paths.has('package.json') ? undefined : 'there is no package.json at the repository root';
  const script = packageJson.scripts[reference.name];
  if (reference.name === 'test' && isPlaceholderTest(script))
    return "scripts.test is npm's placeholder and always fails";
  if (script !== undefined) return undefined;
  if (reference.name === 'start' && input.paths.has('server.js')) return undefined;
  const canRunBinary = reference.tool !== 'npm';
  if (canRunBinary && (COMMON_BINARIES.has(reference.name) || packageJson.dependencies.has(reference.name)))
    return undefined;
  return `package.json has no "${reference.name}" script`;
}

/**
 * Every command the repository defines and every reference to one that does not exist. One per
 * kind, except that a repository of both languages keeps one of each (a Django app with a
 * frontend: `npm run lint` runs eslint, `flake8` checks the Python), so that a plan about a Python
 * file verifies with Python's tools (`repoCommands`).
 */
export function findCommands(input: CommandInput): CommandFacts {
  const commands: RepoCommand[] = [];
  const missingCommands: MissingCommand[] = [];
  const add = (command: RepoCommand) => {
    const taken = commands.some(
      (existing) =>
        existing.kind === command.kind &&
        (existing.language === undefined ||
          command.language === undefined ||
          existing.language === command.language),
    );
    if (!taken) commands.push(command);
  };
  const addMissing = (missing: MissingCommand) => {
    const seen = missingCommands.some(
      (m) => m.run === missing.run && m.referencedIn === missing.referencedIn,
    );
    if (!seen) missingCommands.push(missing);
  };

  const install = installCommand(
    input.packageManager,
    input.lockfiles,
    input.paths,
    input.yarnBerry,
    input.facts.pyproject,
  );
  if (install) add(install);
  const otherInstall =
    input.otherPackageManager === undefined
      ? undefined
      : installCommand(
          input.otherPackageManager,
          input.lockfiles,
          input.paths,
          input.yarnBerry,
          input.facts.pyproject,
        );
  if (otherInstall) add(otherInstall);
  if (input.facts.packageJson) {
    const scripts = scriptCommands(input.facts.packageJson, input.scriptRunner);
    scripts.commands.forEach(add);
    scripts.missing.forEach(addMissing);
  }
  const makefile = makefileTargets(input);
  if (makefile) {
    for (const kind of COMMAND_KINDS) {
      const name = TARGET_NAMES[kind].find((target) => makefile.targets.targets.has(target));
      const line = name === undefined ? undefined : makefile.targets.targets.get(name);
      if (name !== undefined && line !== undefined)
        add({ kind, run: `make ${name}`, source: `${makefile.file}:${line}` });
    }
  }
  pythonCommands({
    ...input,
    prefix: pythonRunPrefix(input.pythonPackageManager ?? input.packageManager),
  }).forEach(add);
  toolchainCommands(input.paths).forEach(add);

  const check = (command: string, referencedIn: string, elsewhere: boolean): boolean => {
    let allDefined = true;
    for (const reference of elsewhere ? [] : scriptReferences(tokenize(command))) {
      const reason = missingReason(reference, input, makefile);
      if (reason === undefined) continue;
      allDefined = false;
      addMissing({ run: reference.run, referencedIn, reason });
    }
    return allDefined;
  };
  for (const file of input.workflowFiles) {
    const text = input.texts.get(file);
    if (text === undefined) continue;
    for (const step of workflowCommands(file, text, input.problems)) {
      const where = `${step.file}:${step.line}`;
      const defined = check(step.command, where, step.elsewhere);
      const kind = step.elsewhere || !defined ? undefined : kindOfCommand(tokenize(step.command));
      if (kind) add({ kind, run: step.command, source: where });
    }
  }
  // `DEBUG=express-session npm start`: a library's README turning on its debug output in the
  // reader's app, whose scripts are not this package's.
  const ownName = input.facts.packageJson?.name;
  const debugsThis =
    ownName === undefined ? undefined : new RegExp(`(?:^|\\s)DEBUG=\\S*${escapeRegExp(ownName)}`);
  for (const file of input.docFiles) {
    const text = input.texts.get(file);
    if (text === undefined) continue;
    for (const step of docCommands(file, text)) {
      const elsewhere = step.cwd !== undefined || (debugsThis?.test(step.command) ?? false);
      check(step.command, `${step.file}:${step.line}`, elsewhere);
    }
  }
  commands.sort((a, b) => COMMAND_KINDS.indexOf(a.kind) - COMMAND_KINDS.indexOf(b.kind));
  return { commands, missingCommands };
}
