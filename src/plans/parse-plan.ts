/** Parse a plan file back into a Plan: front matter for structured fields, body sections for the rest. */
import { UsageError } from '../core/errors.ts';
import { readPlanHeader, splitFrontMatter } from './front-matter.ts';
import { readBullets, readCodeSpan, splitSections, splitTableRow, trimBlank } from './markdown.ts';
import type { DriftCheck, Plan, PlanCommand, PlanExcerpt, PlanStep, TestPlan } from './plan.ts';
import { ARROW } from './render-plan.ts';

/** `` `cmd` → expect `` into its parts. */
function readVerify(text: string): { run: string; expect: string } | undefined {
  const span = readCodeSpan(text.trim());
  if (!span?.rest.startsWith(ARROW)) return undefined;
  return { run: span.code, expect: span.rest.slice(ARROW.length).trim() };
}

function driftCheckOf(lines: readonly string[]): DriftCheck {
  const prefix = '**Drift check**: ';
  const line = lines.find((item) => item.startsWith(prefix));
  if (line === undefined) return { command: null, reason: 'the plan has no drift check' };
  const rest = line.slice(prefix.length);
  const unavailable = /^unavailable — (.*)$/.exec(rest);
  if (unavailable?.[1] !== undefined) return { command: null, reason: unavailable[1] };
  const verify = readVerify(rest);
  return verify ? { command: verify.run } : { command: null, reason: 'the drift check could not be read' };
}

function currentStateOf(lines: readonly string[]): PlanExcerpt[] {
  const excerpts: PlanExcerpt[] = [];
  let location: { file: string; startLine: number; endLine: number } | undefined;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const span = readCodeSpan(line.trim());
    const cited = span && span.rest.trim() === '' ? /^(.*):(\d+)-(\d+)$/s.exec(span.code) : null;
    if (cited?.[1] !== undefined) {
      location = { file: cited[1], startLine: Number(cited[2]), endLine: Number(cited[3]) };
      continue;
    }
    const open = /^(`{3,}|~{3,})(.*)$/.exec(line);
    if (!open?.[1] || !location) continue;
    const fence = open[1];
    const body: string[] = [];
    index += 1;
    while (index < lines.length && lines[index]?.trimEnd() !== fence) {
      body.push(lines[index] ?? '');
      index += 1;
    }
    excerpts.push({ ...location, excerpt: body.join('\n'), language: (open[2] ?? '').trim() });
    location = undefined;
  }
  return excerpts;
}

function commandsOf(lines: readonly string[]): PlanCommand[] {
  const rows = lines.filter((line) => line.trim().startsWith('|')).slice(2);
  return rows.map((row) => {
    const [purpose = '', command = '', expected = ''] = splitTableRow(row);
    return { purpose, command: readCodeSpan(command)?.code ?? command, expected };
  });
}

function stepsOf(lines: readonly string[], file: string): PlanStep[] {
  const steps: PlanStep[] = [];
  for (const section of splitSections(lines, 3).slice(1)) {
    const title = /^Step \d+:\s*(.*)$/.exec(section.heading)?.[1] ?? section.heading;
    const verifyAt = section.lines.findLastIndex((line) => line.startsWith('**Verify**: '));
    const verify =
      verifyAt >= 0 ? readVerify(section.lines[verifyAt]?.slice('**Verify**: '.length) ?? '') : undefined;
    if (!verify) {
      throw new UsageError(
        `${file}: step "${section.heading}" has no **Verify** line (\`command\` → expected result).`,
        'Every step must end with a Verify line; fix the file by hand or re-plan it.',
      );
    }
    steps.push({ title, detail: trimBlank(section.lines.slice(0, verifyAt)).join('\n'), verify });
  }
  return steps;
}

function testPlanOf(lines: readonly string[]): TestPlan {
  const plan: TestPlan = { cases: readBullets(lines) };
  const pattern = lines.find((line) => line.startsWith('**Pattern**: '));
  const span = pattern ? readCodeSpan(pattern.slice('**Pattern**: '.length)) : undefined;
  if (span) plan.patternFile = span.code;
  const noteAt = lines.findIndex((line) => line.startsWith('**Note**: '));
  if (noteAt >= 0) {
    const note = [(lines[noteAt] ?? '').slice('**Note**: '.length)];
    for (let index = noteAt + 1; index < lines.length && lines[index]?.trim() !== ''; index += 1) {
      note.push(lines[index] ?? '');
    }
    plan.note = note.join('\n');
  }
  return plan;
}

/**
 * Parse a plan file. Throws UsageError naming `file` and the problem when the front matter is
 * missing, is not valid YAML, lacks a required field, or a step has no Verify line.
 */
export function parsePlan(markdown: string, file = 'plan'): Plan {
  const { data, body } = splitFrontMatter(markdown, file);
  const header = readPlanHeader(data, file);
  const sections = new Map<string, string[]>();
  for (const section of splitSections(body, 2).slice(1)) {
    if (!sections.has(section.heading)) sections.set(section.heading, section.lines);
  }
  const get = (heading: string): string[] => sections.get(heading) ?? [];
  return {
    ...header,
    why: trimBlank(get('Why this matters')).join('\n'),
    currentState: currentStateOf(get('Current state')),
    commands: commandsOf(get('Commands you will need')),
    gitWorkflow: readBullets(get('Git workflow')),
    steps: stepsOf(get('Steps'), file),
    testPlan: testPlanOf(get('Test plan')),
    stopConditions: readBullets(get('STOP conditions')),
    maintenance: readBullets(get('Maintenance notes')),
    driftCheck: driftCheckOf(get('Executor instructions')),
  };
}
