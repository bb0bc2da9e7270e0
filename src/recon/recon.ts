import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import type { FileStat } from '../core/stat-record.ts';
import type { RepoProfile, SkippedFile, SourceFile } from '../core/types.ts';
import { type Git, type GitProbe, type OpenGitOptions, probeGit } from '../git/git.ts';
import { isCiFile, isWorkflowFile } from './ci.ts';
import { cleanedOutputs } from './cleaned-outputs.ts';
import { findCommands } from './commands.ts';
import { commitStyle } from './commit-style.ts';
import { ConventionSignals, conventionBits, detectConventions } from './conventions.ts';
import { copiedLibraries } from './copied-libraries.ts';
import { isCommandDoc } from './doc-commands.ts';
import { enclosingProject } from './enclosing-project.ts';
import { relabelLibraryTestPackages } from './file-role.ts';
import { readGitSignals } from './git-facts.ts';
import { findIntentDocs, intentKind } from './intent-docs.ts';
import { languageStats } from './languages.ts';
import { manifestKind, readManifests } from './manifests.ts';
import { compiledTwins, formatTwins, mirroredBuilds } from './mirrored-builds.ts';
import {
  detectPackageManager,
  findLockfiles,
  isYarnBerry,
  javascriptManager,
  type PackageManagerInput,
  pythonManager,
  scriptRunnerFor,
} from './package-manager.ts';
import { ReconCache } from './recon-cache.ts';
import { scanFilesInSlices } from './scan-files.ts';
import { TextStore } from './text-store.ts';
import { filterListedPaths, MAX_VENDORED, VENDORED_CODE, type WalkResult, walkDirectory } from './walk.ts';

export interface ReconOptions {
  /** How to run git (tests point this at a missing binary). */
  git?: OpenGitOptions;
  /**
   * A git handle the caller has just opened on the same directory (`improve branch` has one), used
   * instead of opening another when its directory is the repository's resolved root. Its `opened`
   * snapshot of HEAD is taken as current.
   */
  opened?: Git;
  /**
   * Filled with the text of every file recon read whole, exactly as `readFileSync(file, 'utf8')`
   * returns it, so that a caller reading the same files later (the audit's RepoReader) need not
   * read and decode them again.
   */
  texts?: Map<string, string>;
  /**
   * Filled with the stat of every listed regular file, as recon took it, so that a caller keying a
   * cache by stat (the audit's result cache) need not stat them again.
   */
  stats?: Map<string, FileStat>;
  /**
   * The file (given the repository's real path) in which to remember what recon learned from each
   * file's content, by the file's stat, to reuse while the stat is unchanged (recon-cache.ts): an
   * unchanged file is not read again. Without it, every file is read.
   */
  cacheFile?: (root: string) => string;
  /**
   * Called once the repository's files are listed (the repository's real path, and every listed
   * path), before any is read: the audit starts its worker threads there, so that they load while
   * recon reads.
   */
  onListed?: (root: string, paths: readonly string[]) => void;
}

const TOOL_CONFIGS = new Set(['tox.ini', 'pytest.ini', 'mypy.ini', 'setup.cfg', '.flake8']);

/** Files whose text later steps need; recon keeps them in memory instead of reading them again. */
function isKeptText(file: string): boolean {
  return (
    manifestKind(file) !== undefined ||
    TOOL_CONFIGS.has(file) ||
    isCiFile(file) ||
    isCommandDoc(file) ||
    intentKind(file) !== undefined
  );
}

async function resolveRoot(root: string): Promise<string> {
  let real: string;
  try {
    real = await realpath(path.resolve(root));
  } catch {
    throw new UsageError(`${root} does not exist`, 'Pass the path of a repository directory.');
  }
  if (!(await stat(real)).isDirectory()) {
    throw new UsageError(
      `${root} is not a directory`,
      'Pass the repository directory, not a file inside it.',
    );
  }
  return real;
}

/** `git ls-files` in a work tree (exact ignore rules), else a file-system walk. */
async function walkRepository(root: string, probe: GitProbe): Promise<WalkResult> {
  if (probe.kind !== 'repository') return walkDirectory(root);
  try {
    return filterListedPaths(await probe.git.listFiles());
  } catch {
    return walkDirectory(root);
  }
}

function bytesOf(files: readonly SourceFile[], names: readonly string[]): number {
  return files.reduce(
    (sum, file) => sum + (file.languageName && names.includes(file.languageName) ? file.size : 0),
    0,
  );
}

/** Learn what a repository is: files, languages, manifests, commands, conventions, intent docs, git facts. */
export async function recon(root: string, options: ReconOptions = {}): Promise<RepoProfile> {
  const absolute = await resolveRoot(root);
  const probe: GitProbe =
    options.opened?.dir === absolute
      ? { kind: 'repository', git: options.opened }
      : await probeGit(absolute, options.git);
  let resolveKeep: (keep: (file: string) => boolean) => void = () => {};
  const keep = new Promise<(file: string) => boolean>((resolve) => {
    resolveKeep = resolve;
  });
  const gitSignals = readGitSignals(probe, keep);

  const walk = await walkRepository(absolute, probe);
  options.onListed?.(absolute, walk.paths);
  const texts = new TextStore(absolute);
  const signals = new ConventionSignals();
  const cache = options.cacheFile === undefined ? undefined : new ReconCache(options.cacheFile(absolute));
  const scan = await scanFilesInSlices(
    absolute,
    walk.paths,
    {
      text: (file, text, exact) => {
        if (exact) options.texts?.set(file.path, text);
        if (isKeptText(file.path)) texts.set(file.path, text);
        const bits = conventionBits(file, text);
        signals.add(bits);
        return bits;
      },
      remembered: (_file, bits) => signals.add(bits),
      ...(options.stats ? { stat: (file: string, stats: FileStat) => options.stats?.set(file, stats) } : {}),
    },
    cache,
  );
  cache?.save();
  relabelLibraryTestPackages(scan.files);
  // A `lib/` compiled from `src/` (or `cjs/` beside `esm/`) is a copy: audit the original only.
  // A folder the package's own scripts delete is rebuilt by a tool: not code anyone wrote.
  const manifests = scan.files
    .filter((file) => path.posix.basename(file.path) === 'package.json')
    .flatMap((file) => {
      const text = texts.get(file.path);
      return text === undefined ? [] : [{ path: file.path, text }];
    });
  const builds = mirroredBuilds(scan.files);
  const within = (folder: SkippedFile, copies: readonly SkippedFile[]) =>
    copies.some((copy) => folder.path === copy.path || folder.path.startsWith(`${copy.path}/`));
  const cleaned = cleanedOutputs(manifests, scan.files).filter((folder) => !within(folder, builds));
  // Somebody else's code copied in: a folder with its own licence, a saved web page's files.
  const copied = copiedLibraries(absolute, walk.paths).filter(
    (folder) => !within(folder, [...builds, ...cleaned]),
  );
  const folders = new Set([...builds, ...cleaned, ...copied].map((copy) => copy.path));
  const inCopy = (file: string) => {
    for (let at = file.indexOf('/'); at !== -1; at = file.indexOf('/', at + 1))
      if (folders.has(file.slice(0, at))) return true;
    return false;
  };
  scan.files = scan.files.filter((file) => !inCopy(file.path));
  // `x.js` compiled in place beside `x.ts`: audit the TypeScript. `x.js` built beside `x.mjs`:
  // audit one of them.
  const twins: SkippedFile[] = [];
  for (const find of [compiledTwins, formatTwins]) {
    const found = find(scan.files);
    const paths = new Set(found.map((twin) => twin.path));
    scan.files = scan.files.filter((file) => !paths.has(file.path));
    twins.push(...found);
  }
  scan.skipped.push(...builds, ...cleaned, ...copied, ...twins);
  const hotspotFiles = new Set(
    scan.files
      .filter((file) => file.role !== 'docs' && file.role !== 'config' && file.role !== 'fixture')
      .map((file) => file.path),
  );
  resolveKeep((file) => hotspotFiles.has(file));

  const paths = new Set(walk.paths);
  const skipped: SkippedFile[] = [...walk.skipped, ...scan.skipped].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  const languages = languageStats(scan.files);
  const facts = readManifests(scan.files, texts);
  const lockfiles = findLockfiles(walk.paths);
  const managerInput: PackageManagerInput = {
    facts,
    lockfiles,
    paths,
    javascriptBytes: bytesOf(scan.files, ['TypeScript', 'JavaScript']),
    pythonBytes: bytesOf(scan.files, ['Python']),
  };
  const packageManager = detectPackageManager(managerInput);
  const managers = [javascriptManager(managerInput), pythonManager(managerInput)];
  const otherPackageManager = managers.find((manager) => manager !== undefined && manager !== packageManager);
  const ciFiles = walk.paths.filter(isCiFile);
  const problems = [...facts.problems];
  const { commands, missingCommands } = findCommands({
    facts,
    paths,
    texts,
    packageManager,
    otherPackageManager,
    pythonPackageManager: managers[1],
    scriptRunner: scriptRunnerFor(managerInput),
    yarnBerry: isYarnBerry(managerInput),
    lockfiles,
    workflowFiles: ciFiles.filter(isWorkflowFile),
    docFiles: scan.files.map((file) => file.path).filter(isCommandDoc),
    problems,
  });
  const { facts: git, subjects } = await gitSignals;

  const profile: RepoProfile = {
    root: absolute,
    files: scan.files,
    skipped,
    languages,
    manifests: facts.manifests,
    lockfiles,
    commands,
    missingCommands,
    ciFiles,
    conventions: {
      ...detectConventions(scan.files, facts, paths, signals),
      commitStyle: commitStyle(subjects),
    },
    intentDocs: findIntentDocs(scan.files, texts),
    git,
    problems: problems.sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0),
    ),
  };
  if (packageManager) profile.packageManager = packageManager;
  // A copied library runs with the repository's dependencies, like a vendored folder.
  const vendoredCode = [
    ...walk.vendored,
    ...walk.paths.filter(
      (file) => VENDORED_CODE.test(file) && copied.some((folder) => file.startsWith(`${folder.path}/`)),
    ),
  ]
    .sort()
    .slice(0, MAX_VENDORED);
  if (vendoredCode.length > 0) profile.vendoredCode = vendoredCode;
  const installed = installedPackageDir(absolute, probe);
  if (installed) profile.publishedPackage = installed;
  const enclosing = probe.kind === 'repository' ? enclosingProject(absolute, probe.git.root) : undefined;
  if (enclosing) {
    profile.enclosing = enclosing;
    // `improve packages/api` in a monorepo: what the folder does not define itself, the root's
    // scripts do, run from there.
    const own = new Set(commands.map((command) => command.kind));
    profile.commands = [...commands, ...enclosing.commands.filter((command) => !own.has(command.kind))];
  }
  return profile;
}

/**
 * An installed package (node_modules/x, site-packages/x) that is not a repository of its own: what
 * its authors published, without tests, CI or lockfile. Returns the installing folder's name.
 */
function installedPackageDir(root: string, probe: GitProbe): string | undefined {
  if (probe.kind === 'repository') return undefined;
  const segments = root.split(path.sep);
  return segments.find((segment) => ['node_modules', 'site-packages', 'dist-packages'].includes(segment));
}
