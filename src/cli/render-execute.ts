/** Render the result of `improve execute` (one plan or --all). */

import type { ExecuteResult } from '../api/execute.ts';
import type { ExecuteAllResult } from '../api/execute-all.ts';
import { formatStatus } from '../plans/plan.ts';
import {
  mergeInstructions,
  type RenderOptions,
  renderReview,
  renderRun,
  verdictWord,
} from './render-review.ts';

function origin(result: ExecuteResult): string {
  return result.startedFrom
    ? `from ${result.startedFrom} (plan ${result.startedFromPlan ?? '?'}, approved but not merged) at ${result.base.slice(0, 12)}`
    : `from ${result.base.slice(0, 12)}`;
}

function handoffLines(result: ExecuteResult): string[] {
  return [
    `Plan ${result.plan.id} is ready for you (status: IN PROGRESS): ${result.plan.title}`,
    `  worktree: ${result.workdir}`,
    `  branch:   ${result.branch} ${origin(result)}`,
    `  prompt:   ${result.promptFile}`,
    '',
    'Work in that folder (or start an agent there and give it the prompt file), commit on the branch, then run:',
    `  improve review ${result.plan.number}`,
  ];
}

function outcomeLines(result: ExecuteResult): string[] {
  const id = result.plan.id;
  if (result.interrupted) {
    return [
      `Interrupted: plan ${id} stays IN PROGRESS with its worktree at ${result.worktreeShown} (branch ${result.branch}).`,
      `Review what is there with \`improve review ${result.plan.number}\`, or start over with \`improve execute ${result.plan.number} --clean\`.`,
    ];
  }
  if (result.verdict === 'APPROVE') {
    const lines = [`Approved: plan ${id} is ${formatStatus(result.status)}.`];
    if (result.committed)
      lines.push(`improve committed what the executor left uncommitted as ${result.committed.slice(0, 12)}.`);
    return [...lines, ...mergeInstructions(result.branch, result.base, result.worktreeShown)];
  }
  const lines = [`Plan ${id} is ${formatStatus(result.status)}.`];
  lines.push(
    result.cleaned
      ? 'The attempt’s worktree and branch were removed (--clean).'
      : `The attempt is kept for you to inspect: ${result.worktreeShown} (branch ${result.branch}); \`improve execute ${result.plan.number} --clean\` discards it and starts over.`,
  );
  return lines;
}

export function renderExecuteResult(result: ExecuteResult, options: RenderOptions): string {
  if (result.handedOff) return handoffLines(result).join('\n');
  const lines = [
    `Plan ${result.plan.id}: ${result.plan.title}`,
    `executor ${result.executor} in ${result.worktreeShown} on ${result.branch} ${origin(result)}`,
  ];
  for (const round of result.rounds) {
    lines.push('', `Round ${round.round}`, ...renderRun(round.run, options));
    if (round.review) lines.push(...renderReview(round.review, options));
  }
  const last = result.rounds[result.rounds.length - 1];
  if (result.review && last?.review && result.review.verdict !== last.review.verdict) {
    lines.push(`Final verdict: ${verdictWord(result.review.verdict, options)} — ${result.review.reason}`);
  }
  lines.push('', ...outcomeLines(result));
  return lines.join('\n');
}

export function renderExecuteAll(result: ExecuteAllResult, options: RenderOptions): string {
  const lines: string[] = [];
  for (const item of result.results) {
    lines.push(renderExecuteResult(item, options), '');
  }
  lines.push('Summary:');
  for (const item of result.results) {
    const from = item.startedFrom
      ? ` (started from ${item.startedFrom}, plan ${item.startedFromPlan} not merged yet)`
      : '';
    const verdict = item.interrupted ? 'interrupted' : (item.verdict ?? 'handed off');
    lines.push(`  ${item.plan.id}  ${verdict}  ${formatStatus(item.status)}${from}`);
  }
  for (const skipped of result.skipped) lines.push(`  ${skipped.plan.id}  skipped: ${skipped.reason}`);
  if (result.results.length === 0 && result.skipped.length === 0) lines.push('  no TODO plan to run.');
  return lines.join('\n');
}
