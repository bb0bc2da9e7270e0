import type { SkippedFile } from '../core/types.ts';
import { baseName, extensionOf } from './languages.ts';

export type SkipReason = SkippedFile['reason'];

/** Files larger than this are not read. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** How much of a file the binary check looks at. */
export const BINARY_SNIFF_BYTES = 8 * 1024;

const DIRECTORY_REASONS: Record<string, SkipReason> = {
  node_modules: 'dependency',
  bower_components: 'dependency',
  jspm_packages: 'dependency',
  '.venv': 'dependency',
  venv: 'dependency',
  'site-packages': 'dependency',
  '.tox': 'dependency',
  '.nox': 'dependency',
  dist: 'build-output',
  build: 'build-output',
  // Ghost's `core/built/` (its admin app), ioredis' `built/` (compiled from TypeScript).
  built: 'build-output',
  out: 'build-output',
  coverage: 'build-output',
  '.next': 'build-output',
  '.nuxt': 'build-output',
  '.svelte-kit': 'build-output',
  '.turbo': 'build-output',
  target: 'build-output',
  __pycache__: 'build-output',
  '.pytest_cache': 'build-output',
  '.mypy_cache': 'build-output',
  '.ruff_cache': 'build-output',
  vendor: 'vendored',
  // pip, setuptools and pkg_resources keep their copies of other projects in `_vendor/`.
  _vendor: 'vendored',
  vendored: 'vendored',
  // Etherpad's `static/js/vendors/` (jQuery, html10n, nice-select).
  vendors: 'vendored',
  third_party: 'vendored',
  'third-party': 'vendored',
  // sqlmap's `thirdparty/` (bottle, chardet, six, colorama).
  thirdparty: 'vendored',
  '3rdparty': 'vendored',
};

const BINARY_EXTENSIONS = new Set(
  (
    '.png .jpg .jpeg .gif .bmp .ico .icns .webp .avif .tif .tiff .psd .pdf .zip .gz .tgz .bz2 .xz .7z .rar .tar ' +
    '.jar .war .class .so .dll .dylib .exe .o .a .lib .obj .pyc .pyo .wasm .woff .woff2 .ttf .otf .eot .mp3 .mp4 ' +
    '.m4a .wav .ogg .flac .mov .avi .webm .mkv .sqlite .db .bin .dat .lockb .node .npy .pkl .parquet'
  ).split(' '),
);

const GENERATED_NAME =
  /(_pb2(_grpc)?\.py|\.pb\.go|_pb\.(js|ts|d\.ts)|\.g\.ts|\.g\.dart)$|\.generated\.[^/]+$/;
/** Markers in a file's first lines; Emscripten's JavaScript glue opens with notes about its settings. */
const GENERATED_MARKER =
  /@generated|DO NOT EDIT|Code generated|[Aa]uto-?generated|AUTO-?GENERATED|^\/\/ Note: Some Emscripten settings/;
/** `app.min.js`, and the older spellings of the same (`codemirror-compressed.js`, `x.packed.js`). */
const MINIFIED_NAME = /[.-](?:min|compressed|packed)\.(js|css|mjs)$/;
/** A bundler's content-hashed asset (`codemirror-0d7a91292682d6a788d7422f9d9388b6.js`). */
const FINGERPRINTED_NAME = /[.-][0-9a-f]{16,}\.(?:js|mjs|cjs|css)$/;
/**
 * The first lines of a bundle a bundler wrote (browserify's prelude, webpack's bootstrap): the
 * concatenated copy of modules that are in the repository too (ejs ships `ejs.js` built from `lib/`,
 * keystone its admin's `bundles/js/<hash>-FieldTypes.js`).
 */
const BUNDLE_PRELUDE =
  /^\(function\(f\)\{if\(typeof exports==="object"&&typeof module!=="undefined"\)|\(function\(\)\{function r\(e,n,t\)\{function o\(i,f\)|^require=\(function e\(t,n,r\)|webpackBootstrap|^\/\*{3,}\/ \(\(\) => \{/m;

/**
 * Folders a web server serves as they are: a browser library is copied into them (MeshCentral's
 * `public/scripts/moment.js`), not imported from node_modules.
 */
const SERVED_FOLDER = /(?:^|\/)(?:public|static|assets|wwwroot|www|webroot)\//;
/** The two tests of a universal module definition, the wrapper of a library's browser build. */
const UMD_EXPORTS = /typeof exports\s*===?\s*['"]object['"]/;
const UMD_AMD = /\bdefine\.amd\b/;
/** A preserved licence banner naming a version (`/*! jQuery v3.7.1 | (c) OpenJS Foundation`). */
const VERSIONED_BANNER = /^\/\*![\s\S]{0,300}?\bv?\d+\.\d+(?:\.\d+)?\b/;

const SOURCE_MAP_COMMENT = /\/\/# sourceMappingURL=\S+\s*$/;

/** The reason a directory is skipped as a whole, or undefined to walk into it. */
export function directorySkipReason(name: string): SkipReason | undefined {
  if (Object.hasOwn(DIRECTORY_REASONS, name)) return DIRECTORY_REASONS[name];
  // `client-dist` (socket.io's browser bundle), `dist-esm`, `dist_types`: dist by another name.
  return /^(?:[\w.]+[-_])dist$|^dist[-_][\w.]+$/.test(name) ? 'build-output' : undefined;
}

/**
 * The first directory of `file` that is skipped as a whole, with its reason. `.git` is not listed
 * at all (undefined path).
 */
export function skippedDirectoryOf(file: string): { path: string; reason: SkipReason } | undefined {
  const segments = file.split('/');
  for (let index = 0; index < segments.length - 1; index += 1) {
    const reason = directorySkipReason(segments[index] ?? '');
    if (reason) return { path: segments.slice(0, index + 1).join('/'), reason };
  }
  return undefined;
}

/** A reason known from the name alone, without reading the file. */
export function nameSkipReason(file: string): SkipReason | undefined {
  const name = baseName(file);
  if (MINIFIED_NAME.test(name)) return 'minified';
  if (FINGERPRINTED_NAME.test(name)) return 'build-output';
  if (GENERATED_NAME.test(name)) return 'generated';
  if (BINARY_EXTENSIONS.has(extensionOf(file))) return 'binary';
  return undefined;
}

/** A reason found in a decoded text file: a generated marker near the top, minified code or markup, a copied library. */
export function textSkipReason(file: string, text: string): SkipReason | undefined {
  let lineCount = 0;
  let start = 0;
  while (lineCount < 5 && start <= text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end);
    if (GENERATED_MARKER.test(line)) return 'generated';
    lineCount += 1;
    if (end === -1) break;
    start = end + 1;
  }
  if (/\.(js|mjs|cjs)$/i.test(file) && BUNDLE_PRELUDE.test(text.slice(0, 2048))) return 'build-output';
  // A library's distributed build copied into a served folder: its UMD wrapper or versioned
  // banner opens the file. The project's own scripts there are written as plain scripts or modules.
  if (/\.(js|mjs|cjs)$/i.test(file) && SERVED_FOLDER.test(file)) {
    const head = text.slice(0, 2048);
    if ((UMD_EXPORTS.test(head) && UMD_AMD.test(head)) || VERSIONED_BANNER.test(head)) return 'vendored';
  }
  // A source map comment at the end: a compiler wrote the file (openai's package ships tsc's
  // `index.js` and `index.mjs` beside the `src/index.ts` they come from). Nobody writes one by hand.
  if (/\.(js|mjs|cjs)$/i.test(file) && SOURCE_MAP_COMMENT.test(text.slice(-512))) return 'build-output';
  // Minified markup and styles too (MeshCentral's `views/default-min.handlebars`): nobody edits them.
  if (/\.(js|mjs|cjs|css|html?|handlebars|hbs)$/i.test(file) && text.length > 500) {
    // Count line breaks without splitting: this runs on every JavaScript file of the repository.
    // A file has at least as many lines as breaks, so once there are text.length / 500 breaks its
    // lines are not that long on average: a typical file is decided within its first lines.
    const enough = text.length / 500;
    let breaks = 0;
    for (let at = text.indexOf('\n'); at !== -1 && breaks < enough; at = text.indexOf('\n', at + 1))
      breaks += 1;
    if (breaks >= enough) return undefined;
    const lines = Math.max(1, breaks + 1 - (text.endsWith('\n') ? 1 : 0));
    if (text.length / lines > 500) return 'minified';
  }
  return undefined;
}
