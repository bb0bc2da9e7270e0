/**
 * Turn one static Finding into a Plan written for the weakest plausible executor: real excerpts,
 * only the repository's own commands, a drift check, steps that each end in a Verify, and STOP
 * conditions. Deterministic: the date is passed in, everything else comes from the inputs.
 */
import path from 'node:path';
import { redactText } from '../core/redact.ts';
import {
  type Category,
  COMMAND_KINDS,
  type Evidence,
  type Finding,
  type RepoProfile,
} from '../core/types.ts';
import { codeSpan } from './markdown.ts';
import {
  type DriftCheck,
  formatPlanId,
  type Plan,
  type PlanCommand,
  type Priority,
  type ScopeIn,
  type ScopeOut,
} from './plan.ts';
import {
  buildDoneCriteria,
  buildSteps,
  buildStopConditions,
  buildTestPlan,
  compileCheckPurpose,
  type PlanContext,
  setsUpTests,
  testsRunOutside,
} from './plan-steps.ts';
import {
  existingTestFolder,
  fenceLanguage,
  filesToCreate,
  filesToEdit,
  planLanguage,
  repoCommands,
  shellQuote,
  testFileFor,
} from './repo-facts.ts';

export { formatPlanId } from './plan.ts';

export interface BuildPlanInput {
  finding: Finding;
  profile: RepoProfile;
  number: number;
  /** YYYY-MM-DD, from the run's clock. */
  date: string;
  /** The detector's step guidance, in order. */
  steps?: readonly string[];
  dependsOn?: readonly string[];
  /** The places the plan fixes (one per finding it covers); used when there are several. */
  places?: readonly Evidence[];
}

const MAX_SLUG = 50;
const TRAILING_WORDS = new Set(['a', 'an', 'and', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);

function slugWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => word !== '');
}

function cutSlug(words: readonly string[], max: number): string {
  const kept: string[] = [];
  for (const word of words) {
    if ([...kept, word].join('-').length > max) break;
    kept.push(word);
  }
  while (kept.length > 1 && TRAILING_WORDS.has(kept[kept.length - 1] ?? '')) kept.pop();
  if (kept.length === 0 && words[0]) return words[0].slice(0, max);
  return kept.join('-');
}

/**
 * Kebab-case ASCII slug of at most 50 characters, cut at a word boundary. With `suffix` (e.g. the
 * cited file's name) the suffix is kept and the title is shortened to make room for it.
 */
export function slugify(title: string, suffix?: string): string {
  const words = slugWords(title);
  const tail = suffix ? cutSlug(slugWords(suffix), 20) : '';
  const head = cutSlug(words, tail ? MAX_SLUG - tail.length - 1 : MAX_SLUG);
  const slug = [head, tail].filter((part) => part !== '').join('-');
  return slug === '' ? 'plan' : slug;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function priorityOf(finding: Finding): Priority {
  if (finding.impact === 'HIGH' && finding.confidence !== 'LOW') return 'P1';
  if (finding.impact === 'HIGH' || (finding.impact === 'MED' && finding.confidence !== 'LOW')) return 'P2';
  return 'P3';
}

const PURPOSES = {
  install: 'Install dependencies',
  build: 'Build',
  test: 'Run the tests',
  lint: 'Lint',
  typecheck: 'Type-check',
  format: 'Format the code (rewrites files)',
} as const;

function commandRows(ctx: PlanContext): PlanCommand[] {
  const rows = COMMAND_KINDS.flatMap((kind) => {
    const command = ctx.commands[kind];
    return command ? [command] : [];
  }).map((command) => ({
    purpose: `${PURPOSES[command.kind]} (defined in ${command.source})`,
    command: command.run,
    expected: 'exit 0',
  }));
  if (ctx.compileCheck)
    rows.push({ purpose: compileCheckPurpose(ctx), command: ctx.compileCheck, expected: 'exit 0' });
  return rows;
}

/**
 * Compile Python files without importing or running them: a syntax check for code no test command
 * runs. `compile()` rather than `python -m py_compile`, which writes `__pycache__/*.pyc` beside
 * the file, an untracked change in the executor's worktree.
 */
function pythonCompileCheck(files: readonly string[]): string {
  return `python3 -c 'import sys; [compile(open(f, "rb").read(), f, "exec") for f in sys.argv[1:]]' ${files.map(shellQuote).join(' ')}`;
}

/**
 * Steps that change dependencies: "add Biome as a dev dependency", "install it as a development
 * dependency", "reinstall so the lockfile updates", "the replacement named in this plan".
 */
const CHANGES_DEPENDENCIES =
  /\bas an? (?:dev(?:elopment)?[ -])dependency\b|\blockfile updates\b|\breplacement named in this plan\b/i;

/** Steps that move code into a module that does not exist yet. */
const EXTRACTS_MODULE =
  /\bnew module\b|\bin a module both files can import\b|\bsplit (?:it|the (?:file|module))\b/i;

/**
 * Files the done check requires to exist (`test -f 'package-lock.json'` for a missing lockfile):
 * the fix creates them, so they must be in scope.
 */
function doneCheckFiles(doneCheck: string | undefined): string[] {
  const files: string[] = [];
  for (const match of (doneCheck ?? '').matchAll(/\btest -f '((?:[^']|'\\'')+)'/g)) {
    const file = (match[1] ?? '').replaceAll(`'\\''`, "'");
    if (file !== '' && !files.includes(file)) files.push(file);
  }
  return files;
}

/** `src/a/b.ts` → `src/a`; `lib.py` → undefined. */
function moduleOf(file: string): string | undefined {
  const parts = file.split('/');
  if (parts.length < 2) return undefined;
  const deep = ['src', 'lib', 'app', 'packages'].includes(parts[0] ?? '') && parts.length > 2;
  return deep ? parts.slice(0, 2).join('/') : parts[0];
}

function scopeOut(profile: RepoProfile, inScope: readonly ScopeIn[]): ScopeOut[] {
  const taken = new Set(inScope.map((entry) => entry.path));
  const out: ScopeOut[] = [];
  const add = (file: string, reason: string): void => {
    if (!taken.has(file)) out.push({ path: file, reason });
    taken.add(file);
  };
  for (const file of profile.lockfiles) {
    add(file, 'lockfile: dependency changes are out of scope (needing a new dependency is a STOP condition)');
  }
  for (const manifest of profile.manifests)
    add(manifest.path, 'manifest: do not add dependencies or change scripts');
  for (const file of profile.ciFiles) add(file, 'CI configuration: not part of this fix');
  const ownModules = inScope.flatMap((entry) => moduleOf(entry.path) ?? []);
  // `src/` (files right under it make a module of their own) holds `src/api/`, the module of an
  // in-scope file: listing it out of scope would forbid the file the plan is about.
  const holdsOwn = (module: string) =>
    ownModules.some((own) => own === module || own.startsWith(`${module}/`));
  const modules = [
    ...new Set(
      // Code decides what a module is: `patroni-3.0.2.egg-info/` holds metadata, not a module.
      profile.files
        .filter((file) => file.role === 'source' && file.language !== undefined)
        .map((file) => moduleOf(file.path) ?? ''),
    ),
  ]
    .filter((module) => module !== '' && !holdsOwn(module))
    .sort()
    .filter((module, index, all) => !all.slice(0, index).some((parent) => module.startsWith(`${parent}/`)))
    .slice(0, 5);
  for (const module of modules) add(`${module}/`, 'another module: not part of this fix');
  add('**', 'every other file: if a change outside the in-scope list seems necessary, STOP and report');
  return out;
}

const COMMIT_TYPES: Record<Category, string> = {
  correctness: 'fix',
  security: 'fix',
  performance: 'perf',
  tests: 'test',
  'tech-debt': 'refactor',
  dependencies: 'build',
  dx: 'chore',
  docs: 'docs',
  direction: 'feat',
};

function gitWorkflow(ctx: PlanContext, branch: string, title: string): string[] {
  if (!ctx.profile.git.available) {
    return [
      `This folder is not a git repository (${ctx.profile.git.reason ?? 'git facts unavailable'}): there is no branch to create. Keep a list of every file you change for your report.`,
    ];
  }
  const subject = /^[A-Z][a-z]/.test(title) ? title.charAt(0).toLowerCase() + title.slice(1) : title;
  const scope = ctx.primary ? path.posix.basename(ctx.primary.file).replace(/\..*$/, '') : '';
  const style = ctx.profile.conventions.commitStyle.kind;
  const example =
    style === 'conventional'
      ? `Commit messages follow Conventional Commits, as this repository's history does, e.g. ${codeSpan(`${COMMIT_TYPES[ctx.finding.category]}${scope ? `(${scope})` : ''}: ${subject}`)}.`
      : style === 'imperative'
        ? `Commit messages are short imperative sentences, as in this repository's history, e.g. ${codeSpan(`Fix ${subject}`)}.`
        : `Write a short commit message that says what changed and why, e.g. ${codeSpan(`Fix ${subject}`)}.`;
  return [
    `Create a branch from the current commit: ${codeSpan(`git switch -c ${branch}`)}.`,
    example,
    'Make one commit per step, or one commit at the end. Commit only in-scope files.',
    'Do not push, merge, rebase or amend existing commits: merging is the repository owner’s decision.',
  ];
}

const KEEP_TRUE: Record<Category, string> = {
  correctness:
    'Keep the behaviour the new test pins down; change that test only when the behaviour is meant to change.',
  security:
    'Keep untrusted input away from the dangerous call: new code on this path needs the same protection.',
  performance: 'Keep the faster path; re-check it when input sizes or call patterns change.',
  tests: 'Keep the tests fast, deterministic and independent of each other.',
  'tech-debt': 'Do not reintroduce what this plan removed; extend the simplified code instead.',
  dependencies:
    'Keep the manifest and the lockfile in sync, and review dependency updates with the same care.',
  dx: 'Keep the documented commands working: change scripts and their docs together.',
  docs: 'Update this documentation whenever the behaviour it describes changes.',
  direction: 'Revisit this when the project’s stated direction changes.',
};

function maintenance(ctx: PlanContext): string[] {
  const { finding, testFile } = ctx;
  const notes = [
    KEEP_TRUE[finding.category],
    `Keep new code consistent with the fix: ${oneLine(finding.fixSketch)}`,
  ];
  if (finding.doneCheck) {
    notes.push(
      `The done check ${codeSpan(finding.doneCheck)} should keep exiting 0; consider running it in CI.`,
    );
  }
  if (testFile && ctx.commands.test)
    notes.push(`Keep the test in ${codeSpan(testFile.path)}: it guards this fix.`);
  notes.push(
    `Rule ${codeSpan(finding.ruleId)} flags this problem if it comes back: re-run \`improve\` after large changes here.`,
  );
  return notes;
}

/** Roles of a code finding's file that make it matter less (and lower its confidence). */
const LESSER_ROLES: ReadonlySet<string> = new Set(['test', 'example', 'fixture', 'generated', 'vendored']);

function why(finding: Finding): string {
  // A repository-level finding cites a manifest or a config file as its place, not as a lesser one.
  const role =
    finding.fileRole && LESSER_ROLES.has(finding.fileRole)
      ? ` The cited file is a ${finding.fileRole} file, so this matters less than it would in source code.`
      : '';
  return [
    redactText(finding.message.trim()),
    '',
    `Impact ${finding.impact}, confidence ${finding.confidence}, effort ${finding.effort}, risk ${finding.risk}: ${oneLine(finding.riskReason)}`,
    '',
    `Found by rule ${codeSpan(finding.ruleId)} as finding ${codeSpan(finding.id)}.${role}`,
    ...branchNote(finding),
    '',
    `Suggested fix: ${redactText(oneLine(finding.fixSketch))}`,
  ].join('\n');
}

/** Branch mode: whether the branch under review introduced the problem or found it there. */
function branchNote(finding: Finding): string[] {
  if (finding.introduced === undefined) return [];
  return [
    '',
    finding.introduced
      ? 'Introduced by the branch under review: lines it cites were added or changed since the merge-base with the base branch.'
      : 'Pre-existing: it was already there before the branch under review, in a file the branch touches or that imports one it changed.',
  ];
}

function driftCheck(ctx: PlanContext, paths: readonly string[]): DriftCheck {
  const { git } = ctx.profile;
  if (!git.available) return { command: null, reason: oneLine(git.reason ?? 'not a git repository') };
  if (!ctx.sha) return { command: null, reason: 'the repository has no commit yet' };
  if (paths.length === 0)
    return { command: null, reason: 'this plan cites no file, so there is nothing to compare' };
  return { command: `git diff --stat ${ctx.sha} -- ${paths.map(shellQuote).join(' ')}` };
}

/** Categories whose fixes change documentation, configuration or the set-up, not code a test runs. */
const NOT_CODE_FIXES: ReadonlySet<string> = new Set(['docs', 'dx']);

/** The lockfile each JavaScript package manager writes when there is none yet. */
const FIRST_LOCKFILE: Partial<Record<NonNullable<RepoProfile['packageManager']>, string>> = {
  npm: 'package-lock.json',
  yarn: 'yarn.lock',
  pnpm: 'pnpm-lock.yaml',
  bun: 'bun.lock',
};

/**
 * The lockfile that installing a dependency writes beside the package.json a plan changes, when
 * the repository has none (a package published without it, Node-RED's runtime): `npm install -D
 * @biomejs/biome` creates `package-lock.json`, and a plan that asks for the install cannot leave
 * it out of scope. Undefined when a lockfile exists here or above, or the plan is not about a
 * package.json's package.
 */
function firstLockfile(profile: RepoProfile, file: string | undefined): string | undefined {
  if (profile.lockfiles.length > 0 || (profile.enclosing?.lockfiles.length ?? 0) > 0) return undefined;
  const manifests = profile.manifests.filter((manifest) => manifest.kind === 'package.json');
  const manifest =
    manifests.find((candidate) => candidate.path === file) ??
    manifests.find((candidate) => candidate.path === 'package.json');
  const name = FIRST_LOCKFILE[profile.packageManager ?? 'npm'];
  if (!manifest || !name) return undefined;
  const dir = path.posix.dirname(manifest.path);
  return dir === '.' ? name : `${dir}/${name}`;
}

/**
 * The files the fix may change: the cited ones, the test for it, and what its steps and done check
 * name. Sets `ctx.testFile` and `ctx.changesDependencies`, which the steps read.
 */
function buildScopeIn(ctx: PlanContext, guidance: readonly string[]): ScopeIn[] {
  const { finding, profile, primary } = ctx;
  const inScope: ScopeIn[] = [];
  const add = (file: string, reason: string, create = false): void => {
    if (inScope.some((entry) => entry.path === file)) return;
    inScope.push(create ? { path: file, reason, create: true } : { path: file, reason });
  };
  for (const evidence of finding.evidence) add(evidence.file, 'cited by the finding');
  // A docs or dx finding cited at code (aodh's keystone_client.py reading OS_REGION_NAME) is fixed
  // in the documentation or the set-up, which no test of that code can see.
  const testPath =
    primary && ctx.commands.test && !testsRunOutside(ctx) && !NOT_CODE_FIXES.has(finding.category)
      ? testFileFor(profile, primary.file)
      : undefined;
  if (testPath) {
    const create = !profile.files.some((file) => file.path === testPath);
    ctx.testFile = { path: testPath, create };
    add(
      testPath,
      create ? 'the test for this fix (new file)' : 'the existing tests for this file: extend them',
      create,
    );
  }
  for (const file of [...filesToCreate(profile, guidance), ...doneCheckFiles(finding.doneCheck)])
    add(file, 'named by the fix (new file)', true);
  // The first tests go where the language's runner looks by default: node:test and vitest find
  // `test/`, pytest and unittest discovery `tests/`. Tests that nothing runs yet stay where they
  // are, and new ones go beside them (`pkg/tests/` in a package that carries its tests).
  if (setsUpTests(ctx)) {
    const python = profile.languages[0]?.name === 'Python';
    const folder = existingTestFolder(profile, python ? 'python' : 'js') ?? (python ? 'tests/' : 'test/');
    const exists = profile.files.some((file) => file.path.startsWith(folder));
    add(
      folder,
      exists ? 'new tests beside the ones there (new files only)' : 'the first tests (new folder)',
      true,
    );
  }
  // Steps that change the dependencies (`add Biome as a dev dependency`, `reinstall so the
  // lockfile updates`) change the lockfiles too: they are the fix's to change, not out of scope.
  ctx.changesDependencies = guidance.some((text) => CHANGES_DEPENDENCIES.test(text));
  if (ctx.changesDependencies) {
    for (const lockfile of profile.lockfiles) add(lockfile, 'records the dependency change the steps make');
    const first = firstLockfile(profile, primary?.file);
    if (first) add(first, 'written by installing the dependency the steps add (new file)', true);
  }
  // A refactor that extracts a new module (an import cycle broken by a shared module, one function
  // for two copies, a module split) needs a file no one can name yet: new files beside the cited
  // code are in scope, changes to other existing files there are not.
  const dir = primary ? path.posix.dirname(primary.file) : '.';
  if (dir !== '.' && guidance.some((text) => EXTRACTS_MODULE.test(text)))
    add(`${dir}/`, 'the module the fix extracts (new files only)', true);
  for (const file of filesToEdit(profile, guidance)) add(file, 'named by the fix: update it');
  return inScope;
}

export function buildPlan(input: BuildPlanInput): Plan {
  const { finding, profile } = input;
  const primary = finding.evidence[0];
  const sha = profile.git.available ? (profile.git.head ?? null) : null;
  const language = planLanguage(profile, primary?.file);
  const ctx: PlanContext = { finding, profile, sha, commands: repoCommands(profile, language) };
  if (primary) {
    ctx.primary = primary;
    ctx.primaryIsCode = testFileFor(profile, primary.file) !== undefined;
  }
  if (input.places && input.places.length > 1) ctx.places = input.places;
  if (language !== undefined && !ctx.commands.test) {
    // `npm test` in a Node package with one Python script: a test command, not this code's.
    const other = profile.commands.find(
      (command) =>
        command.kind === 'test' &&
        command.language !== undefined &&
        command.language !== language &&
        command.run.trim() !== '',
    );
    if (other) ctx.otherLanguageTest = other;
  }
  if (language === 'python' && ctx.primaryIsCode && !ctx.commands.test && !setsUpTests(ctx)) {
    const files = [...new Set((ctx.places ?? [primary]).map((place) => place?.file))].filter(
      (file): file is string => file?.endsWith('.py') === true,
    );
    if (files.length > 0) ctx.compileCheck = pythonCompileCheck(files);
  }
  const baseTitle = oneLine(redactText(finding.title));
  // The same fix in several files (fix-groups.ts) is named by how many, not by the first.
  const fileCount = new Set((ctx.places ?? []).map((place) => place.file)).size;
  const title =
    fileCount > 1
      ? `${baseTitle} in ${fileCount} files`
      : primary && !baseTitle.includes(primary.file)
        ? `${baseTitle} in ${primary.file}`
        : baseTitle;
  const id = formatPlanId(input.number);
  const stem =
    fileCount > 1
      ? `${fileCount}-files`
      : primary
        ? path.posix.basename(primary.file).replace(/\.[^.]*$/, '')
        : undefined;
  const slug = slugify(baseTitle, stem);

  const inScope = buildScopeIn(ctx, [finding.fixSketch, ...(input.steps ?? [])]);
  const scopePaths = inScope.map((entry) => entry.path);
  const drift = driftCheck(ctx, scopePaths);
  ctx.hasDriftCheck = drift.command !== null;

  return {
    id,
    number: input.number,
    slug,
    title,
    status: { state: 'TODO' },
    priority: priorityOf(finding),
    effort: finding.effort,
    risk: finding.risk,
    category: finding.category,
    dependsOn: [...(input.dependsOn ?? [])],
    plannedAt: { sha, date: input.date },
    scope: { in: inScope, out: scopeOut(profile, inScope) },
    doneCriteria: buildDoneCriteria(ctx, scopePaths),
    findings: [finding.id],
    why: why(finding),
    currentState: finding.evidence.map((evidence) => ({
      file: evidence.file,
      startLine: evidence.startLine,
      endLine: evidence.endLine,
      excerpt: evidence.excerpt,
      language: fenceLanguage(evidence.file),
    })),
    commands: commandRows(ctx),
    gitWorkflow: gitWorkflow(ctx, `improve/${id}-${slug}`, title),
    steps: buildSteps(ctx, input.steps),
    testPlan: buildTestPlan(ctx),
    stopConditions: buildStopConditions(ctx),
    maintenance: maintenance(ctx),
    driftCheck: drift,
  };
}
