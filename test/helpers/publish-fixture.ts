import { MAIN_TREE } from './branch-fixture.ts';
import { git, makeRepo } from './repo.ts';

/**
 * A repository whose origin is `github.com/acme/shop`, with a security problem (SQL built from a
 * request: a sensitive plan) and correctness problems. `improve --focus correctness,security
 * --top 2` plans the SQL injection (001) and the empty catch in src/api.js (002).
 */
export function makePublishRepo(): { dir: string; dispose: () => void } {
  const repo = makeRepo({
    ...MAIN_TREE,
    'src/pool.js': 'export const pool = { query: async () => [] };\n',
    'src/search.js': [
      "import express from 'express';",
      "import { pool } from './pool.js';",
      'const app = express();',
      "app.get('/search', async (req, res) => {",
      '  const rows = await pool.query(`SELECT * FROM items WHERE name = ${req.query.q}`);',
      '  res.json(rows);',
      '});',
      '',
    ].join('\n'),
  });
  git(repo.dir, 'remote', 'add', 'origin', 'git@github.com:acme/shop.git');
  return repo;
}

export const PLAN_ARGS = ['--focus', 'correctness,security', '--top', '2'];
