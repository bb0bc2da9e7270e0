import { redactText } from '../../core/redact.ts';
import type { RawFinding, RepoDetector } from '../types.ts';
import { shellQuote } from './shell-quote.ts';

/** Parse `README.md:42` (or `README.md`) into a file and line. */
export function parseLocation(location: string): { file: string; line?: number } {
  const match = /^(.+?):(\d+)(?::\d+)?$/.exec(location.trim());
  if (match?.[1]) return { file: match[1], line: Number(match[2]) };
  return { file: location.trim() };
}

/** Where recon says a script is defined (`package.json scripts.test`), not where it is referenced. */
const SCRIPT_DEFINITION = /(?:^|\/)package\.json scripts\./;

/** A shell test that the command now exists, when its kind can be checked. */
function definedCheck(run: string): string | undefined {
  const script = /^(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?([\w:.-]+)/.exec(run.trim());
  if (script?.[1] && !['install', 'i', 'ci', 'add'].includes(script[1])) {
    const program = `const s=JSON.parse(require("fs").readFileSync("package.json","utf8")).scripts||{};process.exit(s[${JSON.stringify(script[1])}]?0:1)`;
    return `node -e ${shellQuote(program)}`;
  }
  const target = /^make\s+([\w.-]+)/.exec(run.trim());
  if (target?.[1]) return `make -n ${shellQuote(target[1])} >/dev/null 2>&1`;
  return undefined;
}

/** Documentation or CI runs a command (script, make target) that the repository does not define. */
export const undefinedCommand: RepoDetector = {
  id: 'dx/undefined-command',
  category: 'dx',
  scope: 'repo',
  repoHygiene: true,
  title: 'Documented command does not exist',
  description:
    'A README or CI step tells people to run a command that the repository does not define. Newcomers following the docs hit an error on their first try, and a CI step that calls it fails or silently does nothing.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason: 'Fixing a reference or adding a script alias changes no program behaviour.',
  confidence: 'HIGH',
  fixSketch:
    'Either define the command (add the script or make target, doing what the docs describe) or change the reference to the command that does exist.',
  steps: [
    'Open the cited file and line and read what the command is supposed to do.',
    'Look for an existing command that does this (package.json "scripts", Makefile targets). If one exists, change the reference to it.',
    'If none exists, add the command where the repository defines its others, doing exactly what the documentation describes.',
    'Run the command from the repository root; it must succeed. Then run the done check.',
  ],
  check(context) {
    const out: RawFinding[] = [];
    for (const missing of context.profile.missingCommands) {
      // npm's placeholder `"test": "echo \"Error: no test specified\" && exit 1"` is referenced by
      // nothing but its own definition: tests/no-verification-baseline reports the missing test
      // command, at that line.
      if (SCRIPT_DEFINITION.test(missing.referencedIn)) continue;
      const location = parseLocation(missing.referencedIn);
      const readable = context.read(location.file) !== undefined;
      const gone = readable
        ? `! grep -qF -- ${shellQuote(missing.run)} ${shellQuote(location.file)}`
        : undefined;
      const defined = definedCheck(missing.run);
      const checks = [gone, defined].filter((check): check is string => check !== undefined);
      const finding: RawFinding = {
        key: `${missing.run}\0${missing.referencedIn}`,
        title: `\`${missing.run}\` is referenced but not defined`,
        message: `${missing.referencedIn} runs \`${missing.run}\`, which does not exist: ${redactText(missing.reason)}. Anyone following it gets an error.`,
      };
      if (readable) {
        finding.file = location.file;
        finding.startLine = location.line ?? 1;
        finding.endLine = location.line ?? 1;
      }
      if (checks.length > 0)
        finding.doneCheck = checks.length === 1 ? (checks[0] ?? '') : `{ ${checks.join('; } || { ')}; }`;
      out.push(finding);
    }
    return out;
  },
};
