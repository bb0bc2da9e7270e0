/**
 * Ask a model for JSON of a known shape and hold it to that shape. Malformed output gets one
 * repair attempt; output that parses but that code rejects (an invented excerpt, a command the
 * repository does not define…) is sent back once with the reasons. After that the item is dropped
 * and the caller says so.
 */
import type { z } from 'zod';
import type { Conversation, Reply } from '../llm/conversation.ts';

export interface StructuredOutcome<T> {
  value?: T;
  /** Why there is no value. */
  problem?: string;
  stopped?: Reply['stopped'];
  /** Model calls made. */
  calls: number;
  /** Tools the model tried to call that it does not have. */
  invalidToolCalls: string[];
  /** The output was malformed once and repaired. */
  repaired: boolean;
  /** Code rejected the first answer and the model was asked again. */
  askedAgain: boolean;
}

/** The JSON in a reply: the last ```json fence, else the outermost braces. */
export function extractJson(text: string): unknown {
  const fences = [...text.matchAll(/```(?:json)?\s*\n([\s\S]*?)```/g)];
  const candidate = fences.length > 0 ? (fences[fences.length - 1]?.[1] ?? '') : text;
  const start = candidate.indexOf('{');
  const end = candidate.lastIndexOf('}');
  if (start < 0 || end <= start) throw new Error('the reply contains no JSON object');
  return JSON.parse(candidate.slice(start, end + 1));
}

function schemaProblems(error: z.ZodError): string {
  return error.issues
    .slice(0, 12)
    .map((issue) => `- ${issue.path.join('.') || '(top level)'}: ${issue.message}`)
    .join('\n');
}

export async function askStructured<Schema extends z.ZodType>(
  chat: Conversation,
  prompt: string,
  schema: Schema,
  check?: (value: z.infer<Schema>) => string[],
): Promise<StructuredOutcome<z.infer<Schema>>> {
  const outcome: StructuredOutcome<z.infer<Schema>> = {
    calls: 0,
    invalidToolCalls: [],
    repaired: false,
    askedAgain: false,
  };
  let message = prompt;
  for (;;) {
    const reply = await chat.send(message);
    outcome.calls += reply.calls;
    outcome.invalidToolCalls.push(...reply.invalidToolCalls);
    if (reply.stopped) {
      outcome.stopped = reply.stopped;
      outcome.problem = reply.problem ?? reply.stopped;
      return outcome;
    }
    let data: unknown;
    let parsed: z.ZodSafeParseResult<z.infer<Schema>> | undefined;
    let malformed: string | undefined;
    try {
      data = extractJson(reply.text);
      parsed = schema.safeParse(data);
      if (!parsed.success) malformed = schemaProblems(parsed.error);
    } catch (error) {
      malformed = `- ${error instanceof Error ? error.message : String(error)}`;
    }
    if (malformed !== undefined || !parsed?.success) {
      if (outcome.repaired) {
        outcome.problem = `malformed output after one repair attempt:\n${malformed}`;
        return outcome;
      }
      outcome.repaired = true;
      message = `Your reply could not be used: it must be one JSON object matching the schema you were given.\nProblems:\n${malformed}\nReply again with only the corrected JSON object.`;
      continue;
    }
    const value = parsed.data;
    const problems = check ? check(value) : [];
    if (problems.length === 0) {
      outcome.value = value;
      return outcome;
    }
    if (outcome.askedAgain) {
      outcome.problem = `rejected twice by improve's checks:\n${problems.map((p) => `- ${p}`).join('\n')}`;
      return outcome;
    }
    outcome.askedAgain = true;
    message = `improve checked your answer against the repository and rejected parts of it:\n${problems.map((p) => `- ${p}`).join('\n')}\nFix exactly these problems and reply again with the whole corrected JSON object (same schema).`;
  }
}
