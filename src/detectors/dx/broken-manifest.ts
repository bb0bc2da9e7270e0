import { redactText } from '../../core/redact.ts';
import type { RawFinding, RepoDetector } from '../types.ts';
import { baseName } from './find-line.ts';
import { shellQuote } from './shell-quote.ts';

function parseCheck(file: string): string | undefined {
  const name = baseName(file);
  if (name.endsWith('.json')) {
    return `node -e ${shellQuote(`JSON.parse(require("fs").readFileSync(${JSON.stringify(file)},"utf8"))`)}`;
  }
  if (name.endsWith('.toml')) {
    return `python3 -c ${shellQuote(`import sys,tomllib; tomllib.load(open(sys.argv[1],"rb"))`)} ${shellQuote(file)}`;
  }
  return undefined;
}

/** A manifest or config file that recon could not read or parse: every tool that reads it fails too. */
export const brokenManifest: RepoDetector = {
  id: 'dx/broken-manifest',
  category: 'dx',
  scope: 'repo',
  title: 'Manifest or config file cannot be parsed',
  description:
    'A manifest or configuration file is malformed. Package managers, build tools and CI that read it fail or silently ignore it, so installs and builds are broken or not what the file says.',
  impact: 'HIGH',
  effort: 'S',
  risk: 'LOW',
  riskReason: 'Fixing the syntax restores what the file already intends to say.',
  confidence: 'HIGH',
  fixSketch:
    'Fix the syntax error at the cited line so the file parses again, keeping every value the file declares.',
  steps: [
    'Open the cited file at the cited line and find the syntax error (a trailing comma, a missing quote or bracket, a merge-conflict marker).',
    'Fix only the syntax; keep every key and value. If a merge-conflict marker is present, keep the side that matches the rest of the repository and ask when unsure.',
    'Run the done check (it parses the file) and then the install command.',
  ],
  check(context) {
    const out: RawFinding[] = [];
    for (const problem of context.profile.problems) {
      const readable = context.read(problem.path) !== undefined;
      const finding: RawFinding = {
        key: `${problem.path}\0${problem.message}`,
        title: `${problem.path} cannot be parsed`,
        message: `${problem.path}${problem.line ? `:${problem.line}` : ''}: ${redactText(problem.message)}. Tools that read this file fail or ignore it.`,
      };
      if (readable) {
        finding.file = problem.path;
        finding.startLine = problem.line ?? 1;
        finding.endLine = problem.line ?? 1;
      }
      const check = parseCheck(problem.path);
      if (check) finding.doneCheck = check;
      out.push(finding);
    }
    return out;
  },
};
