import { execFile } from 'node:child_process';

export interface GitHubToken {
  value: string;
  /** Where it came from, for messages (never the value). */
  source: 'GITHUB_TOKEN' | 'GH_TOKEN' | 'gh auth token';
}

function ghAuthToken(host: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'gh',
      ['auth', 'token', '--hostname', host],
      {
        encoding: 'utf8',
        timeout: 10_000,
        windowsHide: true,
        env: { ...process.env, GH_PROMPT_DISABLED: '1' },
      },
      (error, stdout) => {
        // Not installed (ENOENT), not logged in (exit 1), or too slow: no token from gh.
        const token = error ? '' : stdout.trim();
        resolve(token === '' ? undefined : token);
      },
    );
  });
}

/** `GITHUB_TOKEN`, else `GH_TOKEN`, else `gh auth token` for the host when gh is installed. */
export async function findGitHubToken(
  env: NodeJS.ProcessEnv,
  host: string,
): Promise<GitHubToken | undefined> {
  const fromGithub = env.GITHUB_TOKEN?.trim();
  if (fromGithub) return { value: fromGithub, source: 'GITHUB_TOKEN' };
  const fromGh = env.GH_TOKEN?.trim();
  if (fromGh) return { value: fromGh, source: 'GH_TOKEN' };
  const fromCli = await ghAuthToken(host);
  return fromCli ? { value: fromCli, source: 'gh auth token' } : undefined;
}
