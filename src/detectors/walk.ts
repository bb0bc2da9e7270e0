import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { FileInput } from './types.ts';

/**
 * Every node of the file that `query` matches, in tree order: collected in the file pass's shared
 * walk when the detector declared the query in its `walks` (and the pass could fold it in), else
 * by a walk of its own. Empty when the file does not parse.
 */
export function walkFile(file: FileInput, query: NapiConfig): SgNode[] {
  const walked = file.walked?.get(query);
  if (walked) return [...walked];
  return file.ast()?.root().findAll(query) ?? [];
}
