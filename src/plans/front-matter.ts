/** Read and validate a plan file's YAML front matter. The front matter is authoritative. */
import { UsageError } from '../core/errors.ts';
import { CATEGORIES, type Category, type Effort, type Risk } from '../core/types.ts';
import { yaml } from '../core/yaml.ts';
import { parseExpect } from './expect.ts';
import {
  type DoneCriterion,
  formatPlanId,
  type Plan,
  type PlanExecution,
  type Priority,
  parseStatus,
  type ScopeIn,
  type ScopeOut,
} from './plan.ts';

/** The structured part of a Plan: everything the front matter carries. */
export type PlanHeader = Pick<
  Plan,
  | 'id'
  | 'number'
  | 'slug'
  | 'title'
  | 'status'
  | 'priority'
  | 'effort'
  | 'risk'
  | 'category'
  | 'dependsOn'
  | 'plannedAt'
  | 'scope'
  | 'doneCriteria'
  | 'findings'
  | 'issue'
  | 'execution'
>;

const HINT = 'Fix the front matter by hand, or delete the file and re-run `improve` to plan it again.';

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Split `---` front matter from the body. Line numbers in errors are the file's own. */
export function splitFrontMatter(markdown: string, file: string): { data: Fields; body: string[] } {
  const lines = markdown.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') {
    throw new UsageError(
      `${file}: no front matter (the file must start with a "---" line, then YAML).`,
      HINT,
    );
  }
  const close = lines.findIndex(
    (line, index) => index > 0 && (line.trim() === '---' || line.trim() === '...'),
  );
  if (close < 0) throw new UsageError(`${file}: front matter is not closed by a "---" line.`, HINT);
  const document = yaml().parseDocument(lines.slice(1, close).join('\n'), { prettyErrors: true });
  const error = document.errors[0];
  if (error) {
    const line = (error.linePos?.[0]?.line ?? 0) + 1;
    const what = error.message.split('\n')[0] ?? error.message;
    throw new UsageError(`${file}: bad YAML in front matter at line ${line}: ${what}`, HINT);
  }
  const data: unknown = document.toJS();
  if (!isRecord(data)) throw new UsageError(`${file}: front matter is not a YAML mapping.`, HINT);
  return { data, body: lines.slice(close + 1) };
}

function fieldError(file: string, field: string, what: string): UsageError {
  return new UsageError(`${file}: front matter field "${field}" ${what}.`, HINT);
}

function text(data: Fields, field: string, file: string, label = field): string {
  const value = data[field];
  if (value === undefined || value === null) throw fieldError(file, label, 'is missing');
  if (typeof value !== 'string' && typeof value !== 'number') throw fieldError(file, label, 'must be text');
  return String(value);
}

function oneOf<T extends string>(data: Fields, field: string, file: string, allowed: readonly T[]): T {
  const value = text(data, field, file);
  const found = allowed.find((item) => item === value);
  if (found === undefined)
    throw fieldError(file, field, `must be one of ${allowed.join(', ')} (got "${value}")`);
  return found;
}

function list(data: Fields, field: string, file: string, required: boolean): unknown[] {
  const value = data[field];
  if (value === undefined || value === null) {
    if (required) throw fieldError(file, field, 'is missing');
    return [];
  }
  if (!Array.isArray(value)) throw fieldError(file, field, 'must be a list');
  return value;
}

function records(data: Fields, field: string, file: string, required: boolean): Fields[] {
  return list(data, field, file, required).map((item, index) => {
    if (!isRecord(item)) throw fieldError(file, `${field}[${index}]`, 'must be a mapping');
    return item;
  });
}

function ids(data: Fields, field: string, file: string): string[] {
  return list(data, field, file, false).map((item, index) => {
    if (typeof item === 'number') return formatPlanId(item);
    if (typeof item !== 'string') throw fieldError(file, `${field}[${index}]`, 'must be text');
    return item;
  });
}

function scopeOf(data: Fields, file: string): { in: ScopeIn[]; out: ScopeOut[] } {
  const scope = data.scope;
  if (!isRecord(scope))
    throw fieldError(file, 'scope', scope === undefined ? 'is missing' : 'must be a mapping');
  const inScope = records(scope, 'in', file, true).map((entry, index): ScopeIn => {
    const item: ScopeIn = {
      path: text(entry, 'path', file, `scope.in[${index}].path`),
      reason: text(entry, 'reason', file, `scope.in[${index}].reason`),
    };
    if (entry.create === true) item.create = true;
    return item;
  });
  const outScope = records(scope, 'out', file, false).map(
    (entry, index): ScopeOut => ({
      path: text(entry, 'path', file, `scope.out[${index}].path`),
      reason: text(entry, 'reason', file, `scope.out[${index}].reason`),
    }),
  );
  return { in: inScope, out: outScope };
}

function criteria(data: Fields, file: string): DoneCriterion[] {
  return records(data, 'done_criteria', file, true).map((entry, index) => {
    const run = text(entry, 'run', file, `done_criteria[${index}].run`);
    const expect = text(entry, 'expect', file, `done_criteria[${index}].expect`);
    try {
      parseExpect(expect);
    } catch {
      throw fieldError(file, `done_criteria[${index}].expect`, `is not machine-checkable: ${expect}`);
    }
    return { run, expect };
  });
}

/**
 * The optional `execution` mapping (branch, worktree, base, executor, started_from). Read
 * tolerantly: a hand-damaged value is treated as absent rather than making the plan unreadable.
 */
function executionOf(data: Fields): PlanExecution | undefined {
  const value = data.execution;
  if (!isRecord(value)) return undefined;
  const { branch, worktree, base, executor } = value;
  if (typeof branch !== 'string' || typeof worktree !== 'string' || typeof base !== 'string')
    return undefined;
  const execution: PlanExecution = {
    branch,
    worktree,
    base,
    executor: typeof executor === 'string' ? executor : 'unknown',
  };
  if (typeof value.started_from === 'string' && value.started_from !== '')
    execution.startedFrom = value.started_from;
  return execution;
}

/** The front matter form of an execution record (snake_case keys, optional ones omitted). */
export function executionData(execution: PlanExecution): Record<string, string> {
  const data: Record<string, string> = {
    branch: execution.branch,
    worktree: execution.worktree,
    base: execution.base,
    executor: execution.executor,
  };
  if (execution.startedFrom) data.started_from = execution.startedFrom;
  return data;
}

/** Validate parsed front matter into the structured fields of a Plan. */
export function readPlanHeader(data: Fields, file: string): PlanHeader {
  const rawId = text(data, 'id', file);
  if (!/^\d+$/.test(rawId)) throw fieldError(file, 'id', `must be a plan number like "003" (got "${rawId}")`);
  const statusText = text(data, 'status', file);
  const status = parseStatus(statusText);
  if (!status) {
    throw fieldError(
      file,
      'status',
      `must be TODO, IN PROGRESS, DONE, BLOCKED (reason) or REJECTED (reason)`,
    );
  }
  const plannedAt = data.planned_at;
  if (!isRecord(plannedAt)) throw fieldError(file, 'planned_at', 'is missing');
  const sha = plannedAt.sha;
  if (sha !== null && sha !== undefined && typeof sha !== 'string')
    throw fieldError(file, 'planned_at.sha', 'must be text or null');
  const header: PlanHeader = {
    id: formatPlanId(Number(rawId)),
    number: Number(rawId),
    slug: text(data, 'slug', file),
    title: text(data, 'title', file),
    status,
    priority: oneOf<Priority>(data, 'priority', file, ['P1', 'P2', 'P3']),
    effort: oneOf<Effort>(data, 'effort', file, ['S', 'M', 'L']),
    risk: oneOf<Risk>(data, 'risk', file, ['LOW', 'MED', 'HIGH']),
    category: oneOf<Category>(data, 'category', file, CATEGORIES),
    dependsOn: ids(data, 'depends_on', file),
    plannedAt: {
      sha: typeof sha === 'string' ? sha : null,
      date: text(plannedAt, 'date', file, 'planned_at.date'),
    },
    scope: scopeOf(data, file),
    doneCriteria: criteria(data, file),
    findings: ids(data, 'findings', file),
  };
  const issue = data.issue;
  if (typeof issue === 'string' && issue !== '') header.issue = issue;
  const execution = executionOf(data);
  if (execution) header.execution = execution;
  return header;
}
