/** The 1-based line of a JSON.parse error, from V8's "(line N column M)" or "at position N". */
export function jsonErrorLine(text: string, message: string): number | undefined {
  const line = /line (\d+)/.exec(message);
  if (line) return Number(line[1]);
  if (/end of JSON input/.test(message)) return Math.max(1, text.trimEnd().split('\n').length);
  const position = /position (\d+)/.exec(message);
  if (!position) return undefined;
  const offset = Math.min(Number(position[1]), text.length);
  return text.slice(0, offset).split('\n').length;
}

/** Strip V8's location suffix so the message reads well next to a separate line number. */
export function jsonErrorMessage(message: string): string {
  return message.replace(/\s*(?:in JSON )?at position \d+(?: \(line \d+ column \d+\))?/, '').trim();
}
