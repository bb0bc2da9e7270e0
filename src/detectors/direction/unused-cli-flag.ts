import { lineAt, lineStarts } from '../tech-debt/code-scan.ts';
import { importGraph } from '../tech-debt/import-graph.ts';
import { concludableModules, ensureWords } from '../tech-debt/scoped-graph.ts';
import type { RawFinding, RepoContext, RepoDetector } from '../types.ts';

const JS_PARSERS = /^(?:commander|yargs|cac|sade|@commander-js\/extra-typings)$/;
const JS_OPTION =
  /\.(?:option|requiredOption)\(\s*(['"`])([^'"`\n]+)\1|\bnew\s+Option\(\s*(['"`])([^'"`\n]+)\3/g;
const PY_ARGUMENT = /\.add_argument\(/g;
/**
 * The options object is used as a whole (iterated, spread, copied), so any key may be read; or
 * the program object that holds the parsed options is handed to a function (pm2's
 * `this.pm2.start(cmd, commander)`, which maps every option onto its app schema).
 */
const JS_WHOLESALE =
  /\bObject\.(?:keys|entries|values|assign)\([^)]*\b(?:opts|options|argv|args|flags|cmd|command|program)\b|\.\.\.\s*[\w$.]*(?:opts|options|argv|args|flags)\b|\.opts\(\)\s*[),]|[(,]\s*(?:commander|program|cli)\s*[,)]/;
const PY_WHOLESALE = /\bvars\(|\.__dict__\b|\bgetattr\(\s*\w+\s*,\s*\w+\s*[,)]/;
const SKIPPED = new Set(['help', 'version', 'h', 'v', 'V']);
const MAX_LISTED = 6;

interface ParsedFlag {
  flag: string;
  /** Names the parsed value can be read by. */
  keys: string[];
  line: number;
}

function camel(name: string): string {
  return name.replace(/-([a-zA-Z0-9])/g, (_all, c: string) => c.toUpperCase());
}

/**
 * Names a parsed flag's value can be read by: camelCase as parsed, as written, and snake_case
 * (programs that copy options into their own config, like pm2's `deep_monitoring`).
 */
function keysOf(name: string): string[] {
  return [...new Set([camel(name), name, name.replace(/-/g, '_')])];
}

function jsFlags(text: string): ParsedFlag[] {
  const starts = lineStarts(text);
  const out: ParsedFlag[] = [];
  for (const match of text.matchAll(JS_OPTION)) {
    const spec = match[2] ?? match[4] ?? '';
    const long = /--(?:no-)?([A-Za-z][\w-]*)/.exec(spec);
    const line = lineAt(starts, match.index);
    if (long?.[1]) {
      if (!SKIPPED.has(long[1])) out.push({ flag: `--${long[0].slice(2)}`, keys: keysOf(long[1]), line });
    } else if (/^[A-Za-z][\w-]*$/.test(spec) && !SKIPPED.has(spec)) {
      // yargs: `.option('dry-run', {...})` is read as `argv.dryRun` or `argv['dry-run']`.
      out.push({ flag: `--${spec}`, keys: keysOf(spec), line });
    }
  }
  return out;
}

function callText(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length && i < open + 2000; i += 1) {
    const c = text[i];
    if (c === '(') depth += 1;
    else if (c === ')') {
      depth -= 1;
      if (depth === 0) return text.slice(open + 1, i);
    }
  }
  return '';
}

function pythonFlags(text: string): ParsedFlag[] {
  const starts = lineStarts(text);
  const out: ParsedFlag[] = [];
  for (const match of text.matchAll(PY_ARGUMENT)) {
    const args = callText(text, match.index + match[0].length - 1);
    if (/action\s*=\s*['"](?:help|version)['"]|\bSUPPRESS\b/.test(args)) continue;
    const names = [...args.matchAll(/^\s*['"]([^'"]+)['"]\s*(?:,|$)|,\s*['"](-[^'"]+)['"]/gm)].map(
      (m) => m[1] ?? m[2] ?? '',
    );
    const dest = /\bdest\s*=\s*['"](\w+)['"]/.exec(args)?.[1];
    const long = names.find((name) => name.startsWith('--'));
    const positional = names.find((name) => !name.startsWith('-'));
    const key = dest ?? (long ? long.slice(2).replace(/-/g, '_') : positional?.replace(/-/g, '_'));
    if (!key || SKIPPED.has(key)) continue;
    out.push({ flag: long ?? positional ?? key, keys: [key], line: lineAt(starts, match.index) });
  }
  return out;
}

function isRead(flag: ParsedFlag, context: RepoContext): boolean {
  const { words, strings } = importGraph(context).index;
  return flag.keys.some(
    (key) => (words.get(key) ?? 0) > 0 || (strings.get(key) ?? 0) > (key === flag.flag.slice(2) ? 1 : 0),
  );
}

/** CLI flags the program parses but no code reads: users pass them and nothing happens. */
export const unusedCliFlag: RepoDetector = {
  id: 'direction/unused-cli-flag',
  category: 'direction',
  scope: 'repo',
  title: 'CLI flag parsed but never read',
  description:
    'The command-line parser accepts this flag and shows it in `--help`, but no code ever reads its value. Users who pass it get no error and no effect, so they believe something happened that did not. Either the feature was never wired up, or it was removed and the flag left behind.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Removing a flag that does nothing changes no behaviour; wiring it up adds behaviour behind an opt-in.',
  confidence: 'MED',
  fixSketch:
    'Decide per flag: if the help text describes behaviour users need, implement it where the other options are read (with a test that passes the flag); otherwise delete the option definition and its mention in the docs.',
  steps: [
    'For each cited option, read its help text and search the history (`git log -S "<flag>" --oneline`) for code that used to read it.',
    'If the behaviour is wanted: read the option where the command handles its other options, implement what the help text promises, and add a test that passes the flag and checks the effect.',
    'If not: delete the option definition and every mention of the flag in README/docs.',
    'Run the test command; it must pass. Then run the done check.',
  ],
  quick: false,
  check(context) {
    const graph = importGraph(context);
    const out: RawFinding[] = [];
    for (const module of concludableModules(context, graph)) {
      if (module.role !== 'source') continue;
      const packages = (graph.edges.get(module.path) ?? []).map((edge) => edge.package ?? '');
      const python = module.language === 'python';
      if (python ? !packages.includes('argparse') : !packages.some((name) => JS_PARSERS.test(name))) continue;
      const text = context.read(module.path);
      if (text === undefined || (python ? PY_WHOLESALE : JS_WHOLESALE).test(text)) continue;
      const flags = python ? pythonFlags(text) : jsFlags(text);
      // Branch mode: make the graph's word and string counts exact for these keys first.
      ensureWords(
        context,
        flags.flatMap((flag) => flag.keys),
      );
      const unread = flags.filter((flag) => !isRead(flag, context));
      const [first, ...rest] = unread;
      if (!first) continue;
      const listed = unread
        .slice(0, MAX_LISTED)
        .map((flag) => `\`${flag.flag}\` (line ${flag.line}, read as \`${flag.keys[0] ?? ''}\`)`);
      out.push({
        file: module.path,
        startLine: first.line,
        endLine: first.line,
        related: rest
          .slice(0, MAX_LISTED - 1)
          .map((flag) => ({ file: module.path, startLine: flag.line, endLine: flag.line })),
        title:
          unread.length === 1
            ? `\`${first.flag}\` is parsed but never read (${module.path})`
            : `${unread.length} CLI flags in ${module.path} are parsed but never read`,
        message: `${module.path} defines ${listed.join(', ')}${unread.length > MAX_LISTED ? ', …' : ''}, but no code reads ${unread.length === 1 ? 'that value' : 'those values'}. Passing ${unread.length === 1 ? 'it' : 'them'} changes nothing.`,
        key: `unused-flags:${module.path}`,
      });
    }
    return out;
  },
};
