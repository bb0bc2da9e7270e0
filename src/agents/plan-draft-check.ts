/**
 * Code keeps the planner's plan honest. A draft is refused (and the planner asked once more) when
 * an excerpt is not the file's real text, a command is not one the repository defines (or one of
 * improve's own checks), a check's expected result is outside the grammar, or an in-scope path
 * does not exist and is not marked "create". Excerpts found at other lines are moved there.
 */
import { redactText } from '../core/redact.ts';
import type { Finding, RepoProfile } from '../core/types.ts';
import type { Plan } from '../plans/plan.ts';
import { parseExpect } from '../plans/plan.ts';
import { shellQuote } from '../plans/repo-facts.ts';
import { citable } from './cited-lines.ts';
import { normalisePath, type RepoFiles } from './repo-tools.ts';
import type { PlanDraft } from './schemas.ts';
import { isSensitivePath } from './sensitive-path.ts';

/** The commands a plan may contain: the repository's own, and the checks improve itself wrote. */
export function allowedCommands(profile: RepoProfile, base: Plan, finding: Finding): string[] {
  const commands = new Set<string>();
  for (const command of profile.commands) commands.add(command.run);
  for (const step of base.steps) commands.add(step.verify.run);
  for (const criterion of base.doneCriteria) commands.add(criterion.run);
  if (finding.doneCheck) commands.add(finding.doneCheck);
  return [...commands];
}

function isAllowed(run: string, allowed: ReadonlySet<string>, scopePaths: ReadonlySet<string>): boolean {
  const trimmed = run.trim();
  if (allowed.has(trimmed)) return true;
  const parts = trimmed.split(/\s+&&\s+/);
  return (
    parts.length > 0 &&
    parts.every((part) => {
      if (allowed.has(part)) return true;
      const exists = /^test -[fe] (.+)$/.exec(part)?.[1];
      return (
        exists !== undefined && [...scopePaths].some((path) => exists === shellQuote(path) || exists === path)
      );
    })
  );
}

/** Lines without a `12| ` prefix when every line carries one (copied from read_lines output). */
function unnumbered(excerpt: string): string[] {
  const lines = excerpt.replace(/\n+$/, '').split('\n');
  const numberedLine = /^\s*\d+\| ?/;
  return lines.every((line) => numberedLine.test(line))
    ? lines.map((line) => line.replace(numberedLine, ''))
    : lines;
}

function findExcerpt(
  fileLines: readonly string[],
  wanted: readonly string[],
  near: number,
): number | undefined {
  const same = (start: number) =>
    wanted.every((line, i) => (fileLines[start + i] ?? '').trimEnd() === line.trimEnd());
  if (same(near - 1)) return near;
  let best: number | undefined;
  for (let start = 0; start + wanted.length <= fileLines.length; start += 1) {
    if (same(start) && (best === undefined || Math.abs(start + 1 - near) < Math.abs(best - near)))
      best = start + 1;
  }
  return best;
}

const clean = (text: string) => redactText(text).trim();
/** Model prose inside a plan: no headings or Verify lines that would change the plan's structure. */
export function cleanProse(text: string): string {
  return clean(text)
    .split('\n')
    .map((line) => line.replace(/^(\s*)#/, '$1\\#').replace(/\*\*Verify\*\*/g, 'Verify'))
    .join('\n');
}
const oneLine = (text: string) => clean(text).replace(/\s+/g, ' ');

/**
 * Check a draft. Returns the problems (empty when it passes) and the draft normalised: paths
 * cleaned, excerpts set to the file's real lines, prose redacted.
 */
export function checkPlanDraft(
  draft: PlanDraft,
  context: { files: RepoFiles; profile: RepoProfile; base: Plan; finding: Finding },
): { problems: string[]; draft: PlanDraft } {
  const { files, profile, base, finding } = context;
  const problems: string[] = [];
  const currentState: PlanDraft['currentState'] = [];
  draft.currentState.forEach((item, index) => {
    const target = citable(files, item.file);
    if (!target.ok) {
      problems.push(`currentState[${index}]: ${target.reason}`);
      return;
    }
    const fileLines = files.reader.lines(target.file) ?? [];
    const wanted = unnumbered(item.excerpt);
    const start = findExcerpt(fileLines, wanted, item.startLine);
    if (start === undefined) {
      problems.push(
        `currentState[${index}]: the excerpt is not the text of ${target.file} (lines ${item.startLine}-${item.endLine} read differently, and the excerpt is nowhere else in the file). Copy the lines exactly, without line numbers.`,
      );
      return;
    }
    const endLine = start + wanted.length - 1;
    currentState.push({
      file: target.file,
      startLine: start,
      endLine,
      excerpt: fileLines.slice(start - 1, endLine).join('\n'),
    });
  });

  const scopeIn: PlanDraft['scopeIn'] = [];
  draft.scopeIn.forEach((entry, index) => {
    const path = normalisePath(entry.path);
    if (path === undefined || path === '') {
      problems.push(`scopeIn[${index}]: ${entry.path} is outside the repository`);
      return;
    }
    if (isSensitivePath(path)) {
      problems.push(`scopeIn[${index}]: ${path} may hold credentials; a plan may not touch it`);
      return;
    }
    const folder = path.endsWith('/') ? path : `${path}/`;
    const exists = files.paths.includes(path) || files.paths.some((file) => file.startsWith(folder));
    if (!exists && !entry.create) {
      problems.push(
        `scopeIn[${index}]: ${path} does not exist; mark it "create": true if the executor must create it`,
      );
      return;
    }
    scopeIn.push({
      path,
      reason: oneLine(entry.reason),
      ...(entry.create && !exists ? { create: true } : {}),
    });
  });

  const primary = finding.evidence[0]?.file;
  if (primary && !scopeIn.some((entry) => entry.path === primary))
    problems.push(`scopeIn must include ${primary}: it is the file this finding is about`);

  const allowed = new Set(allowedCommands(profile, base, finding));
  const scopePaths = new Set([
    ...scopeIn.map((entry) => entry.path),
    ...base.scope.in.map((entry) => entry.path),
  ]);
  const checkRun = (where: string, run: string, expect: string) => {
    if (!isAllowed(run, allowed, scopePaths))
      problems.push(
        `${where}: "${oneLine(run)}" is not a command this repository defines or one of improve's checks; use one of the allowed commands exactly`,
      );
    try {
      parseExpect(expect);
    } catch (error) {
      problems.push(
        `${where}: expect "${oneLine(expect)}" is not valid (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  };
  for (const [index, step] of draft.steps.entries())
    checkRun(`steps[${index}].verify`, step.verify.run, step.verify.expect);
  for (const [index, criterion] of draft.doneCriteria.entries())
    checkRun(`doneCriteria[${index}]`, criterion.run, criterion.expect);

  return {
    problems,
    draft: {
      title: oneLine(draft.title),
      why: cleanProse(draft.why),
      currentState,
      scopeIn,
      scopeOut: draft.scopeOut.flatMap((entry) => {
        const path = normalisePath(entry.path);
        return path ? [{ path, reason: oneLine(entry.reason) }] : [];
      }),
      steps: draft.steps.map((step) => ({
        title: oneLine(step.title),
        detail: cleanProse(step.detail),
        verify: { run: step.verify.run.trim(), expect: step.verify.expect.trim() },
      })),
      testCases: draft.testCases.map(oneLine),
      doneCriteria: draft.doneCriteria.map((c) => ({ run: c.run.trim(), expect: c.expect.trim() })),
      stopConditions: draft.stopConditions.map(oneLine),
      maintenance: draft.maintenance.map(oneLine),
    },
  };
}
