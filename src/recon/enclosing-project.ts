import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EnclosingProject, RepoCommand } from '../core/types.ts';
import { isCiFile } from './ci.ts';
import { parseMakefile } from './makefile.ts';
import { findLockfiles, javascriptManagerOf } from './package-manager.ts';
import { scriptCommands } from './script-commands.ts';

const README = /^readme(?:\.[a-z0-9]+)?$/i;
/** Guides coding agents read from any folder above the one they work in. */
const AGENT_GUIDES = ['AGENTS.md', 'CLAUDE.md', '.github/copilot-instructions.md'];

function names(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** `.github/workflows/*.yml` and the single-file CI configurations at `dir`. */
function ciFilesAt(dir: string): string[] {
  const workflows = names(path.join(dir, '.github', 'workflows')).map((name) => `.github/workflows/${name}`);
  const top = names(dir).flatMap((name) =>
    name === '.circleci' ? names(path.join(dir, name)).map((inner) => `${name}/${inner}`) : [name],
  );
  return [...workflows, ...top].filter(isCiFile).sort();
}

function scriptsOf(file: string): Record<string, string> | undefined {
  try {
    const json: unknown = JSON.parse(textOf(file) ?? '');
    if (typeof json !== 'object' || json === null) return undefined;
    const scripts = (json as { scripts?: unknown }).scripts;
    if (typeof scripts !== 'object' || scripts === null) return {};
    return Object.fromEntries(
      Object.entries(scripts).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  } catch {
    return undefined;
  }
}

const MAKE_KINDS: readonly RepoCommand['kind'][] = ['test', 'lint', 'typecheck', 'build', 'format'];
/** Where pytest's configuration says the folder's tests run with `pytest`. */
const PYTEST_CONFIG: readonly [string, RegExp | undefined][] = [
  ['pytest.ini', undefined],
  ['pyproject.toml', /^\s*\[tool\.pytest\.ini_options\]/m],
  ['setup.cfg', /^\s*\[tool:pytest\]/m],
  ['tox.ini', /^\s*\[(?:tool:)?pytest\]/m],
];

function textOf(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The commands a folder above defines, as typed there: its package.json scripts, else its
 * Makefile's targets named for a kind, else `pytest` where pytest is configured (a Python
 * repository whose `tests/` beside the package test it).
 */
function commandsAt(
  dir: string,
  entries: readonly string[],
  up: string,
  lockfiles: readonly string[],
): RepoCommand[] {
  const scripts = entries.includes('package.json') ? scriptsOf(path.join(dir, 'package.json')) : undefined;
  if (scripts && Object.keys(scripts).length > 0) {
    const manager = lockfiles.map(javascriptManagerOf).find((name) => name !== undefined) ?? 'npm';
    return scriptCommands({ path: `${up}/package.json`, scripts, dependencies: new Set() }, manager).commands;
  }
  const commands: RepoCommand[] = [];
  const makefile = entries.includes('Makefile') ? textOf(path.join(dir, 'Makefile')) : undefined;
  if (makefile !== undefined) {
    const { targets } = parseMakefile(makefile);
    for (const kind of MAKE_KINDS) {
      const line = targets.get(kind);
      if (line !== undefined) commands.push({ kind, run: `make ${kind}`, source: `${up}/Makefile:${line}` });
    }
  }
  if (!commands.some((command) => command.kind === 'test')) {
    for (const [name, section] of PYTEST_CONFIG) {
      if (!entries.includes(name)) continue;
      const text = section ? textOf(path.join(dir, name)) : '';
      if (text !== undefined && (!section || section.test(text))) {
        commands.push({ kind: 'test', run: 'pytest', source: `${up}/${name}`, language: 'python' });
        break;
      }
    }
  }
  return commands;
}

/**
 * What the repository around an audited folder provides for it, when the folder is part of a
 * larger repository (`improve packages/runtime` in a monorepo): the lockfiles, README, agent
 * guide and CI of the folders above it up to the repository's root, and the commands of the
 * nearest folder above that defines each kind (package.json scripts, Makefile targets, pytest's
 * configuration), run from there (`cd ../.. && npm test`). Undefined when the
 * folder is the repository's root, or nothing above it provides anything.
 */
export function enclosingProject(folder: string, top: string): EnclosingProject | undefined {
  const relative = path.relative(top, folder);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const found: EnclosingProject = {
    root: toPosix(path.relative(folder, top)),
    lockfiles: [],
    ciFiles: [],
    commands: [],
  };
  for (let dir = path.dirname(folder); ; dir = path.dirname(dir)) {
    const up = toPosix(path.relative(folder, dir));
    const entries = names(dir);
    const lockfiles = findLockfiles(entries);
    found.lockfiles.push(...lockfiles.map((name) => `${up}/${name}`));
    const readme = entries.find((name) => README.test(name));
    if (readme && !found.readme) found.readme = `${up}/${readme}`;
    const guide = AGENT_GUIDES.find((name) => existsSync(path.join(dir, name)));
    if (guide && !found.agentGuide) found.agentGuide = `${up}/${guide}`;
    // Each kind of command from the nearest folder that defines it.
    for (const command of commandsAt(dir, entries, up, lockfiles))
      if (!found.commands.some((known) => known.kind === command.kind))
        found.commands.push({ ...command, run: `cd ${up} && ${command.run}` });
    if (path.relative(top, dir) === '') {
      found.ciFiles = ciFilesAt(dir).map((file) => `${up}/${file}`);
      break;
    }
  }
  const provides =
    found.lockfiles.length > 0 ||
    found.readme !== undefined ||
    found.agentGuide !== undefined ||
    found.ciFiles.length > 0 ||
    found.commands.length > 0;
  return provides ? found : undefined;
}

function toPosix(relative: string): string {
  return relative.split(path.sep).join('/');
}
