/**
 * Put a reworked plan's content into the user's plan file without losing what the user owns: the
 * front matter keeps its fields, comments and unknown keys (only title, scope and done criteria
 * change), the Status section keeps its text, and sections improve does not know (the user's
 * notes) stay after the section they followed. The other sections come from the reworked plan, in
 * the CONTRACT's order.
 */
import { yaml } from '../core/yaml.ts';
import { splitFrontMatter } from './front-matter.ts';
import { type Section, splitSections } from './markdown.ts';
import type { Plan } from './plan.ts';
import { frontMatterOf, PLAN_SECTIONS, renderPlan } from './render-plan.ts';

/** Front matter fields a rework may change; every other field is the user's. */
const REWORKED_FIELDS = ['title', 'scope', 'done_criteria'] as const;
const KNOWN: ReadonlySet<string> = new Set(PLAN_SECTIONS);

function frontMatterEnd(lines: readonly string[]): number {
  return lines.findIndex((line, index) => index > 0 && (line.trim() === '---' || line.trim() === '...'));
}

function mergedFrontMatter(lines: readonly string[], close: number, plan: Plan): string {
  const document = yaml().parseDocument(lines.slice(1, close).join('\n'));
  const fields = frontMatterOf(plan);
  for (const field of REWORKED_FIELDS) document.set(field, document.createNode(fields[field]));
  return document.toString({ lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '');
}

function push(out: string[], heading: string | undefined, body: readonly string[]): void {
  if (out.length > 0 && out[out.length - 1] !== '') out.push('');
  if (heading !== undefined) out.push(`## ${heading}`);
  out.push(...body);
}

/** `original` (a plan file's text) with the content of `plan`; see the file comment for what is kept. */
export function mergePlanText(original: string, plan: Plan, file = 'plan'): string {
  splitFrontMatter(original, file);
  const lines = original.replace(/^\uFEFF/, '').split(/\r?\n/);
  const close = frontMatterEnd(lines);
  const sections = splitSections(lines.slice(close + 1), 2);
  const rendered = splitSections(renderPlan(plan).split('\n'), 2);
  const renderedBody = new Map(rendered.map((section) => [section.heading, section.lines]));

  const preamble = [...(sections[0]?.lines ?? [])];
  const title = `# Plan ${plan.id}: ${plan.title}`;
  const titleAt = preamble.findIndex((line) => line.startsWith('# '));
  if (titleAt >= 0) preamble[titleAt] = title;
  else preamble.unshift('', title);

  const own = new Map<string, Section>();
  const attached = new Map<string, Section[]>();
  let after = '';
  for (const section of sections.slice(1)) {
    if (KNOWN.has(section.heading) && !own.has(section.heading)) {
      own.set(section.heading, section);
      after = section.heading;
      continue;
    }
    attached.set(after, [...(attached.get(after) ?? []), section]);
  }

  const out: string[] = ['---', mergedFrontMatter(lines, close, plan), lines[close] ?? '---'];
  out.push(...preamble);
  for (const section of attached.get('') ?? []) push(out, section.heading, section.lines);
  for (const heading of PLAN_SECTIONS) {
    const body =
      heading === 'Status' && own.has(heading)
        ? (own.get(heading)?.lines ?? [])
        : (renderedBody.get(heading) ?? []);
    push(out, heading, body);
    for (const section of attached.get(heading) ?? []) push(out, section.heading, section.lines);
  }
  while (out.length > 0 && out[out.length - 1]?.trim() === '') out.pop();
  return `${out.join('\n')}\n`;
}

/** Lines added and removed between two texts (a longest-common-subsequence diff). */
export function lineChanges(before: string, after: string): { added: number; removed: number } {
  const a = before.split('\n');
  const b = after.split('\n');
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i += 1) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j += 1)
      row[j] =
        a[i - 1] === b[j - 1] ? (previous[j - 1] ?? 0) + 1 : Math.max(previous[j] ?? 0, row[j - 1] ?? 0);
    previous = row;
  }
  const common = previous[b.length] ?? 0;
  return { added: b.length - common, removed: a.length - common };
}

/** The sections whose text differs between two plan files, in the CONTRACT's order. */
export function changedSections(before: string, after: string): string[] {
  const bodies = (text: string) =>
    new Map(
      splitSections(text.split(/\r?\n/), 2).map((section) => [
        section.heading,
        section.lines.join('\n').trim(),
      ]),
    );
  const a = bodies(before);
  const b = bodies(after);
  return PLAN_SECTIONS.filter((heading) => a.get(heading) !== b.get(heading));
}
