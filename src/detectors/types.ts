import type { NapiConfig, SgNode, SgRoot } from '@ast-grep/napi';
import type {
  Category,
  Confidence,
  Effort,
  FileRole,
  Impact,
  Language,
  RepoProfile,
  Risk,
} from '../core/types.ts';

/** What a detector says about itself; copied onto every finding it produces unless overridden. */
/**
 * A text gate for one language: a regex, or a list whose items must all match, where an item that
 * is itself a list matches when any of its regexes does (`[sink, [requestSource, browserSource]]`).
 */
export type TextGate = RegExp | readonly (RegExp | readonly RegExp[])[];

/** A detector's advice for findings in one language, replacing its general text there. */
export interface LanguageGuidance {
  fixSketch?: string;
  riskReason?: string;
  steps?: string[];
}

export interface DetectorMeta {
  /** Stable rule id, kebab-case, prefixed by category, e.g. `security/sql-injection`. */
  id: string;
  category: Category;
  /** Short title for the findings table. */
  title: string;
  /** What the problem is and why it matters, for plans ("Why this matters"). */
  description: string;
  impact: Impact;
  effort: Effort;
  risk: Risk;
  riskReason: string;
  confidence: Confidence;
  fixSketch: string;
  /** Concrete steps for a plan, in order, each phrased for an executor that has never seen the repo. */
  steps?: string[];
  /**
   * The fix sketch, risk reason and steps for a finding in a Python file, where the general ones
   * speak of JavaScript too (`const ids = items.map(…)`, `JSON.parse`, `$1` placeholders): a plan
   * about a .py file is read by an executor that follows it literally (`guidanceFor`).
   */
  python?: LanguageGuidance;
  /**
   * About how a repository is run (CI, lockfile, scripts, tests, agent guide, links to files that
   * packages do not ship): skipped when the folder is an installed package, not a repository.
   */
  repoHygiene?: boolean;
  /**
   * One done check for several of this detector's findings, which a plan covers together
   * (write-plans.ts): it must pass only when every one of `checks` would. Undefined when they
   * cannot be merged; the plan then joins them with `&&`.
   */
  mergeDoneChecks?(checks: readonly string[]): string | undefined;
  /** Runs in `quick` audits too (cheap and high-signal). Default true for file detectors. */
  quick?: boolean;
  /**
   * What a repo-level detector may read in branch mode (`improve branch`). `'files'`: its file list
   * is the scope's files alone, for detectors whose finding about a file depends on that file alone
   * (credentials, TODO clusters). `'scope'`: source and test files outside the branch's scope read
   * as missing (docs, config and manifests stay readable; the file list stays whole), for detectors
   * that can only miss findings, never invent one, when other code goes unread (duplicates).
   * `'repo'` (the default): every file, for detectors that conclude from absence elsewhere (nothing
   * imports this file); they get `context.scope` and should read only what it needs (the import
   * graph does so by itself). `'none'`: not run in branch mode, for conclusions about the
   * repository as a whole that no scope can answer; the branch report says so.
   */
  branchReads?: 'files' | 'scope' | 'repo' | 'none';
  /**
   * Repo-level detectors' findings are cached against what they looked at through their `context`
   * (the profile, and each file read with `context.read`) and reused while that is unchanged. A
   * detector that checks the disk itself (`existsSync`, `readdirSync`, running a program) sets
   * `cacheable: false` and runs every time, so keep such detectors cheap. File detectors are always
   * cached by their file's content, so they must look only at their file and their `context`.
   */
  cacheable?: false;
}

/** One place a detector flagged. Lines are 1-based and inclusive. */
export interface RawFinding {
  /**
   * The cited file. Omit only for a finding about something absent (no CI, no test command) when
   * no file is relevant; then `key` must be set and the finding carries no evidence.
   */
  file?: string;
  startLine?: number;
  endLine?: number;
  /** More places that belong to the same finding (e.g. the other copy of a duplicate block). */
  related?: { file: string; startLine: number; endLine: number }[];
  /** Overrides of the detector's metadata for this one finding. */
  title?: string;
  message?: string;
  impact?: Impact;
  effort?: Effort;
  risk?: Risk;
  riskReason?: string;
  confidence?: Confidence;
  fixSketch?: string;
  /** Shell command, run at the repo root, that exits 0 once this problem is gone and non-zero while it is there. */
  doneCheck?: string;
  /** Distinguishes findings whose cited text is identical (e.g. repo-level findings with no real lines). */
  key?: string;
  /**
   * The last line of the cited range that identifies the finding, when the range quotes more than
   * that (a whole test cited for its reader, identified by its first line): its id stays the same
   * when the lines after it change.
   */
  anchorEndLine?: number;
}

/** One file as detectors see it. `text` is the raw file; never put it in a finding, use line ranges. */
export interface FileInput {
  path: string;
  language?: Language;
  role: FileRole;
  text: string;
  lines: string[];
  /** Parsed tree, parsed once per file and shared by every rule; undefined for unsupported languages. */
  ast(): SgRoot | undefined;
  /**
   * The nodes of the detectors' `walks` that the file pass collected in its one walk of the tree,
   * by query. Read them through `walkFile` (walk.ts), which walks the tree itself for the rest.
   */
  walked?: ReadonlyMap<NapiConfig, readonly SgNode[]>;
}

export interface RepoContext {
  profile: RepoProfile;
  /** Read a repo-relative file as UTF-8 (cached); undefined when missing or unreadable. */
  read(path: string): string | undefined;
  /** Set in branch mode (`improve branch`): what the branch changed and how to find the rest. */
  scope?: RepoScope;
}

/**
 * A complete, fast search of the repository's files (`git grep` over tracked and untracked text
 * files), so that branch mode can answer "does anything else mention X?" without reading every
 * file. Paths are repo-relative; results may name files the profile leaves out.
 */
export interface RepoSearch {
  /** Files containing one of the patterns, sorted. */
  files(patterns: readonly string[], options?: SearchOptions): string[];
}

export interface SearchOptions {
  /** Only files whose name matches one of these globs (`*.ts`). */
  globs?: readonly string[];
  /** Match whole words only (word characters: letters, digits, `_`). */
  words?: boolean;
  /**
   * The patterns are regular expressions (default: fixed strings), in the syntax both POSIX
   * extended and Perl-compatible expressions read the same way: `[.]`, `[(]`, `[[:space:]]`, `(a|b)`,
   * `$`; no `\b`, `\s` or `\w`.
   */
  regex?: boolean;
}

/**
 * Branch mode: only findings that cite one of `files` are reported. Detectors that conclude from
 * absence (nothing imports this, nothing uses that) conclude about `changed` files only and read
 * what that needs through `search`.
 */
export interface RepoScope {
  /** The changed files and their direct importers. */
  files: ReadonlySet<string>;
  /** The files the branch added or modified. */
  changed: ReadonlySet<string>;
  /** Undefined when no search can run: then detectors build their whole-repository views. */
  search?: RepoSearch;
  /**
   * A search already made (for the scope's importers), so it need not run again: `files` holds,
   * for each group, the files of its name patterns that contain one of its needles.
   */
  found?: {
    groups: readonly { needles: ReadonlySet<string>; globs: ReadonlySet<string> }[];
    files: ReadonlySet<string>;
  };
}

/** A detector that looks at one file at a time. */
export interface FileDetector extends DetectorMeta {
  scope: 'file';
  languages: readonly Language[];
  /**
   * ast-grep rule per language (or one for all the detector's languages). Each match becomes a
   * finding, unless `match` refines it.
   */
  rule?: NapiConfig | Partial<Record<Language, NapiConfig>>;
  /**
   * A cheap first gate on the file's text: the detector cannot find anything in a file whose text
   * does not match (e.g. no `catch` keyword, no `createHash` call). Such files skip the detector's
   * rule and checks, and a file no detector needs is not parsed at all. One regex for every
   * language, or one per language (a language left out is never skipped). Must be a necessary
   * condition of every finding — a positive test whose file fails it will fail — and must not use
   * the `g` or `y` flags. A list means every regex in it must match (a sink and a source).
   */
  requires?: TextGate | Partial<Record<Language, TextGate>>;
  /**
   * Whole-file queries the detector's `check` makes with `walkFile(file, query)` (walk.ts), by
   * language, each a stable object. Every query over the whole tree walks all of it (about 26 µs
   * a KB of source, however few nodes it asks for), so the file pass folds these into its own
   * walk, the one that collects the rules' candidates, wherever their nodes can be told apart.
   */
  walks?: Partial<Record<Language, readonly NapiConfig[]>>;
  /** Refine one rule match: return a finding, or undefined to drop it. */
  match?(node: SgNode, file: FileInput, context: RepoContext): RawFinding | undefined;
  /** For what a rule cannot say: inspect the file directly. */
  check?(file: FileInput, context: RepoContext): RawFinding[];
  /**
   * File roles this detector runs on. Default: source, test, example and fixture files; a finding
   * outside source is downgraded to LOW confidence and labelled with its role, unless the role is
   * listed in `targetRoles` (for detectors about tests themselves).
   */
  roles?: readonly FileRole[];
  /** Roles where findings keep full weight (default: source only). */
  targetRoles?: readonly FileRole[];
}

/** A detector that looks at the repository as a whole (its profile, manifests, docs, history). */
export interface RepoDetector extends DetectorMeta {
  scope: 'repo';
  check(context: RepoContext): RawFinding[];
}

export type Detector = FileDetector | RepoDetector;
