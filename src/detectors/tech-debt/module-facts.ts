/** What one source file imports, exports and defines, read from its text without parsing. */

/** One import, re-export, `require` or dynamic `import()` in a file. */
export interface ImportRef {
  /** As written: `./util.js`, `lodash/fp`, `pkg.sub` (Python, without leading dots). */
  specifier: string;
  /** 1-based line of the specifier. */
  line: number;
  /** Only types cross this edge (`import type`, a `.d.ts` file, a Python `TYPE_CHECKING` block). */
  typeOnly: boolean;
  /** Runs later than module load: dynamic `import()`, `require` inside a block, a Python import inside a function. */
  lazy: boolean;
  /** Names taken from the module; `'*'` for all of it (namespace import, `require`, `export *`). */
  names: readonly string[] | '*';
  /** Static imports: the local names they bind (`import { a as b }` → b). */
  locals?: string[];
  /** `export … from`: the names are re-exported. */
  reexport: boolean;
  /**
   * An ES `import` or `export … from` statement, whose bindings are live: nothing is read from the
   * other module until the code that uses a name runs. (`require()` copies while loading.)
   */
  live?: true;
  /** For a re-export, the names it makes public (`export { a as b }` → b); absent for `export *`. */
  exportedAs?: string[];
  /** Python: number of leading dots of a relative import. */
  level?: number;
  /** Only a prefix of the specifier is known (`import(\`./locales/${lang}\`)`, `'./plugins/' + name`). */
  prefixOnly?: boolean;
}

/** A named top-level definition: function, class, or (Python) module-level assignment. */
export interface Definition {
  name: string;
  line: number;
  /** `method`: a class or object method whose name starts with a create/read/update/delete verb. */
  kind: 'function' | 'class' | 'variable' | 'type' | 'method';
  /** JS: carries `export`; Python: public (no leading underscore). */
  exported: boolean;
  /** Python: has a decorator (a framework may call it by registration). */
  decorated?: boolean;
}

export interface ExportFacts {
  /** Exported names with their line; `default` for a default export. */
  names: Map<string, number>;
  /** Specifiers of `export * from` / `from .x import *` / `__exportStar(require(...))`. */
  starFrom: string[];
  /** Exports that cannot be listed statically (`module.exports = factory()`, `exports[key]`, `__getattr__`). */
  dynamic: boolean;
}

export interface ModuleFacts {
  imports: ImportRef[];
  exports: ExportFacts;
  definitions: Definition[];
  /** Runs as a program: a shebang, `require.main === module`, `if __name__ == "__main__"`. */
  script: boolean;
  /**
   * Loads modules by computed name (`require.context`, `import.meta.glob`, a directory listing fed to
   * `require`/`import`/`importlib`): the folders it may load from, relative to the file (`.` for its own).
   */
  loads: string[];
}
