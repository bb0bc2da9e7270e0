/** Change a plan file's status in place: the front matter field and the Status section, nothing else. */
import { UsageError } from '../core/errors.ts';
import { yaml } from '../core/yaml.ts';
import { executionData, splitFrontMatter } from './front-matter.ts';
import { formatStatus, type PlanExecution, type PlanStatus } from './plan.ts';

/**
 * Return `markdown` with its status set to `status`. Everything else (including hand edits to
 * the body and comments in the front matter) is kept. `execution` sets the front matter's
 * execution record (null removes it; undefined leaves it as it is).
 */
export function setPlanStatus(
  markdown: string,
  status: PlanStatus,
  file = 'plan',
  execution?: PlanExecution | null,
): string {
  splitFrontMatter(markdown, file); // validates the shape first, with the usual errors
  const lines = markdown.replace(/^\uFEFF/, '').split(/\r?\n/);
  const close = lines.findIndex(
    (line, index) => index > 0 && (line.trim() === '---' || line.trim() === '...'),
  );
  const document = yaml().parseDocument(lines.slice(1, close).join('\n'));
  document.set('status', formatStatus(status));
  if (execution === null) document.delete('execution');
  else if (execution !== undefined) document.set('execution', executionData(execution));
  const yamlText = document.toString({ lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '');
  const body = lines.slice(close + 1);
  const start = body.findIndex((line) => line.trim() === '## Status');
  if (start < 0) throw new UsageError(`${file}: the plan has no "## Status" section.`);
  let end = start + 1;
  while (end < body.length && !body[end]?.startsWith('## ')) end += 1;
  const statusLine = status.reason ? `**${status.state}** — ${status.reason}` : `**${status.state}**`;
  const next = end < body.length ? [''] : [];
  const newBody = [...body.slice(0, start + 1), '', statusLine, ...next, ...body.slice(end)];
  return ['---', yamlText, lines[close] ?? '---', ...newBody].join('\n');
}
