import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Confidence, FileRole } from '../../core/types.ts';
import { dirOf } from '../dx/find-line.ts';
import { shellQuote } from '../dx/shell-quote.ts';
import type { RawFinding, RepoDetector } from '../types.ts';

const MARKDOWN = /\.(md|mdx|markdown)$/i;
const SKIPPED_ROLES: ReadonlySet<FileRole> = new Set(['fixture', 'vendored', 'generated']);
const INLINE_LINK = /!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
const REFERENCE_DEFINITION = /^\s{0,3}\[(?!\^)[^\]]+\]:\s*(<[^>]*>|\S+)/; // not footnotes ([^1]: …)
const MAX_PER_FILE = 10;

interface Link {
  target: string;
  line: number;
}

/** Links in a markdown file, skipping fenced code blocks and inline code spans. */
export function markdownLinks(text: string): Link[] {
  const out: Link[] = [];
  let fence: string | undefined;
  text.split(/\r?\n/).forEach((raw, index) => {
    const opener = /^\s*(`{3,}|~{3,})/.exec(raw)?.[1];
    if (opener) {
      if (fence === undefined) fence = opener[0];
      else if (opener[0] === fence) fence = undefined;
      return;
    }
    if (fence !== undefined) return;
    const line = raw.replace(/`[^`]*`/g, (span) => ' '.repeat(span.length));
    const definition = REFERENCE_DEFINITION.exec(line)?.[1];
    if (definition) out.push({ target: definition, line: index + 1 });
    for (const match of line.matchAll(INLINE_LINK)) {
      if (match[1]) out.push({ target: match[1], line: index + 1 });
    }
  });
  return out;
}

/** The repo-relative path a relative link points at, or undefined when it is not a local file link. */
export function resolveLink(markdownFile: string, target: string): string | undefined {
  let link = target.replace(/^<|>$/g, '').trim();
  if (link === '' || link.startsWith('#') || link.startsWith('//')) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(link)) return undefined; // http:, mailto:, data:, …
  if (/\{\{|\$\{|<%|%\w+%/.test(link)) return undefined; // templates
  link = link.replace(/[?#].*$/, '');
  if (link === '') return undefined;
  try {
    link = decodeURIComponent(link);
  } catch {
    return undefined;
  }
  const joined = link.startsWith('/')
    ? path.posix.normalize(link.slice(1))
    : path.posix.join(dirOf(markdownFile), link);
  const normal = path.posix.normalize(joined).replace(/\/$/, '');
  if (normal === '' || normal === '.') return '.';
  if (normal.startsWith('..')) return undefined; // outside the repository: cannot be checked
  return normal;
}

/**
 * Markdown an application ships as data (NodeBB's `install/data/welcome.md`, the first forum post):
 * its links are relative to the page that shows it, not to the file.
 */
const APP_DATA = /(?:^|\/)data\//;

/** `sailsjs.com/contributing`, `github.com/x/y`: a web address written without its scheme. */
const BARE_WEB_ADDRESS =
  /^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|dev|ly|me|co|app|ai|edu|gov|info|biz|gg|tv|fm|cc)(?:[/?#]|$)/i;
/** `inquiries@sailsjs.com`: an e-mail address written without `mailto:`. */
const BARE_EMAIL = /^[^\s@/]+@[^\s@/]+\.[a-z]{2,}$/i;

/** What is wrong with a link that names no file, when the text shows it. */
function likelyMistake(shown: string): string {
  if (BARE_EMAIL.test(shown))
    return ' It looks like an e-mail address without `mailto:`, which makes it a path.';
  if (/^\(+[a-z][a-z0-9+.-]*:\/\//i.test(shown))
    return ' The target starts with an extra `(` (`[text]((https://…))`), which makes the address a path; remove one pair of parentheses.';
  if (BARE_WEB_ADDRESS.test(shown))
    return ' It looks like a web address without `https://`, which makes it a path in the repository.';
  return '';
}

/** Change logs: what they link to was right when it was written. */
const HISTORY_FILE = /(?:^|\/)(?:CHANGELOG|CHANGES|HISTORY|NEWS|RELEASES?)(?:\.[a-z]+)?$/i;

/**
 * Whether a root-relative link (`/docs/api/Fetch.md`) resolves under a folder above the markdown
 * file: a documentation site (Docusaurus, docsify, VitePress) serves its own folder as `/`, so
 * undici's `docs/docs/…/x.md` links to `docs/docs/api/Fetch.md`.
 */
function underDocsRoot(markdownFile: string, target: string, exists: (path: string) => boolean): boolean {
  for (let dir = dirOf(markdownFile); dir !== ''; dir = dirOf(dir)) {
    if (exists(path.posix.join(dir, target))) return true;
  }
  return false;
}

/** A TypeScript file's extension; the compiled JavaScript beside it has `.$1js`. */
const TS_SOURCE = /\.([cm]?)tsx?$/;

/** A relative link in a markdown file whose target file or folder does not exist. */
export const brokenLink: RepoDetector = {
  id: 'docs/broken-link',
  category: 'docs',
  scope: 'repo',
  // Looks at the disk itself (files outside the profile), so it runs every time.
  cacheable: false,
  repoHygiene: true,
  title: 'Broken relative link in documentation',
  description:
    'A link in the documentation points at a file that does not exist, usually because the file was moved or renamed. Readers following it hit a 404 and lose trust in the rest of the docs.',
  impact: 'LOW',
  effort: 'S',
  risk: 'LOW',
  riskReason: 'Only documentation changes.',
  confidence: 'HIGH',
  fixSketch:
    'Point the link at the file’s current location (search the repository for the file name), or remove the link if the target is gone for good.',
  steps: [
    'Take the file name from the broken link and search the repository for it (`git ls-files | grep -i <name>`).',
    'If it was moved or renamed, change the link to the new path relative to the markdown file. If nothing matches, remove the link but keep its text.',
    'Run the done check; it must pass.',
  ],
  check(context) {
    const { profile } = context;
    const known = new Set<string>();
    for (const file of [...profile.files, ...profile.skipped]) {
      known.add(file.path);
      let dir = dirOf(file.path);
      while (dir !== '' && !known.has(dir)) {
        known.add(dir);
        dir = dirOf(dir);
      }
    }
    const exists = (target: string) => known.has(target) || existsSync(path.join(profile.root, target));
    const out: RawFinding[] = [];
    for (const file of profile.files) {
      if (!MARKDOWN.test(file.path) || SKIPPED_ROLES.has(file.role)) continue;
      const text = context.read(file.path);
      if (text === undefined) continue;
      let count = 0;
      for (const link of markdownLinks(text)) {
        if (count >= MAX_PER_FILE) break;
        const target = resolveLink(file.path, link.target);
        if (target === undefined || target === '.' || exists(target)) continue;
        if (link.target.replace(/^</, '').startsWith('/') && underDocsRoot(file.path, target, exists))
          continue;
        count += 1;
        const shown = link.target.replace(/^<|>$/g, '');
        // `[File](/api/field/File)` in keystone's field READMEs: a page of the project's website,
        // not a file of the repository.
        const route = shown.startsWith('/') && !/\.\w+$/.test(target);
        // `[service](service.ts)` beside `service.js` (Ghost's published automations): the
        // TypeScript the JavaScript was compiled from, left out of what was published.
        const compiled = TS_SOURCE.test(target) && exists(target.replace(TS_SOURCE, '.$1js'));
        // `[New Locale Addition Guide](add-new-locale)` beside `add-new-locale.mdx` (LobeChat's
        // docs): the page a documentation site builds from that file.
        const page = /\.\w+$/.test(target)
          ? undefined
          : ['.md', '.mdx', '.markdown'].map((ext) => target + ext).find(exists);
        // Why the link may work where it is read, when it does not resolve here.
        const context = route
          ? ' It has no file extension and starts at the root: it may be a page of the project’s website, which works there and not here.'
          : page
            ? ` ${page} exists: the link names the page a documentation site builds from it, which works there and not when the file is read here.`
            : compiled
              ? ` ${target.replace(TS_SOURCE, '.$1js')} exists: the link may name the TypeScript source of that compiled file, which this tree leaves out.`
              : HISTORY_FILE.test(file.path)
                ? ' The file is a change log, which records the past; fix the link if readers still follow it.'
                : APP_DATA.test(file.path)
                  ? ' The file is in a data folder: if the application shows it as a page, the link is relative to that page, not to the file.'
                  : '';
        const confidence: Confidence =
          file.role === 'test' || file.role === 'example' || context !== '' ? 'LOW' : 'HIGH';
        out.push({
          file: file.path,
          startLine: link.line,
          endLine: link.line,
          title: `Broken link to ${shown} in ${file.path}`,
          message: `${file.path}:${link.line} links to \`${shown}\`, but ${target} does not exist in the repository.${likelyMistake(shown)}${context}`,
          confidence,
          doneCheck: `test -e ${shellQuote(target)} || ! grep -qF -- ${shellQuote(`(${shown}`)} ${shellQuote(file.path)}`,
        });
      }
    }
    return out;
  },
};
