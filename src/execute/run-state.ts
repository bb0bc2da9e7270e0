/**
 * The run state of an attempt, in `.git/improve/runs/NNN-slug.json`: which process works on it, in
 * which phase. A crash or Ctrl-C leaves the state behind; a dead pid is how `reconcile` and
 * `status` tell an abandoned attempt from a live one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { hasErrorCode } from '../core/errors.ts';
import type { Plan } from '../plans/plan.ts';
import type { VerdictKind } from './types.ts';
import { attemptName, type Project, runsDir } from './workspace.ts';

export type RunPhase = 'executing' | 'reviewing' | 'handed-off' | 'finished' | 'interrupted';

export interface RunState {
  plan: string;
  executor: string;
  branch: string;
  /** Absolute. */
  worktree: string;
  base: string;
  startedFrom?: string;
  phase: RunPhase;
  round: number;
  pid: number;
  host: string;
  verdict?: VerdictKind;
}

function statePath(project: Project, plan: Pick<Plan, 'id' | 'slug'>): string {
  return path.join(runsDir(project), `${attemptName(plan)}.json`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readRunState(project: Project, plan: Pick<Plan, 'id' | 'slug'>): RunState | undefined {
  const file = statePath(project, plan);
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(data) || typeof data.branch !== 'string' || typeof data.worktree !== 'string')
    return undefined;
  const text = (key: string) => (typeof data[key] === 'string' ? data[key] : '');
  const phases: readonly RunPhase[] = ['executing', 'reviewing', 'handed-off', 'finished', 'interrupted'];
  const state: RunState = {
    plan: text('plan'),
    executor: text('executor'),
    branch: data.branch,
    worktree: data.worktree,
    base: text('base'),
    phase: phases.find((phase) => phase === data.phase) ?? 'interrupted',
    round: typeof data.round === 'number' ? data.round : 1,
    pid: typeof data.pid === 'number' ? data.pid : 0,
    host: text('host'),
  };
  if (text('startedFrom') !== '') state.startedFrom = text('startedFrom');
  const verdict = data.verdict;
  if (verdict === 'APPROVE' || verdict === 'REVISE' || verdict === 'BLOCK') state.verdict = verdict;
  return state;
}

export function writeRunState(project: Project, plan: Pick<Plan, 'id' | 'slug'>, state: RunState): void {
  writeFileAtomic.sync(statePath(project, plan), `${JSON.stringify(state, null, 2)}\n`);
}

/** A new state for this process. */
export function newRunState(fields: Omit<RunState, 'pid' | 'host' | 'phase' | 'round'>): RunState {
  return { ...fields, phase: 'executing', round: 1, pid: process.pid, host: hostname() };
}

function pidAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return hasErrorCode(error, 'EPERM');
  }
}

/** Whether a process on this machine is still working on the attempt. */
export function isLive(state: RunState | undefined): boolean {
  if (!state || (state.phase !== 'executing' && state.phase !== 'reviewing')) return false;
  return state.host === hostname() && pidAlive(state.pid);
}
