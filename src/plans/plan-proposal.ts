/**
 * Model-written replacements for plan files, kept apart from what the user owns. A rewrite that
 * `reconcile` proposes for a BLOCKED plan is written next to it as `NNN-slug.proposed.md`: the
 * store never loads that name as a plan, so nothing runs it until the user moves it over the plan
 * file. `review-plan --fix` replaces a plan file only when nobody changed it meanwhile. Both
 * write atomically under the plans folder's lock.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { UsageError } from '../core/errors.ts';
import { parsePlan } from './parse-plan.ts';
import { formatPlanId, type Plan } from './plan.ts';
import { renderPlan } from './render-plan.ts';
import { loadPlans, rewritePlan, withLock } from './store.ts';

const PROPOSAL_SUFFIX = '.proposed.md';

/** `003-fix-empty-catch.proposed.md`. */
export function proposalFileName(plan: Pick<Plan, 'id' | 'slug'>): string {
  return `${plan.id}-${plan.slug}${PROPOSAL_SUFFIX}`;
}

export interface ProposalWrite {
  /** The proposal's file name in the plans folder. */
  name: string;
  /** False when a proposal for this plan was already there (it is kept as it is). */
  written: boolean;
}

/** Write `plan` as the proposal for its plan file, unless one is already there. */
export function writeProposal(dir: string, plan: Plan, options: { waitMs?: number } = {}): ProposalWrite {
  if (plan.id !== formatPlanId(plan.number) || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(plan.slug))
    throw new UsageError(`Plan ${plan.id} (${plan.slug}) has a bad id or slug; no proposal was written.`);
  const name = proposalFileName(plan);
  const text = renderPlan(plan);
  parsePlan(text, name);
  return withLock(
    dir,
    () => {
      const file = path.join(dir, name);
      if (existsSync(file)) return { name, written: false };
      writeFileAtomic.sync(file, text);
      return { name, written: true };
    },
    options.waitMs,
  );
}

export type ReplaceOutcome = { written: true } | { written: false; reason: string };

const CHANGED = 'the file changed while the model was working; nothing was written (run the command again)';

/**
 * Replace a plan file's text with `text`, provided it still reads `expected`. A numbered plan of
 * its folder goes through the store (its index row follows); any other plan file (a proposal, a
 * plan outside a plans folder) is written on its own, under the same lock.
 */
export function replacePlanFile(
  file: string,
  expected: string,
  text: string,
  options: { waitMs?: number } = {},
): ReplaceOutcome {
  const dir = path.dirname(file);
  const name = path.basename(file);
  parsePlan(text, name);
  const number = /^(\d{3,})-[a-z0-9-]+\.md$/.exec(name)?.[1];
  if (number !== undefined && loadPlans(dir).files.get(Number(number)) === name) {
    let changed = false;
    rewritePlan(
      dir,
      number,
      (current) => {
        if (current === expected) return text;
        changed = true;
        return current;
      },
      options,
    );
    return changed ? { written: false, reason: CHANGED } : { written: true };
  }
  return withLock(
    dir,
    (): ReplaceOutcome => {
      if (!existsSync(file) || readFileSync(file, 'utf8') !== expected)
        return { written: false, reason: CHANGED };
      writeFileAtomic.sync(file, text);
      return { written: true };
    },
    options.waitMs,
  );
}
