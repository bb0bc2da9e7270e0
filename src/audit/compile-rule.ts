import type { NodeView } from './node-view.ts';

/**
 * An ast-grep rule compiled to a predicate over memoised nodes, for the subset of the rule language
 * that built-in detectors use: `kind`, `regex`, `has`/`inside` (with `field`, `stopBy: neighbor|end`),
 * `all`, `any`, `not`. The semantics follow ast-grep's own (regex finds a match anywhere in the node
 * text; `has` looks at every child, named or not; `field` takes the first child of that field).
 * Anything else (`pattern`, `matches`, `precedes`, `constraints`, `stopBy: <rule>`…) is not compiled
 * and the caller runs the rule natively instead.
 */
export interface CompiledRule {
  /** Node kinds the rule can match; undefined when any kind can (then it is not compiled). */
  kinds: ReadonlySet<string>;
  test(view: NodeView): boolean;
}

interface Predicate {
  kinds: ReadonlySet<string> | undefined;
  test(view: NodeView): boolean;
}

type Json = Record<string, unknown>;

const RULE_KEYS = new Set(['kind', 'regex', 'has', 'inside', 'all', 'any', 'not']);
const RELATION_KEYS = new Set([...RULE_KEYS, 'field', 'stopBy']);
/** Escapes whose meaning differs between Rust's Unicode-aware regex and JavaScript's. */
const UNICODE_SENSITIVE = /\\[wWdDbB]/;
/** Anything but printable ASCII and ordinary whitespace (rarer controls just take the native path). */
const NON_ASCII = /[^\t\n\r -~]/;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

let nextMemoId = 0;

class Unsupported extends Error {}

/**
 * Whether a regex means the same in Rust and JavaScript: no inline flags or named groups, no
 * POSIX classes, and no escapes that only one of them knows (`\p{…}`, `\A`, `\z`, `\x{…}`, `\k`,
 * back-references).
 */
function portable(source: string): boolean {
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index];
    const next = source[index + 1] ?? '';
    if (char === '\\') {
      if (/[pPAzZxku0-9]/.test(next)) return false;
      index += 1;
    } else if (char === '(' && next === '?' && source[index + 2] !== ':') {
      return false;
    } else if (char === '[' && next === '[' && source[index + 2] === ':') {
      return false;
    }
  }
  return true;
}

/** Rust regex → JavaScript RegExp, or Unsupported when the syntax differs. */
function compileRegex(source: string): { regex: RegExp; sensitive: boolean } {
  let body = source;
  let flags = '';
  if (body.startsWith('(?i)')) {
    body = body.slice(4);
    flags = 'i';
  }
  if (!portable(body)) throw new Unsupported(`regex ${source}`);
  try {
    return { regex: new RegExp(body, flags), sensitive: UNICODE_SENSITIVE.test(body) };
  } catch {
    throw new Unsupported(`regex ${source}`);
  }
}

function intersect(sets: (ReadonlySet<string> | undefined)[]): ReadonlySet<string> | undefined {
  let result: Set<string> | undefined;
  for (const set of sets) {
    if (!set) continue;
    result = result ? new Set([...result].filter((kind) => set.has(kind))) : new Set(set);
  }
  return result;
}

function compileRelation(value: unknown, kind: 'has' | 'inside'): Predicate {
  if (!isRecord(value)) throw new Unsupported(`${kind} must be a rule object`);
  for (const key of Object.keys(value)) if (!RELATION_KEYS.has(key)) throw new Unsupported(key);
  const { field, stopBy, ...rest } = value;
  if (field !== undefined && typeof field !== 'string') throw new Unsupported('field');
  if (stopBy !== undefined && stopBy !== 'neighbor' && stopBy !== 'end') throw new Unsupported('stopBy');
  const inner = compileObject(rest);
  const end = stopBy === 'end';
  const memoId = nextMemoId++;
  const test = (view: NodeView): boolean => view.memo(memoId, () => inner.test(view));
  if (kind === 'has') {
    const anyBelow = (view: NodeView): boolean =>
      view.children().some((child) => test(child) || anyBelow(child));
    if (field !== undefined) {
      return {
        kinds: undefined,
        test: (view) => {
          const child = view.field(field);
          if (!child) return false;
          return end ? test(child) || anyBelow(child) : inner.test(child);
        },
      };
    }
    return {
      kinds: undefined,
      test: end ? anyBelow : (view) => view.children().some((child) => inner.test(child)),
    };
  }
  return {
    kinds: undefined,
    test: (view) => {
      let current = view;
      let parent = view.parent();
      while (parent) {
        const placed = field === undefined || parent.field(field)?.id() === current.id();
        if (placed && (end ? test(parent) : inner.test(parent))) return true;
        if (!end) return false;
        current = parent;
        parent = parent.parent();
      }
      return false;
    },
  };
}

function compileList(value: unknown, key: string): Predicate[] {
  if (!Array.isArray(value) || value.length === 0) throw new Unsupported(`${key} must be a list`);
  return value.map((item) => {
    if (!isRecord(item)) throw new Unsupported(`${key} item`);
    return compileObject(item);
  });
}

function compileObject(rule: Json): Predicate {
  const parts: Predicate[] = [];
  for (const [key, value] of Object.entries(rule)) {
    if (!RULE_KEYS.has(key)) throw new Unsupported(key);
    if (key === 'kind') {
      if (typeof value !== 'string') throw new Unsupported('kind');
      parts.push({ kinds: new Set([value]), test: (view) => view.kind() === value });
    } else if (key === 'regex') {
      if (typeof value !== 'string') throw new Unsupported('regex');
      const { regex, sensitive } = compileRegex(value);
      parts.push({
        kinds: undefined,
        test: (view) => {
          const text = view.text();
          // Rust's \w, \d, \b are Unicode-aware: let ast-grep decide for non-ASCII text.
          if (sensitive && NON_ASCII.test(text)) return view.node.matches({ rule: { regex: value } });
          return regex.test(text);
        },
      });
    } else if (key === 'has' || key === 'inside') {
      parts.push(compileRelation(value, key));
    } else if (key === 'not') {
      if (!isRecord(value)) throw new Unsupported('not');
      const inner = compileObject(value);
      parts.push({ kinds: undefined, test: (view) => !inner.test(view) });
    } else if (key === 'all') {
      const items = compileList(value, key);
      parts.push({
        kinds: intersect(items.map((i) => i.kinds)),
        test: (view) => items.every((i) => i.test(view)),
      });
    } else {
      const items = compileList(value, key);
      const known = items.every((i) => i.kinds !== undefined);
      const kinds = known ? new Set(items.flatMap((i) => [...(i.kinds ?? [])])) : undefined;
      parts.push({ kinds, test: (view) => items.some((i) => i.test(view)) });
    }
  }
  if (parts.length === 0) throw new Unsupported('empty rule');
  // Cheap checks first: kind, then regex, then relations.
  const ordered = [...parts].sort((a, b) => Number(b.kinds !== undefined) - Number(a.kinds !== undefined));
  return {
    kinds: intersect(parts.map((p) => p.kinds)),
    test: (view) => ordered.every((p) => p.test(view)),
  };
}

/**
 * Compile a rule config (`{ rule, … }`); undefined when it uses anything beyond the supported
 * subset or can match nodes of any kind, so that ast-grep must run it itself.
 */
export function compileRule(config: unknown): CompiledRule | undefined {
  if (!isRecord(config) || !isRecord(config.rule)) return undefined;
  for (const key of Object.keys(config)) if (key !== 'rule' && key !== 'language') return undefined;
  try {
    const compiled = compileObject(config.rule);
    return compiled.kinds ? { kinds: compiled.kinds, test: compiled.test } : undefined;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}
