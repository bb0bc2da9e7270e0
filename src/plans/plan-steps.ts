/** The executor-facing parts of a built plan: steps with Verify lines, done criteria, STOP conditions, test plan. */

import { fromEnclosingProject } from '../core/enclosing.ts';
import type { CommandKind, Evidence, Finding, RepoCommand, RepoProfile } from '../core/types.ts';
import { BASELINE_RULE } from '../rank/rank.ts';
import { codeSpan } from './markdown.ts';
import type { DoneCriterion, PlanStep, TestPlan } from './plan.ts';
import { exemplarFor, shellQuote } from './repo-facts.ts';

/** Everything the builder derived once, shared by the parts below. */
export interface PlanContext {
  finding: Finding;
  profile: RepoProfile;
  sha: string | null;
  primary?: Evidence;
  /** Every place the plan fixes, set only when it covers several findings of one rule in one file. */
  places?: readonly Evidence[];
  testFile?: { path: string; create: boolean };
  commands: Partial<Record<CommandKind, RepoCommand>>;
  /** A drift-check command exists (git, a commit, cited files). */
  hasDriftCheck?: boolean;
  /** The primary cited file is code a test can import (not a manifest, doc or config file). */
  primaryIsCode?: boolean;
  /**
   * The steps change the dependencies themselves (add a linter or test runner, replace a deprecated
   * package, remove an unused one): the package they name and the lockfile are the fix's to change.
   */
  changesDependencies?: boolean;
  /**
   * The test command of the repository's other language when none runs this plan's code (`npm
   * test` in a Node package, for a fix to its one Python script): it proves nothing about this
   * change, but the repository is not without tests.
   */
  otherLanguageTest?: RepoCommand;
  /**
   * For Python code no test command runs: a command that compiles the changed files (a syntax
   * check that writes no bytecode into the worktree).
   */
  compileCheck?: string;
}

const LANGUAGE_NAMES = { python: 'Python', javascript: 'JavaScript' } as const;

/**
 * Why no test can run this plan's change, as the start of a sentence: the repository has no test
 * command, or none for this code's language (its test command runs the other language's tests).
 */
function noTestCommand(ctx: Pick<PlanContext, 'otherLanguageTest'>): string {
  const other = ctx.otherLanguageTest;
  if (!other?.language) return 'This repository has no test command';
  const mine = other.language === 'python' ? 'JavaScript' : 'Python';
  return `This repository has no ${mine} test command (${codeSpan(other.run)} runs its ${LANGUAGE_NAMES[other.language]} tests)`;
}

/** ' and the compile check', when the plan has one. */
function andCompileCheck(ctx: PlanContext): string {
  return ctx.compileCheck ? ' and the compile check' : '';
}

/** The row of "Commands you will need" for the compile check. */
export function compileCheckPurpose(ctx: PlanContext): string {
  return `Check that the changed Python code still compiles (writes no files). ${noTestCommand(ctx)}.`;
}

/**
 * Whether the plan sets up the repository's first tests (the missing-baseline finding, whether the
 * test command is missing or has no tests to run, or any tests finding in a repository with no
 * test command and no tests): then it must let the executor add a runner, a test command and test
 * files, which every other plan forbids. A repository whose tests nothing runs (JupyterHub's
 * packaged `jupyterhub/tests/`) has its tests already: a plan to fix one of them adds no new folder.
 */
export function setsUpTests(ctx: Pick<PlanContext, 'finding' | 'commands' | 'profile'>): boolean {
  return (
    ctx.finding.ruleId === BASELINE_RULE ||
    (ctx.finding.category === 'tests' &&
      !ctx.commands.test &&
      !ctx.profile.files.some((file) => file.role === 'test'))
  );
}

/**
 * Whether the test command comes from the repository around the audited folder and the folder has
 * no tests of its own (`improve packages/runtime` in a monorepo whose root runs `test/unit/`): a
 * test written in the folder would not run, and the root's test folders are out of scope.
 */
export function testsRunOutside(ctx: Pick<PlanContext, 'commands' | 'profile'>): boolean {
  const test = ctx.commands.test;
  return (
    test !== undefined &&
    fromEnclosingProject(ctx.profile, test) &&
    !ctx.profile.files.some((file) => file.role === 'test')
  );
}

const EXIT_0 = 'exit 0';

function location(evidence: Evidence): string {
  const lines =
    evidence.startLine === evidence.endLine
      ? `line ${evidence.startLine}`
      : `lines ${evidence.startLine}-${evidence.endLine}`;
  return `${codeSpan(evidence.file)} ${lines}`;
}

/** A cheap check that proves nothing broke: typecheck, then lint, test, build, else the file exists. */
function fallbackVerify(ctx: PlanContext): DoneCriterion {
  const { typecheck, lint, test, build } = ctx.commands;
  const command = typecheck ?? lint ?? test ?? build;
  if (command) return { run: command.run, expect: EXIT_0 };
  if (ctx.compileCheck) return { run: ctx.compileCheck, expect: EXIT_0 };
  return { run: ctx.primary ? `test -f ${shellQuote(ctx.primary.file)}` : 'test -d .', expect: EXIT_0 };
}

function confirmStep(ctx: PlanContext): PlanStep {
  const { primary, finding } = ctx;
  const doneNote = finding.doneCheck
    ? ` Then run the done check ${codeSpan(finding.doneCheck)}: it must fail (exit non-zero) now, because the problem is still there. If it already exits 0, STOP: the problem may already be fixed.`
    : '';
  if (!primary) {
    return {
      title: 'Confirm the current state',
      detail: `This finding is about something the repository lacks, so there are no lines to compare. Read **Why this matters** again.${doneNote}`,
      verify: finding.doneCheck ? { run: `! ( ${finding.doneCheck} )`, expect: EXIT_0 } : fallbackVerify(ctx),
    };
  }
  const lines = primary.excerpt.split('\n');
  const offset = lines.findIndex((line) => line.trim() !== '');
  const line = lines[offset]?.trim() ?? '';
  const redacted = (ctx.places ?? [primary]).some((place) => place.excerpt.includes('[REDACTED'));
  const canGrep = offset >= 0 && !primary.excerpt.includes('[REDACTED');
  return {
    title: 'Confirm the current state',
    detail: `Open ${
      ctx.places?.some((place) => place.file !== primary.file)
        ? `each place quoted under **Current state**, starting with ${location(primary)}`
        : location(primary)
    }. They must read exactly as quoted under **Current state**${
      redacted
        ? ', except where the quote says `[REDACTED:…]`: the file holds the secret value there, which this plan never repeats'
        : ''
    }. If they do not, STOP: the code changed since this plan was written.${doneNote}`,
    verify: canGrep
      ? {
          run: `grep -n -F -- ${shellQuote(line)} ${shellQuote(primary.file)}`,
          expect: `stdout contains "${primary.startLine + offset}:"`,
        }
      : { run: `test -f ${shellQuote(primary.file)}`, expect: EXIT_0 },
  };
}

/** A short step title from a detector's step text: its first clause, at most ~70 characters. */
export function stepTitle(text: string): string {
  const clause = (text.split(/[:;,.](?:\s|$)|\s\(/)[0] ?? text).replace(/\s+/g, ' ').trim();
  if (clause.length <= 70) return clause;
  const cut = clause.slice(0, 70);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 30 ? cut.lastIndexOf(' ') : 70)}…`;
}

/** A step that asks for a test to be written (not one that merely mentions the test command). */
const MENTIONS_TEST =
  /\b(?:add|write|extend|create)\b[^.]*?\b(?:a|an|the|new|unit|regression)\s+tests?\b(?!\s+(?:command|fixture))/i;

function testDetail(ctx: PlanContext): string {
  const { testFile } = ctx;
  const exemplar = patternFor(ctx);
  // A new file the test command does not pick up passes every check without running (a
  // `.test.tsx` beside `node --test test/*.test.ts`): the review fails it, so say so first.
  const where = testFile
    ? ` Put it in ${codeSpan(testFile.path)}${testFile.create ? ' (a new file: create it)' : ''}.`
    : '';
  const pattern = exemplar ? ` Follow the pattern of ${codeSpan(exemplar)}.` : '';
  const runs = testFile?.create
    ? ' The test command must run it: if the tests it runs are named or placed otherwise (see the test script of the nearest package.json, or the runner’s configuration), STOP and report the path it needs.'
    : '';
  return `${where}${pattern}${runs}`;
}

/** Where a fix of several places goes: lines of one file, or places in several files. */
function placesText(primary: string, places: readonly Evidence[]): string {
  if (places.every((place) => place.file === primary))
    return ` The code to change is in ${codeSpan(primary)}, at each of lines ${places.map((place) => place.startLine).join(', ')}.`;
  return ` The code to change is at each of these places: ${places.map((place) => codeSpan(`${place.file}:${place.startLine}`)).join(', ')}.`;
}

function detectorSteps(ctx: PlanContext, texts: readonly string[]): PlanStep[] {
  const { finding, commands } = ctx;
  const fixIndex = texts.findLastIndex((text) => !MENTIONS_TEST.test(text));
  return texts.map((text, index) => {
    const isTest = MENTIONS_TEST.test(text) && index !== fixIndex;
    // No test command, and this plan sets none up: a test could not be run, and the STOP
    // conditions forbid inventing a runner. The step keeps what the test would check, by hand.
    if (isTest && !commands.test && !setsUpTests(ctx)) {
      return {
        title: 'Check the fix by hand',
        detail: `${noTestCommand(ctx)}, so this plan adds no test. What a test would check: ${text} Check that much by hand (with the done check${andCompileCheck(ctx)} where it applies) and say in your report how you did.`,
        verify: finding.doneCheck ? { run: finding.doneCheck, expect: EXIT_0 } : fallbackVerify(ctx),
      };
    }
    let verify = fallbackVerify(ctx);
    if (index === fixIndex && finding.doneCheck) verify = { run: finding.doneCheck, expect: EXIT_0 };
    else if (isTest && commands.test) verify = { run: commands.test.run, expect: EXIT_0 };
    const where =
      index === fixIndex && ctx.primary && ctx.primaryIsCode
        ? ctx.places
          ? placesText(ctx.primary.file, ctx.places)
          : ` The code to change is ${location(ctx.primary)}.`
        : '';
    return { title: stepTitle(text), detail: `${text}${where}${isTest ? testDetail(ctx) : ''}`, verify };
  });
}

function sketchSteps(ctx: PlanContext): PlanStep[] {
  const { finding, primary } = ctx;
  return [
    {
      title: 'Make the fix',
      detail: `${primary && ctx.primaryIsCode ? `Change ${location(primary)}. ` : ''}${finding.fixSketch} Keep the change as small as possible and inside the in-scope files.`,
      verify: finding.doneCheck ? { run: finding.doneCheck, expect: EXIT_0 } : fallbackVerify(ctx),
    },
    {
      title: 'Check the code that uses it',
      detail:
        'Search the repository for every use of the code you changed (its function, class or variable names, e.g. with `grep -rn`) and make sure each use still works with the new behaviour. If a caller outside the in-scope files would need to change, STOP.',
      verify: fallbackVerify(ctx),
    },
  ];
}

function verificationCommands(ctx: PlanContext): { run: string }[] {
  const { test, lint, typecheck } = ctx.commands;
  const own = [test, lint, typecheck].filter((command): command is RepoCommand => command !== undefined);
  return ctx.compileCheck ? [...own, { run: ctx.compileCheck }] : own;
}

export function buildSteps(ctx: PlanContext, guidance: readonly string[] | undefined): PlanStep[] {
  const steps = [confirmStep(ctx)];
  // A detector numbers its own steps ("keep every difference from step 1"); in the plan they come
  // after the confirm step, so each reference moves down by one.
  const texts =
    guidance
      ?.map((text) =>
        text.trim().replace(/\b([Ss]teps?) (\d+)\b/g, (_m, word, n) => `${word} ${Number(n) + 1}`),
      )
      .filter((text) => text !== '') ?? [];
  steps.push(...(texts.length > 0 ? detectorSteps(ctx, texts) : sketchSteps(ctx)));
  const { test } = ctx.commands;
  // A finding in a test file is fixed in the tests themselves: no other test guards that fix.
  const inTests = ctx.testFile?.path === ctx.primary?.file;
  if (test && ctx.testFile && !inTests && !texts.some((text) => MENTIONS_TEST.test(text))) {
    steps.push({
      title: 'Add or extend a test',
      detail: `${preservesBehaviour(ctx) ? 'Add a test that pins what the code you change does now: it passes before your change and still passes after it.' : 'Add a test that fails on the old code and passes with your fix.'}${testDetail(ctx)} Then run the test command.`,
      verify: { run: test.run, expect: EXIT_0 },
    });
  }
  const all = verificationCommands(ctx);
  const doneCheck = ctx.finding.doneCheck;
  steps.push({
    title: 'Run the full verification',
    detail: ctx.compileCheck
      ? `${noTestCommand(ctx)}. Run the command below from the repository root: it ${all.length > 1 ? 'runs the checks this repository defines for this code and ' : ''}checks that the changed Python code still compiles, and it must exit 0; the done check shows the problem itself is gone. Then run each command under **Done criteria** and compare it with its expected result.`
      : all.length > 0
        ? 'Run the command below from the repository root: it runs every check this repository defines, and it must exit 0. Then run each command under **Done criteria** and compare it with its expected result.'
        : 'This repository defines no test, lint or typecheck command, so the done check is the verification. Then run each command under **Done criteria** and compare it with its expected result.',
    verify:
      all.length > 0
        ? { run: all.map((command) => command.run).join(' && '), expect: EXIT_0 }
        : doneCheck
          ? { run: doneCheck, expect: EXIT_0 }
          : fallbackVerify(ctx),
  });
  return steps;
}

export function buildDoneCriteria(ctx: PlanContext, scopePaths: readonly string[]): DoneCriterion[] {
  const criteria: DoneCriterion[] = [];
  if (ctx.finding.doneCheck) criteria.push({ run: ctx.finding.doneCheck, expect: EXIT_0 });
  if (ctx.testFile?.create && ctx.commands.test) {
    criteria.push({ run: `test -f ${shellQuote(ctx.testFile.path)}`, expect: EXIT_0 });
  }
  for (const command of verificationCommands(ctx)) criteria.push({ run: command.run, expect: EXIT_0 });
  if (criteria.length === 0 && ctx.sha && scopePaths.length > 0) {
    const paths = scopePaths.map(shellQuote).join(' ');
    criteria.push({ run: `git diff --stat ${ctx.sha} -- ${paths}`, expect: 'stdout contains "changed"' });
  }
  if (criteria.length === 0) criteria.push(fallbackVerify(ctx));
  return criteria;
}

/**
 * The manifest that owns `file`: the one in its nearest folder (a monorepo's package, not a tool's
 * `extra/…/package.json` that sorts first), else the repository root's, else the first one.
 */
export function owningManifest(
  manifests: readonly { path: string }[],
  file: string | undefined,
): string | undefined {
  const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '');
  let best: string | undefined;
  for (const { path } of manifests) {
    const dir = dirOf(path);
    if (file !== undefined && !file.startsWith(dir)) continue;
    if (best === undefined || dir.length > dirOf(best).length) best = path;
  }
  return best ?? manifests.find((m) => !m.path.includes('/'))?.path ?? manifests[0]?.path;
}

export function buildStopConditions(ctx: PlanContext): string[] {
  const { finding, profile } = ctx;
  const manifest = owningManifest(profile.manifests, ctx.primary?.file);
  const stops = [
    ctx.hasDriftCheck
      ? 'The drift check prints anything or fails: the code changed since this plan was written.'
      : 'The lines quoted under **Current state** differ from the files: the code changed since this plan was written.',
    'A line quoted under **Current state** is not found where this plan says it is.',
    'A change outside the **In scope** list seems necessary.',
    'Any **Verify** command still fails after two attempts at the step.',
    setsUpTests(ctx) || ctx.changesDependencies
      ? `A package the steps name cannot be installed, or the fix seems to need any other new dependency${manifest ? ` (anything not already in ${codeSpan(manifest)} besides what the steps name)` : ''}.`
      : `The fix seems to need a new dependency${manifest ? ` (anything not already in ${codeSpan(manifest)})` : ''}.`,
    `Risk ${finding.risk}: ${finding.riskReason} If your change starts to affect behaviour beyond what this plan describes, stop.`,
  ];
  if (finding.doneCheck) {
    stops.push(
      'The done check already exits 0 before you changed anything: the problem may already be fixed.',
    );
  }
  stops.push(
    ctx.commands.test
      ? 'The test command cannot run at all (missing tools, install fails): if you cannot run the tests, stop. Do not change the test setup.'
      : setsUpTests(ctx)
        ? 'The test command you added cannot run at all (missing tools, install fails): stop rather than work around it.'
        : `${noTestCommand(ctx)}: do not invent one or add a test framework. If you cannot verify the fix with the done check${andCompileCheck(ctx)}, stop.`,
  );
  return stops;
}

/** The test to imitate: one near the cited file and in its language (see `exemplarFor`). */
function patternFor(ctx: PlanContext): string | undefined {
  return ctx.primary ? exemplarFor(ctx.profile, ctx.primary.file) : ctx.profile.conventions.exemplarTest;
}

export function buildTestPlan(ctx: PlanContext): TestPlan {
  const exemplar = patternFor(ctx);
  const plan: TestPlan = { cases: [] };
  if (exemplar) plan.patternFile = exemplar;
  if (setsUpTests(ctx)) {
    plan.note =
      'This plan sets up the repository’s first tests (and its test command, where there is none): once the command runs them, run it after each test you write, and see it fail when an assertion is broken on purpose.';
    return plan;
  }
  if (!ctx.commands.test) {
    plan.note = `${ctx.otherLanguageTest ? noTestCommand(ctx) : 'This repository defines no test command'}, so no automated test can be run here. Verification relies on the done check${ctx.compileCheck ? ', the compile check' : ''} and the commands under **Done criteria**; if you cannot run the tests, stop.`;
    return plan;
  }
  if (testsRunOutside(ctx)) {
    plan.note = `This folder's tests run from the repository around it (\`${ctx.commands.test?.run}\`), and their files lie outside this folder and this plan's scope: write no new test here. The done check and that command verify the change.`;
    return plan;
  }
  if (!ctx.testFile) {
    plan.note =
      'No new test: this plan changes no code file that a test could import. The done check and the repository’s own checks verify it.';
    return plan;
  }
  if (ctx.testFile.path === ctx.primary?.file) {
    // The finding is in a test (one that asserts nothing): the fix is to that test, which no other
    // test can show failing, and the file's own tests are the pattern, not another file's.
    plan.patternFile = ctx.testFile.path;
    plan.note =
      'No new test: the problem is in the tests themselves, so the fix changes the cited tests, and no other test can show it.';
    plan.cases = [
      'Each cited test checks the behaviour its name promises, in the assertion style of the other tests in its file.',
      'Each of them fails when the code it tests is broken on purpose; undo the break afterwards.',
      'The whole test command still exits 0.',
    ];
    return plan;
  }
  const where = ctx.primary ? ` in ${location(ctx.primary)}` : '';
  plan.cases = preservesBehaviour(ctx)
    ? [
        `A test that pins what the code${where} does now: it passes on the current code, since the fix (${ctx.finding.title}) must not change what the code does.`,
        'The same test still passes after the change.',
        'The whole test command still exits 0.',
      ]
    : [
        `A test that shows the problem${where}: it fails on the current code (${ctx.finding.title}).`,
        'The same test passes after the fix.',
        'The behaviour next to the change is unchanged: the whole test command still exits 0.',
      ];
  return plan;
}

/**
 * Whether the fix must leave behaviour as it is: a refactor (a duplicate merged, a module split, a
 * cycle broken) or a speed-up (queries batched, a lookup indexed). No test can fail on the current
 * code for it; the test to write pins what the code does, before and after.
 */
function preservesBehaviour(ctx: PlanContext): boolean {
  return ctx.finding.category === 'tech-debt' || ctx.finding.category === 'performance';
}
