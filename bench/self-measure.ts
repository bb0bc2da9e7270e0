/**
 * For machines without GNU time: run a Node script in this process and, when it exits, write its
 * CPU time and peak RSS (process.resourceUsage) as JSON. Worker threads count, being in-process.
 *
 * Usage: node bench/self-measure.ts USAGE_FILE SCRIPT [ARGS...]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [usageFile, script, ...args] = process.argv.slice(2);
if (!usageFile || !script) throw new Error('usage: self-measure.ts USAGE_FILE SCRIPT [ARGS...]');
process.argv = [process.argv[0] ?? 'node', path.resolve(script), ...args];
process.on('exit', () => {
  const usage = process.resourceUsage();
  const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  writeFileSync(usageFile, JSON.stringify({ cpuSeconds, maxRssKb: usage.maxRSS }));
});
await import(pathToFileURL(path.resolve(script)).href);
