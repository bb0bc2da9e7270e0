/** Which GitHub repository a git remote URL names, and which REST API serves it. */

export interface GitHubRepository {
  /** `github.com`, or a GitHub Enterprise host. */
  host: string;
  owner: string;
  repo: string;
}

const SCP_LIKE = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)(.+)$/;

function ownerAndRepo(pathname: string): { owner: string; repo: string } | undefined {
  const parts = pathname
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/, '')
    .split('/');
  if (parts.length !== 2) return undefined;
  const [owner, repo] = parts;
  if (!owner || !repo || !/^[\w.-]+$/.test(owner) || !/^[\w.-]+$/.test(repo)) return undefined;
  return { owner, repo };
}

/**
 * Parse `https://github.com/o/r(.git)`, `ssh://git@host(:port)/o/r.git`, `git@host:o/r.git` and
 * `git://host/o/r`. Undefined for anything else (a local path, another forge's nested groups).
 */
export function parseGitHubRemote(url: string): GitHubRepository | undefined {
  const trimmed = url.trim();
  if (/^(?:https?|ssh|git|git\+ssh|ssh\+git):\/\//i.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      return undefined;
    }
    const names = ownerAndRepo(decodeURIComponent(parsed.pathname));
    return names && parsed.hostname ? { host: parsed.hostname.toLowerCase(), ...names } : undefined;
  }
  const scp = SCP_LIKE.exec(trimmed);
  if (!scp?.[1] || !scp[2] || scp[1].length === 1) return undefined; // `C:\…` is a path
  const names = ownerAndRepo(scp[2]);
  return names ? { host: scp[1].toLowerCase(), ...names } : undefined;
}

/** `GITHUB_API_URL` when set (GitHub Actions, Enterprise), else the API for the remote's host. */
export function apiBaseUrl(repository: GitHubRepository, env: NodeJS.ProcessEnv): string {
  const configured = env.GITHUB_API_URL?.trim();
  if (configured) return configured.replace(/\/+$/, '');
  return repository.host === 'github.com' ? 'https://api.github.com' : `https://${repository.host}/api/v3`;
}

/** `owner/repo` for messages. */
export function repositoryName(repository: GitHubRepository): string {
  return `${repository.owner}/${repository.repo}`;
}
