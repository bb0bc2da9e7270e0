import type { RepoDetector } from '../types.ts';
import { directionSignals } from './direction-signals.ts';

/** Unchecked roadmap items and "coming soon" statements: the maintainers' own next steps. */
export const unfinishedPromise: RepoDetector = {
  id: 'direction/unfinished-promise',
  category: 'direction',
  scope: 'repo',
  branchReads: 'files',
  title: 'Promised work not done yet',
  description:
    'The README or roadmap lists work as not done yet (unchecked task items, "coming soon", "not yet implemented"). These are the maintainers’ own stated next steps, and users read them as commitments.',
  impact: 'MED',
  effort: 'M',
  risk: 'MED',
  riskReason: 'Delivering a promised feature adds behaviour; removing a stale promise changes only docs.',
  confidence: 'MED',
  fixSketch:
    'Pick the cited item that matters most to users, plan it as a feature with tests, and tick it off; delete items that are no longer intended.',
  steps: [
    'Read the cited items and, for each, check the code: is it already done (tick it), abandoned (remove it) or still open?',
    'For the open item the README presents most prominently, write down its expected behaviour and implement it with tests.',
    'Update the document: tick the item and describe how to use the new feature.',
    'Run the test command; it must pass.',
  ],
  check(context) {
    return directionSignals(context)
      .filter((signal) => signal.kind === 'unfinished-promise')
      .map((signal) => signal.finding);
  },
};
