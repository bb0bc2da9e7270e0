/**
 * The cost ledger: one entry per model call (role, model, tokens, latency, price), kept in memory
 * for the run's summary and appended to a JSONL file as it happens, so an interrupted run keeps
 * everything it spent. No prompt text and no key is ever written here.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { RoleName } from './model-roles.ts';
import type { ModelSpec } from './model-spec.ts';
import { costOf, type ModelPrice, type TokenCounts } from './prices.ts';

export interface LedgerEntry {
  /** ISO time the call finished. */
  time: string;
  /** Identifies one improve run; every entry of a run shares it. */
  run: string;
  command: string;
  role: RoleName;
  provider: string;
  model: string;
  /** What the call was for, e.g. `auditor:security` or `vet`. */
  task: string;
  /** Input tokens neither read from nor written to a prompt cache. */
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  latencyMs: number;
  /** Null when the model's price is unknown (counted in tokens only). */
  costUsd: number | null;
}

export interface LedgerCall {
  role: RoleName;
  spec: ModelSpec;
  task: string;
  tokens: TokenCounts;
  latencyMs: number;
  price: ModelPrice | undefined;
}

export interface CostLedgerOptions {
  /** JSONL file to append to; omit to keep the ledger in memory only (dry runs, tests). */
  file?: string;
  run?: string;
  command?: string;
  now?: () => Date;
}

export class CostLedger {
  readonly file: string | undefined;
  readonly run: string;
  readonly command: string;
  private readonly now: () => Date;
  private readonly list: LedgerEntry[] = [];
  /** Set when the file could not be written; the run goes on and says so once. */
  writeProblem: string | undefined;

  constructor(options: CostLedgerOptions = {}) {
    this.file = options.file;
    this.now = options.now ?? (() => new Date());
    this.run = options.run ?? this.now().toISOString();
    this.command = options.command ?? 'audit';
  }

  record(call: LedgerCall): LedgerEntry {
    const entry: LedgerEntry = {
      time: this.now().toISOString(),
      run: this.run,
      command: this.command,
      role: call.role,
      provider: call.spec.provider,
      model: call.spec.model,
      task: call.task,
      inputTokens: call.tokens.input,
      outputTokens: call.tokens.output,
      cacheReadTokens: call.tokens.cacheRead,
      cacheWriteTokens: call.tokens.cacheWrite,
      latencyMs: Math.round(call.latencyMs),
      costUsd: call.price ? costOf(call.tokens, call.price) : null,
    };
    this.list.push(entry);
    if (this.file && !this.writeProblem) {
      try {
        mkdirSync(path.dirname(this.file), { recursive: true });
        appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
      } catch (error) {
        this.writeProblem = `could not append to the cost ledger ${this.file}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    return entry;
  }

  entries(): readonly LedgerEntry[] {
    return this.list;
  }

  /** Dollars spent so far (unknown prices count as 0). */
  spent(): number {
    return this.list.reduce((sum, entry) => sum + (entry.costUsd ?? 0), 0);
  }
}
