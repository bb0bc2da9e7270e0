/**
 * A tool an agent may call: a description, a zod input schema and a function that returns text.
 * Tools are defined outside src/llm (in src/agents) and converted to the SDK's form here. A tool's
 * failure is a value the model can read and recover from, never an exception.
 */
import type { Tool, ToolSet } from 'ai';
import type { z } from 'zod';

export interface ToolContext {
  signal?: AbortSignal;
}

export interface AgentTool {
  description: string;
  inputSchema: z.ZodType;
  execute(input: unknown, context: ToolContext): Promise<string>;
}

export type AgentTools = Record<string, AgentTool>;

/** Define a tool with a typed input; the input is validated again before `run` sees it. */
export function defineTool<Schema extends z.ZodType>(definition: {
  description: string;
  inputSchema: Schema;
  run(input: z.infer<Schema>, context: ToolContext): Promise<string> | string;
}): AgentTool {
  return {
    description: definition.description,
    inputSchema: definition.inputSchema,
    async execute(input, context) {
      const parsed = definition.inputSchema.safeParse(input);
      if (!parsed.success) return `error: invalid input: ${parsed.error.message}`;
      try {
        return await definition.run(parsed.data, context);
      } catch (error) {
        return `error: ${error instanceof Error ? error.message : String(error)}`;
      }
    },
  };
}

/** The SDK's `tool()` helper, passed in so that the SDK loads only when a model is used. */
type SdkTool = (definition: {
  description: string;
  inputSchema: z.ZodType;
  execute: (input: unknown, options: { abortSignal?: AbortSignal }) => Promise<string>;
}) => Tool;

export function toSdkTools(tools: AgentTools, sdkTool: SdkTool): ToolSet {
  const out: ToolSet = {};
  for (const [name, definition] of Object.entries(tools)) {
    out[name] = sdkTool({
      description: definition.description,
      inputSchema: definition.inputSchema,
      execute: (input: unknown, options: { abortSignal?: AbortSignal }) =>
        definition.execute(input, options.abortSignal ? { signal: options.abortSignal } : {}),
    });
  }
  return out;
}
