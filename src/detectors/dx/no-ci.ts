import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { commandEvidence } from '../tests/no-verification-baseline.ts';
import type { RepoDetector } from '../types.ts';

const CI_PATHS = [
  '.github/workflows',
  '.gitlab-ci.yml',
  '.circleci/config.yml',
  'azure-pipelines.yml',
  'Jenkinsfile',
  '.travis.yml',
  'bitbucket-pipelines.yml',
  '.buildkite',
  '.drone.yml',
  'appveyor.yml',
  '.woodpecker.yml',
  '.woodpecker',
];

/** Folders for the entry scripts of a CI service configured outside the repository. */
const CI_SCRIPT_DIRS = ['.ci', 'ci'];
const MAX_SCRIPT_BYTES = 64 * 1024;

/**
 * A CI service configured outside the repository (a Jenkins or TeamCity job, a platform's own
 * runner) calls an entry script kept in `.ci/` or `ci/`: one that runs the test command counts.
 */
function ciEntryScript(root: string, test: string): boolean {
  for (const dir of CI_SCRIPT_DIRS) {
    let names: string[];
    try {
      names = readdirSync(path.join(root, dir));
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(root, dir, name);
      try {
        const stats = statSync(file);
        if (stats.isFile() && stats.size <= MAX_SCRIPT_BYTES && readFileSync(file, 'utf8').includes(test))
          return true;
      } catch {
        // unreadable: not evidence either way
      }
    }
  }
  return false;
}

/** The repository has tests or a build, but nothing runs them on every push. */
export const noCi: RepoDetector = {
  id: 'dx/no-ci',
  category: 'dx',
  scope: 'repo',
  // Looks at the disk itself (files outside the profile), so it runs every time.
  cacheable: false,
  repoHygiene: true,
  title: 'No continuous integration',
  description:
    'The repository defines a test or build command but no CI configuration, so nothing runs it on every push or pull request. Breakage is discovered by whoever happens to run it next, often long after the change that caused it.',
  impact: 'MED',
  effort: 'S',
  risk: 'LOW',
  riskReason: 'A CI workflow runs the existing commands; it changes no code.',
  confidence: 'HIGH',
  fixSketch:
    'Add a CI workflow (for GitHub: .github/workflows/ci.yml) that checks out the code, installs dependencies and runs the repository’s existing build, lint and test commands on pushes and pull requests.',
  steps: [
    'Create .github/workflows/ci.yml triggered on `push` and `pull_request`.',
    'Add one job on `ubuntu-latest` that checks out the code (`actions/checkout`), sets up the runtime the project declares (for Node.js `actions/setup-node` with the version from package.json "engines" or .nvmrc; for Python `actions/setup-python`), and runs the install command.',
    'Add one step per existing command, in this order: lint, typecheck, build, test. Use exactly the commands listed in this plan; do not invent new ones.',
    'Validate the YAML (for example `npx --yes yaml-lint .github/workflows/ci.yml` or `python -c "import yaml,sys; yaml.safe_load(open(sys.argv[1]))" .github/workflows/ci.yml`).',
  ],
  check(context) {
    const { profile } = context;
    if (profile.ciFiles.length > 0 || (profile.enclosing?.ciFiles.length ?? 0) > 0) return [];
    const listed = profile.files.map((file) => file.path);
    const hasCi = CI_PATHS.some(
      (ci) =>
        listed.some((file) => file === ci || file.startsWith(`${ci}/`)) ||
        existsSync(path.join(profile.root, ci)),
    );
    if (hasCi) return [];
    const commands = profile.commands.filter((command) =>
      ['test', 'build', 'lint', 'typecheck'].includes(command.kind),
    );
    const test = commands.find((command) => command.kind === 'test');
    const primary = test ?? commands[0];
    if (!primary) return [];
    if (test && ciEntryScript(profile.root, test.run)) return [];
    const evidence = commandEvidence(context, primary);
    const order = ['install', 'lint', 'typecheck', 'build', 'test'];
    const steps = profile.commands
      .filter((command) => order.includes(command.kind))
      .sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))
      .map((command) => `\`${command.run}\``);
    return [
      {
        ...(evidence
          ? { file: evidence.file, startLine: evidence.startLine, endLine: evidence.startLine }
          : {}),
        key: 'no-ci',
        title: 'No CI runs the tests or build',
        message: `The repository defines ${commands.map((command) => `\`${command.run}\``).join(', ')} but has no CI configuration, so nothing runs them on every push or pull request.`,
        fixSketch: `Add .github/workflows/ci.yml that runs on push and pull_request and executes, in order: ${steps.join(', ')}.`,
        doneCheck:
          'ls .github/workflows/*.yml .github/workflows/*.yaml .gitlab-ci.yml .circleci/config.yml azure-pipelines.yml Jenkinsfile 2>/dev/null | grep -q .',
      },
    ];
  },
};
