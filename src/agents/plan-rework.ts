/**
 * What the plan rewriter (`reconcile`, for BLOCKED plans) and the plan fixer (`review-plan --fix`)
 * share: the rules a reworked draft follows, the in-scope code shown as data, the finding a plan
 * stands for (so that the plan writer's code checks apply unchanged), and merging a checked draft
 * into the plan while keeping what the draft may not change.
 */
import type { Finding, Impact } from '../core/types.ts';
import { uniqueBy } from '../core/unique-by.ts';
import type { Plan, PlanStatus, ScopeOut } from '../plans/plan.ts';
import { fenceLanguage, shellQuote } from '../plans/repo-facts.ts';
import { asData, numbered } from './prompt-data.ts';
import { normalisePath } from './repo-tools.ts';
import type { PlanDraft } from './schemas.ts';
import { isSensitivePath } from './sensitive-path.ts';

/** The rules of the draft (the plan writer's, for a whole plan), then its JSON shape. */
export const DRAFT_RULES = [
  'Rules improve enforces (an answer that breaks one is sent back once with the reasons, then dropped):',
  '- currentState: each excerpt is the exact text of the file at those lines, as shown in the code below, without the line-number prefixes.',
  '- Every command (each step’s verify.run and each doneCriteria run) is one of the allowed commands, exactly, or several joined with " && ". You may also use `test -f PATH` for an in-scope path.',
  '- Every step ends with verify {run, expect}. expect is `exit 0`, `exit N`, `stdout contains "TEXT"`, `stdout empty` or `stdout matches /RE/`, joined with " and ".',
  '- scopeIn paths exist in the repository unless marked "create": true.',
  '- At least one done criterion must fail while the problem is there and pass once it is fixed; a criterion that passes before any change proves nothing.',
  '- The plan is read by a weak executor with no other context: never refer to a conversation, an audit or "the above"; say everything in the plan.',
  '- steps is the complete list, in order: the first step confirms the current state, the last runs the full verification.',
  '',
  'Answer with one JSON object and nothing else:',
  '{"title": "imperative title", "why": "why this matters, for someone new to the code", "currentState": [{"file": "path", "startLine": 1, "endLine": 4, "excerpt": "exact lines"}], "scopeIn": [{"path": "path", "reason": "why it changes", "create": false}], "scopeOut": [{"path": "path", "reason": "why not"}], "steps": [{"title": "…", "detail": "exactly what to do", "verify": {"run": "allowed command", "expect": "exit 0"}}], "testCases": ["…"], "doneCriteria": [{"run": "allowed command", "expect": "exit 0"}], "stopConditions": ["…"], "maintenance": ["…"]}',
].join('\n');

const MAX_FILE_LINES = 300;
const MAX_TOTAL_LINES = 1500;

/**
 * The in-scope files as numbered, redacted repository data (sensitive files and folders named,
 * never shown). `lines` reads a file's redacted lines, or undefined when it does not exist.
 */
export function inScopeCode(
  plan: Pick<Plan, 'scope'>,
  lines: (file: string) => readonly string[] | undefined,
): string[] {
  const out: string[] = [];
  let budget = MAX_TOTAL_LINES;
  for (const entry of plan.scope.in) {
    const file = normalisePath(entry.path);
    if (file === undefined || file === '') continue;
    if (isSensitivePath(file)) {
      out.push(`- ${file}: may hold credentials, never shown to a model`);
      continue;
    }
    const text = file.endsWith('/') ? undefined : lines(file);
    if (!text) {
      out.push(`- ${file}: ${file.endsWith('/') ? 'a folder' : 'does not exist yet'}`);
      continue;
    }
    const shown = text.slice(0, Math.max(0, Math.min(MAX_FILE_LINES, budget)));
    budget -= shown.length;
    const cut = shown.length < text.length ? ` (first ${shown.length} of ${text.length} lines)` : '';
    out.push(asData(numbered(shown, 1), { source: file, note: `in scope${cut}` }));
  }
  return out;
}

const IMPACT: Record<Plan['priority'], Impact> = { P1: 'HIGH', P2: 'MED', P3: 'LOW' };

/**
 * The finding a plan stands for, for the plan writer's checks: its first quoted file is the file
 * the plan is about (it must stay in scope while it exists), and its commands are allowed.
 */
export function findingForPlan(plan: Plan, message: string, existing: readonly string[]): Finding {
  const primary = plan.currentState.find((excerpt) => existing.includes(excerpt.file));
  return {
    id: plan.findings[0] ?? `plan-${plan.id}`,
    ruleId: 'plan/rework',
    category: plan.category,
    title: plan.title,
    message,
    evidence: primary
      ? [
          {
            file: primary.file,
            startLine: primary.startLine,
            endLine: primary.endLine,
            excerpt: primary.excerpt,
          },
        ]
      : [],
    impact: IMPACT[plan.priority],
    effort: plan.effort,
    risk: plan.risk,
    riskReason: 'as the plan describes',
    confidence: 'MED',
    fixSketch: message,
  };
}

/** Paragraphs of the old "Why" that later runs and readers rely on (impact, rule, rewrite note): kept. */
function provenance(why: string, draftWhy: string): string[] {
  return why
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(
      (part) =>
        /^(?:Impact \w+, confidence \w+|Found by rule `|Rewritten by `improve reconcile`)/.test(part) &&
        !draftWhy.includes(part),
    );
}

function rails(own: readonly string[], drafted: readonly string[], keep: boolean | undefined): string[] {
  if (keep) return uniqueBy([...own, ...drafted], (item) => item);
  return drafted.length > 0 ? [...drafted] : [...own];
}

export interface ReworkChange {
  /** A new planned-at commit and date (reconcile's rewrite); default: the plan's. */
  plannedAt?: Plan['plannedAt'];
  /** Default: the plan's. */
  status?: PlanStatus;
  /** Drop the execution record (a rewrite has not been executed). */
  dropExecution?: boolean;
  /** A paragraph added to "Why this matters" (what happened to the plan). */
  note?: string;
  /** Add the draft's STOP conditions and maintenance notes to the plan's instead of replacing them. */
  keepRails?: boolean;
}

/**
 * The plan with a checked draft's content: title, why, excerpts, scope, steps, tests, done
 * criteria, STOP conditions and maintenance notes (added to the plan's with `keepRails`, else
 * replacing them when the draft has any). Everything else is the plan's (id, slug, status,
 * priority, dependencies, findings, issue, commands, git workflow), and the drift check follows
 * the new in-scope list.
 */
export function applyRework(plan: Plan, draft: PlanDraft, change: ReworkChange = {}): Plan {
  const scopeIn = uniqueBy(draft.scopeIn, (entry) => entry.path);
  const inPaths = new Set(scopeIn.map((entry) => entry.path));
  const catchAll = plan.scope.out.filter((entry) => entry.path === '**');
  const scopeOut: ScopeOut[] = uniqueBy(
    [...draft.scopeOut, ...plan.scope.out.filter((entry) => entry.path !== '**'), ...catchAll].filter(
      (entry) => !inPaths.has(entry.path),
    ),
    (entry) => entry.path,
  );
  const plannedAt = change.plannedAt ?? plan.plannedAt;
  const why = [draft.why, change.note ?? '', ...provenance(plan.why, draft.why)].filter(
    (part) => part !== '',
  );
  const reworked: Plan = {
    ...plan,
    title: draft.title,
    status: change.status ?? plan.status,
    plannedAt,
    why: why.join('\n\n'),
    currentState: draft.currentState.map((item) => ({ ...item, language: fenceLanguage(item.file) })),
    scope: { in: scopeIn, out: scopeOut },
    steps: draft.steps.map((step) => ({ title: step.title, detail: step.detail, verify: step.verify })),
    testPlan: { ...plan.testPlan, cases: draft.testCases.length > 0 ? draft.testCases : plan.testPlan.cases },
    doneCriteria: uniqueBy(draft.doneCriteria, (criterion) => criterion.run),
    stopConditions: rails(plan.stopConditions, draft.stopConditions, change.keepRails),
    maintenance: rails(plan.maintenance, draft.maintenance, change.keepRails),
    driftCheck: plannedAt.sha
      ? {
          command: `git diff --stat ${plannedAt.sha} -- ${scopeIn.map((entry) => shellQuote(entry.path)).join(' ')}`,
        }
      : plan.driftCheck,
  };
  if (change.dropExecution) delete reworked.execution;
  return reworked;
}
