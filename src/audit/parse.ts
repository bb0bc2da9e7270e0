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

/** Parse source with ast-grep's native tree-sitter; undefined when the parser refuses the text. */
export function parseSource(language: Language, text: string): SgRoot | undefined {
  try {
    return parse(astLanguage(language), text);
  } catch {
    return undefined;
  }
}
