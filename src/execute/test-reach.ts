/**
 * Whether the test command runs a test file an attempt added. A package whose test script names
 * its files (`node --test test/*.test.ts`, `mocha 'test/**\/*.spec.js'`) runs only those: a new
 * `test/Profile.test.tsx` beside them passes every gate, `npm test` included, without ever
 * running. Scripts that find their tests themselves (`vitest`, `jest`, a bare `node --test`) are
 * not judged: their patterns live in their own configuration.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { splitCommands, tokenize } from '../recon/shell-command.ts';

/** A new test file and the test script that does not run it. */
export interface UnrunTest {
  file: string;
  /** The package.json whose `scripts.test` it is, relative to the same root as `file`. */
  manifest: string;
  /** The script's command that names the test files. */
  command: string;
}

/** Runners whose arguments are the test files to run (for `node`, with `--test`). */
const FILE_RUNNERS = /^(?:node|mocha|tape|tap|ava|uvu|jasmine|bun|tsx)$/;
/** Words that run the next word as the program. */
const WRAPPERS = /^(?:npx|pnpx|exec|cross-env|dotenv|c8|nyc|env)$/;

/** The glob patterns a test script's commands name as their test files, with the command naming them. */
function scriptGlobs(script: string): { globs: string[]; command: string } {
  const globs: string[] = [];
  const commands: string[] = [];
  for (const command of splitCommands(script)) {
    const words = tokenize(command);
    while ((words.length > 1 && /^(?:-|[A-Za-z_]\w*=)/.test(words[0] ?? '')) || WRAPPERS.test(words[0] ?? ''))
      words.shift();
    const program = path.posix.basename(words[0] ?? '');
    if (!FILE_RUNNERS.test(program)) continue;
    if (
      (program === 'node' || program === 'bun' || program === 'tsx') &&
      !words.includes('--test') &&
      words[1] !== 'test'
    )
      continue;
    const named = words.slice(1).filter((word) => !word.startsWith('-') && /[*?[{]/.test(word));
    if (named.length === 0) continue;
    globs.push(...named.map((glob) => glob.replace(/^\.\//, '')));
    commands.push(command);
  }
  return { globs, command: commands.join(' && ') };
}

function readScript(file: string): string | undefined {
  try {
    const manifest: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const scripts = (manifest as { scripts?: Record<string, unknown> } | null)?.scripts;
    const test = scripts?.test;
    return typeof test === 'string' ? test : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The JavaScript and TypeScript test files among `files` (relative to `root`) that the nearest
 * package.json test script above each names no glob for, when it names its files by glob.
 */
export function unrunTests(root: string, files: readonly string[]): UnrunTest[] {
  const unrun: UnrunTest[] = [];
  for (const file of files) {
    if (!/\.[mc]?[jt]sx?$/.test(file)) continue;
    let dir = path.posix.dirname(file);
    for (;;) {
      const manifest = dir === '.' ? 'package.json' : `${dir}/package.json`;
      const script = readScript(path.join(root, manifest));
      if (script !== undefined) {
        const { globs, command } = scriptGlobs(script);
        const relative = dir === '.' ? file : file.slice(dir.length + 1);
        if (globs.length > 0 && !picomatch.isMatch(relative, globs)) unrun.push({ file, manifest, command });
        break;
      }
      if (dir === '.') break;
      dir = path.posix.dirname(dir);
    }
  }
  return unrun;
}
