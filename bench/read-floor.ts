/**
 * The read-all-files floor, run as a child process by bench/run.ts: read and decode every listed
 * file once, count bytes and lines. Prints one JSON line.
 *
 * Usage: node bench/read-floor.ts ROOT FILE_LIST
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [root, listFile] = process.argv.slice(2);
if (!root || !listFile) throw new Error('usage: read-floor.ts ROOT FILE_LIST');
let bytes = 0;
let lines = 0;
let files = 0;
for (const file of readFileSync(listFile, 'utf8').split('\n').filter(Boolean)) {
  const text = readFileSync(path.join(root, file), 'utf8');
  files += 1;
  bytes += Buffer.byteLength(text);
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lines += 1;
  if (text.length > 0 && !text.endsWith('\n')) lines += 1;
}
process.stdout.write(`${JSON.stringify({ files, bytes, lines })}\n`);
