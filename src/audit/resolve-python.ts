/**
 * Resolve a Python import to repository files. Relative imports resolve from the importer's
 * package; absolute ones from every folder that could be on `sys.path`: the importer's own folder
 * and its ancestors that are not packages (a script's folder, the folder above a package, where
 * pytest puts it), the root, `src/`, and each Python project folder (and its `src/`). A folder
 * with an `__init__.py` is a package: Python 3 never resolves `import warnings` inside it to a
 * sibling `warnings.py`.
 */
import path from 'node:path';
import type { PythonImport } from './import-specifiers.ts';

function join(...parts: string[]): string {
  const joined = path.posix.normalize(parts.filter((part) => part !== '').join('/'));
  return joined === '.' ? '' : joined;
}

function moduleFiles(base: string, files: ReadonlySet<string>): string[] {
  const candidates = base === '' ? ['__init__.py'] : [`${base}.py`, `${base}/__init__.py`];
  return candidates.filter((candidate) => files.has(candidate));
}

/** Folders an absolute import may resolve from, for a file in `dir`. */
function searchRoots(dir: string, projectRoots: readonly string[], files: ReadonlySet<string>): string[] {
  const roots = new Set<string>();
  for (let current = dir; ; current = path.posix.dirname(current)) {
    const key = current === '.' ? '' : current;
    if (!files.has(join(key, '__init__.py'))) roots.add(key);
    if (key === '') break;
  }
  for (const root of projectRoots) roots.add(root);
  return [...roots];
}

/**
 * Whether `file` is packaging metadata (pyproject.toml, setup.py, setup.cfg) of a Python project,
 * not a module of a package: Ansible's `ansible/modules/setup.py` (the fact-gathering module) sits
 * beside an `__init__.py`.
 */
export function isPythonProjectFile(file: string, paths: ReadonlySet<string>): boolean {
  const name = path.posix.basename(file);
  if (name !== 'pyproject.toml' && name !== 'setup.py' && name !== 'setup.cfg') return false;
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  return !paths.has(join(dir, '__init__.py'));
}

/** Python project folders (with pyproject.toml, setup.py or setup.cfg) and their `src/`, plus `src/`. */
export function pythonProjectRoots(paths: readonly string[]): string[] {
  const roots = new Set<string>(['src']);
  const listed = new Set(paths);
  for (const file of paths) {
    if (!isPythonProjectFile(file, listed)) continue;
    const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
    roots.add(dir);
    roots.add(join(dir, 'src'));
  }
  return [...roots];
}

/**
 * The import name of the audited folder when it is itself a package (an `__init__.py` at its
 * root, as when `improve` is pointed at site-packages/flask): `flask.json` then names `json/`.
 */
export function rootPackageName(paths: readonly string[], root: string): string | undefined {
  const name = path.basename(root);
  return paths.includes('__init__.py') && /^[A-Za-z_]\w*$/.test(name) ? name : undefined;
}

/**
 * Every repository file the import may load directly (the module, or submodules named in `from`).
 * `rootPackage` is the root folder's own package name (see `rootPackageName`).
 */
export function resolvePython(
  importer: string,
  statement: PythonImport,
  files: ReadonlySet<string>,
  projectRoots: readonly string[],
  rootPackage?: string,
): string[] {
  const dir = path.posix.dirname(importer) === '.' ? '' : path.posix.dirname(importer);
  const modulePath = statement.module.split('.').filter(Boolean).join('/');
  let bases: string[];
  if (statement.level > 0) {
    let packageDir = dir;
    for (let up = 1; up < statement.level; up += 1) {
      if (packageDir === '') return [];
      packageDir = path.posix.dirname(packageDir) === '.' ? '' : path.posix.dirname(packageDir);
    }
    bases = [join(packageDir, modulePath)];
  } else {
    if (modulePath === '') return [];
    bases = searchRoots(dir, projectRoots, files).map((root) => join(root, modulePath));
    if (rootPackage !== undefined && (modulePath === rootPackage || modulePath.startsWith(`${rootPackage}/`)))
      bases.push(modulePath.slice(rootPackage.length + 1));
  }
  const found = new Set<string>();
  for (const base of bases) {
    for (const file of moduleFiles(base, files)) found.add(file);
    for (const name of statement.names) {
      if (name === '*') continue;
      for (const file of moduleFiles(join(base, name.split('.').join('/')), files)) found.add(file);
    }
  }
  return [...found];
}
