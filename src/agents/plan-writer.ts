/**
 * The planner writes a plan's content for one finding, in a structured form. Code checks the draft
 * (plan-draft-check.ts), asks once more when it fails, and merges it into the deterministic plan;
 * the existing renderer produces the markdown. A plan that fails twice falls back to improve's own.
 */
import type { Finding, RepoProfile } from '../core/types.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { parsePlan } from '../plans/parse-plan.ts';
import type { Plan } from '../plans/plan.ts';
import { renderPlan } from '../plans/render-plan.ts';
import { allowedCommands, checkPlanDraft } from './plan-draft-check.ts';
import { applyDraft } from './plan-from-draft.ts';
import { asData, DATA_RULES, numbered } from './prompt-data.ts';
import { type RepoFiles, repoTools } from './repo-tools.ts';
import { PlanDraft } from './schemas.ts';
import { askStructured, type StructuredOutcome } from './structured-reply.ts';

export const PLAN_SYSTEM = [
  'You are the planner of `improve`. You write the content of one plan: a self-contained spec that a weak, cheap executor who has never seen this repository can carry out, verify step by step, and know when to stop.',
  'You have read-only tools (list_folder, read_lines, search_text, find_symbol) to check the code before you write.',
  '',
  DATA_RULES,
  '',
  'Rules improve enforces (an answer that breaks one is sent back once, then replaced by improve’s own plan):',
  '- currentState: each excerpt is the exact text of the file at those lines. Copy it from read_lines output without the line-number prefixes.',
  '- Every command (each step’s verify.run and each doneCriteria run) is one of the allowed commands, exactly, or several joined with " && ". You may also use `test -f PATH` for an in-scope path.',
  '- Every step ends with verify {run, expect}. expect is `exit 0`, `exit N`, `stdout contains "TEXT"`, `stdout empty` or `stdout matches /RE/`, joined with " and ".',
  '- scopeIn paths exist in the repository unless marked "create": true.',
  '- Keep the change as small as the problem allows. Steps in order, each small enough to verify. Nothing the executor needs may be missing from the plan.',
  '',
  'Answer with one JSON object and nothing else:',
  '{"title": "imperative title", "why": "why this matters, for someone new to the code", "currentState": [{"file": "path", "startLine": 1, "endLine": 4, "excerpt": "exact lines"}], "scopeIn": [{"path": "path", "reason": "why it changes", "create": false}], "scopeOut": [{"path": "path", "reason": "why not"}], "steps": [{"title": "…", "detail": "exactly what to do", "verify": {"run": "allowed command", "expect": "exit 0"}}], "testCases": ["…"], "doneCriteria": [{"run": "allowed command", "expect": "exit 0"}], "stopConditions": ["…"], "maintenance": ["…"]}',
].join('\n');

export function planPrompt(finding: Finding, base: Plan, profile: RepoProfile, files: RepoFiles): string {
  const evidence = finding.evidence.map((e) =>
    asData(numbered((files.reader.lines(e.file) ?? []).slice(e.startLine - 1, e.endLine), e.startLine), {
      source: e.file,
      lines: `${e.startLine}-${e.endLine}`,
    }),
  );
  const allowed = allowedCommands(profile, base, finding).map((run) => `- \`${run}\``);
  return [
    `Write the plan for finding ${finding.id} (${finding.ruleId}).`,
    asData(
      [
        `Title: ${finding.title}`,
        `Category ${finding.category}; impact ${finding.impact}, effort ${finding.effort}, risk ${finding.risk} (${finding.riskReason}), confidence ${finding.confidence}.`,
        `What is wrong: ${finding.message}`,
        `Suggested fix: ${finding.fixSketch}`,
      ].join('\n'),
      { source: 'finding' },
    ),
    '',
    'Cited lines, as they are on disk now:',
    ...(evidence.length > 0 ? evidence : ['(none: the finding is about something the repository lacks)']),
    '',
    'Allowed commands (use exactly these):',
    ...allowed,
    '',
    'The plan improve would write without you (keep what is right, improve the rest; improve adds its own first step that confirms the cited lines and last step that runs every check, so do not repeat those):',
    asData(
      base.steps
        .map(
          (step, i) =>
            `${i + 1}. ${step.title}: ${step.detail} [verify: ${step.verify.run} → ${step.verify.expect}]`,
        )
        .join('\n'),
      {
        source: 'improve draft steps',
      },
    ),
  ].join('\n');
}

export interface PlanWriteOutcome {
  /** The draft, checked and normalised, when it passed improve's checks (apply with applyDraft). */
  draft?: PlanDraft;
  /** The draft merged into the given base plan. */
  plan?: Plan;
  structured: StructuredOutcome<PlanDraft>;
}

export async function writePlanWithModel(
  session: ModelSession,
  input: { finding: Finding; base: Plan; profile: RepoProfile; files: RepoFiles; context: string },
): Promise<PlanWriteOutcome> {
  const { finding, base, profile, files } = input;
  const chat = session.conversation({
    role: 'planner',
    task: `plan:${finding.id}`,
    system: PLAN_SYSTEM,
    context: input.context,
    tools: repoTools(files),
    maxSteps: 10,
    maxOutputTokens: 6000,
  });
  let merged: { plan: Plan; draft: PlanDraft } | undefined;
  const structured = await askStructured(
    chat,
    planPrompt(finding, base, profile, files),
    PlanDraft,
    (draft) => {
      const checked = checkPlanDraft(draft, { files, profile, base, finding });
      if (checked.problems.length > 0) return checked.problems;
      const plan = applyDraft(base, checked.draft);
      try {
        parsePlan(renderPlan(plan), `${plan.id}-${plan.slug}.md`);
      } catch (error) {
        return [`the plan would not read back: ${error instanceof Error ? error.message : String(error)}`];
      }
      merged = { plan, draft: checked.draft };
      return [];
    },
  );
  return merged ? { ...merged, structured } : { structured };
}
