import type { CommandKind } from '../core/types.ts';
import { kindOfScriptName } from './script-kinds.ts';

/** A command that runs a package script or a make target, which recon can check exists. */
export interface ScriptReference {
  tool: 'npm' | 'yarn' | 'pnpm' | 'bun' | 'make';
  /** Script or target name. */
  name: string;
  /** The command in its canonical form, e.g. `npm run build`. */
  run: string;
}

/** Split a shell line into simple commands at `&&`, `||`, `;` and `|` outside quotes. */
export function splitCommands(line: string): string[] {
  const commands: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index] ?? '';
    if (quote) {
      if (character === quote) quote = undefined;
      current += character;
    } else if (character === '"' || character === "'") {
      quote = character;
      current += character;
    } else if (character === ';' || character === '|' || (character === '&' && line[index + 1] === '&')) {
      if (line[index + 1] === character) index += 1;
      commands.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  commands.push(current);
  return commands.map((command) => command.trim()).filter((command) => command !== '');
}

/** Whitespace-separated words with simple quotes removed and leading `VAR=value` assignments dropped. */
export function tokenize(command: string): string[] {
  const words = (command.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((word) =>
    word.replace(/^(["'])(.*)\1$/, '$2'),
  );
  while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] ?? '')) words.shift();
  return words;
}

const YARN_BUILTINS = new Set(
  (
    'add audit autoclean bin cache check config constraints create dedupe dlx exec explain generate-lock-entry ' +
    'global help import info init install licenses link list login logout node npm outdated owner pack patch ' +
    'patch-commit plugin policies publish rebuild remove set stage tag team unlink unplug up upgrade ' +
    'upgrade-interactive version versions why workspace workspaces'
  ).split(' '),
);
const PNPM_BUILTINS = new Set(
  (
    'add audit bin config create deploy dlx doctor env exec fetch i import init install install-test it licenses ' +
    'link list ls outdated pack patch patch-commit prune publish rb rebuild recursive remove rm root server setup ' +
    'store un uninstall unlink up update why'
  ).split(' '),
);
const NPM_UNCHECKABLE_FLAGS = /^(-w|--workspace(=.*)?|-ws|--workspaces|--if-present|--prefix(=.*)?|-C)$/;

function hasDynamicPart(words: readonly string[]): boolean {
  return words.some((word) => word.includes('$') || word.includes('`'));
}

function npmReference(words: readonly string[]): ScriptReference | undefined {
  if (words.some((word) => NPM_UNCHECKABLE_FLAGS.test(word))) return undefined;
  const [subcommand, script] = [words[1], words[2]];
  if (subcommand === 'test' || subcommand === 't' || subcommand === 'tst')
    return { tool: 'npm', name: 'test', run: 'npm test' };
  if (subcommand === 'start') return { tool: 'npm', name: 'start', run: 'npm start' };
  if ((subcommand === 'run' || subcommand === 'run-script') && script && !script.startsWith('-')) {
    return { tool: 'npm', name: script, run: `npm run ${script}` };
  }
  return undefined;
}

function runnerReference(
  tool: 'yarn' | 'pnpm' | 'bun',
  words: readonly string[],
): ScriptReference | undefined {
  let index = 1;
  if (words[index] === 'run') index += 1;
  const script = words[index];
  if (!script || script.startsWith('-') || /[./]/.test(script.replace(/:/g, ''))) return undefined;
  if (tool === 'bun' && index === 1) return undefined;
  if (index === 1 && (tool === 'yarn' ? YARN_BUILTINS : PNPM_BUILTINS).has(script)) return undefined;
  const run =
    tool === 'yarn' || (tool === 'pnpm' && script === 'test') ? `${tool} ${script}` : `${tool} run ${script}`;
  return { tool, name: script, run };
}

/** Make targets named on a `make` command line; none when it points at another Makefile. */
function makeReferences(words: readonly string[]): ScriptReference[] {
  const references: ScriptReference[] = [];
  for (let index = 1; index < words.length; index += 1) {
    const word = words[index] ?? '';
    if (/^(-C|-f|-I|--directory|--file|--makefile|--include-dir)/.test(word)) return [];
    if (word.startsWith('-') || word.includes('=')) continue;
    if (/^\d+$/.test(word)) continue;
    references.push({ tool: 'make', name: word, run: `make ${word}` });
  }
  return references;
}

/** Script and target references in one simple command. */
export function scriptReferences(words: readonly string[]): ScriptReference[] {
  if (hasDynamicPart(words)) return [];
  const tool = words[0];
  let reference: ScriptReference | undefined;
  if (tool === 'npm') reference = npmReference(words);
  else if (tool === 'yarn' || tool === 'pnpm' || tool === 'bun') reference = runnerReference(tool, words);
  else if (tool === 'make' || tool === 'gmake') return makeReferences(words);
  return reference ? [reference] : [];
}

const TOOL_KINDS: [RegExp, CommandKind][] = [
  [
    /^(npm (ci|install|i)|pnpm (install|i)|yarn( install)?|bun install|poetry install|uv sync|pipenv install|pdm install|pip3? install)( -[-\w=.]+)*( -r \S+| -e \.)?$/,
    'install',
  ],
  [
    /^(pytest|py\.test|python3? -m pytest|go test|cargo test|jest|vitest( run)?|mocha|tox|node --test)\b/,
    'test',
  ],
  [/^(tsc|vue-tsc)\b.*--noEmit\b|^(mypy|pyright)\b/, 'typecheck'],
  [
    /^(prettier\b.*--check|black\b.*--check|ruff format|biome format|cargo fmt|gofmt|isort\b.*--check)/,
    'format',
  ],
  [/^(eslint|ruff( check)?|flake8|pylint|biome (check|lint|ci)|golangci-lint|cargo clippy|go vet)\b/, 'lint'],
  [/^(tsc|go build|cargo build|python3? -m build|vite build|webpack)\b/, 'build'],
];

/** The kind of command a simple CI or docs command is, or undefined. */
export function kindOfCommand(words: readonly string[]): CommandKind | undefined {
  const [reference] = scriptReferences(words);
  if (reference) return kindOfScriptName(reference.name);
  const stripped = words[0] === 'npx' || words[0] === 'pnpx' || words[0] === 'bunx' ? words.slice(1) : words;
  const text = stripped.join(' ');
  return TOOL_KINDS.find(([pattern]) => pattern.test(text))?.[1];
}
