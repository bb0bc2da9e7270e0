/**
 * Whether the test command runs a test file an attempt added. A package whose test script names
 * its files (`node --test test/*.test.ts`, `mocha 'test/**\/*.spec.js'`) runs only those: a new
 * `test/Profile.test.tsx` beside them passes every gate, `npm test` included, without ever
 * running. Vitest and Jest find their tests by their configuration, read as text
 * (test-runner-config.ts); a script whose files cannot be told for certain (a bare `node --test`,
 * another script, a config this reading cannot follow) is not judged.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { splitCommands, tokenize } from '../recon/shell-command.ts';
import { jestReach, type RunnerReach, vitestReach } from './test-runner-config.ts';

/** A new test file and the test script that does not run it. */
export interface UnrunTest {
  file: string;
  /** The package.json whose `scripts.test` it is, relative to the same root as `file`. */
  manifest: string;
  /** The script's commands that run tests. */
  command: string;
  /**
   * For a runner that finds its own files (Vitest, Jest): the patterns it runs and where they are
   * set (`src/**\/*.test.ts (vitest.config.ts test.include)`).
   */
  patterns?: string;
}

/** Runners whose arguments are the test files to run (for `node`, with `--test`). */
const FILE_RUNNERS = /^(?:node|mocha|tape|tap|ava|uvu|jasmine|bun|tsx)$/;
/** Words that run the next word as the program. */
const WRAPPERS = /^(?:npx|pnpx|exec|cross-env|dotenv|c8|nyc|env)$/;
/**
 * Programs that run something else: another script (`npm run test:unit`), a task runner, a shell,
 * a Node script. Bare, they may run anything.
 */
const DELEGATES =
  /^(?:npm|pnpm|yarn|bun|node|tsx|turbo|nx|lerna|make|sh|bash|run-s|run-p|npm-run-all|concurrently)$/;
/** A word that names tests or a test runner (`test:e2e`, `playwright`, `cypress`). */
const NAMES_TESTS =
  /test|spec|e2e|check|verify|jest|vitest|mocha|playwright|cypress|karma|wdio|testcafe|cucumber|(?:^|[:/-])ci(?:$|[:/-])/i;

/**
 * Whether a command other than the runners read here may run tests (`playwright test`, `npm run
 * test:unit`, a bare `make`): then files it runs cannot be told, and the script is not judged. One
 * that names no tests (`npm run build`, `tsc -p .`) is left out.
 */
function mayRunTests(words: readonly string[]): boolean {
  if (words.length === 1 && DELEGATES.test(path.posix.basename(words[0] ?? ''))) return true;
  return words.some((word) => NAMES_TESTS.test(word));
}

/** What one test script runs: the runners whose files it can tell, or undefined when it cannot. */
interface ScriptReach {
  reaches: RunnerReach[];
  commands: string[];
}

/** Mocha's default spec extensions, for a folder it is given. */
const MOCHA_EXTENSIONS = ['js', 'cjs', 'mjs'];

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The glob patterns a file runner's command names as its test files, relative to `dir`: its glob
 * words, and for Mocha the folders it names (`mocha --recursive tests/backend/specs`, Etherpad's
 * script): their files of its spec extensions, in subfolders too with `--recursive`. Undefined
 * when another runner is given a folder, whose files it picks by rules not read here. Other plain
 * words are option values (`--timeout 120000`) or single files, which say nothing of a new test.
 */
function namedGlobs(program: string, words: readonly string[], dir: string): string[] | undefined {
  const globs: string[] = [];
  const extensions = words.flatMap((word, index) =>
    word === '--extension'
      ? [words[index + 1] ?? '']
      : word.startsWith('--extension=')
        ? [word.slice(12)]
        : [],
  );
  const recursive = words.includes('--recursive');
  // `bun test …`: the second word is the subcommand, not a folder.
  for (const word of words.slice(program === 'bun' && words[1] === 'test' ? 2 : 1)) {
    if (word.startsWith('-')) continue;
    const clean = word.replace(/^\.\//, '').replace(/\/+$/, '');
    if (/[*?[{]/.test(word)) globs.push(clean);
    else if (clean !== '' && isDirectory(path.join(dir, clean))) {
      if (program !== 'mocha') return undefined;
      const folder = clean === '.' ? '' : `${clean}/`;
      const list = extensions.length > 0 ? extensions.map((ext) => ext.replace(/^\./, '')) : MOCHA_EXTENSIONS;
      const names = list.length === 1 ? `*.${list[0]}` : `*.{${list.join(',')}}`;
      globs.push(`${folder}${recursive ? '**/' : ''}${names}`);
    }
  }
  return globs;
}

/**
 * The runners of a test script's commands and the files each runs. Undefined when any command may
 * run tests in a way this reading cannot tell: a runner that finds its own files by rules not read
 * here (a bare `node --test`), an unreadable Vitest or Jest config, another script.
 */
function scriptReach(script: string, dir: string, manifest: unknown): ScriptReach | undefined {
  const reaches: RunnerReach[] = [];
  const commands: string[] = [];
  for (const command of splitCommands(script)) {
    const words = tokenize(command);
    while ((words.length > 1 && /^(?:-|[A-Za-z_]\w*=)/.test(words[0] ?? '')) || WRAPPERS.test(words[0] ?? ''))
      words.shift();
    const program = path.posix.basename(words[0] ?? '');
    let reach: RunnerReach | undefined;
    if (program === 'vitest') reach = vitestReach(dir, words.slice(1));
    else if (program === 'jest') reach = jestReach(dir, manifest, words.slice(1));
    else if (FILE_RUNNERS.test(program)) {
      const runsTests =
        !/^(?:node|bun|tsx)$/.test(program) || words.includes('--test') || words[1] === 'test';
      if (!runsTests) {
        if (mayRunTests(words)) return undefined;
        continue;
      }
      const globs = namedGlobs(program, words, dir);
      // Without globs the runner finds its files by its own defaults.
      if (globs === undefined || globs.length === 0) return undefined;
      reach = {
        patterns: globs,
        source: 'the test script',
        runs: (relative) => picomatch.isMatch(relative, globs),
      };
    } else if (mayRunTests(words)) return undefined;
    else continue;
    if (!reach) return undefined;
    reaches.push(reach);
    commands.push(command);
  }
  return { reaches, commands };
}

function readManifest(file: string): { script?: string; manifest: unknown } | undefined {
  try {
    const manifest: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const scripts = (manifest as { scripts?: Record<string, unknown> } | null)?.scripts;
    const test = scripts?.test;
    return typeof test === 'string' ? { script: test, manifest } : { manifest };
  } catch {
    return undefined;
  }
}

/**
 * The JavaScript and TypeScript test files among `files` (relative to `root`) that the nearest
 * package.json test script above each does not run, when that can be told for certain: the files
 * its runners name by glob, or the files a Vitest or Jest configuration (or their defaults) picks.
 */
export function unrunTests(root: string, files: readonly string[]): UnrunTest[] {
  const unrun: UnrunTest[] = [];
  // Each folder's manifest, and each test script's reach (a parsed Vitest or Jest config), read
  // once for all the files: the plan writer asks about every test of the repository.
  const manifests = new Map<string, ReturnType<typeof readManifest>>();
  const reaches = new Map<string, ScriptReach | undefined>();
  for (const file of files) {
    if (!/\.[mc]?[jt]sx?$/.test(file)) continue;
    let dir = path.posix.dirname(file);
    for (;;) {
      const manifestPath = dir === '.' ? 'package.json' : `${dir}/package.json`;
      if (!manifests.has(dir)) manifests.set(dir, readManifest(path.join(root, manifestPath)));
      const read = manifests.get(dir);
      if (read?.script !== undefined) {
        if (!reaches.has(dir))
          reaches.set(dir, scriptReach(read.script, path.join(root, dir), read.manifest));
        const reach = reaches.get(dir);
        const relative = dir === '.' ? file : file.slice(dir.length + 1);
        const absolute = path.join(root, file);
        if (reach && reach.reaches.length > 0 && !reach.reaches.some((r) => r.runs(relative, absolute))) {
          const configured = reach.reaches.filter((r) => r.source !== 'the test script');
          unrun.push({
            file,
            manifest: manifestPath,
            command: reach.commands.join(' && '),
            ...(configured.length > 0
              ? {
                  patterns: configured.map((r) => `${r.patterns.join(', ')} (${r.source})`).join('; '),
                }
              : {}),
          });
        }
        break;
      }
      if (dir === '.') break;
      dir = path.posix.dirname(dir);
    }
  }
  return unrun;
}
