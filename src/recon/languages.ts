import type { Language, LanguageStat, SourceFile } from '../core/types.ts';

const AUDITED: Record<string, Language> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.jsx': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.py': 'python',
};

const NAMES_BY_EXTENSION: Record<string, string> = {
  '.ts': 'TypeScript',
  '.mts': 'TypeScript',
  '.cts': 'TypeScript',
  '.tsx': 'TypeScript',
  '.js': 'JavaScript',
  '.jsx': 'JavaScript',
  '.mjs': 'JavaScript',
  '.cjs': 'JavaScript',
  '.py': 'Python',
  '.pyi': 'Python',
  '.go': 'Go',
  '.rs': 'Rust',
  '.java': 'Java',
  '.kt': 'Kotlin',
  '.kts': 'Kotlin',
  '.scala': 'Scala',
  '.groovy': 'Groovy',
  '.gradle': 'Groovy',
  '.rb': 'Ruby',
  '.c': 'C',
  '.h': 'C',
  '.cc': 'C++',
  '.cpp': 'C++',
  '.cxx': 'C++',
  '.hpp': 'C++',
  '.hh': 'C++',
  '.hxx': 'C++',
  '.cs': 'C#',
  '.fs': 'F#',
  '.php': 'PHP',
  '.swift': 'Swift',
  '.m': 'Objective-C',
  '.dart': 'Dart',
  '.lua': 'Lua',
  '.pl': 'Perl',
  '.pm': 'Perl',
  '.r': 'R',
  '.ex': 'Elixir',
  '.exs': 'Elixir',
  '.erl': 'Erlang',
  '.hs': 'Haskell',
  '.clj': 'Clojure',
  '.zig': 'Zig',
  '.sh': 'Shell',
  '.bash': 'Shell',
  '.zsh': 'Shell',
  '.fish': 'Shell',
  '.ps1': 'PowerShell',
  '.bat': 'Batchfile',
  '.cmd': 'Batchfile',
  '.sql': 'SQL',
  '.md': 'Markdown',
  '.mdx': 'MDX',
  '.rst': 'reStructuredText',
  '.yml': 'YAML',
  '.yaml': 'YAML',
  '.json': 'JSON',
  '.jsonc': 'JSON',
  '.json5': 'JSON',
  '.toml': 'TOML',
  '.xml': 'XML',
  '.html': 'HTML',
  '.htm': 'HTML',
  '.handlebars': 'Handlebars',
  '.hbs': 'Handlebars',
  '.ejs': 'EJS',
  '.pug': 'Pug',
  '.jade': 'Pug',
  '.css': 'CSS',
  '.scss': 'SCSS',
  '.sass': 'Sass',
  '.less': 'Less',
  '.vue': 'Vue',
  '.svelte': 'Svelte',
  '.astro': 'Astro',
  '.graphql': 'GraphQL',
  '.gql': 'GraphQL',
  '.proto': 'Protocol Buffers',
  '.tf': 'HCL',
  '.hcl': 'HCL',
  '.ini': 'INI',
  '.cfg': 'INI',
};

const NAMES_BY_FILE: Record<string, string> = {
  dockerfile: 'Dockerfile',
  containerfile: 'Dockerfile',
  makefile: 'Makefile',
  gnumakefile: 'Makefile',
  justfile: 'Just',
  rakefile: 'Ruby',
  gemfile: 'Ruby',
  jenkinsfile: 'Groovy',
};

export function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/** The extension with its dot, lower-case (`.ts`), or '' when the name has none. */
export function extensionOf(file: string): string {
  const name = baseName(file);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
}

/** The audited language of a file; declaration files (`.d.ts`) have none. */
export function languageOf(file: string): Language | undefined {
  if (/\.d\.[mc]?ts$/i.test(file)) return undefined;
  return AUDITED[extensionOf(file)];
}

/** Any recognised language name, for the language table. */
export function languageNameOf(file: string): string | undefined {
  const name = baseName(file).toLowerCase();
  return (
    NAMES_BY_FILE[name] ??
    (name.startsWith('dockerfile.') ? 'Dockerfile' : NAMES_BY_EXTENSION[extensionOf(file)])
  );
}

/** Bytes and files per language, most bytes first, ties by name. */
export function languageStats(files: readonly SourceFile[]): LanguageStat[] {
  const stats = new Map<string, LanguageStat>();
  for (const file of files) {
    if (!file.languageName) continue;
    const stat = stats.get(file.languageName) ?? { name: file.languageName, files: 0, bytes: 0 };
    stat.files += 1;
    stat.bytes += file.size;
    stats.set(file.languageName, stat);
  }
  return [...stats.values()].sort(
    (a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}
