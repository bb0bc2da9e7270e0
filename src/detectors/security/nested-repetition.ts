/**
 * Whether a regular expression can backtrack exponentially: a repeated group that contains a
 * repetition (`([0-9]+)+`, `(\w+\s?)*`), unless every way through the group is pinned by a
 * separator the inner repetitions cannot match (`(-[a-z0-9]{2,8})*`, `(\.[^.]+)*`), which leaves
 * only one way to split an input. Patterns are parsed with regexpp (ECMAScript syntax; Python's
 * named groups are translated first).
 */
import { type AST, RegExpParser } from '@eslint-community/regexpp';

const parser = new RegExpParser({ ecmaVersion: 2025 });

type Node = AST.Node;

/** Python's `(?P<name>…)`/`(?P=name)` as ECMAScript; a leading inline flag group dropped. */
function ecmascript(pattern: string, python: boolean): string {
  if (!python) return pattern;
  return pattern
    .replace(/^\(\?[aiLmsux]+\)/, '')
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
}

/** Quantifiers inside `node` that repeat (their maximum is above one), not looking into lookarounds. */
function repetitionsIn(node: Node): AST.Quantifier[] {
  const out: AST.Quantifier[] = [];
  const visit = (current: Node) => {
    if (current.type === 'Assertion') return;
    if (current.type === 'Quantifier') {
      if (current.max > 1) out.push(current);
      visit(current.element);
      return;
    }
    if (current.type === 'Group' || current.type === 'CapturingGroup' || current.type === 'Pattern')
      for (const alternative of current.alternatives) visit(alternative);
    if (current.type === 'Alternative') for (const element of current.elements) visit(element);
  };
  visit(node);
  return out;
}

/** Whether the repeated atom can match the character; unknown (a group) counts as yes. */
function canMatch(atom: Node, character: string, flags: string): boolean {
  if (atom.type !== 'Character' && atom.type !== 'CharacterClass' && atom.type !== 'CharacterSet')
    return true;
  try {
    return new RegExp(`^(?:${atom.raw})$`, flags).test(character);
  } catch {
    return true;
  }
}

/** A literal character that starts or ends the alternative, matched once. */
function separators(alternative: AST.Alternative): string[] {
  const elements = alternative.elements.filter((element) => element.type !== 'Assertion');
  return [elements[0], elements[elements.length - 1]]
    .filter((element): element is AST.Character => element?.type === 'Character')
    .map((element) => String.fromCodePoint(element.value));
}

/** Whether a repeated group can match one input in more than one way because of a repetition inside it. */
function ambiguous(group: AST.Group | AST.CapturingGroup, flags: string): boolean {
  return group.alternatives.some((alternative) => {
    const inner = repetitionsIn(alternative);
    if (inner.length === 0) return false;
    return !separators(alternative).some((separator) =>
      inner.every((quantifier) => !canMatch(quantifier.element, separator, flags)),
    );
  });
}

/**
 * The repeated group that makes `pattern` backtrack exponentially (its source), or undefined when
 * there is none or the pattern cannot be read.
 */
export function nestedRepetition(pattern: string, flags = '', python = false): string | undefined {
  let root: AST.Pattern;
  const unicode = flags.includes('u') || flags.includes('v');
  try {
    root = parser.parsePattern(ecmascript(pattern, python), undefined, undefined, {
      unicode: flags.includes('u'),
      unicodeSets: flags.includes('v'),
    });
  } catch {
    return undefined;
  }
  const testFlags = `${flags.includes('i') ? 'i' : ''}${flags.includes('s') ? 's' : ''}${unicode ? 'u' : ''}`;
  for (const quantifier of repetitionsIn(root)) {
    if (quantifier.max !== Number.POSITIVE_INFINITY) continue;
    const element = quantifier.element;
    if (element.type !== 'Group' && element.type !== 'CapturingGroup') continue;
    if (ambiguous(element, testFlags)) return quantifier.raw;
  }
  return undefined;
}
