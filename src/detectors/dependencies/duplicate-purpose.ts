import { escapeEre, shellQuote } from '../dx/shell-quote.ts';
import type { RawFinding, RepoDetector } from '../types.ts';
import { dependencies, dependencyLine, importersOf, packageManifests } from './package-manifests.ts';
import { pythonManifests } from './python-dependencies.ts';

interface Purpose {
  job: string;
  packages: readonly string[];
}

const NPM_PURPOSES: readonly Purpose[] = [
  { job: 'date handling', packages: ['moment', 'dayjs', 'date-fns', 'luxon'] },
  { job: 'HTTP requests', packages: ['axios', 'node-fetch', 'got', 'superagent', 'request', 'ky'] },
  { job: 'utility functions', packages: ['lodash', 'underscore'] },
  { job: 'running tests', packages: ['jest', 'mocha', 'vitest', 'ava'] },
];

const PYTHON_PURPOSES: readonly Purpose[] = [
  { job: 'HTTP requests', packages: ['requests', 'httpx', 'aiohttp'] },
];

/** Two or more libraries in one manifest that do the same job. */
export const duplicatePurpose: RepoDetector = {
  id: 'dependencies/duplicate-purpose',
  category: 'dependencies',
  scope: 'repo',
  title: 'Several libraries for the same job',
  description:
    'The project depends on more than one library for the same job. Each one adds install size, upgrade work and security exposure, and code written against one behaves subtly differently from code written against the other.',
  impact: 'LOW',
  effort: 'M',
  risk: 'MED',
  riskReason:
    'Moving call sites from one library to another can change edge-case behaviour (time zones, error handling, redirects).',
  confidence: 'MED',
  fixSketch:
    'Pick the library most of the code already uses, migrate the remaining call sites to it, and remove the other from the manifest.',
  steps: [
    'Count the imports of each library in the source files (search for the package names in import/require lines) and pick the one used most; that one stays.',
    'Rewrite each call site of the other library with the kept one, one file at a time, keeping behaviour identical (check time zones, error handling and defaults).',
    'Remove the other library from the manifest and reinstall so the lockfile updates.',
    'Run the test command and the done check; both must pass.',
  ],
  check(context) {
    const out: RawFinding[] = [];
    for (const manifest of packageManifests(context)) {
      const declared = dependencies(manifest);
      for (const purpose of NPM_PURPOSES) {
        const used = purpose.packages.filter((name) => declared.has(name));
        if (used.length < 2) continue;
        const lines = used.map((name) => dependencyLine(manifest, name) ?? 1);
        const [first = 1, ...rest] = lines;
        const ere = `"(${used.map(escapeEre).join('|')})"[[:space:]]*:`;
        out.push({
          file: manifest.path,
          startLine: first,
          endLine: first,
          // Beside the manifest lines, the files that import each library: the call sites to rewrite.
          related: [
            ...rest.map((line) => ({ file: manifest.path, startLine: line, endLine: line })),
            ...used.flatMap((name) => importersOf(context, manifest, name)),
          ],
          title: `${used.length} libraries for ${purpose.job} in ${manifest.path}: ${used.join(', ')}`,
          message: `${manifest.path} depends on ${used.join(' and ')}, which all do ${purpose.job}. Keeping one halves the upgrade and security work for this job and makes the code consistent.`,
          doneCheck: `test "$(grep -cE ${shellQuote(ere)} ${shellQuote(manifest.path)})" -le 1`,
        });
      }
    }
    for (const manifest of pythonManifests(context)) {
      for (const purpose of PYTHON_PURPOSES) {
        const used = manifest.dependencies.filter((dependency) => purpose.packages.includes(dependency.name));
        if (used.length < 2) continue;
        const [first, ...rest] = used;
        const names = used.map((dependency) => dependency.name);
        const ere = `^[[:space:]]*["']?(${names.map(escapeEre).join('|')})([^A-Za-z0-9_.-]|$)`;
        out.push({
          file: manifest.path,
          startLine: first?.line ?? 1,
          endLine: first?.line ?? 1,
          related: rest.map((dependency) => ({
            file: manifest.path,
            startLine: dependency.line,
            endLine: dependency.line,
          })),
          title: `${used.length} libraries for ${purpose.job} in ${manifest.path}: ${names.join(', ')}`,
          message: `${manifest.path} depends on ${names.join(' and ')}, which all do ${purpose.job}. Keeping one halves the upgrade and security work for this job (httpx covers both sync and async use).`,
          doneCheck: `test "$(grep -ciE ${shellQuote(ere)} ${shellQuote(manifest.path)})" -le 1`,
        });
      }
    }
    return out;
  },
};
