import { ProjectConfig } from '../../audit/project-config.ts';
import { resolveJs } from '../../audit/resolve-js.ts';
import { pythonProjectRoots, resolvePython, rootPackageName } from '../../audit/resolve-python.ts';
import type { RepoContext } from '../types.ts';
import type { ImportRef } from './module-facts.ts';

/** Where an import leads: a repository file, an installed package, an unresolved alias, or nothing. */
export type Resolution =
  | { kind: 'file'; target: string }
  | { kind: 'package'; name: string }
  | { kind: 'alias' }
  | { kind: 'missing' };

/** Specifiers that name a folder of the project through a bundler alias nobody configured for tsc. */
const ALIAS = /^(?:[~#]|@\/|@@\/|src\/|app\/)/;

/** The package an import specifier names: `@scope/name/sub` → `@scope/name`, `lodash/fp` → `lodash`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/**
 * Classifies import specifiers of one repository, on top of the resolvers `improve branch` uses
 * (src/audit/resolve-js.ts, src/audit/resolve-python.ts): what does not resolve to a file is a
 * package, an alias the tool cannot follow, or a broken relative import.
 */
export class ModuleResolver {
  private readonly files: ReadonlySet<string>;
  private readonly config: ProjectConfig;
  private readonly pythonRoots: string[];
  private readonly pythonRootPackage: string | undefined;
  private readonly ownPackageNames: ReadonlySet<string>;

  constructor(context: RepoContext) {
    const paths = context.profile.files.map((file) => file.path);
    this.files = new Set(paths);
    this.config = new ProjectConfig(
      paths.filter((file) => !file.includes('node_modules/')),
      (file) => context.read(file),
    );
    this.ownPackageNames = new Set(this.config.packages.map((entry) => entry.name));
    this.pythonRoots = pythonProjectRoots(paths);
    this.pythonRootPackage = rootPackageName(paths, context.profile.root);
  }

  /** Names of the repository's own npm packages: an unresolved import of one is an alias. */
  get ownPackages(): readonly string[] {
    return [...this.ownPackageNames];
  }

  resolveJs(from: string, specifier: string): Resolution {
    const target = resolveJs(from, specifier, this.files, this.config);
    if (target) return { kind: 'file', target };
    const clean = specifier.replace(/[?#].*$/, '');
    if (clean.startsWith('.') || clean.startsWith('/')) return { kind: 'missing' };
    if (ALIAS.test(clean)) return { kind: 'alias' };
    const name = packageName(clean);
    // A self-reference whose entry is only built output: it names the project, not a dependency.
    return this.ownPackageNames.has(name) ? { kind: 'alias' } : { kind: 'package', name };
  }

  /**
   * `from x import a, b` may load the module and submodules: several results. When every name is a
   * submodule, the package's `__init__.py` is only the namespace they live in, not a dependency.
   */
  resolvePython(from: string, ref: ImportRef): Resolution[] {
    const level = ref.level ?? 0;
    const names = ref.names === '*' ? [] : [...ref.names];
    const resolve = (wanted: string[]) =>
      resolvePython(
        from,
        { level, module: ref.specifier, names: wanted },
        this.files,
        this.pythonRoots,
        this.pythonRootPackage,
      );
    const moduleFiles = resolve([]);
    const submodules = new Set<string>();
    let allSubmodules = names.length > 0;
    for (const name of names) {
      const found = resolve([name]).filter((file) => !moduleFiles.includes(file));
      if (found.length === 0) allSubmodules = false;
      for (const file of found) submodules.add(file);
    }
    const found = allSubmodules ? [...submodules] : [...new Set([...moduleFiles, ...submodules])];
    if (found.length > 0) return found.map((target) => ({ kind: 'file', target }));
    if (level > 0) return [{ kind: 'missing' }];
    return [{ kind: 'package', name: ref.specifier.split('.')[0] ?? ref.specifier }];
  }
}
