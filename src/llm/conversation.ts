/**
 * A conversation with one role's model: each `send` runs the tool loop (model call, tools, model
 * call…) until the model answers in text, the step limit is reached, the budget refuses the next
 * call, or the run is interrupted. Every model call is priced and written to the ledger; rate limits
 * and server errors are retried with backoff, honouring retry-after.
 */
import type { generateText, ModelMessage, SystemModelMessage, TextPart } from 'ai';
import { redactText } from '../core/redact.ts';
import { toSdkTools } from './agent-tool.ts';
import type { ConversationOptions, ModelSession } from './model-session.ts';
import { priceFor } from './prices.ts';
import { classifyFailure } from './provider-error.ts';

export interface Reply {
  /** The model's final text ('' when it gave none). */
  text: string;
  /** Set when the reply is not a finished answer. */
  stopped?: 'budget' | 'aborted' | 'failed' | 'dry-run';
  /** What failed, when stopped is `failed`. */
  problem?: string;
  /** Model calls this send made. */
  calls: number;
  /** Tools the model called, in order. */
  toolCalls: { name: string; input: unknown }[];
  /** Calls of tools the model does not have, or with input its schema refuses (names). */
  invalidToolCalls: string[];
}

const CACHE = { anthropic: { cacheControl: { type: 'ephemeral' } } } as const;
const CHARS_PER_TOKEN = 3.5;
const TOOL_OVERHEAD_TOKENS = 150;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function messageChars(messages: readonly ModelMessage[]): number {
  return messages.reduce((sum, message) => sum + JSON.stringify(message.content).length, 0);
}

export class Conversation {
  private readonly session: ModelSession;
  private readonly options: ConversationOptions;
  private readonly messages: ModelMessage[] = [];

  private readonly signal: AbortSignal | undefined;

  constructor(session: ModelSession, options: ConversationOptions) {
    this.session = session;
    this.options = options;
    const signals = [session.signal, options.signal].filter((s): s is AbortSignal => s !== undefined);
    this.signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  }

  private get aborted(): boolean {
    return this.signal?.aborted ?? false;
  }

  /** Estimated input tokens of the next call with `prompt` added. */
  estimateInput(prompt: string): number {
    const tools = Object.values(this.options.tools ?? {});
    const chars =
      this.options.system.length +
      (this.options.context?.length ?? 0) +
      prompt.length +
      messageChars(this.messages) +
      tools.reduce((sum, tool) => sum + tool.description.length, 0);
    return Math.ceil(chars / CHARS_PER_TOKEN) + tools.length * TOOL_OVERHEAD_TOKENS;
  }

  private firstMessage(prompt: string): ModelMessage {
    const parts: TextPart[] = [];
    if (this.options.context)
      parts.push({ type: 'text', text: redactText(this.options.context), providerOptions: CACHE });
    parts.push({ type: 'text', text: prompt });
    return { role: 'user', content: parts };
  }

  async send(prompt: string): Promise<Reply> {
    const { session, options } = this;
    const reply: Reply = { text: '', calls: 0, toolCalls: [], invalidToolCalls: [] };
    if (session.dryRun) return { ...reply, stopped: 'dry-run' };
    if (this.aborted) return { ...reply, stopped: 'aborted' };
    const sdk = await import('ai');
    const connected = await session.connect(options.role);
    const price = priceFor(connected.spec, session.prices);
    const maxSteps = options.maxSteps ?? (options.tools ? 12 : 1);
    const maxOutputTokens = options.maxOutputTokens ?? 4096;
    const tools = options.tools ? toSdkTools(options.tools, (definition) => sdk.tool(definition)) : undefined;
    const system: SystemModelMessage = { role: 'system', content: options.system, providerOptions: CACHE };
    // Defence in depth: whatever a caller built, no credential value leaves in a prompt.
    const safe = redactText(prompt);
    this.messages.push(
      this.messages.length === 0 ? this.firstMessage(safe) : { role: 'user', content: safe },
    );

    for (let step = 0; step < maxSteps; step += 1) {
      const estimate = session.estimateCost(options.role, this.estimateInput(''), maxOutputTokens);
      if (!session.reserve(estimate)) return { ...reply, stopped: 'budget' };
      const last = step === maxSteps - 1;
      let result: Awaited<ReturnType<typeof generateText>> | undefined;
      let started = Date.now();
      try {
        for (let attempt = 0; ; attempt += 1) {
          started = Date.now();
          try {
            result = await sdk.generateText({
              model: connected.model,
              system,
              messages: this.messages,
              ...(tools ? { tools, toolChoice: last ? 'none' : 'auto' } : {}),
              maxOutputTokens,
              maxRetries: 0,
              timeout: session.timeoutMs,
              ...(this.signal ? { abortSignal: this.signal } : {}),
              providerOptions: { openai: { store: false } },
            });
            break;
          } catch (error) {
            const failure = classifyFailure(error, connected, this.signal);
            if (failure.kind === 'fatal') throw failure.error;
            if (failure.kind === 'aborted') return { ...reply, stopped: 'aborted' };
            if (failure.kind === 'failed' || attempt >= session.maxRetries)
              return { ...reply, stopped: 'failed', problem: failure.message };
            const backoff = session.retryDelayMs * 2 ** attempt;
            await sleep(Math.min(failure.delayMs ?? backoff, 60_000), this.signal);
            if (this.aborted) return { ...reply, stopped: 'aborted' };
          }
        }
      } finally {
        session.release(estimate);
      }
      reply.calls += 1;
      const usage = result.usage;
      session.ledger.record({
        role: options.role,
        spec: connected.spec,
        task: options.task,
        tokens: {
          input: usage.inputTokenDetails.noCacheTokens ?? usage.inputTokens ?? 0,
          output: usage.outputTokens ?? 0,
          cacheRead: usage.inputTokenDetails.cacheReadTokens ?? 0,
          cacheWrite: usage.inputTokenDetails.cacheWriteTokens ?? 0,
        },
        latencyMs: Date.now() - started,
        price,
      });
      this.messages.push(...result.response.messages);
      for (const call of result.toolCalls) {
        reply.toolCalls.push({ name: call.toolName, input: call.input });
        if (call.invalid) reply.invalidToolCalls.push(call.toolName);
      }
      if (result.toolCalls.length === 0) return { ...reply, text: result.text };
      if (this.aborted) return { ...reply, stopped: 'aborted' };
    }
    return { ...reply, stopped: 'failed', problem: `no answer after ${maxSteps} model calls` };
  }
}
