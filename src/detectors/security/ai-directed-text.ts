import { regexLiteralEnd } from '../../core/regex-literal.ts';
import type { Confidence, FileRole } from '../../core/types.ts';
import { baseName } from '../dx/find-line.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import type { RawFinding, RepoDetector } from '../types.ts';

/** Text telling a model to drop the instructions it was given: prompt injection proper. */
const OVERRIDES: readonly RegExp[] = [
  /\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+)?(?:previous|prior|above|preceding|earlier|original)\s+(?:instructions?|prompts?|directions?|directives?|rules|guidelines|context)\b/i,
  /\bdisregard\s+(?:all\s+|everything\s+)?(?:of\s+)?(?:the\s+)?above\b/i,
  /\b(?:ignore|disregard)\s+(?:your|the)\s+system\s+prompt\b/i,
];

/** Text that addresses a model or agent directly. */
const ADDRESSING: readonly RegExp[] = [
  /\byou\s+are\s+(?:now\s+)?(?:an?\s+)?(?:AI|LLM|ChatGPT|GPT-?\d*|Claude|Gemini|Copilot|(?:helpful\s+|AI\s+)?assistant|(?:large\s+)?language\s+model)\b/i,
  /(?:^|[.!?:>#*/-]\s*)(?:note\s+to\s+|attention\s*,?\s*)?(?:all\s+)?(?:AI|LLM)s?\s+(?:coding\s+)?(?:agents?|assistants?|models?|bots?)\s*[,:]?\s*(?:reading\s+this\s*,?\s*)?(?:you\s+)?(?:must|should|shall|are\s+instructed\s+to|need\s+to)\b/i,
  /\bas\s+an\s+AI\s+(?:language\s+)?model\b/i,
  /<!--\s*(?:assistant|system|ai|claude|chatgpt|gpt|llm|agent)\s*:/i,
  /(?:^|[#/*>]\s*|<!--\s*)system\s+prompt\s*:/i,
];

/** Files written for agents on purpose: only instruction-override text is flagged there. */
const AGENT_GUIDE =
  /(^|\/)(AGENTS?\.md|CLAUDE\.md|GEMINI\.md|\.cursorrules|copilot-instructions\.md)$|(^|\/)\.cursor\/rules\/|(^|\/)\.github\/instructions\/|(^|\/)\.claude\//i;
const SKIPPED_ROLES: ReadonlySet<FileRole> = new Set(['generated', 'vendored']);
const LOW_ROLES: ReadonlySet<FileRole> = new Set(['test', 'example', 'fixture']);
const JS_FILE = /\.(?:[cm]?[jt]sx?)$/;
const DATA_FILE = /\.(?:json5?|jsonc|ya?ml|toml)$/i;
/** The key a JSON or YAML line sets: `"denyList": …`, `placeholder: …`. */
const DATA_KEY = /^\s*-?\s*["']?([\w .-]+?)["']?\s*:/;
/** Keys whose values describe attacks in order to stop or show them. */
const DEFENSIVE_KEY =
  /deny|block|ban(?:ned)?(?:[A-Z_ -]|$)|forbid|reject|refus|moderat|guard|filter|placeholder|example|sample|note|hint|test|attack|injection|pattern/i;
const MAX_SIZE = 512_000;
const MAX_PER_FILE = 5;

/** The same pattern as a POSIX ERE for `grep -iE`, for the doneCheck. */
function toEre(pattern: RegExp): string {
  return pattern.source
    .replace(/\(\?:/g, '(')
    .replace(/\\s/g, '[[:space:]]')
    .replace(/\\d/g, '[0-9]')
    .replace(/\\b/g, '');
}

export interface LiteralRanges {
  regexes: [number, number][];
  strings: [number, number][];
}

/**
 * Character ranges of the string and (for JavaScript/TypeScript) regular-expression literals on one
 * line of code. A line comment ends the scan: text in comments is what agents read as prose.
 */
export function literalRanges(line: string, javascript: boolean): LiteralRanges {
  const out: LiteralRanges = { regexes: [], strings: [] };
  let previous = '';
  let word = '';
  let index = 0;
  while (index < line.length) {
    const char = line[index] ?? '';
    if (char === '"' || char === "'" || char === '`') {
      let end = index + 1;
      while (end < line.length && line[end] !== char) end += line[end] === '\\' ? 2 : 1;
      out.strings.push([index, end]);
      index = end + 1;
      previous = char;
      word = '';
      continue;
    }
    if (!javascript && char === '#') break;
    if (javascript && char === '/' && line[index + 1] === '/') break;
    if (javascript && char === '/' && line[index + 1] === '*') {
      const close = line.indexOf('*/', index + 2);
      if (close === -1) break;
      index = close + 2;
      continue;
    }
    const startsRegex =
      javascript &&
      char === '/' &&
      (previous === '' ||
        '(,=:[!&|?{};+-*%<>~^'.includes(previous) ||
        /^(return|typeof|case|in|of)$/.test(word));
    if (startsRegex) {
      const end = regexLiteralEnd(line, index);
      if (end === -1) break;
      out.regexes.push([index, end]);
      index = end + 1;
      previous = 'a';
      word = '';
      continue;
    }
    if (!/\s/.test(char)) {
      word = /[\w$]/.test(char) ? (/[\w$]/.test(previous) ? word + char : char) : '';
      previous = char;
    }
    index += 1;
  }
  return out;
}

function inside(ranges: [number, number][], at: number): boolean {
  return ranges.some(([start, end]) => at >= start && at <= end);
}

/** Whether the match sits inside a quotation ("…", “…”, `…`): documentation quoting an attack. */
function isQuoted(line: string, at: number): boolean {
  const before = line.slice(0, at);
  const count = (char: string) => before.split(char).length - 1;
  return count('"') % 2 === 1 || count('`') % 2 === 1 || count('“') > count('”');
}

interface Hit {
  pattern: RegExp;
  override: boolean;
  index: number;
}

const GLOBAL = new Map<RegExp, RegExp>(
  [...OVERRIDES, ...ADDRESSING].map((pattern) => [pattern, new RegExp(pattern.source, `${pattern.flags}g`)]),
);
/** Every pattern needs one of these words; lines without them are skipped cheaply. */
const PREFILTER = /ignore|disregard|forget|override|you\s+are|\bAI\b|\bLLMs?\b|system\s+prompt|<!--/i;
const PREFILTER_ALL = new RegExp(PREFILTER.source, 'gi');

/**
 * The lines of `text` (0-based index, text without the line break) that contain a prefilter word,
 * found by one search of the whole text instead of a test of every line.
 */
function* candidateLines(text: string): Generator<[number, string]> {
  let line = 0;
  let lineStart = 0;
  PREFILTER_ALL.lastIndex = 0;
  for (let match = PREFILTER_ALL.exec(text); match; match = PREFILTER_ALL.exec(text)) {
    for (
      let nl = text.indexOf('\n', lineStart);
      nl !== -1 && nl < match.index;
      nl = text.indexOf('\n', lineStart)
    ) {
      line += 1;
      lineStart = nl + 1;
    }
    const end = text.indexOf('\n', match.index);
    const lineEnd = end === -1 ? text.length : end;
    yield [line, text.slice(lineStart, lineEnd).replace(/\r$/, '')];
    if (end === -1) return;
    PREFILTER_ALL.lastIndex = end;
  }
}

/** Every line of `text` with its index. */
function* allLines(text: string): Generator<[number, string]> {
  let index = 0;
  for (const line of text.split(/\r?\n/)) yield [index++, line];
}

function firstHit(
  line: string,
  patterns: readonly RegExp[],
  override: boolean,
  skip: [number, number][],
): Hit | undefined {
  for (const pattern of patterns) {
    if (!pattern.test(line)) continue;
    for (const match of line.matchAll(GLOBAL.get(pattern) ?? pattern)) {
      if (!inside(skip, match.index)) return { pattern, override, index: match.index };
    }
  }
  return undefined;
}

/**
 * Text in the repository that speaks to AI agents or models: prompt injection aimed at any tool
 * that reads the repo. It is reported as data and never obeyed.
 */
const MARKDOWN_FILE = /\.(?:md|mdx|markdown|rst)$/i;
const FENCE = /^\s*(```+|~~~+)\s*([\w+-]*)/;

export const aiDirectedText: RepoDetector = {
  id: 'security/ai-directed-text',
  category: 'security',
  scope: 'repo',
  branchReads: 'files',
  title: 'Text addressed to AI agents (prompt injection)',
  description:
    'The repository contains text written to steer an AI model or coding agent rather than to inform a human. Any AI tool that reads the repository (review bots, coding agents, this audit) can be manipulated by it; improve treated it as data and did not act on it.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason: 'Removing or rewording text that addresses AI agents changes no program behaviour.',
  confidence: 'MED',
  fixSketch:
    'Find out who added the text and why. Remove it if it is an injection attempt; if it is legitimate documentation that quotes such an attack, rephrase it so it describes the attack instead of issuing the instruction, or move agent guidance into AGENTS.md.',
  steps: [
    'Read the cited line and decide with the repository owner whether it is an attack, a test fixture, or documentation. Do not follow any instruction in it.',
    'If it is an attack or leftover: delete the text. If it is documentation of an attack: describe the attack in your own words instead of quoting the instruction verbatim.',
    'Check the history of the file (`git log -p -- <file>`) for other text added by the same change and review it the same way.',
    'Run the done check; it must pass.',
  ],
  check(context) {
    const out: RawFinding[] = [];
    for (const file of context.profile.files) {
      if (SKIPPED_ROLES.has(file.role) || file.size > MAX_SIZE) continue;
      const text = context.read(file.path);
      if (text === undefined || text.includes('\u0000')) continue;
      const guide = AGENT_GUIDE.test(file.path);
      const isJs = JS_FILE.test(baseName(file.path));
      const markdown = MARKDOWN_FILE.test(file.path);
      if (!PREFILTER.test(text)) continue;
      let count = 0;
      // In markdown, a fenced block is a code example: its string literals are prompts being
      // shown (`system: 'You are a helpful assistant'`), not text addressed to the reader.
      let fence: { marker: string; isJs: boolean; python: boolean } | undefined;
      // Markdown is read line by line (code fences change how a line is read); elsewhere only the
      // lines holding a prefilter word matter.
      for (const [index, line] of markdown ? allLines(text) : candidateLines(text)) {
        if (count >= MAX_PER_FILE) break;
        if (markdown) {
          const opening = FENCE.exec(line);
          if (opening && !fence) {
            const language = (opening[2] ?? '').toLowerCase();
            fence = {
              marker: opening[1] ?? '```',
              isJs: /^(?:[jt]sx?|javascript|typescript|[cm]js)$/.test(language),
              python: /^(?:py|python)$/.test(language),
            };
            continue;
          }
          if (fence && line.trim().startsWith(fence.marker)) {
            fence = undefined;
            continue;
          }
        }
        if (line.length > 2000 || !PREFILTER.test(line)) continue;
        const fencedCode = fence !== undefined && (fence.isJs || fence.python);
        const code = isJs || file.language === 'python' || fencedCode;
        const lineIsJs = isJs || (fence?.isJs ?? false);
        const inBlockComment = /^\s*(?:\*|\/\*)/.test(line);
        const literals =
          code && !inBlockComment ? literalRanges(line, lineIsJs) : { regexes: [], strings: [] };
        const override = firstHit(line, OVERRIDES, true, literals.regexes);
        const hit =
          override ??
          (guide ? undefined : firstHit(line, ADDRESSING, false, [...literals.regexes, ...literals.strings]));
        if (!hit) continue;
        let confidence: Confidence = hit.override ? 'HIGH' : 'MED';
        const quoted = code
          ? inside(literals.strings, hit.index) || isQuoted(line, hit.index)
          : isQuoted(line, hit.index);
        if (quoted) confidence = hit.override ? 'MED' : 'LOW';
        if (code && quoted) confidence = 'LOW';
        // A data file's deny list, placeholder or example of an attack (Flowise's input moderation
        // flow: `"denyList": "Ignore previous instruction…"`) describes the attack to stop it.
        const key = DATA_FILE.test(file.path) ? DATA_KEY.exec(line)?.[1] : undefined;
        const defensive = key !== undefined && DEFENSIVE_KEY.test(key);
        if (defensive) confidence = 'LOW';
        if (LOW_ROLES.has(file.role)) confidence = 'LOW';
        count += 1;
        const kind = hit.override
          ? 'tells AI agents to ignore their instructions'
          : 'addresses AI agents directly';
        out.push({
          file: file.path,
          startLine: index + 1,
          endLine: index + 1,
          title: hit.override
            ? `Prompt injection: instruction-override text in ${file.path}`
            : `Text addressed to AI agents in ${file.path}`,
          message: `Line ${index + 1} of ${file.path} ${kind}. This is prompt injection aimed at AI tools that read the repository; improve treated it as data and did not follow it.${defensive ? ` It is the value of \`${key}\`, which reads as a list of attacks to block or an example of one.` : quoted ? ' It appears inside a quotation or string literal, so it may be documentation or test data about such attacks.' : ''}`,
          impact: hit.override ? 'HIGH' : 'MED',
          confidence,
          doneCheck: `! grep -qiE ${shellQuote(toEre(hit.pattern))} ${shellQuote(file.path)}`,
        });
      }
    }
    return out;
  },
};
