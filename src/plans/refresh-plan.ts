/**
 * Refresh a plan whose quoted code moved but did not change: the planned-at commit becomes the
 * current one and every citation of a moved excerpt (its `file:start-end`, "`file` line N" in the
 * steps, the confirm step's `stdout contains "N:"`) follows it. Hand edits elsewhere are kept.
 */

import { escapeRegExp } from '../core/regex-literal.ts';
import { yaml } from '../core/yaml.ts';
import { splitFrontMatter } from './front-matter.ts';

export interface ExcerptMove {
  file: string;
  /** The file the excerpt is in now, when git saw `file` renamed. */
  toFile?: string;
  from: { startLine: number; endLine: number };
  to: { startLine: number; endLine: number };
}

function setPlannedSha(markdown: string, sha: string, file: string): string {
  splitFrontMatter(markdown, file);
  const lines = markdown.split('\n');
  const close = lines.findIndex(
    (line, index) => index > 0 && (line.trim() === '---' || line.trim() === '...'),
  );
  const document = yaml().parseDocument(lines.slice(1, close).join('\n'));
  document.setIn(['planned_at', 'sha'], sha);
  const yamlText = document.toString({ lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '');
  return ['---', yamlText, ...lines.slice(close)].join('\n');
}

function moveCitations(text: string, move: ExcerptMove): string {
  const delta = move.to.startLine - move.from.startLine;
  if (delta === 0) return text;
  const file = escapeRegExp(move.file);
  const shift = (value: string) => {
    const line = Number(value);
    return line >= move.from.startLine && line <= move.from.endLine ? String(line + delta) : value;
  };
  let out = text.replace(
    new RegExp(`\`${file}:${move.from.startLine}-${move.from.endLine}\``, 'g'),
    `\`${move.file}:${move.to.startLine}-${move.to.endLine}\``,
  );
  out = out.replace(
    new RegExp(`(\`${file}\` lines? )(\\d+)(?:-(\\d+))?`, 'g'),
    (_match, lead: string, start: string, end: string | undefined) =>
      `${lead}${shift(start)}${end === undefined ? '' : `-${shift(end)}`}`,
  );
  const quoted = `'${move.file.replace(/'/g, `'\\''`)}'`;
  return out
    .split('\n')
    .map((line) =>
      line.includes('grep -n') && line.includes(quoted)
        ? line.replace(
            /stdout contains "(\d+):"/g,
            (_match, number: string) => `stdout contains "${shift(number)}:"`,
          )
        : line,
    )
    .join('\n');
}

/**
 * Every mention of the path `from` as a whole path (not part of a longer path) becomes `to`: in
 * the scope, the citations, the steps, the commands and the title.
 */
function renamePath(text: string, from: string, to: string): string {
  return text.replace(new RegExp(`(?<![\\w./-])${escapeRegExp(from)}(?![\\w/-]|\\.\\w)`, 'g'), to);
}

function addFindings(markdown: string, ids: readonly string[], file: string): string {
  const current = splitFrontMatter(markdown, file).data.findings;
  const known = Array.isArray(current) ? current.map(String) : [];
  const added = ids.filter((id) => !known.includes(id));
  if (added.length === 0) return markdown;
  const lines = markdown.split('\n');
  const close = lines.findIndex(
    (line, index) => index > 0 && (line.trim() === '---' || line.trim() === '...'),
  );
  const document = yaml().parseDocument(lines.slice(1, close).join('\n'));
  document.setIn(['findings'], [...known, ...added]);
  const yamlText = document.toString({ lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '');
  return ['---', yamlText, ...lines.slice(close)].join('\n');
}

/**
 * The plan text re-pointed at `newSha`, with each moved excerpt's citations updated (and its
 * file's path, when git saw the file renamed). `findingIds` join the plan's findings: the ids its
 * problem has now (a finding's id names its file), so that the audit still sees it as planned.
 */
export function refreshPlanText(
  markdown: string,
  oldSha: string | null,
  newSha: string,
  moves: readonly ExcerptMove[],
  file = 'plan',
  findingIds: readonly string[] = [],
): string {
  let text = oldSha ? markdown.split(oldSha).join(newSha) : setPlannedSha(markdown, newSha, file);
  for (const move of moves) text = moveCitations(text, move);
  for (const move of moves) if (move.toFile) text = renamePath(text, move.file, move.toFile);
  return findingIds.length > 0 ? addFindings(text, findingIds, file) : text;
}
