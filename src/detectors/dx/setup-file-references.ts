import { tokenize } from '../../recon/shell-command.ts';

/** What one shell command says about files: those it needs, those it creates, where it moves. */
export interface CommandFiles {
  /** Paths the command needs to exist; `strong` when nothing but a repository file can be meant. */
  needs: { path: string; strong: boolean }[];
  /** Paths it creates (copy and move targets, new folders, virtual environments, downloads). */
  creates: string[];
  /** `cd` target, when the command changes directory. */
  cd?: string;
  /** `git clone`: a later `cd <name>` enters the repository root. */
  clone?: boolean;
}

const WRAPPERS = new Set(['sudo', 'time', 'exec', 'command', 'env', 'nohup']);
const RUNNERS: Record<string, number> = { npx: 1, bunx: 1, pnpx: 1, uvx: 1 };
const RUN_PREFIX = /^(?:uv|poetry|pipenv|pdm|hatch|rye)$/;
const INTERPRETERS: Record<string, RegExp> = {
  python: /\.py$/,
  python3: /\.py$/,
  py: /\.py$/,
  node: /\.[cm]?[jt]sx?$/,
  bun: /\.[cm]?[jt]sx?$/,
  deno: /\.[cm]?[jt]sx?$/,
  tsx: /\.[cm]?[jt]sx?$/,
  'ts-node': /\.[cm]?[jt]sx?$/,
  ruby: /\.rb$/,
  perl: /\.pl$/,
  php: /\.php$/,
  bash: /./,
  sh: /./,
  zsh: /./,
  source: /./,
  '.': /./,
};
/** Interpreter flags after which the program comes from elsewhere (`-m module`, `-e code`). */
const NOT_A_FILE = /^(?:-m|-c|-e|-p|--eval|--print|--test|--version|-V|-v|--help|-h|-i|-)$/;
/** Flags whose next word is a value, not the script. */
const VALUE_FLAGS = /^(?:-r|--require|--import|--loader|--env-file|-W|-X|--inspect-port|--config|-C)$/;

function positional(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index] ?? '';
    if (VALUE_FLAGS.test(word)) index += 1;
    else if (!word.startsWith('-')) out.push(word);
  }
  return out;
}

function flagValues(words: readonly string[], flags: RegExp): string[] {
  const out: string[] = [];
  words.forEach((word, index) => {
    const joined = /^(--?[\w-]+)=(.+)$/.exec(word);
    if (joined && flags.test(joined[1] ?? '')) out.push(joined[2] ?? '');
    else if (flags.test(word) && words[index + 1]) out.push(words[index + 1] ?? '');
  });
  return out;
}

function interpreterNeeds(program: string, args: readonly string[]): CommandFiles['needs'] {
  const extension = INTERPRETERS[program];
  if (!extension || args.some((a) => NOT_A_FILE.test(a))) return [];
  const rest = program === 'deno' || program === 'bun' ? args.filter((a) => a !== 'run') : args;
  const script = positional(rest)[0];
  if (!script || !extension.test(script)) return [];
  return [{ path: script, strong: script.includes('/') || /^(?:bash|sh|zsh|source|\.)$/.test(program) }];
}

/** The files a simple command (already split at `&&`, `|`, `;`) reads and writes. */
export function commandFiles(command: string): CommandFiles {
  const out: CommandFiles = { needs: [], creates: [] };
  for (const target of command.matchAll(/(?:^|\s)\d?>>?\s*([^\s&|;]+)/g)) out.creates.push(target[1] ?? '');
  let words = tokenize(command.replace(/\s\d?>>?\s*\S+/g, ''));
  while (words.length > 0 && WRAPPERS.has(words[0] ?? '')) words = words.slice(1);
  if (RUNNERS[words[0] ?? ''] !== undefined) words = words.slice(1).filter((w, i) => i > 0 || w !== '-y');
  if (RUN_PREFIX.test(words[0] ?? '') && words[1] === 'run') words = words.slice(2);
  const [program = '', ...args] = words;
  const plain = positional(args);
  switch (program) {
    case 'cd':
      out.cd = plain[0] ?? '~';
      return out;
    case 'git':
      if (args[0] === 'clone') {
        out.clone = true;
        if (plain[2]) out.creates.push(plain[2]);
      }
      return out;
    case 'mkdir':
    case 'touch':
      out.creates.push(...plain);
      return out;
    case 'cp':
    case 'mv':
    case 'ln':
    case 'install':
      if (plain.length >= 2) {
        out.needs.push(...plain.slice(0, -1).map((path) => ({ path, strong: true })));
        out.creates.push(plain.at(-1) ?? '');
      }
      return out;
    case 'virtualenv':
      out.creates.push(plain[0] ?? 'venv');
      return out;
    case 'curl':
    case 'wget':
      out.creates.push(...flagValues(args, /^(?:-o|-O|--output|--output-document)$/));
      return out;
    case 'docker':
    case 'docker-compose':
    case 'podman':
      out.needs.push(
        ...flagValues(args, /^(?:-f|--file|--env-file)$/).map((path) => ({ path, strong: true })),
      );
      return out;
    case 'pip':
    case 'pip3':
      out.needs.push(
        ...flagValues(args, /^(?:-r|-c|--requirement|--constraint)$/).map((path) => ({ path, strong: true })),
      );
      return out;
    default:
      break;
  }
  if (/^python3?$/.test(program) && args[0] === '-m') {
    if (args[1] === 'venv' || args[1] === 'virtualenv')
      out.creates.push(positional(args.slice(2))[0] ?? 'venv');
    if (args[1] === 'pip') out.needs.push(...commandFiles(`pip ${args.slice(2).join(' ')}`).needs);
    return out;
  }
  if (program === 'uv' && args[0] === 'venv') out.creates.push(positional(args.slice(1))[0] ?? '.venv');
  if (program === 'uv' && args[0] === 'pip')
    out.needs.push(...commandFiles(`pip ${args.slice(1).join(' ')}`).needs);
  if (INTERPRETERS[program]) out.needs.push(...interpreterNeeds(program, args));
  else if (/^\.{0,2}\/[\w.-]/.test(program) || /^[\w.-]+\/[\w./-]+$/.test(program)) {
    out.needs.push({ path: program, strong: true });
  }
  return out;
}
