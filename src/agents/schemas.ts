/**
 * The shapes models answer in. Every answer is validated against one of these before code looks
 * at it; the JSON examples in the prompts are generated from the same field lists.
 */
import { z } from 'zod';
import { CATEGORIES, type Category } from '../core/types.ts';

export const LEVEL = z.enum(['HIGH', 'MED', 'LOW']);
export const EFFORT = z.enum(['S', 'M', 'L']);
/** Every category but direction, which the direction advisor answers separately. */
export const AUDIT_CATEGORY = z.enum(
  CATEGORIES.filter((category) => category !== 'direction') as [
    Exclude<Category, 'direction'>,
    ...Exclude<Category, 'direction'>[],
  ],
);

const text = (max: number) => z.string().trim().min(1).max(max);

export const CitedLines = z.object({
  file: text(300).describe('repo-relative path'),
  startLine: z.number().int().min(1),
  endLine: z.number().int().min(1),
  quote: text(400).describe('one line copied exactly from the cited range'),
});

export const AuditorFinding = CitedLines.extend({
  title: text(120),
  category: AUDIT_CATEGORY,
  message: text(1200).describe('what is wrong here and why it matters'),
  impact: LEVEL,
  effort: EFFORT,
  risk: LEVEL,
  riskReason: text(400),
  confidence: LEVEL,
  fixSketch: text(1200),
});
export type AuditorFinding = z.infer<typeof AuditorFinding>;

export const InjectionReport = z.object({
  file: text(300),
  line: z.number().int().min(1),
  summary: text(400).describe('what the text tried to make you do'),
});

export const AuditorReport = z.object({
  findings: z.array(AuditorFinding).max(12),
  injections: z.array(InjectionReport).max(10).default([]),
});
export type AuditorReport = z.infer<typeof AuditorReport>;

export const VetVerdict = z.object({
  id: text(40),
  verdict: z.enum(['confirm', 'correct', 'reject']),
  reason: text(600),
  correction: z
    .object({
      title: text(120).optional(),
      startLine: z.number().int().min(1).optional(),
      endLine: z.number().int().min(1).optional(),
      quote: text(400).optional(),
      impact: LEVEL.optional(),
      confidence: LEVEL.optional(),
      effort: EFFORT.optional(),
      risk: LEVEL.optional(),
    })
    .optional(),
});
export const VetReport = z.object({ verdicts: z.array(VetVerdict).max(60) });
export type VetVerdict = z.infer<typeof VetVerdict>;

const Check = z.object({ run: text(500), expect: text(200) });

export const PlanDraft = z.object({
  title: text(100),
  why: text(2000),
  currentState: z
    .array(
      z.object({
        file: text(300),
        startLine: z.number().int().min(1),
        endLine: z.number().int().min(1),
        excerpt: z.string().min(1).max(4000),
      }),
    )
    .min(1)
    .max(4),
  scopeIn: z
    .array(z.object({ path: text(300), reason: text(300), create: z.boolean().optional() }))
    .min(1)
    .max(12),
  scopeOut: z
    .array(z.object({ path: text(300), reason: text(300) }))
    .max(12)
    .default([]),
  steps: z
    .array(z.object({ title: text(120), detail: text(2000), verify: Check }))
    .min(1)
    .max(10),
  testCases: z.array(text(400)).max(8).default([]),
  doneCriteria: z.array(Check).min(1).max(8),
  stopConditions: z.array(text(400)).max(10).default([]),
  maintenance: z.array(text(400)).max(6).default([]),
});
export type PlanDraft = z.infer<typeof PlanDraft>;

export const PlanRequestBrief = z.object({
  title: text(100),
  category: AUDIT_CATEGORY,
  summary: text(1500).describe('what will change and why, resolved from the code'),
  impact: LEVEL,
  effort: EFFORT,
  risk: LEVEL,
  riskReason: text(400),
  locations: z.array(CitedLines).min(1).max(4),
  questions: z
    .array(z.object({ question: text(400), recommended: text(400), why: text(600) }))
    .max(5)
    .default([]),
});
export type PlanRequestBrief = z.infer<typeof PlanRequestBrief>;

export const DirectionReport = z.object({
  suggestions: z
    .array(
      z.object({
        title: text(120),
        kind: z.enum(['unfinished-intent', 'stated-undelivered', 'surface-asymmetry', 'adjacent-possible']),
        rationale: text(1200),
        evidence: z.array(CitedLines).min(1).max(4),
        tradeoffs: text(800),
        effort: EFFORT,
      }),
    )
    .max(8),
});
export type DirectionReport = z.infer<typeof DirectionReport>;

export const ReviewAnswer = z.object({
  verdict: z.enum(['APPROVE', 'REVISE', 'BLOCK']),
  notes: text(4000),
});
