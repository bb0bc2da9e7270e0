/** Local names a JS file binds to one module. */
export interface ModuleBindings {
  /** Names for the module itself: `import cp from`, `import * as cp from`, `const cp = require(…)`. */
  modules: ReadonlySet<string>;
  /**
   * Imported functions by local name, mapped to their exported name (`run` → `execSync`): named
   * imports, destructured requires, and `const run = require(…).execSync`.
   */
  functions: ReadonlyMap<string, string>;
}

/**
 * The names under which a file imports or requires a module. `module` is a regular-expression
 * source that matches the quoted specifier, e.g. `['"](?:node:)?child_process['"]`.
 */
export function moduleBindings(text: string, module: string): ModuleBindings {
  // Detectors ask once per matched call; the answer is the file's, so the last one is kept.
  const last = lastBindings.get(module);
  if (last && last.text === text) return last.bindings;
  const bindings = findBindings(text, module);
  lastBindings.set(module, { text, bindings });
  return bindings;
}

const lastBindings = new Map<string, { text: string; bindings: ModuleBindings }>();

function findBindings(text: string, module: string): ModuleBindings {
  const modules = new Set<string>();
  const functions = new Map<string, string>();
  const moduleImport = new RegExp(
    `(?:import\\s+\\*\\s+as\\s+(\\w+)\\s+from|import\\s+(\\w+)\\s+from|(?:const|let|var)\\s+(\\w+)\\s*=\\s*require\\(\\s*)\\s*${module}(?!\\s*\\)\\s*\\.)`,
    'g',
  );
  for (const m of text.matchAll(moduleImport)) modules.add(m[1] ?? m[2] ?? m[3] ?? '');
  const named = new RegExp(
    `(?:import\\s*\\{([^}]*)\\}\\s*from|(?:const|let|var)\\s*\\{([^}]*)\\}\\s*=\\s*require\\(\\s*)\\s*${module}`,
    'g',
  );
  for (const m of text.matchAll(named)) {
    for (const item of (m[1] ?? m[2] ?? '').split(',')) {
      const [original, local] = item.split(/\s+as\s+|\s*:\s*/).map((s) => s.trim());
      if (original) functions.set(local || original, original);
    }
  }
  // `const exec = require('child_process').exec` (DVNA): one function of the module, renamed or not.
  const picked = new RegExp(
    `(?:const|let|var)\\s+(\\w+)\\s*=\\s*require\\(\\s*${module}\\s*\\)\\s*\\.\\s*(\\w+)`,
    'g',
  );
  for (const m of text.matchAll(picked)) if (m[1] && m[2]) functions.set(m[1], m[2]);
  return { modules, functions };
}

/**
 * The function of a module that a callee names, or undefined: `cp.exec` with `cp` bound to the
 * module, an imported `exec`, or `require('child_process').exec`. `module` is a regular-expression
 * source matching the quoted specifier, as for `moduleBindings`.
 */
export function moduleFunction(callee: string, text: string, module: string): string | undefined {
  const inline = new RegExp(`^require\\(\\s*${module}\\s*\\)\\.(\\w+)$`).exec(callee);
  if (inline) return inline[1];
  const { modules, functions } = moduleBindings(text, module);
  const member = /^(\w+)\.(\w+)$/.exec(callee);
  if (member?.[1] && member[2] && modules.has(member[1])) return member[2];
  return functions.get(callee);
}
