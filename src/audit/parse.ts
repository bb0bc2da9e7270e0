import python from '@ast-grep/lang-python';
import { Lang, parse, registerDynamicLanguage, type SgRoot } from '@ast-grep/napi';
import type { Language } from '../core/types.ts';

let pythonRegistered = false;

function astLanguage(language: Language): string {
  switch (language) {
    case 'typescript':
      return Lang.TypeScript;
    case 'tsx':
      return Lang.Tsx;
    case 'javascript':
      return Lang.JavaScript;
    case 'python':
      if (!pythonRegistered) {
        registerDynamicLanguage({ python });
        pythonRegistered = true;
      }
      return 'python';
  }
}

/**
 * An `await` (or `void`, `typeof`, `!`) before a call with type arguments: tree-sitter's TypeScript
 * grammar reads `await prisma.$queryRawUnsafe<User[]>(sql)` as a call of `(await
 * prisma.$queryRawUnsafe)`, so no rule about a method call saw the commonest typed ORM and HTTP
 * calls (`await axios.get<T>(url)`). The match ends at the `<` of the type arguments: the callee
 * is a name followed by member accesses, indexes and calls (one level of nested parentheses).
 */
const PREFIXED_GENERIC_CALL =
  /(?:\b(?:await|void|typeof)\s+|!)(?=[\w$#])[\w$#]+(?:\s*\??\.\s*[\w$#]+|\[[^\]\n]*\]|\((?:[^()\n]|\([^()\n]*\))*\))*\s*</g;
/** The longest type argument list blanked: longer ones are left as they are. */
const MAX_TYPE_ARGUMENTS = 400;

/**
 * Where the type argument list opened at `open` ends (its `>`), when a call's arguments follow it;
 * -1 when it is not one (a comparison, `&&`, or a `;` outside braces before it closes, or too long).
 */
function typeArgumentsEnd(text: string, open: number): number {
  let depth = 0;
  // Braces and parentheses opened inside the list: an object type's members end with `;`
  // (`await get<{ data: ArrayBuffer; name: string }>(key)`), and a `)` or `}` that closes one
  // opened before the `<` means it was a comparison (`if (!a < b) { c; } d > (e)`).
  let braces = 0;
  let parentheses = 0;
  const limit = Math.min(text.length, open + MAX_TYPE_ARGUMENTS);
  for (let at = open; at < limit; at += 1) {
    const code = text.charCodeAt(at);
    if (code === 123)
      braces += 1; // {
    else if (code === 125) {
      braces -= 1; // }
      if (braces < 0) return -1;
    } else if (code === 40)
      parentheses += 1; // (
    else if (code === 41) {
      parentheses -= 1; // )
      if (parentheses < 0) return -1;
    } else if (code === 60)
      depth += 1; // <
    else if (code === 62 && text.charCodeAt(at - 1) !== 61) {
      // > (not the `=>` of a function type)
      depth -= 1;
      if (depth === 0) {
        if (braces !== 0 || parentheses !== 0) return -1;
        let next = at + 1;
        while (next < text.length && /\s/.test(text.charAt(next))) next += 1;
        return text.charCodeAt(next) === 40 ? at : -1; // (
      }
    } else if (code === 59 && braces === 0)
      return -1; // ; (not one ending an object type's member)
    else if (code === 63 && !/[:.]/.test(text.charAt(at + 1)))
      return -1; // a ternary's ?, not `a?:` or `?.`
    else if ((code === 38 || code === 124) && text.charCodeAt(at + 1) === code) return -1; // && ||
  }
  return -1;
}

/**
 * The text with the type arguments of every prefixed generic call blanked (spaces, newlines kept),
 * so that the tree has the call under the `await` as the grammar means it. Offsets and lines are
 * unchanged; only those type arguments are missing from the tree's text.
 */
export function withoutPrefixedTypeArguments(text: string): string {
  if (!text.includes('>(') && !/>\s+\(/.test(text)) return text;
  const parts: string[] = [];
  let from = 0;
  for (const match of text.matchAll(PREFIXED_GENERIC_CALL)) {
    const open = match.index + match[0].length - 1;
    const close = typeArgumentsEnd(text, open);
    if (close === -1) continue;
    parts.push(text.slice(from, open), text.slice(open, close + 1).replace(/[^\n\r]/g, ' '));
    from = close + 1;
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(from));
  return parts.join('');
}

/** Parse source with ast-grep's native tree-sitter; undefined when the parser refuses the text. */
export function parseSource(language: Language, text: string): SgRoot | undefined {
  try {
    const source =
      language === 'typescript' || language === 'tsx' ? withoutPrefixedTypeArguments(text) : text;
    return parse(astLanguage(language), source);
  } catch {
    return undefined;
  }
}
