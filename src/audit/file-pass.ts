import type { NapiConfig, SgRoot } from '@ast-grep/napi';
import type { FileRole, Language, RepoProfile } from '../core/types.ts';
import type { FileDetector, FileInput, RawFinding, RepoContext, TextGate } from '../detectors/types.ts';
import { parseSource } from './parse.ts';
import { contentHash } from './result-cache.ts';
import { matchAll } from './rule-matcher.ts';

/** What one file detector said about one file. */
export interface DetectorOutcome {
  detector: string;
  findings: RawFinding[];
  /** Set when the detector threw; its findings for this file are then empty. */
  error?: string;
  /** Set when the detector looked at the repository (profile or other files): its result is not the file's alone. */
  context?: ContextUse;
}

/** What a detector looked at through its context: the profile, and files by content hash (null: missing). */
export interface ContextUse {
  profile: boolean;
  reads: Record<string, string | null>;
}

export interface FileTask {
  path: string;
  language: Language;
  role: FileRole;
  /** Bytes on disk, when known (for pacing and balancing work). */
  size?: number;
}

export const DEFAULT_ROLES: readonly FileRole[] = ['source', 'test', 'example', 'fixture'];

/**
 * Whether a detector's text gate (`requires`) lets it look at this file. `seen` remembers each
 * regex's answer for this text, so a source gate that several detectors share scans the file once.
 */
export function passesTextGate(
  detector: FileDetector,
  language: Language,
  text: string,
  seen: Map<RegExp, boolean> = new Map(),
): boolean {
  const gate = detector.requires;
  if (!gate) return true;
  const regex =
    gate instanceof RegExp || Array.isArray(gate)
      ? (gate as TextGate)
      : (gate as Partial<Record<Language, TextGate>>)[language];
  if (regex === undefined) return true;
  const test = (each: RegExp) => {
    let found = seen.get(each);
    if (found === undefined) {
      found = each.test(text);
      seen.set(each, found);
    }
    return found;
  };
  if (regex instanceof RegExp) return test(regex);
  // A part another detector's gate already found missing settles it without scanning the rest
  // (the request-source gate, which many share, is often that part).
  const knownMissing = (each: RegExp) => seen.get(each) === false;
  if (regex.some((item) => (item instanceof RegExp ? knownMissing(item) : item.every(knownMissing))))
    return false;
  return regex.every((item) => (item instanceof RegExp ? test(item) : item.some(test)));
}

/** The detectors that run on a file of this language and role, in registry order. */
export function applicableDetectors(detectors: readonly FileDetector[], task: FileTask): FileDetector[] {
  return detectors.filter(
    (d) => d.languages.includes(task.language) && (d.roles ?? DEFAULT_ROLES).includes(task.role),
  );
}

function ruleFor(detector: FileDetector, language: Language): NapiConfig | undefined {
  const rule = detector.rule;
  if (!rule) return undefined;
  return 'rule' in rule ? (rule as NapiConfig) : rule[language];
}

/**
 * Stable rule and walk arrays, so the matcher's per-array plan is built once per detector set and
 * language.
 */
const ruleLists = new WeakMap<
  readonly FileDetector[],
  Map<string, { rules: NapiConfig[]; walks: NapiConfig[] }>
>();

function rulesOf(detectors: readonly FileDetector[], all: readonly FileDetector[], language: Language) {
  let byKey = ruleLists.get(all);
  if (!byKey) {
    byKey = new Map();
    ruleLists.set(all, byKey);
  }
  const withRules = detectors.filter((d) => ruleFor(d, language) !== undefined);
  const key = `${language}:${detectors.map((d) => all.indexOf(d)).join(',')}`;
  let lists = byKey.get(key);
  if (!lists) {
    lists = {
      rules: withRules.map((d) => ruleFor(d, language) as NapiConfig),
      walks: detectors.flatMap((d) => d.walks?.[language] ?? []),
    };
    byKey.set(key, lists);
  }
  return { withRules, ...lists };
}

/** Content hashes already computed this run, by path (checked against the very text read). */
export type HashMemo = Map<string, { text: string; hash: string }>;

/**
 * A view of the repository context that records what a detector looked at. Detectors that read
 * the same files share `hashes`, so each text is hashed once.
 */
export function watchedContext(
  context: RepoContext,
  hashes: HashMemo = new Map(),
): { context: RepoContext; use(): ContextUse | undefined } {
  let profile = false;
  let reads: Record<string, string | null> | undefined;
  return {
    context: {
      get profile(): RepoProfile {
        profile = true;
        return context.profile;
      },
      read(file: string) {
        const text = context.read(file);
        reads ??= {};
        if (text === undefined) {
          reads[file] = null;
        } else {
          const known = hashes.get(file);
          const hash = known && known.text === text ? known.hash : contentHash(text);
          if (known?.hash !== hash) hashes.set(file, { text, hash });
          reads[file] = hash;
        }
        return text;
      },
    },
    use: () => (profile || reads ? { profile, reads: reads ?? {} } : undefined),
  };
}

/**
 * Run every applicable file detector over one file: the file is parsed once, all rules are
 * matched in one pass, then each detector refines its matches and runs its own checks. Outcomes
 * come back in detector order. `all` is the full detector list (a stable array).
 */
export function runFilePass(
  task: FileTask,
  text: string,
  detectors: readonly FileDetector[],
  context: RepoContext,
  all: readonly FileDetector[] = detectors,
): DetectorOutcome[] {
  let tree: SgRoot | undefined | null = null;
  let lines: string[] | undefined;
  const input: FileInput = {
    path: task.path,
    language: task.language,
    role: task.role,
    text,
    get lines() {
      lines ??= text.split(/\r?\n/);
      return lines;
    },
    ast: () => {
      if (tree === null) tree = parseSource(task.language, text);
      return tree;
    },
  };
  const seen = new Map<RegExp, boolean>();
  const gated = detectors.filter((detector) => passesTextGate(detector, task.language, text, seen));
  const { withRules, rules, walks } = rulesOf(gated, all, task.language);
  const root = rules.length > 0 || walks.length > 0 ? input.ast()?.root() : undefined;
  const { matches: matched, walked } = root
    ? matchAll(root, task.language, rules, walks)
    : { matches: [], walked: undefined };
  if (walked && walked.size > 0) input.walked = walked;

  return detectors.map((detector) => {
    if (!gated.includes(detector)) return { detector: detector.id, findings: [] };
    const watch = watchedContext(context);
    const view = watch.context;
    const findings: RawFinding[] = [];
    try {
      const index = withRules.indexOf(detector);
      const result = index === -1 ? undefined : matched[index];
      if (result && 'error' in result) throw result.error;
      for (const node of result?.nodes ?? []) {
        if (detector.match) {
          const refined = detector.match(node, input, view);
          if (refined) findings.push(refined);
        } else {
          const range = node.range();
          findings.push({ file: input.path, startLine: range.start.line + 1, endLine: range.end.line + 1 });
        }
      }
      if (detector.check) findings.push(...detector.check(input, view));
    } catch (error) {
      return { detector: detector.id, findings: [], error: String(error) };
    }
    const use = watch.use();
    return use ? { detector: detector.id, findings, context: use } : { detector: detector.id, findings };
  });
}
