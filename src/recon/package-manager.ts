import type { RepoCommand, RepoProfile } from '../core/types.ts';
import { baseName } from './languages.ts';
import type { ManifestFacts } from './manifests.ts';
import { recordAt, type UnknownRecord } from './records.ts';

export type PackageManager = NonNullable<RepoProfile['packageManager']>;

const LOCKFILES: Record<string, PackageManager> = {
  'pnpm-lock.yaml': 'pnpm',
  'yarn.lock': 'yarn',
  'bun.lock': 'bun',
  'bun.lockb': 'bun',
  'package-lock.json': 'npm',
  'npm-shrinkwrap.json': 'npm',
  'poetry.lock': 'poetry',
  'uv.lock': 'uv',
  'Pipfile.lock': 'pipenv',
  'pdm.lock': 'pdm',
};
const JAVASCRIPT_MANAGERS: readonly PackageManager[] = ['pnpm', 'yarn', 'bun', 'npm'];
const PYTHON_MANAGERS: readonly PackageManager[] = ['poetry', 'uv', 'pipenv', 'pdm'];

/** Every lockfile among the listed paths, sorted. */
export function findLockfiles(paths: readonly string[]): string[] {
  return paths.filter((file) => Object.hasOwn(LOCKFILES, baseName(file))).sort();
}

/** The JavaScript package manager that writes the lockfile named `name`, if one does. */
export function javascriptManagerOf(name: string): PackageManager | undefined {
  const manager = Object.hasOwn(LOCKFILES, name) ? LOCKFILES[name] : undefined;
  return manager && JAVASCRIPT_MANAGERS.includes(manager) ? manager : undefined;
}

function rootLockfileFor(lockfiles: readonly string[], manager: PackageManager): string | undefined {
  return lockfiles.find((file) => !file.includes('/') && LOCKFILES[file] === manager);
}

function fromPackageManagerField(field: string | undefined): PackageManager | undefined {
  const name = field?.split('@')[0];
  return JAVASCRIPT_MANAGERS.find((manager) => manager === name);
}

export interface PackageManagerInput {
  facts: ManifestFacts;
  lockfiles: readonly string[];
  paths: ReadonlySet<string>;
  /** Bytes of JavaScript/TypeScript and of Python, to choose when a repo has both manifests. */
  javascriptBytes: number;
  pythonBytes: number;
}

export function javascriptManager(input: PackageManagerInput): PackageManager | undefined {
  if (!input.facts.packageJson && !input.paths.has('package.json')) return undefined;
  const field = fromPackageManagerField(input.facts.packageJson?.packageManager);
  if (field) return field;
  return JAVASCRIPT_MANAGERS.find((manager) => rootLockfileFor(input.lockfiles, manager)) ?? 'npm';
}

/** The JavaScript package manager that runs package.json scripts (npm when nothing says otherwise). */
export function scriptRunnerFor(input: PackageManagerInput): PackageManager {
  return javascriptManager(input) ?? 'npm';
}

/** Yarn 2+ (berry), which spells a frozen install `--immutable`. */
export function isYarnBerry(input: PackageManagerInput): boolean {
  return (
    input.paths.has('.yarnrc.yml') ||
    /^yarn@([2-9]|\d{2,})/.test(input.facts.packageJson?.packageManager ?? '')
  );
}

export function pythonManager(input: PackageManagerInput): PackageManager | undefined {
  const locked = PYTHON_MANAGERS.find((manager) => rootLockfileFor(input.lockfiles, manager));
  if (locked) return locked;
  const pyproject = input.facts.pyproject;
  if (recordAt(pyproject, 'tool', 'poetry')) return 'poetry';
  if (input.paths.has('Pipfile')) return 'pipenv';
  if (recordAt(pyproject, 'tool', 'pdm')) return 'pdm';
  const hasRequirements = [...input.paths].some((file) => /^requirements[^/]*\.txt$/i.test(file));
  if (hasRequirements || input.paths.has('pyproject.toml') || input.paths.has('setup.py')) return 'pip';
  return undefined;
}

/** The package manager: package.json's `packageManager` field, else lockfiles, else manifests. */
export function detectPackageManager(input: PackageManagerInput): PackageManager | undefined {
  const javascript = javascriptManager(input);
  const python = pythonManager(input);
  if (javascript && python) return input.pythonBytes > input.javascriptBytes ? python : javascript;
  return javascript ?? python;
}

/** Extras of a pyproject's optional dependencies that hold the development and test tools. */
const DEV_EXTRAS = ['dev', 'develop', 'development', 'test', 'tests', 'testing'];

/**
 * `pip install -e .`, with the extras that bring the test tools (`.[dev]`): pytest declared
 * only in `[project.optional-dependencies] dev` is missing from a plain editable install.
 */
function pipEditable(pyproject: UnknownRecord | undefined): string {
  const extras = Object.keys(recordAt(pyproject, 'project', 'optional-dependencies') ?? {}).filter((name) =>
    DEV_EXTRAS.includes(name.toLowerCase()),
  );
  return extras.length > 0 ? `pip install -e '.[${extras.join(',')}]'` : 'pip install -e .';
}

/** The command that installs dependencies, with the file that justifies it. */
export function installCommand(
  manager: PackageManager | undefined,
  lockfiles: readonly string[],
  paths: ReadonlySet<string>,
  yarnBerry: boolean,
  pyproject?: UnknownRecord,
): RepoCommand | undefined {
  if (!manager) return undefined;
  const lockfile = rootLockfileFor(lockfiles, manager);
  const language = manager === 'pip' || PYTHON_MANAGERS.includes(manager) ? 'python' : 'javascript';
  const install = (run: string, source: string): RepoCommand => ({ kind: 'install', run, source, language });
  switch (manager) {
    case 'npm':
      return lockfile ? install('npm ci', lockfile) : install('npm install', 'package.json');
    case 'pnpm':
      return lockfile
        ? install('pnpm install --frozen-lockfile', lockfile)
        : install('pnpm install', 'package.json');
    case 'yarn':
      if (!lockfile) return install('yarn install', 'package.json');
      return install(yarnBerry ? 'yarn install --immutable' : 'yarn install --frozen-lockfile', lockfile);
    case 'bun':
      return install('bun install', lockfile ?? 'package.json');
    case 'poetry':
      return install('poetry install', lockfile ?? 'pyproject.toml');
    case 'uv':
      return install('uv sync', lockfile ?? 'pyproject.toml');
    case 'pipenv':
      return install('pipenv install --dev', lockfile ?? 'Pipfile');
    case 'pdm':
      return install('pdm install', lockfile ?? 'pyproject.toml');
    case 'pip': {
      if (paths.has('requirements.txt'))
        return install('pip install -r requirements.txt', 'requirements.txt');
      if (paths.has('pyproject.toml')) return install(pipEditable(pyproject), 'pyproject.toml');
      if (paths.has('setup.py')) return install('pip install -e .', 'setup.py');
      const requirements = [...paths].filter((file) => /^requirements[^/]*\.txt$/i.test(file)).sort()[0];
      return requirements ? install(`pip install -r ${requirements}`, requirements) : undefined;
    }
  }
}

/** The prefix that runs a Python tool inside the project's environment. */
export function pythonRunPrefix(manager: PackageManager | undefined): string {
  if (manager === 'poetry' || manager === 'uv' || manager === 'pdm' || manager === 'pipenv')
    return `${manager} run `;
  return '';
}
