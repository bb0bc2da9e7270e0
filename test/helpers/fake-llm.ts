/**
 * A local model server on 127.0.0.1 that speaks the providers' real wire formats (Anthropic
 * Messages, OpenAI Chat Completions and OpenAI Responses, non-streaming) so that the real AI SDK
 * clients can be pointed at it by base URL. Each request is normalised into a `FakeRequest`, handed
 * to the test's scripted responder, and its raw body is captured for inspection.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type WireFormat = 'anthropic' | 'openai-chat' | 'openai-responses';

export interface FakeMessage {
  role: string;
  /** Text of the message, tool results included (as `[tool result NAME] …`). */
  text: string;
}

export interface FakeRequest {
  format: WireFormat;
  model: string;
  system: string;
  messages: FakeMessage[];
  /** Everything the model would read: system and messages joined. */
  all: string;
  toolNames: string[];
  /** How many earlier assistant turns this conversation has (0 on its first call). */
  turn: number;
  /** The text of the last user / tool message. */
  last: string;
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}

export interface FakeUsage {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export type FakeReply =
  | { text: string; usage?: FakeUsage; delayMs?: number }
  | { toolCalls: { name: string; input: unknown }[]; usage?: FakeUsage }
  | { status: number; headers?: Record<string, string>; error?: string; errorType?: string };

export type Responder = (request: FakeRequest) => FakeReply;

export interface FakeServer {
  /** Base URL including the version prefix, e.g. `http://127.0.0.1:1234/v1`. */
  url: string;
  /** Raw request bodies, in arrival order. */
  bodies: string[];
  requests: FakeRequest[];
  setResponder(responder: Responder): void;
  close(): Promise<void>;
}

const DEFAULT_USAGE: FakeUsage = { input: 100, output: 20 };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return isRecord(content) ? JSON.stringify(content) : '';
  return content
    .map((part: unknown) => {
      if (!isRecord(part)) return '';
      if (typeof part.text === 'string') return part.text;
      if (part.type === 'tool_result') return `[tool result] ${textOf(part.content)}`;
      if (part.type === 'tool_use') return `[tool call ${String(part.name)}] ${JSON.stringify(part.input)}`;
      return '';
    })
    .join('\n');
}

function normaliseAnthropic(
  body: Record<string, unknown>,
): Omit<FakeRequest, 'all' | 'turn' | 'last' | 'body' | 'headers'> {
  const system = textOf(body.system);
  const messages = (Array.isArray(body.messages) ? body.messages : []).filter(isRecord).map((m) => ({
    role: String(m.role),
    text: textOf(m.content),
  }));
  const toolNames = (Array.isArray(body.tools) ? body.tools : []).filter(isRecord).map((t) => String(t.name));
  return { format: 'anthropic', model: String(body.model), system, messages, toolNames };
}

function normaliseChat(
  body: Record<string, unknown>,
): Omit<FakeRequest, 'all' | 'turn' | 'last' | 'body' | 'headers'> {
  const all = (Array.isArray(body.messages) ? body.messages : []).filter(isRecord);
  const system = all
    .filter((m) => m.role === 'system' || m.role === 'developer')
    .map((m) => textOf(m.content))
    .join('\n');
  const messages = all
    .filter((m) => m.role !== 'system' && m.role !== 'developer')
    .map((m) => {
      const calls = Array.isArray(m.tool_calls)
        ? m.tool_calls
            .filter(isRecord)
            .map((c) => (isRecord(c.function) ? `[tool call ${String(c.function.name)}]` : ''))
            .join('\n')
        : '';
      const prefix = m.role === 'tool' ? '[tool result] ' : '';
      return { role: String(m.role), text: `${prefix}${textOf(m.content)}${calls}` };
    });
  const toolNames = (Array.isArray(body.tools) ? body.tools : [])
    .filter(isRecord)
    .map((t) => (isRecord(t.function) ? String(t.function.name) : ''));
  return { format: 'openai-chat', model: String(body.model), system, messages, toolNames };
}

function normaliseResponses(
  body: Record<string, unknown>,
): Omit<FakeRequest, 'all' | 'turn' | 'last' | 'body' | 'headers'> {
  const items = (Array.isArray(body.input) ? body.input : []).filter(isRecord);
  const system = [
    typeof body.instructions === 'string' ? body.instructions : '',
    ...items.filter((i) => i.role === 'system' || i.role === 'developer').map((i) => textOf(i.content)),
  ]
    .filter(Boolean)
    .join('\n');
  const messages: FakeMessage[] = [];
  for (const item of items) {
    if (item.role === 'system' || item.role === 'developer') continue;
    if (item.type === 'function_call')
      messages.push({ role: 'assistant', text: `[tool call ${String(item.name)}]` });
    else if (item.type === 'function_call_output')
      messages.push({
        role: 'tool',
        text: `[tool result] ${typeof item.output === 'string' ? item.output : JSON.stringify(item.output)}`,
      });
    else messages.push({ role: String(item.role ?? item.type), text: textOf(item.content) });
  }
  const toolNames = (Array.isArray(body.tools) ? body.tools : []).filter(isRecord).map((t) => String(t.name));
  return { format: 'openai-responses', model: String(body.model), system, messages, toolNames };
}

let counter = 0;
function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}_${counter.toString(36).padStart(6, '0')}`;
}

function anthropicReply(model: string, reply: Exclude<FakeReply, { status: number }>): unknown {
  const usage = reply.usage ?? DEFAULT_USAGE;
  const content =
    'text' in reply
      ? [{ type: 'text', text: reply.text }]
      : reply.toolCalls.map((call) => ({
          type: 'tool_use',
          id: nextId('toolu'),
          name: call.name,
          input: call.input,
        }));
  return {
    id: nextId('msg'),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: 'text' in reply ? 'end_turn' : 'tool_use',
    stop_sequence: null,
    usage: {
      input_tokens: usage.input,
      output_tokens: usage.output,
      cache_creation_input_tokens: usage.cacheWrite ?? 0,
      cache_read_input_tokens: usage.cacheRead ?? 0,
    },
  };
}

/** OpenAI counts cached tokens inside input tokens; `input` here means the uncached part. */
function chatReply(model: string, reply: Exclude<FakeReply, { status: number }>): unknown {
  const usage = reply.usage ?? DEFAULT_USAGE;
  const prompt = usage.input + (usage.cacheRead ?? 0);
  const message =
    'text' in reply
      ? { role: 'assistant', content: reply.text }
      : {
          role: 'assistant',
          content: null,
          tool_calls: reply.toolCalls.map((call) => ({
            id: nextId('call'),
            type: 'function',
            function: { name: call.name, arguments: JSON.stringify(call.input) },
          })),
        };
  return {
    id: nextId('chatcmpl'),
    object: 'chat.completion',
    created: 1_767_225_600,
    model,
    choices: [{ index: 0, message, finish_reason: 'text' in reply ? 'stop' : 'tool_calls' }],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: usage.output,
      total_tokens: prompt + usage.output,
      prompt_tokens_details: { cached_tokens: usage.cacheRead ?? 0 },
    },
  };
}

function responsesReply(model: string, reply: Exclude<FakeReply, { status: number }>): unknown {
  const usage = reply.usage ?? DEFAULT_USAGE;
  const input = usage.input + (usage.cacheRead ?? 0);
  const output =
    'text' in reply
      ? [
          {
            type: 'message',
            role: 'assistant',
            id: nextId('msg'),
            status: 'completed',
            content: [{ type: 'output_text', text: reply.text, annotations: [] }],
          },
        ]
      : reply.toolCalls.map((call) => ({
          type: 'function_call',
          id: nextId('fc'),
          call_id: nextId('call'),
          name: call.name,
          arguments: JSON.stringify(call.input),
          status: 'completed',
        }));
  return {
    id: nextId('resp'),
    object: 'response',
    created_at: 1_767_225_600,
    model,
    status: 'completed',
    output,
    incomplete_details: null,
    usage: {
      input_tokens: input,
      input_tokens_details: { cached_tokens: usage.cacheRead ?? 0 },
      output_tokens: usage.output,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: input + usage.output,
    },
  };
}

function errorBody(format: WireFormat, status: number, message: string, type: string | undefined): unknown {
  if (format === 'anthropic') {
    const kind =
      type ??
      (status === 401
        ? 'authentication_error'
        : status === 404
          ? 'not_found_error'
          : status === 429
            ? 'rate_limit_error'
            : status === 529
              ? 'overloaded_error'
              : 'api_error');
    return { type: 'error', error: { type: kind, message } };
  }
  return { error: { message, type: type ?? 'invalid_request_error', code: null, param: null } };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Start a fake model server. Unscripted requests get a plain "OK" text reply. */
export async function startFakeLlm(responder: Responder = () => ({ text: 'OK' })): Promise<FakeServer> {
  let respond = responder;
  const bodies: string[] = [];
  const requests: FakeRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      bodies.push(raw);
      const url = req.url ?? '';
      const format: WireFormat | undefined = url.endsWith('/messages')
        ? 'anthropic'
        : url.endsWith('/chat/completions')
          ? 'openai-chat'
          : url.endsWith('/responses')
            ? 'openai-responses'
            : undefined;
      if (!format || req.method !== 'POST') {
        send(res, 404, { error: { message: `no route ${req.method} ${url}` } });
        return;
      }
      const body: unknown = JSON.parse(raw);
      if (!isRecord(body)) {
        send(res, 400, { error: { message: 'body is not an object' } });
        return;
      }
      const base =
        format === 'anthropic'
          ? normaliseAnthropic(body)
          : format === 'openai-chat'
            ? normaliseChat(body)
            : normaliseResponses(body);
      const nonSystem = base.messages;
      const request: FakeRequest = {
        ...base,
        all: [base.system, ...nonSystem.map((m) => m.text)].join('\n'),
        turn: nonSystem.filter((m) => m.role === 'assistant').length,
        last: nonSystem[nonSystem.length - 1]?.text ?? '',
        body,
        headers: req.headers,
      };
      requests.push(request);
      let reply: FakeReply;
      try {
        reply = respond(request);
      } catch (error) {
        send(res, 500, errorBody(format, 500, `responder failed: ${String(error)}`, undefined));
        return;
      }
      if ('status' in reply) {
        send(
          res,
          reply.status,
          errorBody(format, reply.status, reply.error ?? 'scripted error', reply.errorType),
          reply.headers,
        );
        return;
      }
      if ('delayMs' in reply && reply.delayMs)
        await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (res.destroyed) return;
      const payload =
        format === 'anthropic'
          ? anthropicReply(request.model, reply)
          : format === 'openai-chat'
            ? chatReply(request.model, reply)
            : responsesReply(request.model, reply);
      send(res, 200, payload);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    bodies,
    requests,
    setResponder(next) {
      respond = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
