import { existsSync } from 'node:fs';
import path from 'node:path';
import type { RepoDetector } from '../types.ts';

const GUIDES = [
  'AGENTS.md',
  'CLAUDE.md',
  '.github/copilot-instructions.md',
  'GEMINI.md',
  'AGENT.md',
  '.cursorrules',
];

/** No instructions for coding agents: each agent session rediscovers commands and conventions. */
export const noAgentGuide: RepoDetector = {
  id: 'dx/no-agent-guide',
  category: 'dx',
  scope: 'repo',
  // Looks at the disk itself (files outside the profile), so it runs every time.
  cacheable: false,
  repoHygiene: true,
  title: 'No guide for coding agents (AGENTS.md)',
  description:
    'There is no AGENTS.md (or CLAUDE.md / copilot-instructions.md). Coding agents working in the repository have to guess the build, test and lint commands and the conventions, and guess differently each time.',
  impact: 'LOW',
  effort: 'S',
  risk: 'LOW',
  riskReason: 'A documentation file changes no behaviour.',
  confidence: 'HIGH',
  fixSketch:
    'Add a short AGENTS.md at the root: what the project is, the exact install/build/test/lint commands, the layout, and the conventions a change must follow.',
  steps: [
    'Create AGENTS.md at the repository root.',
    'Write one paragraph on what the project does, then a "Commands" section listing the exact install, build, test, lint and typecheck commands (copy them from this plan; do not invent any).',
    'Add a "Layout" section naming the main folders and what lives in each, and a "Conventions" section (language settings, naming, how tests are written, commit message style) taken from the existing code.',
    'Keep it under about 80 lines; run the done check.',
  ],
  check(context) {
    const { profile } = context;
    if (!profile.files.some((file) => file.role === 'source')) return [];
    // Agents also read the guides of the folders above the one they work in.
    if (profile.intentDocs.some((doc) => doc.kind === 'agents') || profile.enclosing?.agentGuide) return [];
    const listed = new Set(profile.files.map((file) => file.path));
    if (GUIDES.some((guide) => listed.has(guide) || existsSync(path.join(profile.root, guide)))) return [];
    return [
      {
        key: 'no-agent-guide',
        doneCheck: 'test -f AGENTS.md || test -f CLAUDE.md || test -f .github/copilot-instructions.md',
      },
    ];
  },
};
