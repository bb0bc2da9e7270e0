import { type ImportGraph, importGraph } from '../tech-debt/import-graph.ts';
import type { Definition } from '../tech-debt/module-facts.ts';
import type { RawFinding, RepoContext, RepoDetector } from '../types.ts';
import { citeLines } from './cite-lines.ts';

const CREATE = /^(?:create|add|insert|register)$/;
const UPDATE = /^(?:update|edit|patch|modify)$/;
const REMOVE =
  /^(?:delete|deleted|remove|destroy|archive|drop|purge|trash|deactivate|disable|unregister|revoke|cancel|close|expire|invalidate|clear|unlink|detach|erase|discard|del|rm)$/;
/** Things that are made, not stored: no one deletes a server, a context or an error. */
const NOT_ENTITIES = new Set(
  (
    'app application server client context store logger log element node component router route instance error ' +
    'hash token session request response handler middleware plugin schema type types config options option ' +
    'connection pool stream buffer event emitter listener observer subscription reducer action selector hook ' +
    'provider factory builder parser renderer worker job task queue timer promise map set array object string ' +
    'index table column field migration test mock spy stub fixture'
  ).split(' '),
);
const MAX_LISTED = 3;

/** Lower-case parts of a camelCase or snake_case identifier. */
function words(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split('_')
    .filter(Boolean);
}

interface Verbed {
  verb: string;
  noun: string;
}

/** `createUser` → create/user, `delete_user_account` → delete/user_account, `createUsers` → create/user. */
function split(name: string): Verbed | undefined {
  const snake = /^([a-z]+)_(\w+)$/.exec(name);
  const camel = /^([a-z]+)([A-Z]\w*)$/.exec(name);
  const verb = snake?.[1] ?? camel?.[1];
  const rest = snake?.[2] ?? camel?.[2];
  if (!verb || !rest) return undefined;
  let noun = words(rest)
    .join('_')
    .replace(/_?(?:by_id|async|sync|one|many|all|handler|action)$/, '');
  if (noun.endsWith('ies')) noun = `${noun.slice(0, -3)}y`;
  else if (/(?:ss|sh|ch|x)es$/.test(noun)) noun = noun.slice(0, -2);
  else if (noun.endsWith('s') && !noun.endsWith('ss')) noun = noun.slice(0, -1);
  return noun === '' ? undefined : { verb, noun };
}

/** Calls that store something: an ORM or query-builder write, SQL INSERT, a POST request. */
const STORE_WRITE =
  /\b(?:prisma|db|knex|sequelize|repository|repo|session|collection|model|objects|cursor|client|pool|conn|connection|table|store|em|manager|supabase|firestore|redis|api|http|axios)\b[\w.$()'"]*\.(?:create\w*|insert\w*|save|add|put|upsert|execute|query|set|hset|post|push|commit)\(|\bINSERT\s+INTO\b|\.objects\.create\(|\bmethod:\s*['"]POST['"]/i;
/**
 * A model class's write (`User.create(…)`, `new Post(…).save()`): its capital matters, so apart
 * from the case-blind STORE_WRITE (which took `configurations.create(` on Stripe for one).
 */
const MODEL_WRITE = /\b[A-Z]\w*\.create\(|\bnew\s+[A-Z]\w*\([^)]*\)\.save\(/;
const BODY_LINES = 40;

interface Located extends Definition {
  file: string;
  /** The line of the file's next definition, where this one's body has ended. */
  next?: number;
}

/**
 * Whether the create function stores what it creates (so deleting it is a real operation): a
 * write in its first lines, before the next definition of the file begins (Ghost's Stripe
 * wrapper: `createBillingPortalConfiguration` only forwards to Stripe, whose writes further down
 * belong to other methods).
 */
function persists(definition: Located, context: RepoContext): boolean {
  const lines = (context.read(definition.file) ?? '').split(/\r?\n/);
  const end = Math.min(definition.line - 1 + BODY_LINES, (definition.next ?? Number.POSITIVE_INFINITY) - 1);
  const body = lines.slice(definition.line - 1, end).join('\n');
  return STORE_WRITE.test(body) || MODEL_WRITE.test(body);
}

/** `prisma.user.delete(…)`, `User.destroy(…)`, `router.delete('/users/:id', …)` anywhere in the source. */
function deletedThroughClient(noun: string, context: RepoContext, graph: ImportGraph): boolean {
  const name = noun.split('_').join('_?');
  const pattern = new RegExp(
    `\\b${name}(?:e?s)?(?:\\.\\w+)*\\.(?:delete\\w*|remove\\w*|destroy\\w*|findOneAndDelete|findByIdAndDelete|findByIdAndRemove)\\b|\\.(?:delete|del)\\(\\s*['"\`][^'"\`]*${name}|\\bDELETE\\s+FROM\\s+\\W?${name}`,
    'i',
  );
  for (const module of graph.index.modules.values()) {
    if (module.role !== 'source') continue;
    if (pattern.test(context.read(module.path) ?? '')) return true;
  }
  return false;
}

/**
 * Entities the code can create and update but never delete: a one-directional API that usually
 * means data piles up, users cannot undo, or a compliance request (erase my data) has no path.
 */
export const createWithoutDelete: RepoDetector = {
  id: 'direction/create-without-delete',
  category: 'direction',
  scope: 'repo',
  // A delete path may be anywhere in the repository: no branch scope can tell that it is missing.
  branchReads: 'none',
  title: 'Things can be created and updated but never deleted',
  description:
    'The code defines functions to create and update these records but nothing that deletes, removes or archives them. Records pile up, users cannot undo what they made, and a request to erase someone’s data has no code path.',
  impact: 'MED',
  effort: 'M',
  risk: 'MED',
  riskReason:
    'Deleting data is irreversible; it needs authorisation checks and a decision on cascading and soft deletes.',
  confidence: 'LOW',
  fixSketch:
    'Add the missing delete (or archive) operation next to the existing create/update ones, with the same authorisation checks, a decision on related records (cascade, restrict or soft delete), and tests.',
  steps: [
    'Open the cited create and update functions and list the storage they write to and the checks they perform.',
    'Decide with the maintainers whether the record should be hard-deleted, soft-deleted (a `deleted_at` column) or archived, and what happens to records that reference it.',
    'Implement the delete/archive function next to the others, with the same authorisation checks, and expose it the same way (route, command, method).',
    'Add tests for deleting an existing record, a missing record and a record the caller may not delete; run the test command.',
  ],
  quick: false,
  check(context) {
    const graph = importGraph(context);
    const byNoun = new Map<string, { create?: Located; update?: Located }>();
    for (const module of graph.index.modules.values()) {
      if (module.role !== 'source') continue;
      const starts = module.facts.definitions.map((d) => d.line).sort((a, b) => a - b);
      for (const definition of module.facts.definitions) {
        if (definition.kind === 'class') continue;
        const parts = split(definition.name);
        if (!parts || NOT_ENTITIES.has(parts.noun)) continue;
        const kind = CREATE.test(parts.verb) ? 'create' : UPDATE.test(parts.verb) ? 'update' : undefined;
        if (!kind) continue;
        const entry = byNoun.get(parts.noun) ?? {};
        const next = starts.find((line) => line > definition.line);
        entry[kind] ??= { ...definition, file: module.path, ...(next === undefined ? {} : { next }) };
        byNoun.set(parts.noun, entry);
      }
    }
    const candidates = [...byNoun.entries()].filter(
      ([, entry]) => entry.create && entry.update && persists(entry.create, context),
    );
    if (candidates.length === 0) return [];
    // Any identifier anywhere that pairs the noun with a removal verb counts as a delete path.
    const removals = [...graph.index.words.keys()]
      .map(words)
      .filter((parts) => parts.some((part) => REMOVE.test(part)))
      .map((parts) => parts.join(''));
    const missing = candidates
      .filter(([noun]) => {
        const compact = noun.replaceAll('_', '');
        return !removals.some((word) => word.includes(compact));
      })
      .sort((a, b) => a[0].localeCompare(b[0]))
      .filter(([noun]) => !deletedThroughClient(noun, context, graph));
    if (missing.length === 0) return [];
    const listed = missing.slice(0, MAX_LISTED);
    const cites = listed.flatMap(([, entry]) => [entry.create, entry.update]).filter((d) => d !== undefined);
    const cited = citeLines(cites);
    if (!cited) return [];
    const names = listed.map(
      ([noun, entry]) =>
        `${noun.replaceAll('_', ' ')} (\`${entry.create?.name}\`, \`${entry.update?.name}\`)`,
    );
    const finding: RawFinding = {
      ...cited,
      title:
        listed.length === 1
          ? `${listed[0]?.[0].replaceAll('_', ' ')} records can be created and updated but never deleted`
          : `${missing.length} kinds of record can be created and updated but never deleted`,
      message: `The code creates and updates ${names.join(', ')}${missing.length > MAX_LISTED ? `, and ${missing.length - MAX_LISTED} more` : ''}, but no function anywhere deletes, removes or archives them.`,
      key: 'create-without-delete',
    };
    return [finding];
  },
};
