import type { Finding, RepoCommand, RepoProfile } from '../../src/core/types.ts';

export const DATE = '2026-01-02';
export const SHA = '0123456789abcdef0123456789abcdef01234567';

export const SAVE_TS = [
  'export async function save(db: Db, row: Row) {',
  '  try {',
  '    await db.insert(row);',
  '  } catch (e) {}',
  '}',
].join('\n');

export function sampleFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'F-1a2b3c4d',
    ruleId: 'correctness/empty-catch',
    category: 'correctness',
    title: 'Error swallowed by an empty or log-only catch',
    message: 'This catch block discards the error, so a failed insert looks like a success.',
    evidence: [
      { file: 'src/save.ts', startLine: 2, endLine: 4, excerpt: SAVE_TS.split('\n').slice(1, 4).join('\n') },
    ],
    impact: 'MED',
    effort: 'S',
    risk: 'LOW',
    riskReason: 'Only the failure path changes.',
    confidence: 'HIGH',
    fixSketch: 'Re-throw the error with context, or return it to the caller.',
    doneCheck: "! grep -n -E 'catch \\(e\\) \\{\\}' 'src/save.ts'",
    leverage: 2,
    ...overrides,
  };
}

export const NPM_COMMANDS: RepoCommand[] = [
  { kind: 'install', run: 'npm ci', source: 'package-lock.json' },
  { kind: 'test', run: 'npm test', source: 'package.json scripts.test' },
  { kind: 'lint', run: 'npm run lint', source: 'package.json scripts.lint' },
  { kind: 'typecheck', run: 'npm run typecheck', source: 'package.json scripts.typecheck' },
];

export function sampleProfile(overrides: Partial<RepoProfile> = {}): RepoProfile {
  return {
    root: '/repo',
    files: [
      { path: 'src/save.ts', size: 120, language: 'typescript', role: 'source' },
      { path: 'src/other/util.ts', size: 50, language: 'typescript', role: 'source' },
      { path: 'test/load.test.ts', size: 80, language: 'typescript', role: 'test' },
    ],
    skipped: [],
    languages: [],
    manifests: [{ path: 'package.json', kind: 'package.json' }],
    packageManager: 'npm',
    lockfiles: ['package-lock.json'],
    commands: NPM_COMMANDS,
    missingCommands: [],
    ciFiles: ['.github/workflows/ci.yml'],
    conventions: {
      moduleSystem: 'esm',
      testFramework: 'node:test',
      testFilePattern: 'test/**/*.test.ts',
      exemplarTest: 'test/load.test.ts',
      commitStyle: { kind: 'conventional', samples: ['feat: initial commit'] },
    },
    intentDocs: [],
    git: { available: true, head: SHA, branch: 'main', defaultBranch: 'main', hotspots: [] },
    problems: [],
    ...overrides,
  };
}
