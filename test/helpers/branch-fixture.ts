import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { git, makeRepo } from './repo.ts';

/**
 * A small service on `main` with problems already there: an empty catch around a write in
 * src/db.js, an empty catch around a request in src/api.js (which imports db.js), and one in
 * src/report.js (which imports nothing the branch touches).
 */
export const MAIN_TREE = {
  'package.json': `${JSON.stringify({ name: 'orders', type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`,
  'README.md': '# orders\n\nRun `npm test`.\n',
  'src/db.js': [
    "import { client } from './client.js';",
    '',
    'export async function save(row) {',
    '  try {',
    '    await client.insert(row);',
    '  } catch (error) {}',
    '}',
    '',
  ].join('\n'),
  'src/client.js':
    'export const client = { insert: async () => {}, delete: async () => {}, get: async () => {} };\n',
  'src/api.js': [
    "import { save } from './db.js';",
    '',
    'export async function handle(req) {',
    '  try {',
    "    await fetch('https://audit.example.com', { method: 'POST' });",
    '  } catch (error) {}',
    '  return save(req.body);',
    '}',
    '',
  ].join('\n'),
  'src/report.js': [
    'export async function publish(store, report) {',
    '  try {',
    '    await store.save(report);',
    '  } catch (error) {}',
    '}',
    '',
  ].join('\n'),
  'test/db.test.js':
    "import { test } from 'node:test';\n\ntest('loads', async () => {\n  await import('../src/db.js');\n});\n",
};

/** What the feature branch appends to src/db.js, by the confidence of the problem it introduces. */
export const ADDITIONS = {
  /** An empty catch around a write: HIGH confidence. */
  high: [
    'export async function remove(id) {',
    '  try {',
    '    await client.delete(id);',
    '  } catch (error) {}',
    '}',
    '',
  ],
  /** A log-only catch around a write: MED confidence. */
  medium: [
    'export async function removeLater(id) {',
    '  try {',
    '    await client.delete(id);',
    '  } catch (error) {',
    '    console.error(error);',
    '  }',
    '}',
    '',
  ],
  /** An empty catch around a read: LOW confidence. */
  low: [
    'export async function find(id) {',
    '  try {',
    '    return await client.get(id);',
    '  } catch (error) {}',
    '}',
    '',
  ],
} as const;

/** The repository on branch `feature`, one commit ahead of `main`, adding `addition` to src/db.js. */
export function makeBranchRepo(addition: keyof typeof ADDITIONS = 'high'): {
  dir: string;
  dispose: () => void;
} {
  const repo = makeRepo(MAIN_TREE);
  git(repo.dir, 'switch', '-q', '-c', 'feature');
  appendFileSync(path.join(repo.dir, 'src/db.js'), `\n${ADDITIONS[addition].join('\n')}`);
  git(repo.dir, 'commit', '-q', '-am', `feat: ${addition} addition`);
  return repo;
}
