import path from 'node:path';
import { isRecord, packageManifests } from '../dependencies/package-manifests.ts';
import { dirOf, joinPath } from '../dx/find-line.ts';
import { isIndexable } from '../tech-debt/code-index.ts';
import { importGraph } from '../tech-debt/import-graph.ts';
import { ensureModule } from '../tech-debt/scoped-graph.ts';
import type { RepoContext } from '../types.ts';

const CODE_EXTENSION = /\.(?:[cm]?[jt]sx?|py)$/;
const BUILD_DIR = /^(?:dist|lib|build|out|es|esm|cjs)\//;
const SPAWN =
  /\b(?:spawn|spawnSync|exec|execSync|execFile|execFileSync|execa|execaNode|execaSync|fork|run|subprocess\.\w+|Popen|check_output|check_call)\b|\$`/;
const QUOTED = /["'`]([^"'`\n]+)["'`]/g;

/** One command the package installs: its name, built path and the source files that may build it. */
interface CliEntry {
  name: string;
  /** Repo-relative built path, e.g. `dist/cli/main.js`. */
  built: string;
  /** Repo-relative stems (no extension) of the source file it is built from. */
  sources: string[];
}

function entries(context: RepoContext): CliEntry[] {
  const out: CliEntry[] = [];
  for (const manifest of packageManifests(context)) {
    const { bin, name } = manifest.json;
    const bins: [string, unknown][] = isRecord(bin)
      ? Object.entries(bin)
      : [[typeof name === 'string' ? name.replace(/^@[^/]+\//, '') : '', bin]];
    for (const [command, target] of bins) {
      if (typeof target !== 'string') continue;
      const inside = path.posix.normalize(target).replace(/^\.\//, '');
      const stem = inside.replace(CODE_EXTENSION, '');
      const sources = [stem];
      if (BUILD_DIR.test(stem)) sources.push(stem.replace(BUILD_DIR, 'src/'), stem.replace(BUILD_DIR, ''));
      out.push({
        name: command,
        built: joinPath(manifest.dir, inside),
        sources: sources.map((s) => joinPath(manifest.dir, s)),
      });
    }
  }
  return out;
}

/** Whether a test line runs `entry`: names its built path (also as `path.join` parts) or spawns its command. */
function runsEntry(line: string, entry: CliEntry): boolean {
  const quoted = [...line.matchAll(QUOTED)].map((m) => m[1] ?? '');
  const tail = entry.built.split('/').slice(-2).join('/');
  if (quoted.some((q) => q.replace(/\\/g, '/').endsWith(tail))) return true;
  if (quoted.join('/').endsWith(tail)) return true;
  return (
    entry.name !== '' &&
    SPAWN.test(line) &&
    quoted.some((q) => q === entry.name || q.startsWith(`${entry.name} `))
  );
}

/**
 * Source files that tests exercise by running the package's command (`bin` in package.json): the
 * entry file and what it imports, directly or not, inside the entry's own folder.
 */
export function spawnedCliModules(context: RepoContext, testTexts: readonly string[]): Set<string> {
  const covered = new Set<string>();
  const run = entries(context).filter((entry) =>
    testTexts.some((text) => text.split('\n').some((line) => runsEntry(line, entry))),
  );
  if (run.length === 0) return covered;
  const graph = importGraph(context);
  const byStem = new Map<string, string>();
  // Branch mode indexes only some files: follow the entry's imports by indexing them as needed.
  const files = context.scope
    ? context.profile.files.filter(isIndexable).map((file) => file.path)
    : graph.index.modules.keys();
  for (const file of files) byStem.set(file.replace(CODE_EXTENSION, ''), file);
  for (const entry of run) {
    const start = entry.sources.map((s) => byStem.get(s)).find((f) => f !== undefined);
    if (!start) continue;
    const folder = dirOf(start);
    covered.add(start);
    // An entry at the root would claim the whole repository: only its own folder counts.
    const queue = folder === '' ? [] : [start];
    for (let head = 0; head < queue.length; head += 1) {
      ensureModule(context, queue[head] ?? '');
      for (const edge of graph.edges.get(queue[head] ?? '') ?? []) {
        const target = edge.target;
        if (!target || covered.has(target)) continue;
        if (!target.startsWith(`${folder}/`)) continue;
        covered.add(target);
        queue.push(target);
      }
    }
  }
  return covered;
}
