import type { RepoProfile } from '../core/types.ts';

const REASON_TEXT: Record<string, string> = {
  ignored: 'ignored by configuration',
  dependency: 'dependencies',
  'build-output': 'build output',
  vendored: 'vendored code',
  minified: 'minified',
  generated: 'generated',
  'too-large': 'over 1 MiB',
  binary: 'binary',
  unreadable: 'unreadable',
  symlink: 'symbolic links (not followed)',
  'invalid-utf8': 'not valid UTF-8',
};

/** Languages whose templates security/template-raw-html reads, and what it looks for there. */
const TEMPLATE_CHECKED: ReadonlyMap<string, string> = new Map([
  ['Vue', 'templates checked for raw HTML output only; their script code is not audited'],
  ['Svelte', 'templates checked for raw HTML output only; their script code is not audited'],
  ['EJS', 'views checked for raw HTML output of request data only; their code is not audited'],
  ['Handlebars', 'views checked for raw HTML output of request data only'],
  ['Pug', 'views checked for raw HTML output of request data only; their code is not audited'],
]);

/** What the audit did not look at, in words a user can act on. */
export function describeNotAudited(profile: RepoProfile, extra: readonly string[] = []): string[] {
  const out: string[] = [];
  const byReason = new Map<string, string[]>();
  // A path inside a skipped folder (a minified file in a vendored theme) goes with its folder.
  const listed = new Set(profile.skipped.map((skipped) => skipped.path));
  const inListedFolder = (file: string) => {
    for (let at = file.lastIndexOf('/'); at > 0; at = file.lastIndexOf('/', at - 1))
      if (listed.has(file.slice(0, at))) return true;
    return false;
  };
  for (const skipped of profile.skipped) {
    if (inListedFolder(skipped.path)) continue;
    const list = byReason.get(skipped.reason) ?? [];
    list.push(skipped.path);
    byReason.set(skipped.reason, list);
  }
  for (const [reason, paths] of [...byReason].sort(([a], [b]) => a.localeCompare(b))) {
    const sample = paths.slice(0, 3).join(', ');
    const more = paths.length > 3 ? ` and ${paths.length - 3} more` : '';
    out.push(
      `${paths.length} path${paths.length === 1 ? '' : 's'} skipped as ${REASON_TEXT[reason] ?? reason}: ${sample}${more}`,
    );
  }
  const unaudited = new Map<string, number>();
  for (const file of profile.files) {
    if (file.language || !file.languageName || file.role === 'docs' || file.role === 'config') continue;
    if (/\.d\.[cm]?ts$|\.pyi$/.test(file.path)) continue; // type declarations and stubs: nothing to audit
    if (['JSON', 'YAML', 'Markdown', 'TOML', 'Text', 'CSS', 'HTML'].includes(file.languageName)) continue;
    unaudited.set(file.languageName, (unaudited.get(file.languageName) ?? 0) + 1);
  }
  for (const [name, count] of [...unaudited].sort(([a], [b]) => a.localeCompare(b))) {
    const files = `${count} ${name} file${count === 1 ? '' : 's'}`;
    const checked = TEMPLATE_CHECKED.get(name);
    out.push(
      checked
        ? `${files}: ${checked}`
        : `${files}: no code detectors for ${name} yet (repo-level checks still ran)`,
    );
  }
  // A repository git will not open for this user (another owner's clone): without a word here
  // the audit would look like one of a repository without history.
  if (!profile.git.available && /dubious ownership/.test(profile.git.reason ?? '')) {
    out.push(
      `git history (hotspots, commit style, branch): git refused the repository, which another user owns; to trust it, run \`git config --global --add safe.directory ${profile.root}\``,
    );
  }
  if (profile.publishedPackage) {
    out.push(
      `an installed package (inside ${profile.publishedPackage}), not a repository: repository checks (CI, lockfile, tests, scripts, links, agent guide) skipped`,
    );
  }
  const around = profile.enclosing;
  if (around) {
    const counted = [
      around.lockfiles.length > 0 ? 'lockfile' : '',
      around.ciFiles.length > 0 ? 'CI' : '',
      around.commands.length > 0
        ? `scripts (${around.commands.map((command) => command.kind).join(', ')})`
        : '',
      around.readme ? 'README' : '',
      around.agentGuide ? 'agent guide' : '',
    ].filter(Boolean);
    out.push(
      `the rest of the repository (its root is ${around.root}): not audited; its ${counted.join(', ')} count for this folder`,
    );
  }
  return [...out, ...extra];
}
