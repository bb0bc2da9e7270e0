import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recon } from '../../src/recon/recon.ts';
import { makeRepo } from '../helpers/repo.ts';

test('intent documents are found with their titles', async (t) => {
  const repo = makeRepo({
    'AGENTS.md': '---\nowner: team\n---\n\n# Working here\n',
    'claude.md': 'No heading at all.\n',
    'docs/adr/0001-use-postgres.md': '```md\n# not a title\n```\n## 1. Use Postgres\n',
    'docs/decisions/002-queue.md': '# Queue choice\n',
    'docs/Design.md': '# System design\n',
    'docs/guide.md': '# Not an intent doc\n',
    'PRD-search.md': '# Search PRD\n',
    'ROADMAP.md': '# Roadmap 2026\n',
    'CONTRIBUTING.md': '# How to contribute\n',
    'src/CONTEXT.md': '# too deep to count\n',
  });
  t.after(repo.dispose);
  const profile = await recon(repo.dir);
  assert.deepEqual(profile.intentDocs, [
    { path: 'AGENTS.md', kind: 'agents', title: 'Working here' },
    { path: 'CONTRIBUTING.md', kind: 'contributing', title: 'How to contribute' },
    { path: 'PRD-search.md', kind: 'prd', title: 'Search PRD' },
    { path: 'ROADMAP.md', kind: 'roadmap', title: 'Roadmap 2026' },
    { path: 'claude.md', kind: 'agents', title: 'claude.md' },
    { path: 'docs/Design.md', kind: 'design', title: 'System design' },
    { path: 'docs/adr/0001-use-postgres.md', kind: 'adr', title: '1. Use Postgres' },
    { path: 'docs/decisions/002-queue.md', kind: 'adr', title: 'Queue choice' },
  ]);
});
