/** The shared vocabulary of every pipeline stage. Plain data, no behaviour. */

export const CATEGORIES = [
  'correctness',
  'security',
  'performance',
  'tests',
  'tech-debt',
  'dependencies',
  'dx',
  'docs',
  'direction',
] as const;
export type Category = (typeof CATEGORIES)[number];

export type Level = 'HIGH' | 'MED' | 'LOW';
export type Impact = Level;
export type Confidence = Level;
export type Risk = Level;
export type Effort = 'S' | 'M' | 'L';

/** Languages that detectors understand. Other languages are counted by recon but not audited. */
export type Language = 'typescript' | 'tsx' | 'javascript' | 'python';

/** Where a file sits, which changes how much a finding in it matters. */
export type FileRole =
  | 'source'
  | 'test'
  | 'example'
  | 'fixture'
  | 'generated'
  | 'vendored'
  | 'docs'
  | 'config';

export type AuditLevel = 'quick' | 'standard' | 'deep';

/** One cited place in the repository. `excerpt` is the file's real text, already redacted. */
export interface Evidence {
  file: string;
  startLine: number;
  endLine: number;
  excerpt: string;
}

/** One evidence-backed problem or opportunity. */
export interface Finding {
  /** Stable across line moves: derived from rule, file and the normalised text of the cited lines. */
  id: string;
  ruleId: string;
  category: Category;
  title: string;
  /** One or two sentences: what is wrong here and why it matters. */
  message: string;
  evidence: Evidence[];
  impact: Impact;
  effort: Effort;
  risk: Risk;
  riskReason: string;
  confidence: Confidence;
  fixSketch: string;
  /** A shell command that exits 0 once the problem is gone and non-zero while it is there. */
  doneCheck?: string;
  /** Role of the primary file when it is not ordinary source (findings there are downgraded). */
  fileRole?: FileRole;
  /** impact ÷ effort, discounted by confidence and risk; set by rank. */
  leverage?: number;
  /** Branch mode only. */
  introduced?: boolean;
}

/** A finding that vet dropped, with the reason. */
/** Rule ids of findings a model auditor reported: `llm/<category>`. */
export const LLM_RULE_PREFIX = 'llm/';

export interface Rejection {
  findingId: string;
  ruleId: string;
  title: string;
  file?: string;
  reason: string;
}

export type CommandKind = 'install' | 'build' | 'test' | 'lint' | 'typecheck' | 'format';
export const COMMAND_KINDS: readonly CommandKind[] = [
  'install',
  'build',
  'test',
  'lint',
  'typecheck',
  'format',
];

/** A command the repository itself defines, with where it is defined. */
export interface RepoCommand {
  kind: CommandKind;
  /** Exactly what to type at the repo root, e.g. `npm test` or `make lint`. */
  run: string;
  /** Where it is defined, e.g. `package.json scripts.test` or `Makefile:12`. */
  source: string;
  /**
   * The code its tools check, when its definition says: a package.json script runs JavaScript
   * tools (`eslint frontend`, `jest`), pyproject's and setup.cfg's commands run Python ones (pytest,
   * ruff, mypy). Undefined for a Makefile target, a CI step or an install, which may cover anything.
   */
  language?: 'javascript' | 'python';
}

/** A command that something references but that is not defined anywhere recon looked. */
export interface MissingCommand {
  run: string;
  referencedIn: string;
  reason: string;
}

export interface SkippedFile {
  path: string;
  reason:
    | 'ignored'
    | 'dependency'
    | 'build-output'
    | 'vendored'
    | 'minified'
    | 'generated'
    | 'too-large'
    | 'binary'
    | 'unreadable'
    | 'symlink'
    | 'invalid-utf8';
}

export interface SourceFile {
  /** Repo-relative, forward slashes. */
  path: string;
  size: number;
  language?: Language;
  /** Any language name recon recognised, for the language table (e.g. "Go"). */
  languageName?: string;
  role: FileRole;
}

export interface LanguageStat {
  name: string;
  files: number;
  bytes: number;
}

export interface Manifest {
  path: string;
  kind:
    | 'package.json'
    | 'pyproject.toml'
    | 'requirements.txt'
    | 'setup.py'
    | 'setup.cfg'
    | 'Pipfile'
    | 'Makefile'
    | 'go.mod'
    | 'Cargo.toml'
    | 'Gemfile'
    | 'pom.xml'
    | 'build.gradle';
}

/** Something recon could not read or parse; detectors turn these into findings. */
export interface ReconProblem {
  path: string;
  line?: number;
  message: string;
}

export interface CommitStyle {
  kind: 'conventional' | 'imperative' | 'freeform' | 'unknown';
  samples: string[];
}

export interface Conventions {
  moduleSystem?: 'esm' | 'commonjs' | 'mixed';
  testFramework?: string;
  testFilePattern?: string;
  exemplarTest?: string;
  commitStyle: CommitStyle;
}

export interface IntentDoc {
  path: string;
  kind:
    | 'adr'
    | 'prd'
    | 'context'
    | 'design'
    | 'product'
    | 'agents'
    | 'roadmap'
    | 'contributing'
    | 'architecture';
  title: string;
}

export interface Hotspot {
  path: string;
  commits: number;
}

export interface GitFacts {
  available: boolean;
  /** Why git facts are missing, when they are. */
  reason?: string;
  head?: string;
  branch?: string;
  defaultBranch?: string;
  hotspots: Hotspot[];
}

/**
 * What the repository around an audited folder provides for it, when the folder is part of a
 * larger repository (a package of a monorepo). Paths are relative to the audited folder.
 */
export interface EnclosingProject {
  /** The repository's root, from the audited folder: `../..`. */
  root: string;
  /** Lockfiles of the folders above, up to the root: `../../package-lock.json`. */
  lockfiles: string[];
  /** The nearest README above. */
  readme?: string;
  /** The nearest agent guide above (AGENTS.md, CLAUDE.md): agents read those of parent folders. */
  agentGuide?: string;
  /** The root's CI configuration: `../../.github/workflows/ci.yml`. */
  ciFiles: string[];
  /**
   * Each kind of command from the nearest folder above that defines it (package.json scripts,
   * Makefile targets, pytest's configuration), run from there: `cd ../.. && npm test`.
   */
  commands: RepoCommand[];
}

/** Everything recon learned about a repository. */
export interface RepoProfile {
  root: string;
  files: SourceFile[];
  skipped: SkippedFile[];
  languages: LanguageStat[];
  manifests: Manifest[];
  packageManager?: 'npm' | 'pnpm' | 'yarn' | 'bun' | 'pip' | 'poetry' | 'uv' | 'pipenv' | 'pdm';
  lockfiles: string[];
  commands: RepoCommand[];
  missingCommands: MissingCommand[];
  ciFiles: string[];
  conventions: Conventions;
  intentDocs: IntentDoc[];
  git: GitFacts;
  problems: ReconProblem[];
  /**
   * Set when the folder is an installed package (under node_modules or site-packages) rather than a
   * repository: what was published, without its tests, CI or lockfile. Says where, for the report.
   */
  publishedPackage?: string;
  /**
   * Set when the folder is part of a larger repository (`improve packages/api`): the lockfiles,
   * README, agent guide, CI and commands that the repository around it provides.
   */
  enclosing?: EnclosingProject;
  /**
   * JavaScript/TypeScript files inside vendored folders (`lib/vendor/`), which are not audited but
   * run with the repository's dependencies (at most a few thousand). Absent when there are none.
   */
  vendoredCode?: string[];
}
