import type { RepoProfile } from '../core/types.ts';
import { CODE_DETECTORS } from '../detectors/code-detectors.ts';
import type { FileDetector } from '../detectors/types.ts';
import { type UserRuleSpec, userRuleDetector, userRuleSpecOf } from '../detectors/user-rule.ts';
import type { DetectorOutcome, FileTask } from './file-pass.ts';

/** Everything a detector worker needs, as plain data (it crosses a thread boundary). */
export interface WorkerSetup {
  root: string;
  profile: RepoProfile;
  /** The file detectors to run, in order: built-in ids, or user rules by spec. */
  detectors: ({ builtin: string } | { user: UserRuleSpec })[];
  tasks: FileTask[];
  /** Shared claim counter: the next index into `tasks`. */
  next: SharedArrayBuffer;
}

/** One file's outcome from a worker; `hash` is undefined when the file could not be read. */
export interface WorkerFileResult {
  index: number;
  hash?: string;
  outcomes: DetectorOutcome[];
}

export type WorkerMessage = { results: WorkerFileResult[] } | { done: true };

/** `workerData` of a worker started ahead of its work: it loads its modules, then waits for a `WorkerStart`. */
export const WAIT_FOR_SETUP = { waitForSetup: true } as const;

/** What a worker is started with: its setup, or the marker that the setup comes as a message. */
export type WorkerData = WorkerSetup | typeof WAIT_FOR_SETUP;

/** The one message a worker started ahead of its work (file-scheduler.ts `startWorkers`) waits for. */
export interface WorkerStart {
  setup: WorkerSetup;
}

/**
 * How to rebuild these detectors in another thread, or undefined when one of them cannot be
 * (a detector object passed in by a caller, e.g. a test): such runs stay on the main thread.
 */
export function describeDetectors(detectors: readonly FileDetector[]): WorkerSetup['detectors'] | undefined {
  const out: WorkerSetup['detectors'] = [];
  for (const detector of detectors) {
    const spec = userRuleSpecOf(detector);
    if (spec) out.push({ user: spec });
    else if (CODE_DETECTORS.includes(detector)) out.push({ builtin: detector.id });
    else return undefined;
  }
  return out;
}

/** The detectors a setup names, rebuilt from the registry and the user rules' specs. */
export function rebuildDetectors(described: WorkerSetup['detectors']): FileDetector[] {
  const byId = new Map(CODE_DETECTORS.map((d) => [d.id, d]));
  return described.map((entry) => {
    if ('user' in entry) return userRuleDetector(entry.user);
    const detector = byId.get(entry.builtin);
    if (!detector) throw new Error(`unknown detector ${entry.builtin}`);
    return detector;
  });
}
