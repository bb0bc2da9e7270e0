import type { SourceFile } from '../core/types.ts';
import { baseName, extensionOf } from './languages.ts';

export interface TestLayout {
  /** The dominant test file pattern, e.g. `test/**\/*.test.ts` or `tests/test_*.py`. */
  pattern: string;
  /** A typical test file of that pattern: the median by size, ties by path. */
  exemplar: string;
}

const NOT_TESTS = /^(conftest\.py|__init__\.py|setup\.[jt]s|.*\.d\.ts)$/;

/** The name part of a test file's pattern (`*.test.ts`, `test_*.py`), or undefined for helpers. */
export function testNamePattern(file: SourceFile): string | undefined {
  const name = baseName(file.path);
  if (!file.languageName || NOT_TESTS.test(name)) return undefined;
  const suffix = /\.(test|spec)(\.[^.]+)$/.exec(name);
  if (suffix) return `*.${suffix[1]}${suffix[2]}`;
  if (/^test_.*\.py$/.test(name)) return 'test_*.py';
  const underscored = /_test(\.[a-z]+)$/.exec(name);
  if (underscored) return `*_test${underscored[1]}`;
  return extensionOf(name) ? `*${extensionOf(name)}` : undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function locationPrefix(paths: readonly string[]): string {
  const firstSegments = new Set(paths.map((file) => (file.includes('/') ? file.split('/')[0] : '')));
  const [segment] = [...firstSegments];
  if (firstSegments.size !== 1 || !segment) return '**/';
  const direct = paths.every((file) => file.split('/').length === 2);
  return direct ? `${segment}/` : `${segment}/**/`;
}

/** A typical file of a group: the median by size, ties by path. */
export function medianBySize<T extends Pick<SourceFile, 'path' | 'size'>>(
  files: readonly T[],
): T | undefined {
  const bySize = [...files].sort((a, b) => a.size - b.size || compare(a.path, b.path));
  return bySize[Math.floor((bySize.length - 1) / 2)];
}

/** The dominant test file pattern and a typical file for it; undefined without test files. */
export function testLayout(files: readonly SourceFile[]): TestLayout | undefined {
  const groups = new Map<string, SourceFile[]>();
  for (const file of files) {
    if (file.role !== 'test') continue;
    const pattern = testNamePattern(file);
    if (!pattern) continue;
    const group = groups.get(pattern) ?? [];
    group.push(file);
    groups.set(pattern, group);
  }
  const ranked = [...groups].sort((a, b) => {
    // Named tests (`*.test.ts`) beat bare extensions (`*.js` inside test/) at equal counts.
    const named =
      Number(b[0].includes('test') || b[0].includes('spec')) -
      Number(a[0].includes('test') || a[0].includes('spec'));
    return b[1].length - a[1].length || named || compare(a[0], b[0]);
  });
  const best = ranked[0];
  if (!best) return undefined;
  const [name, group] = best;
  const exemplar = medianBySize(group);
  if (!exemplar) return undefined;
  return { pattern: `${locationPrefix(group.map((file) => file.path))}${name}`, exemplar: exemplar.path };
}
