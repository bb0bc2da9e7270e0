import { fromEnclosingProject } from '../../core/enclosing.ts';
import type { RepoCommand, RepoProfile } from '../../core/types.ts';
import { findLine, splitLines } from '../dx/find-line.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import type { RawFinding, RepoContext, RepoDetector } from '../types.ts';

/** Matches paths of test files, for doneChecks that look for tests. */
export const TEST_PATH_ERE =
  '(^|/)(tests?|__tests__|spec)/|\\.(test|spec)\\.[cm]?[jt]sx?$|(^|/)test_[^/]*\\.py$|_test\\.(py|go)$';

interface Ecosystem {
  language: string;
  framework: string;
  command?: string;
}

/** Languages this check knows a test runner for (see `ecosystem`). */
const WITH_RUNNER = new Set(['typescript', 'javascript', 'python', 'go', 'rust']);

function primaryLanguage(profile: RepoProfile): string | undefined {
  const counts = new Map<string, number>();
  for (const file of profile.files) {
    if (file.role !== 'source') continue;
    const name = file.language ?? file.languageName?.toLowerCase();
    if (!name) continue;
    const key = name === 'tsx' ? 'typescript' : name;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // Bull's 34 Lua scripts for Redis are not what its tests are written in: a language with a test
  // runner comes first, whatever the count of the others.
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return (ranked.find(([name]) => WITH_RUNNER.has(name)) ?? ranked[0])?.[0];
}

function ecosystem(profile: RepoProfile): Ecosystem {
  const language = primaryLanguage(profile) ?? 'unknown';
  const known = profile.conventions.testFramework;
  switch (language) {
    case 'typescript':
    case 'javascript':
      return {
        language: language === 'typescript' ? 'TypeScript' : 'JavaScript',
        framework: known ?? 'node:test (built into Node.js) or vitest',
        command: 'npm test',
      };
    case 'python':
      return { language: 'Python', framework: known ?? 'pytest', command: 'python -m pytest -q' };
    case 'go':
      return {
        language: 'Go',
        framework: known ?? 'the standard `testing` package',
        command: 'go test ./...',
      };
    case 'rust':
      return {
        language: 'Rust',
        framework: known ?? 'the built-in `#[test]` harness',
        command: 'cargo test',
      };
    default:
      return { language, framework: known ?? "the language's standard test runner" };
  }
}

/** A test script that only says there are no tests (npm init's default). */
function isPlaceholderTest(command: RepoCommand, context: RepoContext): boolean {
  if (/no test specified/i.test(command.run)) return true;
  if (!/package\.json/.test(command.source) && !/^(npm|pnpm|yarn|bun)\b/.test(command.run)) return false;
  const text = context.read('package.json');
  return text !== undefined && /"test"\s*:\s*"(?:[^"\\]|\\.)*no test specified/i.test(text);
}

/** Where a command is defined, as a citable file and line, when the file can be read. */
export function commandEvidence(
  context: RepoContext,
  command: RepoCommand | undefined,
): { file: string; startLine: number } | undefined {
  if (command) {
    const located = /^(.+?):(\d+)$/.exec(command.source);
    if (located?.[1] && context.read(located[1]) !== undefined) {
      return { file: located[1], startLine: Number(located[2]) };
    }
    const file = command.source.split(/\s+/)[0] ?? '';
    const text = file ? context.read(file) : undefined;
    if (text !== undefined) {
      const key = (command.source.split('.').pop() ?? '').replace(/[^\w:-]/g, '');
      const lines = splitLines(text);
      // `"test":`, not `"test:invariants":` (a quoted key must end at its closing quote).
      const line = findLine(lines, new RegExp(`^\\s*(?:"${key}"|${key})\\s*[:=]`)) ?? 1;
      return { file, startLine: line };
    }
  }
  // A Python project declared only in setup.cfg or requirements.txt cites it: where the steps
  // record pytest, so the plan puts it in scope.
  for (const file of [
    'package.json',
    'pyproject.toml',
    'Makefile',
    'setup.py',
    'go.mod',
    'Cargo.toml',
    'setup.cfg',
    'requirements.txt',
  ]) {
    const text = context.read(file);
    if (text === undefined) continue;
    const line = file === 'package.json' ? findLine(splitLines(text), /^\s*"scripts"\s*:/) : undefined;
    return { file, startLine: line ?? 1 };
  }
  return undefined;
}

/** A test function or method as pytest and unittest collect them by default: `def test…(`. */
const PYTHON_TEST_DEFINITION = /^[ \t]*(?:async[ \t]+)?def[ \t]+test\w*[ \t]*\(/m;

/**
 * Whether a Python file named or placed like a test defines a test. A library's helpers for its
 * users' tests (aiohttp's `aiohttp/test_utils.py`, mitmproxy's `mitmproxy/test/taddons.py`) define
 * none: pytest collects nothing from them and exits 5. An unreadable file counts as tests.
 */
function definesTests(path: string, context: RepoContext): boolean {
  const text = context.read(path);
  return text === undefined || PYTHON_TEST_DEFINITION.test(text);
}

/**
 * Nothing verifies a change: no test command, or a test command with no tests behind it. Every
 * other plan depends on this one, because without a baseline an executor cannot tell whether its
 * change broke something.
 */
export const noVerificationBaseline: RepoDetector = {
  id: 'tests/no-verification-baseline',
  category: 'tests',
  scope: 'repo',
  repoHygiene: true,
  title: 'No test baseline to verify changes against',
  description:
    'Nothing in the repository checks that the code works: there is no test command, or the test command has no tests to run. Every change, human or automated, is shipped unverified, and no other improvement can be proven safe until a baseline exists.',
  impact: 'HIGH',
  effort: 'M',
  risk: 'LOW',
  riskReason: 'Adding tests and a test command changes no runtime behaviour.',
  confidence: 'HIGH',
  fixSketch:
    'Add the standard test runner for the language, a `test` command that runs it, and a first handful of tests that pin the current behaviour of the most important module.',
  steps: [
    'Pick the test runner named in this plan and install it as a development dependency only if it is not built in (do not add other tools).',
    'Define the test command where the repository defines its other commands (for a package.json: `"test": "<runner command>"` in "scripts").',
    'Write 3–5 tests for the most central module: call its public functions with ordinary inputs and assert the current outputs. Do not change the module itself.',
    'Run the test command and make sure it passes; then break one assertion on purpose, confirm the command fails, and restore it.',
  ],
  python: {
    steps: [
      'Use pytest (or the runner this plan names). Install it with `pip install pytest`, and record it as a development dependency in the file this plan cites, if it cites one: in pyproject.toml as `"pytest"` in a `dev` list under `[project.optional-dependencies]`, in setup.cfg as `pytest` in a `dev` list under `[options.extras_require]`, in a requirements file as a line `pytest`. If the plan cites none, only install it and say so in your report.',
      'Record the test command where pytest reads its settings, if the plan cites that file: in pyproject.toml a `[tool.pytest.ini_options]` section with `testpaths = ["tests"]`, in setup.cfg a `[tool:pytest]` section with `testpaths = tests`. Otherwise leave it: `python -m pytest -q` run from the repository root finds `tests/test_*.py` by itself.',
      'If the repository has no tests yet, write 3–5 for the most central module in `tests/test_<module>.py`: import its public functions, call them with ordinary inputs and check the current outputs with plain `assert` statements. Do not change the module itself. If it has tests that nothing ran (**Why this matters** names one), write none: run them with `python -m pytest -q`, and if some fail today, STOP and list them in your report.',
      'Run the test command and make sure it passes; then break one assertion on purpose, confirm the command fails, and restore it.',
    ],
  },
  check(context) {
    const { profile } = context;
    const hasSource = profile.files.some(
      (file) => file.role === 'source' && (file.language ?? file.languageName),
    );
    if (!hasSource) return [];
    const command = profile.commands.find((c) => c.kind === 'test' && !isPlaceholderTest(c, context));
    const testFiles = profile.files.filter((file) => file.role === 'test');
    if (command && testFiles.length > 0) return [];
    // Without a command, only test code is tests a test runner would run: Ghost's Tinybird specs
    // (`tinybird/tests/*.yaml`) are run by another tool, and fixtures by none.
    const testCode = testFiles.filter(
      (file) =>
        file.language !== undefined && (file.language !== 'python' || definesTests(file.path, context)),
    );
    // `improve packages/api` in a monorepo whose root runs the tests: they may well live outside
    // this folder (a root `test/` tree), which this audit does not read. A lead, not a verdict.
    if (command && fromEnclosingProject(profile, command)) {
      return [
        {
          key: 'no-verification-baseline',
          title: 'No tests inside this folder',
          confidence: 'LOW',
          impact: 'MED',
          message: `This folder has no test files of its own. The repository around it runs \`${command.run}\`, whose tests may cover this folder from elsewhere; check that they do, or add tests here that it picks up.`,
          doneCheck: `git ls-files --cached --others --exclude-standard | grep -qE ${shellQuote(TEST_PATH_ERE)}`,
        },
      ];
    }
    const eco = ecosystem(profile);
    const run = command?.run ?? eco.command;
    const hasTests = `git ls-files --cached --others --exclude-standard | grep -qE ${shellQuote(TEST_PATH_ERE)}`;
    const finding: RawFinding = {};
    const evidence = commandEvidence(context, command);
    if (evidence) {
      finding.file = evidence.file;
      finding.startLine = evidence.startLine;
      finding.endLine = evidence.startLine;
    }
    finding.key = 'no-verification-baseline';
    if (!command && testCode.length === 0) {
      finding.title = 'No tests and no test command';
      finding.message = `This ${eco.language} repository has no test files and no test command, so no change can be verified. Nothing catches a regression before users do.`;
      finding.fixSketch = `Add ${eco.framework} with a \`test\` command${run ? ` runnable as \`${run}\`` : ''}, and a first few tests that pin the current behaviour of the most central ${eco.language} module.`;
      if (run) finding.doneCheck = `${hasTests} && ${run}`;
    } else if (!command) {
      finding.title = 'Tests exist but no command runs them';
      finding.message = `There are ${testCode.length} test file(s) (for example ${testCode[0]?.path}) but no test command, so nobody, human or CI, runs them routinely and they rot.`;
      finding.effort = 'S';
      finding.fixSketch = `Define a \`test\` command that runs the existing tests with ${eco.framework}${run ? ` (so \`${run}\` works)` : ''}, fix or quarantine any test that fails today, and document the command in the README.`;
      if (run) finding.doneCheck = run;
    } else {
      finding.title = `Test command \`${command.run}\` has no tests to run`;
      finding.message = `\`${command.run}\` is defined (${command.source}) but the repository has no test files, so it verifies nothing and passes or fails for reasons unrelated to the code.`;
      finding.fixSketch = `Add a first few tests with ${eco.framework} that \`${command.run}\` picks up, pinning the current behaviour of the most central ${eco.language} module.`;
      finding.doneCheck = `${hasTests} && ${command.run}`;
    }
    return [finding];
  },
};
