/**
 * The peer, run as a child process by bench/run.ts: ESLint 10 with eslint-plugin-security's
 * recommended rules over the given JavaScript and TypeScript files. TypeScript is parsed by
 * @typescript-eslint/parser without type information, from bench/peer/ (installed apart from the
 * project, whose TypeScript 7 is outside that parser's range). Prints one JSON line: files,
 * problems, parse errors.
 *
 * Usage: node bench/eslint-peer.ts ROOT FILE_LIST
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';

const [root, listFile] = process.argv.slice(2);
if (!root || !listFile) throw new Error('usage: eslint-peer.ts ROOT FILE_LIST');
const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
const here = path.dirname(fileURLToPath(import.meta.url));
const plugin = path.resolve(here, '../node_modules/eslint-plugin-security/index.js');
const tsParser = path.resolve(here, 'peer/node_modules/@typescript-eslint/parser/dist/index.js');
const dir = mkdtempSync(path.join(tmpdir(), 'improve-bench-eslint-'));
try {
  const config = path.join(dir, 'eslint.config.mjs');
  writeFileSync(
    config,
    `import security from ${JSON.stringify(pathToFileURL(plugin).href)};
import * as tsParser from ${JSON.stringify(pathToFileURL(tsParser).href)};
export default [
  {
    basePath: ${JSON.stringify(root)},
    files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx', '**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
    ...security.configs.recommended,
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
  },
  { basePath: ${JSON.stringify(root)}, files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  {
    basePath: ${JSON.stringify(root)},
    files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
    languageOptions: { parser: tsParser },
  },
];
`,
  );
  const eslint = new ESLint({ cwd: root, overrideConfigFile: config, cache: false });
  const results = await eslint.lintFiles(files.map((file) => path.join(root, file)));
  let problems = 0;
  let parseErrors = 0;
  for (const result of results) {
    for (const message of result.messages) {
      if (message.fatal) parseErrors += 1;
      else problems += 1;
    }
  }
  process.stdout.write(`${JSON.stringify({ files: results.length, problems, parseErrors })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
