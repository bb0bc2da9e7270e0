/**
 * Fixtures for execute / review / reconcile: a tiny real repository with planted TLS problems,
 * planned by the real audit, and executor scripts that behave like executors.
 */
import { appendFileSync, chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { audit } from '../../src/api/audit.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { buildPlan } from '../../src/plans/build-plan.ts';
import type { Plan } from '../../src/plans/plan.ts';
import { writePlans } from '../../src/plans/store.ts';
import { type FileTree, git, makeRepo, tempDir } from './repo.ts';

// The fixtures' own `npm test` runs `node --test`; inheriting this runner's context would make it
// report to us instead of exiting non-zero on failure, so the review could not see a failing test.
delete process.env.NODE_TEST_CONTEXT;

export const TLS_RULE = 'security/tls-verification-disabled';

export function clientFile(name: string): string {
  return [
    "import https from 'node:https';",
    '',
    `export function ${name}Options(host) {`,
    '  return {',
    '    host,',
    "    path: '/status',",
    '    rejectUnauthorized: false,',
    '  };',
    '}',
    '',
    `export function ${name}Fetch(host) {`,
    `  return https.request(${name}Options(host));`,
    '}',
    '',
  ].join('\n');
}

function testFile(name: string): string {
  return [
    "import assert from 'node:assert/strict';",
    "import { test } from 'node:test';",
    `import { ${name}Options } from '../src/${name}.js';`,
    '',
    `test('${name}Options targets the status path', () => {`,
    `  assert.equal(${name}Options('example.com').path, '/status');`,
    '});',
    '',
  ].join('\n');
}

/**
 * The test a correct fix adds by hand in `dir` (a worktree): the plan asks for one, and a review
 * sends an attempt without it back.
 */
export function addTestByHand(dir: string, name = 'client'): void {
  appendFileSync(
    path.join(dir, `test/${name}.test.js`),
    [
      '',
      `test('${name}Options keeps certificate verification on', () => {`,
      `  assert.equal(${name}Options('example.com').rejectUnauthorized, undefined);`,
      '});',
      '',
    ].join('\n'),
  );
}

/** A small ESM package whose `npm test` passes, with one TLS problem per client module. */
export function tlsApp(clients: readonly string[] = ['client']): FileTree {
  const tree: FileTree = {
    'package.json': `${JSON.stringify(
      { name: 'status-client', version: '1.0.0', type: 'module', scripts: { test: 'node --test' } },
      null,
      2,
    )}\n`,
    'README.md': '# status-client\n\nRun `npm test`.\n',
  };
  for (const name of clients) {
    tree[`src/${name}.js`] = clientFile(name);
    tree[`test/${name}.test.js`] = testFile(name);
  }
  return tree;
}

export interface PlannedRepo {
  dir: string;
  dispose: () => void;
  plans: Plan[];
  plansDir: string;
  /** A folder outside the repository for executor scripts and their traces. */
  scripts: string;
}

/**
 * A repository planned by the real audit: one plan per TLS finding, numbered in client order.
 * `dependsOn` maps a plan number to the ids it depends on; `extraFiles` are committed with the app.
 */
export async function plannedRepo(
  clients: readonly string[] = ['client'],
  dependsOn: Record<number, string[]> = {},
  extraFiles: FileTree = {},
): Promise<PlannedRepo> {
  const repo = makeRepo({ ...tlsApp(clients), ...extraFiles });
  const scripts = tempDir('improve-scripts-');
  const result = await audit({ path: repo.dir, clock: fixedClock('2026-01-02'), focus: ['security'] });
  const findings = result.findings
    .filter((finding) => finding.ruleId === TLS_RULE)
    .sort((a, b) => (a.evidence[0]?.file ?? '').localeCompare(b.evidence[0]?.file ?? ''));
  const plans = findings.map((finding, index) =>
    buildPlan({
      finding,
      profile: result.profile,
      number: index + 1,
      date: result.date,
      dependsOn: dependsOn[index + 1] ?? [],
    }),
  );
  writePlans(result.plans.dir, { plans, runSummary: null });
  return {
    dir: repo.dir,
    plans,
    plansDir: result.plans.dir,
    scripts: scripts.dir,
    dispose: () => {
      repo.dispose();
      scripts.dispose();
    },
  };
}

/** Write an executable shell script to the scripts folder; returns the command that runs it. */
export function script(fixture: PlannedRepo, name: string, body: string): string {
  const file = path.join(fixture.scripts, `${name}.sh`);
  writeFileSync(file, `#!/bin/sh\nset -e\n${body}\n`);
  chmodSync(file, 0o755);
  return `sh ${file}`;
}

/** The in-scope source file the plan cites, found by a script in its plan copy. */
const CITED =
  'FILE=$(grep -o "^\\`src/[a-z]*\\.js" "$IMPROVE_PLAN_FILE" | head -1 | tr -d "\\`")\nNAME=$(basename "$FILE" .js)';

/** Remove the flagged line from the cited file (portable: no `sed -i`). */
export const DROP_FLAG =
  'grep -v "rejectUnauthorized: false," "$FILE" > "$FILE.new" && mv "$FILE.new" "$FILE"';

export const COMMIT =
  'git add -A && git -c user.name=Executor -c user.email=exec@example.com commit -q -m "$1"';

export function report(status: 'DONE' | 'STOPPED' | 'BLOCKED', files: string, stop = 'none'): string {
  return [
    `echo "STATUS: ${status}"`,
    'echo "STEPS COMPLETED: 1, 2, 3"',
    'echo "VERIFY RESULTS: all as expected"',
    `echo "FILES CHANGED: ${files}"`,
    `echo "STOP REASON: ${stop}"`,
    'echo "NOTES: none"',
  ].join('\n');
}

/** The right fix: drop the flag, add a test that asserts it stays off, commit. */
/** Shell lines that add the test a correct fix adds (after `CITED`). */
export const ADD_TEST = [
  'cat >> "test/$NAME.test.js" <<EOF',
  '',
  "test('${NAME}Options keeps certificate verification on', () => {",
  "  assert.equal(${NAME}Options('example.com').rejectUnauthorized, undefined);",
  '});',
  'EOF',
].join('\n');

export function correctFix(): string {
  return [
    CITED,
    DROP_FLAG,
    ADD_TEST,
    `${COMMIT.replace('$1', 'Verify TLS certificates')}`,
    report('DONE', '$FILE, test/$NAME.test.js'),
  ].join('\n');
}

/** What the user's repository looks like from outside: status, index, branches (improve's aside). */
export function userState(dir: string): string {
  const branches = git(dir, 'for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/heads')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('improve/'));
  return [
    git(dir, 'status', '--porcelain', '--untracked-files=all'),
    git(dir, 'ls-files', '--stage'),
    git(dir, 'rev-parse', 'HEAD'),
    git(dir, 'symbolic-ref', 'HEAD'),
    ...branches,
  ].join('\n');
}

export function planText(fixture: Pick<PlannedRepo, 'plansDir'>, id: string): string {
  const name = readdirSync(fixture.plansDir).find((file) => file.startsWith(`${id}-`));
  if (!name) throw new Error(`no plan ${id}`);
  return readFileSync(path.join(fixture.plansDir, name), 'utf8');
}

/** Whether a process still runs (a zombie waiting for its reaper does not count). */
export function processRunning(pid: number): boolean {
  if (existsSync('/proc')) {
    try {
      return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
