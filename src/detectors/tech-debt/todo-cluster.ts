import { shellQuote } from '../dx/shell-quote.ts';
import { ONE_OFF_PATH } from '../one-off-code.ts';
import type { RawFinding, RepoDetector } from '../types.ts';
import { TODO_MARKER_ERE, type TodoComment, todoComments, todoCopies, todoItem } from './todo-comments.ts';

/**
 * A file named as one migration, by the version or timestamp it starts with (Keystone's
 * `27e647c0fad4_initial_version.py`, Django's `0001_initial.py`, Rails' and knex's
 * `20230101120000_add_users.js`), or a file in such a folder (Prisma's `20230101_init/migration.sql`).
 */
const MIGRATION_FILE = /(?:^|\/)(?:\d{3,}|[0-9a-f]{12}_|v\d+[_.-])[^/]*(?:\/[^/]+)?$/i;
const SEED_PATH = /(?:^|\/)seed(?:s|ers?)?\//i;

const THRESHOLD = 5;
const MAX_COPIES_CITED = 4;

/**
 * A TODO tied to a future release (`TODO in the next major release: remove`, `TODO webpack 6:`,
 * `TODO(v3): drop`, `TODO: breaking change`, paramiko's `TODO 3.0: remove` and `remove in 3.x`): scheduled work that cannot be done before that
 * release, not a forgotten gap. The direction report still sees them as a theme.
 */
const SCHEDULED =
  /(?:TODO|FIXME|HACK|XXX)(?:.*(?:(?:next|upcoming|future|following)\s+major|semver[- ]?major|breaking[- ]change|major\s+(?:release|version|bump))|[\s(:]*(?:(?:in|for)\s+)?(?:v[0-9]+|[0-9]+(?=\.)|[A-Za-z][A-Za-z0-9_.-]*\s+v?[0-9]+)(?:\.(?:[0-9]+|x))*\s*[:)]|.*\b(?:in|for|before|until)\s+v?[0-9]+(?:\.(?:[0-9]+|x))+\b)/i;
/** The same test for grep -iE. */
const SCHEDULED_ERE =
  '(TODO|FIXME|HACK|XXX)(.*((next|upcoming|future|following)[[:space:]]+major|semver[- ]?major|breaking[- ]change|major[[:space:]]+(release|version|bump))|[[:space:](:]*((in|for)[[:space:]]+)?(v[0-9]+|[0-9]+[.]|[A-Za-z][A-Za-z0-9_.-]*[[:space:]]+v?[0-9]+)([.]?([0-9]+|x))*[[:space:]]*[:)]|.*(in|for|before|until)[[:space:]]+v?[0-9]+([.]([0-9]+|x))+)';

/** A source file carrying many TODO/FIXME/HACK/XXX comments: known-unfinished work piling up in one place. */
export const todoCluster: RepoDetector = {
  id: 'tech-debt/todo-cluster',
  category: 'tech-debt',
  scope: 'repo',
  branchReads: 'files',
  title: 'Cluster of TODO/FIXME comments',
  description:
    'This file carries many TODO, FIXME, HACK or XXX comments. Each one is a known gap someone chose to defer; together they mark the file as unfinished, and readers cannot tell which gaps still matter.',
  impact: 'LOW',
  effort: 'M',
  risk: 'LOW',
  riskReason:
    'Resolving or removing comments is safe; fixing the work they describe touches behaviour and needs its own tests.',
  confidence: 'HIGH',
  fixSketch:
    'Triage every marker in the file: do the small ones now, delete the ones that are obsolete, and move the rest to the issue tracker with a link in place of the comment.',
  steps: [
    'List every TODO/FIXME/HACK/XXX comment in the file with its line number.',
    'For each one, read the code around it and decide: obsolete (delete the comment), small (do it now, with a test if behaviour changes), or large (leave a one-line comment that links to a new issue describing it).',
    'Run the test command after each behaviour change; it must pass.',
    'Run the done check; fewer than five markers must remain.',
  ],
  check(context) {
    const byFile = new Map<string, TodoComment[]>();
    for (const todo of todoComments(context)) {
      const line = context.read(todo.file)?.split(/\r?\n/)[todo.line - 1] ?? '';
      if (SCHEDULED.test(line)) continue;
      const list = byFile.get(todo.file) ?? [];
      list.push(todo);
      byFile.set(todo.file, list);
    }
    // A file whose TODOs are a copy of another's is reported with that one, once.
    const copies = todoCopies(context);
    const copiesOf = new Map<string, string[]>();
    for (const [copy, original] of copies) {
      if (!byFile.has(copy)) continue;
      const list = copiesOf.get(original) ?? [];
      list.push(copy);
      copiesOf.set(original, list);
    }
    const out: RawFinding[] = [];
    for (const [file, todos] of byFile) {
      // The same sentence pasted at each place of one pending change is one item, not six.
      const distinct = new Set(todos.map(todoItem)).size;
      if (distinct < THRESHOLD || copies.has(file)) continue;
      const counts = new Map<string, number>();
      for (const todo of todos) counts.set(todo.marker, (counts.get(todo.marker) ?? 0) + 1);
      const summary = [...counts.entries()].map(([marker, count]) => `${count} ${marker}`).join(', ');
      const first = todos[0];
      const copied = (copiesOf.get(file) ?? []).sort();
      const copiedNote =
        copied.length === 0
          ? ''
          : ` The same comments are copied, word for word, into ${copied.length} other file${copied.length === 1 ? '' : 's'} (${copied
              .slice(0, 2)
              .join(
                ', ',
              )}${copied.length > 2 ? ', …' : ''}): resolve them here, then regenerate or update the copies.`;
      // XXX marks a warning or a musing as often as work to do (pysaml2's `# XXX DONE calls
      // pre_signature_part`, passlib's `# XXX: would this be useful?`): when most markers are XXX,
      // the file is less surely unfinished.
      const mostlyXxx = (counts.get('XXX') ?? 0) * 2 > todos.length;
      // A migration is history once it has run (Keystone's initial migration carries six FIXMEs
      // about the schema it creates): the work they name goes in a new migration, not this file.
      // Only a file named as one migration counts, not the code that runs them (knex's
      // `lib/migrations/migrate/Migrator.js`) or a seed, which is edited like any source.
      const migration = ONE_OFF_PATH.test(file) && MIGRATION_FILE.test(file) && !SEED_PATH.test(file);
      out.push({
        file,
        ...(mostlyXxx || migration ? { confidence: 'MED' as const } : {}),
        startLine: first?.line ?? 1,
        endLine: first?.line ?? 1,
        related: copied.slice(0, MAX_COPIES_CITED).map((copy) => {
          const line = byFile.get(copy)?.[0]?.line ?? 1;
          return { file: copy, startLine: line, endLine: line };
        }),
        title: `${todos.length} TODO/FIXME comments in ${file}`,
        message: `${file} has ${todos.length} deferred-work comments (${summary}${distinct < todos.length ? `; ${distinct} different ones` : ''}), the first at line ${first?.line ?? 1}. ${
          migration
            ? 'This file is a migration or seed, which is not edited once it has run: what they ask for goes in a new migration, and the notes themselves belong in the issue tracker.'
            : 'Together they mark this file as unfinished, and nobody can tell which gaps still matter.'
        }${mostlyXxx ? ' Most are XXX, which also marks notes and warnings: read them before counting them as work.' : ''}${copiedNote}`,
        // Count the markers as found above: TODOs scheduled for a future release do not count.
        doneCheck: `test "$(grep -E ${shellQuote(TODO_MARKER_ERE)} ${shellQuote(file)} | grep -viE ${shellQuote(SCHEDULED_ERE)} | grep -c .)" -lt ${THRESHOLD}`,
      });
    }
    return out;
  },
};
