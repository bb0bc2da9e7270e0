/**
 * The peer, run as a child process by bench/run.ts: ESLint 10 with eslint-plugin-security's
 * recommended rules over the given JavaScript files (TypeScript needs @typescript-eslint/parser,
 * which this project does not install). Prints one JSON line: files, problems, parse errors.
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
const plugin = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../node_modules/eslint-plugin-security/index.js',
);
const dir = mkdtempSync(path.join(tmpdir(), 'improve-bench-eslint-'));
try {
  const config = path.join(dir, 'eslint.config.mjs');
  writeFileSync(
    config,
    `import security from ${JSON.stringify(pathToFileURL(plugin).href)};
export default [
  {
    basePath: ${JSON.stringify(root)},
    files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx'],
    ...security.configs.recommended,
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } },
  },
  { basePath: ${JSON.stringify(root)}, files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
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
