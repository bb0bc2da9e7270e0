import type { CommandKind, RepoCommand } from '../core/types.ts';
import type { ManifestFacts } from './manifests.ts';
import { recordAt } from './records.ts';
import type { TextStore } from './text-store.ts';

export interface PythonCommandInput {
  facts: ManifestFacts;
  paths: ReadonlySet<string>;
  texts: TextStore;
  /** `poetry run ` / `uv run ` / '' */
  prefix: string;
}

/** `file:LINE` for the first line matching `pattern`, else just `file`. */
export function sourceAt(texts: TextStore, file: string, pattern: RegExp): string {
  const text = texts.get(file);
  if (text === undefined) return file;
  const index = text.split('\n').findIndex((line) => pattern.test(line));
  return index === -1 ? file : `${file}:${index + 1}`;
}

function section(name: string): RegExp {
  return new RegExp(`^\\s*\\[${name.replace(/[.]/g, '\\.')}[\\].]`);
}

function iniSource(input: PythonCommandInput, file: string, sectionName: string): string | undefined {
  if (!input.paths.has(file)) return undefined;
  const pattern = new RegExp(`^\\s*\\[${sectionName.replace(/[.:]/g, '\\$&')}\\]`);
  const text = input.texts.get(file);
  return text?.split('\n').some((line) => pattern.test(line))
    ? sourceAt(input.texts, file, pattern)
    : undefined;
}

/** `manage.py` at the root when it is Django's (it names `django` and its settings). */
function djangoManage(input: PythonCommandInput): string | undefined {
  if (!input.paths.has('manage.py')) return undefined;
  const text = input.texts.get('manage.py');
  return text !== undefined &&
    /\bdjango\b/.test(text) &&
    /DJANGO_SETTINGS_MODULE|execute_from_command_line/.test(text)
    ? sourceAt(input.texts, 'manage.py', /execute_from_command_line|DJANGO_SETTINGS_MODULE/)
    : undefined;
}

/** Test, lint, typecheck and format commands from pyproject.toml, pytest.ini, setup.cfg, tox.ini. */
export function pythonCommands(input: PythonCommandInput): RepoCommand[] {
  const { facts, paths, texts, prefix } = input;
  const pyproject = facts.pyproject;
  const tool = (name: string) => recordAt(pyproject, 'tool', ...name.split('.')) !== undefined;
  const fromPyproject = (name: string) => sourceAt(texts, 'pyproject.toml', section(`tool.${name}`));
  const commands: RepoCommand[] = [];
  const add = (kind: CommandKind, run: string, source: string | undefined) => {
    if (source && !commands.some((command) => command.kind === kind))
      commands.push({ kind, run: `${prefix}${run}`, source, language: 'python' });
  };

  if (tool('pytest.ini_options')) add('test', 'pytest', fromPyproject('pytest.ini_options'));
  if (paths.has('pytest.ini')) add('test', 'pytest', 'pytest.ini');
  add('test', 'pytest', iniSource(input, 'setup.cfg', 'tool:pytest'));
  add('test', 'pytest', iniSource(input, 'tox.ini', 'pytest') ?? iniSource(input, 'tox.ini', 'tool:pytest'));
  add('test', 'pytest', facts.pythonDependencies.get('pytest'));
  // A Django project without pytest runs its tests with Django's runner, which sets up the
  // settings and a test database; bare pytest would fail to import the models.
  add('test', 'python manage.py test', djangoManage(input));

  if (tool('ruff')) add('lint', 'ruff check .', fromPyproject('ruff'));
  for (const file of ['ruff.toml', '.ruff.toml']) if (paths.has(file)) add('lint', 'ruff check .', file);
  add('lint', 'flake8', paths.has('.flake8') ? '.flake8' : undefined);
  add('lint', 'flake8', iniSource(input, 'setup.cfg', 'flake8') ?? iniSource(input, 'tox.ini', 'flake8'));

  if (tool('mypy')) add('typecheck', 'mypy .', fromPyproject('mypy'));
  add('typecheck', 'mypy .', paths.has('mypy.ini') ? 'mypy.ini' : iniSource(input, 'setup.cfg', 'mypy'));
  if (tool('pyright')) add('typecheck', 'pyright', fromPyproject('pyright'));
  add('typecheck', 'pyright', paths.has('pyrightconfig.json') ? 'pyrightconfig.json' : undefined);

  if (tool('black')) add('format', 'black --check .', fromPyproject('black'));
  if (tool('ruff.format')) add('format', 'ruff format --check .', fromPyproject('ruff.format'));
  return commands;
}

/** Commands implied by go.mod and Cargo.toml at the root. */
export function toolchainCommands(paths: ReadonlySet<string>): RepoCommand[] {
  const commands: RepoCommand[] = [];
  if (paths.has('go.mod')) {
    commands.push({ kind: 'build', run: 'go build ./...', source: 'go.mod' });
    commands.push({ kind: 'test', run: 'go test ./...', source: 'go.mod' });
    commands.push({ kind: 'lint', run: 'go vet ./...', source: 'go.mod' });
  }
  if (paths.has('Cargo.toml')) {
    commands.push({ kind: 'build', run: 'cargo build', source: 'Cargo.toml' });
    commands.push({ kind: 'test', run: 'cargo test', source: 'Cargo.toml' });
    commands.push({ kind: 'lint', run: 'cargo clippy', source: 'Cargo.toml' });
    commands.push({ kind: 'format', run: 'cargo fmt --check', source: 'Cargo.toml' });
  }
  return commands;
}
