/**
 * `improve next [PATH]`: where the project could go. Offline, the deterministic direction signals
 * (roadmap items, promises, TODO themes); with a planner, four to six grounded suggestions too.
 * Writes nothing (the cost ledger aside).
 */
import type { DirectionSuggestion } from '../agents/direction-advisor.ts';
import { RepoReader } from '../audit/repo-reader.ts';
import type { Clock } from '../core/clock.ts';
import type { Finding } from '../core/types.ts';
import type { ModelSession } from '../llm/model-session.ts';
import { audit } from './audit.ts';

export interface NextOptions {
  path?: string;
  model?: ModelSession;
  clock?: Clock;
  onProgress?: (stage: string, done?: number, total?: number) => void;
}

export interface NextResult {
  root: string;
  /** The deterministic direction signals, always. */
  signals: Finding[];
  /** The planner's grounded suggestions (empty without a planner). */
  suggestions: DirectionSuggestion[];
  /** Suggestions dropped because none of their evidence was in the files. */
  dropped: number;
  modelUsed: boolean;
  /** Why the planner produced no suggestion (budget, interrupt, unusable answers). */
  problem?: string;
}

export async function next(options: NextOptions = {}): Promise<NextResult> {
  const result = await audit({
    ...(options.path ? { path: options.path } : {}),
    focus: ['direction'],
    level: 'standard',
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const signals = [
    ...result.direction,
    ...result.alreadyPlanned.map((a) => a.finding).filter((f) => f.category === 'direction'),
  ];
  const session = options.model;
  if (!session?.has('planner') || session.dryRun)
    return { root: result.root, signals, suggestions: [], dropped: 0, modelUsed: false };
  const reader = new RepoReader(result.root);
  options.onProgress?.('planner looking for direction');
  const { suggestDirection } = await import('../agents/direction-advisor.ts');
  const { repoBrief } = await import('../agents/repo-brief.ts');
  const { repoFiles } = await import('../agents/repo-tools.ts');
  const answer = await suggestDirection(
    session,
    signals,
    repoBrief(result.profile, reader),
    repoFiles(result.profile, reader),
  );
  if (answer.suggestions.length === 0) {
    const why =
      answer.stopped === 'budget'
        ? 'the --max-cost budget was reached before the planner answered'
        : answer.stopped === 'aborted'
          ? 'the run was interrupted'
          : `the planner gave no grounded suggestion (${(answer.problem ?? `${answer.dropped} suggestion(s) cited lines that are not in the files`).split('\n')[0]})`;
    return {
      root: result.root,
      signals,
      suggestions: [],
      dropped: answer.dropped,
      modelUsed: true,
      problem: why,
    };
  }
  return {
    root: result.root,
    signals,
    suggestions: answer.suggestions,
    dropped: answer.dropped,
    modelUsed: true,
  };
}
