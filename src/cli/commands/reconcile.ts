import { type Command, Option } from 'commander';
import { DEFAULT_CRITERIA_TIMEOUT_SECONDS } from '../../api/execute.ts';
import type { ReconcileAction, ReconcileEntry, ReconcileResult } from '../../api/reconcile.ts';
import { formatStatus } from '../../plans/plan.ts';
import { type CommandContext, parsePositiveInteger } from '../command-context.ts';
import { addModelOptions } from '../model-options.ts';
import type { ReconcileCommandOptions } from '../reconcile-command.ts';

const GROUPS: { title: string; actions: ReconcileAction[] }[] = [
  { title: 'verified', actions: ['verified'] },
  { title: 'regressed', actions: ['regressed'] },
  { title: 'refreshed', actions: ['refreshed'] },
  { title: 'rejected (fixed independently)', actions: ['rejected'] },
  { title: 'superseded (planned again for the code as it is now)', actions: ['superseded'] },
  { title: 'stale (the code changed; look at these)', actions: ['stale'] },
  { title: 'abandoned attempts', actions: ['abandoned'] },
  { title: 'blocked', actions: ['blocked'] },
  { title: 'executable now', actions: ['ready'] },
  { title: 'approved, waiting for you to merge', actions: ['not-merged'] },
  { title: 'done, nothing cheap to re-check', actions: ['unverifiable'] },
  { title: 'waiting', actions: ['waiting', 'running'] },
  { title: 'planned on another branch (not judged here)', actions: ['elsewhere'] },
];

function proposalLines(entry: ReconcileEntry): string[] {
  if (entry.proposal)
    return [
      `      proposed rewrite: ${entry.proposal.file}${entry.proposal.written ? '' : ' (from an earlier run)'}`,
    ];
  return entry.proposalNote ? [`      no rewrite proposed: ${entry.proposalNote}`] : [];
}

/** How to adopt or drop a proposal; or, without a planner, that one would propose rewrites. */
function proposalAdvice(result: ReconcileResult): string[] {
  const blocked = result.entries.filter((entry) => entry.action === 'blocked');
  const example = blocked.find((entry) => entry.proposal)?.proposal?.file;
  if (example) {
    const plan = example.replace(/\.proposed\.md$/, '.md');
    return [
      '',
      `A proposed rewrite changes nothing until you adopt it. Check it with \`improve review-plan ${example}\`, then move it over the plan (\`mv ${example} ${plan}\`: it is TODO and planned at HEAD) and run \`improve reconcile\` again to update the index. To drop it, delete the file.`,
    ];
  }
  if (blocked.length > 0 && !result.modelUsed)
    return [
      '',
      'With a planner model (--planner provider:model, or IMPROVE_PLANNER), reconcile would also propose a rewrite of each blocked plan.',
    ];
  return [];
}

/**
 * The new status after the title, and the line under it. A new status's reason usually holds the
 * detail (`stale: DETAIL; …`): then the title line names the status by its label (`→ TODO
 * (stale)`) and the line under it carries the rest of the reason, so nothing is said twice.
 */
function describeChange(entry: ReconcileEntry): { change: string; detail: string } {
  const status = entry.changedTo;
  if (!status) return { change: '', detail: entry.detail };
  const reason = status.reason ?? '';
  const colon = reason.indexOf(': ');
  if (colon < 0 || !reason.includes(entry.detail))
    return { change: ` → ${formatStatus(status)}`, detail: entry.detail };
  return {
    change: ` → ${status.state} (${reason.slice(0, colon)})`,
    detail: reason.slice(colon + 2),
  };
}

export function renderReconcile(result: ReconcileResult): string {
  const lines = [
    `Reconciled ${result.entries.length} plan(s) in ${result.plansRelative}/ against ${result.head.slice(0, 12)}:`,
  ];
  for (const group of GROUPS) {
    const entries = result.entries.filter((entry) => group.actions.includes(entry.action));
    if (entries.length === 0) continue;
    lines.push('', `${group.title} (${entries.length}):`);
    for (const entry of entries) {
      const { change, detail } = describeChange(entry);
      lines.push(`  ${entry.plan.id} ${entry.plan.title}${change}`, `      ${detail}`);
      lines.push(...proposalLines(entry));
    }
  }
  const count = (action: ReconcileAction) => result.entries.filter((entry) => entry.action === action).length;
  const proposed = result.entries.filter((entry) => entry.proposal?.written).length;
  lines.push(
    '',
    `Summary: ${count('verified')} verified, ${count('refreshed')} refreshed, ${count('rejected')} rejected, ${count('superseded') > 0 ? `${count('superseded')} superseded, ` : ''}${count('stale')} stale, ${count('abandoned')} abandoned, ${count('ready')} executable now.`,
  );
  if (proposed > 0) lines.push(`${proposed} rewrite(s) of blocked plans proposed.`);
  lines.push(...proposalAdvice(result));
  for (const problem of result.problems) lines.push(`note: ${problem}`);
  return lines.join('\n');
}

export function registerReconcile(program: Command, context: CommandContext): void {
  const command = program
    .command('reconcile')
    .description(
      'refresh the backlog: verify done plans, flag abandoned attempts, refresh or retire drifted plans; with a planner, propose rewrites of blocked plans',
    )
    .argument('[path]', 'the repository (default: the current directory)')
    .addOption(
      new Option(
        '--timeout <seconds>',
        `end a done criterion after this long (default ${DEFAULT_CRITERIA_TIMEOUT_SECONDS})`,
      ).argParser(parsePositiveInteger),
    )
    .option('--plans-dir <dir>', 'the plans folder, relative to the repository (default: plans/)')
    .option('-q, --quiet', 'print only the result')
    .option('-v, --verbose', 'print detail about each stage');
  addModelOptions(command, ['planner']).action(
    async (target: string | undefined, options: ReconcileCommandOptions) => {
      const { runReconcileCommand } = await import('../reconcile-command.ts');
      context.setExitCode(await runReconcileCommand(target, options, context.output));
    },
  );
}
