/**
 * The test audit: new or changed test files must assert something. It runs the
 * `tests/test-without-assertion` detector itself (the same logic the audit uses) over the test
 * files an attempt touched, keeps what falls on changed lines, and adds tests that assert only on
 * mocks, and new test files the package's test script never runs (test-reach.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runDetectors } from '../audit/run-detectors.ts';
import { minimalProfile } from '../core/minimal-profile.ts';
import type { SourceFile } from '../core/types.ts';
import { testWithoutAssertion } from '../detectors/tests/test-without-assertion.ts';
import type { PathChange } from '../git/changes.ts';
import type { DiffHunk } from '../git/diff-hunks.ts';
import { roleOf } from '../recon/file-role.ts';
import { languageOf } from '../recon/languages.ts';
import { type TestBlock, testBlocks } from './mock-only-tests.ts';
import { unrunTests } from './test-reach.ts';
import type { TestAuditResult, TestProblem } from './types.ts';

/** Whether any changed line falls inside the test block. */
function touched(hunks: readonly DiffHunk[], file: string, block: TestBlock): boolean {
  return hunks.some(
    (hunk) => hunk.file === file && hunk.startLine <= block.endLine && hunk.endLine >= block.startLine,
  );
}

function readText(root: string, file: string): string | undefined {
  try {
    return readFileSync(path.join(root, file), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Audit the test files among `changes` (paths relative to `root`, the worktree's top level).
 * `hunks` are the changed line ranges; only tests starting on a changed line are judged.
 */
export function auditTests(
  root: string,
  changes: readonly PathChange[],
  hunks: readonly DiffHunk[],
): TestAuditResult {
  const files: SourceFile[] = [];
  for (const change of changes) {
    const language = languageOf(change.path);
    if (change.change === 'deleted' || !language || roleOf(change.path) !== 'test') continue;
    files.push({ path: change.path, size: 0, language, role: 'test' });
  }
  const problems: TestProblem[] = [];
  const blocks = new Map<string, TestBlock[]>();
  if (files.length > 0) {
    for (const file of files) {
      const text = readText(root, file.path);
      blocks.set(file.path, text === undefined ? [] : testBlocks(file.language ?? 'javascript', text));
    }
    const changedTest = (file: string, line: number) =>
      (blocks.get(file) ?? []).find((block) => block.startLine === line && touched(hunks, file, block));
    const run = runDetectors(minimalProfile(root, files, 'review of one attempt'), [testWithoutAssertion], {
      level: 'deep',
      focus: [],
    });
    for (const finding of run.findings) {
      const at = finding.evidence[0];
      if (at && changedTest(at.file, at.startLine))
        problems.push({ file: at.file, line: at.startLine, message: finding.message });
    }
    for (const [file, list] of blocks) {
      for (const block of list) {
        if (!block.mockOnly || !touched(hunks, file, block)) continue;
        if (problems.some((problem) => problem.file === file && problem.line === block.startLine)) continue;
        problems.push({
          file,
          line: block.startLine,
          message: 'This test asserts only that a mock was called, not what the code under test did.',
        });
      }
    }
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  const added = new Set(changes.filter((change) => change.change === 'added').map((change) => change.path));
  // A new file with no test in it (a helper, a fixture beside the tests) is not run by name.
  const unrun = unrunTests(
    root,
    files
      .filter((file) => added.has(file.path) && (blocks.get(file.path)?.length ?? 0) > 0)
      .map((file) => file.path),
  );
  return {
    passed: problems.length === 0 && unrun.length === 0,
    files: files.map((file) => file.path),
    problems,
    ...(unrun.length > 0 ? { unrun } : {}),
  };
}
