/**
 * The quality bar of a plan file, checked without a model and without git: sections, steps with
 * Verify lines, done criteria as commands, the drift check against the in-scope list, no secret
 * values, no references to context the executor does not have. Each problem names its line.
 */

import { redactSource } from '../core/redact.ts';
import { escapeRegExp } from '../core/regex-literal.ts';
import { parseExpect } from '../plans/expect.ts';
import { readCodeSpan } from '../plans/markdown.ts';
import { parsePlan } from '../plans/parse-plan.ts';
import type { Plan } from '../plans/plan.ts';
import { ARROW, PLAN_SECTIONS } from '../plans/render-plan.ts';

export interface QualityProblem {
  /** 1-based line in the plan file. */
  line: number;
  message: string;
}

/** Phrases that point the executor at something it has never seen. */
const MISSING_CONTEXT: readonly RegExp[] = [
  /\bas (?:we |you |I )?(?:discussed|mentioned|agreed|noted|described|shown)(?: (?:above|earlier|before|previously|in the audit))?\b/i,
  /\bsee (?:the )?(?:audit|report|conversation|discussion|chat|thread|earlier message)\b/i,
  /\b(?:our|the|this) (?:previous|earlier|prior) (?:conversation|discussion|chat|session|message)\b/i,
  /\b(?:from|in) the (?:audit|findings) (?:above|report|table)\b/i,
  /\bthe (?:same|usual) (?:approach|fix|pattern) as before\b/i,
];

/** Words of a POSIX shell command line (single/double quotes and backslashes handled). */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let current = '';
  let started = false;
  for (let index = 0; index < command.length; index += 1) {
    const char = command[index] ?? '';
    if (char === "'") {
      const end = command.indexOf("'", index + 1);
      current += command.slice(index + 1, end < 0 ? undefined : end);
      index = end < 0 ? command.length : end;
      started = true;
    } else if (char === '"') {
      let end = index + 1;
      while (end < command.length && command[end] !== '"') {
        if (command[end] === '\\') end += 1;
        current += command[end] ?? '';
        end += 1;
      }
      index = end;
      started = true;
    } else if (char === '\\') {
      current += command[index + 1] ?? '';
      index += 1;
      started = true;
    } else if (/\s/.test(char)) {
      if (started) words.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (started) words.push(current);
  return words;
}

/** The commit and paths of a `git diff --stat SHA -- PATH…` drift check. */
export function driftCheckParts(command: string): { sha: string; paths: string[] } | undefined {
  const words = shellWords(command);
  const dashes = words.indexOf('--');
  if (words[0] !== 'git' || words[1] !== 'diff' || dashes < 0) return undefined;
  const sha = words.slice(2, dashes).find((word) => !word.startsWith('-'));
  return sha ? { sha, paths: words.slice(dashes + 1) } : undefined;
}

/** 1-based line of the first line matching `pattern`, else `fallback`. */
export function lineOf(lines: readonly string[], pattern: RegExp, fallback = 1): number {
  const index = lines.findIndex((line) => pattern.test(line));
  return index < 0 ? fallback : index + 1;
}

function sectionProblems(lines: readonly string[]): QualityProblem[] {
  const problems: QualityProblem[] = [];
  let previous = -1;
  for (const heading of PLAN_SECTIONS) {
    const index = lines.findIndex((line) => line.trim() === `## ${heading}`);
    if (index < 0) {
      problems.push({ line: lineOf(lines, /^# /), message: `the section "## ${heading}" is missing` });
      continue;
    }
    if (index < previous) problems.push({ line: index + 1, message: `"## ${heading}" is out of order` });
    previous = Math.max(previous, index);
  }
  return problems;
}

function verifyOf(text: string): string | undefined {
  const span = readCodeSpan(text.trim());
  if (!span || span.code.trim() === '' || !span.rest.startsWith(ARROW))
    return 'is not `command` → expected result';
  try {
    parseExpect(span.rest.slice(ARROW.length));
  } catch (error) {
    return `has an expected result that is not machine-checkable (${error instanceof Error ? error.message : String(error)})`;
  }
  return undefined;
}

function stepProblems(lines: readonly string[]): QualityProblem[] {
  const start = lines.findIndex((line) => line.trim() === '## Steps');
  if (start < 0) return [];
  let end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  if (end < 0) end = lines.length;
  const headings = lines
    .map((line, index) => ({ line, index }))
    .filter((item) => item.index > start && item.index < end && item.line.startsWith('### '));
  if (headings.length === 0) return [{ line: start + 1, message: 'the plan has no steps' }];
  const problems: QualityProblem[] = [];
  headings.forEach((heading, position) => {
    const stop = headings[position + 1]?.index ?? end;
    const body = lines.slice(heading.index + 1, stop).filter((line) => line.trim() !== '');
    const last = body[body.length - 1] ?? '';
    if (!last.startsWith('**Verify**: ')) {
      problems.push({
        line: heading.index + 1,
        message: `"${heading.line.slice(4)}" does not end in a **Verify** line`,
      });
      return;
    }
    const bad = verifyOf(last.slice('**Verify**: '.length));
    if (bad)
      problems.push({
        line: heading.index + 1,
        message: `the Verify line of "${heading.line.slice(4)}" ${bad}`,
      });
  });
  return problems;
}

function criteriaProblems(lines: readonly string[], plan: Plan): QualityProblem[] {
  const problems: QualityProblem[] = [];
  const fieldLine = lineOf(lines, /^done_criteria:/);
  if (plan.doneCriteria.length === 0)
    problems.push({ line: fieldLine, message: 'there are no done criteria' });
  for (const criterion of plan.doneCriteria) {
    const words = shellWords(criterion.run);
    if (words.length === 0 || /^[A-Z][a-z]+(?:\s+[a-z]+){3,}[.!]?$/.test(criterion.run.trim())) {
      problems.push({
        line: lineOf(lines, new RegExp(`run: .*${escapeRegExp(criterion.run.slice(0, 20))}`), fieldLine),
        message: `the done criterion "${criterion.run}" is prose, not a command`,
      });
    }
  }
  const section = lines.findIndex((line) => line.trim() === '## Done criteria');
  if (section >= 0) {
    const runs = new Set(plan.doneCriteria.map((criterion) => criterion.run));
    for (let index = section + 1; index < lines.length && !lines[index]?.startsWith('## '); index += 1) {
      const line = lines[index] ?? '';
      if (!/^- \[[ xX]\] /.test(line)) continue;
      const run = readCodeSpan(line.replace(/^- \[[ xX]\] /, ''))?.code;
      if (run === undefined || !runs.has(run)) {
        problems.push({
          line: index + 1,
          message:
            'this done criterion is not in the front matter `done_criteria` (or is not `command` → expected)',
        });
      }
    }
  }
  return problems;
}

function driftProblems(lines: readonly string[], plan: Plan): QualityProblem[] {
  const line = lineOf(lines, /^\*\*Drift check\*\*/);
  if (plan.driftCheck.command === null) {
    return plan.plannedAt.sha
      ? [{ line, message: 'the plan has a planned-at commit but no drift-check command' }]
      : [];
  }
  const parts = driftCheckParts(plan.driftCheck.command);
  if (!parts) return [{ line, message: 'the drift check is not `git diff --stat SHA -- PATH…`' }];
  const problems: QualityProblem[] = [];
  if (plan.plannedAt.sha && parts.sha !== plan.plannedAt.sha)
    problems.push({ line, message: `the drift check compares with ${parts.sha}, not the planned-at commit` });
  const inScope = plan.scope.in.map((entry) => entry.path).sort();
  const checked = [...parts.paths].sort();
  if (inScope.join('\n') !== checked.join('\n')) {
    problems.push({
      line,
      message: `the drift check covers ${checked.join(', ') || 'no path'} but the in-scope list is ${inScope.join(', ')}`,
    });
  }
  return problems;
}

function textProblems(lines: readonly string[]): QualityProblem[] {
  const problems: QualityProblem[] = [];
  for (const hit of redactSource(lines.join('\n')).hits) {
    problems.push({
      line: hit.line,
      message: `a credential value (${hit.type}) appears in the plan: redact it`,
    });
  }
  let fence: string | undefined;
  lines.forEach((line, index) => {
    const open = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (open && (fence === undefined || line.trim() === fence)) {
      fence = fence === undefined ? open : undefined;
      return;
    }
    if (fence !== undefined) return;
    const phrase = MISSING_CONTEXT.map((pattern) => pattern.exec(line)?.[0]).find(Boolean);
    if (phrase) {
      problems.push({
        line: index + 1,
        message: `"${phrase}" refers to context the executor does not have: say it in the plan`,
      });
    }
  });
  return problems;
}

export interface StaticQuality {
  /** Undefined when the file does not parse as a plan. */
  plan?: Plan;
  problems: QualityProblem[];
}

/** Every check that needs only the file's text. */
export function checkPlanText(markdown: string, file: string): StaticQuality {
  const lines = markdown.split(/\r?\n/);
  const problems = [...sectionProblems(lines), ...stepProblems(lines), ...textProblems(lines)];
  let plan: Plan | undefined;
  try {
    plan = parsePlan(markdown, file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /at line (\d+)/.exec(message)?.[1];
    problems.push({ line: at ? Number(at) + 1 : 1, message: message.replace(`${file}: `, '') });
  }
  if (plan) problems.push(...criteriaProblems(lines, plan), ...driftProblems(lines, plan));
  const seen = new Set<string>();
  return {
    ...(plan ? { plan } : {}),
    problems: problems
      .filter((problem) => {
        const key = `${problem.line}\0${problem.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      })
      .sort((a, b) => a.line - b.line),
  };
}
