/**
 * `improve next` with a planner: four to six suggestions for where the project could go, each
 * grounded in lines of the repository (unfinished intent, stated-but-undelivered, surface
 * asymmetries, the adjacent possible), with trade-offs and a coarse effort. Every cited line is
 * held to the file; a suggestion left without evidence is dropped.
 */
import { makeEvidence } from '../audit/build-finding.ts';
import { redactText } from '../core/redact.ts';
import type { Effort, Evidence, Finding } from '../core/types.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { locate } from './cited-lines.ts';
import { asData, DATA_RULES } from './prompt-data.ts';
import { type RepoFiles, repoTools } from './repo-tools.ts';
import { DirectionReport } from './schemas.ts';
import { askStructured } from './structured-reply.ts';

export interface DirectionSuggestion {
  title: string;
  kind: 'unfinished-intent' | 'stated-undelivered' | 'surface-asymmetry' | 'adjacent-possible';
  rationale: string;
  tradeoffs: string;
  effort: Effort;
  evidence: Evidence[];
}

export const DIRECTION_SYSTEM = [
  'You are the planner of `improve`, asked to suggest where this project could go next: direction, not bug fixes.',
  'Use the read-only tools (list_folder, read_lines, search_text, find_symbol) to ground every suggestion in the repository. Look for:',
  '- unfinished intent: work the team started or planned (roadmaps, ADRs, TODO themes) and did not finish;',
  '- stated but undelivered: what README or docs promise that the code does not do;',
  '- surface asymmetries: a feature offered in one place and missing in its obvious sibling (one command has --json, another not; create without delete);',
  '- the adjacent possible: a small step the existing code makes cheap.',
  'Give 4 to 6 suggestions, best first. Each cites lines you have read ("quote" copied exactly from them), says what it would cost and what it trades off, and a coarse effort (S, M, L).',
  '',
  DATA_RULES,
  '',
  'Answer with one JSON object and nothing else:',
  '{"suggestions": [{"title": "…", "kind": "unfinished-intent|stated-undelivered|surface-asymmetry|adjacent-possible", "rationale": "why this, grounded in the evidence", "evidence": [{"file": "path", "startLine": 1, "endLine": 2, "quote": "…"}], "tradeoffs": "what it costs and what it gives up", "effort": "S|M|L"}]}',
].join('\n');

const MAX_SUGGESTIONS = 6;

export async function suggestDirection(
  session: ModelSession,
  signals: readonly Finding[],
  context: string,
  files: RepoFiles,
): Promise<{ suggestions: DirectionSuggestion[]; problem?: string; stopped?: string; dropped: number }> {
  const chat = session.conversation({
    role: 'planner',
    task: 'next',
    system: DIRECTION_SYSTEM,
    context,
    tools: repoTools(files),
    maxSteps: 14,
    maxOutputTokens: 4000,
  });
  const signalText = signals.map(
    (s) =>
      `- ${s.title} (${s.evidence[0] ? `${s.evidence[0].file}:${s.evidence[0].startLine}` : 'repository'})`,
  );
  const prompt = [
    'Suggest where this project could go next.',
    'Signals improve found on its own (start from them, go beyond them):',
    signalText.length > 0 ? asData(signalText.join('\n'), { source: 'direction signals' }) : 'none',
  ].join('\n');
  const answer = await askStructured(chat, prompt, DirectionReport, (report) =>
    report.suggestions.flatMap((suggestion, i) =>
      suggestion.evidence.some((e) => locate(files, e).ok)
        ? []
        : [
            `suggestions[${i}] ("${suggestion.title}"): none of its evidence is in the files (${suggestion.evidence
              .map((e) => {
                const l = locate(files, e);
                return l.ok ? '' : l.reason;
              })
              .join('; ')})`,
          ],
    ),
  );
  const report = answer.value;
  if (!report)
    return {
      suggestions: [],
      dropped: 0,
      ...(answer.problem ? { problem: answer.problem } : {}),
      ...(answer.stopped ? { stopped: answer.stopped } : {}),
    };
  let dropped = 0;
  const suggestions: DirectionSuggestion[] = [];
  for (const suggestion of report.suggestions) {
    const evidence = suggestion.evidence.flatMap((cite) => {
      const found = locate(files, cite);
      if (!found.ok) return [];
      const cited = makeEvidence(
        (file) => files.reader.lines(file),
        found.file,
        found.startLine,
        found.endLine,
      );
      return cited ? [cited] : [];
    });
    if (evidence.length === 0) {
      dropped += 1;
      continue;
    }
    suggestions.push({
      title: redactText(suggestion.title),
      kind: suggestion.kind,
      rationale: redactText(suggestion.rationale),
      tradeoffs: redactText(suggestion.tradeoffs),
      effort: suggestion.effort,
      evidence,
    });
  }
  return { suggestions: suggestions.slice(0, MAX_SUGGESTIONS), dropped };
}
