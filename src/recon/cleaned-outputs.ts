import path from 'node:path';
import type { SkippedFile } from '../core/types.ts';
import { splitCommands, tokenize } from './shell-command.ts';

/** Commands that delete what they are given: `rimraf dist`, `rm -rf lib/scripts`, `del-cli build`. */
const DELETE_COMMAND = /^(?:rimraf|del|del-cli|trash|rm|shx|premove)$/;
/** Folders a clean script may delete that are never anyone's code anyway. */
const NOT_OUTPUT = /^(?:node_modules|\.git|coverage|\.nyc_output|tmp|temp|\.cache)$/;

/** The plain folder paths one shell command deletes (globs and flags are left out). */
function deletedPaths(words: readonly string[]): string[] {
  let rest = [...words];
  if (rest[0] === 'npx' || rest[0] === 'pnpx') rest = rest.slice(1);
  const [command, ...args] = rest;
  if (!command || !DELETE_COMMAND.test(command)) return [];
  if (command === 'shx' && args.shift() !== 'rm') return [];
  if ((command === 'rm' || command === 'shx') && !args.some((arg) => /^-\w*[rR]/.test(arg))) return [];
  return args.filter((arg) => !arg.startsWith('-') && !/[*?{}[\]$`]/.test(arg));
}

/**
 * Folders a package's own scripts delete (`"clean:scripts": "rimraf rawScripts lib/scripts"` in
 * bull, `"prebuild": "rimraf dist"`): whatever is there is rebuilt by a tool, so it is build output
 * even when its name says otherwise. Nobody deletes the folder they write by hand. Each is returned
 * as a skipped build-output folder, when it holds some of `files`.
 */
export function cleanedOutputs(
  manifests: readonly { path: string; text: string }[],
  files: readonly { path: string }[],
): SkippedFile[] {
  const folders = new Set<string>();
  for (const manifest of manifests) {
    let scripts: unknown;
    try {
      scripts = (JSON.parse(manifest.text) as { scripts?: unknown }).scripts;
    } catch {
      continue;
    }
    if (typeof scripts !== 'object' || scripts === null) continue;
    const dir = path.posix.dirname(manifest.path);
    for (const line of Object.values(scripts)) {
      if (typeof line !== 'string') continue;
      for (const command of splitCommands(line)) {
        for (const target of deletedPaths(tokenize(command))) {
          const folder = path.posix.normalize(path.posix.join(dir, target)).replace(/\/+$/, '');
          if (folder === '.' || folder === '' || folder.startsWith('..') || path.posix.isAbsolute(folder))
            continue;
          if (NOT_OUTPUT.test(path.posix.basename(folder))) continue;
          folders.add(folder);
        }
      }
    }
  }
  const held = [...folders].filter((folder) => files.some((file) => file.path.startsWith(`${folder}/`)));
  // A folder inside another cleaned one is covered by it.
  return held
    .filter((folder) => !held.some((other) => other !== folder && folder.startsWith(`${other}/`)))
    .sort()
    .map((folder) => ({ path: folder, reason: 'build-output' }));
}
