import { escapeEre, shellQuote } from '../dx/shell-quote.ts';
import type { RawFinding, RepoDetector } from '../types.ts';
import { dependencies, dependencyLine, importersOf, packageManifests } from './package-manifests.ts';
import { pythonManifests } from './python-dependencies.ts';

/** Packages their maintainers have deprecated or abandoned, with what replaces them. */
const NPM_DEPRECATED: Readonly<Record<string, string>> = {
  request: 'the built-in `fetch` (Node 18+), or undici / got / axios',
  'request-promise': 'the built-in `fetch` (Node 18+), or got / axios',
  'request-promise-native': 'the built-in `fetch` (Node 18+), or got / axios',
  'node-sass': '`sass` (Dart Sass)',
  tslint: '`eslint` with `typescript-eslint`',
  'left-pad': '`String.prototype.padStart`',
  querystring: '`URLSearchParams`',
  'babel-eslint': '`@babel/eslint-parser`',
  istanbul: '`c8` or `nyc`',
  nomnom: '`commander` or `yargs`',
  'coffee-script': '`coffeescript` (the renamed package), or migrate to JavaScript',
  'gulp-util': 'the individual modules it bundled (`fancy-log`, `plugin-error`, `vinyl`…)',
  'node-uuid': '`uuid`',
  jade: '`pug` (the renamed package)',
  'phantomjs-prebuilt': '`playwright` or `puppeteer`',
  phantomjs: '`playwright` or `puppeteer`',
  '@babel/polyfill': '`core-js/stable` with `regenerator-runtime/runtime`',
  'babel-preset-es2015': '`@babel/preset-env`',
  'popper.js': '`@popperjs/core`',
  'uglify-es': '`terser`',
  'eslint-loader': '`eslint-webpack-plugin`',
  'node-pre-gyp': '`@mapbox/node-pre-gyp`',
  'sourcemap-codec': '`@jridgewell/sourcemap-codec`',
  'rollup-plugin-babel': '`@rollup/plugin-babel`',
  'rollup-plugin-node-resolve': '`@rollup/plugin-node-resolve`',
  'rollup-plugin-commonjs': '`@rollup/plugin-commonjs`',
  'rollup-plugin-json': '`@rollup/plugin-json`',
  'rollup-plugin-typescript': '`@rollup/plugin-typescript`',
  '@vitejs/plugin-react-refresh': '`@vitejs/plugin-react`',
  '@testing-library/react-hooks': '`renderHook` from `@testing-library/react`',
  protractor: '`playwright` or `cypress`',
  'aws-sdk': 'the modular AWS SDK v3 clients (`@aws-sdk/client-*`); v2 reached end of support in 2025',
  '@angular/http': '`@angular/common/http`',
  'create-react-app': 'Vite or a React framework',
};

const PYTHON_DEPRECATED: Readonly<Record<string, string>> = {
  pycrypto: '`pycryptodome`',
  nose: '`pytest`',
};

/** A dependency that its maintainers deprecated: no more fixes, including security fixes. */
export const deprecatedPackage: RepoDetector = {
  id: 'dependencies/deprecated-package',
  category: 'dependencies',
  scope: 'repo',
  title: 'Deprecated dependency',
  description:
    'The project depends on a package that its maintainers have deprecated. It gets no bug or security fixes any more, and it increasingly breaks with newer runtimes and tools.',
  impact: 'MED',
  effort: 'M',
  risk: 'MED',
  riskReason:
    'The replacement has a different API; every call site changes and edge cases may behave differently.',
  confidence: 'HIGH',
  fixSketch:
    'Replace the package with its maintained successor, migrating each call site, then remove it from the manifest.',
  steps: [
    'Find every import/require of the deprecated package in the source files.',
    'Read the replacement named in this plan and map each call the code makes onto its API.',
    'Migrate one file at a time, running the tests after each file; keep behaviour identical.',
    'Remove the deprecated package from the manifest, reinstall so the lockfile updates, and run the done check and the test command.',
  ],
  check(context) {
    const out: RawFinding[] = [];
    for (const manifest of packageManifests(context)) {
      for (const name of dependencies(manifest).keys()) {
        const replacement = NPM_DEPRECATED[name];
        if (!replacement) continue;
        const line = dependencyLine(manifest, name) ?? 1;
        out.push({
          file: manifest.path,
          startLine: line,
          endLine: line,
          // The files that import it: the migration changes them, so the plan's scope holds them.
          related: importersOf(context, manifest, name),
          title: `Deprecated package \`${name}\` in ${manifest.path}`,
          message: `\`${name}\` is deprecated by its maintainers and receives no fixes, including security fixes. Replace it with ${replacement}.`,
          fixSketch: `Replace \`${name}\` with ${replacement}: migrate each import, then remove \`${name}\` from ${manifest.path}.`,
          doneCheck: `! grep -qE ${shellQuote(`"${escapeEre(name)}"[[:space:]]*:`)} ${shellQuote(manifest.path)}`,
        });
      }
    }
    for (const manifest of pythonManifests(context)) {
      for (const dependency of manifest.dependencies) {
        const replacement = PYTHON_DEPRECATED[dependency.name];
        if (!replacement) continue;
        out.push({
          file: manifest.path,
          startLine: dependency.line,
          endLine: dependency.line,
          title: `Unmaintained package \`${dependency.name}\` in ${manifest.path}`,
          message: `\`${dependency.name}\` is abandoned and receives no fixes, including security fixes. Replace it with ${replacement}.`,
          fixSketch: `Replace \`${dependency.name}\` with ${replacement}: migrate each import, then remove it from ${manifest.path}.`,
          doneCheck: `! grep -qiE ${shellQuote(`^[[:space:]]*["']?${escapeEre(dependency.name)}([^A-Za-z0-9_.-]|$)`)} ${shellQuote(manifest.path)}`,
        });
      }
    }
    return out;
  },
};
