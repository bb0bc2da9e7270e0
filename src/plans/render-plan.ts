/** Render a Plan as a plan file: YAML front matter, then the CONTRACT sections in their fixed order. */
import { yaml } from '../core/yaml.ts';
import { executionData } from './front-matter.ts';
import { bullet, codeSpan, fenceFor, tableCell } from './markdown.ts';
import { DRIFT_EXPECT, formatStatus, type Plan, type PlanStatus } from './plan.ts';

/** Section headings, in the order CONTRACT fixes. */
export const PLAN_SECTIONS = [
  'Executor instructions',
  'Status',
  'Why this matters',
  'Current state',
  'Commands you will need',
  'Scope',
  'Git workflow',
  'Steps',
  'Test plan',
  'Done criteria',
  'STOP conditions',
  'Maintenance notes',
] as const;

export const ARROW = ' → ';

/** The fixed report format every executor ends with. */
export const REPORT_FORMAT = [
  'STATUS: DONE | STOPPED | BLOCKED',
  'STEPS COMPLETED: <step numbers>',
  'VERIFY RESULTS: <one line per step: command → what happened>',
  'FILES CHANGED: <paths>',
  'STOP REASON: <the STOP condition that applied, or none>',
  'NOTES: <anything the reviewer must know, or none>',
];

export function frontMatterOf(plan: Plan): Record<string, unknown> {
  const data: Record<string, unknown> = {
    id: plan.id,
    slug: plan.slug,
    title: plan.title,
    status: formatStatus(plan.status),
    priority: plan.priority,
    effort: plan.effort,
    risk: plan.risk,
    category: plan.category,
    depends_on: plan.dependsOn,
    planned_at: { sha: plan.plannedAt.sha, date: plan.plannedAt.date },
    scope: {
      in: plan.scope.in.map((entry) =>
        entry.create ? { path: entry.path, reason: entry.reason, create: true } : { ...entry },
      ),
      out: plan.scope.out.map((entry) => ({ path: entry.path, reason: entry.reason })),
    },
    done_criteria: plan.doneCriteria.map((criterion) => ({ run: criterion.run, expect: criterion.expect })),
    findings: plan.findings,
  };
  if (plan.issue) data.issue = plan.issue;
  if (plan.execution) data.execution = executionData(plan.execution);
  return data;
}

export function renderFrontMatter(plan: Plan): string {
  return `---\n${yaml().stringify(frontMatterOf(plan), { lineWidth: 0, minContentWidth: 0 })}---\n`;
}

function verifyLine(run: string, expect: string): string {
  return `${codeSpan(run)}${ARROW}${expect}`;
}

function executorInstructions(plan: Plan): string[] {
  const lines = [
    'You are carrying out this plan in a repository you have not seen before. Everything you need is in this file. Work like this:',
    '',
    '1. Read the whole plan before you change anything.',
    '2. Do the drift check below first. If it prints anything, fails, or (when it is unavailable) the quoted lines differ from the files, STOP: the code changed since this plan was written. Report that and change nothing.',
    '3. Do only the steps under **Steps**, in order. After each step run its **Verify** command and compare the result with the expected one before you go on.',
    '4. Change only the files listed under **In scope**. Never edit a file listed under **Out of scope**, and no other file either.',
    '5. If any of the **STOP conditions** applies, stop at once: do not work around it.',
    '6. When you finish or stop, report in exactly this format:',
    '',
    '```text',
    ...REPORT_FORMAT,
    '```',
    '',
  ];
  if (plan.driftCheck.command !== null) {
    lines.push(`**Drift check**: ${verifyLine(plan.driftCheck.command, DRIFT_EXPECT)}`);
    lines.push('', 'It compares the in-scope files with the commit this plan was written against.');
  } else {
    lines.push(`**Drift check**: unavailable — ${plan.driftCheck.reason}`);
    lines.push(
      '',
      'Instead, open each file under **Current state** and compare the quoted lines with the file by eye. If any line differs, STOP.',
    );
  }
  return lines;
}

function statusLines(status: PlanStatus): string[] {
  return [status.reason ? `**${status.state}** — ${status.reason}` : `**${status.state}**`];
}

function currentState(plan: Plan): string[] {
  if (plan.currentState.length === 0) {
    return ['No excerpt: this plan is about something the repository lacks, not about existing lines.'];
  }
  const lines: string[] = [];
  for (const excerpt of plan.currentState) {
    const fence = fenceFor(excerpt.excerpt);
    if (lines.length > 0) lines.push('');
    lines.push(codeSpan(`${excerpt.file}:${excerpt.startLine}-${excerpt.endLine}`), '');
    lines.push(`${fence}${excerpt.language}`, ...excerpt.excerpt.split('\n'), fence);
  }
  return lines;
}

function commands(plan: Plan): string[] {
  if (plan.commands.length === 0) {
    return [
      'This repository defines no install, build, test, lint, typecheck or format command. Do not invent one.',
    ];
  }
  return [
    '| purpose | command | expected |',
    '| --- | --- | --- |',
    ...plan.commands.map(
      (row) =>
        `| ${tableCell(row.purpose)} | ${tableCell(codeSpan(row.command))} | ${tableCell(row.expected)} |`,
    ),
  ];
}

function scope(plan: Plan): string[] {
  const lines = ['**In scope** (the only files you may change):', ''];
  for (const entry of plan.scope.in) {
    const created = entry.create ? (entry.path.endsWith('/') ? ' (new files only)' : ' (new file)') : '';
    lines.push(bullet(`${codeSpan(entry.path)}${created} — ${entry.reason}`));
  }
  lines.push('', '**Out of scope** (do not change):', '');
  for (const entry of plan.scope.out) lines.push(bullet(`${codeSpan(entry.path)} — ${entry.reason}`));
  return lines;
}

function steps(plan: Plan): string[] {
  const lines: string[] = [];
  plan.steps.forEach((step, index) => {
    if (index > 0) lines.push('');
    lines.push(`### Step ${index + 1}: ${step.title}`, '');
    if (step.detail !== '') lines.push(step.detail, '');
    lines.push(`**Verify**: ${verifyLine(step.verify.run, step.verify.expect)}`);
  });
  return lines;
}

function testPlan(plan: Plan): string[] {
  const { patternFile, note, cases } = plan.testPlan;
  // A plan about tests themselves (one that asserts nothing) changes tests in the file it cites.
  const citedTests =
    patternFile !== undefined && plan.currentState.some((excerpt) => excerpt.file === patternFile);
  const lines = [
    citedTests
      ? `**Pattern**: ${codeSpan(patternFile)} — the tests to fix are in this file (and any other file cited): follow the imports, helpers and assertion style of its other tests.`
      : patternFile
        ? `**Pattern**: ${codeSpan(patternFile)} — read it first and write the new test the same way: same imports, helpers, layout and assertion style.`
        : '**Pattern**: none — there is no test in this language here yet, so the first test you write sets the pattern: keep it small and plain.',
  ];
  if (note) lines.push('', `**Note**: ${note}`);
  if (cases.length > 0) lines.push('', 'Cases to cover:', '', ...cases.map((item) => bullet(item)));
  return lines;
}

function list(items: readonly string[], empty: string): string[] {
  return items.length > 0 ? items.map((item) => bullet(item)) : [empty];
}

/** Render a plan file. Same plan → same bytes. */
export function renderPlan(plan: Plan): string {
  const bodies: Record<(typeof PLAN_SECTIONS)[number], string[]> = {
    'Executor instructions': executorInstructions(plan),
    Status: statusLines(plan.status),
    'Why this matters': [plan.why],
    'Current state': currentState(plan),
    'Commands you will need': commands(plan),
    Scope: scope(plan),
    'Git workflow': list(plan.gitWorkflow, 'No git workflow: keep a list of every file you change.'),
    Steps: steps(plan),
    'Test plan': testPlan(plan),
    'Done criteria': plan.doneCriteria.map((c) => `- [ ] ${verifyLine(c.run, c.expect)}`),
    'STOP conditions': list(plan.stopConditions, 'None beyond the executor instructions.'),
    'Maintenance notes': list(plan.maintenance, 'None.'),
  };
  const out = [renderFrontMatter(plan), `# Plan ${plan.id}: ${plan.title}`];
  for (const heading of PLAN_SECTIONS) out.push('', `## ${heading}`, '', ...bodies[heading]);
  return `${out.join('\n')}\n`;
}
