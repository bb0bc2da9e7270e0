import type { RepoDetector } from '../types.ts';
import { directionSignals } from './direction-signals.ts';

/** A word that keeps coming back in TODO comments across files: work the team keeps deferring. */
export const todoTheme: RepoDetector = {
  id: 'direction/todo-theme',
  category: 'direction',
  scope: 'repo',
  branchReads: 'scope',
  title: 'Recurring theme in TODO comments',
  description:
    'Several TODO comments in different files ask for the same thing. The team has noticed the same gap repeatedly and deferred it each time; addressing it as one piece of work is a natural next step.',
  impact: 'MED',
  effort: 'M',
  risk: 'MED',
  riskReason: 'Doing deferred work changes behaviour in several files at once.',
  confidence: 'MED',
  fixSketch:
    'Read every TODO that names the theme, write down the one capability they all ask for, and plan it as a single change with its own tests; remove the TODOs it resolves.',
  steps: [
    'List every TODO/FIXME comment mentioning the theme word, with file and line.',
    'Group them by what they ask for and write a one-paragraph description of the shared capability.',
    'Implement it in one place, with tests, and replace each TODO with a call to it (or delete the TODO when it no longer applies).',
    'Run the test command; it must pass.',
  ],
  check(context) {
    return directionSignals(context)
      .filter((signal) => signal.kind === 'todo-theme')
      .map((signal) => signal.finding);
  },
};
