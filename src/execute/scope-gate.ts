/** The scope gate: every changed path must be on the plan's in-scope list. */
import type { ChangeKind, PathChange } from '../git/changes.ts';
import type { ScopeIn } from '../plans/plan.ts';
import type { ScopeResult } from './types.ts';

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] ?? '';
    if (char === '*' && pattern[index + 1] === '*') {
      source += '.*';
      index += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Whether `file` (relative to the project root) is covered by an in-scope entry. A folder entry
 * marked `create` (`src/lib/`, for the module a refactor extracts) covers only files added there:
 * the fix may create files in it, not change the ones it has.
 */
export function inScope(
  file: string,
  entries: readonly Pick<ScopeIn, 'path' | 'create'>[],
  change?: ChangeKind,
): boolean {
  return entries.some((entry) => {
    const pattern = entry.path.replace(/^\.\//, '');
    if (pattern === file) return true;
    if (pattern.endsWith('/')) return file.startsWith(pattern) && (!entry.create || change === 'added');
    return /[*?]/.test(pattern) && globToRegExp(pattern).test(file);
  });
}

/**
 * Check `changes` (paths relative to the git top level) against the plan's in-scope list
 * (relative to the project folder `prefix` inside it). Anything outside fails, including a path
 * outside the project folder altogether.
 */
export function checkScope(
  changes: readonly PathChange[],
  entries: readonly ScopeIn[],
  prefix: string,
): ScopeResult {
  const lead = prefix === '' ? '' : `${prefix}/`;
  const outside = changes.filter((change) => {
    if (!change.path.startsWith(lead)) return true;
    return !inScope(change.path.slice(lead.length), entries, change.change);
  });
  return { passed: outside.length === 0, changed: [...changes], outside };
}
