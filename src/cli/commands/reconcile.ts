import { type Command, Option } from 'commander';
import { DEFAULT_CRITERIA_TIMEOUT_SECONDS } from '../../api/execute.ts';
import { type ReconcileAction, type ReconcileResult, reconcile } from '../../api/reconcile.ts';
import { formatStatus } from '../../plans/plan.ts';
import { type CommandContext, parsePositiveInteger } from '../command-context.ts';
import { interruptSignal } from '../interrupt.ts';

const GROUPS: { title: string; actions: ReconcileAction[] }[] = [
  { title: 'verified', actions: ['verified'] },
  { title: 'regressed', actions: ['regressed'] },
  { title: 'refreshed', actions: ['refreshed'] },
  { title: 'rejected (fixed independently)', actions: ['rejected'] },
  { title: 'stale (the code changed; look at these)', actions: ['stale'] },
  { title: 'abandoned attempts', actions: ['abandoned'] },
  { title: 'blocked', actions: ['blocked'] },
  { title: 'executable now', actions: ['ready'] },
  { title: 'approved, waiting for you to merge', actions: ['not-merged'] },
  { title: 'done, nothing cheap to re-check', actions: ['unverifiable'] },
  { title: 'waiting', actions: ['waiting', 'running'] },
];

export function renderReconcile(result: ReconcileResult): string {
  const lines = [
    `Reconciled ${result.entries.length} plan(s) in ${result.plansRelative}/ against ${result.head.slice(0, 12)}:`,
  ];
  for (const group of GROUPS) {
    const entries = result.entries.filter((entry) => group.actions.includes(entry.action));
    if (entries.length === 0) continue;
    lines.push('', `${group.title} (${entries.length}):`);
    for (const entry of entries) {
      const changed = entry.changedTo ? ` → ${formatStatus(entry.changedTo)}` : '';
      lines.push(`  ${entry.plan.id} ${entry.plan.title}${changed}`, `      ${entry.detail}`);
    }
  }
  const count = (action: ReconcileAction) => result.entries.filter((entry) => entry.action === action).length;
  lines.push(
    '',
    `Summary: ${count('verified')} verified, ${count('refreshed')} refreshed, ${count('rejected')} rejected, ${count('stale')} stale, ${count('abandoned')} abandoned, ${count('ready')} executable now.`,
  );
  for (const problem of result.problems) lines.push(`note: ${problem}`);
  return lines.join('\n');
}

export function registerReconcile(program: Command, context: CommandContext): void {
  program
    .command('reconcile')
    .description(
      'refresh the backlog: verify done plans, flag abandoned attempts, refresh or retire drifted plans',
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
    .option('-v, --verbose', 'print detail about each stage')
    .action(async (target: string | undefined, options: { timeout?: number; plansDir?: string }) => {
      const interrupt = interruptSignal(context.output);
      try {
        context.output.progress('reconciling…');
        const result = await reconcile(target, {
          ...(options.timeout ? { criteriaTimeoutSeconds: options.timeout } : {}),
          ...(options.plansDir ? { plansDir: options.plansDir } : {}),
          signal: interrupt.signal,
        });
        context.output.endProgress();
        context.output.result(renderReconcile(result));
        context.setExitCode(interrupt.signal.aborted ? 130 : 0);
      } finally {
        interrupt.dispose();
      }
    });
}
