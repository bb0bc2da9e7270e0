#!/usr/bin/env node
/**
 * The `improve` binary. It turns on Node's on-disk compile cache before loading the rest of the
 * CLI (one bundle, `run.js`, and the chunks it imports; see scripts/bundle.ts), so that from the
 * second run on they load from cached bytecode instead of being compiled again. The cache lives
 * in the OS temporary directory, keyed by Node version and file content;
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off.
 */
import * as nodeModule from 'node:module';

// Checked before anything else loads: on an older Node the CLI's modules fail with errors that
// say nothing about the version (a missing export of `node:module`, for one).
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(
    `error: improve needs Node.js 22 or newer; this is ${process.version}.\n` +
      'Install a current Node.js (https://nodejs.org, or `nvm install 22`), or run `npx improve` from a checkout of improve, which uses the Node it pins.\n',
  );
  process.exit(3);
}
nodeModule.enableCompileCache?.();
const { main } = await import('./run.ts');
process.exitCode = await main(process.argv);
