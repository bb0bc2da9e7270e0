import { splitCommands } from './shell-command.ts';

/** One simple command from a fenced shell block in a markdown file. */
export interface DocCommand {
  file: string;
  line: number;
  command: string;
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
  let fence: { marker: string; console: boolean; shell: boolean } | undefined;
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
      for (const part of splitCommands(command)) commands.push({ file, line: index + 1, command: part });
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
