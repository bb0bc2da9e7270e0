export interface MakefileTargets {
  /** Target name → 1-based line of its first rule. */
  targets: Map<string, number>;
  /**
   * False when the Makefile includes other files or has pattern rules, so a target that is not
   * listed may still exist.
   */
  complete: boolean;
}

const RULE = /^([^\s:=#$()][^:=#]*?)\s*::?(?!=)/;

/** Explicit targets of a Makefile with their lines; special targets such as `.PHONY` are left out. */
export function parseMakefile(text: string): MakefileTargets {
  const targets = new Map<string, number>();
  let complete = true;
  let continued = false;
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '');
    const wasContinued = continued;
    continued = line.endsWith('\\');
    if (wasContinued || line.startsWith('\t')) continue;
    if (/^-?s?include\s/.test(line)) complete = false;
    const match = RULE.exec(line);
    if (!match?.[1]) continue;
    for (const name of match[1].split(/\s+/)) {
      if (name === '' || name.startsWith('.')) continue;
      if (name.includes('%')) {
        complete = false;
        continue;
      }
      if (!targets.has(name)) targets.set(name, index + 1);
    }
  }
  return { targets, complete };
}
