/**
 * Scripted model behaviour for tests: which of improve's agents a request comes from, and ready
 * answers in the JSON shapes the agents expect.
 */
import type { FakeReply, FakeRequest } from './fake-llm.ts';

export type AgentKind =
  | 'auditor'
  | 'vet'
  | 'plan'
  | 'plan-rewrite'
  | 'plan-critique'
  | 'plan-fix'
  | 'plan-request'
  | 'direction'
  | 'executor'
  | 'reviewer'
  | 'other';

export function agentOf(request: FakeRequest): AgentKind {
  const system = request.system;
  if (system.startsWith('You are an auditor')) return 'auditor';
  if (system.includes('Auditors reported the candidate findings')) return 'vet';
  if (system.includes('you rewrite a plan that was BLOCKED')) return 'plan-rewrite';
  if (system.includes('You review plans written by `improve`')) return 'plan-critique';
  if (system.includes('you tighten a plan')) return 'plan-fix';
  if (system.includes('You write the content of one plan')) return 'plan';
  if (system.includes('asked to plan one change')) return 'plan-request';
  if (system.includes('suggest where this project could go next')) return 'direction';
  if (system.includes('You are the executor')) return 'executor';
  if (system.includes('You are the reviewer')) return 'reviewer';
  return 'other';
}

/** The auditor's cluster, from its prompt ("Audit this repository for these categories: …"). */
export function clusterOf(request: FakeRequest): string {
  return /categories: ([a-z, -]+)\./.exec(request.all)?.[1] ?? '';
}

export const json = (
  value: unknown,
  usage?: FakeReply extends infer R ? (R extends { usage?: infer U } ? U : never) : never,
): FakeReply =>
  usage
    ? { text: JSON.stringify(value), usage }
    : { text: `\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\`` };

/** Ids of the candidates in a vet request, in order. */
export function candidateIds(request: FakeRequest): string[] {
  return [...request.all.matchAll(/## Candidate (F-[0-9a-f]{8})/g)].map((m) => m[1] ?? '');
}

/** The candidate id whose claim mentions `text`. */
export function candidateAbout(request: FakeRequest, text: string): string | undefined {
  const parts = request.all.split('## Candidate ').slice(1);
  const part = parts.find((p) => p.includes(text));
  return part ? /^(F-[0-9a-f]{8})/.exec(part)?.[1] : undefined;
}
