/** The vocabulary of execution: executor adapters, their reports, review evidence and verdicts. */
import type { PathChange } from '../git/changes.ts';
import type { Plan } from '../plans/plan.ts';
import type { UnrunTest } from './test-reach.ts';

/** What an executor says about its own work, read from the fixed report format. */
export interface ExecutorReport {
  status: 'DONE' | 'STOPPED' | 'BLOCKED';
  stepsCompleted: string;
  verifyResults: string[];
  filesChanged: string[];
  /** The STOP condition that applied; undefined when the report says none. */
  stopReason?: string;
  notes?: string;
}

export interface ExecutorRunInput {
  /** The worktree the executor works in (absolute). */
  worktree: string;
  /** A read-only copy of the plan file, outside the worktree. */
  planFile: string;
  /** The executor prompt (preamble + inlined plan + feedback), outside the worktree. */
  promptFile: string;
  prompt: string;
  /** The reviewer's feedback on the previous round, when this is a revision. */
  feedback?: string;
  /** 1 for the first attempt, 2 and up for revisions. */
  round: number;
  /** In-scope paths of the plan (some CLIs want the files named). */
  files: readonly string[];
  timeoutMs: number;
  signal?: AbortSignal;
}

/** How one executor run ended. Recoverable failures are values, never exceptions. */
export interface ExecutorRun {
  /** The parsed report; undefined when the output held none. */
  report?: ExecutorReport;
  /** null when the process was killed (timeout, output limit, interrupt). */
  exitCode: number | null;
  timedOut: boolean;
  outputLimited: boolean;
  /** Ctrl-C or the caller's signal ended the run. */
  interrupted: boolean;
  /** The last part of the executor's output, redacted. */
  outputTail: string;
}

export interface Availability {
  ok: boolean;
  /** What is missing and how to get it, when not ok. */
  reason?: string;
}

/**
 * One way to get a plan carried out. `defers` adapters (handoff) do no work themselves: execute
 * prepares the worktree and prompt, and the review happens later with `improve review`.
 */
export interface ExecutorAdapter {
  name: string;
  /** One line for help and messages. */
  description: string;
  defers?: boolean;
  available(): Promise<Availability>;
  run(input: ExecutorRunInput): Promise<ExecutorRun>;
}

export type VerdictKind = 'APPROVE' | 'REVISE' | 'BLOCK';

/** One done criterion re-run by the reviewer. */
export interface CriterionResult {
  run: string;
  expect: string;
  passed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  /** Last lines of stdout and stderr, redacted. */
  outputTail: string;
}

export interface ScopeResult {
  passed: boolean;
  changed: PathChange[];
  /** Changed paths outside the in-scope list. */
  outside: PathChange[];
}

export interface TestProblem {
  file: string;
  line: number;
  message: string;
}

export interface TestAuditResult {
  passed: boolean;
  /** New or changed test files that were read. */
  files: string[];
  problems: TestProblem[];
  /** New test files that the package's test script, which names its files, does not run. */
  unrun?: UnrunTest[];
}

/** What an optional reviewer model gets, and what it answers. */
export interface ReviewModelInput {
  plan: Plan;
  diff: string;
  criteria: readonly CriterionResult[];
  scope: ScopeResult;
  tests: TestAuditResult;
}

export interface ReviewModelAnswer {
  verdict: VerdictKind;
  notes: string;
}

export type ReviewModel = (input: ReviewModelInput) => Promise<ReviewModelAnswer>;

/** The reviewer's judgement of one attempt, with the evidence behind it. */
/** The plan's rule run again over the attempt. */
export interface RuleRecheck {
  ruleId: string;
  /**
   * What it still reports, at MED or HIGH confidence, where the plan's findings were: the same
   * finding with its code untouched, or one on lines the attempt added or changed.
   */
  still: { file: string; line: number; confidence: 'HIGH' | 'MED'; title: string }[];
}

export interface Review {
  verdict: VerdictKind;
  /** One line: why this verdict. */
  reason: string;
  criteria: CriterionResult[];
  scope?: ScopeResult;
  /** Absent when the rule could not be run (a plan from a model, or no rule named). */
  rule?: RuleRecheck;
  tests?: TestAuditResult;
  model?: ReviewModelAnswer;
  /** Specific problems, one per line: the feedback a REVISE sends back. */
  problems: string[];
  /** `git diff --stat` of the attempt. */
  diffStat: string;
}
