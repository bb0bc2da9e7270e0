import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Parse trees live in native memory that V8 does not see, so it feels no pressure to collect the
 * small JavaScript objects that hold them, and their finalizers only run on a later turn of the
 * event loop. After every megabyte or so of parsed source, a thread calls
 * `releaseParseTrees()`: a garbage collection, then a yield so the finalizers free the trees.
 * Memory then stays flat.
 */
let collect: (() => void) | undefined;

function collector(): () => void {
  if (!collect) {
    try {
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('gc');
      collect = typeof gc === 'function' ? () => gc() : () => {};
    } catch {
      collect = () => {};
    }
  }
  return collect;
}

/**
 * Source bytes a thread parses between two collections. One megabyte keeps two workers' trees
 * under ~100 MB each on large files, for the same CPU time as two.
 */
export const RELEASE_EVERY_BYTES = 1024 * 1024;

/** A full garbage collection now (a no-op where the runtime refuses to expose it). */
export function collectGarbage(): void {
  collector()();
}

let heapAfterCollection = 0;

/**
 * Collect when the heap grew by more than `slackBytes` since the last time: long synchronous work
 * (the repo-level detectors) otherwise leaves hundreds of megabytes of garbage for V8 to reclaim
 * whenever it likes, which is what a peak RSS measures.
 */
export function collectIfGrown(slackBytes = 64 * 1024 * 1024): void {
  const used = getHeapStatistics().used_heap_size;
  if (used - heapAfterCollection < slackBytes) return;
  collectGarbage();
  heapAfterCollection = getHeapStatistics().used_heap_size;
}

export async function releaseParseTrees(): Promise<void> {
  collectGarbage();
  await new Promise((resolve) => setImmediate(resolve));
}
