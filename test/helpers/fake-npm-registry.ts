/**
 * A local npm registry on 127.0.0.1 that speaks the wire format `npm audit` uses: the bulk
 * advisory endpoint (`POST /-/npm/v1/security/advisories/bulk`, a gzipped `{ name: [versions] }`
 * map answered with `{ name: [advisory] }`) and packuments (`GET /<name>`), which npm reads to
 * work out which versions fix an advisory. Point the real npm at it with `npm_config_registry`.
 */
import { Worker } from 'node:worker_threads';

export interface FakeRegistryRequest {
  method: string;
  url: string;
  body: string;
}

export interface FakeNpmRegistry {
  /** Registry URL with a trailing slash. */
  url: string;
  /** Every request so far (delivered once the test's thread is free again). */
  requests: FakeRegistryRequest[];
  close(): Promise<void>;
}

/** A packument with the given versions (and their dependencies), the last one `latest`. */
export function packument(name: string, versions: Record<string, Record<string, string>>): unknown {
  const entries = Object.entries(versions);
  return {
    name,
    'dist-tags': { latest: entries.at(-1)?.[0] ?? '0.0.0' },
    versions: Object.fromEntries(
      entries.map(([version, dependencies]) => [
        version,
        { name, version, dependencies, dist: { tarball: `http://127.0.0.1/${name}-${version}.tgz` } },
      ]),
    ),
  };
}

export function startFakeNpmRegistry(data: {
  advisories: Record<string, unknown[]>;
  packuments: Record<string, unknown>;
}): Promise<FakeNpmRegistry> {
  const worker = new Worker(new URL('./fake-npm-registry-worker.ts', import.meta.url), { workerData: data });
  const requests: FakeRegistryRequest[] = [];
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: { port?: number } & Partial<FakeRegistryRequest>) => {
      if (message.port !== undefined) {
        resolve({
          url: `http://127.0.0.1:${message.port}/`,
          requests,
          close: async () => {
            worker.postMessage('close');
            await new Promise((done) => worker.once('exit', done));
          },
        });
      } else {
        requests.push({ method: message.method ?? '', url: message.url ?? '', body: message.body ?? '' });
      }
    });
  });
}
