/**
 * The plan store: the one place that writes plan files and the index. Writes happen under a lock
 * in the plans folder and are atomic; existing plan files are never overwritten (except for an
 * explicit status update), and an index that is not ours or has broken markers is never
 * overwritten blindly.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { EnvironmentError, errorMessage, hasErrorCode, UsageError } from '../core/errors.ts';
import { readPlanHeader, splitFrontMatter } from './front-matter.ts';
import {
  type IndexRejection,
  type ParsedIndex,
  parseIndex,
  type RunSummary,
  renderIndex,
} from './index-file.ts';
import { parsePlan } from './parse-plan.ts';
import { formatPlanId, type Plan, type PlanExecution, type PlanStatus, planFileName } from './plan.ts';
import { setPlanIssue } from './plan-issue.ts';
import { setPlanStatus } from './plan-status.ts';
import { renderPlan } from './render-plan.ts';

export const INDEX_FILE = 'README.md';
export const LOCK_FILE = '.improve.lock';
const PLAN_FILE = /^(\d{3,})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/;

export interface PlansDirChoice {
  /** Absolute path. */
  dir: string;
  /** As given or chosen, relative to the root (e.g. `plans`). */
  relative: string;
  /** Why the default was not used, for the CLI to print. */
  reason?: string;
}

function isOurs(dir: string): boolean {
  const index = path.join(dir, INDEX_FILE);
  if (existsSync(index) && parseIndex(readFileSync(index, 'utf8')).ours) return true;
  return readdirSync(dir).some((name) => {
    if (!name.endsWith('.md') || name === INDEX_FILE) return false;
    try {
      const file = path.join(dir, name);
      readPlanHeader(splitFrontMatter(readFileSync(file, 'utf8'), name).data, name);
      return true;
    } catch {
      return false;
    }
  });
}

/** Free for plans: missing, an empty folder, or a folder that already holds our plans. */
function usable(dir: string): boolean {
  if (!existsSync(dir)) return true;
  if (!statSync(dir).isDirectory()) return false;
  return readdirSync(dir).length === 0 || isOurs(dir);
}

/** `plans/`, unless it exists for something else; then `advisor-plans/`. `requested` wins. */
export function choosePlansDir(root: string, requested?: string): PlansDirChoice {
  if (requested !== undefined && requested !== '') {
    const dir = path.resolve(root, requested);
    if (existsSync(dir) && !statSync(dir).isDirectory()) {
      throw new UsageError(
        `--plans-dir ${requested} is a file, not a folder`,
        'Pass a folder for the plans (it is created when missing).',
      );
    }
    return { dir, relative: requested };
  }
  const plans = path.join(root, 'plans');
  if (usable(plans)) return { dir: plans, relative: 'plans' };
  const fallback = path.join(root, 'advisor-plans');
  if (!usable(fallback)) {
    throw new UsageError(
      'Both plans/ and advisor-plans/ already exist for something else.',
      'Choose a folder for the plans with --plans-dir DIR.',
    );
  }
  return {
    dir: fallback,
    relative: 'advisor-plans',
    reason:
      'plans/ already exists for something else (no improve index and no plan files in it), so plans are written to advisor-plans/ instead. Use --plans-dir to choose another folder.',
  };
}

export interface LoadedPlans {
  plans: Plan[];
  /** Plan file names, by plan number. */
  files: Map<number, string>;
  /** The parsed index; empty (not ours, nothing found) when there is no index file. */
  index: ParsedIndex;
  indexExists: boolean;
  /** Unreadable plan files and index problems, each naming the file. */
  problems: string[];
  /** The number the next new plan gets: never reused, even after a plan file is deleted. */
  nextNumber: number;
  /** Finding ids that already have a plan. */
  plannedFindings: Set<string>;
}

export function loadPlans(dir: string): LoadedPlans {
  const loaded: LoadedPlans = {
    plans: [],
    files: new Map(),
    index: { ours: false, rejected: [], problems: [] },
    indexExists: false,
    problems: [],
    nextNumber: 1,
    plannedFindings: new Set(),
  };
  if (!existsSync(dir)) return loaded;
  let highest = 0;
  for (const name of readdirSync(dir).sort()) {
    const match = PLAN_FILE.exec(name);
    if (!match) continue;
    const number = Number(match[1]);
    highest = Math.max(highest, number);
    loaded.files.set(number, name);
    try {
      const plan = parsePlan(readFileSync(path.join(dir, name), 'utf8'), name);
      if (plan.number !== number) {
        loaded.problems.push(`${name}: front matter id ${plan.id} does not match the file name`);
      }
      loaded.plans.push(plan);
      for (const id of plan.findings) loaded.plannedFindings.add(id);
    } catch (error) {
      loaded.problems.push(errorMessage(error));
    }
  }
  const indexPath = path.join(dir, INDEX_FILE);
  if (existsSync(indexPath)) {
    loaded.index = parseIndex(readFileSync(indexPath, 'utf8'));
    loaded.indexExists = true;
    for (const problem of loaded.index.problems) loaded.problems.push(`${INDEX_FILE}: ${problem}`);
  }
  loaded.nextNumber = Math.max(loaded.index.nextNumber ?? 1, highest + 1, 1);
  return loaded;
}

export interface WritePlansInput {
  plans: readonly Plan[];
  rejected?: readonly IndexRejection[];
  /** Omit or null to keep the previous run summary. */
  runSummary?: RunSummary | null;
  /** Omit or null to keep the previous selection note. */
  selectionNote?: string | null;
}

export interface WriteResult {
  dir: string;
  /** File names written (plan files, then README.md). */
  written: string[];
  /** Plan files that already existed with identical content. */
  unchanged: string[];
  /** The backup of a broken index, when one was made. */
  backup?: string;
  /** Things the caller should tell the user. */
  notes: string[];
  nextNumber: number;
}

function assertIndexIsOurs(dir: string): void {
  const index = path.join(dir, INDEX_FILE);
  if (existsSync(index) && !parseIndex(readFileSync(index, 'utf8')).ours) {
    throw new UsageError(
      `${index} exists and was not written by improve; it will not be overwritten.`,
      'Write the plans to another folder with --plans-dir DIR.',
    );
  }
}

/** Block the thread for `ms` milliseconds (the store's writes are synchronous). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isLocked(error: unknown): boolean {
  return hasErrorCode(error, 'ELOCKED');
}

/**
 * Run `work` holding the folder's lock. With `waitMs`, a lock held by another run is waited for
 * (polling) up to that long before giving up; without it the call fails at once.
 */
export function withLock<T>(dir: string, work: () => T, waitMs = 0): T {
  mkdirSync(dir, { recursive: true });
  assertIndexIsOurs(dir);
  const lockPath = path.join(dir, LOCK_FILE);
  const deadline = Date.now() + waitMs;
  let release: () => void;
  for (;;) {
    try {
      release = lockfile.lockSync(dir, { lockfilePath: lockPath, stale: 30_000, realpath: false });
      break;
    } catch (error) {
      if (isLocked(error) && Date.now() < deadline) {
        sleepSync(20 + Math.floor(Math.random() * 30));
        continue;
      }
      if (isLocked(error)) {
        throw new EnvironmentError(
          `The plans folder ${dir} is locked by another improve run (${lockPath}).`,
          'Wait for that run to finish. If none is running, the lock goes stale after 30 seconds.',
        );
      }
      throw error;
    }
  }
  try {
    assertIndexIsOurs(dir);
    return work();
  } finally {
    release();
  }
}

function backupName(dir: string): string {
  let name = `${INDEX_FILE}.bak`;
  for (let n = 1; existsSync(path.join(dir, name)); n += 1) name = `${INDEX_FILE}.bak.${n}`;
  return name;
}

function checkNewPlan(plan: Plan, loaded: LoadedPlans, dir: string): 'new' | 'unchanged' {
  const name = planFileName(plan);
  if (plan.id !== formatPlanId(plan.number) || !PLAN_FILE.test(name)) {
    throw new UsageError(
      `Plan ${plan.id} (${plan.slug}) has a bad id or slug; the file name would be ${name}.`,
    );
  }
  const existing = loaded.files.get(plan.number);
  if (existing !== undefined) {
    if (existing === name && readFileSync(path.join(dir, existing), 'utf8') === renderPlan(plan))
      return 'unchanged';
    throw new UsageError(
      `Plan ${plan.id} already exists as ${existing}; plan files are never overwritten.`,
      `New plans start at number ${loaded.nextNumber}.`,
    );
  }
  if (plan.number < loaded.nextNumber) {
    throw new UsageError(
      `Plan number ${plan.id} was used before (the next number is ${loaded.nextNumber}); numbers are never reused.`,
    );
  }
  return 'new';
}

function mergeRejections(
  previous: readonly IndexRejection[],
  added: readonly IndexRejection[],
): IndexRejection[] {
  const byId = new Map<string, IndexRejection>();
  for (const item of [...previous, ...added]) {
    byId.set(item.findingId, {
      findingId: item.findingId,
      ruleId: item.ruleId,
      title: item.title,
      reason: item.reason,
    });
  }
  return [...byId.values()];
}

function writeIndex(
  dir: string,
  loaded: LoadedPlans,
  input: WritePlansInput,
  plans: readonly Plan[],
  result: WriteResult,
): void {
  const indexPath = path.join(dir, INDEX_FILE);
  const previous = existsSync(indexPath) ? readFileSync(indexPath, 'utf8') : undefined;
  const parsed = previous === undefined ? undefined : parseIndex(previous);
  let base = previous;
  if (parsed && parsed.problems.length > 0) {
    const backup = backupName(dir);
    copyFileSync(indexPath, path.join(dir, backup));
    result.backup = backup;
    result.notes.push(
      `${INDEX_FILE} had broken markers (${parsed.problems.join('; ')}); the original was saved as ${backup} and a fresh index was written.`,
    );
    base = undefined;
  }
  const byId = new Map<string, Plan>();
  for (const plan of [...loaded.plans, ...plans]) byId.set(plan.id, plan);
  const text = renderIndex(
    {
      plans: [...byId.values()].sort((a, b) => a.number - b.number),
      rejected: mergeRejections(parsed?.rejected ?? [], input.rejected ?? []),
      runSummary: input.runSummary ?? null,
      selectionNote: input.selectionNote ?? null,
      nextNumber: result.nextNumber,
    },
    base,
  );
  if (text !== previous) {
    writeFileAtomic.sync(indexPath, text);
    result.written.push(INDEX_FILE);
  }
}

/** Write new plan files and refresh the index, atomically and under the folder's lock. */
export function writePlans(dir: string, input: WritePlansInput): WriteResult {
  return withLock(dir, () => {
    const loaded = loadPlans(dir);
    const result: WriteResult = { dir, written: [], unchanged: [], notes: [], nextNumber: loaded.nextNumber };
    const fresh: Plan[] = [];
    const seen = new Set<number>();
    for (const plan of input.plans) {
      if (seen.has(plan.number)) throw new UsageError(`Two plans in one write share number ${plan.id}.`);
      seen.add(plan.number);
      if (checkNewPlan(plan, loaded, dir) === 'new') fresh.push(plan);
      else result.unchanged.push(planFileName(plan));
      result.nextNumber = Math.max(result.nextNumber, plan.number + 1);
    }
    for (const plan of fresh) {
      writeFileAtomic.sync(path.join(dir, planFileName(plan)), renderPlan(plan));
      result.written.push(planFileName(plan));
    }
    writeIndex(dir, loaded, input, input.plans, result);
    return result;
  });
}

export interface UpdatePlanOptions {
  /** Set the plan's execution record (branch, worktree); null removes it; omit to keep it. */
  execution?: PlanExecution | null;
  /** Wait this long for a lock held by another run (e.g. a parallel `execute`); default: fail at once. */
  waitMs?: number;
}

function rewriteUnderLock(
  dir: string,
  id: string,
  change: (text: string, name: string) => string,
  waitMs: number | undefined,
): WriteResult {
  return withLock(
    dir,
    () => {
      const loaded = loadPlans(dir);
      const number = Number(id);
      const name = loaded.files.get(number);
      if (name === undefined) throw new UsageError(`No plan ${formatPlanId(number)} in ${dir}.`);
      const file = path.join(dir, name);
      const previous = readFileSync(file, 'utf8');
      const text = change(previous, name);
      const plan = parsePlan(text, name);
      const result: WriteResult = {
        dir,
        written: [],
        unchanged: [],
        notes: [],
        nextNumber: loaded.nextNumber,
      };
      if (text !== previous) {
        writeFileAtomic.sync(file, text);
        result.written.push(name);
      } else {
        result.unchanged.push(name);
      }
      writeIndex(dir, loaded, { plans: [] }, [plan], result);
      return result;
    },
    waitMs,
  );
}

/** Set one plan's status (its file and the index), keeping everything else in the file. */
export function updatePlanStatus(
  dir: string,
  id: string,
  status: PlanStatus,
  options: UpdatePlanOptions = {},
): WriteResult {
  return rewriteUnderLock(
    dir,
    id,
    (text, name) => setPlanStatus(text, status, name, options.execution),
    options.waitMs,
  );
}

/**
 * Rewrite one plan file with `transform` (which must keep it a valid plan) and refresh the index,
 * atomically and under the lock. The transform gets the file's current text, read under the lock.
 */
export function rewritePlan(
  dir: string,
  id: string,
  transform: (text: string, file: string) => string,
  options: { waitMs?: number } = {},
): WriteResult {
  return rewriteUnderLock(dir, id, transform, options.waitMs);
}

/**
 * Re-render the index from the plan files, under the lock: after a plan file was changed by hand
 * (e.g. a proposal moved over it), its row follows. Only an index of ours with intact markers is
 * touched, and only when its text would change.
 */
export function refreshIndex(dir: string, options: { waitMs?: number } = {}): WriteResult {
  return withLock(
    dir,
    () => {
      const loaded = loadPlans(dir);
      const result: WriteResult = {
        dir,
        written: [],
        unchanged: [],
        notes: [],
        nextNumber: loaded.nextNumber,
      };
      if (loaded.indexExists && loaded.index.ours && loaded.index.problems.length === 0)
        writeIndex(dir, loaded, { plans: [] }, [], result);
      return result;
    },
    options.waitMs,
  );
}

/**
 * Record published issue URLs (plan id → URL) in the plans' front matter and the index, atomically
 * and under one lock. Plans that already carry the URL are left as they are.
 */
export function setPlanIssues(dir: string, issues: ReadonlyMap<string, string>): WriteResult {
  return withLock(dir, () => {
    const loaded = loadPlans(dir);
    const result: WriteResult = { dir, written: [], unchanged: [], notes: [], nextNumber: loaded.nextNumber };
    const changed: Plan[] = [];
    for (const [id, url] of issues) {
      const name = loaded.files.get(Number(id));
      if (name === undefined) continue;
      const file = path.join(dir, name);
      const previous = readFileSync(file, 'utf8');
      const text = setPlanIssue(previous, url, name);
      if (text === previous) {
        result.unchanged.push(name);
        continue;
      }
      writeFileAtomic.sync(file, text);
      result.written.push(name);
      changed.push(parsePlan(text, name));
    }
    if (changed.length > 0) writeIndex(dir, loaded, { plans: [] }, changed, result);
    return result;
  });
}
