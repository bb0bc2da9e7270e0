/**
 * `improve plan "DESCRIPTION"`: the planner investigates just enough to know where the change goes,
 * resolves what it can from the code, and leaves the rest as questions with recommended answers.
 * Every location it names is held to the file.
 */
import type { ModelSession } from '../llm/model-session.ts';
import { locate } from './cited-lines.ts';
import { DATA_RULES } from './prompt-data.ts';
import { type RepoFiles, repoTools } from './repo-tools.ts';
import { PlanRequestBrief } from './schemas.ts';
import { askStructured, type StructuredOutcome } from './structured-reply.ts';

export const PLAN_REQUEST_SYSTEM = [
  'You are the planner of `improve`, asked to plan one change the user described. The plan will be carried out by a cheap executor that has never seen the repository.',
  'Investigate with the read-only tools (list_folder, read_lines, search_text, find_symbol) just enough to know where the change goes, what it touches, and how it can be verified with the commands the repository defines.',
  'Resolve every ambiguity you can from the code. Only what the code cannot decide becomes a question to the user, each with the answer you recommend and why (at most 5, most important first).',
  '',
  DATA_RULES,
  '',
  'Answer with one JSON object and nothing else:',
  '{"title": "imperative title", "category": "correctness|security|performance|tests|tech-debt|dependencies|dx|docs", "summary": "what will change and why, as resolved from the code", "impact": "HIGH|MED|LOW", "effort": "S|M|L", "risk": "HIGH|MED|LOW", "riskReason": "what could break", "locations": [{"file": "path", "startLine": 1, "endLine": 5, "quote": "one line copied exactly from those lines"}], "questions": [{"question": "…", "recommended": "…", "why": "…"}]}',
].join('\n');

export async function investigateRequest(
  session: ModelSession,
  description: string,
  context: string,
  files: RepoFiles,
): Promise<StructuredOutcome<PlanRequestBrief>> {
  const chat = session.conversation({
    role: 'planner',
    task: 'plan-request',
    system: PLAN_REQUEST_SYSTEM,
    context,
    tools: repoTools(files),
    maxSteps: 14,
    maxOutputTokens: 3000,
  });
  const prompt = `The user asks for this change:\n\n${description.trim()}\n\nInvestigate, then answer with the JSON object.`;
  return askStructured(chat, prompt, PlanRequestBrief, (brief) =>
    brief.locations.flatMap((location, index) => {
      const found = locate(files, location);
      return found.ok ? [] : [`locations[${index}]: ${found.reason}`];
    }),
  );
}
