import type { SgNode } from '@ast-grep/napi';
import { resolveRelativeJs } from '../../audit/resolve-js.ts';
import { escapeRegExp } from '../../core/regex-literal.ts';
import { repoFiles } from '../repo-files.ts';
import type { FileInput, RepoContext } from '../types.ts';

/** A file a bundler hands over as its text or URL (`import icon from './check.svg?raw'`): the developer's. */
const ASSET = /\.(?:svg|html?|md|txt|xml)(?:\?[\w&=-]*)?$/i;

/**
 * A module whose whole export is one string written out, with no substitution: Keystone's
 * `colored-swatch.js`, `module.exports = (\`<svg …>…</svg>\`);`. Comments and `'use strict'` may
 * come first.
 */
const CONSTANT_MODULE =
  /^(?:\s*(?:\/\/[^\n]*|\/\*[\s\S]*?\*\/|['"]use strict['"];?))*\s*(?:module\.exports\s*=|export\s+default)\s*\(?\s*(?:`(?:[^`$\\]|\\.)*`|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")\s*\)?\s*;?\s*$/;
/** Larger modules are not one string of markup worth reading through. */
const MAX_MODULE = 64 * 1024;

/** The relative module whose default export `name` is bound to (`import x from './x'`, `const x = require('./x')`). */
function defaultImportSpecifier(name: string, text: string): string | undefined {
  const escaped = escapeRegExp(name);
  return new RegExp(
    `(?:\\bimport\\s+${escaped}\\s+from|\\b(?:const|let|var)\\s+${escaped}\\s*=\\s*require\\()\\s*(['"])(\\.{1,2}/[^'"\\n]+)\\1`,
  ).exec(text)?.[2];
}

/**
 * Whether `value`, a name, is markup the repository holds as a constant: imported from an asset
 * file (`.svg`, `.html`, `.md`…), or from a module of the repository that exports one string
 * written out. Either way the developer wrote it; no user can reach it.
 */
export function importedConstantMarkup(value: SgNode, file: FileInput, context: RepoContext): boolean {
  if (value.kind() !== 'identifier') return false;
  const specifier = defaultImportSpecifier(value.text(), file.text);
  if (!specifier) return false;
  if (ASSET.test(specifier)) return true;
  const target = resolveRelativeJs(file.path, specifier, repoFiles(context));
  const text = target ? context.read(target) : undefined;
  return text !== undefined && text.length <= MAX_MODULE && CONSTANT_MODULE.test(text);
}
