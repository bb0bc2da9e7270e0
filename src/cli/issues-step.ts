import type { AuditResult } from '../api/audit.ts';
import type { PublishIssuesResult } from '../api/publish-issues.ts';
import type { WrittenPlans } from '../api/write-plans.ts';
import { UsageError } from '../core/errors.ts';
import type { Plan } from '../plans/plan.ts';
import type { Output } from './output.ts';

export interface IssuesFlags {
  plans: boolean;
  issues?: boolean;
  yesPublic?: boolean;
}

/** Bad combinations of `--issues` and `--yes-public`, before any work is done. */
export function checkIssuesFlags(options: IssuesFlags): void {
  if (options.issues && !options.plans)
    throw new UsageError(
      '--issues publishes the plans a run writes, and --no-plans writes none',
      'Drop --no-plans, or drop --issues.',
    );
  if (options.yesPublic && !options.issues)
    throw new UsageError('--yes-public only applies to --issues', 'Add --issues, or drop --yes-public.');
}

function consent(
  options: IssuesFlags,
  output: Output,
): ((plans: readonly Plan[], repository: string) => Promise<boolean>) | undefined {
  if (options.yesPublic) return async () => true;
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  return async (plans, repository) => {
    output.endProgress();
    const { confirm } = await import('@inquirer/prompts');
    return confirm({
      message: `${repository} is public. Publish ${plans.length} security plan${plans.length === 1 ? '' : 's'} (${plans.map((p) => p.id).join(', ')}) as public issues? They say where the weakness is.`,
      default: false,
    });
  };
}

function report(result: PublishIssuesResult, output: Output, toStdout: boolean, asked: boolean): void {
  const say = (text: string) => (toStdout ? output.result(text) : output.info(text));
  const done = result.outcomes.filter((o) => 'url' in o);
  const missed = result.outcomes.filter((o) => o.status === 'failed' || o.status === 'held-back');
  if (done.length > 0) {
    say(
      `\nPublished ${done.length} plan${done.length === 1 ? '' : 's'} as issues of ${result.repository ?? 'GitHub'}:`,
    );
    for (const outcome of done)
      if ('url' in outcome) say(`  ${outcome.planId}  ${outcome.status.padEnd(9)}  ${outcome.url}`);
  }
  for (const note of result.notes) output.warn(note);
  if (missed.length === 0) return;
  output.warn(
    `${missed.length} plan${missed.length === 1 ? ' was' : 's were'} not published as issues (the plan files are written):`,
  );
  for (const outcome of missed)
    if ('reason' in outcome) output.warn(`  ${outcome.planId}  ${outcome.status}: ${outcome.reason}`);
  if (!asked && missed.some((o) => o.status === 'held-back'))
    output.warn('  to publish them anyway, run on a terminal and confirm, or pass --yes-public');
}

/** `--issues`: publish the plans this run wrote. Returns 3 when nothing could be published at all. */
export async function publishStep(
  result: AuditResult,
  written: WrittenPlans,
  options: IssuesFlags,
  output: Output,
  machineOnStdout: boolean,
): Promise<number> {
  if (written.plans.length === 0) {
    output.info('--issues: no plan was written this run, so there is nothing to publish.');
    return 0;
  }
  output.progress(`publishing ${written.plans.length} plans as GitHub issues…`);
  const confirmPublic = consent(options, output);
  // Loaded on use: the GitHub client is only needed with --issues.
  const { publishIssues } = await import('../api/publish-issues.ts');
  const published = await publishIssues({
    root: result.root,
    plansDir: { dir: result.plans.dir, relative: result.plans.relative },
    plans: written.plans,
    ...(confirmPublic ? { confirmPublic } : {}),
  });
  output.endProgress();
  report(published, output, !machineOnStdout, confirmPublic !== undefined && !options.yesPublic);
  return published.nothingPublished ? 3 : 0;
}
