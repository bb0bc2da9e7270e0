/**
 * One run's access to models: the resolved roles, their connections, the cost ledger, the hard
 * budget, the abort signal and the dry-run switch. Everything outside src/llm talks to models
 * through a session's conversations.
 */

import { EnvironmentError } from '../core/errors.ts';
import type { AgentTools } from './agent-tool.ts';
import { Conversation } from './conversation.ts';
import { type CostSummary, summarizeCosts } from './cost-summary.ts';
import { CostLedger } from './ledger.ts';
import { type ModelRoles, ROLES, type RoleName, type RoleSpecs, rolesFromSpecs } from './model-roles.ts';
import { formatModelSpec } from './model-spec.ts';
import { type PriceTable, priceFor } from './prices.ts';
import { type ConnectedModel, connectionProblem, connectModel, type ProviderSettings } from './providers.ts';

export interface ModelSessionOptions {
  /** Resolved roles (see resolveModelRoles), or plain `provider:model` strings per role. */
  roles: ModelRoles | RoleSpecs;
  /** Where keys and base URLs are read from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Base URL of an OpenAI-compatible endpoint (also overrides the Ollama default). */
  baseUrl?: string;
  prices?: PriceTable;
  /** Hard budget in US dollars: no call starts whose estimate would cross it. */
  maxCost?: number;
  /** Append every call to this JSONL file (see ledgerPathFor); omit for an in-memory ledger. */
  ledgerFile?: string;
  /** The command, for the ledger (audit, plan, next, execute…). */
  command?: string;
  signal?: AbortSignal;
  /** Per model call, including tool rounds; default 180 s. */
  timeoutMs?: number;
  /** Retries of a rate-limited or failing call; default 4. */
  maxRetries?: number;
  /** First retry delay when the provider gives no retry-after; doubles each time. Default 1 s. */
  retryDelayMs?: number;
  /** Estimate only: no call is made and nothing is written. */
  dryRun?: boolean;
  /** Roles this command uses: only these are connected and checked for keys. Default: all. */
  uses?: readonly RoleName[];
}

export interface ConversationOptions {
  role: RoleName;
  /** What the calls are for, recorded in the ledger, e.g. `auditor:security`. */
  task: string;
  system: string;
  /** A stable prefix (the repository brief) shared by parallel calls: cached where the provider can. */
  context?: string;
  tools?: AgentTools;
  /** Model calls per `send` (tool rounds included); default 12 with tools, 1 without. */
  maxSteps?: number;
  maxOutputTokens?: number;
  /** Ends this conversation early (with the session's own signal, whichever comes first). */
  signal?: AbortSignal;
}

function isResolved(roles: ModelRoles | RoleSpecs): roles is ModelRoles {
  return Object.values(roles).every(
    (value) => typeof value === 'object' && value !== null && 'spec' in value,
  );
}

export class ModelSession {
  readonly roles: ModelRoles;
  readonly ledger: CostLedger;
  readonly dryRun: boolean;
  readonly signal: AbortSignal | undefined;
  readonly maxCost: number | undefined;
  readonly prices: PriceTable;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryDelayMs: number;
  /** Things the run should tell the user (roles dropped for a missing key, budget reached…). */
  readonly notes: string[] = [];
  /** Calls that did not start because of the budget. */
  budgetRefusals = 0;
  private readonly settings: ProviderSettings;
  private readonly connections = new Map<RoleName, ConnectedModel>();
  private reserved = 0;

  constructor(options: ModelSessionOptions) {
    const roles = isResolved(options.roles) ? { ...options.roles } : rolesFromSpecs(options.roles);
    this.settings = {
      env: options.env ?? process.env,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    };
    this.dryRun = options.dryRun ?? false;
    this.signal = options.signal;
    this.maxCost = options.maxCost;
    this.prices = options.prices ?? new Map();
    this.timeoutMs = options.timeoutMs ?? 180_000;
    this.maxRetries = options.maxRetries ?? 4;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    const uses = options.uses ?? ROLES;
    for (const role of ROLES) {
      const roleModel = roles[role];
      if (!roleModel || !uses.includes(role)) continue;
      const problem = connectionProblem(role, roleModel, this.settings);
      if (problem && !roleModel.required) {
        this.notes.push(`${problem.message}: ${role} not used, this run stays offline for it.`);
        delete roles[role];
      } else if (problem && !this.dryRun) {
        throw new EnvironmentError(problem.message, problem.hint);
      }
    }
    for (const role of uses) {
      const spec = roles[role]?.spec;
      if (spec && this.maxCost !== undefined && !priceFor(spec, this.prices))
        this.notes.push(
          `--max-cost cannot limit ${role} ${formatModelSpec(spec)}: its price is unknown (add it under prices: in .improve.yml); its calls are counted in tokens only.`,
        );
    }
    if (roles.reviewer && !roles.planner && roles.reviewer.source.includes('defaults to the planner'))
      delete roles.reviewer;
    this.roles = roles;
    this.ledger = new CostLedger({
      ...(options.ledgerFile && !this.dryRun ? { file: options.ledgerFile } : {}),
      command: options.command ?? 'audit',
    });
  }

  has(role: RoleName): boolean {
    return this.roles[role] !== undefined;
  }

  /** `provider:model` of a role, for messages. */
  describe(role: RoleName): string | undefined {
    const model = this.roles[role];
    return model ? formatModelSpec(model.spec) : undefined;
  }

  /** The role's connected model; throws EnvironmentError (exit 3) when it cannot be used. */
  async connect(role: RoleName): Promise<ConnectedModel> {
    const cached = this.connections.get(role);
    if (cached) return cached;
    const roleModel = this.roles[role];
    if (!roleModel)
      throw new EnvironmentError(
        `no ${role} model is configured`,
        `Set one with --${role} provider:model, IMPROVE_${role.toUpperCase()}, or models.${role} in .improve.yml.`,
      );
    const connected = await connectModel(role, roleModel, this.settings);
    this.connections.set(role, connected);
    return connected;
  }

  conversation(options: ConversationOptions): Conversation {
    return new Conversation(this, options);
  }

  /** Dollars for a call of this size on the role's model (0 when the price is unknown). */
  estimateCost(role: RoleName, inputTokens: number, outputTokens: number): number {
    const spec = this.roles[role]?.spec;
    const price = spec ? priceFor(spec, this.prices) : undefined;
    if (!price) return 0;
    return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
  }

  /** Reserve the estimate of a call about to start; false when it would cross the budget. */
  reserve(estimate: number): boolean {
    if (this.maxCost !== undefined && this.ledger.spent() + this.reserved + estimate > this.maxCost) {
      this.budgetRefusals += 1;
      return false;
    }
    this.reserved += estimate;
    return true;
  }

  release(estimate: number): void {
    this.reserved = Math.max(0, this.reserved - estimate);
  }

  summary(): CostSummary {
    const planner = this.roles.planner?.spec;
    return summarizeCosts(this.ledger.entries(), { ...(planner ? { planner } : {}), prices: this.prices });
  }

  get aborted(): boolean {
    return this.signal?.aborted ?? false;
  }
}

export function createModelSession(options: ModelSessionOptions): ModelSession {
  return new ModelSession(options);
}
