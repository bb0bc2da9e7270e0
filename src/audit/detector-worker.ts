/**
 * A detector worker thread: claims files from the shared task list, reads and parses each once,
 * runs every applicable file detector (all rules in one pass), and posts the outcomes back in small
 * batches. Posting yields to the event loop, which lets the native parse trees be freed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { RepoContext } from '../detectors/types.ts';
import { applicableDetectors, runFilePass } from './file-pass.ts';
import { RELEASE_EVERY_BYTES, releaseParseTrees } from './native-memory.ts';
import { RepoReader } from './repo-reader.ts';
import { contentHash } from './result-cache.ts';
import {
  rebuildDetectors,
  type WorkerData,
  type WorkerFileResult,
  type WorkerMessage,
  type WorkerSetup,
  type WorkerStart,
} from './worker-setup.ts';

const BATCH_BYTES = 256 * 1024;

async function main(setup: WorkerSetup): Promise<void> {
  const port = parentPort;
  if (!port) return;
  const detectors = rebuildDetectors(setup.detectors);
  const reader = new RepoReader(setup.root);
  const context: RepoContext = { profile: setup.profile, read: (file) => reader.read(file) };
  const next = new Int32Array(setup.next);
  let batch: WorkerFileResult[] = [];
  let bytes = 0;
  let parsed = 0;
  const flush = async () => {
    if (batch.length > 0) port.postMessage({ results: batch } satisfies WorkerMessage);
    batch = [];
    bytes = 0;
    if (parsed >= RELEASE_EVERY_BYTES) {
      parsed = 0;
      await releaseParseTrees();
    } else {
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  for (;;) {
    const index = Atomics.add(next, 0, 1);
    const task = setup.tasks[index];
    if (!task) break;
    let text: string | undefined;
    try {
      text = readFileSync(path.join(setup.root, task.path), 'utf8');
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      batch.push({ index, outcomes: [] });
    } else {
      const applicable = applicableDetectors(detectors, task);
      const outcomes = runFilePass(task, text, applicable, context, detectors);
      batch.push({ index, hash: contentHash(text), outcomes });
      bytes += text.length;
      parsed += text.length;
    }
    if (bytes >= BATCH_BYTES || batch.length >= 32 || parsed >= RELEASE_EVERY_BYTES) await flush();
  }
  await flush();
  port.postMessage({ done: true } satisfies WorkerMessage);
}

// The setup is this module's own data, built by file-scheduler.ts and cloned across the thread
// boundary: as the worker's data, or, for a worker started ahead (with its modules loaded by the
// time it arrives), as the first message.
const data = workerData as WorkerData;
if ('waitForSetup' in data) {
  parentPort?.once('message', (message: WorkerStart) => void main(message.setup));
} else {
  await main(data);
}
