import { existsSync, readdirSync } from 'node:fs';
import type { RepoDetector } from '../types.ts';

const README = /^readme(\.[a-z0-9]+)?$/i;

/** No README at the root: the first thing every visitor looks for is missing. */
export const noReadme: RepoDetector = {
  id: 'docs/no-readme',
  category: 'docs',
  scope: 'repo',
  // Looks at the disk itself (files outside the profile), so it runs every time.
  cacheable: false,
  title: 'No README',
  description:
    'The repository has no README at its root, so nobody can tell what it does, how to install it or how to run it without reading the code.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason: 'A documentation file changes no behaviour.',
  confidence: 'HIGH',
  fixSketch:
    'Add README.md: one paragraph on what the project does, then how to install it, run it and run its tests, using the commands the repository really defines.',
  steps: [
    'Create README.md at the repository root.',
    'Write a title and one paragraph on what the project does, from the code and any existing docs.',
    'Add "Install", "Usage" and "Development" sections; use only the commands under **Commands you will need** in this plan and others the repository defines (its scripts, Makefile targets), and copy them exactly.',
    'Run the done check.',
  ],
  check(context) {
    const { profile } = context;
    // An installed Python package keeps its README in the distribution's metadata, not in the
    // package folder (npm packages do ship theirs).
    if (profile.publishedPackage === 'site-packages' || profile.publishedPackage === 'dist-packages')
      return [];
    if (profile.files.some((file) => README.test(file.path)) || profile.enclosing?.readme) return [];
    if (existsSync(profile.root) && readdirSync(profile.root).some((name) => README.test(name))) return [];
    return [{ key: 'no-readme', doneCheck: 'ls | grep -qiE "^readme(\\.[a-z0-9]+)?$"' }];
  },
};
