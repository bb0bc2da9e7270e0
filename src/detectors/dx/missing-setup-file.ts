import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { redactLine } from '../../core/redact.ts';
import type { RawFinding, RepoContext, RepoDetector } from '../types.ts';
import { type SetupBlock, setupBlocks, setupDocKind } from './setup-commands.ts';
import { commandFiles } from './setup-file-references.ts';
import { shellQuote } from './shell-quote.ts';

/** Folders that set-up creates (installs, builds, virtual environments): never committed. */
const CREATED_DIR =
  /^(?:node_modules|dist|build|out|target|lib-cov|coverage|\.venv|venv|env|\.tox|\.nox|__pycache__|\.next|\.nuxt|vendor|bin\/Debug|tmp|\.cache)(?:\/|$)/;
/** Placeholders and paths outside the repository. */
const NOT_A_REPO_PATH =
  /^(?:\/|~|-)|[$<>{}*?[\]%`]|(?:^|\/)path\/to\/|(?:^|\/)(?:my|your|some|foo|example)[_-]/i;

interface Repo {
  files: Set<string>;
  dirs: Set<string>;
  ignored: Ignore;
}

function repoOf(context: RepoContext): Repo {
  const files = new Set<string>();
  const dirs = new Set<string>(['']);
  for (const file of [...context.profile.files, ...context.profile.skipped]) {
    files.add(file.path);
    for (
      let dir = path.posix.dirname(file.path);
      dir !== '.' && !dirs.has(dir);
      dir = path.posix.dirname(dir)
    )
      dirs.add(dir);
  }
  const ignored = ignore().add(context.read('.gitignore') ?? '');
  return { files, dirs, ignored };
}

function isUnder(file: string, created: ReadonlySet<string>): boolean {
  for (const prefix of created) if (file === prefix || file.startsWith(`${prefix}/`)) return true;
  return false;
}

interface Missing {
  line: number;
  command: string;
  file: string;
  strong: boolean;
}

/** Repository paths that the commands of one block need and that do not exist. */
function missingIn(block: SetupBlock, repo: Repo): Missing[] {
  const out: Missing[] = [];
  let cwd: string | undefined = '';
  let cloned = false;
  const created = new Set<string>();
  const resolve = (file: string) =>
    cwd === undefined ? undefined : path.posix.normalize(path.posix.join(cwd, file));
  for (const { line, command } of block.commands) {
    const files = commandFiles(command);
    if (files.clone) cloned = true;
    for (const made of files.creates) {
      const full = resolve(made);
      if (full) created.add(full.replace(/\/$/, ''));
    }
    if (files.cd !== undefined) {
      const target = resolve(files.cd);
      if (target !== undefined && repo.dirs.has(target === '.' ? '' : target))
        cwd = target === '.' ? '' : target;
      else cwd = cloned && !files.cd.includes('/') ? '' : undefined;
      cloned = false;
      continue;
    }
    for (const need of files.needs) {
      if (!block.shell && !need.path.startsWith('./') && need.strong === false) continue;
      if (NOT_A_REPO_PATH.test(need.path)) continue;
      const full = resolve(need.path);
      if (!full || full.startsWith('..') || full === '.' || CREATED_DIR.test(full)) continue;
      if (repo.files.has(full) || repo.dirs.has(full) || isUnder(full, created) || repo.ignored.ignores(full))
        continue;
      out.push({ line, command, file: full, strong: need.strong });
    }
  }
  return out;
}

/** Set-up instructions (README, CONTRIBUTING, docs) that run or copy a file the repository lacks. */
export const missingSetupFile: RepoDetector = {
  id: 'dx/missing-setup-file',
  category: 'dx',
  scope: 'repo',
  repoHygiene: true,
  title: 'Set-up step names a file that does not exist',
  description:
    'A set-up command in the documentation runs, copies or loads a file (`./scripts/setup.sh`, `cp .env.example .env`, `python manage.py …`, `docker compose -f …`, `pip install -r …`) that is not in the repository. Newcomers following the steps fail at that point and have to guess what was meant.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason: 'Only documentation or a missing helper file changes; no program behaviour does.',
  confidence: 'HIGH',
  fixSketch:
    'Point the step at the file that does exist (it was probably renamed or moved), or add the missing file (for example commit the `.env.example` the step copies), or remove the step if it is obsolete.',
  steps: [
    'Open the cited documentation line and read what the step is meant to do.',
    'Search the repository for a file with a similar name (`git ls-files | grep -i <name>`): if it was renamed or moved, change the command to the new path.',
    'If nothing replaces it, either add the file with what the step needs (for `.env.example`: every variable the code reads, with placeholder values) or delete the step and adjust the surrounding text.',
    'Run the corrected step from a fresh clone to make sure it works, then run the done check.',
  ],
  check(context) {
    const docs = context.profile.files.filter((file) => setupDocKind(file.path) !== undefined);
    if (docs.length === 0) return [];
    const repo = repoOf(context);
    const out: RawFinding[] = [];
    for (const doc of docs) {
      const kind = setupDocKind(doc.path);
      const text = kind ? context.read(doc.path) : undefined;
      if (!kind || text === undefined) continue;
      const seen = new Set<string>();
      for (const missing of setupBlocks(text, kind).flatMap((block) => missingIn(block, repo))) {
        if (seen.has(missing.file)) continue;
        seen.add(missing.file);
        const command = redactLine(missing.command);
        const exists = `test -e ${shellQuote(missing.file)}`;
        out.push({
          file: doc.path,
          startLine: missing.line,
          endLine: missing.line,
          key: missing.file,
          confidence: missing.strong ? 'HIGH' : 'MED',
          title: `Set-up step \`${command.length > 50 ? `${command.slice(0, 49)}…` : command}\` needs missing \`${missing.file}\``,
          message: `${doc.path}:${missing.line} runs \`${command}\`, but \`${missing.file}\` is not in the repository. Anyone following the set-up stops here.`,
          doneCheck:
            command === missing.command
              ? `${exists} || ! grep -qF -- ${shellQuote(command)} ${shellQuote(doc.path)}`
              : exists,
        });
      }
    }
    return out;
  },
};
