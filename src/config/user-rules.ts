import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NapiConfig } from '@ast-grep/napi';
import { parseSource } from '../audit/parse.ts';
import { UsageError } from '../core/errors.ts';
import { CATEGORIES, type Category, type Language } from '../core/types.ts';
import { yaml } from '../core/yaml.ts';
import type { UserRuleSpec } from '../detectors/user-rule.ts';

/** Where a repository keeps its own ast-grep rules. */
export const USER_RULES_DIR = '.improve/rules';

export interface LoadedUserRules {
  specs: UserRuleSpec[];
  /** The rule files' text, in order: part of the cache's rule-set version. */
  sources: string[];
}

const EXAMPLE = `id: no-sync-fs-in-routes
language: typescript
rule:
  pattern: fs.readFileSync($$$)
  inside:
    kind: function_declaration
    has: { field: name, pattern: $NAME }
    stopBy: end
message: Synchronous file read in $NAME blocks the event loop
category: performance
title: Synchronous file read
fixSketch: Use fs.promises.readFile and await it.
impact: MED        # HIGH | MED | LOW (default MED)
effort: S          # S | M | L (default S)
risk: LOW          # HIGH | MED | LOW (default LOW)
confidence: MED    # HIGH | MED | LOW (default MED)`;

const LANGUAGES: Record<string, Language> = {
  typescript: 'typescript',
  ts: 'typescript',
  tsx: 'tsx',
  javascript: 'javascript',
  js: 'javascript',
  jsx: 'javascript',
  python: 'python',
  py: 'python',
};
const LEVELS = ['HIGH', 'MED', 'LOW'] as const;
const EFFORTS = ['S', 'M', 'L'] as const;
const KNOWN_KEYS = new Set([
  'id',
  'language',
  'rule',
  'constraints',
  'utils',
  'message',
  'note',
  'severity',
  'category',
  'title',
  'impact',
  'effort',
  'risk',
  'riskReason',
  'confidence',
  'fixSketch',
  'steps',
]);
const DEFAULT_RISK_REASON = 'A rule written for this repository; the change is confined to the flagged code.';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(where: string, what: string): never {
  throw new UsageError(`${where}: ${what}`, `A rule file holds one or more YAML documents like:\n${EXAMPLE}`);
}

function text(data: Record<string, unknown>, key: string, where: string): string {
  const value = data[key];
  if (typeof value !== 'string' || value.trim() === '') fail(where, `"${key}" must be a non-empty string`);
  return value.trim();
}

function oneOf<T extends string>(
  data: Record<string, unknown>,
  key: string,
  allowed: readonly T[],
  fallback: T,
  where: string,
): T {
  const value = data[key] ?? fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value.toUpperCase())) {
    fail(where, `"${key}" must be one of ${allowed.join(', ')}`);
  }
  return value.toUpperCase() as T;
}

function languagesOf(value: unknown, where: string): Language[] {
  const names = Array.isArray(value) ? value : [value];
  if (names.length === 0) fail(where, '"language" is required');
  return [
    ...new Set(
      names.map((name) => {
        const language = typeof name === 'string' ? LANGUAGES[name.toLowerCase()] : undefined;
        if (!language) {
          fail(
            where,
            `"language" ${JSON.stringify(name)} is not supported; use typescript, tsx, javascript or python`,
          );
        }
        return language;
      }),
    ),
  ];
}

/** Every `pattern` string in a rule, its sub-rules, utils and constraints. */
function patternsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(patternsIn);
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'pattern' && typeof inner === 'string' ? [inner] : patternsIn(inner),
  );
}

/**
 * Whether a pattern reads as code of the language: ast-grep accepts one that does not (an
 * unclosed `print($VALUE`) and then matches nothing the user meant. Metavariables are written as
 * ast-grep writes them before parsing: `$` itself in JavaScript, `µ` in Python.
 */
function patternParses(pattern: string, language: Language): boolean {
  const code = language === 'python' ? pattern.replaceAll('$', 'µ') : pattern;
  const root = parseSource(language, code)?.root();
  return root !== undefined && root.find({ rule: { kind: 'ERROR' } }) === null;
}

/** Check the rule the way ast-grep will run it: unknown kinds, fields and bad regexes are refused here. */
function checkNatively(config: NapiConfig, languages: readonly Language[], where: string): void {
  for (const language of languages) {
    try {
      parseSource(language, '')?.root().findAll(config);
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n').join(' ');
      fail(where, `"rule" is not a valid ast-grep rule for ${language}: ${reason}`);
    }
    const broken = patternsIn(config).find((pattern) => !patternParses(pattern, language));
    if (broken !== undefined)
      fail(
        where,
        `the pattern ${JSON.stringify(broken)} is not valid ${language} code, so it would match nothing as written`,
      );
  }
}

function parseRule(data: unknown, where: string): Omit<UserRuleSpec, 'source'> {
  if (!isRecord(data))
    fail(where, 'expected a mapping with id, language, rule, message, category, title, fixSketch');
  for (const key of Object.keys(data)) {
    if (!KNOWN_KEYS.has(key)) fail(where, `unknown key "${key}" (known keys: ${[...KNOWN_KEYS].join(', ')})`);
  }
  const id = text(data, 'id', where);
  if (!/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)?$/i.test(id)) {
    fail(where, `"id" ${JSON.stringify(id)} must be letters, digits, ".", "_" or "-" (one "/" allowed)`);
  }
  const at = `${where} (rule "${id}")`;
  const languages = languagesOf(data.language, at);
  if (!isRecord(data.rule)) fail(at, '"rule" must be an ast-grep rule object, e.g. { pattern: eval($X) }');
  const config: NapiConfig = { rule: data.rule };
  for (const key of ['constraints', 'utils'] as const) {
    const value = data[key];
    if (value === undefined) continue;
    if (!isRecord(value)) fail(at, `"${key}" must be a mapping of rule objects`);
    // Shape checked by ast-grep itself in checkNatively below.
    config[key] = value as Record<string, NapiConfig['rule']>;
  }
  const category = text(data, 'category', at);
  if (!(CATEGORIES as readonly string[]).includes(category)) {
    fail(at, `"category" must be one of ${CATEGORIES.join(', ')}`);
  }
  const steps = data.steps;
  if (steps !== undefined && (!Array.isArray(steps) || !steps.every((s) => typeof s === 'string'))) {
    fail(at, '"steps" must be a list of strings');
  }
  checkNatively(config, languages, at);
  const message = text(data, 'message', at);
  const spec: Omit<UserRuleSpec, 'source'> = {
    id,
    languages,
    config,
    message,
    category: category as Category,
    title: text(data, 'title', at),
    description: data.note === undefined ? message : text(data, 'note', at),
    impact: oneOf(data, 'impact', LEVELS, 'MED', at),
    effort: oneOf(data, 'effort', EFFORTS, 'S', at),
    risk: oneOf(data, 'risk', LEVELS, 'LOW', at),
    riskReason: data.riskReason === undefined ? DEFAULT_RISK_REASON : text(data, 'riskReason', at),
    confidence: oneOf(data, 'confidence', LEVELS, 'MED', at),
    fixSketch: text(data, 'fixSketch', at),
  };
  if (steps) spec.steps = steps as string[];
  return spec;
}

/**
 * Load `.improve/rules/*.yml` (and `*.yaml`) of the audited repository: each YAML document is one
 * ast-grep rule with improve's metadata. Anything invalid, or an id that a built-in detector or
 * another rule already uses, is a UsageError naming the file and what is wrong.
 */
export function loadUserRules(root: string, builtinIds: ReadonlySet<string>): LoadedUserRules {
  const dir = path.join(root, USER_RULES_DIR);
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort();
  } catch {
    return { specs: [], sources: [] };
  }
  const specs: UserRuleSpec[] = [];
  const sources: string[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const source = `${USER_RULES_DIR}/${name}`;
    const content = readFileSync(path.join(dir, name), 'utf8');
    sources.push(`${source}\n${content}`);
    yaml()
      .parseAllDocuments(content)
      .forEach((document, index, all) => {
        const where = all.length > 1 ? `${source} (document ${index + 1})` : source;
        const error = 'errors' in document ? document.errors[0] : undefined;
        if (error) {
          const line = error.linePos?.[0]?.line;
          fail(where, `invalid YAML${line ? ` at line ${line}` : ''}: ${error.message.split('\n')[0]}`);
        }
        const data: unknown = document.toJS();
        if (data === null || data === undefined) return;
        const spec = parseRule(data, where);
        if (builtinIds.has(spec.id)) {
          fail(
            where,
            `rule id "${spec.id}" is already used by a built-in detector; give the rule another id`,
          );
        }
        const earlier = seen.get(spec.id);
        if (earlier) fail(where, `rule id "${spec.id}" is already used in ${earlier}; ids must be unique`);
        seen.set(spec.id, where);
        specs.push({ ...spec, source });
      });
  }
  return { specs, sources };
}
