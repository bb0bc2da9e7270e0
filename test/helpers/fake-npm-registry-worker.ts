/**
 * The fake npm registry's server, in a worker thread: `npm audit` runs synchronously in the test's
 * thread (the detector uses spawnSync), so the server needs an event loop of its own.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';

interface Data {
  /** Name → advisories, as the bulk endpoint answers them. */
  advisories: Record<string, unknown[]>;
  /** Name → packument (`{ name, versions, 'dist-tags' }`). */
  packuments: Record<string, unknown>;
}

const data = workerData as Data;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let body = Buffer.concat(chunks);
    if (req.headers['content-encoding'] === 'gzip' && body.length > 0) body = gunzipSync(body);
    parentPort?.postMessage({ method: req.method, url: req.url, body: body.toString('utf8') });
    res.setHeader('content-type', 'application/json');
    if (req.method === 'POST' && req.url === '/-/npm/v1/security/advisories/bulk') {
      // Only the packages asked about, as the real endpoint answers.
      const asked = JSON.parse(body.toString('utf8') || '{}') as Record<string, string[]>;
      const answer = Object.fromEntries(Object.entries(data.advisories).filter(([name]) => name in asked));
      res.end(JSON.stringify(answer));
      return;
    }
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    const packument = data.packuments[name];
    res.statusCode = packument ? 200 : 404;
    res.end(JSON.stringify(packument ?? { error: 'Not found' }));
  });
});
server.listen(0, '127.0.0.1', () => {
  parentPort?.postMessage({ port: (server.address() as AddressInfo).port });
});
parentPort?.on('message', (message: unknown) => {
  if (message === 'close') server.close(() => process.exit(0));
});
