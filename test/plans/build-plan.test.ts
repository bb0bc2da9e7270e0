import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { buildPlan, formatPlanId, slugify } from '../../src/plans/build-plan.ts';
import { parsePlan } from '../../src/plans/parse-plan.ts';
import { checkExpect, parseExpect } from '../../src/plans/plan.ts';
import { renderPlan } from '../../src/plans/render-plan.ts';
import { exemplarFor, shellQuote, testFileFor } from '../../src/plans/repo-facts.ts';
import { profileFor } from '../helpers/detector.ts';
import { tempDir, writeTree } from '../helpers/repo.ts';
import { DATE, SAVE_TS, SHA, sampleFinding, sampleProfile } from './fixtures.ts';

function run(command: string, cwd: string): { exitCode: number; stdout: string } {
  const result = spawnSync('sh', ['-c', command], { cwd, encoding: 'utf8' });
  return { exitCode: result.status ?? -1, stdout: result.stdout };
}

describe('buildPlan', () => {
  it('gives byte-identical plans for the same inputs', () => {
    const build = () =>
      renderPlan(buildPlan({ finding: sampleFinding(), profile: sampleProfile(), number: 4, date: DATE }));
    assert.equal(build(), build());
  });

  it('plans a fix in a repo with a test command using only its own commands', () => {
    const profile = sampleProfile();
    const plan = buildPlan({ finding: sampleFinding(), profile, number: 4, date: DATE });
    assert.equal(plan.id, '004');
    assert.equal(plan.priority, 'P2');
    assert.deepEqual(plan.plannedAt, { sha: SHA, date: DATE });
    assert.deepEqual(plan.findings, ['F-1a2b3c4d']);
    const known = new Set(profile.commands.map((command) => command.run));
    assert.deepEqual(
      plan.commands.map((row) => [row.command, row.expected]),
      [
        ['npm ci', 'exit 0'],
        ['npm test', 'exit 0'],
        ['npm run lint', 'exit 0'],
        ['npm run typecheck', 'exit 0'],
      ],
    );
    for (const row of plan.commands) assert.ok(known.has(row.command), row.command);
    assert.deepEqual(plan.doneCriteria, [
      { run: sampleFinding().doneCheck, expect: 'exit 0' },
      { run: "test -f 'test/save.test.ts'", expect: 'exit 0' },
      { run: 'npm test', expect: 'exit 0' },
      { run: 'npm run lint', expect: 'exit 0' },
      { run: 'npm run typecheck', expect: 'exit 0' },
    ]);
    assert.deepEqual(plan.scope.in, [
      { path: 'src/save.ts', reason: 'cited by the finding' },
      { path: 'test/save.test.ts', reason: 'the test for this fix (new file)', create: true },
    ]);
    assert.deepEqual(
      plan.scope.out.map((entry) => entry.path),
      ['package-lock.json', 'package.json', '.github/workflows/ci.yml', 'src/other/', '**'],
    );
    assert.equal(plan.testPlan.patternFile, 'test/load.test.ts');
    assert.deepEqual(
      plan.steps.map((step) => step.title),
      [
        'Confirm the current state',
        'Make the fix',
        'Check the code that uses it',
        'Add or extend a test',
        'Run the full verification',
      ],
    );
    assert.deepEqual(plan.steps.at(-1)?.verify, {
      run: 'npm test && npm run lint && npm run typecheck',
      expect: 'exit 0',
    });
    for (const step of plan.steps) parseExpect(step.verify.expect);
    assert.match(
      plan.gitWorkflow.join('\n'),
      /git switch -c improve\/004-error-swallowed-by-an-empty-or-log-only-catch-save/,
    );
    assert.match(plan.gitWorkflow.join('\n'), /`fix\(save\): error swallowed/);
    assert.ok(plan.stopConditions.some((stop) => /Risk LOW: Only the failure path changes\./.test(stop)));
    assert.ok(plan.maintenance.some((note) => /Re-throw the error with context/.test(note)));
  });

  it('never puts the folder holding the cited file, or a folder without code, out of scope (Budibase, Patroni)', () => {
    const profile = sampleProfile();
    profile.files = [
      ...profile.files,
      { path: 'src/api/controllers/save.ts', size: 90, language: 'typescript', role: 'source' },
      { path: 'builder/index.ts', size: 40, language: 'typescript', role: 'source' },
      { path: 'app-1.0.egg-info/PKG-INFO', size: 40, role: 'source' },
    ];
    const finding = sampleFinding();
    finding.evidence = finding.evidence.map((e) => ({ ...e, file: 'src/api/controllers/save.ts' }));
    const plan = buildPlan({ finding, profile, number: 1, date: DATE });
    const out = plan.scope.out.map((entry) => entry.path);
    assert.deepEqual(
      out.filter((path) => path.endsWith('/')),
      ['builder/', 'src/other/'],
    );
    assert.ok(!out.includes('src/'), out.join(', '));
  });

  it('writes commands that really work on the repo: the cited line is found, the done check fails until fixed', (t) => {
    const temp = tempDir();
    t.after(temp.dispose);
    writeTree(temp.dir, { 'src/save.ts': SAVE_TS });
    const plan = buildPlan({ finding: sampleFinding(), profile: sampleProfile(), number: 1, date: DATE });
    const confirm = plan.steps[0]?.verify;
    assert.ok(confirm);
    assert.equal(checkExpect(confirm.expect, run(confirm.run, temp.dir)), true);
    const done = plan.doneCriteria[0];
    assert.ok(done);
    assert.equal(
      checkExpect(done.expect, run(done.run, temp.dir)),
      false,
      'the done check fails on the current code',
    );
    writeTree(temp.dir, { 'src/save.ts': SAVE_TS.replace('catch (e) {}', 'catch (e) { throw e; }') });
    assert.equal(checkExpect(done.expect, run(done.run, temp.dir)), true, 'and passes once fixed');
  });

  it('lets a plan that sets up the first tests add a runner, a test command and test files (Strapi)', () => {
    const profile = sampleProfile({
      commands: [{ kind: 'lint', run: 'make lint', source: 'Makefile:3' }],
    });
    const finding = sampleFinding({
      ruleId: 'tests/no-verification-baseline',
      category: 'tests',
      title: 'No tests and no test command',
      fixSketch: 'Add node:test (built into Node.js) with a `test` command runnable as `npm test`.',
    });
    const plan = buildPlan({ finding, profile, number: 3, date: DATE });
    assert.ok(
      plan.scope.in.some((entry) => entry.path === 'test/' && entry.create === true),
      JSON.stringify(plan.scope.in),
    );
    assert.ok(!plan.stopConditions.some((stop) => /do not invent one or add a test framework/.test(stop)));
    assert.ok(plan.stopConditions.some((stop) => /The test command you added cannot run at all/.test(stop)));
    assert.match(plan.testPlan.note ?? '', /sets up the repository’s first tests/);
    // The baseline cites package.json: a config file is its place, not a reason it matters less.
    assert.doesNotMatch(
      renderPlan(buildPlan({ finding: { ...finding, fileRole: 'config' }, profile, number: 3, date: DATE })),
      /matters less/,
    );
    // Tests already there (nothing runs them): new ones go beside them, not into a first folder.
    profile.files = [
      ...profile.files,
      { path: 'test/a.test.js', size: 10, role: 'test', language: 'javascript' },
    ];
    const beside = buildPlan({ finding, profile, number: 3, date: DATE });
    assert.deepEqual(
      beside.scope.in.find((entry) => entry.path === 'test/'),
      { path: 'test/', reason: 'new tests beside the ones there (new files only)', create: true },
    );
  });

  it('puts the tests of a package that carries them in its own tests folder, with no manifest to go by', () => {
    // No pyproject.toml, setup.py or requirements: a package with `pkg/tests/test_core.py` and no
    // test command. A new `tests/` at the root would sit apart from the tests it joins.
    const profile = sampleProfile({
      files: [
        { path: 'pkg/__init__.py', size: 0, language: 'python', role: 'source' },
        { path: 'pkg/core.py', size: 300, language: 'python', role: 'source' },
        { path: 'pkg/tests/__init__.py', size: 0, language: 'python', role: 'test' },
        { path: 'pkg/tests/test_core.py', size: 120, language: 'python', role: 'test' },
      ],
      manifests: [],
      lockfiles: [],
      commands: [],
      languages: [{ name: 'Python', files: 4, bytes: 420 }],
    });
    const finding = sampleFinding({
      ruleId: 'tests/no-verification-baseline',
      category: 'tests',
      title: 'Tests exist but no command runs them',
      evidence: [],
      doneCheck: undefined,
      fixSketch: 'Run the tests with pytest.',
    });
    const plan = buildPlan({ finding, profile, number: 1, date: DATE });
    const created = plan.scope.in.filter((entry) => entry.create).map((entry) => entry.path);
    assert.deepEqual(created, ['pkg/tests/'], JSON.stringify(plan.scope.in));
    assert.match(plan.scope.in.find((entry) => entry.create)?.reason ?? '', /beside the ones there/);
    // A repository whose Python tests sit in a root `tests/` keeps it.
    const rooted = {
      ...profile,
      files: [
        ...profile.files,
        ...['a', 'b'].map((n) => ({
          path: `tests/test_${n}.py`,
          size: 50,
          language: 'python' as const,
          role: 'test' as const,
        })),
      ],
    };
    assert.deepEqual(
      buildPlan({ finding, profile: rooted, number: 1, date: DATE })
        .scope.in.filter((e) => e.create)
        .map((e) => e.path),
      ['tests/'],
    );
  });

  it('adds no first-tests folder to a plan that fixes one of the tests nothing runs (JupyterHub)', () => {
    const finding = sampleFinding({
      ruleId: 'tests/test-without-assertion',
      category: 'tests',
      title: 'Test without any assertion',
      evidence: [
        {
          file: 'jupyterhub/tests/test_roles.py',
          startLine: 5,
          endLine: 5,
          excerpt: 'async def test_user_role_from_config(',
        },
      ],
    });
    const sample = sampleProfile({ commands: [], languages: [{ name: 'Python', files: 2, bytes: 100 }] });
    const base = { ...sample, files: sample.files.filter((file) => file.role !== 'test') };
    const withTests = {
      ...base,
      files: [
        ...base.files,
        {
          path: 'jupyterhub/tests/test_roles.py',
          size: 100,
          role: 'test' as const,
          language: 'python' as const,
          languageName: 'Python',
        },
      ],
    };
    const plan = buildPlan({ finding, profile: withTests, number: 1, date: DATE });
    assert.ok(!plan.scope.in.some((entry) => entry.create), JSON.stringify(plan.scope.in));
    assert.doesNotMatch(plan.testPlan.note ?? '', /first tests/);
    // With no tests anywhere, the same finding's plan may start them.
    const bare = buildPlan({ finding, profile: base, number: 1, date: DATE });
    assert.ok(bare.scope.in.some((entry) => entry.path === 'tests/' && entry.create === true));
  });

  it('writes no test into a monorepo package whose tests the root runs from elsewhere', () => {
    const rootTest = {
      kind: 'test' as const,
      run: 'cd ../.. && npm test',
      source: '../../package.json scripts.test',
    };
    const sample = sampleProfile({ commands: [rootTest] });
    const profile = {
      ...sample,
      files: sample.files.filter((file) => file.role !== 'test'),
      enclosing: { root: '../..', lockfiles: ['../../package-lock.json'], ciFiles: [], commands: [rootTest] },
    };
    const plan = buildPlan({ finding: sampleFinding(), profile, number: 1, date: DATE });
    assert.ok(!plan.scope.in.some((entry) => entry.create), JSON.stringify(plan.scope.in));
    assert.match(
      plan.testPlan.note ?? '',
      /tests run from the repository around it \(`cd \.\.\/\.\. && npm test`\)/,
    );
    assert.ok(plan.doneCriteria.some((criterion) => criterion.run === 'cd ../.. && npm test'));
    // With tests of its own in the folder, a new one goes beside them as usual.
    const withTests = buildPlan({
      finding: sampleFinding(),
      profile: { ...profile, files: sample.files },
      number: 1,
      date: DATE,
    });
    assert.ok(withTests.scope.in.some((entry) => entry.create));
  });

  it('lets a plan for a test command with no tests add test files, and names the manifest that owns the cited file (Uptime Kuma)', () => {
    const profile = sampleProfile({
      manifests: [
        { path: 'extra/update-language-files/package.json', kind: 'package.json' },
        { path: 'package.json', kind: 'package.json' },
      ],
      files: [{ path: 'server/server.js', size: 120, language: 'javascript', role: 'source' }],
      conventions: { commitStyle: { kind: 'unknown', samples: [] } },
    });
    const finding = sampleFinding({
      ruleId: 'tests/no-verification-baseline',
      category: 'tests',
      title: 'Test command `npm test` has no tests to run',
      evidence: [
        { file: 'package.json', startLine: 30, endLine: 30, excerpt: '"test": "npm run jest-backend",' },
      ],
    });
    const plan = buildPlan({ finding, profile, number: 1, date: DATE });
    assert.ok(
      plan.scope.in.some((entry) => entry.path === 'test/' && entry.create === true),
      JSON.stringify(plan.scope.in),
    );
    assert.match(plan.testPlan.note ?? '', /sets up the repository’s first tests/);
    const dependencyStop = plan.stopConditions.find((stop) => /new dependency/.test(stop)) ?? '';
    assert.match(dependencyStop, /not already in `package\.json`/);
    // A finding in the tool's folder names the tool's manifest.
    const toolPlan = buildPlan({
      finding: sampleFinding({
        evidence: [{ file: 'extra/update-language-files/update.js', startLine: 3, endLine: 3, excerpt: 'x' }],
      }),
      profile,
      number: 2,
      date: DATE,
    });
    assert.match(
      toolPlan.stopConditions.find((stop) => /new dependency/.test(stop)) ?? '',
      /`extra\/update-language-files\/package\.json`/,
    );
  });

  it('lets a plan whose steps add a development tool change the lockfile (missing lint script)', () => {
    const finding = sampleFinding({
      ruleId: 'dx/missing-scripts',
      category: 'dx',
      title: 'package.json has no lint script',
      evidence: [{ file: 'package.json', startLine: 3, endLine: 3, excerpt: '"scripts": {' }],
    });
    const plan = buildPlan({
      finding,
      profile: sampleProfile(),
      number: 4,
      date: DATE,
      steps: ['Otherwise add Biome as a dev dependency with `"lint": "biome lint ."`.'],
    });
    assert.ok(
      plan.scope.in.some((entry) => entry.path === 'package-lock.json'),
      JSON.stringify(plan.scope.in),
    );
    assert.ok(!plan.scope.out.some((entry) => entry.path === 'package-lock.json'));
    assert.ok(plan.stopConditions.some((stop) => /A package the steps name cannot be installed/.test(stop)));
  });

  it('lets the install write the first lockfile of a package that has none (missing lint script)', () => {
    // Node-RED's runtime as published: no lockfile. `npm install -D @biomejs/biome` writes
    // package-lock.json, which the review found out of scope.
    const finding = sampleFinding({
      ruleId: 'dx/missing-scripts',
      category: 'dx',
      title: 'package.json has no lint script',
      evidence: [{ file: 'package.json', startLine: 1, endLine: 1, excerpt: '{' }],
    });
    const steps = ['Otherwise add Biome as a dev dependency with `"lint": "biome lint ."`.'];
    const build = (overrides: Parameters<typeof sampleProfile>[0]) =>
      buildPlan({ finding, profile: sampleProfile(overrides), number: 4, date: DATE, steps });
    const npm = build({ lockfiles: [] });
    assert.deepEqual(
      npm.scope.in.find((entry) => entry.path === 'package-lock.json'),
      {
        path: 'package-lock.json',
        reason: 'written by installing the dependency the steps add (new file)',
        create: true,
      },
    );
    assert.ok(
      build({ lockfiles: [], packageManager: 'pnpm' }).scope.in.some((e) => e.path === 'pnpm-lock.yaml'),
    );
    // A lockfile in the repository around the package is the one the install updates.
    const enclosed = build({
      lockfiles: [],
      enclosing: { root: '../..', lockfiles: ['../../package-lock.json'], ciFiles: [], commands: [] },
    });
    assert.ok(!enclosed.scope.in.some((entry) => entry.create && /lock/.test(entry.path)));
    // A plan that installs nothing leaves the lockfile alone.
    const noInstall = buildPlan({
      finding,
      profile: sampleProfile({ lockfiles: [] }),
      number: 4,
      date: DATE,
    });
    assert.ok(!noInstall.scope.in.some((entry) => entry.path === 'package-lock.json'));
  });

  it('says plainly when the repo has no test command and invents none', () => {
    const profile = sampleProfile({
      commands: [{ kind: 'lint', run: 'make lint', source: 'Makefile:3' }],
      conventions: { commitStyle: { kind: 'unknown', samples: [] } },
    });
    const plan = buildPlan({ finding: sampleFinding(), profile, number: 2, date: DATE });
    assert.deepEqual(plan.commands, [
      { purpose: 'Lint (defined in Makefile:3)', command: 'make lint', expected: 'exit 0' },
    ]);
    assert.deepEqual(plan.doneCriteria, [
      { run: sampleFinding().doneCheck, expect: 'exit 0' },
      { run: 'make lint', expect: 'exit 0' },
    ]);
    assert.ok(!plan.scope.in.some((entry) => entry.create), 'no test file to create without a test runner');
    assert.ok(!plan.steps.some((step) => step.title === 'Add or extend a test'));
    assert.match(plan.testPlan.note ?? '', /defines no test command.*if you cannot run the tests, stop/);
    assert.equal(plan.testPlan.patternFile, undefined);
    assert.ok(plan.stopConditions.some((stop) => /has no test command: do not invent one/.test(stop)));
    const markdown = renderPlan(plan);
    assert.match(markdown, /\*\*Pattern\*\*: none/);
    assert.doesNotMatch(markdown, /npm/);
    // A detector's step that asks for a test is kept as what to check by hand: a test could not
    // run, and the STOP conditions forbid inventing a runner.
    const guided = buildPlan({
      finding: sampleFinding(),
      profile,
      number: 3,
      date: DATE,
      steps: ['Re-throw the error with context.', 'Add a test that makes insert fail.'],
    });
    const check = guided.steps.find((step) => step.title === 'Check the fix by hand');
    assert.match(
      check?.detail ?? '',
      /no test command, so this plan adds no test\. What a test would check: Add a test that makes insert fail\./,
    );
    assert.ok(!guided.steps.some((step) => /^Add a test/.test(step.title)));
  });

  it('verifies a Python script in a JavaScript repository by compiling it, without claiming there is no test command', () => {
    // A Node package (`"test": "node --test"`) with one helper script in Python: `npm test` never
    // runs Python, but the repository does have a test command.
    const profile = sampleProfile({
      files: [
        { path: 'src/sum.js', size: 80, language: 'javascript', role: 'source' },
        { path: 'test/sum.test.js', size: 120, language: 'javascript', role: 'test' },
        { path: 'scripts/tool.py', size: 200, language: 'python', role: 'source' },
      ],
      commands: [
        { kind: 'install', run: 'npm install', source: 'package.json', language: 'javascript' },
        { kind: 'test', run: 'npm test', source: 'package.json scripts.test', language: 'javascript' },
      ],
    });
    const finding = sampleFinding({
      ruleId: 'correctness/bare-except-pass',
      evidence: [
        { file: 'scripts/tool.py', startLine: 12, endLine: 13, excerpt: '    except:\n        pass' },
      ],
      doneCheck: "! grep -q 'except:' 'scripts/tool.py'",
    });
    const plan = buildPlan({
      finding,
      profile,
      number: 2,
      date: DATE,
      steps: ['Catch the exceptions the call raises.', 'Add a test that feeds a missing file.'],
    });
    const markdown = renderPlan(plan);
    assert.doesNotMatch(
      markdown,
      /defines no (?:install|test)|has no test command|no test, lint or typecheck command\b/,
    );
    assert.ok(!plan.commands.some((row) => row.command.startsWith('npm')), 'npm test does not run Python');
    const compile = plan.commands.find((row) => /compile/.test(row.command));
    assert.ok(compile, JSON.stringify(plan.commands));
    assert.match(compile.purpose, /no Python test command.*`npm test`.*JavaScript/);
    assert.ok(plan.doneCriteria.some((criterion) => criterion.run === compile.command));
    assert.equal(plan.steps.at(-1)?.verify.run, compile.command);
    const check = plan.steps.find((step) => step.title === 'Check the fix by hand');
    assert.match(check?.detail ?? '', /no Python test command \(`npm test` runs its JavaScript tests\)/);
    assert.match(plan.testPlan.note ?? '', /no Python test command/);
    assert.ok(
      plan.stopConditions.some((stop) =>
        /no Python test command \(`npm test` runs its JavaScript tests\): do not invent one/.test(stop),
      ),
    );
    // The check compiles the file without writing bytecode into the worktree, and fails on a
    // syntax error.
    const { dir, dispose } = tempDir();
    try {
      writeTree(dir, { 'scripts/tool.py': 'def main():\n    return 1\n' });
      assert.equal(run(compile.command, dir).exitCode, 0);
      assert.equal(run('find . -name "*.pyc"', dir).stdout, '');
      writeTree(dir, { 'scripts/tool.py': 'def main(:\n    return 1\n' });
      assert.notEqual(run(compile.command, dir).exitCode, 0);
    } finally {
      dispose();
    }
  });

  it("verifies a Python file's fix with Python's tools in a repository with a JavaScript frontend", () => {
    // A Django app whose package.json lints and builds `frontend/`: `npm run lint` runs eslint
    // there and proves nothing about shop/views.py.
    const profile = sampleProfile({
      files: [
        { path: 'shop/views.py', size: 400, language: 'python', role: 'source' },
        { path: 'shop/tests/test_views.py', size: 200, language: 'python', role: 'test' },
        { path: 'frontend/app.js', size: 80, language: 'javascript', role: 'source' },
      ],
      manifests: [
        { path: 'package.json', kind: 'package.json' },
        { path: 'requirements.txt', kind: 'requirements.txt' },
      ],
      commands: [
        { kind: 'install', run: 'pip install -r requirements.txt', source: 'requirements.txt' },
        { kind: 'build', run: 'npm run build', source: 'package.json scripts.build', language: 'javascript' },
        { kind: 'lint', run: 'npm run lint', source: 'package.json scripts.lint', language: 'javascript' },
        { kind: 'test', run: 'pytest', source: 'setup.cfg:5', language: 'python' },
        { kind: 'lint', run: 'flake8', source: 'setup.cfg:1', language: 'python' },
      ],
    });
    const finding = sampleFinding({
      ruleId: 'correctness/bare-except-pass',
      evidence: [{ file: 'shop/views.py', startLine: 3, endLine: 4, excerpt: '    except:\n        pass' }],
      doneCheck: "! grep -q 'except:' 'shop/views.py'",
    });
    const plan = buildPlan({
      finding,
      profile,
      number: 4,
      date: DATE,
      steps: ['Find the caller.', 'Fix it.'],
    });
    const runs = [...plan.steps.map((step) => step.verify.run), ...plan.doneCriteria.map((c) => c.run)];
    assert.ok(!runs.some((run) => run.includes('npm')), runs.join('\n'));
    assert.equal(plan.steps[1]?.verify.run, 'flake8');
    assert.equal(plan.steps.at(-1)?.verify.run, 'pytest && flake8');
    assert.deepEqual(
      plan.commands.map((row) => row.command),
      ['pip install -r requirements.txt', 'pytest', 'flake8'],
    );
    // A plan about the frontend's code keeps the frontend's lint, and has no test command.
    const js = buildPlan({
      finding: sampleFinding({
        evidence: [
          { file: 'frontend/app.js', startLine: 1, endLine: 1, excerpt: 'export function total(items) {' },
        ],
      }),
      profile,
      number: 5,
      date: DATE,
    });
    assert.deepEqual(
      js.commands.map((row) => row.command),
      ['pip install -r requirements.txt', 'npm run build', 'npm run lint'],
    );
  });

  it('follows detector steps, verifying the fix step with the done check', () => {
    const plan = buildPlan({
      finding: sampleFinding(),
      profile: sampleProfile(),
      number: 5,
      date: DATE,
      steps: [
        'Find every caller of save.',
        'Re-throw the error with context.',
        'Add a test that makes insert fail.',
      ],
      dependsOn: ['001'],
    });
    assert.deepEqual(plan.dependsOn, ['001']);
    assert.deepEqual(
      plan.steps.map((step) => [step.title, step.verify.run]),
      [
        ['Confirm the current state', "grep -n -F -- 'try {' 'src/save.ts'"],
        ['Find every caller of save', 'npm run typecheck'],
        ['Re-throw the error with context', sampleFinding().doneCheck],
        ['Add a test that makes insert fail', 'npm test'],
        ['Run the full verification', 'npm test && npm run lint && npm run typecheck'],
      ],
    );
    assert.match(
      plan.steps[3]?.detail ?? '',
      /Put it in `test\/save\.test\.ts` \(a new file: create it\)\. Follow the pattern of `test\/load\.test\.ts`/,
    );
  });

  it("keeps a detector's step references right after the confirm step is put first (duplicate-block)", () => {
    const plan = buildPlan({
      finding: sampleFinding(),
      profile: sampleProfile(),
      number: 6,
      date: DATE,
      steps: [
        'List every difference between the two copies.',
        'Write a test for each copy.',
        'Replace both copies with calls to the new function; keep every difference from step 1 as an argument.',
        'Run the tests from step 2 and the full test command.',
      ],
    });
    assert.equal(plan.steps[1]?.title, 'List every difference between the two copies');
    assert.match(plan.steps[3]?.detail ?? '', /keep every difference from step 2 as an argument/);
    assert.match(plan.steps[4]?.detail ?? '', /Run the tests from step 3 and the full test command/);
  });

  it('confirms a redacted excerpt by the file, without quoting it, and handles no git', () => {
    const finding = sampleFinding({
      category: 'security',
      impact: 'HIGH',
      evidence: [
        {
          file: "config/it's.ts",
          startLine: 1,
          endLine: 1,
          excerpt: "const key = '[REDACTED:aws-access-key-id]';",
        },
      ],
    });
    delete finding.doneCheck;
    const profile = sampleProfile({
      git: { available: false, reason: 'not a git repository', hotspots: [] },
    });
    const plan = buildPlan({ finding, profile, number: 6, date: DATE });
    assert.equal(plan.priority, 'P1');
    assert.deepEqual(plan.steps[0]?.verify, { run: `test -f 'config/it'\\''s.ts'`, expect: 'exit 0' });
    // The quote is redacted; step 1 says so, or an executor comparing it word for word would stop.
    assert.match(
      plan.steps[0]?.detail ?? '',
      /except where the quote says `\[REDACTED:…\]`: the file holds the secret value there/,
    );
    assert.deepEqual(plan.plannedAt, { sha: null, date: DATE });
    assert.deepEqual(plan.driftCheck, { command: null, reason: 'not a git repository' });
    assert.match(plan.gitWorkflow[0] ?? '', /not a git repository/);
    assert.ok(plan.stopConditions[0]?.includes('differ from the files'));
  });
  it('lets the executor write the files the steps name: a new .env.example and the README (Patroni)', () => {
    const profile = sampleProfile();
    profile.files = [...profile.files, { path: 'README.md', size: 300, role: 'docs' }];
    const finding = sampleFinding({
      ruleId: 'dx/undocumented-env',
      category: 'dx',
      title: '3 environment variables are read but documented nowhere',
      fixSketch: 'Add a `.env.example` or a "Configuration" section in the README.',
    });
    const plan = buildPlan({
      finding,
      profile,
      number: 8,
      date: DATE,
      steps: [
        'Create `.env.example` at the repository root (or extend it) with one line per variable.',
        'If the README has a set-up or configuration section, add a short table of the variables there too.',
      ],
    });
    assert.deepEqual(
      plan.scope.in.map((entry) => [entry.path, entry.create ?? false]),
      [
        ['src/save.ts', false],
        ['.env.example', true],
        ['README.md', false],
      ],
    );
  });

  it('puts the files a runtime upgrade names in scope: CI workflows, .nvmrc, Dockerfile, README', () => {
    const profile = sampleProfile();
    profile.files = [
      ...profile.files,
      { path: '.nvmrc', size: 3, role: 'config' },
      { path: 'Dockerfile', size: 90, role: 'config' },
      { path: 'README.md', size: 300, role: 'docs' },
      { path: '.gitignore', size: 20, role: 'config' },
    ];
    const finding = sampleFinding({
      ruleId: 'dependencies/eol-runtime',
      category: 'dependencies',
      title: 'engines.node ">=14" allows only end-of-life Node.js',
      evidence: [{ file: 'package.json', startLine: 5, endLine: 5, excerpt: '"node": ">=14"' }],
    });
    const plan = buildPlan({
      finding,
      profile,
      number: 10,
      date: DATE,
      steps: [
        'Change the cited version declaration to a supported release line (Node.js 22 or newer).',
        'Update every other place that names the old version (CI workflow matrix, .nvmrc/.node-version/.python-version, Dockerfile base image, README) to the same version.',
      ],
    });
    assert.deepEqual(plan.scope.in.map((entry) => entry.path).sort(), [
      '.github/workflows/ci.yml',
      '.nvmrc',
      'Dockerfile',
      'README.md',
      'package.json',
    ]);
    assert.ok(!plan.scope.out.some((entry) => entry.path === '.github/workflows/ci.yml'));
  });

  it('lets a refactor that extracts a module create it beside the cited code (import cycle)', () => {
    const finding = sampleFinding({
      ruleId: 'tech-debt/circular-import',
      category: 'tech-debt',
      title: 'Circular import between src/save.ts and src/load.ts',
    });
    const plan = buildPlan({
      finding,
      profile: sampleProfile(),
      number: 11,
      date: DATE,
      steps: [
        'Move those names into a new module next to the others that imports none of the modules in the cycle.',
      ],
    });
    assert.ok(
      plan.scope.in.some((entry) => entry.path === 'src/' && entry.create === true),
      JSON.stringify(plan.scope.in),
    );
    assert.match(renderPlan(plan), /`src\/` \(new files only\)/);
  });

  it('lets a committed .env be replaced: .gitignore to update, .env.example to create', () => {
    const profile = sampleProfile();
    profile.files = [...profile.files, { path: '.gitignore', size: 20, role: 'config' }];
    const finding = sampleFinding({
      ruleId: 'security/hardcoded-secret',
      category: 'security',
      title: 'Hardcoded API key in .env',
      evidence: [{ file: '.env', startLine: 1, endLine: 1, excerpt: 'API_KEY=[REDACTED:env-secret]' }],
    });
    const plan = buildPlan({
      finding,
      profile,
      number: 12,
      date: DATE,
      steps: [
        'If the value lives in a committed `.env` file: remove that file from version control, add it to `.gitignore`, and add a `.env.example` listing the variable names with placeholder values only.',
      ],
    });
    assert.deepEqual(
      plan.scope.in.map((entry) => [entry.path, entry.create ?? false]),
      [
        ['.env', false],
        ['.env.example', true],
        ['.gitignore', false],
      ],
    );
  });

  it('puts the file the done check expects in scope (a missing lockfile)', () => {
    const profile = sampleProfile();
    profile.lockfiles = [];
    const finding = sampleFinding({
      ruleId: 'dependencies/lockfile',
      category: 'dependencies',
      title: 'No lockfile for package.json',
      fixSketch: "Run the package manager's install once and commit the lockfile it writes.",
      doneCheck: "test -f 'package-lock.json'",
    });
    const plan = buildPlan({ finding, profile, number: 9, date: DATE });
    assert.ok(
      plan.scope.in.some((entry) => entry.path === 'package-lock.json' && entry.create === true),
      JSON.stringify(plan.scope.in),
    );
    assert.ok(!plan.scope.out.some((entry) => entry.path === 'package-lock.json'));
  });

  it('plans a repo-level finding: files the fix creates are in scope, nothing else is', () => {
    const finding = sampleFinding({
      ruleId: 'docs/no-readme',
      category: 'docs',
      title: 'No README',
      evidence: [],
      fixSketch:
        'Add README.md: what the project does and how to run its tests. Node.js users need nothing else.',
      doneCheck: 'ls | grep -qiE "^readme(\\.[a-z0-9]+)?$"',
    });
    const plan = buildPlan({
      finding,
      profile: sampleProfile(),
      number: 7,
      date: DATE,
      steps: ['Create README.md at the repository root.'],
    });
    assert.equal(plan.title, 'No README');
    assert.deepEqual(plan.scope.in, [
      { path: 'README.md', reason: 'named by the fix (new file)', create: true },
    ]);
    assert.deepEqual(plan.currentState, []);
    assert.deepEqual(plan.driftCheck, { command: `git diff --stat ${SHA} -- 'README.md'` });
    assert.deepEqual(plan.steps[0]?.verify, { run: `! ( ${finding.doneCheck} )`, expect: 'exit 0' });
    assert.deepEqual(plan.doneCriteria[0], { run: finding.doneCheck, expect: 'exit 0' });
    assert.match(renderPlan(plan), /No excerpt: this plan is about something the repository lacks/);
  });
  it('does not ask for a unit test when the fix changes no code (a CI workflow)', () => {
    const finding = sampleFinding({
      ruleId: 'dx/no-ci',
      category: 'dx',
      title: 'No CI runs the tests or build',
      evidence: [{ file: 'package.json', startLine: 5, endLine: 5, excerpt: '    "test": "node --test"' }],
      fixSketch: 'Add .github/workflows/ci.yml that runs `npm test` on push and pull_request.',
      doneCheck: 'ls .github/workflows/*.yml 2>/dev/null | grep -q .',
    });
    const plan = buildPlan({
      finding,
      profile: sampleProfile({ ciFiles: [] }),
      number: 8,
      date: DATE,
      steps: [
        'Create .github/workflows/ci.yml.',
        'Add one step per existing command: lint, typecheck, test.',
      ],
    });
    assert.deepEqual(
      plan.scope.in.map((entry) => [entry.path, entry.create ?? false]),
      [
        ['package.json', false],
        ['.github/workflows/ci.yml', true],
      ],
    );
    assert.deepEqual(
      plan.steps.map((step) => step.title),
      [
        'Confirm the current state',
        'Create .github/workflows/ci.yml',
        'Add one step per existing command',
        'Run the full verification',
      ],
    );
    assert.equal(plan.steps[2]?.verify.run, finding.doneCheck);
    assert.match(plan.testPlan.note ?? '', /No new test/);
    assert.deepEqual(
      plan.scope.out.map((entry) => entry.path),
      ['package-lock.json', 'src/', '**'],
    );
  });
});

describe('plan naming and paths', () => {
  it('makes short ASCII kebab-case slugs and zero-padded ids', () => {
    assert.equal(
      slugify('Crème brûlée: SQL built from user input!'),
      'creme-brulee-sql-built-from-user-input',
    );
    const long = slugify(
      'A very long title that keeps going well beyond the fifty character limit for slugs',
    );
    assert.ok(long.length <= 50 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(long), long);
    assert.ok(!/-(in|the|of)$/.test(long));
    assert.equal(
      slugify('Error swallowed by an empty or log-only catch', 'save'),
      'error-swallowed-by-an-empty-or-log-only-catch-save',
    );
    assert.equal(slugify('!!!'), 'plan');
    assert.equal(formatPlanId(3), '003');
    assert.equal(formatPlanId(1234), '1234');
  });

  it('fixes a finding in a test file in that file: no test of the test, no extra test step (fastify)', () => {
    const finding = sampleFinding({
      ruleId: 'tests/test-without-assertion',
      category: 'tests',
      title: 'Test without any assertion',
      evidence: [
        { file: 'test/decorator.test.js', startLine: 5, endLine: 8, excerpt: "test('decorates', () => {" },
      ],
    });
    const sample = sampleProfile({});
    const profile = {
      ...sample,
      files: [
        ...sample.files,
        {
          path: 'test/decorator.test.js',
          size: 100,
          role: 'test' as const,
          language: 'javascript' as const,
          languageName: 'JavaScript',
        },
      ],
    };
    assert.equal(testFileFor(profile, 'test/decorator.test.js'), 'test/decorator.test.js');
    const plan = buildPlan({ finding, profile, number: 1, date: DATE });
    const text = renderPlan(plan);
    assert.doesNotMatch(text, /test\/test\/|\.test\.test\./);
    assert.deepEqual(
      plan.scope.in.map((entry) => entry.path),
      ['test/decorator.test.js'],
    );
    assert.ok(!plan.steps.some((step) => step.title === 'Add or extend a test'));
  });

  it('asks a plan about a test that asserts nothing for no new test that fails on the old code (aodh)', () => {
    const file = 'aodh/tests/functional/storage/test_impl_log.py';
    const finding = sampleFinding({
      ruleId: 'tests/test-without-assertion',
      category: 'tests',
      title: 'Test without any assertion',
      evidence: [{ file, startLine: 23, endLine: 24, excerpt: '    def test_get_connection():' }],
    });
    const sample = sampleProfile({ languages: [{ name: 'Python', files: 3, bytes: 300 }] });
    const test = (path: string) => ({
      path,
      size: 100,
      role: 'test' as const,
      language: 'python' as const,
      languageName: 'Python',
    });
    const profile = {
      ...sample,
      files: [
        ...sample.files,
        test(file),
        test('aodh/tests/functional/storage/sqlalchemy/test_migrations.py'),
      ],
    };
    const plan = buildPlan({ finding, profile, number: 1, date: DATE });
    assert.equal(plan.testPlan.patternFile, file);
    assert.ok(
      !plan.testPlan.cases.some((item) => /fails on the current code/.test(item)),
      plan.testPlan.cases.join('\n'),
    );
    const text = renderPlan(plan);
    assert.doesNotMatch(text, /test_migrations\.py/);
    assert.doesNotMatch(text, /write the new test the same way/);
    assert.match(text, /No new test: the problem is in the tests themselves/);
    assert.equal(parsePlan(text, 'plans/001-x.md').testPlan.patternFile, file);
  });

  it('asks a refactor or a speed-up for a test that pins what the code does, and a bug fix for one that fails first', () => {
    const profile = sampleProfile();
    const cases = (category: 'tech-debt' | 'performance' | 'correctness') =>
      buildPlan({ finding: sampleFinding({ category }), profile, number: 1, date: DATE }).testPlan.cases.join(
        '\n',
      );
    for (const category of ['tech-debt', 'performance'] as const) {
      assert.match(
        cases(category),
        /pins what the code in `src\/save\.ts` lines 2-4 does now: it passes on the current code/,
      );
      assert.doesNotMatch(cases(category), /fails on the current code/);
    }
    assert.match(
      cases('correctness'),
      /A test that shows the problem in `src\/save\.ts` lines 2-4: it fails on the current code/,
    );
  });

  it('places the test file the way the repo does', () => {
    const with_ = (testFilePattern?: string, exemplarTest?: string) =>
      sampleProfile({
        conventions: {
          commitStyle: { kind: 'unknown', samples: [] },
          ...(testFilePattern ? { testFilePattern } : {}),
          ...(exemplarTest ? { exemplarTest } : {}),
        },
      });
    assert.equal(testFileFor(with_('test/**/*.test.ts'), 'src/lib/foo.ts'), 'test/lib/foo.test.ts');
    assert.equal(
      testFileFor(with_('**/*.test.ts', 'src/bar.test.ts'), 'src/lib/foo.ts'),
      'src/lib/foo.test.ts',
    );
    assert.equal(
      testFileFor(with_('**/*.spec.js', 'src/__tests__/a.spec.js'), 'src/foo.js'),
      'src/__tests__/foo.spec.js',
    );
    assert.equal(testFileFor(with_(), 'src/foo.tsx'), 'test/foo.test.tsx');
    assert.equal(testFileFor(with_(), 'app/models/foo.py'), 'tests/test_foo.py');
    assert.equal(testFileFor(with_('test/*_test.py'), 'foo.py'), 'test/foo_test.py');
    // A Django app's tests module is where `manage.py test` finds the app's tests: extend it.
    assert.equal(testFileFor(with_(undefined, 'shop/tests.py'), 'shop/views.py'), 'shop/tests.py');
    assert.equal(testFileFor(with_(undefined, 'shop/tests.py'), 'billing/views.py'), 'billing/tests.py');
    assert.equal(testFileFor(with_(), 'README.md'), undefined);
  });

  it('asks no test of a plan that documents what code reads (aodh OS_REGION_NAME)', () => {
    const finding = sampleFinding({
      ruleId: 'dx/undocumented-env',
      category: 'dx',
      title: '3 environment variables are read but documented nowhere',
      evidence: [
        {
          file: 'aodh/keystone_client.py',
          startLine: 114,
          endLine: 114,
          excerpt: "               default=os.environ.get('OS_REGION_NAME'),",
        },
      ],
    });
    const sample = sampleProfile({
      languages: [{ name: 'Python', files: 2, bytes: 200 }],
      commands: [{ kind: 'test', run: 'pytest', source: 'pyproject.toml', language: 'python' }],
    });
    const file = (path: string, role: 'source' | 'test') => ({
      path,
      size: 100,
      role,
      languageName: 'Python',
      language: 'python' as const,
    });
    const profile = {
      ...sample,
      files: [
        ...sample.files,
        file('aodh/keystone_client.py', 'source'),
        file('aodh/tests/unit/test_bin.py', 'test'),
      ],
    };
    const plan = buildPlan({
      finding,
      profile,
      number: 1,
      date: DATE,
      steps: ['Create `.env.example` at the repository root with one line per variable.'],
    });
    assert.ok(
      plan.doneCriteria.some((criterion) => criterion.run === 'pytest'),
      'the repository has a test command',
    );
    assert.deepEqual(
      plan.scope.in.filter((entry) => /tests?\//.test(entry.path)),
      [],
    );
    assert.ok(!plan.doneCriteria.some((criterion) => criterion.run.startsWith('test -f')));
    assert.ok(!plan.steps.some((step) => step.title === 'Add or extend a test'));
    assert.deepEqual(plan.testPlan.cases, []);
  });

  it('extends a source file’s existing tests in a mirrored folder, not a new file (aodh, designate)', () => {
    const file = (path: string, role: 'source' | 'test') => ({
      path,
      size: 100,
      role,
      languageName: 'Python',
      language: 'python' as const,
    });
    const profile = sampleProfile({
      files: [
        file('aodh/api/controllers/v2/query.py', 'source'),
        file('aodh/storage/query.py', 'source'),
        file('aodh/tests/functional/api/v2/test_query.py', 'test'),
        file('aodh/tests/functional/api/v2/test_complex_query.py', 'test'),
        file('aodh/tests/unit/test_bin.py', 'test'),
        file('aodh/evaluator/threshold.py', 'source'),
        file('designate/storage/impl_sqlalchemy/__init__.py', 'source'),
        file('designate/tests/test_notification_handler/test_neutron.py', 'test'),
      ],
      conventions: { commitStyle: { kind: 'unknown', samples: [] }, testFilePattern: 'tests/test_*.py' },
    });
    assert.equal(
      testFileFor(profile, 'aodh/api/controllers/v2/query.py'),
      'aodh/tests/functional/api/v2/test_query.py',
    );
    assert.equal(
      exemplarFor(profile, 'aodh/api/controllers/v2/query.py'),
      'aodh/tests/functional/api/v2/test_query.py',
    );
    // Another query.py, in a folder the test's path does not name: not its test.
    assert.notEqual(
      testFileFor(profile, 'aodh/storage/query.py'),
      'aodh/tests/functional/api/v2/test_query.py',
    );
    // No test of that name: a new file, as before.
    assert.equal(testFileFor(profile, 'aodh/evaluator/threshold.py'), 'aodh/tests/test_threshold.py');
    // A package's __init__.py is tested under the package's name, not `test___init__.py`.
    assert.equal(
      testFileFor(profile, 'designate/storage/impl_sqlalchemy/__init__.py'),
      'designate/tests/test_impl_sqlalchemy.py',
    );
    const finding = sampleFinding({
      ruleId: 'tech-debt/duplicate-block',
      category: 'tech-debt',
      evidence: [
        {
          file: 'aodh/api/controllers/v2/query.py',
          startLine: 350,
          endLine: 361,
          excerpt: 'def post(self, body):',
        },
      ],
    });
    const plan = buildPlan({ finding, profile, number: 1, date: DATE });
    const entry = plan.scope.in.find((item) => item.path === 'aodh/tests/functional/api/v2/test_query.py');
    assert.ok(entry && !entry.create, JSON.stringify(plan.scope.in));
    assert.ok(!plan.doneCriteria.some((criterion) => criterion.run.startsWith('test -f')));
  });

  it('places a new test where the test script runs it, not beside a test it never runs', (t) => {
    // Etherpad 1.8.14: `mocha --recursive tests/backend/specs`; `node/easysync_tests.js`, nearest
    // to the code, is never run. Beside it, `node/handler/ImportHandler.test.js` would pass every
    // check without running.
    const temp = tempDir();
    t.after(temp.dispose);
    const tree = {
      'package.json': JSON.stringify({
        name: 'ep',
        scripts: { test: 'mocha --recursive tests/backend/specs' },
      }),
      'node/handler/ImportHandler.js': 'module.exports = async () => {};\n',
      'node/hooks/express/webaccess.js': 'module.exports = () => {};\n',
      'node/easysync.test.js': "require('../static/js/Changeset');\n",
      'tests/backend/specs/api/pad.js': "describe('pad', () => { it('gets', () => {}); });\n",
      'tests/backend/specs/webaccess.js': "describe('webaccess', () => { it('logs in', () => {}); });\n",
    };
    writeTree(temp.dir, tree);
    const profile = profileFor(temp.dir, tree);
    const exemplar = exemplarFor(profile, 'node/handler/ImportHandler.js') ?? '';
    assert.match(exemplar, /^tests\/backend\/specs\//);
    const placed = testFileFor(profile, 'node/handler/ImportHandler.js') ?? '';
    assert.match(placed, /^tests\/backend\/specs\/(?:api\/)?ImportHandler\.test\.js$/);
    // The one test the script runs that is named like the code: extend it.
    assert.equal(testFileFor(profile, 'node/hooks/express/webaccess.js'), 'tests/backend/specs/webaccess.js');
  });

  it('follows a test in the cited file’s language and nearest to it, not the repository’s dominant one', () => {
    const file = (path: string, role: 'source' | 'test', size = 100) => ({
      path,
      size,
      role,
      languageName: path.endsWith('.py') ? 'Python' : 'TypeScript',
      language: path.endsWith('.py') ? ('python' as const) : ('typescript' as const),
    });
    // A monorepo whose dominant tests are Python (the bench corpus: TypeScript plans were told to
    // follow a distutils test), with two TypeScript packages that each keep their own tests.
    const mixed = sampleProfile({
      files: [
        file('tests/test_models.py', 'test'),
        file('tests/test_views.py', 'test'),
        file('app/models.py', 'source'),
        file('packages/web/src/ui/button.ts', 'source'),
        file('packages/web/test/app.test.ts', 'test'),
        file('packages/web/test/helpers.ts', 'test'),
        file('packages/api/src/server.ts', 'source'),
        file('packages/api/test/server.test.ts', 'test', 300),
        file('packages/api/test/routes.test.ts', 'test', 200),
        file('packages/api/test/db.test.ts', 'test', 100),
        file('services/worker/tests/test_jobs.py', 'test'),
        file('services/worker/jobs.py', 'source'),
      ],
      conventions: {
        commitStyle: { kind: 'unknown', samples: [] },
        testFilePattern: 'tests/test_*.py',
        exemplarTest: 'tests/test_models.py',
      },
    });
    assert.equal(exemplarFor(mixed, 'packages/web/src/ui/button.ts'), 'packages/web/test/app.test.ts');
    // server.ts has its own test: that is the one to follow, not the median of its neighbours.
    assert.equal(exemplarFor(mixed, 'packages/api/src/server.ts'), 'packages/api/test/server.test.ts');
    assert.equal(exemplarFor(mixed, 'app/models.py'), 'tests/test_models.py');
    assert.equal(exemplarFor(mixed, 'services/worker/jobs.py'), 'services/worker/tests/test_jobs.py');
    assert.equal(exemplarFor(mixed, 'package.json'), 'tests/test_models.py');
    assert.equal(testFileFor(mixed, 'packages/web/src/ui/button.ts'), 'packages/web/test/ui/button.test.ts');
    assert.equal(testFileFor(mixed, 'packages/api/src/server.ts'), 'packages/api/test/server.test.ts');
    assert.equal(testFileFor(mixed, 'services/worker/jobs.py'), 'services/worker/tests/test_jobs.py');
    assert.equal(testFileFor(mixed, 'app/models.py'), 'tests/test_models.py');
    // A React component in a package whose tests are `.test.ts` (run by `node --test
    // test/*.test.ts`): its test is one too, or the runner never picks it up.
    const web = sampleProfile({
      files: [
        file('packages/web/src/Profile.tsx', 'source'),
        file('packages/web/test/format.test.ts', 'test'),
        file('packages/api/src/server.ts', 'source'),
        file('packages/api/test/server.test.ts', 'test'),
        file('packages/admin/src/Panel.tsx', 'source'),
      ],
      manifests: [
        { path: 'package.json', kind: 'package.json' },
        { path: 'packages/web/package.json', kind: 'package.json' },
        { path: 'packages/api/package.json', kind: 'package.json' },
        { path: 'packages/admin/package.json', kind: 'package.json' },
      ],
    });
    assert.equal(testFileFor(web, 'packages/web/src/Profile.tsx'), 'packages/web/test/Profile.test.ts');
    // A package with no tests yet follows its sibling's layout in its own folder, not beside the source.
    assert.equal(testFileFor(web, 'packages/admin/src/Panel.tsx'), 'packages/admin/test/Panel.test.ts');
    const withJsxTests = sampleProfile({
      files: [...web.files, file('packages/web/test/Header.test.tsx', 'test')],
      manifests: web.manifests,
    });
    assert.equal(
      testFileFor(withJsxTests, 'packages/web/src/Profile.tsx'),
      'packages/web/test/Profile.test.tsx',
    );
    // No TypeScript test at all: no pattern to follow rather than a Python one.
    const pythonOnly = sampleProfile({
      files: [file('tests/test_models.py', 'test'), file('web/app.ts', 'source')],
      conventions: {
        commitStyle: { kind: 'unknown', samples: [] },
        testFilePattern: 'tests/test_*.py',
        exemplarTest: 'tests/test_models.py',
      },
    });
    assert.equal(exemplarFor(pythonOnly, 'web/app.ts'), undefined);
    assert.equal(testFileFor(pythonOnly, 'web/app.ts'), 'test/web/app.test.ts');
    const plan = buildPlan({
      finding: sampleFinding({
        evidence: [{ file: 'web/app.ts', startLine: 1, endLine: 1, excerpt: 'x' }],
      }),
      profile: pythonOnly,
      number: 1,
      date: DATE,
    });
    assert.equal(plan.testPlan.patternFile, undefined);
    assert.match(renderPlan(plan), /\*\*Pattern\*\*: none — there is no test in this language here yet/);
  });

  it('quotes shell words safely', () => {
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(run(`printf %s ${shellQuote("a 'b' $c `d`")}`, '.').stdout, "a 'b' $c `d`");
  });
});
