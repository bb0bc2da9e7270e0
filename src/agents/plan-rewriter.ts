/**
 * `reconcile`'s proposal for a BLOCKED plan: the planner gets the plan, why it is blocked and the
 * in-scope code as it is now, and answers with a replacement draft in the plan writer's structured
 * form. Code holds the draft to the plan writer's checks (real excerpts, allowed commands, verify
 * grammar, existing paths) and to the caller's (the static quality bar), asking once more when one
 * fails. The result is planned at the current commit and TODO; it never replaces the plan itself.
 */
import { redactText } from '../core/redact.ts';
import type { RepoProfile } from '../core/types.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { parsePlan } from '../plans/parse-plan.ts';
import type { Plan } from '../plans/plan.ts';
import { renderPlan } from '../plans/render-plan.ts';
import { allowedCommands, checkPlanDraft } from './plan-draft-check.ts';
import { applyRework, DRAFT_RULES, findingForPlan, inScopeCode } from './plan-rework.ts';
import { asData, DATA_RULES } from './prompt-data.ts';
import { type RepoFiles, repoTools } from './repo-tools.ts';
import { PlanDraft } from './schemas.ts';
import { askStructured, type StructuredOutcome } from './structured-reply.ts';

export const REWRITE_SYSTEM = [
  'You are the planner of `improve`, and you rewrite a plan that was BLOCKED. A plan is a self-contained spec that a weak, cheap executor who has never seen this repository can carry out, verify step by step, and know when to stop.',
  'An attempt to carry the plan out, or a later check, blocked it for the reason you are given. Write the replacement: deal with that reason (fix what was wrong in the plan, or take another route to the same goal), starting from the code as it is now. If the goal itself is wrong, say so in "why" and plan the smallest useful change.',
  'You have read-only tools (list_folder, read_lines, search_text, find_symbol) to check the code before you write.',
  'stopConditions and maintenance: only what the rewrite needs beyond the blocked plan’s own, which improve keeps.',
  '',
  DATA_RULES,
  '',
  DRAFT_RULES,
].join('\n');

export interface RewriteInput {
  plan: Plan;
  /** The plan file's text as the user has it, and its name. */
  markdown: string;
  name: string;
  /** Why the plan is blocked: improve's records, one fact a line. */
  evidence: readonly string[];
  /** The repository at the commit the rewrite is planned at. */
  files: RepoFiles;
  profile: RepoProfile;
  /** The repository brief (shared, cacheable prefix). */
  context: string;
  head: string;
  date: string;
  /** More checks on the merged plan (the quality bar); problems are sent back like the writer's. */
  accept?: (plan: Plan) => string[];
}

export function rewritePrompt(input: Omit<RewriteInput, 'accept' | 'context' | 'date'>): string {
  const { plan, files } = input;
  const finding = findingForPlan(plan, '', files.paths);
  const allowed = allowedCommands(input.profile, plan, finding).map((run) => `- \`${run}\``);
  const code = inScopeCode(plan, (file) =>
    files.paths.includes(file) ? files.reader.lines(file) : undefined,
  );
  return [
    `Rewrite plan ${plan.id}, which is BLOCKED.`,
    '',
    'Why it is blocked (improve’s records):',
    asData(input.evidence.join('\n'), { source: 'block record' }),
    '',
    'The blocked plan:',
    asData(input.markdown, { source: input.name }),
    '',
    `Its in-scope files at the current commit ${input.head.slice(0, 12)}:`,
    ...(code.length > 0 ? code : ['(none)']),
    '',
    'Allowed commands (use exactly these):',
    ...allowed,
  ].join('\n');
}

export interface RewriteOutcome {
  /** The checked replacement, TODO and planned at `head`. */
  plan?: Plan;
  structured: StructuredOutcome<PlanDraft>;
}

export async function rewriteBlockedPlan(
  session: ModelSession,
  input: RewriteInput,
): Promise<RewriteOutcome> {
  const { plan, files, profile } = input;
  const reason = plan.status.reason ?? 'no reason recorded';
  const finding = findingForPlan(plan, `Plan ${plan.id} is BLOCKED: ${reason}`, files.paths);
  const chat = session.conversation({
    role: 'planner',
    task: `rewrite:${plan.id}`,
    system: REWRITE_SYSTEM,
    context: input.context,
    tools: repoTools(files),
    maxSteps: 10,
    maxOutputTokens: 6000,
  });
  const note = redactText(
    `Rewritten by \`improve reconcile\` on ${input.date} against ${input.head.slice(0, 12)}, because plan ${plan.id} was BLOCKED: ${reason.replace(/\s+/g, ' ').replace(/([^.!?])$/, '$1.')}`,
  );
  let proposal: Plan | undefined;
  const structured = await askStructured(chat, rewritePrompt(input), PlanDraft, (draft) => {
    const checked = checkPlanDraft(draft, { files, profile, base: plan, finding });
    if (checked.problems.length > 0) return checked.problems;
    const candidate = applyRework(plan, checked.draft, {
      plannedAt: { sha: input.head, date: input.date },
      status: { state: 'TODO' },
      dropExecution: true,
      keepRails: true,
      note,
    });
    try {
      parsePlan(renderPlan(candidate), input.name);
    } catch (error) {
      return [`the plan would not read back: ${error instanceof Error ? error.message : String(error)}`];
    }
    const problems = input.accept?.(candidate) ?? [];
    if (problems.length > 0) return problems;
    proposal = candidate;
    return [];
  });
  return proposal ? { plan: proposal, structured } : { structured };
}
