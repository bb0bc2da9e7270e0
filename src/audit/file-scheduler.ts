import { Worker } from 'node:worker_threads';
import { errorMessage } from '../core/errors.ts';
import { ownCodeFile } from '../core/install-root.ts';
import type { FileTask } from './file-pass.ts';
import { RELEASE_EVERY_BYTES, releaseParseTrees } from './native-memory.ts';
import {
  WAIT_FOR_SETUP,
  type WorkerData,
  type WorkerFileResult,
  type WorkerMessage,
  type WorkerSetup,
  type WorkerStart,
} from './worker-setup.ts';

export interface FileTaskRun {
  /** Files to process, in the order they are handed out (largest first balances the cores). */
  tasks: FileTask[];
  /** Worker threads to start; 0 processes every file on this thread. */
  workers: number;
  /** What workers need to rebuild the detectors; undefined keeps the work on this thread. */
  setup: Omit<WorkerSetup, 'tasks' | 'next'> | undefined;
  /** Process one task on this thread. */
  runLocal(index: number): WorkerFileResult;
  onResult(result: WorkerFileResult): void;
  /** Work for this thread while the workers start on the files (the repo-level detectors). */
  meanwhile?(): void;
  /** Workers started ahead (used first; the rest are stopped). */
  warm?: WarmWorkers;
}

/** The worker's entry: the source, the module `tsc` wrote, or its bundle, at the same path in each. */
const workerFile = () => ownCodeFile('audit/detector-worker.ts');

/** A started worker thread, and when it ended: with the error that stopped it, if one did. */
interface Launched {
  worker: Worker;
  ended: Promise<string | undefined>;
}

function launch(workerData: WorkerData): Launched {
  // A bounded young generation: a worker's garbage is per-file node wrappers that die young, and
  // V8's default lets each worker hold ~100 MB more of it than it needs (peak RSS 860 → 590 MiB
  // on the benchmark corpus, same CPU time). 16 MB rather than 4 scavenges less often: 2–4% less
  // CPU for the cold bench audit, peak RSS 541 → 567 MiB; 32 MB bought nothing more (595 MiB).
  const worker = new Worker(workerFile(), { workerData, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
  // Listen at once: an error while a started worker waits must not go unhandled.
  const ended = new Promise<string | undefined>((resolve) => {
    worker.on('error', (error) => resolve(errorMessage(error)));
    worker.on('exit', () => resolve(undefined));
  });
  return { worker, ended };
}

/**
 * Worker threads started before their work is known (while recon reads the repository), so that
 * loading their modules overlaps recon instead of the file pass. Idle ones never keep the process
 * alive; `close` stops those nobody took.
 */
export interface WarmWorkers {
  /** Up to `count` of the started workers, now owned by the caller. */
  take(count: number): Launched[];
  /** Stop the workers nobody took. */
  close(): void;
}

export function startWorkers(count: number): WarmWorkers {
  const idle = Array.from({ length: count }, () => launch(WAIT_FOR_SETUP));
  for (const { worker } of idle) worker.unref();
  return {
    take(wanted) {
      const taken = idle.splice(0, Math.max(0, wanted));
      for (const { worker } of taken) worker.ref();
      return taken;
    },
    close() {
      for (const { worker } of idle.splice(0)) void worker.terminate();
    },
  };
}

/** Let worker messages in between files, and free parse trees every few megabytes. */
function pacer(tasks: readonly FileTask[]): (index: number) => Promise<void> {
  let parsed = 0;
  return async (index) => {
    parsed += tasks[index]?.size ?? 0;
    if (parsed >= RELEASE_EVERY_BYTES) {
      parsed = 0;
      await releaseParseTrees();
    } else {
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
}

/**
 * Process file tasks on worker threads (or on this thread when there are none). Workers claim
 * tasks from one shared counter, so whichever is free takes the next file; results arrive in any
 * order (callers index them). A worker that fails leaves its unfinished files to this thread.
 * Threads free native parse trees as they go (see native-memory.ts).
 */
export async function runFileTasks(run: FileTaskRun): Promise<{ workers: number; failures: string[] }> {
  const next = new SharedArrayBuffer(4);
  const counter = new Int32Array(next);
  const finished = new Set<number>();
  const accept = (result: WorkerFileResult) => {
    if (finished.has(result.index)) return;
    finished.add(result.index);
    run.onResult(result);
  };
  const setup = run.tasks.length > 0 ? run.setup : undefined;
  const count = setup ? run.workers : 0;
  const workers: Promise<void>[] = [];
  const failures: string[] = [];
  const started = setup ? (run.warm?.take(count) ?? []) : [];
  run.warm?.close();
  for (let i = 0; setup && i < count; i += 1) {
    const workerData: WorkerSetup = { ...setup, tasks: run.tasks, next };
    const warm = started[i];
    const { worker, ended } = warm ?? launch(workerData);
    if (warm) worker.postMessage({ setup: workerData } satisfies WorkerStart);
    worker.on('message', (message: WorkerMessage) => {
      if ('results' in message) for (const result of message.results) accept(result);
    });
    // A failed worker's unfinished files are picked up below; the run itself goes on.
    workers.push(
      ended.then((failure) => {
        if (failure !== undefined) failures.push(failure);
      }),
    );
  }
  run.meanwhile?.();
  const pace = pacer(run.tasks);
  // With workers, this thread only collects: a third parsing thread on two cores would add
  // memory, not speed. Without them, it does the work itself.
  while (count === 0) {
    const index = Atomics.add(counter, 0, 1);
    if (index >= run.tasks.length) break;
    accept(run.runLocal(index));
    await pace(index);
  }
  await Promise.all(workers);
  for (let index = 0; index < run.tasks.length; index += 1) {
    if (finished.has(index)) continue;
    accept(run.runLocal(index));
    await pace(index);
  }
  return { workers: count, failures };
}
