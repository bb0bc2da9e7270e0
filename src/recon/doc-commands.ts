import { splitCommands } from './shell-command.ts';

/** One simple command from a fenced shell block in a markdown file. */
export interface DocCommand {
  file: string;
  line: number;
  command: string;
  /**
   * Set when the command does not run at the repository root: an earlier `cd` in the same block
   * left it (`cd frontend`; a `cd <name>` right after `git clone` enters the root), or an earlier
   * command of the same section created another project (`npm init fastify`, `npx create-react-app
   * app`) or entered a folder the section made (`mkdir my-app`, `cd my-app`) or one outside the
   * checkout (`express /tmp/foo && cd /tmp/foo`), which the rest of the section works in.
   */
  cwd?: string;
}

/**
 * Commands that create a new project from a template (`npm init fastify`, `npm create vite@latest`,
 * `yarn create next-app`, `npx create-react-app app`, `django-admin startproject site`): what a
 * quick start runs next belongs to that project, not to this repository.
 */
const SCAFFOLD =
  /^(?:npm\s+(?:init|create)\s+(?!-)\S|(?:yarn|pnpm|bun)\s+create\s+\S|(?:npx|pnpx|bunx|pnpm\s+dlx|npm\s+exec)\s+(?:(?:-y|--yes)\s+)?create-\S|django-admin\s+startproject\s|cookiecutter\s+\S|degit\s+\S)/;

const SHELL_FENCE = /^\s*(```|~~~)\s*(sh|bash|shell|zsh|console|shell-session|terminal)?\s*$/i;
const DOC_FILE = /^((docs|\.github)\/)?(readme|contributing)(\.[a-z]+)?\.md$/i;

/** README.md and CONTRIBUTING.md at the root, CONTRIBUTING.md in docs/ or .github/. */
export function isCommandDoc(file: string): boolean {
  return DOC_FILE.test(file) && !/^(docs|\.github)\/readme/i.test(file);
}

/** Commands in fenced shell blocks (plain fences too); `$ ` prompts are stripped, console output skipped. */
export function docCommands(file: string, text: string): DocCommand[] {
  const commands: DocCommand[] = [];
  let fence: { marker: string; console: boolean; shell: boolean; cwd?: string; cloned?: boolean } | undefined;
  // Per section (up to the next heading): another project the docs moved to, and folders made.
  let away: string | undefined;
  let made = new Set<string>();
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trimEnd();
    if (fence) {
      if (line.trim() === fence.marker) {
        fence = undefined;
        continue;
      }
      if (!fence.shell) continue;
      const prompt = /^\s*\$\s+(.*)$/.exec(line);
      const command = prompt ? prompt[1] : fence.console ? undefined : line.trim();
      if (!command || command.startsWith('#')) continue;
      for (const part of splitCommands(command)) {
        const step: DocCommand = { file, line: index + 1, command: part };
        const cwd = away ?? fence.cwd;
        if (cwd !== undefined) step.cwd = cwd;
        commands.push(step);
        const trimmed = part.trim();
        if (SCAFFOLD.test(trimmed)) away ??= `(the project \`${trimmed}\` creates)`;
        for (const folder of /^mkdir\s+(?:-p\s+)?(.+)$/.exec(trimmed)?.[1]?.split(/\s+/) ?? [])
          made.add(folder.replace(/\/$/, ''));
        const cd = /^cd(?:\s+(\S+))?$/.exec(trimmed);
        if (/^git\s+clone\b/.test(trimmed)) fence.cloned = true;
        if (!cd) continue;
        const target = (cd[1] ?? '~').replace(/\/$/, '');
        // A folder the section made, or one outside any checkout (`cd /tmp/foo`, `cd ~/app`).
        if (made.has(target) || /^[/~$]/.test(target)) away ??= target;
        const root =
          target === '.' || (fence.cloned === true && fence.cwd === undefined && !target.includes('/'));
        // Only the first `cd` after a clone enters the clone; later ones go further down.
        fence.cloned = false;
        if (root) continue;
        fence.cwd = fence.cwd === undefined ? target : `${fence.cwd}/${target}`;
      }
      continue;
    }
    if (/^#{1,6}\s/.test(line)) {
      away = undefined;
      made = new Set();
    }
    const match = SHELL_FENCE.exec(line);
    if (match) {
      const language = (match[2] ?? '').toLowerCase();
      fence = {
        marker: match[1] ?? '```',
        console: language === 'console' || language === 'shell-session',
        shell: true,
      };
    } else if (/^\s*(```|~~~)/.test(line)) {
      fence = { marker: line.trim().slice(0, 3), console: false, shell: false };
    }
  }
  return commands;
}
