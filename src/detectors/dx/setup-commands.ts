import { splitCommands } from '../../recon/shell-command.ts';

/** One simple command from a fenced shell block of a set-up document. */
export interface SetupCommand {
  /** 1-based line where the command starts. */
  line: number;
  command: string;
}

/** The commands of one fenced block, in order (a block shares its working directory). */
export interface SetupBlock {
  /** The fence had a shell language (`sh`, `bash`, `console`…), not a bare fence. */
  shell: boolean;
  commands: SetupCommand[];
}

/** Documents that walk a newcomer through set-up: every shell block in them counts. */
const SETUP_DOC =
  /^(?:(?:docs|\.github)\/)?(?:contributing|development|developing|hacking|install(?:ation|ing)?|setup|getting[-_]started|quick[-_]?start|local[-_]development)\.md$/i;
/** Root READMEs: only blocks under a set-up heading count (usage examples name the reader's files). */
const README = /^readme(?:\.[a-z]+)?\.md$/i;
const SETUP_HEADING =
  /install|set ?up|getting started|quick ?start|develop|contribut|build|running|run (?:it )?locally|local|prerequisite|requirements|deploy|docker|environment|configur|start(?:ing)? the|bootstrap/i;
const SHELL_INFO = /^(?:sh|bash|shell|zsh|console|shell-session|terminal)$/i;

/** Whether `file` is a set-up document, and whether its blocks count only under set-up headings. */
export function setupDocKind(file: string): 'all' | 'sections' | undefined {
  if (README.test(file)) return 'sections';
  return SETUP_DOC.test(file) ? 'all' : undefined;
}

/** Fenced shell blocks (and bare fences) of a markdown document, with `$ ` prompts stripped. */
export function setupBlocks(text: string, kind: 'all' | 'sections'): SetupBlock[] {
  const blocks: SetupBlock[] = [];
  let heading = '';
  let fence: { marker: string; console: boolean; block: SetupBlock | undefined } | undefined;
  let pending: SetupCommand | undefined;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '').trimEnd();
    if (!fence) {
      const open = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
      if (open) {
        const info = open[2] ?? '';
        const counts = kind === 'all' || SETUP_HEADING.test(heading);
        const shell = SHELL_INFO.test(info);
        const block = counts && (shell || info === '') ? { shell, commands: [] } : undefined;
        if (block) blocks.push(block);
        fence = { marker: open[1] ?? '```', console: /console|session/i.test(info), block };
        continue;
      }
      const title = /^#{1,6}\s+(.*)$/.exec(line);
      if (title) heading = title[1] ?? '';
      continue;
    }
    if (line.trim().startsWith(fence.marker) && line.trim().replace(/[`~]/g, '') === '') {
      fence = undefined;
      pending = undefined;
      continue;
    }
    const block = fence.block;
    if (!block) continue;
    if (pending) {
      pending.command += ` ${line.trim()}`;
    } else {
      const prompt = /^\s*[$>]\s+(.*)$/.exec(line);
      const command = prompt ? prompt[1] : fence.console ? undefined : line.trim();
      if (!command || command.startsWith('#')) continue;
      pending = { line: index + 1, command };
    }
    if (pending.command.endsWith('\\')) {
      pending.command = pending.command.slice(0, -1).trimEnd();
      continue;
    }
    const whole = pending.command.replace(/\s+#.*$/, '');
    for (const part of splitCommands(whole)) block.commands.push({ line: pending.line, command: part });
    pending = undefined;
  }
  return blocks;
}
