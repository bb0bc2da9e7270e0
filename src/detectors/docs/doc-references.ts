import { escapeRegExp } from '../dx/shell-quote.ts';

/** What a markdown document says the project's CLI accepts and its packages export. */
export interface DocReference {
  kind: 'flag' | 'export';
  /** `--json` for a flag; the imported name for an export. */
  name: string;
  /** The package or Python module imported from (exports only). */
  module?: string;
  python?: boolean;
  /** 1-based line in the document. */
  line: number;
}

export interface DocVocabulary {
  /** Command names the project installs (package.json `bin`, Python console scripts). */
  commands: ReadonlySet<string>;
  /** Package names (npm) and top-level Python packages the project defines. */
  packages: ReadonlySet<string>;
}

const SHELL_FENCE = /^(?:sh|bash|shell|zsh|console|shell-session|terminal|cmd|powershell|ps1|text|)$/i;
const CODE_FENCE = /^(?:js|jsx|ts|tsx|javascript|typescript|mjs|cjs|mts|cts|py|python|python3|)$/i;
const RUNNERS = new Set([
  'npx',
  'bunx',
  'pnpx',
  'dlx',
  'exec',
  'run',
  'yarn',
  'pnpm',
  'bun',
  'uvx',
  'pipx',
  'poetry',
  'uv',
  'sudo',
  'time',
  '--',
  '-y',
  '--yes',
]);
/**
 * A flag token. One written as a pattern (`--redis-*`, `--name-<x>`, `--{a,b}`, Redis Commander's
 * docs) names a family of flags, not one: no match.
 */
const FLAG = /^(--[A-Za-z][\w-]*)(?![\w*<{…[-])/;

function flagsOfCommand(command: string, vocabulary: DocVocabulary): string[] {
  const out: string[] = [];
  for (const part of command.split(/&&|\|\||[|;]/)) {
    const tokens = part
      .trim()
      .replace(/^\$\s+/, '')
      .split(/\s+/)
      .filter(Boolean);
    let index = 0;
    while (index < tokens.length && (/^\w+=/.test(tokens[index] ?? '') || RUNNERS.has(tokens[index] ?? '')))
      index += 1;
    if ((tokens[index] === 'python' || tokens[index] === 'python3') && tokens[index + 1] === '-m') index += 2;
    const name = (tokens[index] ?? '').replace(/@[^/]*$/, '');
    if (!vocabulary.commands.has(name) && !vocabulary.packages.has(name)) continue;
    for (const token of tokens.slice(index + 1)) {
      const flag = FLAG.exec(token)?.[1];
      if (flag) out.push(flag);
    }
  }
  return out;
}

function importsOf(block: string, firstLine: number, vocabulary: DocVocabulary, out: DocReference[]): void {
  const lineOf = (offset: number) => firstLine + block.slice(0, offset).split('\n').length - 1;
  for (const name of vocabulary.packages) {
    const quoted = `['"]${escapeRegExp(name)}['"]`;
    const es = new RegExp(
      `\\bimport\\s+(?:type\\s+)?(?:[\\w$]+\\s*,\\s*)?\\{([^}]*)\\}\\s*from\\s*${quoted}`,
      'g',
    );
    const cjs = new RegExp(`\\{([^}]*)\\}\\s*=\\s*require\\(\\s*${quoted}\\s*\\)`, 'g');
    for (const pattern of [es, cjs]) {
      for (const match of block.matchAll(pattern)) {
        for (const part of (match[1] ?? '').split(',')) {
          const imported = /^\s*(?:type\s+)?([\w$]+)/.exec(part)?.[1];
          if (imported) out.push({ kind: 'export', name: imported, module: name, line: lineOf(match.index) });
        }
      }
    }
    const python = new RegExp(
      `^\\s*from\\s+(${escapeRegExp(name)}(?:\\.[\\w.]+)?)\\s+import\\s+\\(?([\\w\\s,]+)\\)?`,
      'gm',
    );
    for (const match of block.matchAll(python)) {
      for (const part of (match[2] ?? '').split(',')) {
        const imported = /^\s*(\w+)/.exec(part)?.[1];
        if (imported)
          out.push({
            kind: 'export',
            name: imported,
            module: match[1] ?? name,
            python: true,
            line: lineOf(match.index),
          });
      }
    }
  }
}

/**
 * Flags of the project's own commands (in shell blocks, and in inline code that starts with a
 * command name or, in tables and lists of a document that runs the command, with `--`) and names
 * imported from the project's own packages in code blocks. Changelogs are not read.
 */
export function docReferences(text: string, vocabulary: DocVocabulary): DocReference[] {
  const out: DocReference[] = [];
  const lines = text.split(/\r?\n/);
  let fence: { marker: string; info: string; start: number; body: string[] } | undefined;
  let pending = '';
  const optionRows: { line: number; flags: string[] }[] = [];
  lines.forEach((line, index) => {
    const opener = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (fence) {
      if (opener?.[1]?.startsWith(fence.marker) && line.trim().replace(/[`~]/g, '') === '') {
        if (CODE_FENCE.test(fence.info)) importsOf(fence.body.join('\n'), fence.start + 1, vocabulary, out);
        fence = undefined;
        pending = '';
        return;
      }
      fence.body.push(line);
      if (!SHELL_FENCE.test(fence.info)) return;
      const command = `${pending} ${line.trim()}`;
      if (command.endsWith('\\')) {
        pending = command.slice(0, -1);
        return;
      }
      pending = '';
      for (const flag of flagsOfCommand(command, vocabulary))
        out.push({ kind: 'flag', name: flag, line: index + 1 });
      return;
    }
    if (opener) {
      fence = { marker: opener[1]?.slice(0, 3) ?? '```', info: opener[2] ?? '', start: index + 1, body: [] };
      return;
    }
    const spans = [...line.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
    for (const span of spans) {
      for (const flag of flagsOfCommand(span, vocabulary))
        out.push({ kind: 'flag', name: flag, line: index + 1 });
    }
    if (/^\s*(?:\||[-*+]\s|\d+\.\s)/.test(line)) {
      const first = spans[0] ?? '';
      const flags = [...first.matchAll(/(?:^|[\s,/])(--[A-Za-z][\w-]*)(?![\w*<{…[-])/g)].map(
        (match) => match[1] ?? '',
      );
      if (first.startsWith('-') && flags.length > 0) optionRows.push({ line: index + 1, flags });
    }
  });
  // Option tables count only in a document that shows the command being run.
  if (out.some((reference) => reference.kind === 'flag')) {
    for (const row of optionRows)
      for (const flag of row.flags) out.push({ kind: 'flag', name: flag, line: row.line });
  }
  return out;
}
