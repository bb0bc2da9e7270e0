import { existsSync } from 'node:fs';
import path from 'node:path';
import { dependencies, keyLine, packageManifests, scripts } from '../dependencies/package-manifests.ts';
import type { RepoDetector } from '../types.ts';
import { shellQuote } from './shell-quote.ts';

const LINTERS = /\b(eslint|biome|oxlint|xo|standard|tslint|prettier --check|ruff)\b/;
/**
 * Commands that type-check: the compilers, and the type-test runners that check a package's
 * declarations (axios's `dtslint`, `tsd`, `tstyche`) or a framework's components.
 */
const TYPECHECKERS = /\b(tsc|vue-tsc|svelte-check|tsgo|dtslint|tsd|tstyche|astro check|nuxi typecheck)\b/;

/** A JavaScript/TypeScript project without a lint or typecheck script: checks nobody can run the same way. */
export const missingScripts: RepoDetector = {
  id: 'dx/missing-scripts',
  category: 'dx',
  scope: 'repo',
  // Looks at the disk itself (files outside the profile), so it runs every time.
  cacheable: false,
  repoHygiene: true,
  title: 'No lint or typecheck script',
  description:
    'package.json has no script for linting or type checking, so contributors, CI and automated agents each run different checks (or none) and mistakes a linter or the type checker would catch reach review.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason:
    'Adding scripts changes no code; the first run may report existing problems, which is the point.',
  confidence: 'HIGH',
  fixSketch:
    'Add `lint` (running the linter the project already configures, or Biome/ESLint) and, for TypeScript, `typecheck` (`tsc --noEmit`) to package.json "scripts".',
  steps: [
    'Open package.json and find "scripts".',
    'Only if this plan’s title names `typecheck` (skip this step otherwise): add `"typecheck": "tsc --noEmit"` (add `-p <tsconfig>` if the project’s tsconfig is not at the root).',
    'Only if this plan’s title names `lint` (skip this step otherwise): if a linter config exists (eslint.config.*, .eslintrc*, biome.json), add `"lint"` running that linter on the project; otherwise add Biome as a dev dependency with `"lint": "biome lint ."`.',
    'Run each new script. If it reports existing problems, do not fix them in this plan: record the count in the plan’s report.',
  ],
  check(context) {
    const manifest = packageManifests(context).find((candidate) => candidate.path === 'package.json');
    if (!manifest) return [];
    const { profile } = context;
    const jsFiles = profile.files.filter(
      (file) => file.role === 'source' && file.language && file.language !== 'python',
    );
    if (jsFiles.length === 0) return [];
    const defined = Object.values(scripts(manifest));
    const names = Object.keys(scripts(manifest));
    const kinds = new Set(profile.commands.map((command) => command.kind));
    const hasLint =
      kinds.has('lint') || names.includes('lint') || defined.some((script) => LINTERS.test(script));
    const typescript =
      dependencies(manifest).has('typescript') ||
      existsSync(path.join(profile.root, 'tsconfig.json')) ||
      jsFiles.some((file) => file.language === 'typescript' || file.language === 'tsx');
    const hasTypecheck =
      kinds.has('typecheck') ||
      names.includes('typecheck') ||
      defined.some((script) => TYPECHECKERS.test(script));
    const missing: string[] = [];
    if (!hasLint) missing.push('lint');
    if (typescript && !hasTypecheck) missing.push('typecheck');
    if (missing.length === 0) return [];
    const line = keyLine(manifest, 'scripts') ?? 1;
    const program = `const s=JSON.parse(require("fs").readFileSync("package.json","utf8")).scripts||{};process.exit(${missing
      .map((name) => `s[${JSON.stringify(name)}]`)
      .join('&&')}?0:1)`;
    return [
      {
        file: manifest.path,
        startLine: line,
        endLine: line,
        title: `package.json has no ${missing.join(' or ')} script`,
        message: `package.json defines no ${missing.map((name) => `\`${name}\``).join(' or ')} script, so there is no single command that everyone (and CI) runs to catch ${missing.map((name) => (name === 'lint' ? 'lint problems' : 'type errors')).join(' and ')} before review.`,
        doneCheck: `node -e ${shellQuote(program)}`,
      },
    ];
  },
};
