import { splitCommands } from './shell-command.ts';

/** One simple command from a fenced shell block in a markdown file. */
export interface DocCommand {
  file: string;
  line: number;
  command: string;
  /**
   * Set when an earlier `cd` in the same block left the repository root (`cd frontend`): the
   * command runs there, not at the root. A `cd <name>` right after `git clone` enters the root.
   */
  cwd?: string;
}

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
        if (fence.cwd !== undefined) step.cwd = fence.cwd;
        commands.push(step);
        const cd = /^cd(?:\s+(\S+))?$/.exec(part.trim());
        if (/^git\s+clone\b/.test(part.trim())) fence.cloned = true;
        if (!cd) continue;
        const target = (cd[1] ?? '~').replace(/\/$/, '');
        const root =
          target === '.' || (fence.cloned === true && fence.cwd === undefined && !target.includes('/'));
        // Only the first `cd` after a clone enters the clone; later ones go further down.
        fence.cloned = false;
        if (root) continue;
        fence.cwd = fence.cwd === undefined ? target : `${fence.cwd}/${target}`;
      }
      continue;
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
