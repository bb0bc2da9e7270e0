/**
 * `review-plan`'s model critique: a fresh conversation (no repository brief, no tools, no history)
 * that sees only the plan file and its in-scope code, reads the plan as the executor would, and
 * answers with structured problems. Code places each one: a problem counts (toward exit 1) only
 * when it is concrete — kind "problem", and its quote is really on a line of the plan.
 */
import { z } from 'zod';
import { redactSource, redactText } from '../core/redact.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { asData, DATA_RULES, numbered } from './prompt-data.ts';
import { askStructured } from './structured-reply.ts';

export const CRITIC_SYSTEM = [
  'You review plans written by `improve` for weak, cheap executors that have only the plan file: no chat, no audit, no memory of the repository.',
  'Read the plan as that executor would, next to the code it is about, and find what would make the executor fail or do the wrong thing: a step that does not match the quoted or the real code; an instruction that is ambiguous or leaves a decision open; a Verify command that cannot show the step worked; done criteria that would pass without the fix or fail with a correct one; a file the steps must change that is not in scope; a missing STOP condition for a real risk; a test plan that would not catch a regression.',
  'improve’s code already checks the sections, that every step ends in a machine-checkable Verify line, the drift check, the excerpts against the code, secrets, and references to context the executor lacks: do not report those.',
  'Report only what you can point at: "line" is the plan line, "quote" is text copied exactly from that line. Kind "problem" is something that makes the plan fail or mislead; "suggestion" is an improvement. Give a concrete "fix" for each. An empty list is the right answer for a good plan.',
  '',
  DATA_RULES,
  '',
  'Answer with one JSON object and nothing else: {"problems": [{"line": 12, "quote": "exact text from that line", "kind": "problem", "problem": "what is wrong", "fix": "what to write instead"}]}',
].join('\n');

const text = (max: number) => z.string().trim().min(1).max(max);

const PlanCritique = z.object({
  problems: z
    .array(
      z.object({
        line: z.number().int().min(1),
        quote: text(400),
        kind: z.enum(['problem', 'suggestion']),
        problem: text(1000),
        fix: text(1200),
      }),
    )
    .max(20),
});
type PlanCritique = z.infer<typeof PlanCritique>;

export interface CritiqueProblem {
  /** 1-based line of the plan file. */
  line: number;
  kind: 'problem' | 'suggestion';
  problem: string;
  fix: string;
  /** The quote was found on that line of the plan (the line was moved there when it was elsewhere). */
  placed: boolean;
  /** Counts toward exit 1: a "problem" whose quote is on a line of the plan. */
  concrete: boolean;
}

export interface CritiqueOutcome {
  problems: CritiqueProblem[];
  /** Why there is no critique (budget, interrupt, no usable answer). */
  missing?: string;
}

const MIN_QUOTE = 8;
const norm = (value: string) => value.replace(/\s+/g, ' ').trim();

/**
 * Place a model's problem on the plan: the cited line when the quote is on it, else the nearest
 * line that has it. A quote must be at least 8 characters or a whole line, so that it points
 * somewhere. Only a placed "problem" is concrete.
 */
function placeProblem(lines: readonly string[], raw: PlanCritique['problems'][number]): CritiqueProblem {
  const quote = norm(raw.quote);
  const has = (index: number) => {
    const line = norm(lines[index] ?? '');
    return line !== '' && (line === quote || (quote.length >= MIN_QUOTE && line.includes(quote)));
  };
  let found: number | undefined;
  if (raw.line <= lines.length && has(raw.line - 1)) found = raw.line - 1;
  else
    for (let index = 0; index < lines.length; index += 1) {
      const nearer = found === undefined || Math.abs(index + 1 - raw.line) < Math.abs(found + 1 - raw.line);
      if (nearer && has(index)) found = index;
    }
  return {
    line: found === undefined ? Math.min(raw.line, Math.max(lines.length, 1)) : found + 1,
    kind: raw.kind,
    problem: redactText(norm(raw.problem)),
    fix: redactText(norm(raw.fix)),
    placed: found !== undefined,
    concrete: raw.kind === 'problem' && found !== undefined,
  };
}

export function critiquePrompt(input: {
  markdown: string;
  file: string;
  code: readonly string[];
  where: string;
}): string {
  const lines = redactSource(input.markdown).lines;
  return [
    'Critique this plan file. Its lines are numbered: cite them.',
    asData(numbered(lines, 1), { source: input.file, kind: 'plan file' }),
    '',
    `The code of its in-scope files (${input.where}):`,
    ...(input.code.length > 0 ? input.code : ['(none)']),
  ].join('\n');
}

export async function critiquePlan(
  session: ModelSession,
  input: { markdown: string; file: string; code: readonly string[]; where: string; task: string },
): Promise<CritiqueOutcome> {
  const chat = session.conversation({
    role: 'planner',
    task: `critique:${input.task}`,
    system: CRITIC_SYSTEM,
    maxOutputTokens: 3000,
  });
  const answer = await askStructured(chat, critiquePrompt(input), PlanCritique);
  if (!answer.value)
    return {
      problems: [],
      missing: answer.stopped ?? (answer.problem ?? 'no answer').split('\n')[0] ?? 'no answer',
    };
  const lines = redactSource(input.markdown).lines;
  const problems = answer.value.problems
    .map((raw) => placeProblem(lines, raw))
    .sort((a, b) => a.line - b.line || Number(b.concrete) - Number(a.concrete));
  return { problems };
}
