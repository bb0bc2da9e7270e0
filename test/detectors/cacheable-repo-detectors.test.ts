import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { REPO_DETECTORS } from '../../src/detectors/repo-detectors.ts';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');
const DISK = /from '(?:node:)?(?:fs|fs\/promises|child_process)'|from '[./]+\/git\//;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

/** Every module `file` imports, directly or not, inside src/. */
function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+\.ts)'/g)) {
    closure(path.resolve(path.dirname(file), specifier ?? ''), seen);
  }
  return seen;
}

describe('repo-level detectors and the result cache', () => {
  it('every cached detector sees the disk only through its context; the others opt out', () => {
    const files = sources(path.join(SRC, 'detectors')).filter((f) => f.endsWith('.ts'));
    for (const detector of REPO_DETECTORS) {
      if (detector.cacheable === false) continue;
      const home = files.find((file) => readFileSync(file, 'utf8').includes(`id: '${detector.id}'`));
      assert.ok(home, `source of ${detector.id}`);
      const touching = [...closure(home)].filter((file) => DISK.test(readFileSync(file, 'utf8')));
      assert.deepEqual(
        touching.map((file) => path.relative(SRC, file)),
        [],
        `${detector.id} reads the disk or runs git itself: set \`cacheable: false\` on it`,
      );
    }
  });
});
