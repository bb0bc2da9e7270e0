/**
 * Find the project, its plans folder and a plan from what the user typed: a PATH for `status` and
 * `reconcile`, a plan number (`3`, `003`) or a plan file path for `execute` and `review`.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { openProject, type Project } from '../execute/workspace.ts';
import { probeGit } from '../git/git.ts';
import { formatPlanId, type Plan } from '../plans/plan.ts';
import { choosePlansDir, type LoadedPlans, loadPlans } from '../plans/store.ts';

export interface PlanContext {
  project: Project;
  /** Absolute. */
  plansDir: string;
  /** Relative to the project root, for messages (e.g. `plans`). */
  plansRelative: string;
  loaded: LoadedPlans;
}

export interface LocateOptions {
  /** Where the command runs (default: the current directory). */
  cwd?: string;
  /** `--plans-dir`, relative to the project root. */
  plansDir?: string;
}

async function projectAt(dir: string, command: string): Promise<Project> {
  const probe = await probeGit(dir);
  if (probe.kind === 'not-installed') throw probe.error;
  if (probe.kind === 'not-a-repository') {
    throw new UsageError(
      `${dir} is not inside a git repository: improve ${command} needs one (attempts run in git worktrees).`,
      'Run it inside the repository you audited; for a new project, `git init` and commit first.',
    );
  }
  if (!(await probe.git.head())) {
    throw new UsageError(
      `the repository at ${probe.git.root} has no commit yet`,
      'Commit your work first: attempts start from a commit.',
    );
  }
  return openProject(probe.git, realpathSync(dir));
}

function hasPlans(root: string, plansDir?: string): boolean {
  return existsSync(choosePlansDir(root, plansDir).dir);
}

/** The project at PATH (default: the current directory, or its repository's top level). */
export async function openPlanContext(
  target: string | undefined,
  options: LocateOptions,
  command: string,
): Promise<PlanContext> {
  const cwd = options.cwd ?? process.cwd();
  const dir = path.resolve(cwd, target ?? '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(
      `${dir} is not a directory`,
      'Pass the folder you audited (default: the current one).',
    );
  }
  let project = await projectAt(dir, command);
  if (target === undefined && !hasPlans(dir, options.plansDir) && project.top !== dir) {
    if (hasPlans(project.top, options.plansDir)) project = await openProject(project.git, project.top);
  }
  const chosen = choosePlansDir(project.root, options.plansDir);
  return { project, plansDir: chosen.dir, plansRelative: chosen.relative, loaded: loadPlans(chosen.dir) };
}

export interface LocatedPlan extends PlanContext {
  plan: Plan;
  /** The plan file, absolute. */
  file: string;
}

function findPlan(context: PlanContext, number: number): LocatedPlan {
  const id = formatPlanId(number);
  const name = context.loaded.files.get(number);
  const plan = context.loaded.plans.find((item) => item.number === number);
  if (name !== undefined && plan) return { ...context, plan, file: path.join(context.plansDir, name) };
  if (name !== undefined) {
    const problem = context.loaded.problems.find((item) => item.startsWith(name)) ?? `${name} cannot be read`;
    throw new UsageError(problem, 'Fix the plan file by hand, or delete it and plan again.');
  }
  const known = context.loaded.plans.map((item) => item.id);
  throw new UsageError(
    `no plan ${id} in ${context.plansRelative}/`,
    known.length > 0
      ? `Plans here: ${known.join(', ')}. \`improve status\` lists them.`
      : 'There are no plans here yet: run `improve` to audit and plan first.',
  );
}

/** Resolve PLAN (a number, or a plan file path) to its project, plans folder and parsed plan. */
export async function locatePlan(ref: string, options: LocateOptions, command: string): Promise<LocatedPlan> {
  const cwd = options.cwd ?? process.cwd();
  if (/^\d{1,6}$/.test(ref)) {
    return findPlan(await openPlanContext(undefined, options, command), Number(ref));
  }
  const file = path.resolve(cwd, ref);
  const match = /^(\d{3,})-[a-z0-9-]+\.md$/.exec(path.basename(file));
  if (!match?.[1] || !existsSync(file)) {
    throw new UsageError(
      `PLAN must be a plan number (3 or 003) or an existing plan file such as plans/003-slug.md; got "${ref}"`,
    );
  }
  const plansDir = path.dirname(file);
  const root = path.dirname(plansDir);
  const project = await projectAt(root, command);
  const context: PlanContext = {
    project,
    plansDir,
    plansRelative: path.relative(root, plansDir) || '.',
    loaded: loadPlans(plansDir),
  };
  return findPlan(context, Number(match[1]));
}
