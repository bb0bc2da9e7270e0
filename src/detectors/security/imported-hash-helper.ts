import type { SgNode } from '@ast-grep/napi';
import { resolveRelativeJs } from '../../audit/resolve-js.ts';
import { escapeRegExp } from '../../core/regex-literal.ts';
import { callArguments, calleeText } from '../correctness/enclosing-function.ts';
import { lineGoneCheck } from '../correctness/finding-at.ts';
import { repoFiles } from '../repo-files.ts';
import type { FileInput, RepoContext } from '../types.ts';

/** A hashing helper of another module of the repository: where it is defined and what it uses. */
export interface HashHelper {
  /** The helper's module, repo-relative. */
  file: string;
  /** 1-based line of its definition. */
  line: number;
  algorithm: string;
  /** A done check that passes once the definition line is rewritten. */
  doneCheck: string | undefined;
}

/** How far past a helper's name its body may use the hash: a one-liner or a short function. */
const BODY_CHARS = 400;
const BROKEN_HASH = /createHash\(\s*['"](md5|sha1|md4)['"]\s*\)/i;

/**
 * The relative module a callee's function comes from, and the function's name there:
 * `security.hash` with `import * as security from '../lib/insecurity'` or
 * `const security = require('../lib/insecurity')`; `hash` imported by name.
 */
function importedFrom(callee: string, text: string): { specifier: string; name: string } | undefined {
  const member = /^([\w$]+)\.([\w$]+)$/.exec(callee);
  if (member?.[1] && member[2]) {
    const object = escapeRegExp(member[1]);
    const module = new RegExp(
      `(?:import\\s+\\*\\s+as\\s+${object}\\s+from|import\\s+${object}\\s+from|(?:const|let|var)\\s+${object}\\s*=\\s*require\\()\\s*['"](\\.[^'"]+)['"]`,
    ).exec(text);
    return module?.[1] ? { specifier: module[1], name: member[2] } : undefined;
  }
  if (!/^[\w$]+$/.test(callee)) return undefined;
  const name = escapeRegExp(callee);
  const named = new RegExp(
    `(?:import\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*from|(?:const|let|var)\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*=\\s*require\\()\\s*['"](\\.[^'"]+)['"]`,
  ).exec(text);
  return named?.[1] ? { specifier: named[1], name: callee } : undefined;
}

/**
 * Where `name` is defined in a module's text and whether its body hashes with a broken
 * algorithm: `export const hash = (data) => crypto.createHash('md5').update(data).digest('hex')`,
 * `function hash(x) { … }`, `exports.hash = …`, `hash: function (x) { … }`.
 */
function brokenHashDefinition(text: string, name: string): { index: number; algorithm: string } | undefined {
  const escaped = escapeRegExp(name);
  const definition = new RegExp(
    `(?:\\bfunction\\s+${escaped}\\s*\\(|(?:\\bexports\\.|\\b(?:const|let|var)\\s+|^\\s*)${escaped}\\s*[:=]\\s*(?:async\\s+)?(?:function\\b|\\(|[\\w$]+\\s*=>))`,
    'm',
  );
  const found = definition.exec(text);
  if (!found) return undefined;
  const body = text.slice(found.index, found.index + BODY_CHARS);
  // Only up to the next definition at the start of a line: the helper's own body.
  const own = body.split(/\n(?=(?:export\s+)?(?:const|let|var|function|class)\b|exports\.)/)[0] ?? body;
  const hash = BROKEN_HASH.exec(own);
  return hash?.[1] ? { index: found.index, algorithm: hash[1].toLowerCase() } : undefined;
}

/**
 * A call that hands a value to a hashing helper of another module of the repository which hashes
 * it with MD5 or SHA-1 (Juice Shop's `security.hash(req.body.password)`, defined in
 * lib/insecurity.ts). Undefined when the callee is not such a helper.
 */
export function importedHashHelper(
  node: SgNode,
  file: FileInput,
  context: RepoContext,
): HashHelper | undefined {
  if (callArguments(node).length === 0) return undefined;
  const imported = importedFrom(calleeText(node).replace(/\s+/g, ''), file.text);
  if (!imported) return undefined;
  const target = resolveRelativeJs(file.path, imported.specifier, repoFiles(context));
  const text = target ? context.read(target) : undefined;
  if (!target || text === undefined) return undefined;
  const definition = brokenHashDefinition(text, imported.name);
  if (!definition) return undefined;
  const line = text.slice(0, definition.index).split('\n').length;
  const lines = text.split(/\r?\n/);
  return {
    file: target,
    line,
    algorithm: definition.algorithm,
    doneCheck: lineGoneCheck({ path: target, lines }, line),
  };
}
