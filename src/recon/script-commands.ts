import type { MissingCommand, RepoCommand } from '../core/types.ts';
import type { PackageJson } from './manifests.ts';
import type { PackageManager } from './package-manager.ts';
import { NPM_PLACEHOLDER_TEST, SCRIPT_NAMES } from './script-kinds.ts';

const SCRIPT_KINDS = ['test', 'build', 'lint', 'typecheck', 'format'] as const;

/** How to type "run script X" with a JavaScript package manager. */
export function scriptRun(runner: PackageManager, script: string): string {
  if (runner === 'yarn') return `yarn ${script}`;
  if (script === 'test' && runner !== 'bun') return `${runner} test`;
  return `${runner} run ${script}`;
}

export function isPlaceholderTest(script: string | undefined): boolean {
  return script !== undefined && NPM_PLACEHOLDER_TEST.test(script.trim());
}

/** Commands from the root package.json scripts; npm's placeholder test script is reported as missing. */
export function scriptCommands(
  packageJson: PackageJson,
  runner: PackageManager,
): { commands: RepoCommand[]; missing: MissingCommand[] } {
  const commands: RepoCommand[] = [];
  const missing: MissingCommand[] = [];
  for (const kind of SCRIPT_KINDS) {
    for (const name of SCRIPT_NAMES[kind]) {
      const script = packageJson.scripts[name];
      if (script === undefined) continue;
      if (kind === 'test' && isPlaceholderTest(script)) {
        missing.push({
          run: scriptRun(runner, name),
          referencedIn: `${packageJson.path} scripts.${name}`,
          reason: 'scripts.test is npm\'s placeholder ("Error: no test specified") and always fails',
        });
        continue;
      }
      commands.push({
        kind,
        run: scriptRun(runner, name),
        source: `${packageJson.path} scripts.${name}`,
        language: 'javascript',
      });
      break;
    }
  }
  return { commands, missing };
}
