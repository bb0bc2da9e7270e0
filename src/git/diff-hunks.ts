/** Lines that a diff added or changed, on the new side. Lines are 1-based and inclusive. */
export interface DiffHunk {
  file: string;
  startLine: number;
  endLine: number;
}

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/;

function unquote(name: string): string {
  if (!name.startsWith('"') || !name.endsWith('"')) return name;
  return name.slice(1, -1).replace(/\\(["\\tn])/g, (_match, character: string) => {
    if (character === 't') return '\t';
    if (character === 'n') return '\n';
    return character;
  });
}

/** Parse `git diff -U0 --src-prefix=a/ --dst-prefix=b/` output into new-side hunks; pure deletions are left out. */
export function parseDiffHunks(diff: string): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let file: string | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const name = unquote(line.slice(4).replace(/\t$/, ''));
      file = name.startsWith('b/') ? name.slice(2) : undefined;
      continue;
    }
    if (!file || !line.startsWith('@@ ')) continue;
    const match = HUNK_HEADER.exec(line);
    if (!match) continue;
    const start = Number(match[1]);
    const count = match[2] === undefined ? 1 : Number(match[2]);
    if (count === 0) continue;
    hunks.push({ file, startLine: start, endLine: start + count - 1 });
  }
  return hunks;
}
