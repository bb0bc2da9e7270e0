/**
 * `review-plan --fix`: the planner tightens a plan against the problems improve's checks found and
 * the critique's, answering in the plan writer's structured form. Code holds the draft to the plan
 * writer's checks and merges it into the plan, keeping what the fix may not change (id, status,
 * planned-at commit, findings, issue, execution); the caller decides whether it is better.
 */
import { redactText } from '../core/redact.ts';
import type { RepoProfile } from '../core/types.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { parsePlan } from '../plans/parse-plan.ts';
import type { Plan } from '../plans/plan.ts';
import { renderPlan } from '../plans/render-plan.ts';
import type { CritiqueProblem } from './plan-critic.ts';
import { allowedCommands, checkPlanDraft } from './plan-draft-check.ts';
import { applyRework, DRAFT_RULES, findingForPlan, inScopeCode } from './plan-rework.ts';
import { asData, DATA_RULES, numbered } from './prompt-data.ts';
import { type RepoFiles, repoTools } from './repo-tools.ts';
import { PlanDraft } from './schemas.ts';
import { askStructured, type StructuredOutcome } from './structured-reply.ts';

export const FIX_SYSTEM = [
  'You are the planner of `improve`, and you tighten a plan that a review found problems in. A plan is a self-contained spec that a weak, cheap executor who has never seen this repository can carry out, verify step by step, and know when to stop.',
  'Fix the problems you are given: every problem improve’s checks found, and the reviewer’s where you agree. Keep what is right, and keep the plan’s goal: do not widen it.',
  'You have read-only tools (list_folder, read_lines, search_text, find_symbol) to check the code before you write.',
  'Every list you answer is the complete new list for its section: keep the plan’s items that are right.',
  '',
  DATA_RULES,
  '',
  DRAFT_RULES,
].join('\n');

export interface FixInput {
  plan: Plan;
  /** The plan file's text, and its name for messages. */
  markdown: string;
  name: string;
  /** improve's own problems, `line N: message`. */
  problems: readonly string[];
  critique: readonly CritiqueProblem[];
  /** The repository at the plan's planned-at commit (or the working tree without one). */
  files: RepoFiles;
  profile: RepoProfile;
  /** Which code that is, for the prompt ("the planned-at commit 1a2b3c4d5e6f"). */
  where: string;
}

export function fixPrompt(input: FixInput): string {
  const { plan, files } = input;
  const finding = findingForPlan(plan, '', files.paths);
  const allowed = allowedCommands(input.profile, plan, finding).map((run) => `- \`${run}\``);
  const code = inScopeCode(plan, (file) =>
    files.paths.includes(file) ? files.reader.lines(file) : undefined,
  );
  const critique = input.critique.map(
    (item) => `- line ${item.line} (${item.kind}): ${item.problem} Suggested fix: ${item.fix}`,
  );
  return [
    `Tighten plan ${plan.id}.`,
    '',
    'Problems improve’s checks found (each must be gone):',
    ...(input.problems.length > 0 ? input.problems.map((problem) => `- ${problem}`) : ['- none']),
    '',
    'Problems a reviewer found (fix those you agree with):',
    critique.length > 0 ? asData(critique.join('\n'), { source: 'critique' }) : '- none',
    '',
    'The plan file, its lines numbered:',
    asData(numbered(input.markdown.split(/\r?\n/), 1), { source: input.name, kind: 'plan file' }),
    '',
    `Its in-scope files (${input.where}):`,
    ...(code.length > 0 ? code : ['(none)']),
    '',
    'Allowed commands (use exactly these):',
    ...allowed,
  ].join('\n');
}

export interface FixOutcome {
  /** The plan with the checked draft merged in. */
  plan?: Plan;
  structured: StructuredOutcome<PlanDraft>;
}

export async function fixPlanWithModel(session: ModelSession, input: FixInput): Promise<FixOutcome> {
  const { plan, files, profile } = input;
  const finding = findingForPlan(plan, redactText(`Tighten plan ${plan.id}`), files.paths);
  const chat = session.conversation({
    role: 'planner',
    task: `fix:${plan.id}`,
    system: FIX_SYSTEM,
    tools: repoTools(files),
    maxSteps: 8,
    maxOutputTokens: 6000,
  });
  let fixed: Plan | undefined;
  const structured = await askStructured(chat, fixPrompt(input), PlanDraft, (draft) => {
    const checked = checkPlanDraft(draft, { files, profile, base: plan, finding });
    if (checked.problems.length > 0) return checked.problems;
    const candidate = applyRework(plan, checked.draft);
    try {
      parsePlan(renderPlan(candidate), input.name);
    } catch (error) {
      return [`the plan would not read back: ${error instanceof Error ? error.message : String(error)}`];
    }
    fixed = candidate;
    return [];
  });
  return fixed ? { plan: fixed, structured } : { structured };
}
