/**
 * The second half of `npm run build`: after `tsc` has written `dist/` (the library, one module per
 * source file, with its type declarations), bundle the two programs that start cold on every run —
 * the CLI (`dist/cli/run.js`, which `dist/cli/main.js` imports once it has checked the Node
 * version) and the detector worker thread (`dist/audit/detector-worker.js`) — each into one file.
 * Loading ~280 modules costs a Node process or worker thread about 70 ms; one file loads in a
 * fraction of that. Each bundle replaces the module `tsc` wrote at the same path; code that needs
 * one of improve's own files finds it from the install root (src/core/install-root.ts), which is
 * the same from a bundle, its chunks and the modules `tsc` wrote. Dependencies stay external: they
 * load from `node_modules` as before. See docs/decisions/009-bundled-entry-points.md.
 */
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry a content hash: clear the last build's, or stale chunks pile up in the package.
rmSync('dist/chunks', { recursive: true, force: true });
await build({
  entryPoints: { 'cli/run': 'src/cli/run.ts', 'audit/detector-worker': 'src/audit/detector-worker.ts' },
  outdir: 'dist',
  // Modules only some commands need (model clients, GitHub, prompts) stay in chunks of their own,
  // loaded when a command imports them; the rest is in the entry files.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  allowOverwrite: true,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node22',
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync('dist/cli/main.js', 0o755);
