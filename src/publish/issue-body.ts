/**
 * The GitHub issue a plan becomes: the plan's own markdown (without its front matter) under a
 * short header, and hidden markers that let a later run find the issue again instead of opening a
 * duplicate: `<!-- improve:plan-id NNN -->` and one `<!-- improve:finding F-… -->` per finding.
 */
import { redactText } from '../core/redact.ts';
import { codeSpan } from '../plans/markdown.ts';
import { type Plan, planFileName } from '../plans/plan.ts';
import { renderPlan } from '../plans/render-plan.ts';

/** GitHub refuses bodies over 65,536 characters; leave room for the header. */
const MAX_BODY = 60_000;
const MAX_TITLE = 256;

export interface IssueMarkers {
  planId?: string;
  findings: string[];
}

export function issueTitle(plan: Plan): string {
  const title = redactText(plan.title).replace(/\s+/g, ' ').trim();
  return title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title;
}

function withoutFrontMatter(markdown: string): string {
  const lines = markdown.split('\n');
  const close = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
  return lines
    .slice(close + 1)
    .join('\n')
    .trim();
}

/** The issue body for a plan written to `plansDir` (repo-relative, e.g. `plans`). */
export function issueBody(plan: Plan, plansDir: string): string {
  const markers = [
    `<!-- improve:plan-id ${plan.id} -->`,
    ...plan.findings.map((finding) => `<!-- improve:finding ${finding} -->`),
  ];
  const file = `${plansDir.replace(/\/+$/, '')}/${planFileName(plan)}`;
  const header = `> Plan ${plan.id} from [improve](https://www.npmjs.com/package/improve) · ${plan.category} · priority ${plan.priority} · effort ${plan.effort} · risk ${plan.risk}. The plan file ${codeSpan(file)} is the source of truth; this issue mirrors it.`;
  let planText = redactText(withoutFrontMatter(renderPlan(plan)));
  if (planText.length > MAX_BODY) {
    planText = `${planText.slice(0, MAX_BODY)}\n\n…(truncated: the full plan is in ${codeSpan(file)})`;
  }
  return `${markers.join('\n')}\n\n${header}\n\n${planText}\n`;
}

/** The markers in an issue body (of any issue: it may not be ours). */
export function readMarkers(body: string | null | undefined): IssueMarkers {
  const text = body ?? '';
  const planId = /<!--\s*improve:plan-id\s+(\d+)\s*-->/.exec(text)?.[1];
  const findings = [...text.matchAll(/<!--\s*improve:finding\s+(F-[0-9a-f]+)\s*-->/g)].map((m) => m[1] ?? '');
  return planId === undefined ? { findings } : { planId, findings };
}

/** Whether an issue with these markers is the published form of `plan`. */
export function isIssueOf(markers: IssueMarkers, plan: Plan): boolean {
  if (plan.findings.length > 0) {
    const ours = new Set(plan.findings);
    return markers.findings.length === ours.size && markers.findings.every((id) => ours.has(id));
  }
  return markers.findings.length === 0 && markers.planId === plan.id;
}
