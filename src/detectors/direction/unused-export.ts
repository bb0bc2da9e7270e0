import type { Confidence } from '../../core/types.ts';
import { baseName } from '../dx/find-line.ts';
import { entryPoints, publicModules, stemOf } from '../tech-debt/entry-points.ts';
import { importGraph, isDynamicallyLoaded } from '../tech-debt/import-graph.ts';
import { concludableModules, ensureLoaders, ensureNamed, ensureWords } from '../tech-debt/scoped-graph.ts';
import type { RawFinding, RepoDetector } from '../types.ts';
import { citeLines } from './cite-lines.ts';

const MAX_LISTED = 6;
/** Names a framework or runtime calls by convention. */
const CONVENTIONAL =
  /^(?:default|main|handler|setup|teardown|register|activate|deactivate|middleware|config|loader|action|meta|links|headers|generateMetadata|generateStaticParams|getServerSideProps|getStaticProps|getStaticPaths|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|load|prerender|ready|app|application|create_app|celery)$/;
const ENTRY_NAME =
  /^(?:index|main|app|server|cli|worker|entry|bootstrap|mod|lib|__init__|__main__|manage|wsgi|asgi|conftest|settings|urls|admin|apps|models|views|tasks|signals|middleware|routes?|api)$/;

/** Exported functions and classes that no other file imports or mentions, and their own file never uses. */
export const unusedExport: RepoDetector = {
  id: 'direction/unused-export',
  category: 'direction',
  scope: 'repo',
  title: 'Exported code that nothing uses',
  description:
    'These functions and classes are exported, but no other file imports or mentions them, and their own module does not call them. They are either unfinished features that were never wired in, or leftovers of one that was removed.',
  impact: 'LOW',
  // Choosing between finishing the feature and deleting it takes a look at its history first.
  effort: 'M',
  risk: 'LOW',
  riskReason:
    'Deleting code nothing references changes no behaviour; wiring it in is a feature with its own tests.',
  confidence: 'LOW',
  fixSketch:
    'For each one, check the history (`git log -S "<name>"`) for why it was added. Wire it in where it was meant to be used (with a test), or delete it.',
  steps: [
    'For each listed name, search the whole repository (including configuration and docs) for it, and run `git log -S "<name>" --oneline` to see where it came from.',
    'If it belongs to a feature that was never finished, decide with the maintainers whether to finish it; if so, call it where intended and add a test.',
    'Otherwise delete it (and any test that only covers it).',
    'Run the typecheck and test commands; both must pass.',
  ],
  quick: false,
  check(context) {
    const graph = importGraph(context);
    // A library's exports are its API: unused inside the repository is expected there.
    if (context.profile.publishedPackage) return [];
    const entries = entryPoints(context);
    if (!entries.entriesFound) return []; // the public surface is built from files not in the repository
    const pythonLibrary = context.profile.files.some((file) =>
      /(?:^|\/)(?:setup\.py|setup\.cfg|pyproject\.toml)$/.test(file.path),
    );
    const unused: { file: string; name: string; line: number; confidence: Confidence }[] = [];
    for (const module of concludableModules(context, graph)) {
      const file = module.path;
      if (module.role !== 'source') continue;
      if (ENTRY_NAME.test(baseName(stemOf(file))) || module.facts.script || module.facts.exports.dynamic)
        continue;
      const importers = graph.importers.get(file) ?? [];
      if (importers.length === 0) continue; // a whole unused file is tech-debt/unused-file's finding
      if (importers.some((edge) => edge.ref.names === '*')) continue;
      const imported = new Set(
        importers.flatMap((edge) => (edge.ref.names === '*' ? [] : [...edge.ref.names])),
      );
      const python = module.language === 'python';
      if (entries.deepImportable(file) || (python && pythonLibrary)) continue;
      // Branch mode: index what may re-export, load or use this module first (no-ops otherwise).
      ensureNamed(context, file);
      ensureLoaders(context);
      if (publicModules(context).has(file) || isDynamicallyLoaded(graph, file)) continue;
      const exported = module.facts.definitions.filter(
        (d) => d.exported && d.kind !== 'method' && !d.decorated && d.name.length >= 4,
      );
      ensureWords(
        context,
        exported.map((d) => d.name),
      );
      let text: string | undefined;
      for (const definition of module.facts.definitions) {
        const { name } = definition;
        if (!definition.exported || definition.kind === 'method' || definition.decorated) continue;
        if (imported.has(name) || CONVENTIONAL.test(name) || name.length < 4) continue;
        if ((graph.index.words.get(name) ?? 0) > 1 || graph.index.strings.has(name)) continue;
        text ??= context.read(file) ?? '';
        const uses =
          text.match(new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))?.length ?? 0;
        const listedSeparately = !python && module.facts.exports.names.get(name) !== definition.line;
        if (uses > (listedSeparately ? 2 : 1)) continue;
        unused.push({ file, name, line: definition.line, confidence: python ? 'LOW' : 'MED' });
      }
    }
    if (unused.length === 0) return [];
    unused.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    const listed = unused.slice(0, MAX_LISTED);
    const [first] = listed;
    const cited = citeLines(listed);
    if (!first || !cited) return [];
    const finding: RawFinding = {
      ...cited,
      title:
        unused.length === 1
          ? `\`${first.name}\` is exported but used nowhere`
          : `${unused.length} exported functions and classes are used nowhere`,
      message: `Nothing imports, calls or mentions ${listed.map((entry) => `\`${entry.name}\` (${entry.file}:${entry.line})`).join(', ')}${unused.length > MAX_LISTED ? `, and ${unused.length - MAX_LISTED} more` : ''}. ${unused.length === 1 ? 'It is' : 'Each is'} either a feature that was never wired in or a leftover.`,
      confidence: unused.every((entry) => entry.confidence === 'MED') ? 'MED' : 'LOW',
      key: 'unused-exports',
    };
    return [finding];
  },
};
